"""Rules about tiers: they keep the benefits of the tiers below, staff the specializations
they require, grace periods name a raised requirement, and capability points add up."""

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
    specialization_requirements,
    tier_requirements,
)
from .base import RuleContext, rule
from .thresholds import ladder

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
                                  "longer applies", f"Remove it (the changelog keeps it), or end it after {effective}.",
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
                          "changes nothing", f"Write the value the requirement had before it was raised, "
                          f"{'below' if requirement.direction.words == 'at least' else 'above'} {requirement.needed}; "
                          "or remove the grace period.")


@rule(codes.TIER_BENEFITS, "tiers.yaml")
def tier_benefits(ctx: RuleContext) -> Iterator[Finding]:
    tiers = ctx.data("tiers.yaml")["tiers"]
    for below_index, above_index in ladder(tiers):
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
    categories = score["categories"]
    total = sum(c["max_points"] for c in categories)
    if total != score["maximum"]:
        # The categories are what a program team edits; the maximum (100) rarely moves.
        terms = " + ".join(f"{c['max_points']} ({c['name']})" for c in categories)
        off = total - score["maximum"]
        yield ctx.finding("tiers.yaml", ("capability_score", "categories"),
                          f"the categories add up to {terms} = {total} points, not the declared maximum of "
                          f"{score['maximum']}",
                          f"{'Lower' if off > 0 else 'Raise'} the categories' max_points by {abs(off)} in all, or "
                          f"write maximum: {total}.", (("tiers.yaml", ("capability_score", "maximum")),))
    for i, tier in enumerate(ctx.data("tiers.yaml")["tiers"]):
        if tier["requirements"]["capability_points"] > score["maximum"]:
            yield ctx.finding("tiers.yaml", ("tiers", i, "requirements", "capability_points"),
                              f"{tier['name']} asks for {tier['requirements']['capability_points']} points, more "
                              f"than the maximum of {score['maximum']}", f"Write {score['maximum']} or fewer.",
                              (("tiers.yaml", ("capability_score", "maximum")),))
    minimum = score.get("min_points_per_category", 0)
    smallest = min(c["max_points"] for c in categories)
    for i, category in enumerate(categories):
        if minimum > category["max_points"]:
            yield ctx.finding("tiers.yaml", ("capability_score", "min_points_per_category"),
                              f"a partner needs {minimum} points in every category, but the category "
                              f"{category['name']} is worth at most {category['max_points']}",
                              f"Write {smallest} or fewer.", (("tiers.yaml", ("capability_score", "categories", i,
                                                                              "max_points")),), fix=smallest)
            break


@rule(codes.TIER_SPECIALIZATION, "tiers.yaml")
def tier_specialization(ctx: RuleContext) -> Iterator[Finding]:
    document = ctx.data("tiers.yaml")
    specs = {s["id"]: (j, s) for j, s in enumerate(document["specializations"])}
    for i, tier in enumerate(document["tiers"]):
        asked = {r["role"]: (k, r["count"]) for k, r in enumerate(tier["requirements"]["staffing"])}
        for spec_id in tier["requirements"].get("specializations", []):
            if spec_id not in specs:
                continue
            j, spec = specs[spec_id]
            for need in specialization_requirements(spec):
                related = (("tiers.yaml", ("specializations", j) + need.at),)
                k, count = asked.get(need.subject, (None, 0))
                if count >= need.needed:
                    continue
                if k is None:
                    yield ctx.finding("tiers.yaml", ("tiers", i, "requirements", "staffing"),
                                      f"{tier['name']} requires the {spec['name']}, which needs {need.needed} × "
                                      f"{need.subject}, but {tier['name']} asks for none",
                                      f"Add `- {{role: {need.subject}, count: {need.needed}}}` to {tier['name']}'s "
                                      "staffing.", related)
                else:
                    yield ctx.finding("tiers.yaml", ("tiers", i, "requirements", "staffing", k, "count"),
                                      f"{tier['name']} asks for {count} × {need.subject}, but the {spec['name']} it "
                                      f"requires needs {need.needed}", f"Write {need.needed}.", related,
                                      fix=need.needed)


RULES = [grace_period, tier_benefits, points_total, tier_specialization]
