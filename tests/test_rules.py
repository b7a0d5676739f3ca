"""Consistency rules: every rule has a failing fixture that triggers exactly its own code
at the expected place, and a passing near miss; the sample passes every rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from partner_portal.check import check_project
from partner_portal.findings import Severity
from partner_portal.project import Project
from partner_portal.rules import RULES
from partner_portal.yaml_loader import load_yaml

from .conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "rules"
CODES = [r.code for r in RULES]


def fixture(code: str) -> dict:
    path = FIXTURES / f"{code}.yaml"
    loaded = load_yaml(path.read_text(encoding="utf-8"), path.name)
    assert loaded.findings == [], loaded.findings
    return loaded.document.data


def apply(project: Path, edits: list[dict]) -> None:
    for edit in edits:
        path = project / "program_data" / edit["file"]
        text = path.read_text(encoding="utf-8")
        assert text.count(edit["find"]) == 1, f"{edit['find']!r} must occur once in {edit['file']}"
        path.write_text(text.replace(edit["find"], edit["replace"]), encoding="utf-8")


def findings(project: Path) -> list:
    return [f for f in check_project(Project.open(project)).findings]


def test_every_rule_has_a_fixture_and_a_description():
    assert sorted(p.stem for p in FIXTURES.glob("*.yaml")) == sorted(CODES)
    for each in RULES:
        assert len(each.description) > 80, each.code
    assert len(CODES) == len(set(CODES))


def test_sample_passes_every_rule():
    assert [f"{f.location}: {f.code} {f.message}" for f in findings(ROOT)] == []


@pytest.mark.parametrize("code", CODES)
def test_failing_fixture_triggers_exactly_its_own_code(project, code):
    case = fixture(code)["fail"]
    apply(project, case["edits"])
    found = findings(project)
    assert found, f"{code}: nothing found for: {case['why']}"
    assert {f.code for f in found} == {code}, [f"{f.location}: {f.code} {f.message}" for f in found]
    assert all(f.severity is Severity.ERROR for f in found)
    first = found[0]
    expect = case["expect"]
    assert first.location.file == expect["file"]
    if "path" in expect:
        assert first.data_path == expect["path"]
        assert first.location.line > 0 and first.location.column > 0
    else:
        assert (first.location.line, first.location.field) == (expect["row"], expect["column"])
    assert first.hint


@pytest.mark.parametrize("code", CODES)
def test_passing_fixture_triggers_nothing(project, code):
    case = fixture(code)["pass"]
    apply(project, case["edits"])
    assert [f"{f.location}: {f.code} {f.message}" for f in findings(project)] == []


def test_rules_skip_files_that_failed_their_schema(project):
    # A wrong type in tiers.yaml is a schema error; the tier rules must not crash on it.
    path = project / "program_data/tiers.yaml"
    path.write_text(path.read_text().replace("      capability_points: 90", "      capability_points: lots"))
    assert [f.code for f in findings(project) if f.severity is Severity.ERROR] == ["wrong-type"]


def test_readme_lists_every_rule_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [code for code in CODES if f"| rules | `{code}` |" not in readme] == []
