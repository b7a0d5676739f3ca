"""Program rules (checks/rules/*.yaml): each of the sample's rules catches a realistic
mistake at the value that breaks it, with the compared value second and a fix that works;
a rule that selects nothing, or cannot be read, is itself a finding."""

from __future__ import annotations

import pytest

from partner_portal.check.run import check_project
from partner_portal.core.findings import Finding, Severity
from partner_portal.core.paths import PatternError, parse, walk
from partner_portal.core.project import Project
from partner_portal.load.edits import apply_fix

from .conftest import ROOT
from .programs import checked, edited

POLICIES = "../checks/rules/policies.yaml"


def shown(findings: list[Finding]) -> list[str]:
    return [f"{f.location}: {f.code} {f.message}" for f in findings]


CAUGHT = {
    "every-tier-has-a-csm": (
        [{"file": "tiers.yaml",
          "find": "      staffing:\n        - role: customer-success-manager\n          count: 1\n"
                  "        - role: executive-sponsor\n          count: 1\n      specializations: []",
          "replace": "      staffing:\n        - role: executive-sponsor\n          count: 1\n"
                     "      specializations: []"}],
        "program_data/tiers.yaml", "tiers[0].requirements", None),
    "platinum-adopt-rate-not-below-gold": (
        [{"file": "incentives/adopt_rates.csv", "find": "platinum,emea,4.0", "replace": "platinum,emea,2.5"}],
        "program_data/incentives/adopt_rates.csv", None, ("program_data/incentives/adopt_rates.csv", 4)),
    "rates-within-policy": (
        [{"file": "incentives/expand_rates.csv", "find": "platinum,apac,5.5", "replace": "platinum,apac,6.5"}],
        "program_data/incentives/expand_rates.csv", None, ("checks/rules/policies.yaml", 0)),
    "renewal-plays-owned-by-renewal-roles": (
        [{"file": "playbooks.yaml", "find": "    owner: renewals-manager\n    trigger:\n      signal: The usage report",
          "replace": "    owner: account-executive\n    trigger:\n      signal: The usage report"}],
        "program_data/playbooks.yaml", "plays[8].owner", ("checks/rules/policies.yaml", 0)),
    "platinum-onboards-within-the-journey": (
        [{"file": "tiers.yaml", "find": "        - kpi: time-to-onboard\n          value: 30",
          "replace": "        - kpi: time-to-onboard\n          value: 21"}],
        "program_data/tiers.yaml", "tiers[2].requirements.kpis[4].value",
        ("program_data/journeys/customer-onboarding.yaml", 0)),
}


def test_the_sample_keeps_its_own_rules():
    assert shown(checked().findings) == []


@pytest.mark.parametrize("rule_id", CAUGHT)
def test_each_sample_rule_catches_its_mistake_at_the_value_with_the_compared_value_second(rule_id):
    edits, file, path, related = CAUGHT[rule_id]
    found = checked(edits).findings
    mine = [f for f in found if f.code == "program-rule"]
    assert len(mine) == 1, shown(found)
    finding = mine[0]
    assert f"(rule {rule_id})" in finding.message
    assert finding.location.file == file and finding.location.line > 0 and finding.location.column > 0
    if path:
        assert finding.data_path == path
    if related:
        assert finding.related[0].file == related[0] and finding.related[0].line >= related[1]
    assert finding.hint and "{" not in finding.hint and "{" not in finding.message


@pytest.mark.parametrize("rule_id", [r for r in CAUGHT if r not in ("every-tier-has-a-csm",
                                                                     "renewal-plays-owned-by-renewal-roles")])
def test_the_fix_a_program_rule_offers_resolves_it(rule_id):
    edits = CAUGHT[rule_id][0]
    [finding] = [f for f in checked(edits).findings if f.code == "program-rule"]
    assert finding.fix is not None and finding.fix.text in finding.hint
    texts = edited(edits)
    rel = finding.fix.location.file.removeprefix("program_data/")
    texts[rel] = apply_fix(texts[rel], finding.fix)
    after = check_project(Project.open(ROOT), tables=False, texts=texts)
    assert shown(after.findings) == []


def test_the_messages_read_as_written():
    [finding] = [f for f in checked(CAUGHT["platinum-adopt-rate-not-below-gold"][0]).findings]
    assert finding.message == ("The Adopt rate for platinum emea is 2.5%, below Gold's 3% in the same region "
                               "(rule platinum-adopt-rate-not-below-gold)")
    assert finding.hint == "Write 3 or more."
    assert str(finding.fix) == "write 3 at program_data/incentives/adopt_rates.csv:8:3 (column rate_percent)"


def rules_edit(find: str, replace: str) -> dict[str, str]:
    return {"file": POLICIES, "find": find, "replace": replace}


def test_a_rule_that_selects_nothing_is_a_finding_at_its_selector():
    found = checked([rules_edit("tiers[id=platinum].requirements.kpis[kpi=time-to-onboard]",
                                "tiers[id=platinium].requirements.kpis[kpi=time-to-onboard]")]).findings
    assert [(f.code, f.location.file, f.data_path) for f in found] == [
        ("program-rule-selects-nothing", "checks/rules/policies.yaml", "rules[4].select")]


def test_a_warning_rule_is_reported_and_does_not_fail():
    result = checked([*CAUGHT["rates-within-policy"][0],
                      rules_edit("    within: {min: 0.5, max: 6}\n", "    within: {min: 0.5, max: 6}\n"
                                 "    severity: warning\n")])
    assert [(f.code, f.severity) for f in result.findings] == [("program-rule", Severity.WARNING)]
    assert result.errors == 0


@pytest.mark.parametrize(("find", "replace", "code", "path"), [
    ("select: incentives/*.csv#rate_percent", "select: incentives/*.csv#rate_percent[tier", "program-rule-invalid",
     "rules[2].select"),
    ("Write {other} or more.", "Write {others} or more.", "program-rule-invalid", "rules[1].hint"),
    ("incentives/adopt_rates.csv#rate_percent[tier=gold][region={region}]",
     "incentives/adopt_rates.csv#rate_percent[tier=gold]", "program-rule-invalid", "rules[1].at_least.select"),
    ("select: playbooks.yaml#plays", "select: plays.yaml#plays", "program-rule-invalid", "rules[3]"),
    ("    exists: staffing[role=customer-success-manager]\n",
     "    exists: staffing[role=customer-success-manager]\n    at_least: 1\n", "unknown-field", "rules[0].at_least"),
    ("    exists: staffing[role=customer-success-manager]\n", "", "missing-field", "rules[0]"),
    ("    hint: Write {other} or more.\n", "", "missing-field", "rules[1].hint"),
])
def test_a_rule_that_cannot_be_used_is_a_finding_where_it_is_written(find, replace, code, path):
    found = checked([rules_edit(find, replace)]).findings
    assert [(f.code, f.location.file) for f in found] == [(code, "checks/rules/policies.yaml")], shown(found)
    assert found[0].data_path == path and found[0].hint


def test_a_rule_reading_a_file_that_failed_its_schema_is_skipped():
    found = checked([{"file": "incentives/adopt_rates.csv", "find": "platinum,emea,4.0",
                      "replace": "platinum,emea,four"}]).findings
    assert {f.code for f in found} == {"wrong-type"}


def test_patterns_pick_items_by_star_index_and_key():
    data = {"tiers": [{"id": "silver", "n": 2}, {"id": "gold", "n": 4.0}]}
    assert [v for _, v in walk(data, "tiers[*].n")] == [2, 4.0]
    assert [p for p, _ in walk(data, "tiers[1].id")] == [("tiers", 1, "id")]
    assert [v for _, v in walk(data, "tiers[n=4].id")] == ["gold"]
    assert list(walk(data, "tiers[5].id")) == []
    for bad in ("", "tiers..id", "tiers[", "tiers[x]", ".tiers", "tiers.", "tiers[=2]"):
        with pytest.raises(PatternError):
            parse(bad)


def test_a_rule_broken_by_many_values_reports_the_first_twenty_and_counts_the_rest():
    found = checked([rules_edit("    within: {min: 0.5, max: 6}\n", "    within: {min: 0.5, max: 1}\n")]).findings
    assert [f.code for f in found] == ["program-rule"] * 21
    rates = sum(1 for rel in ("adopt_rates", "expand_rates", "adoption_rebate_rates", "renewal_rates")
                for line in (ROOT / f"program_data/incentives/{rel}.csv").read_text().splitlines()[1:]
                if float(line.rsplit(",", 1)[1]) > 1)
    [summary] = [f for f in found if f.location.file == "checks/rules/policies.yaml"]
    assert summary.message == f"{rates - 20} more values break the rule 'rates-within-policy'"
    assert all(f.fix is not None and f.fix.text == "1" for f in found if f is not summary)


def test_an_empty_cell_is_no_value_and_text_is_compared_as_written():
    empty_is_nothing = rules_edit(
        "    select: incentives/*.csv#rate_percent\n    within: {min: 0.5, max: 6}\n",
        "    select: incentives/use_rebates.csv#max_active_users\n    within: {min: 100, max: 2000}\n")
    assert shown(checked([empty_is_nothing]).findings) == []  # the open-ended last bands have no maximum
    numbers_as_text = rules_edit("    one_of: [renewals-manager, customer-success-manager]\n",
                                 "    one_of: [renewals-manager, customer-success-manager, 2]\n")
    assert shown(checked([numbers_as_text]).findings) == []
    text_compared_as_number = rules_edit("    one_of: [renewals-manager, customer-success-manager]\n",
                                         "    at_least: 1\n")
    [found] = checked([text_compared_as_number]).findings
    assert (found.code, found.data_path) == ("program-rule-invalid", "rules[3].select")
    assert "compares numbers, but finds 'renewals-manager' at program_data/playbooks.yaml:" in found.message


def test_a_rule_needs_exactly_one_comparison_and_says_so_in_words():
    none = checked([rules_edit("    exists: staffing[role=customer-success-manager]\n", "")]).findings
    assert [(f.message, f.hint) for f in none] == [
        ("one of the fields equal, at_least, at_most, within, one_of, exists is needed",
         "Add one of them: equal, at_least, at_most, within, one_of, exists.")]
    two = checked([rules_edit("    exists: staffing[role=customer-success-manager]\n",
                              "    exists: staffing[role=customer-success-manager]\n    at_least: 1\n")]).findings
    assert [(f.message, f.hint, f.location.line) for f in two] == [
        ("'at_least' cannot be given with 'exists'", "Keep one of them: 'exists' or 'at_least'.", 9)]
