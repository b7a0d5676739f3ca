"""The partner self-service tools' answers, in Python: which tier a partner qualifies
for and what is missing for the next one, and what each incentive would pay.

The browser tools (content/assets/javascripts/portal-tools.js) answer the same questions
from the requirements and tables `site.tools_data` exports; the browser tests put both
to the same cases and require the same answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.units import format_money, format_value
from .eligibility import grace_note, requirements_of, shortfalls
from .program import Item, Program
from .rates import CalculationError, Estimate, NoRate, estimate
from .requirements import MODEL, Requirement

AMOUNT_INPUTS = ("active_users", "contract_value", "expansion_value", "renewed_value")
# The estimator's amount inputs as a reason names them, and their unit.
AMOUNT_WORDS = {"active_users": ("your active users in production", "count"),
                "contract_value": ("the customer's annual contract value", "money"),
                "expansion_value": ("the expansion booking value", "money"),
                "renewed_value": ("the contract value renewed in the fiscal year", "money")}


def input_words(program: Program, name: str) -> tuple[str, str]:
    """An estimator input (an amount, or a KPI by id) as a reason names it, and its unit."""
    if name in AMOUNT_WORDS:
        return AMOUNT_WORDS[name]
    kpi = program.get("kpi", name)
    return f"your {kpi['name'][:1].lower()}{kpi['name'][1:]}", kpi["unit"]


def reason_words(program: Program, incentive: Item, why: NoRate) -> str:
    """Why no rate applies, in partner words: tiers, regions and amounts, never the table's
    rows or columns. The estimator in the browser words it the same (portal-tools.js)."""
    wiring = incentive["payout"].get("estimator", {})
    if why.why == "missing":
        return f"choose your {why.key}"
    if why.why in ("band", "basis"):
        return f"enter {input_words(program, wiring[why.why])[0]}"
    if why.why == "no-rows":
        return "no rate for your tier and region"
    label, unit = input_words(program, wiring["band"])
    bound = format_money(why.bound, program.info["currency"]) if unit == "money" else format_value(why.bound, unit)
    return f"needs {label} of at {'least' if why.why == 'below' else 'most'} {bound}"


def partner_values(form: Mapping[str, Any], requirements: list[Requirement]) -> dict[str, Any]:
    """A tier check form's answers by requirement key. Points and people not entered count
    as none; a KPI not entered is unknown (and falls short); so is an engagement model not
    stated, which the tier check does not hold against the partner."""
    staffing = form.get("staffing") or {}
    values: dict[str, Any] = {"capability_points": form.get("capability_points") or 0,
                              "engagement_models": form.get("engagement_model") or None}
    for requirement in requirements:
        if requirement.key.startswith("staffing/"):
            values[requirement.key] = staffing.get(requirement.subject) or 0
        elif requirement.key.startswith("specializations/"):
            values[requirement.key] = form.get("specializations") or []
        elif requirement.key.startswith("kpis/"):
            value = (form.get("kpis") or {}).get(requirement.subject)
            values[requirement.key] = None if value is None or value != value else value
    return values


def tier_gaps(program: Program, tier: Item, form: Mapping[str, Any], *, on: str | None = None) -> list[str]:
    """What a partner described by `form` lacks for `tier` (empty when it qualifies). A
    partner at the tier (or above) is held to a grace period's previous value until it ends."""
    requirements = requirements_of(program, tier)
    values = partner_values(form, requirements)
    if values["engagement_models"] is None:
        requirements = [r for r in requirements if r.kind != MODEL]
    return shortfalls(program, requirements, values, unknown_meets=False, holder=_holds(program, tier, form), on=on)


def _holds(program: Program, tier: Item, form: Mapping[str, Any]) -> bool:
    current = form.get("current_tier")
    if not current:
        return False
    return program.get("tier", current)["rank"] >= tier["rank"]


def tier_check(program: Program, form: Mapping[str, Any], *, on: str | None = None,
               aim: str | None = None) -> dict[str, Any]:
    """The highest tier `form` qualifies for, what is missing for the next one, and the
    grace periods that keep the partner at its tier (`on`: the day, YYYY-MM-DD). With `aim`
    (a tier's id, as a tier page asks), also what is missing for that tier."""
    qualified = None
    for tier in program.tiers:
        if not tier_gaps(program, tier, form, on=on):
            qualified = tier
    following = program.tiers[0] if qualified is None else next(
        (t for t in program.tiers if t["rank"] > qualified["rank"]), None)
    grace = []
    if qualified is not None and _holds(program, qualified, form):
        requirements = requirements_of(program, qualified)
        values = partner_values(form, requirements)
        grace = [grace_note(program, r, qualified["name"]) for r in requirements
                 if r.grace is not None and values.get(r.key) is not None and r.graced(values[r.key], holder=True,
                                                                                          on=on)]
    result = {"qualifies": qualified["id"] if qualified else None,
              "next": following["id"] if following else None,
              "missing": tier_gaps(program, following, form, on=on) if following else [],
              "grace": grace}
    aimed = next((t for t in program.tiers if t["id"] == aim), None)
    if aimed is not None:
        result["aim"] = {"tier": aimed["id"], "missing": tier_gaps(program, aimed, form, on=on)}
    return result


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
    except NoRate as exc:
        return Estimate(incentive_id, False, (reason_words(program, incentive, exc),))
    except CalculationError as exc:
        return Estimate(incentive_id, False, (str(exc),))
