"""The second engine: ProperDocs, MkDocs' maintained continuation, builds the sample from the
same mkdocs.yml, hooks and plugins, and every file it writes is the one MkDocs writes, but
for the generator's name in each page's head."""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
from pathlib import Path

from partner_portal.site.engines import ENGINES

from .conftest import copy_project, with_cache

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def contents(site: Path) -> dict[str, bytes]:
    found = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)  # the archive records when it was written
        found[path.relative_to(site).as_posix()] = data
    return found


def test_portal_build_with_properdocs_writes_every_file_mkdocs_writes(tmp_path, sample_site, sample_cache):
    """`portal build --engine properdocs` builds a copy of the sample (from the cache the run's
    shared build left, so the guide is the one drawn for it); MkDocs' build of the sample is
    the one the run shares. Every file is the same but for the generator's name."""
    assert ENGINES == ("mkdocs", "properdocs")
    project = with_cache(copy_project(tmp_path), sample_cache)
    done = subprocess.run([sys.executable, "-m", "partner_portal.cli.main", "build", "--engine", "properdocs",
                           "--project", str(project)], capture_output=True, text=True)
    assert done.returncode == 0, f"properdocs: {done.stderr}"
    mkdocs, properdocs = contents(sample_site), contents(project / "site")
    assert set(mkdocs) == set(properdocs) and len(mkdocs) > 200
    named = {name: re.findall(GENERATOR, data) for name, data in properdocs.items() if name.endswith(".html")}
    assert named["index.html"] and all(b"ProperDocs" in tag[0] for tag in named.values() if tag), \
        "each page says which engine made it"
    differ = [name for name in mkdocs if GENERATOR.sub(b"", mkdocs[name]) != GENERATOR.sub(b"", properdocs[name])]
    assert differ == []


def test_portal_build_names_the_engines_it_has(project, portal):
    run = portal("build", "--engine", "hugo", "--project", str(project))
    assert run.code == 2 and "invalid choice: 'hugo'" in run.err
