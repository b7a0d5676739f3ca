"""Rules about incentives: thresholds agree with their KPI, follow-on incentives are never
easier, every eligible tier has rates, and worked examples compute."""

from __future__ import annotations

from collections.abc import Iterator

from ...core import codes
from ...core.findings import DataPath, Finding
from ...model.rates import CalculationError, estimate
from ...model.requirements import (
    KPI,
    SPECIALIZATION,
    Specializations,
    incentive_requirements,
    kpis_by_id,
    tier_requirements,
)
from .base import RuleContext, rule


@rule(codes.KPI_THRESHOLD, "incentives.yaml", "tiers.yaml", "kpis.yaml")
def kpi_threshold(ctx: RuleContext) -> Iterator[Finding]:
    items = ctx.data("kpis.yaml")["kpis"]
    kpis = kpis_by_id(items)
    position = {k["id"]: i for i, k in enumerate(items)}
    specializations = Specializations(ctx.data("tiers.yaml")["specializations"])

    def impossible(rel: str, path: DataPath, kpi_id: str, value: float) -> Iterator[Finding]:
        problem = kpis[kpi_id].impossible(value)
        if problem:
            hint = ("Write percentages from 0 to 100 (60 means 60%)." if kpis[kpi_id].unit == "percent"
                    and value > 100 else "Use a value on the KPI's scale.")
            yield ctx.finding(rel, path, problem, hint)

    for i, incentive in enumerate(ctx.data("incentives.yaml")["incentives"]):
        for need in incentive_requirements(incentive, kpis, specializations):
            if need.kind != KPI:
                continue
            kpi, path = kpis[need.subject], ("incentives", i) + need.at
            yield from impossible("incentives.yaml", path, kpi.id, need.needed)
            if kpi.direction.harder(kpi.target, need.needed):
                yield ctx.finding("incentives.yaml", path,
                                  f"{incentive['name']} pays for {kpi.name} of {kpi.direction.words} "
                                  f"{need.needed:g}, easier than the KPI's target of {kpi.target:g}",
                                  f"Use {kpi.direction.words} {kpi.target:g}, or change the KPI's target in "
                                  "kpis.yaml.", (("kpis.yaml", ("kpis", position[kpi.id], "target")),))
    for i, tier in enumerate(ctx.data("tiers.yaml")["tiers"]):
        for need in tier_requirements(tier, kpis, specializations):
            if need.kind == KPI:
                yield from impossible("tiers.yaml", ("tiers", i) + need.at, need.subject, need.needed)


@rule(codes.INCENTIVE_PROGRESSION, "incentives.yaml", "kpis.yaml", "tiers.yaml")
def incentive_progression(ctx: RuleContext) -> Iterator[Finding]:
    incentives = ctx.data("incentives.yaml")["incentives"]
    by_id = {inc["id"]: (i, inc) for i, inc in enumerate(incentives)}
    kpis = kpis_by_id(ctx.data("kpis.yaml")["kpis"])
    specializations = Specializations(ctx.data("tiers.yaml")["specializations"])
    for i, incentive in enumerate(incentives):
        base_id = incentive.get("builds_on")
        if base_id not in by_id:
            continue
        b, base = by_id[base_id]
        here = ("incentives", i)
        mine, theirs = incentive["eligibility"], base["eligibility"]
        for j, tier in enumerate(mine["tiers"]):
            if tier not in theirs["tiers"]:
                yield ctx.finding("incentives.yaml", here + ("eligibility", "tiers", j),
                                  f"{incentive['name']} is open to {tier}, which cannot earn {base['name']}, the "
                                  "incentive it builds on", f"Remove '{tier}', or open {base['name']} to it.",
                                  (("incentives.yaml", ("incentives", b, "eligibility", "tiers")),))
        asks = incentive_requirements(incentive, kpis, specializations)
        for need in incentive_requirements(base, kpis, specializations):
            if need.kind == SPECIALIZATION and not any(a.kind == SPECIALIZATION and a.covers(need) for a in asks):
                yield ctx.finding("incentives.yaml", here + ("eligibility",),
                                  f"{incentive['name']} does not require the {need.subject} specialization that "
                                  f"{base['name']} requires", f"Require '{need.subject}' here too.")
            if need.kind != KPI:
                continue
            ask = next((a for a in asks if a.key == need.key), None)
            kpi = kpis[need.subject]
            if ask is None:
                yield ctx.finding("incentives.yaml", here + ("eligibility",),
                                  f"{incentive['name']} drops the {kpi.name} threshold of {base['name']}",
                                  f"Add {kpi.name} {kpi.direction.words} {need.needed:g}.")
            elif not ask.covers(need):
                yield ctx.finding("incentives.yaml", here + ask.at,
                                  f"{incentive['name']} asks for {kpi.name} of {kpi.direction.words} "
                                  f"{ask.needed:g}, easier than {base['name']}'s {need.needed:g}",
                                  f"Use {kpi.direction.words} {need.needed:g} or stricter.")


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
            yield ctx.finding("incentives.yaml", path, "the worked example describes a partner who is not "
                              "eligible: " + "; ".join(result.reasons), "Pick a tier that can earn the incentive.")


RULES = [kpi_threshold, incentive_progression, rate_coverage, worked_example]
