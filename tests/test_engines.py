"""The second engine: ProperDocs, MkDocs' maintained continuation, builds the sample from the
same mkdocs.yml, hooks and plugins, and every file it writes is the one MkDocs writes, but
for the generator's name in each page's head."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from partner_portal.site.engines import ENGINES

from .conftest import build, copy_project, with_cache

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def contents(site: Path) -> dict[str, bytes]:
    found = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)  # the archive records when it was written
        found[path.relative_to(site).as_posix()] = data
    return found


def test_properdocs_builds_the_pages_mkdocs_builds(tmp_path, sample_site):
    """ProperDocs builds a copy of the sample; MkDocs' build of it is the one the run shares."""
    assert ENGINES == ("mkdocs", "properdocs")
    project = copy_project(tmp_path)
    done = build(project, engine="properdocs")
    assert done.returncode == 0, f"properdocs: {done.stderr}"
    mkdocs, properdocs = contents(sample_site), contents(project / "site")
    assert set(mkdocs) == set(properdocs) and len(mkdocs) > 200
    named = {name: re.findall(GENERATOR, data) for name, data in properdocs.items() if name.endswith(".html")}
    assert all(b"ProperDocs" in tag[0] for tag in named.values() if tag), "each page says which engine made it"
    differ = [name for name in mkdocs if GENERATOR.sub(b"", mkdocs[name]) != GENERATOR.sub(b"", properdocs[name])]
    assert differ == []


def test_portal_build_builds_with_either_engine(tmp_path, sample_cache):
    import subprocess
    import sys

    project = with_cache(copy_project(tmp_path), sample_cache)
    done = subprocess.run([sys.executable, "-m", "partner_portal.cli.main", "build", "--engine", "properdocs",
                           "--project", str(project)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert b"ProperDocs" in (project / "site/index.html").read_bytes()
    wrong = subprocess.run([sys.executable, "-m", "partner_portal.cli.main", "build", "--engine", "hugo",
                            "--project", str(project)], capture_output=True, text=True)
    assert wrong.returncode == 2 and "invalid choice: 'hugo'" in wrong.stderr
