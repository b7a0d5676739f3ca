"""Fragments of the journey pages: the list, and each journey's fit, timeline and steps."""

from __future__ import annotations

from ...core.units import duration_days, duration_text, format_value
from ...model.program import Program
from ...model.requirements import Kpi
from .. import program_tables as pt
from ..escape import html_text, text
from ..markup import Links, bullets, table
from .registry import fragment

TOPIC = "Journeys"


@fragment("journey_list()", TOPIC)
def journey_list(program: Program, links: Links) -> str:
    """Every journey, linked, with its length, who it is for and its summary."""
    return "\n".join(f"- {links.item('journey', j['id'])} ({text(duration_text(j['duration']))}, for "
                     f"{'partners' if j['audience'] == 'partner' else 'customers'}): {text(j['summary'])}"
                     for j in program.journeys)


@fragment("journey_fit('partner-onboarding')", TOPIC)
def journey_fit(program: Program, links: Links, journey_id: str) -> str:
    """A journey's total length, when its last step ends, and whether it fits the KPI it
    serves."""
    journey = program.get("journey", journey_id)
    total = duration_days(journey["duration"])
    steps_end = max(s["start_day"] + duration_days(s["duration"]) for s in journey["steps"])
    words = (f"**{duration_text(journey['duration'])} in total**; the last step is done by day "
             f"{format_value(round(steps_end, 1), 'count')}.")
    if not journey.get("kpi"):
        return words
    kpi = Kpi.of(program.get("kpi", journey["kpi"]))
    target_days = duration_days({"value": kpi.target, "unit": kpi.unit})  # a time unit: the journey-fit rule
    verdict = "within" if kpi.direction.meets(total, target_days) else "outside"
    return f"{words} It serves {links.item('kpi', kpi.id)}, {kpi.threshold_text()}: the journey is {verdict} it."


@fragment("journey_timeline('partner-onboarding')", TOPIC)
def journey_timeline(program: Program, links: Links, journey_id: str) -> str:
    """When each step of a journey starts and ends, drawn as bars."""
    journey = program.get("journey", journey_id)
    total = max(duration_days(journey["duration"]),
                max(s["start_day"] + duration_days(s["duration"]) for s in journey["steps"]))
    rows = []
    for step in journey["steps"]:
        length = duration_days(step["duration"])
        start, width = 100 * step["start_day"] / total, max(100 * length / total, 0.8)
        end = step["start_day"] + length
        rows.append(
            f'<li><span class="portal-timeline__label">{html_text(step["name"])}</span>'
            f'<span class="portal-timeline__track"><span class="portal-timeline__bar" '
            f'style="margin-left: {start:.2f}%; width: {width:.2f}%"></span></span>'
            f'<span class="portal-timeline__days">day {step["start_day"]} to {format_value(round(end, 1), "count")}'
            "</span></li>")
    return (f'<figure class="portal-timeline"><ol>{"".join(rows)}</ol>'
            f"<figcaption>{html_text(journey['name'])}: when each step starts and ends, over "
            f"{html_text(duration_text(journey['duration']))}. The table below lists the same steps.</figcaption>"
            "</figure>")


@fragment("journey_steps('partner-onboarding')", TOPIC)
def journey_steps(program: Program, links: Links, journey_id: str) -> str:
    """A journey's steps with owners, start days and durations, as a table."""
    return table(pt.journey_steps(program, program.get("journey", journey_id)), links)


@fragment("step_details('partner-onboarding')", TOPIC)
def step_details(program: Program, links: Links, journey_id: str) -> str:
    """Each step of a journey under a level-3 heading: what it is, its owner and timing,
    when it is done and what it produces."""
    details = []
    for step in program.get("journey", journey_id)["steps"]:
        details.append(f"### {text(step['name'])}\n\n"
                       + (f"{text(step['description'])}\n\n" if step.get("description") else "")
                       + f"Owner: {links.item('role', step['owner'])}. Starts on day {step['start_day']}, takes "
                       f"{text(duration_text(step['duration']))}.\n\nDone when:\n\n{bullets(step['exit_criteria'])}"
                       + (f"\n\nProduces: {', '.join(links.item('deliverable', d) for d in step['deliverables'])}."
                          if step.get("deliverables") else ""))
    return "\n\n".join(details)
