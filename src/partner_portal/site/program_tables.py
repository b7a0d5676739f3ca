"""Every table of the program the portal shows: the tier comparison, requirements, KPIs,
roles, journey steps, plays, renewal, incentives and their rates, the assessment."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..core.units import duration_days, duration_text, format_value
from ..model.assessment import section_maximum
from ..model.eligibility import requirements_of
from ..model.program import Item, Program
from ..model.rates import band_words, measure_words, table_shape, value_words
from ..model.requirements import KPI, KPI_FAMILIES, POINTS, SPECIALIZATION, STAFFING, Kpi, kpi_family
from .tables import DASH, YES, Column, DataTable, Ref, per_value, ref, window_text


def tier_comparison(program: Program) -> DataTable:
    tiers = program.tiers
    columns = (Column("requirement", "Requirement"),) + tuple(
        Column(t["id"], t["name"], ref=Ref("tier", t["id"], t["name"])) for t in tiers)
    asks = {t["id"]: {r.key: r for r in requirements_of(program, t)} for t in tiers}
    every = _first_seen(r.key for t in tiers for r in requirements_of(program, t))
    maximum = program.capability_score["maximum"]
    rows: list[dict[str, Any]] = [{"requirement": f"Capability score (out of {maximum})",
                                   **{t: asks[t]["capability_points"].needed for t in asks}}]
    for key in (k for k in every if k.startswith("staffing/")):
        role = key.partition("/")[2]
        rows.append({"requirement": ref(program, "role", role),
                     **{t: asks[t][key].needed if key in asks[t] else DASH for t in asks}})
    for spec in program.specializations:  # those a tier requires; the rest are on the specializations table
        key = f"specializations/{spec['id']}"
        if key not in every:
            continue
        rows.append({"requirement": ref(program, "specialization", spec["id"]),
                     **{t: YES if key in asks[t] else DASH for t in asks}})
    for key in (k for k in every if k.startswith("kpis/")):
        rows.append({"requirement": ref(program, "kpi", key.partition("/")[2]),
                     **{t: asks[t][key].needed_text() if key in asks[t] else DASH for t in asks}})
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
    score = program.capability_score
    rows: list[dict[str, Any]] = []
    for need in requirements_of(program, tier):
        if need.kind == POINTS:
            rows.append({"requirement": "Capability score",
                         "value": f"{need.needed} of {score['maximum']} points, with at least "
                                  f"{score.get('min_points_per_category', 0)} in every category"})
        elif need.kind == STAFFING:
            role = program.get("role", need.subject)
            certified = f" ({role['certification']})" if role.get("certification") else ""
            rows.append({"requirement": ref(program, "role", need.subject), "value": f"{need.needed}{certified}"})
        elif need.kind == SPECIALIZATION:
            rows.append({"requirement": ref(program, "specialization", need.subject), "value": "held"})
        elif need.kind == KPI:
            window = window_text(program.get("kpi", need.subject)["window"])
            rows.append({"requirement": ref(program, "kpi", need.subject),
                         "value": f"{need.needed_text()}, over {window}"})
    return DataTable(f"tier-{tier['id']}-requirements", f"{tier['name']} requirements",
                     (Column("requirement", "Requirement"), Column("value", "What you need")), tuple(rows))


def specializations(program: Program) -> DataTable:
    rows = []
    for spec in program.specializations:
        staffing = [f"{s['count']} × {program.name('role', s['role'])}" for s in spec["requirements"]["staffing"]]
        rows.append({"specialization": ref(program, "specialization", spec["id"]),
                     "kind": "Architecture" if spec.get("kind") == "architecture" else "Business practice",
                     "builds_on": ref(program, "specialization", spec["builds_on"]) if spec.get("builds_on") else DASH,
                     "staffing": staffing})
    return DataTable("specializations", "Specializations",
                     (Column("specialization", "Specialization"), Column("kind", "Kind"),
                      Column("builds_on", "Builds on"),
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


def kpi_table(program: Program, kpis: list[Item], table_id: str, title: str) -> DataTable:
    rows = [{"kpi": ref(program, "kpi", k["id"]),
             "stage": ref(program, "stage", k["stage"]) if k.get("stage") else KPI_FAMILIES[kpi_family(k)],
             "target": Kpi.of(k).threshold_text(), "window": window_text(k["window"]), "definition": k["definition"]}
            for k in kpis]
    return DataTable(table_id, title,
                     (Column("kpi", "KPI"), Column("stage", "Stage or family"), Column("target", "Target"),
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


def incentives_overview(program: Program) -> DataTable:
    rows = []
    for incentive in program.incentives:
        payout = incentive["payout"]
        rows.append({"incentive": ref(program, "incentive", incentive["id"]),
                     "tiers": [ref(program, "tier", t) for t in incentive["eligibility"]["tiers"]],
                     "pays": method_text(payout["method"]), "frequency": payout["frequency"].capitalize()})
    return DataTable("incentives", "Incentives",
                     (Column("incentive", "Incentive"), Column("tiers", "Open to"), Column("pays", "Pays"),
                      Column("frequency", "Paid")), tuple(rows))


def method_text(method: str) -> str:
    return {"fixed-amount": "A fixed amount", "percent-of-contract-value": "A share of contract value",
            "points": "Capability points"}[method]


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
        columns.append(Column("band", measure_words(shape.band).capitalize()))
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
    band = per_value(lambda b: band_words(b[0], b[1], shape.band, currency,
                                          upper_included=b[1] is not None and b[1] == top))
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


def assessment_scale(program: Program) -> DataTable:
    per = program.assessment["scoring"]["points_per_rating"]
    rows = [{"rating": s["rating"], "label": s["label"], "points": s["rating"] * per, "meaning": s["description"]}
            for s in program.assessment["scale"]]
    return DataTable("assessment-scale", "Rating scale",
                     (Column("rating", "Rating", numeric=True), Column("label", "Label"),
                      Column("points", "Points per element", numeric=True), Column("meaning", "Meaning")),
                     tuple(rows))


def assessment_sections(program: Program) -> DataTable:
    assessment = program.assessment
    rows = [{"section": s["name"], "elements": len(s["elements"]), "max": section_maximum(assessment, s)}
            for s in assessment["sections"]]
    return DataTable("assessment-sections", "Assessment sections",
                     (Column("section", "Section"), Column("elements", "Elements", numeric=True),
                      Column("max", "Maximum points", numeric=True)), tuple(rows))


def assessment_bands(program: Program) -> DataTable:
    rows = [{"band": b["name"], "points": f"{b['min_points']} to {b['max_points']}", "meaning": b["description"]}
            for b in program.assessment["bands"]]
    return DataTable("assessment-bands", "Maturity bands",
                     (Column("band", "Band"), Column("points", "Total points"), Column("meaning", "What it means")),
                     tuple(rows))


def rate_words(program: Program, incentive: Item) -> list[str]:
    """Each row of an incentive's rate table as partners read it, 'Gold, North America, 500
    to 1,000 users (not included): 2,000 USD': the worked example's and the estimator's
    "rate that applies"."""
    table = incentive_rates(program, incentive)
    frame = program.table(incentive["payout"]["table"])
    value = table_shape(frame).value
    words = []
    for row, paid in zip(table.rows, frame[value].tolist(), strict=True):
        shown = [c.label if isinstance(c, Ref) else str(c) for c in (row.get(c.key) for c in table.columns[:-1])]
        words.append(", ".join(shown) + ": " + value_words(paid, value, program.info["currency"]))
    return words
