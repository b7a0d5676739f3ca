"""The resource pages: renewal timeline, readiness assessment, glossary, downloads and the data dictionary."""

from __future__ import annotations

from ...core.units import long_date
from ...model.assessment import top_rating
from ...model.program import Item, Program
from ...model.requirements import KPI_FAMILIES, PRACTICE_FAMILIES, Kpi, kpi_family
from .. import guide_tables as gt
from .. import program_tables as pt
from ..dictionary import consistency_rules, dictionary_tables
from ..escape import html_text, text
from ..markup import Links, numbered, section, table
from ..plan import all_tables, download_path
from ..tables import window_text


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
    return section(
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
    top = top_rating(assessment)
    sections = [f"### {text(s['name'])}\n\n" + (f"{text(s['purpose'])}\n\n" if s.get("purpose") else "")
                + numbered(s["elements"]) for s in assessment["sections"]]
    return section(
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
        *_worked_examples(program, links),
    )


def _worked_examples(program: Program, links: Links) -> list[str]:
    """Completed assessments, as filled-in sheets: points by section and rating, the total
    and the band it falls in."""
    parts = []
    bands = {b["id"]: b for b in program.assessment["bands"]}
    for n, done in enumerate(program.completed_assessments, start=1):
        band = bands.get(done["band"])
        parts += [f"## {text(done['title'])}", text(done.get("summary", "")),
                  f"Completed on {text(long_date(done['completed']))}. Each numbered column holds the points of the "
                  "elements rated there: the number of elements × the rating × "
                  f"{program.assessment['scoring']['points_per_rating']}.",
                  table(gt.completed_assessment(program, done, n), links),
                  f"A total of **{done['total']}** falls in the **{text(band['name'])}** band "
                  f"({band['min_points']} to {band['max_points']}): {text(band['description'])}" if band else ""]
    return parts


def glossary_page(program: Program, links: Links) -> str:
    def entry(kpi: Item, where: str) -> str:
        return (f"### {text(kpi['name'])} {{ #kpi-{kpi['id']} }}\n\n{text(kpi['definition'])}\n\n{where} Target: "
                f"{text(Kpi.of(kpi).threshold_text())}, measured over {text(window_text(kpi['window']))}.")

    kpis = []
    for stage in program.stages:
        for kpi in program.kpis_for_stage(stage["id"]):
            family = f" A {KPI_FAMILIES[kpi_family(kpi)].lower()} KPI." if kpi_family(kpi) != "lifecycle" else ""
            kpis.append(entry(kpi, f"Stage: {links.item('stage', stage['id'])}.{family}"))
    for family in PRACTICE_FAMILIES:
        found = [k for k in program.kpis if kpi_family(k) == family]
        if found:
            kpis.append(f"### {KPI_FAMILIES[family]} KPIs of the practice {{ #kpis-{family} }}\n\n"
                        "These measure the partner's own practice, at no single lifecycle stage.")
            kpis += [entry(k, f"{KPI_FAMILIES[family]} KPI.").replace("### ", "#### ", 1) for k in found]
    roles = []
    for role in program.roles:
        side = "Partner" if role["party"] == "partner" else text(program.info["vendor"]["name"])
        certification = f" Certification: {text(role['certification'])}." if role.get("certification") else ""
        roles.append(f"### {text(role['name'])} {{ #role-{role['id']} }}\n\n{side} role. {text(role['summary'])}"
                     f"{certification}")
    return section(
        "# Glossary",
        "## KPIs",
        *kpis,
        "## Roles",
        table(pt.roles(program), links),
        *roles,
    )


def downloads_page(program: Program, links: Links) -> str:
    rows = [f"| {text(t.title)} | [CSV]({links.path(download_path(t.id, 'csv'))}){{ download }} | "
            f"[JSON]({links.path(download_path(t.id, 'json'))}){{ download }} |" for t in all_tables(program)]
    return section(
        "# Downloads",
        "Every table on the portal, as CSV (opens in a spreadsheet) and JSON (for tools). They are generated from "
        "the same program data as the pages.",
        "| Table | CSV | JSON |\n| --- | --- | --- |\n" + "\n".join(rows),
    )


def data_dictionary_page(program: Program, links: Links) -> str:
    sections = [f"## {text(t.title)}\n\n{text(t.description)}\n\n{table(t, links)}" for t in dictionary_tables(program)]
    return section(
        "# Data dictionary",
        "For program teams: every field of every program data file, from the schemas in `schemas/`. Editors show "
        "the same descriptions while you type.",
        *sections,
        "## Consistency rules",
        "Beyond each file's schema, `portal check` applies these rules across files. A finding names the rule's "
        "code, the place, and what to change.",
        table(consistency_rules(), links),
    )
