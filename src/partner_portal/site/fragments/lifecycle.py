"""Fragments of the lifecycle and playbook pages: the stages, who does what at each, their
KPIs, and the plays."""

from __future__ import annotations

from ...model.eligibility import exits_of, needed_words
from ...model.program import Program
from .. import program_tables as pt
from ..escape import html_text, text
from ..markup import Links, bullets, numbered, table
from .items import neighbours
from .registry import fragment

TOPIC = "Lifecycle and playbooks"


@fragment("lifecycle_diagram()", TOPIC)
def lifecycle_diagram(program: Program, links: Links) -> str:
    """The stages in order as linked boxes joined by arrows (drawn by the portal's style
    sheet; side by side on a wide screen, one under another on a phone), with a caption."""
    stages = program.stages
    names = ", then ".join(text(s["name"]) for s in stages)
    boxes = "\n".join(f"{n}. {links.item('stage', s['id'])}" for n, s in enumerate(stages, 1))
    return "\n\n".join([
        '<figure class="portal-diagram" markdown="1">',
        f'<div class="stage-flow" markdown="1">\n\n{boxes}\n\n</div>',
        f"<figcaption>The customer lifecycle: {names}.</figcaption>",
        "</figure>"])


@fragment("stage_list()", TOPIC)
def stage_list(program: Program, links: Links) -> str:
    """The stages in order, each linked, with its goal."""
    return "\n".join(f"{n}. {links.item('stage', s['id'])}: {text(s['goal'])}"
                     for n, s in enumerate(program.stages, 1))


@fragment("kpis_by_stage()", TOPIC)
def kpis_by_stage(program: Program, links: Links) -> str:
    """Every stage's KPIs with their targets, as one table."""
    kpis = [k for s in program.stages for k in program.kpis_for_stage(s["id"])]
    return table(pt.kpi_table(program, kpis, "kpis", "KPIs"), links)


@fragment("stage_position('adopt')", TOPIC)
def stage_position(program: Program, links: Links, stage_id: str) -> str:
    """Where a stage comes, e.g. "Stage 3 of 5"."""
    stage = program.get("stage", stage_id)
    return f"Stage {program.stages.index(stage) + 1} of {len(program.stages)}"


@fragment("stage_neighbours('adopt')", TOPIC)
def stage_neighbours(program: Program, links: Links, stage_id: str) -> str:
    """Links to the stage before and the next stage."""
    program.get("stage", stage_id)
    return neighbours(links, "stage", program.stages, stage_id, "Before:", "Next:")


@fragment("stage_preconditions('adopt', heading='## Before this stage can succeed')", TOPIC)
def stage_preconditions(program: Program, links: Links, stage_id: str) -> str:
    """What must be true before a stage can succeed, as a list (nothing if the stage says
    nothing)."""
    return bullets(program.get("stage", stage_id).get("preconditions", []))


@fragment("stage_duties('adopt')", TOPIC)
def stage_duties(program: Program, links: Links, stage_id: str) -> str:
    """Who does what at a stage: a column per engagement model and one for the vendor, with a
    switch that shows one model's duties."""
    program.get("stage", stage_id)
    duties = program.responsibilities(stage_id)
    columns = []
    for model in program.models:
        mine = [d for d in duties["partner"] if model["id"] in d["models"]]
        included = model.get("includes")
        items = "".join(
            f"<li>{html_text(d['duty'])}"
            + (' <span class="portal-tag">adds</span>' if included and included not in d["models"] else "")
            + "</li>" for d in mine)
        body = f"<ul>{items}</ul>" if mine else "<p>No duties at this stage.</p>"
        columns.append(f'<section class="portal-party" data-party="{model["id"]}">'
                       f"<h3>{html_text(model['name'])}</h3>{body}</section>")
    every = {m["id"] for m in program.models}
    vendor = "".join(
        f'<li data-models="{html_text(" ".join(v["models"]))}">{html_text(v["duty"])}'
        + ("" if set(v["models"]) >= every else '<span class="portal-tag">' + html_text(
            "for " + " and ".join(program.name("model", m).lower() for m in v["models"])) + "</span>")
        + "</li>" for v in duties["vendor"])
    columns.append(f'<section class="portal-party" data-party="vendor"><h3>{html_text(program.info["vendor"]["name"])}'
                   f"</h3><ul>{vendor}</ul></section>")
    choices = [("all", "Everyone")] + [(m["id"], m["name"]) for m in program.models]
    switch = ('<fieldset class="portal-role-switch" data-role-switch><legend>Show duties for</legend>' + "".join(
        f'<label><input type="radio" name="role-view" value="{html_text(value)}"'
        f'{" checked" if value == "all" else ""}> {html_text(label)}</label>' for value, label in choices)
        + "</fieldset>")
    return switch + "\n\n" + '<div class="portal-parties">' + "".join(columns) + "</div>"


@fragment("stage_kpis('adopt', empty='No KPIs at this stage.')", TOPIC)
def stage_kpis(program: Program, links: Links, stage_id: str) -> str:
    """A stage's KPIs with their targets, as a table (nothing if it has none)."""
    stage = program.get("stage", stage_id)
    return table(pt.stage_kpis(program, stage), links) if program.kpis_for_stage(stage_id) else ""


@fragment("stage_plays('adopt', empty='No plays at this stage yet.')", TOPIC)
def stage_plays(program: Program, links: Links, stage_id: str) -> str:
    """A stage's plays, as a list of links."""
    program.get("stage", stage_id)
    return "\n".join(f"- {links.item('play', p['id'])}" for p in program.plays_for_stage(stage_id))


@fragment("plays_by_stage()", TOPIC)
def plays_by_stage(program: Program, links: Links) -> str:
    """Each stage's page of plays, linked, with how many plays it has."""
    return "\n".join(f"- [{text(s['name'])} plays]({links.path('playbooks/' + s['id'] + '.md')}) "
                     f"({len(program.plays_for_stage(s['id']))})" for s in program.stages)


@fragment("plays_overview()", TOPIC)
def plays_overview(program: Program, links: Links) -> str:
    """Every play with its stage, trigger and owner, as a table."""
    return table(pt.plays_overview(program), links)


@fragment("play_details('adopt', empty='No plays at this stage yet.')", TOPIC)
def play_details(program: Program, links: Links, stage_id: str) -> str:
    """Each play of a stage under a level-2 heading (the target of links to it): trigger,
    owner, steps, exit criteria, the KPIs it moves and what it works with."""
    program.get("stage", stage_id)
    plays = []
    for play in program.plays_for_stage(stage_id):
        models = ", ".join(links.item("model", m) for m in play["models"])
        kpis = ", ".join(links.item("kpi", k) for k in play["kpis"])
        exits = "; ".join(f"{links.item('kpi', r.subject)} {text(needed_words(program, r))}"
                          for r in exits_of(program, play))
        plays.append(
            f"## {text(play['name'])} {{ #play-{play['id']} }}\n\n"
            f"**Starts when:** {text(play['trigger']['signal'])} *(source: {text(play['trigger']['source'])})*\n\n"
            f"**Owner:** {links.item('role', play['owner'])}. **Run by:** {models}.\n\n"
            f"**Steps:**\n\n{numbered(play['steps'])}\n\n**Done when:**\n\n{bullets(play['exit_criteria'])}\n\n"
            + (f"**Measured by:** {exits}.\n\n" if exits else "") + f"**Moves:** {kpis}."
            + (f"\n\n**Works with:** {', '.join(links.item('deliverable', d) for d in play['deliverables'])}."
               if play.get("deliverables") else ""))
    return "\n\n".join(plays)
