"""Fragments of the tier pages: the comparison, the capability score, specializations,
staffing, and the parts of each tier's page."""

from __future__ import annotations

from ...core.units import format_value
from ...model.eligibility import requirements_of
from ...model.program import Program
from .. import program_tables as pt
from ..escape import text
from ..markup import Links, grace_line, table
from .items import neighbours
from .registry import fragment

TOPIC = "Tiers"


@fragment("tier_comparison()", TOPIC)
def tier_comparison(program: Program, links: Links) -> str:
    """Every tier side by side: what each asks, with downloads."""
    return table(pt.tier_comparison(program), links)


@fragment("capability_categories()", TOPIC)
def capability_categories(program: Program, links: Links) -> str:
    """The capability score's categories and their points, as a table."""
    return table(pt.capability_categories(program), links)


@fragment("specializations()", TOPIC)
def specializations(program: Program, links: Links) -> str:
    """Each specialization under a level-3 heading (the target of links to it): its summary,
    what it builds on and the staff it needs."""
    specs = []
    for spec in program.specializations:
        staffing = ", ".join(f"{s['count']} × {links.item('role', s['role'])}"
                             for s in spec["requirements"]["staffing"])
        builds = (f" It builds on the {links.item('specialization', spec['builds_on'])}."
                  if spec.get("builds_on") else "")
        specs.append(f"### {text(spec['name'])} {{ #specialization-{spec['id']} }}\n\n{text(spec['summary'])}{builds}"
                     f"\n\nRequires: {staffing}.")
    return "\n\n".join(specs)


@fragment("customer_load()", TOPIC)
def customer_load(program: Program, links: Links) -> str:
    """How many customers a customer success manager serves, and for how many hours a week
    (nothing if the program does not say)."""
    load = program.staffing.get("customer_load")
    if not load:
        return ""
    hours = load.get("hours_per_customer_per_week")
    per_week = (f", committing {format_value(hours['min'], 'count')} to {format_value(hours['max'], 'count')} "
                "hours a week to each" if hours else "")
    return f"A customer success manager serves about {load['customers_per_csm']} customers{per_week}."


@fragment("capacity_bands()", TOPIC)
def capacity_bands(program: Program, links: Links) -> str:
    """How many of each role a practice needs as its customers grow, as a table."""
    return table(pt.capacity_bands(program), links)


@fragment("tier_neighbours('gold')", TOPIC)
def tier_neighbours(program: Program, links: Links, tier_id: str) -> str:
    """Links to the tier below and the next tier."""
    program.get("tier", tier_id)
    return neighbours(links, "tier", program.tiers, tier_id, "One tier below:", "Next tier:")


@fragment("tier_requirements('gold')", TOPIC)
def tier_requirements(program: Program, links: Links, tier_id: str) -> str:
    """What a tier asks, as a table with downloads."""
    return table(pt.tier_requirements(program, program.get("tier", tier_id)), links)


@fragment("grace_periods('gold')", TOPIC)
def grace_periods(program: Program, links: Links, tier_id: str) -> str:
    """The time a tier gives to meet raised requirements, as a note (nothing if none)."""
    tier = program.get("tier", tier_id)
    lines = [f"    - {grace_line(program, tier, r)}" for r in requirements_of(program, tier) if r.grace]
    if not lines:
        return ""
    return '!!! info "Time to meet raised requirements"\n\n' + "\n".join(lines)


@fragment("tier_models('gold')", TOPIC)
def tier_models(program: Program, links: Links, tier_id: str) -> str:
    """The engagement models a tier is open to, as linked names."""
    return ", ".join(links.item("model", m) for m in program.get("tier", tier_id).get("engagement_models", []))


@fragment("tier_benefits('gold')", TOPIC)
def tier_benefits(program: Program, links: Links, tier_id: str) -> str:
    """A tier's benefits, as a list; those the tier below does not have are marked new."""
    tier = program.get("tier", tier_id)
    position = program.tiers.index(tier)
    below = program.tiers[position - 1] if position > 0 else None
    below_ids = {b["id"] for b in below["benefits"]} if below else set()
    benefits = []
    for benefit in tier["benefits"]:
        new = f" *(new in {text(tier['name'])})*" if below and benefit["id"] not in below_ids else ""
        detail = f": {text(benefit['description'])}" if benefit.get("description") else ""
        benefits.append(f"- {text(benefit['name'])}{detail}{new}")
    return "\n".join(benefits)


@fragment("tier_incentives('gold')", TOPIC)
def tier_incentives(program: Program, links: Links, tier_id: str) -> str:
    """The incentives a tier can earn, as a list of links."""
    program.get("tier", tier_id)
    return "\n".join(f"- {links.item('incentive', i['id'])}" for i in program.incentives
                     if tier_id in i["eligibility"]["tiers"])
