"""The monthly usage report: how each row is read, which rows cannot be right, a licence
type's renewal risk, the signals that start plays, and the report per customer.

This is the one home of those questions. `portal check` applies `check_rows` to the
usage reports under program_data/ (the `usage-row` rule), and the usage report tool in
the browser runs `usage-report.js`, which mirrors this module over the same exported
`UsageSpec` and the same problem words (`PROBLEMS`); the browser tests hold the two to
identical results on generated reports.

Rows come either as text (as a CSV holds them) or typed by the table schema (numbers,
empty cells as missing); both read the same.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .cells import INVALID, month_end, read_date, read_integer, read_number, text_of
from .program import Item, Program

MAX_COUNT = 10_000_000  # users of one licence type at one customer; more is a mistaken export
COUNTS = ("licensed_users", "assigned_users", "active_users", "incidents_sev1", "incidents_sev2", "incidents_sev3")
REQUIRED = ("report_month", "customer_id", "customer", "licence_type", "contract_start", "contract_end")
DATES = ("contract_start", "contract_end")

# Every problem a row can have: its words (with {placeholders}) and what to change. The
# browser tool shows the same words, exported with the spec.
PROBLEMS: dict[str, tuple[str, str]] = {
    "missing-value": ("{column_name} is empty", "Fill in {column_name}."),
    "not-a-count": ("{column_name} is '{value}', not a whole number from 0 to 10,000,000",
                    "Write a whole number such as 120, without separators."),
    "not-a-number": ("{column_name} is '{value}', not a number", "Write a number such as {example}, with a dot "
                     "for decimals and no separators."),
    "not-a-date": ("{column_name} is '{value}', not a date", "Write the date as YYYY-MM-DD, such as 2027-03-31."),
    "not-a-month": ("{column_name} is '{value}', not a month", "Write the month as YYYY-MM, such as 2027-01."),
    "unknown-risk": ("{column_name} is '{value}', not a risk level", "Write one of {levels}, or leave it empty."),
    "missing-licences": ("no licensed user count for {licence_type}",
                         "Fill in the number of users the contract pays for; without it neither the delta nor "
                         "the risk can be worked out."),
    "missing-active": ("no active user count for {licence_type}",
                       "Fill in the number of active users; write 0 if nobody used it this month."),
    "more-active-than-licensed": ("{active} active users but only {licensed} licensed",
                                  "Check both counts: active users are counted among the licensed users."),
    "more-active-than-assigned": ("{active} active users but only {assigned} assigned",
                                  "Check both counts: only users with an assigned licence can be active."),
    "delta-wrong": ("the delta is {delta}, but {licensed} licensed − {active} active is {expected}",
                    "Write {expected}: the delta is licensed users minus active users."),
    "contract-dates": ("the contract ends on {end}, before it starts on {start}",
                       "Check both dates: the contract end is the renewal date, after the start."),
    "contract-ended": ("the contract ended on {end}, before the report month",
                       "A report lists current contracts: check the end date, or leave out a customer that did not "
                       "renew."),
    "risk-disagrees": ("the report rates the renewal risk {stated}, but an active share of {share} is {risk} risk",
                       "Write {risk_level}, or check the user counts."),
}

# What each problem means in a phrase, for the guide's summary of the checks (every code of
# PROBLEMS has one; codes that share a phrase are listed once).
WHAT = {code: "a value is not of its column's kind (a count, a date, a risk level)" for code in (
    "missing-value", "not-a-count", "not-a-number", "not-a-date", "not-a-month", "unknown-risk")} | {
    "missing-licences": "a licensed or active user count is missing",
    "missing-active": "a licensed or active user count is missing",
    "more-active-than-licensed": "more users are active than are licensed or assigned",
    "more-active-than-assigned": "more users are active than are licensed or assigned",
    "delta-wrong": "the delta is not licensed minus active users",
    "contract-dates": "the contract ends before it starts",
    "contract-ended": "the contract ended before the report month",
    "risk-disagrees": "the stated risk is not the one the active share gives",
}


def checks_in_words() -> list[str]:
    """The row checks as the guide lists them, in the order of PROBLEMS."""
    return list(dict.fromkeys(WHAT[code] for code in PROBLEMS))


@dataclass(frozen=True)
class Level:
    level: str
    name: str
    below: float | None  # the level applies below this active share (%), None for the last


@dataclass(frozen=True)
class Signal:
    id: str
    name: str
    when: Mapping[str, Any]


@dataclass(frozen=True)
class UsageSpec:
    """What the usage report check needs from the program: the columns' names, the risk
    levels, the signals, and the plays each signal starts."""

    columns: Mapping[str, str]  # column -> name, in order
    levels: tuple[Level, ...]
    signals: tuple[Signal, ...]
    plays: Mapping[str, tuple[tuple[str, str], ...]]  # signal id -> (play id, play name), in play order

    @classmethod
    def of(cls, report: Item, plays: Iterable[Item] = ()) -> UsageSpec:
        by_signal: dict[str, list[tuple[str, str]]] = {}
        for play in plays:
            signal = play.get("trigger", {}).get("usage_signal")
            if signal:
                by_signal.setdefault(signal, []).append((play["id"], play["name"]))
        return cls({c["column"]: c["name"] for c in report["columns"]},
                   tuple(Level(lv["level"], lv["name"], lv.get("below")) for lv in report["risk"]["levels"]),
                   tuple(Signal(s["id"], s["name"], s["when"]) for s in report["signals"]),
                   {k: tuple(v) for k, v in by_signal.items()})

    def as_data(self) -> dict[str, Any]:
        """The spec as JSON for the browser tool, with the problem words."""
        return {"columns": dict(self.columns),
                "levels": [{"level": lv.level, "name": lv.name, "below": lv.below} for lv in self.levels],
                "signals": [{"id": s.id, "name": s.name, "when": dict(s.when)} for s in self.signals],
                "plays": {k: [{"id": i, "name": n} for i, n in v] for k, v in self.plays.items()},
                "problems": {code: {"message": m, "hint": h} for code, (m, h) in PROBLEMS.items()},
                "counts": list(COUNTS), "required": list(REQUIRED), "dates": list(DATES), "max_count": MAX_COUNT,
                "conditions": {s.id: describe(s.when, self) for s in self.signals}}

    def level_name(self, level: str) -> str:
        return next((lv.name for lv in self.levels if lv.level == level), level)

    def risk(self, share: float | None) -> str | None:
        """The risk level of an active share (%), or None when there is no share."""
        if share is None:
            return None
        for level in self.levels:
            if level.below is None or share < level.below:
                return level.level
        return self.levels[-1].level

    def severity(self, level: str | None) -> int:
        """How high a risk level is: 0 for the highest; levels are listed highest first."""
        order = [lv.level for lv in self.levels]
        return order.index(level) if level in order else len(order)


@dataclass(frozen=True)
class Problem:
    column: str
    code: str
    message: str
    hint: str
    fix: Any = None  # the value to write in the cell, where one value is the fix


@dataclass
class RowResult:
    """One row as the check reads it."""

    index: int  # 0-based position among the data rows
    customer_id: str
    customer: str
    licence_type: str
    licensed: int | None
    active: int | None
    delta: int | None  # licensed - active, when both are known
    share: float | None  # active / licensed, %
    risk: str | None
    signals: list[str] = field(default_factory=list)
    plays: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def format_share(share: float) -> str:
    """An active share as the tool and the findings write it: 57.5%, 0%."""
    rounded = math.floor(share * 10 + 0.5) / 10
    return (f"{rounded:.0f}" if rounded.is_integer() else f"{rounded:.1f}") + "%"


def describe(when: Mapping[str, Any], spec: UsageSpec) -> str:
    """A signal's conditions in words, made from its values: 'high or medium renewal risk'."""
    parts = []
    for condition, wanted in when.items():
        if condition == "risk":
            names = [spec.level_name(level).lower() for level in wanted]
            parts.append((" or ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " or " + names[-1])
                         + " renewal risk")
        elif condition == "active_share_at_least":
            parts.append(f"active users at {wanted:g}% of licensed users or more")
        elif condition == "incident":
            parts.append("a severity 1 incident or unplanned downtime in the month")
        elif condition == "renewal_within_days":
            parts.append(f"the contract ends within {wanted} days of the report month")
    text = " and ".join(parts)
    return text[:1].upper() + text[1:]


def check_row(spec: UsageSpec, index: int, row: Mapping[str, Any]) -> RowResult:
    """Read one row: its problems, risk, signals and plays."""
    problems: list[Problem] = []
    words: dict[str, Any] = {"licence_type": text_of(row.get("licence_type")) or "this licence type",
                             "levels": ", ".join(lv.level for lv in spec.levels)}

    def problem(column: str, code: str, fix: Any = None, **extra: Any) -> None:
        values = words | {"column_name": spec.columns.get(column, column), "value": text_of(row.get(column))} | extra
        message, hint = PROBLEMS[code]
        problems.append(Problem(column, code, message.format(**values), hint.format(**values), fix))

    for column in REQUIRED:
        if column in spec.columns and not text_of(row.get(column)):
            problem(column, "missing-value")
    counts: dict[str, int | None] = {}
    for column in COUNTS:
        value = read_integer(row.get(column))
        if value is INVALID or (isinstance(value, int) and not 0 <= value <= MAX_COUNT):
            problem(column, "not-a-count")
            counts[column] = None
        else:
            counts[column] = value  # type: ignore[assignment]
    delta = read_integer(row.get("delta"))
    if delta is INVALID:
        problem("delta", "not-a-number", example="13 or -4")
        delta = None
    downtime = read_number(row.get("downtime_hours"))
    if downtime is INVALID or (isinstance(downtime, float) and not 0 <= downtime <= 744):
        problem("downtime_hours", "not-a-number", example="2.5")
        downtime = None
    dates: dict[str, dt.date | None] = {}
    for column in DATES:
        value = read_date(row.get(column))
        if value is INVALID:
            problem(column, "not-a-date")
            value = None
        dates[column] = value  # type: ignore[assignment]
    report_end = month_end(row.get("report_month"))
    if report_end is INVALID:
        problem("report_month", "not-a-month")
        report_end = None
    stated = text_of(row.get("renewal_risk"))
    if stated and stated not in {lv.level for lv in spec.levels}:
        problem("renewal_risk", "unknown-risk")
        stated = ""

    licensed, assigned, active = counts["licensed_users"], counts["assigned_users"], counts["active_users"]
    if licensed is None and text_of(row.get("licensed_users")) == "":
        problem("licensed_users", "missing-licences")
    if active is None and text_of(row.get("active_users")) == "":
        problem("active_users", "missing-active")
    if licensed is not None and active is not None and active > licensed:
        problem("active_users", "more-active-than-licensed", active=active, licensed=licensed)
    if assigned is not None and active is not None and active > assigned:
        problem("active_users", "more-active-than-assigned", active=active, assigned=assigned)
    expected = licensed - active if licensed is not None and active is not None else None
    if expected is not None and delta is not None and delta != expected:
        problem("delta", "delta-wrong", expected, delta=delta, licensed=licensed, active=active, expected=expected)
    start, end = dates["contract_start"], dates["contract_end"]
    if start is not None and end is not None and end < start:
        problem("contract_end", "contract-dates", start=start.isoformat(), end=end.isoformat())
    elif end is not None and isinstance(report_end, dt.date) and end < report_end.replace(day=1):
        problem("contract_end", "contract-ended", end=end.isoformat())
    share = 100 * active / licensed if licensed and active is not None else None
    risk = spec.risk(share)
    if stated and risk is not None and stated != risk and share is not None:
        problem("renewal_risk", "risk-disagrees", risk, stated=stated, share=format_share(share),
                risk=spec.level_name(risk).lower(), risk_level=risk)

    facts = {"risk": risk, "share": share,
             "incident": bool((counts["incidents_sev1"] or 0) > 0 or (downtime or 0) > 0),
             "days": (end - report_end).days if end is not None and isinstance(report_end, dt.date) else None}
    # A row that cannot be right starts no play: its figures are not to be acted on.
    signals = [s.id for s in spec.signals if _holds(s.when, facts)] if not problems else []
    plays = list(dict.fromkeys(play for s in signals for play, _ in spec.plays.get(s, ())))
    names = (text_of(row.get("customer_id")), text_of(row.get("customer")), text_of(row.get("licence_type")))
    return RowResult(index, *names, licensed, active, expected, share, risk, signals, plays, problems)


def _holds(when: Mapping[str, Any], facts: Mapping[str, Any]) -> bool:
    """Whether every condition of a signal holds for a row's facts."""
    for condition, wanted in when.items():
        if condition == "risk" and facts["risk"] not in wanted:
            return False
        if condition == "active_share_at_least" and (facts["share"] is None or facts["share"] < wanted):
            return False
        if condition == "incident" and not facts["incident"]:
            return False
        if condition == "renewal_within_days" and (facts["days"] is None or facts["days"] > wanted):
            return False
    return True


def risk_levels_settled(report: Item, kpis: Iterable[Item]) -> bool:
    """Whether the report's risk levels are in order and the lowest risk starts at the
    adoption KPI's target (what the usage-risk rule checks)."""
    levels = report["risk"]["levels"]
    belows = [lv.get("below") for lv in levels]
    if belows[-1] is not None or any(b is None for b in belows[:-1]) or belows[:-1] != sorted(set(belows[:-1])):
        return False
    target = next((k["target"] for k in kpis if k["id"] == report["adoption_kpi"]), None)
    return target is not None and belows[-2] == target


def usage_spec(program: Program) -> UsageSpec:
    """The program's usage report spec, made once per program (pages, tables and tool data)."""
    return program.memoized("usage-spec", lambda: UsageSpec.of(program.usage_report, program.plays))


def check_rows(spec: UsageSpec, rows: Sequence[Mapping[str, Any]]) -> list[RowResult]:
    return [check_row(spec, i, row) for i, row in enumerate(rows)]


@dataclass
class CustomerSummary:
    customer_id: str
    customer: str
    licence_types: int
    licensed: int
    active: int
    delta: int
    share: float | None
    risk: str | None
    plays: list[str]
    flagged: int  # rows with a problem


def by_customer(spec: UsageSpec, results: Sequence[RowResult]) -> list[CustomerSummary]:
    """The report per customer, in order of first appearance: users summed over the rows
    that can be right, the highest risk of those licence types, every play that applies;
    rows that cannot be right are counted apart."""
    found: dict[str, CustomerSummary] = {}
    for r in results:
        summary = found.get(r.customer_id)
        if summary is None:
            summary = found[r.customer_id] = CustomerSummary(r.customer_id, r.customer, 0, 0, 0, 0, None, None, [], 0)
        summary.licence_types += 1
        if r.problems:  # its figures cannot be trusted: counted as a row to check, not in the sums
            summary.flagged += 1
            continue
        if r.licensed is not None and r.active is not None:
            summary.licensed += r.licensed
            summary.active += r.active
        if r.risk is not None and spec.severity(r.risk) < spec.severity(summary.risk):
            summary.risk = r.risk
        summary.plays += [p for p in r.plays if p not in summary.plays]
    for summary in found.values():
        summary.delta = summary.licensed - summary.active
        summary.share = 100 * summary.active / summary.licensed if summary.licensed else None
    return list(found.values())
