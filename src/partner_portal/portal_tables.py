"""Every table the portal shows, as data.

Pages render these tables, and the build writes each one as CSV and JSON for download,
so what a partner downloads is exactly what the page shows. Cells that name another
item are `Ref`s: a link on the page, the item's name in a download.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .calc import format_money, format_value, table_shape
from .model import Item, Program

DASH = "—"
YES = "✓"


@dataclass(frozen=True)
class Ref:
    """A cell or heading that names another item of the program."""

    kind: str
    id: str
    label: str

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False
    ref: Ref | None = None  # a column heading that links to an item (a tier, say)


@dataclass(frozen=True)
class DataTable:
    id: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[dict[str, Any], ...]
    description: str = ""
    downloads: bool = field(default=True)


def per_value(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`convert`, worked out once per distinct value: a rate table repeats a few tiers,
    bands and rates over thousands of rows. (Keyed by type too, so 1 and True differ.)"""
    done: dict[tuple[type, Any], Any] = {}

    def converted(value: Any) -> Any:
        try:
            key = (type(value), value)
            if key not in done:
                done[key] = convert(value)
            return done[key]
        except TypeError:  # a list: not hashable
            return convert(value)

    return converted


def cell_text(value: Any) -> str:
    """The plain text of a cell, as downloads show it."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(cell_text(v) for v in value)
    return str(value)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """Spreadsheets run a cell that starts with = + - @ as a formula. Prefix such a cell
    with an apostrophe so it opens as text (plain negative numbers are left alone)."""
    if text.startswith(_FORMULA_START):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def to_csv(table: DataTable) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([neutralise_formula(c.label) for c in table.columns])
    cell = per_value(lambda value: neutralise_formula(cell_text(value)))
    writer.writerows([cell(row.get(c.key)) for c in table.columns] for row in table.rows)
    return out.getvalue()


def to_json(table: DataTable) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, Ref):
            return value.label
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value

    head = {"id": table.id, "title": table.title, "columns": [{"key": c.key, "label": c.label} for c in table.columns]}
    # One row per line: readable, and written by json's C encoder (indent= is pure Python,
    # slow on a table of thousands of rows).
    rows = ",\n".join("    " + json.dumps({c.key: plain(row.get(c.key)) for c in table.columns}, ensure_ascii=False)
                      for row in table.rows)
    fields = [f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}" for key, value in head.items()]
    return "{\n" + ",\n".join(fields) + ',\n  "rows": [' + (f"\n{rows}\n  " if rows else "") + "]\n}\n"


def ref(program: Program, kind: str, item_id: str) -> Ref:
    return Ref(kind, item_id, program.name(kind, item_id))


def _direction(kpi: Item) -> str:
    return "at least" if kpi["direction"] == "at-least" else "at most"


def kpi_target(kpi: Item, value: float | None = None) -> str:
    """'at least 60%' / 'at most 30 days' for a KPI's target, or another threshold."""
    return f"{_direction(kpi)} {format_value(kpi['target'] if value is None else value, kpi['unit'])}"


def window_text(window: Item) -> str:
    kind = window["type"]
    if kind == "rolling":
        months = window["months"]
        return "the last month" if months == 1 else f"a rolling {months} months"
    return {"fiscal-year": "the fiscal year", "point-in-time": "at the time of measurement",
            "per-customer": "for each customer", "per-partner": "for each partner"}[kind]


def duration_text(duration: Item) -> str:
    return format_value(duration["value"], duration["unit"])


DAYS_PER_UNIT = {"hours": 1 / 24, "days": 1, "weeks": 7}


def duration_days(duration: Item) -> float:
    return duration["value"] * DAYS_PER_UNIT[duration["unit"]]


# -- Tiers -----------------------------------------------------------------------------


def tier_comparison(program: Program) -> DataTable:
    tiers = program.tiers
    columns = (Column("requirement", "Requirement"),) + tuple(
        Column(t["id"], t["name"], ref=Ref("tier", t["id"], t["name"])) for t in tiers)
    rows: list[dict[str, Any]] = []
    maximum = program.capability_score["maximum"]
    rows.append({"requirement": f"Capability score (out of {maximum})",
                 **{t["id"]: t["requirements"]["capability_points"] for t in tiers}})
    for role in _first_seen(s["role"] for t in tiers for s in t["requirements"]["staffing"]):
        counts = {t["id"]: {s["role"]: s["count"] for s in t["requirements"]["staffing"]} for t in tiers}
        rows.append({"requirement": ref(program, "role", role),
                     **{t["id"]: counts[t["id"]].get(role, DASH) for t in tiers}})
    for spec in program.specializations:
        rows.append({"requirement": ref(program, "specialization", spec["id"]),
                     **{t["id"]: YES if spec["id"] in t["requirements"].get("specializations", []) else DASH
                        for t in tiers}})
    for kpi_id in _first_seen(k["kpi"] for t in tiers for k in t["requirements"].get("kpis", [])):
        kpi = program.get("kpi", kpi_id)
        values = {t["id"]: {k["kpi"]: k["value"] for k in t["requirements"].get("kpis", [])} for t in tiers}
        rows.append({"requirement": ref(program, "kpi", kpi_id),
                     **{t["id"]: kpi_target(kpi, values[t["id"]][kpi_id]) if kpi_id in values[t["id"]] else DASH
                        for t in tiers}})
    rows.append({"requirement": "Engagement models",
                 **{t["id"]: [ref(program, "model", m) for m in t.get("engagement_models", [])] or DASH
                    for t in tiers}})
    for benefit_id, name in _benefits(program):
        rows.append({"requirement": f"Benefit: {name}",
                     **{t["id"]: YES if any(b["id"] == benefit_id for b in t["benefits"]) else DASH for t in tiers}})
    return DataTable("tier-comparison", "Tier comparison", columns, tuple(rows),
                     "Requirements and benefits of every tier, side by side.")


def _first_seen(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _benefits(program: Program) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for tier in program.tiers:
        for benefit in tier["benefits"]:
            seen.setdefault(benefit["id"], benefit["name"])
    return list(seen.items())


def tier_requirements(program: Program, tier: Item) -> DataTable:
    req = tier["requirements"]
    rows: list[dict[str, Any]] = [{
        "requirement": "Capability score",
        "value": f"{req['capability_points']} of {program.capability_score['maximum']} points, with at least "
                 f"{program.capability_score.get('min_points_per_category', 0)} in every category",
    }]
    for staff in req["staffing"]:
        role = program.get("role", staff["role"])
        certified = f" ({role['certification']})" if role.get("certification") else ""
        rows.append({"requirement": ref(program, "role", staff["role"]), "value": f"{staff['count']}{certified}"})
    for spec in req.get("specializations", []):
        rows.append({"requirement": ref(program, "specialization", spec), "value": "held"})
    for requirement in req.get("kpis", []):
        kpi = program.get("kpi", requirement["kpi"])
        rows.append({"requirement": ref(program, "kpi", kpi["id"]),
                     "value": f"{kpi_target(kpi, requirement['value'])}, over {window_text(kpi['window'])}"})
    return DataTable(f"tier-{tier['id']}-requirements", f"{tier['name']} requirements",
                     (Column("requirement", "Requirement"), Column("value", "What you need")), tuple(rows))


def specializations(program: Program) -> DataTable:
    rows = []
    for spec in program.specializations:
        staffing = [f"{s['count']} × {program.name('role', s['role'])}" for s in spec["requirements"]["staffing"]]
        rows.append({"specialization": ref(program, "specialization", spec["id"]),
                     "builds_on": ref(program, "specialization", spec["builds_on"]) if spec.get("builds_on") else DASH,
                     "staffing": staffing})
    return DataTable("specializations", "Specializations",
                     (Column("specialization", "Specialization"), Column("builds_on", "Builds on"),
                      Column("staffing", "Staffing")), tuple(rows))


def capability_categories(program: Program) -> DataTable:
    rows = [{"category": c["name"], "max_points": c["max_points"], "summary": c.get("summary", "")}
            for c in program.capability_score["categories"]]
    return DataTable("capability-score", "Capability score categories",
                     (Column("category", "Category"), Column("max_points", "Maximum points", numeric=True),
                      Column("summary", "What earns points")), tuple(rows))


def capacity_bands(program: Program) -> DataTable:
    rows = []
    for band in program.staffing["capacity_bands"]:
        top = band.get("max_customers")
        rows.append({"band": band["name"],
                     "customers": f"{band['min_customers']} to {top}" if top else f"{band['min_customers']} or more",
                     "staff": band["min_dedicated_staff"], "guidance": band["guidance"]})
    return DataTable("capacity-bands", "Staffing by installed base",
                     (Column("band", "Stage of the practice"), Column("customers", "Customers"),
                      Column("staff", "Dedicated staff (at least)", numeric=True), Column("guidance", "Guidance")),
                     tuple(rows))


# -- Lifecycle and KPIs ----------------------------------------------------------------


def kpi_table(program: Program, kpis: list[Item], table_id: str, title: str) -> DataTable:
    rows = [{"kpi": ref(program, "kpi", k["id"]), "stage": ref(program, "stage", k["stage"]),
             "target": kpi_target(k), "window": window_text(k["window"]), "definition": k["definition"]}
            for k in kpis]
    return DataTable(table_id, title,
                     (Column("kpi", "KPI"), Column("stage", "Stage"), Column("target", "Target"),
                      Column("window", "Measured over"), Column("definition", "Definition")), tuple(rows))


def stage_kpis(program: Program, stage: Item) -> DataTable:
    return kpi_table(program, program.kpis_for_stage(stage["id"]), f"stage-{stage['id']}-kpis",
                     f"{stage['name']} KPIs")


def roles(program: Program) -> DataTable:
    rows = [{"role": ref(program, "role", r["id"]), "party": "Partner" if r["party"] == "partner" else
             program.info["vendor"]["name"], "certification": r.get("certification", DASH), "summary": r["summary"]}
            for r in program.roles]
    return DataTable("roles", "Roles", (Column("role", "Role"), Column("party", "Side"),
                                        Column("certification", "Certification"), Column("summary", "What they do")),
                     tuple(rows))


# -- Journeys, plays, renewal ---------------------------------------------------------


def journey_steps(program: Program, journey: Item) -> DataTable:
    rows = []
    for step in journey["steps"]:
        end = step["start_day"] + duration_days(step["duration"])
        rows.append({"step": step["name"], "owner": ref(program, "role", step["owner"]),
                     "start": step["start_day"], "duration": duration_text(step["duration"]),
                     "end": round(end, 1), "exit": step["exit_criteria"]})
    return DataTable(f"journey-{journey['id']}-steps", f"{journey['name']} steps",
                     (Column("step", "Step"), Column("owner", "Owner"), Column("start", "Starts on day", numeric=True),
                      Column("duration", "Takes"), Column("end", "Done by day", numeric=True),
                      Column("exit", "Exit criteria")), tuple(rows))


def plays_overview(program: Program) -> DataTable:
    rows = []
    for stage in program.stages:
        for play in program.plays_for_stage(stage["id"]):
            rows.append({"play": ref(program, "play", play["id"]), "stage": ref(program, "stage", stage["id"]),
                         "owner": ref(program, "role", play["owner"]), "trigger": play["trigger"]["signal"],
                         "kpis": [ref(program, "kpi", k) for k in play["kpis"]]})
    return DataTable("plays", "Plays", (Column("play", "Play"), Column("stage", "Stage"), Column("owner", "Owner"),
                                        Column("trigger", "Starts when"), Column("kpis", "KPIs moved")), tuple(rows))


def renewal_phases(program: Program) -> DataTable:
    rows = [{"phase": p["name"], "owner": ref(program, "role", p["owner"]),
             "from": p["starts_months_before"], "to": p["ends_months_before"], "activities": p["activities"]}
            for p in program.renewal["phases"]]
    return DataTable("renewal-phases", "Renewal phases",
                     (Column("phase", "Phase"), Column("owner", "Owner"),
                      Column("from", "From (months before)", numeric=True),
                      Column("to", "To (months before)", numeric=True), Column("activities", "Activities")),
                     tuple(rows))


def renewal_prompts(program: Program) -> DataTable:
    rows = [{"days": p["days_before"], "message": p["message"]} for p in program.renewal["prompts"]]
    return DataTable("renewal-prompts", "Renewal prompts",
                     (Column("days", "Days before renewal", numeric=True), Column("message", "What it says")),
                     tuple(rows))


def non_renewal_reasons(program: Program) -> DataTable:
    rows = [{"code": r["id"], "reason": r["name"]} for r in program.renewal["non_renewal_reasons"]]
    return DataTable("non-renewal-reasons", "Non-renewal reason codes",
                     (Column("code", "Code"), Column("reason", "Reason")), tuple(rows))


# -- Incentives ------------------------------------------------------------------------


def incentives_overview(program: Program) -> DataTable:
    rows = []
    for incentive in program.incentives:
        payout = incentive["payout"]
        rows.append({"incentive": ref(program, "incentive", incentive["id"]),
                     "tiers": [ref(program, "tier", t) for t in incentive["eligibility"]["tiers"]],
                     "pays": _method_text(payout["method"]), "frequency": payout["frequency"].capitalize()})
    return DataTable("incentives", "Incentives",
                     (Column("incentive", "Incentive"), Column("tiers", "Open to"), Column("pays", "Pays"),
                      Column("frequency", "Paid")), tuple(rows))


def _method_text(method: str) -> str:
    return {"fixed-amount": "A fixed amount", "percent-of-contract-value": "A share of contract value",
            "points": "Capability points"}[method]


_MEASURES = {"active_users": ("active users", "users"), "contract_value": ("contract value", "money"),
             "renewal_rate": ("renewal rate", "percent"), "average": ("average score", "score")}


def band_text(low: float, high: float | None, measure: str, currency: str, top_inclusive: bool = False) -> str:
    words, unit = _MEASURES.get(measure, (measure.replace("_", " "), "count"))

    def show(value: float) -> str:
        return format_money(value, currency) if unit == "money" else format_value(value, unit)

    if high is None:
        return f"{show(low)} or more"
    return f"{show(low)} to {show(high)}" + ("" if top_inclusive else " (not included)")


def incentive_rates(program: Program, incentive: Item) -> DataTable:
    """The incentive's rate table as partners read it (made once per program: the page,
    its worked example and the downloads all show it)."""
    return program.memoized(("incentive-rates", incentive["id"]), lambda: _incentive_rates(program, incentive))


def _incentive_rates(program: Program, incentive: Item) -> DataTable:
    frame = program.table(incentive["payout"]["table"])
    shape = table_shape(frame)
    currency = program.info["currency"]
    columns: list[Column] = []
    if "tier" in shape.keys:
        columns.append(Column("tier", "Tier"))
    if "region" in shape.keys:
        columns.append(Column("region", "Region"))
    if shape.band:
        columns.append(Column("band", _MEASURES.get(shape.band, (shape.band.replace("_", " "),))[0].capitalize()))
    value_label = {"rate_percent": "Rate", "rebate_amount": f"Rebate ({currency})", "points": "Points"}[shape.value]
    columns.append(Column("value", value_label, numeric=True))
    top = None
    if shape.band_columns:
        high = frame[shape.band_columns[1]]
        top = high.max() if high.notna().all() else None
    # A rate table repeats a few tiers, regions, bands and values over thousands of rows:
    # each distinct one is worded once.
    tier = per_value(lambda tier_id: ref(program, "tier", tier_id))
    region = per_value(lambda region_id: program.name("region", region_id))
    band = per_value(lambda b: band_text(b[0], b[1], shape.band, currency, b[1] is not None and b[1] == top))
    unit = "percent" if shape.value == "rate_percent" else "count"
    value = per_value(lambda v: format_value(v, unit))
    rows = []
    for record in frame.to_dict("records"):
        row: dict[str, Any] = {}
        if "tier" in shape.keys:
            row["tier"] = tier(record["tier"])
        if "region" in shape.keys:
            row["region"] = region(record["region"])
        if shape.band_columns:
            low, high = (record[c] for c in shape.band_columns)
            row["band"] = band((float(low), None if _missing(high) else float(high)))
        row["value"] = value(record[shape.value])
        rows.append(row)
    return DataTable(f"incentive-{incentive['id']}-rates", f"{incentive['name']} rates", tuple(columns), tuple(rows))


def _missing(value: Any) -> bool:
    try:
        return value is None or value != value  # NaN and pandas NA
    except TypeError:
        return True


# -- Assessment ------------------------------------------------------------------------


def assessment_scale(program: Program) -> DataTable:
    per = program.assessment["scoring"]["points_per_rating"]
    rows = [{"rating": s["rating"], "label": s["label"], "points": s["rating"] * per, "meaning": s["description"]}
            for s in program.assessment["scale"]]
    return DataTable("assessment-scale", "Rating scale",
                     (Column("rating", "Rating", numeric=True), Column("label", "Label"),
                      Column("points", "Points per element", numeric=True), Column("meaning", "Meaning")),
                     tuple(rows))


def assessment_sections(program: Program) -> DataTable:
    per = program.assessment["scoring"]["points_per_rating"]
    top = max(s["rating"] for s in program.assessment["scale"])
    rows = [{"section": s["name"], "elements": len(s["elements"]), "max": len(s["elements"]) * top * per}
            for s in program.assessment["sections"]]
    return DataTable("assessment-sections", "Assessment sections",
                     (Column("section", "Section"), Column("elements", "Elements", numeric=True),
                      Column("max", "Maximum points", numeric=True)), tuple(rows))


def assessment_bands(program: Program) -> DataTable:
    rows = [{"band": b["name"], "points": f"{b['min_points']} to {b['max_points']}", "meaning": b["description"]}
            for b in program.assessment["bands"]]
    return DataTable("assessment-bands", "Maturity bands",
                     (Column("band", "Band"), Column("points", "Total points"), Column("meaning", "What it means")),
                     tuple(rows))


# -- Data dictionary -------------------------------------------------------------------


def dictionary_fields(schema: dict[str, Any], resolve: Any) -> list[dict[str, Any]]:
    """Flatten a schema into rows: field path, type, required, description."""
    rows: list[dict[str, Any]] = []

    def visit(node: dict[str, Any], prefix: str, required: bool) -> None:
        node = resolve(node)
        kind = node.get("type") or ("one of: " + ", ".join(map(str, node["enum"])) if "enum" in node else "")
        if prefix:
            rows.append({"field": prefix, "type": _type_words(node, kind), "required": YES if required else DASH,
                         "description": node.get("description", "")})
        if node.get("type") == "object":
            needed = set(node.get("required", []))
            for name, sub in node.get("properties", {}).items():
                visit(sub, f"{prefix}.{name}" if prefix else name, name in needed)
        elif node.get("type") == "array" and isinstance(node.get("items"), dict):
            items = resolve(node["items"])
            if items.get("type") == "object":
                needed = set(items.get("required", []))
                for name, sub in items.get("properties", {}).items():
                    visit(sub, f"{prefix}[].{name}", name in needed)

    visit(schema, "", True)
    return rows


def _type_words(node: dict[str, Any], kind: Any) -> str:
    words = {"string": "text", "integer": "whole number", "number": "number", "boolean": "true/false",
             "object": "mapping", "array": "list"}
    if "enum" in node:
        return "one of: " + ", ".join(map(str, node["enum"]))
    text = words.get(kind, str(kind)) if isinstance(kind, str) else " or ".join(words.get(k, k) for k in kind)
    limits = []
    for key, word in (("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤")):
        if key in node:
            limits.append(f"{word} {node[key]}")
    if node.get("format") == "date":
        text = "date (YYYY-MM-DD)"
    return text + (f" ({', '.join(limits)})" if limits else "")


def consistency_rules() -> DataTable:
    from .rules import RULES

    rows = [{"code": r.code, "rule": r.title, "description": r.description} for r in RULES]
    return DataTable("consistency-rules", "Consistency rules",
                     (Column("code", "Code"), Column("rule", "Rule"), Column("description", "What it checks")),
                     tuple(rows))
