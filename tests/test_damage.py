"""Every data file of the sample and the program rules in checks/rules/, damaged in turn
with every kind of bad input of the corpus (tests/damage.py): `portal check` exits 1 with a
finding that names that file, and never exits 3, whichever file it is. Deleting a file the
catalog names by a pattern (a journey), or the program rules, is no damage: the program
simply has one journey, or its own rules, fewer."""

from __future__ import annotations

import posixpath

import pytest

from partner_portal.core.project import CatalogEntry, Project

from .cases import damaged_files, data_files
from .conftest import ROOT
from .damage import damage_for

OPTIONAL = {entry.pattern for entry in Project.open(ROOT).catalog()[0] if "*" in entry.pattern}
CASES = [(rel, kind) for rel in damaged_files() for kind in damage_for(rel)]


@pytest.mark.parametrize("rel, kind", CASES, ids=[f"{rel}:{kind}" for rel, kind in CASES])
def test_damage_is_a_located_finding_of_that_file(cases, rel, kind):
    result = cases[f"damage/{rel}/{kind}"]
    if kind == "deleted" and (rel.startswith("../") or any(CatalogEntry(pattern, "").matches(rel)
                                                           for pattern in OPTIONAL)):
        assert result["exit"] in (0, 1)
        return
    assert result["exit"] == 1, result
    display = posixpath.normpath(f"program_data/{rel}")
    named = [f for f in result["findings"] if f["file"] == display and f["severity"] == "error"]
    assert named, [(f["code"], f["file"]) for f in result["findings"]]


def test_the_corpus_damages_every_data_file():
    assert {rel for rel, _ in CASES} == set(data_files()) | {"../checks/rules/policies.yaml"}
    assert len(data_files()) >= 19
