"""Consistency rules, on programs built in memory from the sample: every rule has a
failing fixture that triggers exactly its own code at the expected place, and a near-miss
passing fixture; the sample passes every rule; a rule sees only the files it declares,
and a rule that fails inside portal hides no other finding."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from partner_portal.check.rules import RULES, Rule, RuleContext, run_rules
from partner_portal.check.run import check_project
from partner_portal.core.codes import rule_codes
from partner_portal.core.findings import Finding, Layer, Severity
from partner_portal.core.project import Project
from partner_portal.load.edits import apply_fix
from partner_portal.load.yaml_file import load_yaml

from .conftest import ROOT
from .programs import checked, edited


def rel_of(display: str) -> str:
    """A finding's file, as the in-memory programs name it (relative to program_data/)."""
    return display.removeprefix("program_data/") if display.startswith("program_data/") else f"../{display}"

FIXTURES = ROOT / "tests" / "fixtures" / "rules"
CODES = [r.code for r in RULES]


def fixture(code: str) -> dict:
    path = FIXTURES / f"{code}.yaml"
    loaded = load_yaml(path.read_text(encoding="utf-8"), path.name)
    assert loaded.findings == [], loaded.findings
    return loaded.document.data


def failing_cases() -> list[tuple[str, int]]:
    """(code, n): the n-th failing case of each rule's fixture (`fail` is one case or a list)."""
    cases = []
    for code in CODES:
        fail = fixture(code)["fail"]
        cases += [(code, n) for n in range(len(fail) if isinstance(fail, list) else 1)]
    return cases


def failing(code: str, n: int) -> dict:
    fail = fixture(code)["fail"]
    return fail[n] if isinstance(fail, list) else fail


FAILING = failing_cases()


def shown(findings: list[Finding]) -> list[str]:
    return [f"{f.location}: {f.code} {f.message}" for f in findings]


def test_every_rule_has_a_fixture_and_a_registered_explanation():
    assert sorted(p.stem for p in FIXTURES.glob("*.yaml")) == sorted(CODES)
    assert len(CODES) == len(set(CODES))
    registered = {c.code for c in rule_codes()} - {"grace-period-ended", "raised-requirement", "program-rule",
                                                   "program-rule-selects-nothing", "program-rule-invalid"}
    assert set(CODES) == registered  # every rule code is registered, and every registered rule has a rule
    for each in RULES:
        assert len(each.explanation) > 80, each.code


def test_sample_passes_every_rule():
    assert shown(checked().findings) == []


def same_with_the_text(code: str, result) -> None:
    """The rule finds the same given the documents whole: what it reads of the portal's text
    is what it declares (its findings are kept by that, with the rest set aside)."""
    rule = next(r for r in RULES if r.code == code)
    usable = set(result.documents) | set(result.tables)
    assert shown(run_rules([rule], lambda text: result.documents, result.tables, usable)) == shown(
        run_rules([rule], result.views(), result.tables, usable)), f"{code} reads text it does not declare"


@pytest.mark.parametrize(("code", "n"), FAILING, ids=[f"{c}-{n}" for c, n in FAILING])
def test_failing_fixture_triggers_exactly_its_own_code(code, n):
    case = failing(code, n)
    result = checked(case["edits"])
    same_with_the_text(code, result)
    found = result.findings
    assert found, f"{code}: nothing found for: {case['why']}"
    assert {f.code for f in found} == {code}, shown(found)
    assert all(f.severity is Severity.ERROR for f in found)
    first, expect = found[0], case["expect"]
    assert first.location.file == expect["file"]
    if "path" in expect:
        assert first.data_path == expect["path"]
        assert first.location.line > 0 and first.location.column > 0
    else:
        assert (first.location.line, first.location.field) == (expect["row"], expect["column"])
    assert first.hint


@pytest.mark.parametrize(("code", "n"), FAILING, ids=[f"{c}-{n}" for c, n in FAILING])
def test_every_fix_offered_resolves_its_finding_and_makes_no_other(code, n):
    """Each fix a finding offers, written into the fixture's files, removes that finding and
    adds no other error."""
    edits = failing(code, n)["edits"]
    before = checked(edits).findings
    for finding in (f for f in before if f.fix is not None):
        texts = edited(edits)
        rel = rel_of(finding.fix.location.file)
        texts[rel] = apply_fix(texts[rel], finding.fix)
        after = check_project(Project.open(ROOT), tables=False, texts=texts).findings
        key = (finding.code, finding.location)
        assert key not in {(f.code, f.location) for f in after}, f"{finding.fix} left: {finding.message}"
        new = {(f.code, str(f.location)) for f in after if f.severity is Severity.ERROR} - {
            (f.code, str(f.location)) for f in before}
        assert not new, f"{finding.fix} made new errors: {new}"


def test_fixes_are_offered_where_one_value_is_the_fix():
    offered = [f for code, n in FAILING for f in checked(failing(code, n)["edits"]).findings if f.fix is not None]
    assert len(offered) >= 12
    assert all(f.fix.text in f.hint for f in offered), [(f.hint, f.fix.text) for f in offered
                                                        if f.fix.text not in f.hint]


@pytest.mark.parametrize("code", CODES)
def test_passing_fixture_triggers_nothing(code):
    result = checked(fixture(code)["pass"]["edits"])
    same_with_the_text(code, result)
    assert shown(result.findings) == []


def test_rules_skip_files_that_failed_their_schema():
    # A wrong type in tiers.yaml is a schema error; the tier rules must not run on it.
    result = checked([{"file": "tiers.yaml", "find": "      capability_points: 90",
                       "replace": "      capability_points: lots"}])
    assert [f.code for f in result.findings if f.severity is Severity.ERROR] == ["wrong-type"]


@pytest.mark.parametrize("rule", RULES, ids=CODES)
def test_a_rule_reads_only_the_files_it_declares(rule):
    """Run alone over the sample, given only its declared files, a rule finds nothing and
    never reaches for another file (which would be an internal error)."""
    result = checked()
    usable = set(result.documents) | set(result.tables)
    assert shown(run_rules([rule], result.views(), result.tables, usable)) == []


def test_a_rule_that_fails_inside_portal_is_an_internal_error_and_hides_nothing():
    def reaches_too_far(ctx: RuleContext) -> Iterator[Finding]:
        yield from ()
        ctx.data("assessment.yaml")  # not declared

    broken = Rule("tier-order", ("tiers.yaml",), reaches_too_far)
    result = checked([{"file": "tiers.yaml", "find": "      capability_points: 90",
                       "replace": "      capability_points: 70"}])
    usable = set(result.documents) | set(result.tables)
    found = run_rules([broken, *RULES], result.views(), result.tables, usable)
    codes = [f.code for f in found]
    assert "internal-error" in codes and "tier-order" in codes
    failure = found[codes.index("internal-error")]
    assert failure.layer is Layer.RULES and "KeyError" in failure.message and failure.location.file.endswith(
        "tiers.yaml")


GOLD_WITH_ONE_CSM = {"file": "partners/roster.csv", "find": "\natlas-consulting-ltd,",
                     "replace": "\nnew-gold-partner,New Gold Partner,na,gold,cs-manager,customer-success,1,1,0,1,"
                                "https://new.example\natlas-consulting-ltd,"}


def test_the_roster_rule_keeps_a_gold_partner_with_one_csm_at_gold_while_the_grace_period_runs():
    """As the Gold page, What's new and the tier check say: listed Gold partners with one
    customer success manager meet Gold until the grace period ends (31 July 2027)."""
    assert shown(checked([GOLD_WITH_ONE_CSM]).findings) == []
    ended = {"file": "tiers.yaml", "find": "        until: 2027-07-31\n", "replace": "        until: 2027-01-31\n"}
    found = checked([GOLD_WITH_ONE_CSM, ended]).findings
    assert [(f.code, f.severity.value) for f in found] == [("roster-tier", "error"), ("grace-period-ended", "warning")]
    assert "New Gold Partner is listed as Gold with 1 × customer-success-manager; Gold needs 2" in found[0].message
