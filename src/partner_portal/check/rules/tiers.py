"""Rules about tiers: the ladder asks more at every step and keeps its benefits, grace
periods name a raised requirement, and capability points add up."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...core import codes
from ...core.findings import Finding
from ...model.requirements import (
    KPI,
    POINTS,
    SPECIALIZATION,
    STAFFING,
    GracePeriod,
    Requirement,
    Specializations,
    kpis_by_id,
    tier_requirements,
)
from .base import RuleContext, rule


def _ladder(tiers: list[Any]) -> list[tuple[int, int]]:
    """(below, above) positions in the file of each pair of neighbouring tiers, by rank."""
    order = sorted(range(len(tiers)), key=lambda i: tiers[i]["rank"])
    return list(zip(order, order[1:], strict=False))


@rule(codes.TIER_ORDER, "tiers.yaml", "kpis.yaml")
def tier_order(ctx: RuleContext) -> Iterator[Finding]:
    document = ctx.data("tiers.yaml")
    tiers, specializations = document["tiers"], Specializations(document["specializations"])
    kpis = kpis_by_id(ctx.data("kpis.yaml")["kpis"])
    for below_index, above_index in _ladder(tiers):
        below, above = tiers[below_index], tiers[above_index]
        here, there = ("tiers", above_index), ("tiers", below_index)
        if above["rank"] == below["rank"]:
            yield ctx.finding("tiers.yaml", here + ("rank",), f"{above['name']} and {below['name']} share rank "
                              f"{above['rank']}", "Give every tier its own rank: 1 for the entry tier, then 2, 3...",
                              (("tiers.yaml", there + ("rank",)),))
            continue
        asks = tier_requirements(above, kpis, specializations)
        for need in tier_requirements(below, kpis, specializations):
            yield from _not_covered(ctx, need, asks, above, below, here, there)


def _not_covered(ctx: RuleContext, need: Requirement, asks: list[Requirement], above: Any, below: Any,
                 here: tuple[Any, ...], there: tuple[Any, ...]) -> Iterator[Finding]:
    """A finding when the tier above asks less than `need`, a requirement of the tier below."""
    related = (("tiers.yaml", there + need.at),)
    if need.kind == SPECIALIZATION:
        if not any(a.kind == SPECIALIZATION and a.covers(need) for a in asks):
            yield ctx.finding("tiers.yaml", here + ("requirements",),
                              f"{above['name']} does not require the {need.subject} specialization that "
                              f"{below['name']} requires",
                              f"Require '{need.subject}' (or a specialization that builds on it).", related)
        return
    if not need.numeric:
        return
    ask = next((a for a in asks if a.key == need.key), None)
    if ask is not None and ask.covers(need):
        return
    if need.kind == POINTS:
        yield ctx.finding("tiers.yaml", here + ask.at, f"{above['name']} asks for {ask.needed} capability points, "
                          f"fewer than the {need.needed} of {below['name']} below it",
                          f"Raise it to at least {need.needed}, or lower {below['name']}'s.", related)
    elif need.kind == STAFFING:
        count = ask.needed if ask is not None else 0
        yield ctx.finding("tiers.yaml", here + (ask.at if ask is not None else ("requirements", "staffing")),
                          f"{above['name']} needs {count} × {need.subject}, fewer than the {need.needed} of "
                          f"{below['name']}", f"Ask for at least {need.needed} {need.subject} in {above['name']}.",
                          related)
    elif need.kind == KPI:
        name = ctx.program.name("kpi", need.subject)
        if ask is None:
            yield ctx.finding("tiers.yaml", here + ("requirements",),
                              f"{above['name']} drops the {name} requirement that {below['name']} has",
                              f"Add {name} to {above['name']} at {need.direction.words} {need.needed}.", related)
        else:
            yield ctx.finding("tiers.yaml", here + ask.at, f"{above['name']} asks for {name} of "
                              f"{ask.direction.words} {ask.needed}, easier than {below['name']}'s {need.needed}",
                              f"Use a value {need.direction.words} {need.needed}.", related)


_GRACE_KINDS = (POINTS, STAFFING, KPI, SPECIALIZATION)


@rule(codes.GRACE_PERIOD, "tiers.yaml", "kpis.yaml", "program.yaml")
def grace_period(ctx: RuleContext) -> Iterator[Finding]:
    document = ctx.data("tiers.yaml")
    kpis = kpis_by_id(ctx.data("kpis.yaml")["kpis"])
    effective = str(ctx.data("program.yaml")["effective_date"])
    specializations = Specializations(document["specializations"])
    for i, tier in enumerate(document["tiers"]):
        current = {r.key: r for r in sorted(tier_requirements(tier, kpis, specializations),
                                            key=lambda r: _GRACE_KINDS.index(r.kind) if r.kind in _GRACE_KINDS
                                            else len(_GRACE_KINDS)) if r.kind in _GRACE_KINDS}
        seen: set[str] = set()
        for j, period in enumerate(tier.get("grace_periods", [])):
            key, path = period["requirement"], ("tiers", i, "grace_periods", j)
            requirement = current.get(key)
            if requirement is None:
                yield ctx.finding("tiers.yaml", path + ("requirement",),
                                  f"{tier['name']} has a grace period for '{key}', which is not one of its "
                                  "requirements", f"Name one of: {', '.join(current)}.")
                continue
            if key in seen:
                yield ctx.finding("tiers.yaml", path + ("requirement",), f"{tier['name']} has two grace periods "
                                  f"for '{key}'", "Keep one grace period per requirement.")
            seen.add(key)
            yield from _previous_value(ctx, requirement, period.get("previous"), path)
            if not GracePeriod.of(period).gives_time_after(effective):
                yield ctx.finding("tiers.yaml", path + ("until",), f"the grace period for '{key}' ends on "
                                  f"{period['until']}, before this version takes effect ({effective}), so it no "
                                  "longer applies", "Remove it (the changelog keeps it), or end it later.",
                                  related=(("program.yaml", ("effective_date",)),), code=codes.GRACE_PERIOD_ENDED)


def _previous_value(ctx: RuleContext, requirement: Requirement, previous: Any, path: tuple[Any, ...]
                    ) -> Iterator[Finding]:
    key = requirement.key
    if requirement.kind == SPECIALIZATION:
        if previous is not None:
            yield ctx.finding("tiers.yaml", path + ("previous",), f"the grace period for '{key}' gives a "
                              "previous value, but a specialization is held or not",
                              "Remove `previous`: until the date, the specialization is not required.")
    elif previous is None:
        yield ctx.finding("tiers.yaml", path, f"the grace period for '{key}' does not say the previous value "
                          "partners are held to meanwhile", "Add `previous:` with the value the requirement had "
                          "before it was raised.")
    elif not requirement.direction.harder(requirement.needed, previous):
        yield ctx.finding("tiers.yaml", path + ("previous",), f"the grace period for '{key}' holds partners to "
                          f"{previous}, which is not less demanding than the requirement ({requirement.needed}), so it "
                          "changes nothing", "Give the value the requirement had before it was raised, or remove the "
                          "grace period.")


@rule(codes.TIER_BENEFITS, "tiers.yaml")
def tier_benefits(ctx: RuleContext) -> Iterator[Finding]:
    tiers = ctx.data("tiers.yaml")["tiers"]
    for below_index, above_index in _ladder(tiers):
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


@rule(codes.POINTS_TOTAL, "tiers.yaml")
def points_total(ctx: RuleContext) -> Iterator[Finding]:
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


RULES = [tier_order, grace_period, tier_benefits, points_total]
