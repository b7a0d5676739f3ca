"""The usage report check (model/usage.py): which rows cannot be right, the renewal risk,
the signals and plays, the report per customer; and `portal check` on usage reports."""

from __future__ import annotations

import pytest

from partner_portal.check.run import check_project
from partner_portal.core.project import Project
from partner_portal.model.usage import UsageSpec, by_customer, check_row, check_rows

from .conftest import ROOT
from .programs import sample_program, sample_texts
from .usage_cases import HEADER, TYPE_CODES, as_csv, case

PROGRAM = sample_program()


@pytest.fixture(scope="module")
def spec() -> UsageSpec:
    return UsageSpec.of(PROGRAM.usage_report, PROGRAM.plays)


def row(**values: str) -> dict[str, str]:
    base = {"report_month": "2027-01", "customer_id": "C-1", "customer": "Acme", "licence_type": "Workspace Goals",
            "licensed_users": "85", "assigned_users": "80", "active_users": "72", "delta": "13",
            "renewal_risk": "low", "contract_start": "2025-04-01", "contract_end": "2027-03-31", "tenant": "acme",
            "data_center": "na-east", "downtime_hours": "0", "incidents_sev1": "0", "incidents_sev2": "0",
            "incidents_sev3": "0"}
    return base | values


def codes(spec: UsageSpec, **values: str) -> list[tuple[str, str]]:
    return [(p.column, p.code) for p in check_row(spec, 0, row(**values)).problems]


def test_a_row_that_can_be_right_has_no_problem(spec):
    result = check_row(spec, 0, row())
    assert result.problems == []
    assert (result.licensed, result.active, result.delta, result.risk) == (85, 72, 13, "low")


@pytest.mark.parametrize(("values", "expected"), [
    ({"licensed_users": "", "delta": "-9"}, [("licensed_users", "missing-licences")]),
    ({"active_users": ""}, [("active_users", "missing-active")]),
    ({"active_users": "90", "assigned_users": "95", "delta": "-5"}, [("active_users", "more-active-than-licensed")]),
    ({"assigned_users": "70"}, [("active_users", "more-active-than-assigned")]),
    ({"delta": "85"}, [("delta", "delta-wrong")]),
    ({"contract_start": "2028-01-01"}, [("contract_end", "contract-dates")]),
    ({"renewal_risk": "high"}, [("renewal_risk", "risk-disagrees")]),
    ({"licensed_users": "eighty"}, [("licensed_users", "not-a-count")]),
    ({"contract_end": "2027-02-30"}, [("contract_end", "not-a-date")]),
    ({"report_month": "2027-1"}, [("report_month", "not-a-month")]),
    ({"renewal_risk": "High"}, [("renewal_risk", "unknown-risk")]),
    ({"customer_id": " "}, [("customer_id", "missing-value")]),
    ({"licensed_users": "20000000"}, [("licensed_users", "not-a-count")]),
    ({"contract_end": "2026-12-31"}, [("contract_end", "contract-ended")]),
    ({"downtime_hours": "2,5"}, [("downtime_hours", "not-a-number")]),
])
def test_each_problem_is_found_once_at_its_column(spec, values, expected):
    assert codes(spec, **values) == expected


def test_every_problem_has_a_phrase_for_the_guide():
    from partner_portal.model.usage import PROBLEMS, WHAT, checks_in_words

    assert set(WHAT) == set(PROBLEMS)
    assert "the contract ended before the report month" in checks_in_words()


def test_problems_say_what_to_change(spec):
    problem = check_row(spec, 0, row(delta="3000", licensed_users="3000", assigned_users="3000",
                                     active_users="2954", renewal_risk="low")).problems[0]
    assert problem.message == "the delta is 3000, but 3000 licensed − 2954 active is 46"
    assert problem.hint == "Write 46: the delta is licensed users minus active users."


@pytest.mark.parametrize(("active", "risk"), [("0", "high"), ("33", "high"), ("34", "medium"), ("50", "medium"),
                                               ("51", "low"), ("85", "low")])
def test_risk_follows_the_active_share_and_the_adoption_target(spec, active, risk):
    # 85 licensed: 34 active is 40% (medium), 51 is 60%: the adoption target (low).
    assert check_row(spec, 0, row(active_users=active, assigned_users="85", renewal_risk="")).risk == risk


def test_signals_start_the_plays_that_name_them(spec):
    result = check_row(spec, 0, row(active_users="10", delta="75", renewal_risk="high", incidents_sev1="1"))
    assert result.signals == ["under-used", "service-incident", "renewal-at-risk"]
    assert result.plays == ["under-used-licences", "critical-incident-recovery", "renewal-risk"]
    far = check_row(spec, 0, row(active_users="10", delta="75", renewal_risk="high", contract_end="2028-03-31"))
    assert "renewal-at-risk" not in far.signals
    full = check_row(spec, 0, row(active_users="81", assigned_users="85", delta="4"))
    assert full.signals == ["near-contract-limit"] and full.plays == ["over-use-upsell"]


def test_a_row_that_cannot_be_right_starts_no_play_and_is_left_out_of_the_sums(spec):
    over = check_row(spec, 0, row(licensed_users="85", assigned_users="95", active_users="90", delta="-5"))
    assert [p.code for p in over.problems] == ["more-active-than-licensed"]
    assert over.signals == [] and over.plays == []  # not the upsell play: the counts are not to be acted on
    summary, = by_customer(spec, [over, check_row(spec, 1, row(licence_type="Workspace Reviews"))])
    assert (summary.licence_types, summary.licensed, summary.active, summary.flagged) == (2, 85, 72, 1)


def test_signal_conditions_are_worded_from_their_values(spec):
    from partner_portal.model.usage import describe

    words = [describe(s.when, spec) for s in spec.signals]
    assert words == ["High or medium renewal risk", "Active users at 95% of licensed users or more",
                     "A severity 1 incident or unplanned downtime in the month",
                     "High renewal risk and the contract ends within 365 days of the report month"]


def test_the_report_per_customer_sums_known_counts_and_keeps_the_highest_risk(spec):
    results = check_rows(spec, [row(), row(licence_type="Workspace Reviews", active_users="0", delta="85",
                                           renewal_risk="high"), row(customer_id="C-2", customer="Beta",
                                                                     licensed_users="")])
    first, second = by_customer(spec, results)
    assert (first.licence_types, first.licensed, first.active, first.delta, first.risk) == (2, 170, 72, 98, "high")
    assert first.flagged == 0 and second.flagged == 1 and second.share is None


def test_typed_and_text_rows_read_the_same(spec):
    rows = case(7, 40)
    frame_like = [{k: (int(v) if k in {"licensed_users", "active_users"} and v.isdigit() else v) for k, v in r.items()}
                  for r in rows]
    assert [(r.risk, r.plays, [(p.column, p.code) for p in r.problems]) for r in check_rows(spec, rows)] == [
        (r.risk, r.plays, [(p.column, p.code) for p in r.problems]) for r in check_rows(spec, frame_like)]


def _places(findings, rel="program_data/usage/sample.csv"):
    return sorted({(f.location.line, f.location.field) for f in findings if f.location.file == rel})


@pytest.mark.parametrize("seed", range(6))
def test_portal_check_finds_what_the_usage_check_finds(spec, seed):
    rows = case(seed, 30, typed=seed % 2 == 1)
    texts = dict(sample_texts()) | {"usage/sample.csv": as_csv(rows)}
    found = check_project(Project.open(ROOT), tables=False, texts=texts).findings
    problems = [(i + 2, p) for i, r in enumerate(check_rows(spec, rows)) for p in r.problems]
    # A value of the wrong type is the table schema's finding, and the rules wait until the
    # table reads (untyped cases hold no such value, only dates such as Feb 30 that only the
    # usage check can tell are not dates).
    typed = {(line, p.column) for line, p in problems if p.code in TYPE_CODES} if seed % 2 == 1 else set()
    expected = sorted(typed) if typed else sorted({(line, p.column) for line, p in problems})
    assert _places(found) == expected
    assert problems, "every generated case has problems"


def test_the_guide_the_table_schema_and_the_sample_have_the_same_columns():
    import json

    schema = json.loads((ROOT / "schemas/tables/usage_report.schema.json").read_text(encoding="utf-8"))
    assert HEADER == [c["column"] for c in PROGRAM.usage_report["columns"]] == list(schema["properties"])
    assert (ROOT / "program_data/usage/sample.csv").read_text(encoding="utf-8").splitlines()[0] == ",".join(HEADER)
