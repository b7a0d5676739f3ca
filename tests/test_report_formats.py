"""Report formats: one finding (a duplicated CSV row) in text, JSON, GitHub annotations
and JUnit XML, each with the row's physical number; --strict; Data Docs."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

RATES = "program_data/incentives/adopt_rates.csv"


@pytest.fixture
def duplicated(project):
    """adopt_rates.csv with its row 4 (gold,emea) repeated as row 10."""
    with (project / RATES).open("a") as table:
        table.write("gold,emea,3.0\n")
    return project


def test_text(duplicated, portal):
    run = portal("check", "--project", str(duplicated))
    assert run.code == 1
    assert f"{RATES}:10:1: duplicate-row this row repeats the rate for a tier and region already listed" in run.out
    assert f"see also: {RATES}:4:1" in run.out
    assert "tables 1 error" in run.out


def test_json(duplicated, portal):
    run = portal("check", "--project", str(duplicated), "--format", "json")
    [finding] = json.loads(run.out)["findings"]
    assert (finding["code"], finding["file"], finding["line"], finding["column"], finding["field"]) == (
        "duplicate-row", RATES, 10, 1, "tier")
    assert finding["related"][0] == {"file": RATES, "line": 4, "column": 1}
    assert finding["layer"] == "tables"


def test_github_annotations(duplicated, portal):
    run = portal("check", "--project", str(duplicated), "--format", "github")
    assert run.code == 1
    first = run.out.splitlines()[0]
    assert first.startswith(f"::error file={RATES},line=10,col=1,title=duplicate-row::this row repeats")


def test_junit(duplicated, portal):
    run = portal("check", "--project", str(duplicated), "--format", "junit")
    root = ET.fromstring(run.out)
    assert root.get("failures") == "1"
    [failure] = root.findall(".//failure")
    assert failure.get("type") == "duplicate-row"
    case = root.find(".//testcase[failure]")
    assert case.get("file") == RATES and case.get("line") == "10"
    assert {s.get("name") for s in root.findall("testsuite")} == {"syntax", "schema", "references", "rules",
                                                                 "tables"}


def test_clean_junit_has_a_passing_case_per_layer(portal):
    from .conftest import ROOT

    root = ET.fromstring(portal("check", "--project", str(ROOT), "--format", "junit").out)
    assert root.get("failures") == "0" and len(root.findall(".//testcase")) == 5


def test_strict_turns_warnings_into_errors(project, portal):
    path = project / "program_data/kpis.yaml"
    path.write_text("\n".join(path.read_text().splitlines()[1:]) + "\n")  # no schema modeline: a warning
    assert portal("check", "--project", str(project)).code == 0
    run = portal("check", "--project", str(project), "--strict")
    assert run.code == 1 and "schema-comment the file does not name its schema" in run.out


def test_data_docs_are_written_where_asked_and_never_into_the_site(project, portal, tmp_path):
    docs = tmp_path / "data-docs"
    assert portal("check", "--project", str(project), "--data-docs", str(docs)).code == 0
    assert (docs / "index.html").is_file()
    assert list((docs / "validations").rglob("*.html"))
    run = portal("check", "--project", str(project), "--data-docs", str(project / "site" / "docs"))
    assert run.code == 2 and "which partners see" in run.err
