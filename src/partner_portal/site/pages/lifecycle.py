"""The lifecycle pages: the stages, who does what at each, their KPIs, and the plays."""

from __future__ import annotations

from typing import Any

from ...model.eligibility import exits_of, needed_words
from ...model.program import Program
from .. import program_tables as pt
from ..escape import html_text, text
from ..markup import Links, bullets, numbered, section, table

MERMAID_SCRIPT = "assets/javascripts/vendor/mermaid-11.17.2.min.js"


def _mermaid_label(value: Any) -> str:
    """Text for a Mermaid label: anything but letters, digits and spaces becomes an entity."""
    return "".join(ch if ch.isalnum() or ch == " " else f"#{ord(ch)};" for ch in str(value))


def lifecycle_index(program: Program, links: Links) -> str:
    stages = program.stages
    flow = ["flowchart LR"]
    for stage in stages:
        flow.append(f'    {stage["id"].replace("-", "_")}["{_mermaid_label(stage["name"])}"]')
    flow += [f"    {a['id'].replace('-', '_')} --> {b['id'].replace('-', '_')}" for a, b in zip(stages, stages[1:],
                                                                                                  strict=False)]
    names = ", then ".join(text(s["name"]) for s in stages)
    flow.insert(1, "    accTitle: The customer lifecycle")
    flow.insert(2, f"    accDescr: {_mermaid_label(', then '.join(s['name'] for s in stages))}")
    diagram = "\n".join(flow)
    return section(
        "# Lifecycle",
        "Every customer moves through the same stages. At each stage the partner and "
        f"{text(program.info['vendor']['name'])} share the work, and KPIs show how it is going.",
        f'<script src="{links.url(MERMAID_SCRIPT)}"></script>',
        '<figure class="portal-diagram" markdown="1">',
        f"```mermaid\n{diagram}\n```",
        f'<figcaption>The customer lifecycle: {names}.</figcaption>',
        "</figure>",
        "\n".join(f"{n}. {links.item('stage', s['id'])}: {text(s['goal'])}" for n, s in enumerate(stages, 1)),
        "## KPIs by stage",
        table(pt.kpi_table(program, [k for s in stages for k in program.kpis_for_stage(s["id"])], "kpis", "KPIs"),
              links),
    )


def stage_page(program: Program, links: Links, stage_id: str) -> str:
    stage = program.get("stage", stage_id)
    stages = program.stages
    position = stages.index(stage)
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
    plays = [links.item("play", p["id"]) for p in program.plays_for_stage(stage_id)]
    neighbours = []
    if position > 0:
        neighbours.append(f"Before: {links.item('stage', stages[position - 1]['id'])}.")
    if position + 1 < len(stages):
        neighbours.append(f"Next: {links.item('stage', stages[position + 1]['id'])}.")
    choices = [("all", "Everyone")] + [(m["id"], m["name"]) for m in program.models]
    switch = ('<fieldset class="portal-role-switch" data-role-switch><legend>Show duties for</legend>' + "".join(
        f'<label><input type="radio" name="role-view" value="{html_text(value)}"'
        f'{" checked" if value == "all" else ""}> {html_text(label)}</label>' for value, label in choices)
        + "</fieldset>")
    return section(
        f"# {text(stage['name'])}",
        f"Stage {position + 1} of {len(stages)}. {text(stage['goal'])}",
        " ".join(neighbours),
        "## Before this stage can succeed" if stage.get("preconditions") else "",
        bullets(stage.get("preconditions", [])),
        "## Who does what",
        switch,
        '<div class="portal-parties">' + "".join(columns) + "</div>",
        "## KPIs",
        table(pt.stage_kpis(program, stage), links) if program.kpis_for_stage(stage_id) else "No KPIs at this stage.",
        "## Plays",
        "\n".join(f"- {p}" for p in plays) if plays else "No plays at this stage yet.",
    )


def playbooks_index(program: Program, links: Links) -> str:
    by_stage = []
    for stage in program.stages:
        page = links.path(f"playbooks/{stage['id']}.md")
        by_stage.append(f"- [{text(stage['name'])} plays]({page}) ({len(program.plays_for_stage(stage['id']))})")
    return section(
        "# Playbooks",
        "Plays are repeatable responses to a situation: a trigger, an owner, steps, exit criteria and the KPIs "
        "they move. Most triggers come from the monthly usage report.",
        "\n".join(by_stage),
        "## All plays",
        table(pt.plays_overview(program), links),
    )


def stage_plays_page(program: Program, links: Links, stage_id: str) -> str:
    stage = program.get("stage", stage_id)
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
    return section(
        f"# {text(stage['name'])} plays",
        f"Plays for the {links.item('stage', stage_id)} stage. [All plays]({links.path('playbooks/index.md')}).",
        *plays if plays else ["No plays at this stage yet."],
    )
