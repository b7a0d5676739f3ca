"""Rules about incentives: they agree with the benefits of the tiers they are open to, the
specializations they require can be held at those tiers, points fit their category,
every eligible tier has rates, and worked examples compute."""

from __future__ import annotations

from collections.abc import Iterator

from ...core import codes
from ...core.findings import MAX_PER_KIND, Finding
from ...model.program import Item
from ...model.rates import CalculationError, estimate, table_shape
from ...model.requirements import Specializations, specialization_options, specialization_requirements
from .base import RuleContext, rule


@rule(codes.INCENTIVE_BENEFIT, "incentives.yaml", "tiers.yaml")
def incentive_benefit(ctx: RuleContext) -> Iterator[Finding]:
    tiers = ctx.data("tiers.yaml")["tiers"]
    benefits = {t["id"]: {b["id"]: j for j, b in enumerate(t["benefits"])} for t in tiers}
    known = sorted({b for found in benefits.values() for b in found})
    incentives = ctx.data("incentives.yaml")["incentives"]
    for i, incentive in enumerate(incentives):
        benefit, open_to = incentive["benefit"], incentive["eligibility"]["tiers"]
        if benefit not in known:
            yield ctx.finding("incentives.yaml", ("incentives", i, "benefit"), f"{incentive['name']} names the "
                              f"benefit '{benefit}', which no tier lists", f"Name one of: {', '.join(known)}; or add "
                              f"the benefit to the tiers that can earn {incentive['name']}.")
            continue
        for j, tier_id in enumerate(open_to):
            if tier_id in benefits and benefit not in benefits[tier_id]:
                name = next(t["name"] for t in tiers if t["id"] == tier_id)
                yield ctx.finding("incentives.yaml", ("incentives", i, "eligibility", "tiers", j),
                                  f"{incentive['name']} is open to {name}, but {name}'s benefits do not list "
                                  f"'{benefit}'", f"Remove '{tier_id}' from the tiers, or add the benefit "
                                  f"'{benefit}' to {name}.", (("incentives.yaml", ("incentives", i, "benefit")),))
    for t, tier in enumerate(tiers):
        for benefit, j in benefits[tier["id"]].items():
            for i, incentive in enumerate(incentives):
                if incentive["benefit"] == benefit and tier["id"] not in incentive["eligibility"]["tiers"]:
                    yield ctx.finding("tiers.yaml", ("tiers", t, "benefits", j, "id"),
                                      f"{tier['name']} lists the benefit '{benefit}', but {incentive['name']} is "
                                      f"not open to {tier['name']}",
                                      f"Add '{tier['id']}' to the tiers of {incentive['name']}, or remove the "
                                      f"benefit from {tier['name']}.",
                                      (("incentives.yaml", ("incentives", i, "eligibility", "tiers")),))


@rule(codes.INCENTIVE_SPECIALIZATION, "incentives.yaml", "tiers.yaml")
def incentive_specialization(ctx: RuleContext) -> Iterator[Finding]:
    document = ctx.data("tiers.yaml")
    specializations = Specializations(document["specializations"])
    specs = {s["id"]: s for s in document["specializations"]}
    tiers = {t["id"]: t for t in document["tiers"]}
    # Roles some tier asks for: a specialization needing more of them than a tier asks needs a
    # higher tier's staffing. Roles no tier asks for (architects) are an investment of their own.
    tier_roles = {r["role"] for t in document["tiers"] for r in t["requirements"]["staffing"]}

    def shortfall(spec_id: str, tier: Item) -> list[str] | None:
        """What holding `spec_id` needs beyond what `tier` asks (None: the tier can hold it)."""
        held = tier["requirements"].get("specializations", [])
        if any(h in specializations.satisfying(spec_id) for h in held):
            return None
        asked = {r["role"]: r["count"] for r in tier["requirements"]["staffing"]}
        short = [f"{need.needed} × {need.subject}" for need in specialization_requirements(specs[spec_id])
                 if need.subject in tier_roles and asked.get(need.subject, 0) < need.needed]
        return short or None

    for i, incentive in enumerate(ctx.data("incentives.yaml")["incentives"]):
        for entry in incentive["eligibility"].get("specializations", []):
            options = [o for o in specialization_options(entry) if o in specs]
            if not options:
                continue
            for j, tier_id in enumerate(incentive["eligibility"]["tiers"]):
                tier = tiers.get(tier_id)
                if tier is None:
                    continue
                shorts = [shortfall(o, tier) for o in options]
                if any(short is None for short in shorts):
                    continue
                spec_id, short = options[0], shorts[0]
                named = specs[spec_id]["name"] if len(options) == 1 else "any of " + ", ".join(
                    specs[o]["name"] for o in options)
                yield ctx.finding("incentives.yaml", ("incentives", i, "eligibility", "tiers", j),
                                  f"{incentive['name']} is open to {tier['name']} but requires the "
                                  f"{named}, which needs {', '.join(short or [])}: more than "
                                  f"{tier['name']} asks for, so only a partner staffed for a higher tier could earn it",
                                  f"Remove '{tier_id}' from the tiers, or require '{spec_id}' (and its staffing) at "
                                  f"{tier['name']}.", (("tiers.yaml", ("specializations",
                                                                       list(specs).index(spec_id))),))


@rule(codes.POINTS_CATEGORY, "incentives.yaml", "tiers.yaml", "incentives/*.csv")
def points_category(ctx: RuleContext) -> Iterator[Finding]:
    categories = {c["id"]: (j, c) for j, c in enumerate(ctx.data("tiers.yaml")["capability_score"]["categories"])}
    for incentive in ctx.data("incentives.yaml")["incentives"]:
        payout = incentive["payout"]
        table = ctx.tables.get(payout["table"])
        if payout["method"] != "points" or payout.get("category") not in categories or table is None:
            continue
        try:
            column = table_shape(table.frame).value
        except CalculationError:
            continue  # the table's own checks say why it cannot be read
        j, category = categories[payout["category"]]
        values = table.frame[column].tolist()
        over = [k for k, value in enumerate(values) if value > category["max_points"]]
        for k in over[:MAX_PER_KIND]:
            yield ctx.row_finding(payout["table"], k, column, f"{incentive['name']} awards {values[k]:g} points here, "
                                  f"more than the {category['max_points']} the {category['name']} category it counts "
                                  "towards can hold", f"Write {category['max_points']} or fewer, or raise the "
                                  f"category's max_points (and lower another's, so they still add up).",
                                  related=(("tiers.yaml", ("capability_score", "categories", j, "max_points")),),
                                  fix=category["max_points"])


@rule(codes.RATE_COVERAGE, "incentives.yaml", "program.yaml", "incentives/*.csv")
def rate_coverage(ctx: RuleContext) -> Iterator[Finding]:
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


@rule(codes.WORKED_EXAMPLE, "incentives.yaml", "tiers.yaml", "kpis.yaml", "program.yaml", "incentives/*.csv")
def worked_example(ctx: RuleContext) -> Iterator[Finding]:
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
            tiers = incentive["eligibility"]["tiers"]
            yield ctx.finding("incentives.yaml", path, "the worked example describes a partner who is not "
                              "eligible: " + "; ".join(result.reasons), f"Give the example a partner who can earn "
                              f"it: a tier among {', '.join(tiers)}, with every specialization and KPI value asked.")


RULES = [incentive_benefit, incentive_specialization, points_category, rate_coverage, worked_example]
