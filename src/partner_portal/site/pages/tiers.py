"""The tier pages: the comparison, the capability score, specializations and staffing, and a page per tier."""

from __future__ import annotations

from ...core.units import format_value
from ...model.eligibility import requirements_of
from ...model.program import Item, Program
from .. import program_tables as pt
from ..escape import text
from ..markup import Links, grace_line, section, table
from ..tables import window_text


def tiers_index(program: Program, links: Links) -> str:
    score = program.capability_score
    specs = []
    for spec in program.specializations:
        staffing = ", ".join(f"{s['count']} × {links.item('role', s['role'])}"
                             for s in spec["requirements"]["staffing"])
        builds = (f" It builds on the {links.item('specialization', spec['builds_on'])}."
                  if spec.get("builds_on") else "")
        specs.append(f"### {text(spec['name'])} {{ #specialization-{spec['id']} }}\n\n{text(spec['summary'])}{builds}"
                     f"\n\nRequires: {staffing}.")
    return section(
        "# Tiers",
        f"{text(program.info['name'])} recognises partners at {len(program.tiers)} tiers. Each tier asks at least "
        "as much as the one below it and keeps its benefits.",
        "## Compare the tiers",
        table(pt.tier_comparison(program), links),
        "## Capability score",
        f"Partners earn up to {score['maximum']} points, counted over {window_text(score['window'])}. To qualify "
        f"for any tier a partner needs at least {score.get('min_points_per_category', 0)} point(s) in every category.",
        table(pt.capability_categories(program), links),
        "## Specializations",
        *specs,
        "## Staffing as you grow",
        _customer_load(program),
        table(pt.capacity_bands(program), links),
    )


def _customer_load(program: Program) -> str:
    load = program.staffing.get("customer_load")
    if not load:
        return ""
    hours = load.get("hours_per_customer_per_week")
    per_week = (f", committing {format_value(hours['min'], 'count')} to {format_value(hours['max'], 'count')} "
                "hours a week to each" if hours else "")
    return f"A customer success manager serves about {load['customers_per_csm']} customers{per_week}."


def tier_page(program: Program, links: Links, tier_id: str) -> str:
    tier = program.get("tier", tier_id)
    tiers = program.tiers
    position = tiers.index(tier)
    below = tiers[position - 1] if position > 0 else None
    above = tiers[position + 1] if position + 1 < len(tiers) else None
    below_ids = {b["id"] for b in below["benefits"]} if below else set()
    benefits = []
    for benefit in tier["benefits"]:
        new = f" *(new in {text(tier['name'])})*" if below and benefit["id"] not in below_ids else ""
        detail = f": {text(benefit['description'])}" if benefit.get("description") else ""
        benefits.append(f"- {text(benefit['name'])}{detail}{new}")
    incentives = [links.item("incentive", i["id"]) for i in program.incentives
                  if tier_id in i["eligibility"]["tiers"]]
    neighbours = []
    if below:
        neighbours.append(f"One tier below: {links.item('tier', below['id'])}.")
    if above:
        neighbours.append(f"Next tier: {links.item('tier', above['id'])}.")
    models = ", ".join(links.item("model", m) for m in tier.get("engagement_models", []))
    return section(
        f"# {text(tier['name'])}",
        text(tier["summary"]),
        " ".join(neighbours + [f"[Compare all tiers]({links.path('tiers/index.md')})."]),
        "## What you need",
        table(pt.tier_requirements(program, tier), links),
        _grace_periods(program, tier),
        f"Engagement models: {models}." if models else "",
        "## What you get",
        "\n".join(benefits),
        "## Incentives you can earn",
        "\n".join(f"- {i}" for i in incentives) if incentives else "No incentives are open to this tier.",
    )


def _grace_periods(program: Program, tier: Item) -> str:
    lines = [f"    - {grace_line(program, tier, r)}" for r in requirements_of(program, tier) if r.grace]
    if not lines:
        return ""
    return '!!! info "Time to meet raised requirements"\n\n' + "\n".join(lines)
