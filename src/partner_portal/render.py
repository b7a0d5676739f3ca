"""Rendering program data as the portal's pages (Markdown, with a little HTML).

Every value from program data passes through `text()` (Markdown) or `html_text()`
(raw HTML): data is shown as written, never interpreted as Markdown, HTML or Jinja.
Links between pages are relative Markdown links to the pages' sources, so MkDocs
checks each one when it builds with --strict.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup

from . import portal_tables as pt
from .calc import estimate, format_money, format_value, table_shape
from .model import Item, Program

# Mermaid is served with the site (the theme would otherwise fetch it from a CDN), and
# only on pages that draw a diagram.
MERMAID_SCRIPT = "assets/javascripts/vendor/mermaid-11.17.2.min.js"

# Characters Markdown gives meaning to; < > & are handled by HTML escaping.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]()#+\-.!|~])")


def html_text(value: Any) -> str:
    """Escape a data value for HTML. Braces become entities too, so a value holding
    `{{ ... }}` can never reach a template engine as template code."""
    return html.escape(str(value), quote=True).replace("{", "&#123;").replace("}", "&#125;")


def text(value: Any) -> str:
    """Escape a data value for inline Markdown: shown literally, on one line."""
    single_line = " ".join(str(value).split())
    return html_text(_MARKDOWN_SPECIAL.sub(r"\\\1", single_line))


def site_name(program: Program) -> Markup:
    """The program's name for the theme's header and title. The theme escapes it in some
    places and not in others; an escaped Markup value is right in both (Jinja's `e`
    filter leaves Markup as it is)."""
    return Markup(html_text(program.info["name"]))


_TITLE_LOOKALIKES = str.maketrans({"<": "‹", ">": "›", "&": "＆", "{": "｛", "}": "｝", "%": "％"})


def safe_title(value: Any) -> str:
    """A page or navigation title that is safe wherever it goes: the theme prints titles
    raw, escaped, or through `striptags` (which turns entities back into tags), and
    mkdocs-macros renders them as Jinja templates. Characters that could form markup or
    template code are replaced by look-alikes; the page's own heading shows the exact text."""
    return " ".join(str(value).split()).translate(_TITLE_LOOKALIKES)


def copyright_line(program: Program) -> Markup:
    """The footer line: who runs the program and which version this is."""
    info = program.info
    return Markup(f"{html_text(info['name'])}, version {html_text(info['version'])}, in effect from "
                  f"{html_text(info['effective_date'])}. Run by {html_text(info['vendor']['name'])}.")


class Links:
    """Relative links from the page being rendered (`here`, e.g. "tiers/gold.md")."""

    def __init__(self, program: Program, here: str) -> None:
        self.program = program
        self.here = here

    def path(self, target: str) -> str:
        return posixpath.relpath(target, posixpath.dirname(self.here) or ".")

    def url(self, target: str) -> str:
        """A path for raw HTML (which MkDocs does not rewrite): relative to this page's URL
        (`tiers/gold.md` is served as `tiers/gold/`), to `target`'s URL or file."""
        def served(src: str) -> str:
            if src.endswith(".md"):
                stem = src[:-3]
                return posixpath.dirname(stem) + "/" if posixpath.basename(stem) == "index" else stem + "/"
            return src

        here = served(self.here)
        base = here if here.endswith("/") else posixpath.dirname(here) + "/"
        path, _, anchor = target.partition("#")
        relative = posixpath.relpath(served(path) or ".", base.rstrip("/") or ".")
        if served(path).endswith("/") and not relative.endswith("/"):
            relative += "/"
        return relative + (f"#{anchor}" if anchor else "")

    def item_url(self, kind: str, item_id: str) -> str:
        from .site import page_of

        page, anchor = page_of(self.program, kind, item_id)
        return self.url(page + (f"#{anchor}" if anchor else ""))

    def href(self, kind: str, item_id: str) -> str:
        from .site import page_of  # the site plan imports this module

        page, anchor = page_of(self.program, kind, item_id)
        return (self.path(page) if page != self.here else "") + (f"#{anchor}" if anchor else "")

    def to(self, item: pt.Ref) -> str:
        return f"[{text(item.label)}]({self.href(item.kind, item.id)})"

    def item(self, kind: str, item_id: str) -> str:
        return self.to(pt.ref(self.program, kind, item_id))


def bullets(items: Iterable[Any]) -> str:
    return "\n".join(f"- {text(item)}" for item in items)


def numbered(items: Iterable[Any]) -> str:
    return "\n".join(f"{n}. {text(item)}" for n, item in enumerate(items, start=1))


def _cell(value: Any, links: Links) -> str:
    if isinstance(value, pt.Ref):
        return links.to(value)
    if isinstance(value, (list, tuple)):
        if not value:
            return pt.DASH
        # Names read well in a row; sentences need a line each.
        joiner = ", " if all(isinstance(v, pt.Ref) for v in value) else "<br>"
        return joiner.join(_cell(v, links) for v in value)
    if value is None or value == "":
        return pt.DASH
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return text(value)


def table(data: pt.DataTable, links: Links) -> str:
    """A Markdown table with links, followed by its CSV and JSON downloads."""
    from .site import download_path

    header = "| " + " | ".join(links.to(c.ref) if c.ref else text(c.label) for c in data.columns) + " |"
    rule = "| " + " | ".join("---:" if c.numeric else "---" for c in data.columns) + " |"
    cell = pt.per_value(lambda value: _cell(value, links))
    body = ["| " + " | ".join([cell(row.get(c.key)) for c in data.columns]) + " |" for row in data.rows]
    lines = [header, rule, *body]
    if data.downloads:
        csv_link = links.path(download_path(data.id, "csv"))
        json_link = links.path(download_path(data.id, "json"))
        lines += ["", f"Download {text(data.title)}: [CSV]({csv_link}){{ download }} · "
                      f"[JSON]({json_link}){{ download }}", "{: .portal-downloads }"]
    return "\n".join(lines)


def _section(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p) + "\n"


# -- Overview ---------------------------------------------------------------------------


def program_home(program: Program, links: Links) -> str:
    info = program.info
    vendor = info["vendor"]
    models = []
    for model in program.models:
        includes = (f"\n\nDoes everything a partner does as {links.item('model', model['includes'])}, and more."
                    if model.get("includes") else "")
        typical = f"\n\nTypical partners:\n\n{bullets(model['typical_partners'])}" if model.get(
            "typical_partners") else ""
        models.append(f"### {text(model['name'])} {{ #model-{model['id']} }}\n\n{text(model['summary'])}"
                      f"{includes}{typical}")
    return _section(
        f"# {text(info['name'])}",
        text(info["summary"]),
        f"**Version {text(info['version'])}**, in effect from {text(info['effective_date'])}. Run by "
        f"{text(vendor['name'])} for partners who sell and service {text(vendor['product'])}. "
        f"[What's new in this version]({links.path('whats-new.md')}) · [Changelog]({links.path('changelog.md')})",
        "## Who it is for",
        bullets(info["audience"]),
        "## How to join",
        numbered(info["how_to_join"]),
        "## Engagement models",
        "Partners choose how they work with " + text(vendor["name"]) + ". The model decides who does what at each "
        f"[lifecycle stage]({links.path('lifecycle/index.md')}).",
        *models,
        "## Find your way",
        "\n".join([
            f"- [Tiers]({links.path('tiers/index.md')}): what each tier asks and gives.",
            f"- [Lifecycle]({links.path('lifecycle/index.md')}): who does what at each stage, and its KPIs.",
            f"- [Journeys]({links.path('journeys/index.md')}): onboarding, step by step.",
            f"- [Playbooks]({links.path('playbooks/index.md')}): what to do when a signal appears.",
            f"- [Incentives]({links.path('incentives/index.md')}): what you can earn, with worked examples.",
        ]),
        f"Questions: {text(info['contact'])}" if info.get("contact") else "",
    )


# -- Tiers ------------------------------------------------------------------------------


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
    return _section(
        "# Tiers",
        f"{text(program.info['name'])} recognises partners at {len(program.tiers)} tiers. Each tier asks at least "
        "as much as the one below it and keeps its benefits.",
        "## Compare the tiers",
        table(pt.tier_comparison(program), links),
        "## Capability score",
        f"Partners earn up to {score['maximum']} points, counted over {pt.window_text(score['window'])}. To qualify "
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
    return _section(
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
    from .render_releases import grace_text

    periods = tier.get("grace_periods", [])
    if not periods:
        return ""
    lines = "\n".join(f"    - {grace_text(program, tier['name'], p)}" for p in periods)
    return f'!!! info "Time to meet raised requirements"\n\n{lines}'


# -- Lifecycle --------------------------------------------------------------------------


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
    return _section(
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
    vendor = "".join(f"<li>{html_text(v)}</li>" for v in duties["vendor"])
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
    return _section(
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


# -- Journeys ---------------------------------------------------------------------------


def _fit(program: Program, journey: Item, links: Links) -> str:
    total = pt.duration_days(journey["duration"])
    steps_end = max(s["start_day"] + pt.duration_days(s["duration"]) for s in journey["steps"])
    words = (f"**{pt.duration_text(journey['duration'])} in total**; the last step is done by day "
             f"{format_value(round(steps_end, 1), 'count')}.")
    if not journey.get("kpi"):
        return words
    kpi = program.get("kpi", journey["kpi"])
    target_days = pt.duration_days({"value": kpi["target"], "unit": kpi["unit"]})  # a time unit: journey-fit
    fits = total <= target_days if kpi["direction"] == "at-most" else total >= target_days
    verdict = "within" if fits else "outside"
    return f"{words} It serves {links.item('kpi', kpi['id'])}, {pt.kpi_target(kpi)}: the journey is {verdict} it."


def journeys_index(program: Program, links: Links) -> str:
    items = [f"- {links.item('journey', j['id'])} ({text(pt.duration_text(j['duration']))}, for "
             f"{'partners' if j['audience'] == 'partner' else 'customers'}): {text(j['summary'])}"
             for j in program.journeys]
    return _section("# Journeys", "Step-by-step journeys with owners, durations and exit criteria.", "\n".join(items))


def _timeline(journey: Item) -> str:
    total = max(pt.duration_days(journey["duration"]),
                max(s["start_day"] + pt.duration_days(s["duration"]) for s in journey["steps"]))
    rows = []
    for step in journey["steps"]:
        length = pt.duration_days(step["duration"])
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
            f"{html_text(pt.duration_text(journey['duration']))}. The table below lists the same steps.</figcaption>"
            "</figure>")


def journey_page(program: Program, links: Links, journey_id: str) -> str:
    journey = program.get("journey", journey_id)
    details = []
    for step in journey["steps"]:
        details.append(f"### {text(step['name'])}\n\n"
                       + (f"{text(step['description'])}\n\n" if step.get("description") else "")
                       + f"Owner: {links.item('role', step['owner'])}. Starts on day {step['start_day']}, takes "
                       f"{text(pt.duration_text(step['duration']))}.\n\nDone when:\n\n{bullets(step['exit_criteria'])}")
    return _section(
        f"# {text(journey['name'])}",
        text(journey["summary"]),
        _fit(program, journey, links),
        "## Timeline",
        _timeline(journey),
        "## Steps",
        table(pt.journey_steps(program, journey), links),
        "## Step details",
        *details,
    )


# -- Playbooks --------------------------------------------------------------------------


def playbooks_index(program: Program, links: Links) -> str:
    by_stage = []
    for stage in program.stages:
        page = links.path(f"playbooks/{stage['id']}.md")
        by_stage.append(f"- [{text(stage['name'])} plays]({page}) ({len(program.plays_for_stage(stage['id']))})")
    return _section(
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
        plays.append(
            f"## {text(play['name'])} {{ #play-{play['id']} }}\n\n"
            f"**Starts when:** {text(play['trigger']['signal'])} *(source: {text(play['trigger']['source'])})*\n\n"
            f"**Owner:** {links.item('role', play['owner'])}. **Run by:** {models}.\n\n"
            f"**Steps:**\n\n{numbered(play['steps'])}\n\n**Done when:**\n\n{bullets(play['exit_criteria'])}\n\n"
            f"**Moves:** {kpis}.")
    return _section(
        f"# {text(stage['name'])} plays",
        f"Plays for the {links.item('stage', stage_id)} stage. [All plays]({links.path('playbooks/index.md')}).",
        *plays if plays else ["No plays at this stage yet."],
    )


# -- Incentives -------------------------------------------------------------------------


def incentives_index(program: Program, links: Links) -> str:
    rule = program.documents["incentives.yaml"].get("partner_of_record")
    return _section(
        "# Incentives",
        "What partners can earn, who can earn it, and how it is paid. Each incentive's page has its rate table "
        "and a worked example.",
        table(pt.incentives_overview(program), links),
        f'!!! info "Partner of record"\n    {text(rule)}' if rule else "",
    )


def incentive_page(program: Program, links: Links, incentive_id: str) -> str:
    incentive = program.get("incentive", incentive_id)
    rules = incentive["eligibility"]
    payout = incentive["payout"]
    eligibility = [f"- Tiers: {', '.join(links.item('tier', t) for t in rules['tiers'])}"]
    eligibility += [f"- Holds the {links.item('specialization', s)}" for s in rules.get("specializations", [])]
    for requirement in rules.get("kpis", []):
        kpi = program.get("kpi", requirement["kpi"])
        months = (f", for {requirement['consecutive_months']} months in a row"
                  if requirement.get("consecutive_months") else "")
        eligibility.append(f"- {links.item('kpi', kpi['id'])} {text(pt.kpi_target(kpi, requirement['value']))}"
                           f" over {text(pt.window_text(kpi['window']))}{months}")
    eligibility += [f"- {text(c)}" for c in rules.get("conditions", [])]
    builds = (f"It follows the {links.item('incentive', incentive['builds_on'])}, and asks at least as much."
              if incentive.get("builds_on") else "")
    timing = f" {text(payout['timing'])}" if payout.get("timing") else ""
    survey = incentive.get("survey")
    return _section(
        f"# {text(incentive['name'])}",
        text(incentive["summary"]),
        builds,
        "## Who can earn it",
        "\n".join(eligibility),
        "## How it pays",
        f"{text(pt._method_text(payout['method']))}, based on the {text(payout['basis'])}, paid "
        f"{text(payout['frequency'])}.{timing}",
        table(pt.incentive_rates(program, incentive), links),
        _worked_example(program, incentive, links),
        "## The survey" if survey else "",
        (f"Customers score each question from {format_value(survey['scale']['min'], 'score')} to "
         f"{format_value(survey['scale']['max'], 'score')}:\n\n{numbered(survey['questions'])}"
         + (f"\n\nAnd one open question: *{text(survey['open_question'])}*" if survey.get("open_question") else ""))
        if survey else "",
    )


def _worked_example(program: Program, incentive: Item, links: Links) -> str:
    """The incentive's example, computed from its rate table (the worked-example rule has
    checked that it computes)."""
    example = incentive.get("example")
    if not example:
        return ""
    result = estimate(program, incentive["id"], example)
    currency = program.info["currency"]
    rates = pt.incentive_rates(program, incentive)
    applied = ", ".join(_cell(rates.rows[result.row][c.key], links) for c in rates.columns)
    method = incentive["payout"]["method"]
    if method == "percent-of-contract-value":
        sum_text = (f"{format_money(example['basis_amount'], currency)} × {format_value(result.rate, 'percent')} = "
                    f"**{format_money(result.payout, currency)}**")
    elif method == "fixed-amount":
        sum_text = f"**{format_money(result.payout, currency)}**"
    else:
        sum_text = f"**{format_value(result.payout, 'count')} points**"
    band = table_shape(program.table(incentive["payout"]["table"])).band
    body = (f"{text(example['summary'])}\n\n"
            f"The row that applies: {applied} (row {result.row + 2} of "  # the header is row 1
            f"<code>{html_text(incentive['payout']['table'])}</code>"
            + (f", selected by {text(band.replace('_', ' '))}" if band else "") + ").\n\n"
            f"Payout: {sum_text}, paid {text(incentive['payout']['frequency'])}, provided the partner meets the "
            "requirements above.")
    return '!!! example "Worked example"\n' + "\n".join(f"    {line}" if line else "" for line in body.split("\n"))


# -- Renewal, assessment, glossary, downloads, data dictionary --------------------------


def renewal_page(program: Program, links: Links) -> str:
    renewal = program.renewal
    window = renewal["prompt_window"]
    kpis = ", ".join(links.item("kpi", k) for k in renewal.get("kpis", []))
    start = max(p["starts_months_before"] for p in renewal["phases"]) or 1
    bars = "".join(
        f'<li><span class="portal-timeline__label">{html_text(p["name"])}</span>'
        f'<span class="portal-timeline__track"><span class="portal-timeline__bar" style="margin-left: '
        f'{100 * (start - p["starts_months_before"]) / start:.2f}%; width: '
        f'{max(100 * (p["starts_months_before"] - p["ends_months_before"]) / start, 0.8):.2f}%"></span></span>'
        f'<span class="portal-timeline__days">{p["starts_months_before"]} to {p["ends_months_before"]} months before'
        "</span></li>" for p in renewal["phases"])
    figure = (f'<figure class="portal-timeline"><ol>{bars}</ol><figcaption>Renewal phases, counted back from the '
              "contract end date. The table below lists the same phases.</figcaption></figure>")
    return _section(
        "# Renewal timeline",
        text(renewal["summary"]),
        figure,
        table(pt.renewal_phases(program), links),
        "## Renewal prompts",
        f"{text(program.info['vendor']['name'])} prompts the partner between {window['max_days_before']} and "
        f"{window['min_days_before']} days before the renewal date.",
        table(pt.renewal_prompts(program), links),
        "## When a customer does not renew",
        "Record one of these reason codes in the partner portal.",
        table(pt.non_renewal_reasons(program), links),
        f"KPIs: {kpis}." if kpis else "",
    )


def assessment_page(program: Program, links: Links) -> str:
    assessment = program.assessment
    scoring = assessment["scoring"]
    top = max(s["rating"] for s in assessment["scale"])
    sections = [f"### {text(s['name'])}\n\n{numbered(s['elements'])}" for s in assessment["sections"]]
    return _section(
        f"# {text(assessment['name'])}",
        text(assessment["summary"]),
        "## Rating scale",
        table(pt.assessment_scale(program), links),
        "## Scoring",
        f"Each element is worth its rating × {scoring['points_per_rating']} points, so an element rated {top} earns "
        f"{top * scoring['points_per_rating']}. A section is worth up to {scoring['section_maximum']} points and the "
        f"whole assessment up to {scoring['maximum']}.",
        table(pt.assessment_sections(program), links),
        "## Maturity bands",
        table(pt.assessment_bands(program), links),
        "## Sections and elements",
        *sections,
    )


def glossary_page(program: Program, links: Links) -> str:
    kpis = []
    for stage in program.stages:
        for kpi in program.kpis_for_stage(stage["id"]):
            kpis.append(f"### {text(kpi['name'])} {{ #kpi-{kpi['id']} }}\n\n{text(kpi['definition'])}\n\n"
                        f"Stage: {links.item('stage', stage['id'])}. Target: {text(pt.kpi_target(kpi))}, measured "
                        f"over {text(pt.window_text(kpi['window']))}.")
    roles = []
    for role in program.roles:
        side = "Partner" if role["party"] == "partner" else text(program.info["vendor"]["name"])
        certification = f" Certification: {text(role['certification'])}." if role.get("certification") else ""
        roles.append(f"### {text(role['name'])} {{ #role-{role['id']} }}\n\n{side} role. {text(role['summary'])}"
                     f"{certification}")
    return _section(
        "# Glossary",
        "## KPIs",
        *kpis,
        "## Roles",
        table(pt.roles(program), links),
        *roles,
    )


def downloads_page(program: Program, links: Links) -> str:
    from .site import all_tables, download_path

    rows = [f"| {text(t.title)} | [CSV]({links.path(download_path(t.id, 'csv'))}){{ download }} | "
            f"[JSON]({links.path(download_path(t.id, 'json'))}){{ download }} |" for t in all_tables(program)]
    return _section(
        "# Downloads",
        "Every table on the portal, as CSV (opens in a spreadsheet) and JSON (for tools). They are generated from "
        "the same program data as the pages.",
        "| Table | CSV | JSON |\n| --- | --- | --- |\n" + "\n".join(rows),
    )


def data_dictionary_page(program: Program, links: Links) -> str:
    from .site import dictionary_tables

    sections = [f"## {text(t.title)}\n\n{text(t.description)}\n\n{table(t, links)}" for t in dictionary_tables(program)]
    return _section(
        "# Data dictionary",
        "For program teams: every field of every program data file, from the schemas in `schemas/`. Editors show "
        "the same descriptions while you type.",
        *sections,
        "## Consistency rules",
        "Beyond each file's schema, `portal check` applies these rules across files. A finding names the rule's "
        "code, the place, and what to change.",
        table(pt.consistency_rules(), links),
    )


def macro_location(docs_dir: str, src_uri: str, markdown: str, name: str, ids: tuple[str, ...]) -> str:
    """`content/page.md:LINE:COL` of the first call of macro `name` with `ids` in a page."""
    folder = posixpath.basename(str(docs_dir).rstrip("/")) or "content"
    pattern = re.compile(re.escape(name) + r"\s*\(\s*" + "".join(f"['\"]{re.escape(i)}['\"]\\s*,?\\s*" for i in ids))
    for number, line in enumerate(markdown.splitlines(), start=1):
        match = pattern.search(line)
        if match:
            return f"{folder}/{src_uri}:{number}:{match.start() + 1}"
    return f"{folder}/{src_uri}"


# The macros pages call: name -> renderer(program, links, *ids).
PAGE_MACROS = {
    "program_home": program_home,
    "tiers_index": tiers_index,
    "tier_page": tier_page,
    "lifecycle_index": lifecycle_index,
    "stage_page": stage_page,
    "journeys_index": journeys_index,
    "journey_page": journey_page,
    "playbooks_index": playbooks_index,
    "stage_plays_page": stage_plays_page,
    "incentives_index": incentives_index,
    "incentive_page": incentive_page,
    "renewal_page": renewal_page,
    "assessment_page": assessment_page,
    "glossary_page": glossary_page,
    "downloads_page": downloads_page,
    "data_dictionary_page": data_dictionary_page,
}
