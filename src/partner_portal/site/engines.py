"""The site generators the portal builds with: MkDocs 1.x, and ProperDocs, its maintained
continuation, which reads the same mkdocs.yml, hooks and plugins and makes the same pages
(only the generator's name in each page's head differs). `portal build --engine`, `make
build ENGINE=properdocs` and the tests that compare the two builds all name them from here."""

from __future__ import annotations

ENGINES = ("mkdocs", "properdocs")
