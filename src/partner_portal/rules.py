"""Consistency rules: contradictions between values that each pass their schema.

Each rule has a stable code, and its docstring is the one-paragraph description shown
to program teams (in the data dictionary and the README). A rule runs only when every
file it reads has passed the schema layer, so it can rely on the data's shape.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from .calc import CalculationError, estimate, table_shape
from .csv_loader import MAX_FINDINGS_PER_KIND as MAX_FINDINGS
from .csv_loader import Table
from .findings import DataPath, Finding, Layer, Location, Severity
from .model import Program, with_builds_on
from .portal_tables import DAYS_PER_UNIT
from .roster import ROSTER, roster_shortfalls
from .yaml_loader import YamlDocument


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    files: tuple[str, ...]  # data files (relative to program_data/) the rule reads
    check: Callable[[RuleContext], Iterator[Finding]]

    @property
    def description(self) -> str:
        return " ".join((inspect.getdoc(self.check) or "").split())


RULES: list[Rule] = []


def rule(code: str, title: str, *files: str) -> Callable[[Callable[[RuleContext], Iterator[Finding]]], Any]:
    def register(check: Callable[[RuleContext], Iterator[Finding]]) -> Callable[[RuleContext], Iterator[Finding]]:
        RULES.append(Rule(code, title, files, check))
        return check

    return register


class RuleContext:
    """What a rule sees: the documents with positions, the typed tables, and a Program
    over the same data for lookups and calculations."""

    def __init__(self, documents: dict[str, YamlDocument], tables: dict[str, Table]) -> None:
        self.documents = documents
        self.tables = tables
        self.program = Program({rel: doc.data for rel, doc in documents.items()},
                               {rel: table.frame for rel, table in tables.items()})
        self.code = ""

    def data(self, rel: str) -> Any:
        return self.documents[rel].data

    def at(self, rel: str, path: DataPath) -> Location:
        return self.documents[rel].location(path)

    def finding(self, rel: str, path: DataPath, message: str, hint: str,
                related: tuple[tuple[str, DataPath], ...] = (), severity: Severity = Severity.ERROR) -> Finding:
        return Finding(self.code, message, self.at(rel, path), Layer.RULES, path=path, hint=hint,
                       related=tuple(self.at(r, p) for r, p in related), severity=severity)

    def row_finding(self, rel: str, index: int, column: str, message: str, hint: str,
                    related_index: int | None = None) -> Finding:
        table = self.tables[rel]
        related = (table.location(related_index, column),) if related_index is not None else ()
        return Finding(self.code, message, table.location(index, column), Layer.RULES, hint=hint, related=related)


def run_rules(documents: dict[str, YamlDocument], tables: dict[str, Table], usable: set[str]) -> list[Finding]:
    """Run every rule whose files are all `usable` (loaded and schema-valid); rules see
    only usable files."""
    context = RuleContext({r: d for r, d in documents.items() if r in usable},
                          {r: t for r, t in tables.items() if r in usable})
    findings: list[Finding] = []
    for each in RULES:
        if not all(f in usable for f in each.files):
            continue
        context.code = each.code
        findings.extend(each.check(context))
    return findings


def _stricter_or_equal(direction: str, value: float, than: float) -> bool:
    return value >= than if direction == "at-least" else value <= than


def _words(direction: str) -> str:
    return "at least" if direction == "at-least" else "at most"


# -- Tiers --------------------------------------------------------------------------------


@rule("tier-order", "Higher tiers never ask less", "tiers.yaml", "kpis.yaml")
def tier_order(ctx: RuleContext) -> Iterator[Finding]:
    """Tiers are compared in rank order, each with the one below it. A higher tier needs at
    least as many capability points, at least as many people in every role, every
    specialization of the tier below (or one that builds on it), and every KPI of the tier
    below at a value at least as demanding in the KPI's direction. Two tiers may not share
    a rank."""
    tiers = ctx.data("tiers.yaml")["tiers"]
    kpis = {k["id"]: k for k in ctx.data("kpis.yaml")["kpis"]}
    specs = ctx.data("tiers.yaml")["specializations"]
    order = sorted(range(len(tiers)), key=lambda i: tiers[i]["rank"])
    for below_index, above_index in zip(order, order[1:], strict=False):
        below, above = tiers[below_index], tiers[above_index]
        here = ("tiers", above_index)
        there = ("tiers", below_index)
        if above["rank"] == below["rank"]:
            yield ctx.finding("tiers.yaml", here + ("rank",), f"{above['name']} and {below['name']} share rank "
                              f"{above['rank']}", "Give every tier its own rank: 1 for the entry tier, then 2, 3...",
                              (("tiers.yaml", there + ("rank",)),))
            continue
        req_above, req_below = above["requirements"], below["requirements"]
        if req_above["capability_points"] < req_below["capability_points"]:
            yield ctx.finding("tiers.yaml", here + ("requirements", "capability_points"),
                              f"{above['name']} asks for {req_above['capability_points']} capability points, fewer "
                              f"than the {req_below['capability_points']} of {below['name']} below it",
                              f"Raise it to at least {req_below['capability_points']}, or lower {below['name']}'s.",
                              (("tiers.yaml", there + ("requirements", "capability_points")),))
        counts = {s["role"]: (i, s["count"]) for i, s in enumerate(req_above["staffing"])}
        for j, staff in enumerate(req_below["staffing"]):
            index, count = counts.get(staff["role"], (None, 0))
            if count < staff["count"]:
                path = here + ("requirements", "staffing") + ((index, "count") if index is not None else ())
                yield ctx.finding("tiers.yaml", path,
                                  f"{above['name']} needs {count} × {staff['role']}, fewer than the "
                                  f"{staff['count']} of {below['name']}",
                                  f"Ask for at least {staff['count']} {staff['role']} in {above['name']}.",
                                  (("tiers.yaml", there + ("requirements", "staffing", j, "count")),))
        held = with_builds_on(specs, set(req_above.get("specializations", [])))
        for j, spec in enumerate(req_below.get("specializations", [])):
            if spec not in held:
                yield ctx.finding("tiers.yaml", here + ("requirements",),
                                  f"{above['name']} does not require the {spec} specialization that {below['name']} "
                                  "requires", f"Require '{spec}' (or a specialization that builds on it).",
                                  (("tiers.yaml", there + ("requirements", "specializations", j)),))
        values = {k["kpi"]: (i, k["value"]) for i, k in enumerate(req_above.get("kpis", []))}
        for j, need in enumerate(req_below.get("kpis", [])):
            kpi = kpis.get(need["kpi"])
            if kpi is None:
                continue
            if need["kpi"] not in values:
                yield ctx.finding("tiers.yaml", here + ("requirements",),
                                  f"{above['name']} drops the {kpi['name']} requirement that {below['name']} has",
                                  f"Add {kpi['name']} to {above['name']} at {_words(kpi['direction'])} "
                                  f"{need['value']}.", (("tiers.yaml", there + ("requirements", "kpis", j)),))
                continue
            index, value = values[need["kpi"]]
            if not _stricter_or_equal(kpi["direction"], value, need["value"]):
                yield ctx.finding("tiers.yaml", here + ("requirements", "kpis", index, "value"),
                                  f"{above['name']} asks for {kpi['name']} of {_words(kpi['direction'])} {value}, "
                                  f"easier than {below['name']}'s {need['value']}",
                                  f"Use a value {_words(kpi['direction'])} {need['value']}.",
                                  (("tiers.yaml", there + ("requirements", "kpis", j, "value")),))


@rule("grace-period", "Grace periods name a raised requirement", "tiers.yaml", "kpis.yaml", "program.yaml")
def grace_period(ctx: RuleContext) -> Iterator[Finding]:
    """A tier's grace period names one of that tier's requirements (`capability_points`,
    `staffing/ROLE`, `kpis/KPI` or `specializations/SPECIALIZATION`) once, gives the
    previous value for a number (a value less demanding than the new one, or the grace
    period would change nothing) and none for a specialization. A grace period that ends
    before the program version takes effect no longer applies (a warning)."""
    kpis = {k["id"]: k for k in ctx.data("kpis.yaml")["kpis"]}
    effective = str(ctx.data("program.yaml")["effective_date"])
    for i, tier in enumerate(ctx.data("tiers.yaml")["tiers"]):
        requirements = tier["requirements"]
        current: dict[str, Any] = {"capability_points": requirements["capability_points"]}
        current |= {f"staffing/{s['role']}": s["count"] for s in requirements["staffing"]}
        current |= {f"kpis/{k['kpi']}": k["value"] for k in requirements.get("kpis", [])}
        current |= {f"specializations/{s}": None for s in requirements.get("specializations", [])}
        seen: set[str] = set()
        for j, period in enumerate(tier.get("grace_periods", [])):
            key, path = period["requirement"], ("tiers", i, "grace_periods", j)
            if key not in current:
                yield ctx.finding("tiers.yaml", path + ("requirement",),
                                  f"{tier['name']} has a grace period for '{key}', which is not one of its "
                                  "requirements", f"Name one of: {', '.join(current)}.")
                continue
            if key in seen:
                yield ctx.finding("tiers.yaml", path + ("requirement",), f"{tier['name']} has two grace periods "
                                  f"for '{key}'", "Keep one grace period per requirement.")
            seen.add(key)
            previous = period.get("previous")
            if key.startswith("specializations/"):
                if previous is not None:
                    yield ctx.finding("tiers.yaml", path + ("previous",), f"the grace period for '{key}' gives a "
                                      "previous value, but a specialization is held or not",
                                      "Remove `previous`: until the date, the specialization is not required.")
            elif previous is None:
                yield ctx.finding("tiers.yaml", path, f"the grace period for '{key}' does not say the previous "
                                  "value partners are held to meanwhile", "Add `previous:` with the value the "
                                  "requirement had before it was raised.")
            else:
                higher_is_stricter = not (key.startswith("kpis/") and
                                          kpis.get(key[5:], {}).get("direction") == "at-most")
                if (previous >= current[key]) if higher_is_stricter else (previous <= current[key]):
                    yield ctx.finding("tiers.yaml", path + ("previous",), f"the grace period for '{key}' holds "
                                      f"partners to {previous}, which is not less demanding than the requirement "
                                      f"({current[key]}), so it changes nothing", "Give the value the requirement "
                                      "had before it was raised, or remove the grace period.")
            if str(period["until"]) <= effective:
                yield ctx.finding("tiers.yaml", path + ("until",), f"the grace period for '{key}' ends on "
                                  f"{period['until']}, before this version takes effect ({effective}), so it no "
                                  "longer applies", "Remove it (the changelog keeps it), or end it later.",
                                  related=(("program.yaml", ("effective_date",)),), severity=Severity.WARNING)


@rule("tier-benefits", "Higher tiers keep the benefits below", "tiers.yaml")
def tier_benefits(ctx: RuleContext) -> Iterator[Finding]:
    """A benefit of a tier is also listed, with the same id, in every tier above it, unless
    the higher tier names it under `removes_benefits` on purpose. A tier can only remove a
    benefit the tier below it has."""
    tiers = ctx.data("tiers.yaml")["tiers"]
    order = sorted(range(len(tiers)), key=lambda i: tiers[i]["rank"])
    for below_index, above_index in zip(order, order[1:], strict=False):
        below, above = tiers[below_index], tiers[above_index]
        kept = {b["id"] for b in above["benefits"]}
        removed = above.get("removes_benefits", [])
        below_ids = [b["id"] for b in below["benefits"]]
        for j, benefit in enumerate(below["benefits"]):
            if benefit["id"] not in kept and benefit["id"] not in removed:
                yield ctx.finding("tiers.yaml", ("tiers", above_index, "benefits"),
                                  f"{above['name']} loses the benefit '{benefit['id']}' of {below['name']}",
                                  f"List '{benefit['id']}' in {above['name']}'s benefits too, or add it to "
                                  "removes_benefits if it is dropped on purpose.",
                                  (("tiers.yaml", ("tiers", below_index, "benefits", j)),))
        for j, benefit_id in enumerate(removed):
            if benefit_id not in below_ids:
                yield ctx.finding("tiers.yaml", ("tiers", above_index, "removes_benefits", j),
                                  f"{above['name']} removes '{benefit_id}', which {below['name']} does not have",
                                  f"Remove it from removes_benefits, or check the id: {', '.join(below_ids)}.")


# -- Points and scoring -------------------------------------------------------------------


@rule("points-total", "Points add up to the maximum", "tiers.yaml")
def points_total(ctx: RuleContext) -> Iterator[Finding]:
    """The maximum points of the capability score's categories add up to the score's
    declared maximum; no tier asks for more points than that maximum; and the minimum per
    category is within every category's maximum."""
    score = ctx.data("tiers.yaml")["capability_score"]
    total = sum(c["max_points"] for c in score["categories"])
    if total != score["maximum"]:
        yield ctx.finding("tiers.yaml", ("capability_score", "maximum"),
                          f"the categories add up to {total} points, not the declared maximum of {score['maximum']}",
                          "Change the maximum or the categories' max_points so they agree.")
    for i, tier in enumerate(ctx.data("tiers.yaml")["tiers"]):
        if tier["requirements"]["capability_points"] > score["maximum"]:
            yield ctx.finding("tiers.yaml", ("tiers", i, "requirements", "capability_points"),
                              f"{tier['name']} asks for {tier['requirements']['capability_points']} points, more "
                              f"than the maximum of {score['maximum']}", "Lower it to the maximum or below.")
    minimum = score.get("min_points_per_category", 0)
    for i, category in enumerate(score["categories"]):
        if minimum > category["max_points"]:
            yield ctx.finding("tiers.yaml", ("capability_score", "categories", i, "max_points"),
                              f"the category {category['name']} is worth at most {category['max_points']} points, "
                              f"below the minimum of {minimum} per category", "Lower min_points_per_category.")


@rule("assessment-scoring", "Assessment totals follow its scoring rule", "assessment.yaml")
def assessment_scoring(ctx: RuleContext) -> Iterator[Finding]:
    """Under the assessment's scoring rule each element is worth its rating times
    `points_per_rating`. Each section's maximum is its number of elements times the top
    rating times `points_per_rating`, and must equal the declared `section_maximum`; the
    sections' maximums add up to the declared `maximum`. Ratings on the scale are whole
    numbers counting up by one."""
    assessment = ctx.data("assessment.yaml")
    scoring = assessment["scoring"]
    ratings = [s["rating"] for s in assessment["scale"]]
    if ratings != list(range(ratings[0], ratings[0] + len(ratings))):
        yield ctx.finding("assessment.yaml", ("scale",), f"the ratings {ratings} do not count up by one",
                          "List the ratings in order, each one more than the last (1, 2, 3, 4, 5).")
        return
    top = max(ratings)
    total = 0
    for i, section in enumerate(assessment["sections"]):
        worth = len(section["elements"]) * top * scoring["points_per_rating"]
        total += worth
        if worth != scoring["section_maximum"]:
            yield ctx.finding("assessment.yaml", ("sections", i, "elements"),
                              f"the section '{section['name']}' is worth {worth} points ({len(section['elements'])} "
                              f"elements × {top} × {scoring['points_per_rating']}), not the section_maximum of "
                              f"{scoring['section_maximum']}",
                              "Add or remove elements, or change section_maximum.",
                              (("assessment.yaml", ("scoring", "section_maximum")),))
    if total != scoring["maximum"]:
        yield ctx.finding("assessment.yaml", ("scoring", "maximum"),
                          f"the sections add up to {total} points, not the declared maximum of {scoring['maximum']}",
                          f"Set maximum to {total}, or change the sections.")


# -- Bands --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Band:
    low: float
    high: float | None  # None: open-ended
    value: float | None  # what the band pays or the level it sets, if any
    where: Callable[[str], Finding]  # makes a finding at this band


def _band_problems(bands: list[_Band], integer: bool, start: float | None, end: float | None,
                   what: str) -> Iterator[tuple[_Band, str, str]]:
    """Gaps, overlaps, missing coverage and bad open ends in bands sorted by their start.
    `integer` bands include both ends (10-19, 20-29); others run from min up to max."""
    step = 1 if integer else 0
    ordered = sorted(bands, key=lambda b: b.low)
    for band in ordered:
        if band.high is not None and band.high < band.low + (0 if integer else 1e-12):
            yield band, f"the {what} band from {band.low:g} ends at {band.high:g}, before it starts", \
                "Swap or correct the band's limits."
    for prev, band in zip(ordered, ordered[1:], strict=False):
        if prev.high is None:
            yield band, f"the {what} band from {band.low:g} follows an open-ended band", \
                "Only the last band may leave its upper limit empty."
        elif band.low > prev.high + step:
            yield band, f"there is a gap between {prev.high:g} and {band.low:g} in the {what} bands", \
                f"Start this band at {prev.high + step:g}, or extend the band before it."
        elif band.low < prev.high + step:
            yield band, f"the {what} band from {band.low:g} overlaps the band before it (up to {prev.high:g})", \
                f"Start this band at {prev.high + step:g}."
    if ordered and start is not None and ordered[0].low != start:
        yield ordered[0], f"the {what} bands start at {ordered[0].low:g}, not at {start:g}", \
            f"Make the first band start at {start:g}."
    if ordered and end is not None and ordered[-1].high != end:
        shown = "open-ended" if ordered[-1].high is None else f"{ordered[-1].high:g}"
        yield ordered[-1], f"the {what} bands end at {shown}, not at {end:g}", f"Make the last band end at {end:g}."


@rule("band-contiguity", "Bands have no gaps or overlaps", "incentives.yaml", "staffing.yaml", "assessment.yaml")
def band_contiguity(ctx: RuleContext) -> Iterator[Finding]:
    """Bands (rate bands in incentive tables, capacity bands, maturity bands) follow each
    other with no gap and no overlap and cover their whole range. Table bands run from
    their minimum up to the next band's minimum; capacity and maturity bands include both
    ends, so the next band starts one above. Only the last band may be open-ended. Rate
    bands start and end where the incentive's `band_range` says; maturity bands cover every
    total the assessment can produce."""
    for band_set in _band_sets(ctx):
        if isinstance(band_set, _TableBands):
            yield from band_set.contiguity()
            continue
        for band, message, hint in _band_problems(band_set["bands"], band_set["integer"], band_set["start"],
                                                  band_set["end"], band_set["what"]):
            yield band.where(message, hint)


@rule("band-monotonic", "Better bands never pay less", "incentives.yaml", "staffing.yaml")
def band_monotonic(ctx: RuleContext) -> Iterator[Finding]:
    """Within a rate table (for the same tier and region), a band with a higher range never
    pays a lower rate, amount or number of points than the band below it; and capacity
    bands for larger installed bases never ask for fewer dedicated staff."""
    for band_set in _band_sets(ctx):
        if isinstance(band_set, _TableBands):
            yield from band_set.monotonic()
            continue
        if not band_set["monotonic"]:
            continue
        ordered = sorted(band_set["bands"], key=lambda b: b.low)
        for prev, band in zip(ordered, ordered[1:], strict=False):
            if prev.value is not None and band.value is not None and band.value < prev.value:
                yield band.where(f"this {band_set['what']} band gives {band.value:g}, less than the "
                                 f"{prev.value:g} of the band below it",
                                 f"Give it at least {prev.value:g}, or check which band the values belong to.")


@dataclass
class _TableBands:
    """The bands of one rate table for one tier and region, as arrays sorted by their
    start: a table of a million rows is checked without a Python object per row."""

    ctx: RuleContext
    rel: str
    column: str  # where findings point: the band's minimum
    what: str
    start: float | None
    end: float | None
    lows: np.ndarray
    highs: np.ndarray  # NaN: open-ended
    values: np.ndarray
    positions: np.ndarray  # row positions in the table

    def at(self, i: int, message: str, hint: str) -> Finding:
        return self.ctx.row_finding(self.rel, int(self.positions[i]), self.column, message, hint)

    def contiguity(self) -> Iterator[Finding]:
        lows, highs, what = self.lows, self.highs, self.what
        for i in np.flatnonzero(~np.isnan(highs) & (highs < lows + 1e-12)):
            yield self.at(i, f"the {what} band from {lows[i]:g} ends at {highs[i]:g}, before it starts",
                          "Swap or correct the band's limits.")
        before, after = highs[:-1], lows[1:]
        with np.errstate(invalid="ignore"):
            broken = np.isnan(before) | (after != before)
        for j in np.flatnonzero(broken):
            i = j + 1
            if np.isnan(before[j]):
                yield self.at(i, f"the {what} band from {lows[i]:g} follows an open-ended band",
                              "Only the last band may leave its upper limit empty.")
            elif after[j] > before[j]:
                yield self.at(i, f"there is a gap between {before[j]:g} and {lows[i]:g} in the {what} bands",
                              f"Start this band at {before[j]:g}, or extend the band before it.")
            else:
                yield self.at(i, f"the {what} band from {lows[i]:g} overlaps the band before it (up to "
                              f"{before[j]:g})", f"Start this band at {before[j]:g}.")
        if len(lows) and self.start is not None and lows[0] != self.start:
            yield self.at(0, f"the {what} bands start at {lows[0]:g}, not at {self.start:g}",
                          f"Make the first band start at {self.start:g}.")
        if len(lows) and self.end is not None and highs[-1] != self.end:
            shown = "open-ended" if np.isnan(highs[-1]) else f"{highs[-1]:g}"
            yield self.at(len(lows) - 1, f"the {what} bands end at {shown}, not at {self.end:g}",
                          f"Make the last band end at {self.end:g}.")

    def monotonic(self) -> Iterator[Finding]:
        values = self.values
        with np.errstate(invalid="ignore"):
            lower = values[1:] < values[:-1]
        for j in np.flatnonzero(lower):
            yield self.at(j + 1, f"this {self.what} band gives {values[j + 1]:g}, less than the {values[j]:g} of the "
                          "band below it", f"Give it at least {values[j]:g}, or check which band the values belong "
                          "to.")


def _band_sets(ctx: RuleContext) -> Iterator[dict[str, Any] | _TableBands]:
    for incentive in ctx.data("incentives.yaml")["incentives"]:
        rel = incentive["payout"]["table"]
        table = ctx.tables.get(rel)
        if table is None:
            continue
        try:
            shape = table_shape(table.frame)
        except CalculationError:
            continue
        if not shape.band_columns:
            continue
        low, high = shape.band_columns
        declared = incentive["payout"].get("band_range", {})
        frame = table.frame
        lows = frame[low].to_numpy(dtype=float, na_value=np.nan)
        highs = frame[high].to_numpy(dtype=float, na_value=np.nan)
        values = frame[shape.value].to_numpy(dtype=float, na_value=np.nan)
        groups = (frame.groupby(list(shape.keys), sort=False, dropna=False).indices if shape.keys
                  else {(): np.arange(len(frame))})
        for key, positions in groups.items():
            order = positions[np.argsort(lows[positions], kind="stable")]
            label = " ".join(str(k) for k in (key if isinstance(key, tuple) else (key,)))
            yield _TableBands(ctx, rel, low, f"{incentive['name']}{' (' + label + ')' if label else ''}",
                              declared.get("from"), declared.get("to"), lows[order], highs[order], values[order],
                              order)
    capacity = ctx.data("staffing.yaml")["capacity_bands"]
    yield {"bands": [_Band(b["min_customers"], b.get("max_customers"), b["min_dedicated_staff"],
                           lambda message, hint, i=i: ctx.finding("staffing.yaml", ("capacity_bands", i), message,
                                                                  hint))
                     for i, b in enumerate(capacity)],
           "integer": True, "start": None, "end": None, "what": "capacity", "monotonic": True}
    assessment = ctx.data("assessment.yaml")
    ratings = [s["rating"] for s in assessment["scale"]]
    elements = sum(len(s["elements"]) for s in assessment["sections"])
    per = assessment["scoring"]["points_per_rating"]
    yield {"bands": [_Band(b["min_points"], b["max_points"], None,
                           lambda message, hint, i=i: ctx.finding("assessment.yaml", ("bands", i), message, hint))
                     for i, b in enumerate(assessment["bands"])],
           "integer": True, "start": elements * min(ratings) * per, "end": elements * max(ratings) * per,
           "what": "maturity", "monotonic": False}


# -- Incentives ---------------------------------------------------------------------------


@rule("kpi-threshold", "Thresholds agree with their KPI", "incentives.yaml", "tiers.yaml", "kpis.yaml")
def kpi_threshold(ctx: RuleContext) -> Iterator[Finding]:
    """A KPI value an incentive requires is in the KPI's own unit and direction, and is
    never easier to reach than the KPI's target. Every KPI value (in incentives and tier
    requirements) is a possible value of its unit: a percentage is between 0 and 100, and
    a score lies on the KPI's scale."""
    kpis = {k["id"]: k for k in ctx.data("kpis.yaml")["kpis"]}

    def in_range(rel: str, path: DataPath, kpi: dict[str, Any], value: float) -> Iterator[Finding]:
        if kpi["unit"] == "percent" and value > 100:
            yield ctx.finding(rel, path, f"{value:g}% for {kpi['name']} is above 100%",
                              "Write percentages from 0 to 100 (60 means 60%).")
        scale = kpi.get("scale")
        if scale and not scale["min"] <= value <= scale["max"]:
            yield ctx.finding(rel, path, f"{value:g} is outside the {kpi['name']} scale of {scale['min']:g} to "
                              f"{scale['max']:g}", "Use a value on the KPI's scale.")

    for i, incentive in enumerate(ctx.data("incentives.yaml")["incentives"]):
        for j, need in enumerate(incentive["eligibility"].get("kpis", [])):
            kpi = kpis.get(need["kpi"])
            if kpi is None:
                continue
            path = ("incentives", i, "eligibility", "kpis", j, "value")
            yield from in_range("incentives.yaml", path, kpi, need["value"])
            if not _stricter_or_equal(kpi["direction"], need["value"], kpi["target"]):
                yield ctx.finding("incentives.yaml", path,
                                  f"{incentive['name']} pays for {kpi['name']} of {_words(kpi['direction'])} "
                                  f"{need['value']:g}, easier than the KPI's target of {kpi['target']:g}",
                                  f"Use {_words(kpi['direction'])} {kpi['target']:g}, or change the KPI's target in "
                                  "kpis.yaml.", (("kpis.yaml", ("kpis", list(kpis).index(kpi["id"]), "target")),))
    for i, tier in enumerate(ctx.data("tiers.yaml")["tiers"]):
        for j, need in enumerate(tier["requirements"].get("kpis", [])):
            kpi = kpis.get(need["kpi"])
            if kpi is not None:
                yield from in_range("tiers.yaml", ("tiers", i, "requirements", "kpis", j, "value"), kpi,
                                    need["value"])


@rule("incentive-progression", "Follow-on incentives are never easier", "incentives.yaml", "kpis.yaml", "tiers.yaml")
def incentive_progression(ctx: RuleContext) -> Iterator[Finding]:
    """An incentive that builds on another (expansion on adoption) is never easier to earn:
    it is open to no tier the base incentive excludes, requires every specialization the
    base requires (or one that builds on it), and every KPI of the base at a value at least
    as demanding."""
    incentives = ctx.data("incentives.yaml")["incentives"]
    by_id = {inc["id"]: (i, inc) for i, inc in enumerate(incentives)}
    kpis = {k["id"]: k for k in ctx.data("kpis.yaml")["kpis"]}
    specs = ctx.data("tiers.yaml")["specializations"]
    for i, incentive in enumerate(incentives):
        base_id = incentive.get("builds_on")
        if base_id not in by_id:
            continue
        b, base = by_id[base_id]
        mine, theirs = incentive["eligibility"], base["eligibility"]
        here = ("incentives", i, "eligibility")
        for j, tier in enumerate(mine["tiers"]):
            if tier not in theirs["tiers"]:
                yield ctx.finding("incentives.yaml", here + ("tiers", j),
                                  f"{incentive['name']} is open to {tier}, which cannot earn {base['name']}, the "
                                  "incentive it builds on",
                                  f"Remove '{tier}', or open {base['name']} to it.",
                                  (("incentives.yaml", ("incentives", b, "eligibility", "tiers")),))
        held = with_builds_on(specs, set(mine.get("specializations", [])))
        for spec in theirs.get("specializations", []):
            if spec not in held:
                yield ctx.finding("incentives.yaml", here,
                                  f"{incentive['name']} does not require the {spec} specialization that "
                                  f"{base['name']} requires", f"Require '{spec}' here too.")
        values = {k["kpi"]: (j, k["value"]) for j, k in enumerate(mine.get("kpis", []))}
        for need in theirs.get("kpis", []):
            kpi = kpis.get(need["kpi"])
            if kpi is None:
                continue
            if need["kpi"] not in values:
                yield ctx.finding("incentives.yaml", here,
                                  f"{incentive['name']} drops the {kpi['name']} threshold of {base['name']}",
                                  f"Add {kpi['name']} {_words(kpi['direction'])} {need['value']:g}.")
            elif not _stricter_or_equal(kpi["direction"], values[need["kpi"]][1], need["value"]):
                j, value = values[need["kpi"]]
                yield ctx.finding("incentives.yaml", here + ("kpis", j, "value"),
                                  f"{incentive['name']} asks for {kpi['name']} of {_words(kpi['direction'])} "
                                  f"{value:g}, easier than {base['name']}'s {need['value']:g}",
                                  f"Use {_words(kpi['direction'])} {need['value']:g} or stricter.")


@rule("rate-coverage", "Every eligible tier has rates", "incentives.yaml", "program.yaml")
def rate_coverage(ctx: RuleContext) -> Iterator[Finding]:
    """An incentive's rate table has rows for every tier that can earn it, and, where rates
    differ by region, for every region of the program, so no eligible partner is left
    without a rate."""
    regions = [r["id"] for r in ctx.data("program.yaml")["regions"]]
    for i, incentive in enumerate(ctx.data("incentives.yaml")["incentives"]):
        rel = incentive["payout"]["table"]
        table = ctx.tables.get(rel)
        if table is None or "tier" not in table.frame.columns:
            continue
        frame = table.frame
        by_region = "region" in frame.columns
        # Which regions each tier has rows for, read once per table.
        found: dict[str, set[str]] = {}
        for tier, region in zip(frame["tier"].tolist(), frame["region"].tolist() if by_region else
                                [None] * len(frame), strict=True):
            found.setdefault(tier, set()).add(region)
        for j, tier in enumerate(incentive["eligibility"]["tiers"]):
            present = found.get(tier)
            missing = [r for r in regions if r not in present] if present is not None and by_region else []
            if present is None or missing:
                where = f"region{'s' * (len(missing) != 1)} {', '.join(missing)}" if present is not None else "any row"
                yield ctx.finding("incentives.yaml", ("incentives", i, "eligibility", "tiers", j),
                                  f"{incentive['name']} is open to {tier}, but {rel} has no {tier} rate for {where}",
                                  f"Add the {tier} rows to program_data/{rel}, or remove '{tier}' from the tiers.")


@rule("worked-example", "Worked examples compute", "incentives.yaml", "tiers.yaml", "kpis.yaml", "program.yaml")
def worked_example(ctx: RuleContext) -> Iterator[Finding]:
    """Each incentive's worked example describes a partner who can earn the incentive, and
    its inputs select exactly one row of the rate table, so the portal can compute the
    payout it shows."""
    for i, incentive in enumerate(ctx.data("incentives.yaml")["incentives"]):
        example = incentive.get("example")
        if example is None or incentive["payout"]["table"] not in ctx.tables:
            continue
        path = ("incentives", i, "example")
        try:
            result = estimate(ctx.program, incentive["id"], example)
        except (CalculationError, LookupError) as exc:
            yield ctx.finding("incentives.yaml", path, f"the worked example cannot be computed: {exc}",
                              "Change the example's tier, region or values so one row of the rate table applies.")
            continue
        if not result.eligible:
            yield ctx.finding("incentives.yaml", path, "the worked example describes a partner who is not "
                              "eligible: " + "; ".join(result.reasons), "Pick a tier that can earn the incentive.")


# -- Journeys, renewal, engagement models, lifecycle -------------------------------------


@rule("journey-fit", "Journeys fit their duration and KPI", "kpis.yaml")
def journey_fit(ctx: RuleContext) -> Iterator[Finding]:
    """Every step of a journey ends within the journey's stated duration, and that duration
    fits the target of the KPI the journey serves (a journey serving "time to onboard: at
    most 30 days" takes at most 30 days). The KPI must be measured in days or weeks, and
    each step of a journey has its own id."""
    kpis = {k["id"]: k for k in ctx.data("kpis.yaml")["kpis"]}
    for rel in sorted(r for r in ctx.documents if r.startswith("journeys/")):
        journey = ctx.data(rel)
        if not isinstance(journey, dict) or "duration" not in journey:
            continue
        total = journey["duration"]["value"] * DAYS_PER_UNIT[journey["duration"]["unit"]]
        first_step: dict[str, int] = {}
        for i, step in enumerate(journey.get("steps", [])):
            if step["id"] in first_step:
                yield ctx.finding(rel, ("steps", i, "id"), f"two steps have the id '{step['id']}'",
                                  "Give every step of a journey its own id.",
                                  ((rel, ("steps", first_step[step["id"]], "id")),))
            first_step.setdefault(step["id"], i)
            end = step["start_day"] + step["duration"]["value"] * DAYS_PER_UNIT[step["duration"]["unit"]]
            if end > total + 1e-9:
                yield ctx.finding(rel, ("steps", i, "start_day"),
                                  f"the step '{step['name']}' ends on day {end:g}, after the journey's "
                                  f"{total:g} days", "Start the step earlier, shorten it, or lengthen the journey.",
                                  ((rel, ("duration",)),))
        kpi = kpis.get(journey.get("kpi", ""))
        if kpi is None:
            continue
        if kpi["unit"] not in ("days", "weeks"):
            yield ctx.finding(rel, ("kpi",), f"the journey serves {kpi['name']}, which is measured in "
                              f"{kpi['unit']}, not in days or weeks", "Point the journey at a time-based KPI.")
            continue
        target = kpi["target"] * DAYS_PER_UNIT[kpi["unit"]]
        if kpi["direction"] == "at-most" and total > target + 1e-9:
            yield ctx.finding(rel, ("duration",), f"the journey takes {total:g} days, longer than the "
                              f"{kpi['name']} target of {kpi['target']:g} {kpi['unit']}",
                              "Shorten the journey, or change the KPI's target.",
                              (("kpis.yaml", ("kpis", list(kpis).index(kpi["id"]), "target")),))


@rule("renewal-window", "Renewal prompts fall in the window", "renewal.yaml")
def renewal_window(ctx: RuleContext) -> Iterator[Finding]:
    """Renewal prompts are sent inside the prompt window (between its earliest and latest
    day before the renewal date), the window's earliest day comes before its latest, and
    the phases run back to back from the earliest to the renewal date, each starting
    before it ends."""
    renewal = ctx.data("renewal.yaml")
    window = renewal["prompt_window"]
    if window["min_days_before"] > window["max_days_before"]:
        yield ctx.finding("renewal.yaml", ("prompt_window",), "the prompt window's min_days_before is larger than "
                          "its max_days_before", "Swap the two values.")
    for i, prompt in enumerate(renewal["prompts"]):
        if not window["min_days_before"] <= prompt["days_before"] <= window["max_days_before"]:
            yield ctx.finding("renewal.yaml", ("prompts", i, "days_before"),
                              f"a prompt {prompt['days_before']} days before renewal is outside the window of "
                              f"{window['max_days_before']} to {window['min_days_before']} days",
                              "Move the prompt into the window, or widen the window.", (("renewal.yaml",
                                                                                         ("prompt_window",)),))
    phases = renewal["phases"]
    for i, phase in enumerate(phases):
        if phase["starts_months_before"] <= phase["ends_months_before"]:
            yield ctx.finding("renewal.yaml", ("phases", i, "ends_months_before"),
                              f"the phase '{phase['name']}' ends {phase['ends_months_before']} months before renewal, "
                              f"not after it starts ({phase['starts_months_before']} months before)",
                              "A phase starts more months before the renewal date than it ends.")
        if i and phase["starts_months_before"] != phases[i - 1]["ends_months_before"]:
            yield ctx.finding("renewal.yaml", ("phases", i, "starts_months_before"),
                              f"the phase '{phase['name']}' starts {phase['starts_months_before']} months before "
                              f"renewal, but the phase before it ends at {phases[i - 1]['ends_months_before']}",
                              "List phases from the earliest, each starting where the last ends.")


@rule("model-inclusion", "Including models carry every duty", "engagement_models.yaml")
def model_inclusion(ctx: RuleContext) -> Iterator[Finding]:
    """Where an engagement model is declared to include another (the customer success
    manager includes the sales agent), every partner duty of the included model lists the
    including model too, at every stage."""
    data = ctx.data("engagement_models.yaml")
    for model in data["models"]:
        included = model.get("includes")
        if not included:
            continue
        for i, stage in enumerate(data["responsibilities"]):
            for j, duty in enumerate(stage["partner"]):
                if included in duty["models"] and model["id"] not in duty["models"]:
                    yield ctx.finding("engagement_models.yaml", ("responsibilities", i, "partner", j, "models"),
                                      f"'{duty['duty']}' is a {included} duty at the {stage['stage']} stage, but "
                                      f"{model['id']}, which includes {included}, does not list it",
                                      f"Add {model['id']} to this duty's models.")


@rule("stage-order", "Stages are numbered in order", "lifecycle.yaml")
def stage_order(ctx: RuleContext) -> Iterator[Finding]:
    """Lifecycle stages are numbered 1, 2, 3 and so on, each number used once, so every page
    and diagram shows them in the same order."""
    stages = ctx.data("lifecycle.yaml")["stages"]
    orders = sorted(s["order"] for s in stages)
    if orders != list(range(1, len(stages) + 1)):
        seen: dict[int, int] = {}
        for i, stage in enumerate(stages):
            if stage["order"] in seen or stage["order"] > len(stages):
                yield ctx.finding("lifecycle.yaml", ("stages", i, "order"),
                                  f"the stage {stage['name']} has order {stage['order']}; orders must run from 1 to "
                                  f"{len(stages)} without repeats", "Number the stages 1, 2, 3... in lifecycle order.")
            seen[stage["order"]] = i



@rule("roster-tier", "Listed partners meet their tier", ROSTER, "tiers.yaml")
def roster_tier(ctx: RuleContext) -> Iterator[Finding]:
    """Every partner in the roster meets the requirements of the tier it is listed at: at
    least as many people in each role as the tier asks for (staffing columns are named
    after role ids), every specialization the tier requires (or one that builds on it),
    and an engagement model the tier allows. While a tier's grace period for a raised
    requirement runs, the previous value is enough."""
    table = ctx.tables[ROSTER]
    frame = table.frame
    tiers = ctx.data("tiers.yaml")["tiers"]
    names = {t["id"]: t["name"] for t in tiers}
    reported = 0
    for shortfall in roster_shortfalls(frame, tiers, ctx.data("tiers.yaml")["specializations"]):
        rows = np.flatnonzero(shortfall.failing)
        for position in rows[: max(0, MAX_FINDINGS - reported)]:
            row = frame.iloc[int(position)]
            yield ctx.row_finding(ROSTER, int(position), shortfall.column, shortfall.describe(row, names),
                                  shortfall.advice(row, names))
        reported += len(rows)
    if reported > MAX_FINDINGS:
        yield Finding(ctx.code, f"{reported - MAX_FINDINGS} more partners do not meet their tier", Location(table.file),
                      Layer.RULES, hint="Fix the rows above first; the check lists the rest when you run it again.")
