"""Fragments of the resource pages: the renewal timeline, the readiness assessment, the
glossary, the downloads and the data dictionary."""

from __future__ import annotations

from ...core.units import long_date
from ...model.assessment import top_rating
from ...model.program import Item, Program
from ...model.requirements import KPI_FAMILIES, Kpi, kpi_family
from .. import guide_tables as gt
from .. import program_tables as pt
from ..dictionary import consistency_rules as rules_table
from ..dictionary import dictionary_tables
from ..escape import html_text, text
from ..markup import Links, numbered, prose_cell, section, table
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


# The kinds of item the glossary defines, as a reader names them (KPIs and roles are
# defined there; the others are described on their own pages and linked).
GLOSSARY_KINDS = {"tier": "A tier", "stage": "A lifecycle stage", "model": "An engagement model",
                  "specialization": "A specialization", "incentive": "An incentive", "journey": "A journey",
                  "deliverable": "A deliverable", "kpi": "KPI", "role": "Role"}


def _kpi_words(program: Program, links: Links, kpi: Item) -> str:
    family = kpi_family(kpi)
    where = (f"A KPI of the {links.item('stage', kpi['stage'])} stage." if kpi.get("stage") else
             f"A {KPI_FAMILIES[family].lower()} KPI of the practice.")
    return (f"{where} {text(kpi['definition'])} Target: {text(Kpi.of(kpi).threshold_text())}, measured over "
            f"{text(window_text(kpi['window']))}.")


def _role_words(program: Program, role: Item) -> str:
    side = "A partner role." if role["party"] == "partner" else (
        f"A {text(program.info['vendor']['name'])} role.")
    certification = (f" Certification: {text(role['certification'])}."
                     if role.get("certification") else "")
    return f"{side} {text(role['summary'])}{certification}"


def _glossary_entries(program: Program, links: Links) -> list[tuple[str, str, str]]:
    """(name, heading attributes, words) for every term, unsorted."""
    entries = []
    for kind, what in GLOSSARY_KINDS.items():
        for item in program.items(kind):
            if kind == "kpi":
                entries.append((item["name"], f" {{ #kpi-{item['id']} }}", _kpi_words(program, links, item)))
            elif kind == "role":
                entries.append((item["name"], f" {{ #role-{item['id']} }}", _role_words(program, item)))
            else:
                about = next((item[f] for f in ("summary", "goal") if item.get(f)), "")
                entries.append((item["name"], "", f"{what}. {text(about)} More: {links.item(kind, item['id'])}."))
    score = program.capability_score
    if score:
        categories = ", ".join(f"{text(c['name'])} (up to {c['max_points']})" for c in score["categories"])
        entries.append(("Capability score", "", f"Points out of {score['maximum']} that every tier asks for, in "
                        f"{categories}. More: [Tiers]({links.path('tiers/index.md')})."))
    record = program.document("incentives.yaml").get("partner_of_record")
    if record:
        entries.append(("Partner of record", "", f"{text(record)} More: [Incentives]"
                        f"({links.path('incentives/index.md')})."))
    return entries


@fragment("glossary()", TOPIC)
def glossary(program: Program, links: Links) -> str:
    """Every term of the program from A to Z, under a level-2 heading per letter: each tier,
    stage, engagement model, specialization, incentive, journey, deliverable, KPI and role,
    the capability score and the partner of record, with what it is and a link to its page.
    KPIs (with their targets) and roles are defined here: links to them lead here."""
    entries = sorted(_glossary_entries(program, links), key=lambda e: str(e[0]).casefold())
    letters: dict[str, list[str]] = {}
    for name, attributes, words in entries:
        first = str(name)[:1].upper()
        letter = first if first.isalpha() else "#"
        letters.setdefault(letter, []).append(f"### {text(name)}{attributes}\n\n{words}")
    jump = " · ".join(f"[{letter}](#{_letter_anchor(letter)})" for letter in letters)
    return "\n\n".join([jump] + [f"## {letter} {{ #{_letter_anchor(letter)} }}\n\n" + "\n\n".join(terms)
                                  for letter, terms in letters.items()])


def _letter_anchor(letter: str) -> str:
    return f"letter-{letter.lower()}" if letter.isalpha() else "letter-other"


@fragment("roles_table()", TOPIC)
def roles_table(program: Program, links: Links) -> str:
    """Every role with its party and certification, as a table."""
    return table(pt.roles(program), links)


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
    return "\n\n".join(f"## {text(t.title)}\n\n{prose_cell(t.description)}\n\n{table(t, links)}"
                       for t in dictionary_tables(program))


@fragment("consistency_rules()", TOPIC)
def consistency_rules(program: Program, links: Links) -> str:
    """The rules `portal check` applies across files, with their codes, as a table."""
    return table(rules_table(), links)
