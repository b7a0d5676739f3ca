"""The usage report check in the browser: usage-report.js gives the same answers as
partner_portal.model.usage (which `portal check` applies) on generated reports, reads CSV
as the Python reader numbers its rows, and the page shows each customer, flags each row
that cannot be right at its row and column, and keeps data as text."""

from __future__ import annotations

import json

import pytest

from partner_portal.load.csv_file import load_csv
from partner_portal.model.usage import UsageSpec, by_customer, check_rows

from ..programs import sample_program
from ..usage_cases import as_csv, case
from .conftest import screenshot

PROGRAM = sample_program()
SPEC = UsageSpec.of(PROGRAM.usage_report, PROGRAM.plays)
CASES = [case(seed, 40, typed=seed % 2 == 1) for seed in range(24)]


def open_usage(tabs, site_url, scheme="light"):
    page = tabs.open(color_scheme=scheme)
    page.goto(site_url + "tools/usage-report/", wait_until="networkidle")
    page.wait_for_selector("[data-portal-tool='usage-report'][data-ready='true']", timeout=10_000)
    return page


def python_answers(rows):
    results = check_rows(SPEC, rows)
    return {"rows": [{"risk": r.risk, "share": None if r.share is None else round(r.share, 9), "delta": r.delta,
                      "signals": r.signals, "plays": r.plays,
                      "problems": [[p.column, p.code, p.message, p.hint] for p in r.problems]} for r in results],
            "customers": [[c.customer_id, c.licence_types, c.licensed, c.active, c.delta, c.risk, c.plays, c.flagged]
                          for c in by_customer(SPEC, results)]}


BROWSER_ANSWERS = """async (cases) => {
  const spec = (await (await fetch(document.querySelector('[data-portal-tool]').dataset.tools)).json()).usage;
  return cases.map((rows) => {
    const results = UsageReport.checkRows(spec, rows);
    return {
      rows: results.map((r) => ({risk: r.risk, share: r.share === null ? null : Math.round(r.share * 1e9) / 1e9,
        delta: r.delta, signals: r.signals, plays: r.plays,
        problems: r.problems.map((p) => [p.column, p.code, p.message, p.hint])})),
      customers: UsageReport.byCustomer(spec, results).map((c) => [c.customer_id, c.licence_types, c.licensed,
        c.active, c.delta, c.risk, c.plays, c.flagged]),
    };
  });
}"""


def test_the_browser_and_python_give_identical_answers_on_generated_reports(tabs, site_url):
    page = open_usage(tabs, site_url)
    answers = page.evaluate(BROWSER_ANSWERS, CASES)
    problems = 0
    for n, (rows, browser) in enumerate(zip(CASES, answers, strict=True)):
        assert browser == python_answers(rows), f"case {n}"
        problems += sum(len(r["problems"]) for r in browser["rows"])
    codes = {p[1] for answer in answers for r in answer["rows"] for p in r["problems"]}
    # The cases reach every kind of problem and every signal.
    assert codes == {"missing-value", "not-a-count", "not-a-number", "not-a-date", "not-a-month", "unknown-risk",
                     "missing-licences", "missing-active", "more-active-than-licensed", "more-active-than-assigned",
                     "delta-wrong", "contract-dates", "risk-disagrees"}, codes
    signals = {s for answer in answers for r in answer["rows"] for s in r["signals"]}
    assert signals == {s["id"] for s in PROGRAM.usage_report["signals"]}
    assert problems > 100
    assert tabs.console_errors == []


def test_rows_are_numbered_as_the_python_reader_numbers_them(tabs, site_url):
    text = as_csv(CASES[0][:3]).replace("Customer 1000,", '"Customer\n1000, Ltd",', 1) + "\n\n" + as_csv(
        CASES[0][3:5]).split("\n", 1)[1]
    page = open_usage(tabs, site_url)
    browser = page.evaluate("(text) => UsageReport.parseCsv(text).rows.map((r) => [r.line, r.values.customer])", text)
    table = load_csv(text, "report.csv").table
    assert [line for line, _ in browser] == [int(n) for n in table.row_numbers]
    assert [name for _, name in browser] == list(table.frame["customer"])


def test_a_partner_report_with_rows_that_cannot_be_right(tabs, site_url, tmp_path):
    rows = case(3, 12)
    rows[4]["customer"] = "<script>alert(1)</script> {{ partner }}"
    rows[4]["licensed_users"] = ""
    rows[7].update(licensed_users="50", assigned_users="99999", active_users="60", delta="-10", renewal_risk="")
    report = tmp_path / "my-usage.csv"
    report.write_text(as_csv(rows), encoding="utf-8")
    page = open_usage(tabs, site_url)
    page.set_input_files("#usage-file", str(report))
    page.wait_for_selector("[data-portal-tool='usage-report'][data-checked='true']")
    flagged = page.locator("tr[data-code]")
    places = {(int(flagged.nth(i).get_attribute("data-row")), flagged.nth(i).get_attribute("data-column"),
               flagged.nth(i).get_attribute("data-code")) for i in range(flagged.count())}
    assert (6, "licensed_users", "missing-licences") in places
    assert (9, "active_users", "more-active-than-licensed") in places
    expected = {(r.index + 2, p.column, p.code) for r in check_rows(SPEC, rows) for p in r.problems}
    assert places == expected
    row = page.locator("tr[data-row='6']").first
    assert "<script>alert(1)</script> {{ partner }}" in row.inner_text()
    assert page.locator("tbody script").count() == 0
    screenshot(page, "tool-usage-report-flagged")
    page.check("#usage-flagged")
    shown = page.locator("[data-customers] tbody tr")
    assert shown.count() == sum(1 for c in by_customer(SPEC, check_rows(SPEC, rows)) if c.flagged)
    assert tabs.console_errors == []


@pytest.mark.parametrize(("content", "said"), [
    (b"report_month;customer_id;customer\n2027-01;C-1;Acme\n", "Its columns are not separated by commas"),
    (as_csv(CASES[0][:1]).splitlines()[0].encode() + b"\n", "has the report's columns but no rows"),
    (as_csv(CASES[0][:2]).replace("Customer 1000", "Soci\u00e9t\u00e9 G\u00e9n\u00e9rale").encode("latin-1"),
     "is not saved as UTF-8 text"),
])
def test_files_the_tool_cannot_read_are_refused_in_words(tabs, site_url, tmp_path, content, said):
    report = tmp_path / "report.csv"
    report.write_bytes(content)
    page = open_usage(tabs, site_url)
    page.set_input_files("#usage-file", str(report))
    page.wait_for_selector("[data-portal-tool='usage-report'][data-checked='true']")
    assert said in page.locator("[data-status]").inner_text()
    assert page.locator("[data-customers] table").count() == 0


def test_a_repeated_row_is_flagged_and_counted_once(tabs, site_url, tmp_path):
    rows = [dict(r) for r in case(11, 4)]
    for r in rows:
        r.update(licensed_users="100", assigned_users="100", active_users="70", delta="30", renewal_risk="",
                 contract_end="2029-01-31")
    rows.append(dict(rows[0]))
    report = tmp_path / "twice.csv"
    report.write_text(as_csv(rows), encoding="utf-8")
    page = open_usage(tabs, site_url)
    page.set_input_files("#usage-file", str(report))
    page.wait_for_selector("[data-portal-tool='usage-report'][data-checked='true']")
    flagged = page.locator("tr[data-code='duplicate-row']")
    assert flagged.count() == 1 and flagged.get_attribute("data-row") == "6"
    first = page.locator("[data-customers] tbody tr").first
    assert "300" in first.inner_text() and "400" not in first.inner_text()  # three licence types, not four


def test_a_file_that_is_not_a_usage_report_is_refused_in_words(tabs, site_url, tmp_path):
    other = tmp_path / "roster.csv"
    other.write_text("id,name\nacme,Acme\n", encoding="utf-8")
    page = open_usage(tabs, site_url)
    page.set_input_files("#usage-file", str(other))
    page.wait_for_selector("[data-portal-tool='usage-report'][data-checked='true']")
    status = page.locator("[data-status]").inner_text()
    assert status.startswith("roster.csv is not a usage report: it has no report_month, customer_id")
    assert page.locator("[data-customers] table").count() == 0


@pytest.mark.parametrize("play", sorted({p for s in SPEC.plays.values() for p, _ in s}))
def test_every_play_a_signal_starts_is_linked_from_the_tool(tabs, site_url, play):
    page = open_usage(tabs, site_url)
    link = page.locator(f"a[data-play='{play}']")
    assert link.count() == 1 and "#play-" + play in link.get_attribute("href")


def test_the_tool_reads_the_exported_spec(tabs, site_url):
    page = open_usage(tabs, site_url)
    spec = page.evaluate("async () => (await (await fetch(document.querySelector('[data-portal-tool]')"
                         ".dataset.tools)).json()).usage")
    assert spec == json.loads(json.dumps(SPEC.as_data()))
