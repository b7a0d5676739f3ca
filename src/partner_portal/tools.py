"""The partner self-service tools' calculations, in Python.

The browser tools (content/assets/javascripts/portal-tools.js) compute the same things
from `tools_data()`, emitted at build time from the same program data; the browser
tests run both on the same cases and compare.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from .calc import CalculationError, Estimate, estimate, meets, table_shape
from .model import Item, Program, with_builds_on

AMOUNT_INPUTS = ("active_users", "contract_value", "expansion_value", "renewed_value")


def tier_gaps(program: Program, tier: Item, form: Mapping[str, Any]) -> list[str]:
    """What a partner described by `form` lacks for `tier` (empty when it qualifies)."""
    gaps = []
    req = tier["requirements"]
    points = form.get("capability_points") or 0
    if points < req["capability_points"]:
        gaps.append(f"{req['capability_points'] - points:g} more capability points (needs {req['capability_points']})")
    staffing = form.get("staffing") or {}
    for need in req["staffing"]:
        have = staffing.get(need["role"]) or 0
        if have < need["count"]:
            gaps.append(f"{need['count'] - have:g} more {program.name('role', need['role'])} "
                        f"(needs {need['count']})")
    held = with_builds_on(program.specializations, set(form.get("specializations") or []))
    for spec in req.get("specializations", []):
        if spec not in held:
            gaps.append(f"the {program.name('specialization', spec)}")
    values = form.get("kpis") or {}
    for need in req.get("kpis", []):
        kpi = program.get("kpi", need["kpi"])
        value = values.get(need["kpi"])
        word = "at least" if kpi["direction"] == "at-least" else "at most"
        if value is None or (isinstance(value, float) and math.isnan(value)):
            gaps.append(f"{kpi['name']} of {word} {need['value']:g} (not entered)")
        elif not meets(kpi, value, need["value"]):
            gaps.append(f"{kpi['name']} of {word} {need['value']:g} (you have {value:g})")
    model = form.get("engagement_model")
    if model and tier.get("engagement_models") and model not in tier["engagement_models"]:
        gaps.append(f"an engagement model {tier['name']} allows ({', '.join(tier['engagement_models'])})")
    return gaps


def tier_check(program: Program, form: Mapping[str, Any]) -> dict[str, Any]:
    """The highest tier `form` qualifies for, and what is missing for the next one."""
    qualified = None
    for tier in program.tiers:
        if not tier_gaps(program, tier, form):
            qualified = tier
    ranked = program.tiers
    following = ranked[0] if qualified is None else next(
        (t for t in ranked if t["rank"] > qualified["rank"]), None)
    return {"qualifies": qualified["id"] if qualified else None,
            "next": following["id"] if following else None,
            "missing": tier_gaps(program, following, form) if following else []}


def assessment_score(program: Program, ratings: Mapping[str, list[int | None]]) -> dict[str, Any]:
    """Section subtotals, total and maturity band for `ratings` (section id -> one rating
    per element, None where unanswered) under the assessment's scoring rule."""
    assessment = program.assessment
    per = assessment["scoring"]["points_per_rating"]
    sections, total, unanswered = {}, 0, 0
    for section in assessment["sections"]:
        given = list(ratings.get(section["id"], []))[: len(section["elements"])]
        given += [None] * (len(section["elements"]) - len(given))
        subtotal = sum(r * per for r in given if r is not None)
        unanswered += sum(1 for r in given if r is None)
        sections[section["id"]] = subtotal
        total += subtotal
    band = next((b["id"] for b in assessment["bands"] if b["min_points"] <= total <= b["max_points"]), None)
    return {"sections": sections, "total": total, "band": band if not unanswered else None,
            "unanswered": unanswered}


def estimate_from_form(program: Program, incentive_id: str, form: Mapping[str, Any]) -> Estimate:
    """`estimate`, with the incentive's band and basis read from the estimator's inputs."""
    incentive = program.get("incentive", incentive_id)
    wiring = incentive["payout"].get("estimator", {})
    kpis = form.get("kpis") or {}

    def read(name: str | None) -> float | None:
        if name is None:
            return None
        return form.get(name) if name in AMOUNT_INPUTS else kpis.get(name)

    inputs = {"tier": form.get("tier"), "region": form.get("region"),
              "specializations": form.get("specializations") or [], "kpis": kpis,
              "band_value": read(wiring.get("band")), "basis_amount": read(wiring.get("basis"))}
    try:
        return estimate(program, incentive_id, inputs)
    except CalculationError as exc:
        return Estimate(incentive_id, False, (str(exc),))


def tools_data(program: Program) -> dict[str, Any]:
    """What the browser tools need, as JSON: the same data the checks verified."""
    incentives = []
    for incentive in program.incentives:
        frame = program.table(incentive["payout"]["table"])
        shape = table_shape(frame)
        rows = [{k: (None if _missing(v) else v) for k, v in row.items()}
                for row in frame.astype(object).to_dict("records")]
        incentives.append({
            "id": incentive["id"], "name": incentive["name"], "eligibility": incentive["eligibility"],
            "payout": {k: incentive["payout"][k] for k in ("method", "frequency", "basis", "table")
                       } | {"estimator": incentive["payout"].get("estimator", {})},
            "table": {"keys": list(shape.keys), "band": list(shape.band_columns or []), "value": shape.value,
                      "rows": rows}})
    return {
        "currency": program.info["currency"],
        "regions": [{"id": r["id"], "name": r["name"]} for r in program.regions],
        "roles": {r["id"]: r["name"] for r in program.roles},
        "models": [{"id": m["id"], "name": m["name"]} for m in program.models],
        "specializations": [{"id": s["id"], "name": s["name"], "builds_on": s.get("builds_on")}
                            for s in program.specializations],
        "kpis": {k["id"]: {"name": k["name"], "unit": k["unit"], "direction": k["direction"], "target": k["target"]}
                 for k in program.kpis},
        "tiers": [{"id": t["id"], "name": t["name"], "rank": t["rank"], "requirements": t["requirements"],
                   "engagement_models": t.get("engagement_models", [])} for t in program.tiers],
        "capability_maximum": program.capability_score["maximum"],
        "incentives": incentives,
        "assessment": {k: program.assessment[k] for k in ("id", "name", "scale", "scoring", "sections", "bands")},
    }


def _missing(value: Any) -> bool:
    try:
        return value is None or value != value
    except TypeError:
        return True
