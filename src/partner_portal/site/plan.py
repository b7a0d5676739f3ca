"""The site plan: which pages exist, where each item lives, and the navigation.

Pages for items (a tier, a stage, a journey, an incentive, a stage's plays) are
generated from the data, each from its kind's template in content/templates/, so adding
a tier to tiers.yaml adds its page and its place in the navigation. Every other page is a
Markdown file in content/ that calls macros; the navigation is written in mkdocs.yml, with
glob entries where generated and new pages go.
"""

from __future__ import annotations

import fnmatch
import json
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model.program import Program
from . import program_tables as pt
from .dictionary import consistency_rules, dictionary_tables
from .escape import safe_title
from .guide_tables import guide_tables
from .tables import DataTable, to_csv, to_json
from .templates import PLAN_TEMPLATE, USAGE_SAMPLE, success_plan_template, usage_sample
from .tools_data import partners_data, tools_data

TOOLS_DATA = "assets/data/tools.json"
PARTNERS_DATA = "assets/data/partners.json"


# The templates item pages are made from, by kind, and the kind of item each shows.
TEMPLATES = {"tier": "tier", "stage": "stage", "journey": "journey", "plays": "stage", "incentive": "incentive"}


def template_path(kind: str) -> str:
    """Where the template of `kind`'s pages lives in content/."""
    return f"templates/{kind}.md"


def own_words_path(kind: str, item_id: str) -> str:
    """Where one item's own words live in content/, next to its kind's template."""
    return f"templates/{kind}/{item_id}.md"


def template_problems(program: Program, docs: Path) -> list[str]:
    """Files in content/templates/ that no page would show: a template of no kind, words
    for an item the program does not have or in a folder of no kind, or words whose
    template does not call own_words()."""
    found = []
    folder = docs / "templates"
    for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
        where = f"{docs.name}/{path.relative_to(docs).as_posix()}"
        parts = path.relative_to(folder).with_suffix("").parts
        if len(parts) == 1 and parts[0] not in TEMPLATES:
            found.append(f"{where}: no page is made from it; the templates are "
                         + ", ".join(f"{k}.md" for k in TEMPLATES))
        elif len(parts) == 2 and parts[0] not in TEMPLATES:
            found.append(f"{where}: no page shows it; an item's own words go in a folder named after its template: "
                         + ", ".join(f"{k}/" for k in TEMPLATES))
        elif len(parts) == 2:
            kind, item_id = parts
            try:
                program.get(TEMPLATES[kind], item_id)
            except LookupError as exc:
                found.append(f"{where}: no page shows it, because {exc}")
                continue
            template = docs / template_path(kind)
            if template.is_file() and "own_words(" not in template.read_text(encoding="utf-8"):
                found.append(f"{where}: no page shows it, because {docs.name}/{template_path(kind)} does not "
                             f"call {{{{ own_words('{kind}', item) }}}}")
        elif len(parts) > 2:
            found.append(f"{where}: no page shows it; own words go in {docs.name}/templates/<kind>/<id>.md")
    return found


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str  # path inside the docs folder, e.g. "tiers/gold.md"
    title: str
    kind: str  # the template it is made from: a key of TEMPLATES
    item: str  # the id of the item it shows

    @property
    def template(self) -> str:
        return template_path(self.kind)

    def markdown(self) -> str:
        """The page: its template, with `item` set to the item's id (a slug)."""
        return f"{{% set item = '{self.item}' %}}{{% include '{self.template}' %}}\n"


def page_of(program: Program, kind: str, item_id: str) -> tuple[str, str | None]:
    """The page (and anchor) where an item is described."""
    if kind == "tier":
        return f"tiers/{item_id}.md", None
    if kind == "stage":
        return f"lifecycle/{item_id}.md", None
    if kind == "journey":
        return f"journeys/{item_id}.md", None
    if kind == "incentive":
        return f"incentives/{item_id}.md", None
    if kind == "play":
        return f"playbooks/{program.get('play', item_id)['stage']}.md", f"play-{item_id}"
    if kind == "kpi":
        return "glossary.md", f"kpi-{item_id}"
    if kind == "role":
        return "glossary.md", f"role-{item_id}"
    if kind == "specialization":
        return "tiers/index.md", f"specialization-{item_id}"
    if kind == "model":
        return "index.md", f"model-{item_id}"
    if kind == "deliverable":
        program.get("deliverable", item_id)
        return f"guides/{item_id}.md", None
    raise LookupError(f"{kind} items have no page of their own to link to; write their name with "
                      f"name('{kind}', '{item_id}')")


def generated_pages(program: Program) -> list[GeneratedPage]:
    pages = [GeneratedPage(f"tiers/{t['id']}.md", t["name"], "tier", t["id"]) for t in program.tiers]
    pages += [GeneratedPage(f"lifecycle/{s['id']}.md", s["name"], "stage", s["id"]) for s in program.stages]
    pages += [GeneratedPage(f"journeys/{j['id']}.md", j["name"], "journey", j["id"]) for j in program.journeys]
    pages += [GeneratedPage(f"playbooks/{s['id']}.md", f"{s['name']} plays", "plays", s["id"]) for s in program.stages]
    pages += [GeneratedPage(f"incentives/{i['id']}.md", i["name"], "incentive", i["id"]) for i in program.incentives]
    return pages


def in_menu_order(pages: list[str], generated: list[GeneratedPage]) -> list[str]:
    """Every page in the order a folder's `*` entry lists them: the generated item pages in
    the data's order, then the other pages by path."""
    made = [p.src_uri for p in generated]
    return made + sorted(set(pages) - set(made))


def navigation(nav: list[Any] | None, pages: list[str], generated: list[GeneratedPage]) -> list[Any] | None:
    """The navigation as written in mkdocs.yml, with its glob entries filled in.

    An entry such as `tiers/*` (or `*` for the top of content/) stands for the pages in that
    folder that no other entry names: first the generated item pages, in the data's order
    and titled from it, then content pages by path (MkDocs titles them from their first
    heading). A page no entry reaches is added at the end, in a section named after its
    folder, so a new Markdown file always appears. Without a `nav`, MkDocs lists every page.
    """
    if nav is None:
        return None
    titled = {p.src_uri: safe_title(p.title) for p in generated}
    everything = in_menu_order(pages, generated)
    named = set()

    def walk(entries: list[Any], out: set[str]) -> None:
        for entry in entries:
            value = next(iter(entry.values())) if isinstance(entry, dict) else entry
            if isinstance(value, list):
                walk(value, out)
            elif isinstance(value, str) and "*" not in value:
                out.add(value)

    walk(nav, named)
    placed: set[str] = set(named)

    def expand(entries: list[Any]) -> list[Any]:
        out: list[Any] = []
        for entry in entries:
            if isinstance(entry, dict):
                title, value = next(iter(entry.items()))
                out.append({title: expand(value) if isinstance(value, list) else value})
            elif isinstance(entry, str) and "*" in entry:
                matched = [p for p in everything if p not in placed and fnmatch.fnmatchcase(p, entry)
                           and p.count("/") == entry.count("/")]
                placed.update(matched)
                out += [{titled[p]: p} if p in titled else p for p in matched]
            else:
                out.append(entry)
        return out

    expanded = expand(nav)
    left = [p for p in everything if p not in placed]
    for folder in dict.fromkeys(posixpath.dirname(p) for p in left):
        mine = [{titled[p]: p} if p in titled else p for p in left if posixpath.dirname(p) == folder]
        if folder:
            expanded.append({folder.rsplit("/", 1)[-1].replace("-", " ").capitalize(): mine})
        else:
            expanded += mine
    return expanded


def all_tables(program: Program) -> list[DataTable]:
    """Every table the portal shows: the build writes each as CSV and JSON. Made once per
    program."""
    return program.memoized("all-tables", lambda: _make_tables(program))


def team_tables(program: Program) -> list[DataTable]:
    """The tables for program teams: the data dictionary's and the consistency rules."""
    return [*dictionary_tables(program), consistency_rules()]


def partner_tables(program: Program) -> list[DataTable]:
    """The tables partners read, which their Downloads page lists."""
    team = {t.id for t in team_tables(program)}
    return [t for t in all_tables(program) if t.id not in team]


def _make_tables(program: Program) -> list[DataTable]:
    tables = [pt.tier_comparison(program), pt.specializations(program), pt.capability_categories(program),
              pt.capacity_bands(program)]
    tables += [pt.tier_requirements(program, t) for t in program.tiers]
    tables.append(pt.kpi_table(program, program.kpis, "kpis", "KPIs"))
    tables += [pt.stage_kpis(program, s) for s in program.stages]
    tables.append(pt.roles(program))
    tables += [pt.journey_steps(program, j) for j in program.journeys]
    tables.append(pt.plays_overview(program))
    tables.append(pt.incentives_overview(program))
    tables += [pt.incentive_rates(program, i) for i in program.incentives]
    tables += [pt.renewal_phases(program), pt.renewal_prompts(program), pt.non_renewal_reasons(program)]
    tables += [pt.assessment_scale(program), pt.assessment_sections(program), pt.assessment_bands(program)]
    tables += guide_tables(program)
    tables += dictionary_tables(program)
    tables.append(consistency_rules())
    return tables


def download_path(table_id: str, extension: str) -> str:
    return f"downloads/{table_id}.{extension}"


def downloads(program: Program) -> dict[str, str]:
    """Every download file, keyed by its path in the site."""
    files = {}
    for table in all_tables(program):
        files[download_path(table.id, "csv")] = to_csv(table)
        files[download_path(table.id, "json")] = to_json(table)
    files[PLAN_TEMPLATE] = success_plan_template(program)
    sample = usage_sample(program)
    if sample is not None:
        files[USAGE_SAMPLE] = sample
    return files


def data_files(program: Program) -> dict[str, str]:
    """JSON the self-service tools read in the browser, keyed by its path in the site."""
    return {TOOLS_DATA: json.dumps(tools_data(program), ensure_ascii=False, separators=(",", ":")),
            PARTNERS_DATA: json.dumps(partners_data(program), ensure_ascii=False, separators=(",", ":"))}
