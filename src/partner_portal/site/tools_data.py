"""What the browser tools read, as JSON the build emits from the checked program: each
tier's and incentive's requirements as the domain core states them (with the words the
pages use), the rate tables, the assessment, and the partner directory.

`portal-tools.js` evaluates these requirements with one small evaluator that mirrors
`Requirement.met_by` and `eligibility.shortfall`; the browser tests hold the two to the
same answers.
"""

from __future__ import annotations

from typing import Any

from ..model.eligibility import eligibility_of, grace_note, label, needed_words, requirements_of
from ..model.program import Item, Program
from ..model.rates import table_shape
from ..model.requirements import Requirement
from ..model.self_service import input_words
from ..model.usage import usage_spec
from . import program_tables as pt


def requirement_data(program: Program, requirement: Requirement, tier: Item | None = None) -> dict[str, Any]:
    """One requirement for the browser: what it asks and in what words, and its grace period."""
    grace = requirement.grace
    return {
        "key": requirement.key, "kind": requirement.kind, "subject": requirement.subject,
        "label": label(program, requirement),
        "needed": list(requirement.needed) if isinstance(requirement.needed, tuple) else requirement.needed,
        "direction": requirement.direction.value, "unit": requirement.unit,
        "needed_text": needed_words(program, requirement),
        "grace": None if grace is None or tier is None else {
            "previous": grace.previous, "until": grace.until,
            "previous_text": None if grace.previous is None else needed_words(program, requirement, grace.previous),
            "note": grace_note(program, requirement, tier["name"])},
    }


def tools_data(program: Program) -> dict[str, Any]:
    """What the browser tools need, as JSON: the same data the checks verified."""
    incentives = []
    for incentive in program.incentives:
        frame = program.table(incentive["payout"]["table"])
        shape = table_shape(frame)
        rows = [{k: (None if _missing(v) else v) for k, v in row.items()}
                for row in frame.astype(object).to_dict("records")]
        incentives.append({
            "id": incentive["id"], "name": incentive["name"],
            "requirements": [requirement_data(program, r) for r in eligibility_of(program, incentive)],
            "payout": {k: incentive["payout"][k] for k in ("method", "frequency", "basis", "table")
                       } | {"estimator": incentive["payout"].get("estimator", {})},
            # How a reason names the estimator's inputs, and their units (self_service.reason_words).
            "inputs": {role: input_words(program, name)
                       for role, name in incentive["payout"].get("estimator", {}).items()},
            # The rate each row pays, in partner words, for "the rate that applies".
            "rates": pt.rate_words(program, incentive),
            "table": {"keys": list(shape.keys), "band": list(shape.band_columns or []), "value": shape.value,
                      "rows": rows}})
    return {
        "currency": program.info["currency"],
        "regions": [{"id": r["id"], "name": r["name"]} for r in program.regions],
        "roles": {r["id"]: r["name"] for r in program.roles},
        "models": [{"id": m["id"], "name": m["name"]} for m in program.models],
        "specializations": [{"id": s["id"], "name": s["name"]} for s in program.specializations],
        "kpis": {k["id"]: {"name": k["name"], "unit": k["unit"], "direction": k["direction"], "target": k["target"]}
                 for k in program.kpis},
        "tiers": [{"id": t["id"], "name": t["name"], "rank": t["rank"],
                   "requirements": [requirement_data(program, r, t) for r in requirements_of(program, t)]}
                  for t in program.tiers],
        "capability_maximum": program.capability_score["maximum"],
        "incentives": incentives,
        "assessment": {k: program.assessment[k] for k in ("id", "name", "scale", "scoring", "sections", "bands")},
        "usage": usage_spec(program).as_data(),
    }


def partners_data(program: Program) -> list[dict[str, Any]]:
    """The directory's data: one record per listed partner, for client-side search."""
    frame = program.tables.get("partners/roster.csv")
    if frame is None:
        return []
    columns = ["id", "name", "regions", "tier", "engagement_model", "specializations", "website"]
    records = frame[columns].astype(object).where(frame[columns].notna(), "").to_dict("records")
    for record in records:
        record["regions"] = [r for r in str(record["regions"]).split(";") if r]
        record["specializations"] = [s for s in str(record["specializations"]).split(";") if s]
    return records


def _missing(value: Any) -> bool:
    try:
        return value is None or value != value
    except TypeError:
        return True
