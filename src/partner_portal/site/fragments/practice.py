"""Fragments of the guide to building a customer success practice, and the guides' list."""

from __future__ import annotations

from ...model.program import Program
from ...model.requirements import KPI_FAMILIES
from .. import guide_tables as gt
from .. import program_tables as pt
from ..escape import text
from ..markup import Links, bullets, numbered, table
from .items import GUIDES
from .registry import fragment

TOPIC = "Guides: building a practice"


@fragment("guide_list()", TOPIC)
def guide_list(program: Program, links: Links) -> str:
    """Every guide, linked, with its summary."""
    return "\n".join(f"- [{text(getattr(program, attr)['name'])}]({links.path(page)}): "
                     f"{text(getattr(program, attr)['summary'])}" for page, attr in GUIDES.values())


@fragment("practice_pillars()", TOPIC)
def practice_pillars(program: Program, links: Links) -> str:
    """The practice's foundations, as a numbered list."""
    return "\n".join(f"{n}. **{text(p['name'])}.** {text(p['summary'])}"
                     for n, p in enumerate(program.practice["pillars"], 1))


@fragment("charter()", TOPIC)
def charter(program: Program, links: Links) -> str:
    """The practice's charter: summary, vision, mission and how its objectives move on."""
    charter = program.practice["charter"]
    return "\n\n".join([
        text(charter["summary"]), f"**Vision.** {text(charter['vision'])}", f"**Mission.** {text(charter['mission'])}",
        "As the practice matures, its objectives move on, each building on the one before: "
        + " → ".join(text(o) for o in charter["objectives"]) + "."])


@fragment("department_parts()", TOPIC)
def department_parts(program: Program, links: Links) -> str:
    """What each department does for customer success, as a table."""
    return table(gt.responsibilities(program), links)


@fragment("executive_buy_in()", TOPIC)
def executive_buy_in(program: Program, links: Links) -> str:
    """What executive buy-in looks like, as a list."""
    return bullets(program.practice["executive_buy_in"])


@fragment("building_blocks()", TOPIC)
def building_blocks(program: Program, links: Links) -> str:
    """What the practice needs (people, tools, process, data), each under a level-3 heading."""
    return "\n\n".join(f"### {text(b['name'])}\n\n{bullets(b['items'])}"
                       for b in program.practice["building_blocks"])


@fragment("practice_workshop(heading='### A workshop to plan the practice')", TOPIC)
def practice_workshop(program: Program, links: Links) -> str:
    """The planning workshop's goal and agenda (nothing if the practice has no workshop)."""
    workshop = program.practice.get("workshop")
    if not workshop:
        return ""
    return f"{text(workshop['goal'])}\n\nIt works through:\n\n{bullets(workshop['agenda'])}"


@fragment("csm_duties()", TOPIC)
def csm_duties(program: Program, links: Links) -> str:
    """What a customer success manager does, as a numbered list."""
    return numbered(program.practice["csm_duties"])


@fragment("csm_skills()", TOPIC)
def csm_skills(program: Program, links: Links) -> str:
    """What makes a good customer success manager, as a list."""
    return "\n".join(f"- **{text(s['name'])}.** {text(s['summary'])}" for s in program.practice["skills"])


@fragment("practice_staffing()", TOPIC)
def practice_staffing(program: Program, links: Links) -> str:
    """How the practice is staffed: its summary, a manager's load, and the staffing bands."""
    staffing = program.practice["staffing"]
    load = program.staffing["customer_load"]
    hours = load["hours_per_customer_per_week"]
    parts = [text(staffing["summary"])]
    if any(r["id"] == "customer-success-manager" for r in program.roles):
        parts.append(f"A {links.item('role', 'customer-success-manager')} looks after about "
                     f"{load['customers_per_csm']} customers and spends {hours['min']:g} to {hours['max']:g} hours a "
                     f"week on each for {text(program.info['vendor']['name'])}'s customer success motions.")
    if staffing.get("capacity_bands"):
        parts.append(table(pt.capacity_bands(program), links))
    return "\n\n".join(parts)


@fragment("practice_kpis()", TOPIC)
def practice_kpis(program: Program, links: Links) -> str:
    """The practice's own KPIs, a level-3 heading and table per family."""
    return "\n\n".join(f"### {KPI_FAMILIES[group['family']]} KPIs\n\n{text(group['summary'])}\n\n{table(kpis, links)}"
                       for group, kpis in zip(program.practice["kpis"], gt.practice_kpis(program), strict=True))


@fragment("practice_preconditions()", TOPIC)
def practice_preconditions(program: Program, links: Links) -> str:
    """What adoption, renewal and expansion each need, under level-3 headings, each with
    what it inherits from the one before."""
    found = {p["id"]: p for p in program.practice["preconditions"]}
    parts = []
    for item in program.practice["preconditions"]:
        chain, seen, at = [], {item["id"]}, item.get("builds_on")
        while at in found and at not in seen:
            chain.append(found[at])
            seen.add(at)
            at = found[at].get("builds_on")
        inherited = " and ".join(text(c["name"].lower()) for c in reversed(chain))
        parts.append(f"### {text(item['name'])}\n\nAt the {links.item('stage', item['stage'])} stage. "
                     + (f"Everything {inherited} needs, and:" if inherited else "It needs:")
                     + f"\n\n{bullets(item['needs'])}")
    return "\n\n".join(parts)
