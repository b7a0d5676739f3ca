"""The guides: building a customer success practice, the customer success plan, the
monthly usage report, the quarterly review, and how the program runs. Each is made from
its program data file; the success plan's template is made from the same sections."""

from __future__ import annotations

from ...model.program import Item, Program
from ...model.requirements import KPI_FAMILIES, Kpi
from ...model.usage import checks_in_words, usage_spec
from .. import guide_tables as gt
from .. import program_tables as pt
from ..escape import text
from ..markup import Links, bullets, numbered, section, table
from ..templates import PLAN_TEMPLATE, USAGE_SAMPLE

GUIDES = (("guides/practice.md", "practice", "name", "summary"),
          ("guides/success-plan.md", "success_plan", "name", "summary"),
          ("guides/usage-report.md", "usage_report", "name", "summary"),
          ("guides/quarterly-review.md", "quarterly_review", "name", "summary"),
          ("guides/program.md", "structure", "name", "summary"))


def guides_index(program: Program, links: Links) -> str:
    items = [f"- [{text(getattr(program, attr)[name])}]({links.path(page)}): {text(getattr(program, attr)[summary])}"
             for page, attr, name, summary in GUIDES]
    return section("# Guides", "How to build and run a customer success practice with "
                   f"{text(program.info['vendor']['name'])}, and the plans, reports and reviews it runs on.",
                   "\n".join(items))


def practice_page(program: Program, links: Links) -> str:
    practice = program.practice
    charter = practice["charter"]
    blocks = [f"### {text(b['name'])}\n\n{bullets(b['items'])}" for b in practice["building_blocks"]]
    skills = "\n".join(f"- **{text(s['name'])}.** {text(s['summary'])}" for s in practice["skills"])
    staffing = practice["staffing"]
    load = program.staffing["customer_load"]
    hours = load["hours_per_customer_per_week"]
    kpi_groups = [f"### {KPI_FAMILIES[group['family']]} KPIs\n\n{text(group['summary'])}\n\n{table(kpis, links)}"
                  for group, kpis in zip(practice["kpis"], gt.practice_kpis(program), strict=True)]
    return section(
        f"# {text(practice['name'])}",
        text(practice["summary"]),
        "## Three foundations",
        "\n".join(f"{n}. **{text(p['name'])}.** {text(p['summary'])}" for n, p in enumerate(practice["pillars"], 1)),
        "## The charter",
        text(charter["summary"]),
        f"**Vision.** {text(charter['vision'])}",
        f"**Mission.** {text(charter['mission'])}",
        "As the practice matures, its objectives move on, each building on the one before: "
        + " → ".join(text(o) for o in charter["objectives"]) + ".",
        "## Every department's part",
        table(gt.responsibilities(program), links),
        "## Executive buy-in",
        bullets(practice["executive_buy_in"]),
        "## What the practice needs",
        *blocks,
        *_workshop(practice),
        "## The customer success manager",
        numbered(practice["csm_duties"]),
        "What makes a good one:",
        skills,
        "## Staffing",
        text(staffing["summary"]),
        (f"A {links.item('role', 'customer-success-manager')} looks after about {load['customers_per_csm']} "
         f"customers and spends {hours['min']:g} to {hours['max']:g} hours a week on each for "
         f"{text(program.info['vendor']['name'])}'s customer success motions.")
        if any(r["id"] == "customer-success-manager" for r in program.roles) else "",
        table(pt.capacity_bands(program), links) if staffing.get("capacity_bands") else "",
        f"The [specializations]({links.path('tiers/index.md')}) say which roles a practice needs to be recognised, "
        f"and the [readiness assessment]({links.path('assessment.md')}) shows where yours stands.",
        "## KPIs of the practice",
        *kpi_groups,
        "## What adoption, renewal and expansion need",
        _preconditions(program, links),
    )


def _workshop(practice: Item) -> list[str]:
    workshop = practice.get("workshop")
    if not workshop:
        return []
    return ["### A workshop to plan the practice", text(workshop["goal"]), "It works through:",
            bullets(workshop["agenda"])]


def _preconditions(program: Program, links: Links) -> str:
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
    return section("Each builds on the one before: expansion does not come before renewal is secure, and neither "
                   "before adoption.", *parts)


def success_plan_page(program: Program, links: Links) -> str:
    plan = program.success_plan
    needing = [(i, d) for i in program.incentives for d in i["eligibility"].get("deliverables", [])
               if d["deliverable"] == plan["id"]]
    steps = [(j, s) for j in program.journeys for s in j["steps"] if plan["id"] in s.get("deliverables", [])]
    plays = program.plays_using(plan["id"])
    uses = [f"- The {links.item('incentive', i['id'])} needs it within {d['within_days']} days of the contract start."
            for i, d in needing]
    uses += [f"- In the {links.item('journey', j['id'])} journey, the step *{text(s['name'])}* drafts it."
             for j, s in steps]
    uses += [f"- The play {links.item('play', p['id'])} works from it." for p in plays]
    vendor = text(program.info["vendor"]["name"])
    supported = (f"**Help from {vendor}:** the {links.item('role', plan['supported_by'])} "
                 f"{text(plan['support'][0].lower() + plan['support'][1:])}"
                 if plan.get("supported_by") and plan.get("support") else "")
    return section(
        f"# {text(plan['name'])}",
        text(plan["summary"]),
        f"**Written by** the partner's {links.item('role', plan['owner'])}, **due within {plan['due_within_days']} "
        "days** of the contract start.",
        supported,
        "## Where it is needed",
        "\n".join(uses) if uses else "",
        "## What it contains",
        table(gt.plan_sections(program), links),
        f"[Download the template]({links.path(PLAN_TEMPLATE)}){{ download }}: a plain-text outline with a heading "
        "for each section and a line for each thing it must contain.",
        "## Uploading and reviewing it",
        text(plan["upload"]),
        text(plan["review_cadence"]),
    )


def usage_report_page(program: Program, links: Links) -> str:
    report = program.usage_report
    adoption = program.get("kpi", report["adoption_kpi"])
    started = {play for plays in usage_spec(program).plays.values() for play, _ in plays}
    plays = [p for p in program.plays_using(report["id"]) if p["id"] not in started]  # the rest are in the table
    return section(
        f"# {text(report['name'])}",
        text(report["summary"]),
        f"Sent **{text(report['frequency'])}**, one row per customer and licence type. "
        f"[Check your own report]({links.path('tools/usage-report.md')}) in the browser: it flags rows that cannot be "
        "right, rates each customer's risk and lists the plays that apply."
        + (f" [Download a sample report]({links.path(USAGE_SAMPLE)}){{ download }}." if report.get("sample") else ""),
        "## Columns",
        table(gt.usage_columns(program), links),
        "## How renewal risk is judged",
        text(report["risk"]["summary"]),
        f"The adoption target is {links.item('kpi', adoption['id'])}: "
        f"{text(Kpi.of(adoption).threshold_text())}.",
        table(gt.usage_risk_levels(program), links),
        "## Signals and plays",
        "A row that shows one of these signals starts the play next to it (a row that cannot be right starts none).",
        table(gt.usage_signals(program), links),
        ("Other plays that work from the report: " + ", ".join(links.item("play", p["id"]) for p in plays) + ".")
        if plays else "",
        "## Rows that cannot be right",
        "The check flags a row, with its row and column, when:",
        bullets(checks_in_words()),
        "Such a row starts no play and stays out of its customer's figures. Ask "
        f"{text(program.info['vendor']['name'])} for a corrected report before acting on it.",
    )


def quarterly_review_page(program: Program, links: Links) -> str:
    review = program.quarterly_review
    agenda = "\n".join(f"{n}. **{text(a['name'])}**\n" + "\n".join(f"    - {text(p)}" for p in a["points"])
                       for n, a in enumerate(review["agenda"], start=1))
    attendees = "\n".join(f"- **{text(a['who'])}**" + (f" ({links.item('role', a['role'])})" if a.get("role") else "")
                          + f": {text(a['why'])}" for a in review["attendees"])
    assessed = [f"### {text(a['name'])}\n\n{bullets(a['questions'])}" for a in review["assessed"]]
    plays = program.plays_using(review["id"])
    return section(
        f"# {text(review['name'])}",
        text(review["summary"]),
        f"Held **{text(review['frequency'])}**, chaired by the {links.item('role', review['chair'])}; every "
        f"{links.item('role', review['presenters'])} presents."
        + (" The play " + ", ".join(links.item("play", p["id"]) for p in plays) + " runs it." if plays else ""),
        "## Preparing",
        text(review["preparation"]),
        "## Agenda",
        agenda,
        "## Who attends",
        attendees,
        "## What is assessed",
        "Leaders and peers draw out each presenter's abilities with questions like these.",
        *assessed,
        "## Why hold it",
        bullets(review["benefits"]),
        "Over time: " + "; ".join(text(o[0].lower() + o[1:]) for o in review.get("outcomes", [])) + "."
        if review.get("outcomes") else "",
        text(review["large_teams"]) if review.get("large_teams") else "",
    )


def program_structure_page(program: Program, links: Links) -> str:
    structure = program.structure
    phases = []
    for n, phase in enumerate(structure["phases"], start=1):
        steps = f"\n\nSteps: {' → '.join(text(s) for s in phase['steps'])}." if phase.get("steps") else ""
        phases.append(f"### {n}. {text(phase['name'])}\n\n{text(phase['summary'])}{steps}\n\n"
                      f"{bullets(phase['activities'])}")
    tools = structure.get("tools")
    return section(
        f"# {text(structure['name'])}",
        text(structure["summary"]),
        "## From pilot to general availability",
        *phases,
        "## Who runs the program",
        table(gt.program_team(program), links),
        "## Training",
        _named(structure["training"]),
        "## Legal terms",
        _named(structure["legal"]),
        "## Tools" if tools else "",
        text(tools["summary"]) if tools else "",
        *_commitments(program, structure),
        "## What data is shared",
        bullets(structure["data_shared"]),
        "## How often you see your metrics",
        table(gt.metrics_shared(program), links),
    )


def _named(items: list[Item]) -> str:
    return "\n".join(f"- **{text(i['name'])}.** {text(i['summary'])}" for i in items)


def _commitments(program: Program, structure: Item) -> list[str]:
    made = structure.get("commitments")
    if not made:
        return []
    vendor = text(program.info["vendor"]["name"])
    return [f"## What {vendor} commits to", "Critical, without which partner customer success cannot work:",
            bullets(made["critical"]), "Important, which make it work well:", bullets(made["important"])]
