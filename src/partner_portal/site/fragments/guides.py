"""Fragments of the guides to the success plan, the usage report, the quarterly review and
how the program runs, each made from its program data file."""

from __future__ import annotations

from ...model.program import Item, Program
from ...model.requirements import Kpi
from ...model.usage import checks_in_words, usage_spec
from .. import guide_tables as gt
from ..escape import text
from ..markup import Links, bullets, table
from ..templates import USAGE_SAMPLE
from .registry import fragment

PLAN = "Guides: success plan and usage report"
REVIEW = "Guides: quarterly review and how the program runs"


@fragment("plan_owner()", PLAN)
def plan_owner(program: Program, links: Links) -> str:
    """Who writes the success plan and when it is due."""
    plan = program.success_plan
    return (f"**Written by** the partner's {links.item('role', plan['owner'])}, **due within "
            f"{plan['due_within_days']} days** of the contract start.")


@fragment("plan_support()", PLAN)
def plan_support(program: Program, links: Links) -> str:
    """The help the vendor gives with the plan (nothing if the program names none)."""
    plan = program.success_plan
    if not (plan.get("supported_by") and plan.get("support")):
        return ""
    return (f"**Help from {text(program.info['vendor']['name'])}:** the {links.item('role', plan['supported_by'])} "
            f"{text(plan['support'][0].lower() + plan['support'][1:])}")


@fragment("plan_uses(heading='## Where it is needed')", PLAN)
def plan_uses(program: Program, links: Links) -> str:
    """Where the plan is needed: incentives that ask for it, journey steps that draft it and
    plays that work from it, as a list."""
    plan = program.success_plan
    uses = [f"- The {links.item('incentive', i['id'])} needs it within {d['within_days']} days of the contract start."
            for i in program.incentives for d in i["eligibility"].get("deliverables", [])
            if d["deliverable"] == plan["id"]]
    uses += [f"- In the {links.item('journey', j['id'])} journey, the step *{text(s['name'])}* drafts it."
             for j in program.journeys for s in j["steps"] if plan["id"] in s.get("deliverables", [])]
    uses += [f"- The play {links.item('play', p['id'])} works from it." for p in program.plays_using(plan["id"])]
    return "\n".join(uses)


@fragment("plan_sections()", PLAN)
def plan_sections(program: Program, links: Links) -> str:
    """The plan's sections and what each must contain, as a table."""
    return table(gt.plan_sections(program), links)


@fragment("plan_upload()", PLAN)
def plan_upload(program: Program, links: Links) -> str:
    """How the plan is uploaded and how often it is reviewed."""
    plan = program.success_plan
    return f"{text(plan['upload'])}\n\n{text(plan['review_cadence'])}"


@fragment("usage_report_sent()", PLAN)
def usage_report_sent(program: Program, links: Links) -> str:
    """How often the usage report is sent and what a row is, with links to the check and the
    sample report."""
    report = program.usage_report
    return (f"Sent **{text(report['frequency'])}**, one row per customer and licence type. "
            f"[Check your own report]({links.path('tools/usage-report.md')}) in the browser: it flags rows that "
            "cannot be right, rates each customer's risk and lists the plays that apply."
            + (f" [Download a sample report]({links.path(USAGE_SAMPLE)}){{ download }}." if report.get("sample")
               else ""))


@fragment("usage_columns()", PLAN)
def usage_columns(program: Program, links: Links) -> str:
    """The usage report's columns, as a table."""
    return table(gt.usage_columns(program), links)


@fragment("usage_risk()", PLAN)
def usage_risk(program: Program, links: Links) -> str:
    """How renewal risk is judged from the report: the rule, the adoption target and the
    risk levels table."""
    report = program.usage_report
    adoption = program.get("kpi", report["adoption_kpi"])
    return (f"{text(report['risk']['summary'])}\n\nThe adoption target is {links.item('kpi', adoption['id'])}: "
            f"{text(Kpi.of(adoption).threshold_text())}.\n\n{table(gt.usage_risk_levels(program), links)}")


@fragment("usage_signals()", PLAN)
def usage_signals(program: Program, links: Links) -> str:
    """The signals a row can show and the play each starts, as a table, then the other
    plays that work from the report."""
    report = program.usage_report
    started = {play for plays in usage_spec(program).plays.values() for play, _ in plays}
    plays = [p for p in program.plays_using(report["id"]) if p["id"] not in started]  # the rest are in the table
    others = ("\n\nOther plays that work from the report: " + ", ".join(links.item("play", p["id"]) for p in plays)
              + ".") if plays else ""
    return table(gt.usage_signals(program), links) + others


@fragment("usage_row_checks()", PLAN)
def usage_row_checks(program: Program, links: Links) -> str:
    """Every check that flags a row that cannot be right, as a list (the same checks the
    browser tool and `portal check` apply)."""
    return bullets(checks_in_words())


@fragment("review_held()", REVIEW)
def review_held(program: Program, links: Links) -> str:
    """How often the quarterly review is held, who chairs and presents, and the play that runs it."""
    review = program.quarterly_review
    plays = program.plays_using(review["id"])
    return (f"Held **{text(review['frequency'])}**, chaired by the {links.item('role', review['chair'])}; every "
            f"{links.item('role', review['presenters'])} presents."
            + (" The play " + ", ".join(links.item("play", p["id"]) for p in plays) + " runs it." if plays else ""))


@fragment("review_preparation()", REVIEW)
def review_preparation(program: Program, links: Links) -> str:
    """How presenters prepare for the review."""
    return text(program.quarterly_review["preparation"])


@fragment("review_agenda()", REVIEW)
def review_agenda(program: Program, links: Links) -> str:
    """The review's agenda, numbered, with each item's points."""
    return "\n".join(f"{n}. **{text(a['name'])}**\n" + "\n".join(f"    - {text(p)}" for p in a["points"])
                     for n, a in enumerate(program.quarterly_review["agenda"], start=1))


@fragment("review_attendees()", REVIEW)
def review_attendees(program: Program, links: Links) -> str:
    """Who attends the review and why, as a list."""
    return "\n".join(f"- **{text(a['who'])}**" + (f" ({links.item('role', a['role'])})" if a.get("role") else "")
                     + f": {text(a['why'])}" for a in program.quarterly_review["attendees"])


@fragment("review_assessed()", REVIEW)
def review_assessed(program: Program, links: Links) -> str:
    """What the review assesses, each under a level-3 heading with its questions."""
    return "\n\n".join(f"### {text(a['name'])}\n\n{bullets(a['questions'])}"
                       for a in program.quarterly_review["assessed"])


@fragment("review_benefits()", REVIEW)
def review_benefits(program: Program, links: Links) -> str:
    """Why the review is held, as a list, then what it brings over time."""
    review = program.quarterly_review
    outcomes = ("\n\nOver time: " + "; ".join(text(o[0].lower() + o[1:]) for o in review["outcomes"]) + "."
                if review.get("outcomes") else "")
    large = f"\n\n{text(review['large_teams'])}" if review.get("large_teams") else ""
    return bullets(review["benefits"]) + outcomes + large


@fragment("program_phases()", REVIEW)
def program_phases(program: Program, links: Links) -> str:
    """The program's phases from pilot to general availability, each under a numbered
    level-3 heading with its steps and activities."""
    phases = []
    for n, phase in enumerate(program.structure["phases"], start=1):
        steps = f"\n\nSteps: {' → '.join(text(s) for s in phase['steps'])}." if phase.get("steps") else ""
        phases.append(f"### {n}. {text(phase['name'])}\n\n{text(phase['summary'])}{steps}\n\n"
                      f"{bullets(phase['activities'])}")
    return "\n\n".join(phases)


@fragment("program_team()", REVIEW)
def program_team(program: Program, links: Links) -> str:
    """Who runs the program, as a table."""
    return table(gt.program_team(program), links)


def _named(items: list[Item]) -> str:
    return "\n".join(f"- **{text(i['name'])}.** {text(i['summary'])}" for i in items)


@fragment("program_training()", REVIEW)
def program_training(program: Program, links: Links) -> str:
    """The training the program offers, as a list."""
    return _named(program.structure["training"])


@fragment("legal_terms()", REVIEW)
def legal_terms(program: Program, links: Links) -> str:
    """The program's legal terms, as a list."""
    return _named(program.structure["legal"])


@fragment("program_tools(heading='## Tools')", REVIEW)
def program_tools(program: Program, links: Links) -> str:
    """The tools partners work with (nothing if the program names none)."""
    tools = program.structure.get("tools")
    return text(tools["summary"]) if tools else ""


@fragment("vendor_commitments(heading='## What the vendor commits to')", REVIEW)
def vendor_commitments(program: Program, links: Links) -> str:
    """What the vendor commits to, critical then important (nothing if none is stated)."""
    made = program.structure.get("commitments")
    if not made:
        return ""
    return (f"Critical, without which partner customer success cannot work:\n\n{bullets(made['critical'])}\n\n"
            f"Important, which make it work well:\n\n{bullets(made['important'])}")


@fragment("data_shared()", REVIEW)
def data_shared(program: Program, links: Links) -> str:
    """The data the program shares with partners, as a list."""
    return bullets(program.structure["data_shared"])


@fragment("metrics_shared()", REVIEW)
def metrics_shared(program: Program, links: Links) -> str:
    """How often partners see each metric, as a table."""
    return table(gt.metrics_shared(program), links)
