"""Fragments of the resource pages: the renewal timeline, the readiness assessment, the
glossary, the downloads and the data dictionary."""

from __future__ import annotations

from ...core.units import long_date
from ...model.assessment import top_rating
from ...model.program import Item, Program
from ...model.requirements import KPI_FAMILIES, PRACTICE_FAMILIES, Kpi, kpi_family
from .. import guide_tables as gt
from .. import program_tables as pt
from ..dictionary import consistency_rules as rules_table
from ..dictionary import dictionary_tables
from ..escape import html_text, text
from ..markup import Links, numbered, section, table
from ..plan import download_path, partner_tables, team_tables
from ..tables import window_text
from .registry import fragment

TOPIC = "Renewal, assessment and reference"


@fragment("renewal_timeline()", TOPIC)
def renewal_timeline(program: Program, links: Links) -> str:
    """The renewal phases drawn as bars, counted back from the contract end."""
    phases = program.renewal["phases"]
    start = max(p["starts_months_before"] for p in phases) or 1
    bars = "".join(
        f'<li><span class="portal-timeline__label">{html_text(p["name"])}</span>'
        f'<span class="portal-timeline__track"><span class="portal-timeline__bar" style="margin-left: '
        f'{100 * (start - p["starts_months_before"]) / start:.2f}%; width: '
        f'{max(100 * (p["starts_months_before"] - p["ends_months_before"]) / start, 0.8):.2f}%"></span></span>'
        f'<span class="portal-timeline__days">{p["starts_months_before"]} to {p["ends_months_before"]} months before'
        "</span></li>" for p in phases)
    return (f'<figure class="portal-timeline"><ol>{bars}</ol><figcaption>Renewal phases, counted back from the '
            "contract end date. The table below lists the same phases.</figcaption></figure>")


@fragment("renewal_phases()", TOPIC)
def renewal_phases(program: Program, links: Links) -> str:
    """The renewal phases with when they start and what happens, as a table."""
    return table(pt.renewal_phases(program), links)


@fragment("renewal_prompts()", TOPIC)
def renewal_prompts(program: Program, links: Links) -> str:
    """The prompts the vendor sends before a renewal, as a table."""
    return table(pt.renewal_prompts(program), links)


@fragment("non_renewal_reasons()", TOPIC)
def non_renewal_reasons(program: Program, links: Links) -> str:
    """The reason codes to record when a customer does not renew, as a table."""
    return table(pt.non_renewal_reasons(program), links)


@fragment("renewal_kpis(heading='KPIs:')", TOPIC)
def renewal_kpis(program: Program, links: Links) -> str:
    """The KPIs renewal is measured by, as linked names."""
    return ", ".join(links.item("kpi", k) for k in program.renewal.get("kpis", []))


@fragment("assessment_scale()", TOPIC)
def assessment_scale(program: Program, links: Links) -> str:
    """The assessment's rating scale, as a table."""
    return table(pt.assessment_scale(program), links)


@fragment("assessment_scoring()", TOPIC)
def assessment_scoring(program: Program, links: Links) -> str:
    """How the assessment is scored, in a sentence of its figures."""
    assessment = program.assessment
    scoring = assessment["scoring"]
    top = top_rating(assessment)
    return (f"Each element is worth its rating × {scoring['points_per_rating']} points, so an element rated {top} "
            f"earns {top * scoring['points_per_rating']}. A section is worth up to {scoring['section_maximum']} "
            f"points and the whole assessment up to {scoring['maximum']}.")


@fragment("assessment_sections()", TOPIC)
def assessment_sections(program: Program, links: Links) -> str:
    """The assessment's sections and their points, as a table."""
    return table(pt.assessment_sections(program), links)


@fragment("assessment_bands()", TOPIC)
def assessment_bands(program: Program, links: Links) -> str:
    """The maturity bands a total falls in, as a table."""
    return table(pt.assessment_bands(program), links)


@fragment("assessment_elements()", TOPIC)
def assessment_elements(program: Program, links: Links) -> str:
    """Each section of the assessment under a level-3 heading, with its purpose and
    numbered elements."""
    return "\n\n".join(f"### {text(s['name'])}\n\n" + (f"{text(s['purpose'])}\n\n" if s.get("purpose") else "")
                       + numbered(s["elements"]) for s in program.assessment["sections"])


@fragment("completed_assessments()", TOPIC)
def completed_assessments(program: Program, links: Links) -> str:
    """Each completed assessment under a level-2 heading, as a filled-in sheet: points by
    section and rating, the total and its band."""
    parts = []
    bands = {b["id"]: b for b in program.assessment["bands"]}
    for n, done in enumerate(program.completed_assessments, start=1):
        band = bands.get(done["band"])
        parts += [f"## {text(done['title'])}", text(done.get("summary", "")),
                  f"Completed on {text(long_date(done['completed']))}. Under each rating are the points of the "
                  "elements given it: the number of elements × the rating × "
                  f"{program.assessment['scoring']['points_per_rating']}.",
                  table(gt.completed_assessment(program, done, n), links),
                  f"A total of **{done['total']}** falls in the **{text(band['name'])}** band "
                  f"({band['min_points']} to {band['max_points']}): {text(band['description'])}" if band else ""]
    return section(*parts).rstrip("\n") if parts else ""


def _kpi_entry(kpi: Item, where: str, level: str = "###") -> str:
    return (f"{level} {text(kpi['name'])} {{ #kpi-{kpi['id']} }}\n\n{text(kpi['definition'])}\n\n{where} Target: "
            f"{text(Kpi.of(kpi).threshold_text())}, measured over {text(window_text(kpi['window']))}.")


@fragment("kpi_glossary()", TOPIC)
def kpi_glossary(program: Program, links: Links) -> str:
    """Every KPI under a level-3 heading (the target of every link to a KPI): by stage, then
    the practice's own KPIs by family."""
    kpis = []
    for stage in program.stages:
        for kpi in program.kpis_for_stage(stage["id"]):
            family = f" A {KPI_FAMILIES[kpi_family(kpi)].lower()} KPI." if kpi_family(kpi) != "lifecycle" else ""
            kpis.append(_kpi_entry(kpi, f"Stage: {links.item('stage', stage['id'])}.{family}"))
    for family in PRACTICE_FAMILIES:
        found = [k for k in program.kpis if kpi_family(k) == family]
        if found:
            kpis.append(f"### {KPI_FAMILIES[family]} KPIs of the practice {{ #kpis-{family} }}\n\n"
                        "These measure the partner's own practice, at no single lifecycle stage.")
            kpis += [_kpi_entry(k, f"{KPI_FAMILIES[family]} KPI.", "####") for k in found]
    return "\n\n".join(kpis)


@fragment("roles_table()", TOPIC)
def roles_table(program: Program, links: Links) -> str:
    """Every role with its party and certification, as a table."""
    return table(pt.roles(program), links)


@fragment("role_glossary()", TOPIC)
def role_glossary(program: Program, links: Links) -> str:
    """Every role under a level-3 heading (the target of every link to a role)."""
    roles = []
    for role in program.roles:
        side = "Partner" if role["party"] == "partner" else text(program.info["vendor"]["name"])
        certification = f" Certification: {text(role['certification'])}." if role.get("certification") else ""
        roles.append(f"### {text(role['name'])} {{ #role-{role['id']} }}\n\n{side} role. {text(role['summary'])}"
                     f"{certification}")
    return "\n\n".join(roles)


def _downloads(tables: list, links: Links) -> str:
    rows = [f"| {text(t.title)} | [CSV]({links.path(download_path(t.id, 'csv'))}){{ download }} | "
            f"[JSON]({links.path(download_path(t.id, 'json'))}){{ download }} |" for t in tables]
    return "| Table | CSV | JSON |\n| --- | --- | --- |\n" + "\n".join(rows)


@fragment("downloads_table()", TOPIC)
def downloads_table(program: Program, links: Links) -> str:
    """Every table partners read on the portal, with its CSV and JSON download."""
    return _downloads(partner_tables(program), links)


@fragment("team_downloads()", TOPIC)
def team_downloads(program: Program, links: Links) -> str:
    """The program teams' tables (the data dictionary's, the consistency rules), with their
    CSV and JSON downloads."""
    return _downloads(team_tables(program), links)


@fragment("data_dictionary()", TOPIC)
def data_dictionary(program: Program, links: Links) -> str:
    """Every field of every program data file, a level-2 heading and table per file, from
    the schemas."""
    return "\n\n".join(f"## {text(t.title)}\n\n{text(t.description)}\n\n{table(t, links)}"
                       for t in dictionary_tables(program))


@fragment("consistency_rules()", TOPIC)
def consistency_rules(program: Program, links: Links) -> str:
    """The rules `portal check` applies across files, with their codes, as a table."""
    return table(rules_table(), links)
