"""Fixes: every fix a finding offers, written into the text it was found in, removes that
finding and brings no other error, over the schema fixtures and the whole damage corpus
(the rule fixtures are covered in test_rules.py)."""

from __future__ import annotations

import pytest

from partner_portal.check.run import check_project
from partner_portal.check.schema import SchemaStore
from partner_portal.check.table_schema import check_tables
from partner_portal.core.findings import Finding, Severity
from partner_portal.core.project import Project
from partner_portal.load.csv_file import load_csv
from partner_portal.load.edits import apply_fix
from partner_portal.load.yaml_file import load_yaml

from .cases import SCHEMA_FIXTURES, damaged_files
from .conftest import ROOT
from .damage import damage_for
from .programs import sample_texts


def schema_findings(text: str, display: str, name: str) -> list[Finding]:
    store = SchemaStore.load(ROOT / "schemas", ROOT)
    if display.endswith(".csv"):
        loaded = load_csv(text, display)
        return loaded.findings + check_tables([loaded.table], store.schemas[name])[1]
    loaded = load_yaml(text, display)
    return loaded.findings + store.validate(loaded.document, name)


def schema_fixtures() -> list:
    found = []
    for path in sorted(SCHEMA_FIXTURES.rglob("*")):
        if path.is_file() and path.parent.name == "invalid":
            parts = path.relative_to(SCHEMA_FIXTURES).parts
            name = f"tables/{parts[1]}.schema.json" if parts[0] == "tables" else f"{parts[0]}.schema.json"
            found.append(pytest.param(path, name, id=path.relative_to(SCHEMA_FIXTURES).as_posix()))
    return found


def settles(before: list[Finding], after: list[Finding], finding: Finding) -> None:
    assert (finding.code, finding.location) not in {(f.code, f.location) for f in after}, str(finding.fix)
    new = {(f.code, str(f.location)) for f in after if f.severity is Severity.ERROR} - {
        (f.code, str(f.location)) for f in before}
    assert not new, f"{finding.fix} made new errors: {new}"


@pytest.mark.parametrize(("path", "name"), schema_fixtures())
def test_every_fix_a_schema_finding_offers_settles_it(path, name):
    display = path.relative_to(SCHEMA_FIXTURES).as_posix()
    text = path.read_text(encoding="utf-8")
    before = schema_findings(text, display, name)
    for finding in (f for f in before if f.fix is not None):
        settles(before, schema_findings(apply_fix(text, finding.fix), display, name), finding)


def damaged_texts() -> list:
    """Every damaged file that is still text (a deleted or binary file has no value to write)."""
    found = []
    for rel in damaged_files():
        for kind, damage in damage_for(rel).items():
            damaged = damage(sample_texts()[rel].encode("utf-8"))
            try:
                found.append(pytest.param(rel, damaged.decode("utf-8"), id=f"{rel}:{kind}"))
            except (AttributeError, UnicodeDecodeError):
                continue
    return found


@pytest.mark.parametrize(("rel", "text"), damaged_texts())
def test_every_fix_offered_for_damaged_data_settles_it(rel, text):
    texts = {**sample_texts(), rel: text}
    before = check_project(Project.open(ROOT), tables=False, texts=texts).findings
    for finding in (f for f in before if f.fix is not None):
        fixed = {**texts, rel: apply_fix(text, finding.fix)} if finding.fix.location.file.endswith(
            rel.removeprefix("../")) else None
        assert fixed is not None, f"{finding.fix} is not in the damaged file {rel}"
        settles(before, check_project(Project.open(ROOT), tables=False, texts=fixed).findings, finding)


def test_fixes_are_offered_for_the_mistakes_people_make_most():
    percent = {**sample_texts(), "incentives/adopt_rates.csv":
               sample_texts()["incentives/adopt_rates.csv"].replace("gold,na,3.0", "gold,na,3.0%")}
    typo = {**sample_texts(), "kpis.yaml": sample_texts()["kpis.yaml"].replace("direction: at-most\n    target: 30",
                                                                               "direction: at-mots\n    target: 30")}
    quoted = {**sample_texts(), "tiers.yaml": sample_texts()["tiers.yaml"].replace("    rank: 2\n", '    rank: "2"\n')}
    fixes = [[str(f.fix) for f in check_project(Project.open(ROOT), tables=False, texts=t).findings]
             for t in (percent, typo, quoted)]
    assert fixes[0] == ["write 3.0 at program_data/incentives/adopt_rates.csv:2:3 (column rate_percent)"]
    assert fixes[1][0].startswith("write at-most at program_data/kpis.yaml:")
    assert fixes[2][0].startswith("write 2 at program_data/tiers.yaml:")
