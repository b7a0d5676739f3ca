"""The site plan: which pages exist, where each item lives, and the navigation.

Pages for items (a tier, a stage, a journey, an incentive, a stage's plays) are
generated from the data, so adding a tier to tiers.yaml adds its page and its place in
the navigation. Section index pages are Markdown files in content/ that call macros.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from . import portal_tables as pt
from .model import Program
from .render import safe_title


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str  # path inside the docs folder, e.g. "tiers/gold.md"
    title: str
    macro: str  # the macro call the page consists of

    def markdown(self) -> str:
        return "{{ " + self.macro + " }}\n"


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
    raise KeyError(f"no page for items of kind '{kind}'")


def generated_pages(program: Program) -> list[GeneratedPage]:
    pages = [GeneratedPage(f"tiers/{t['id']}.md", t["name"], f"tier_page('{t['id']}')") for t in program.tiers]
    pages += [GeneratedPage(f"lifecycle/{s['id']}.md", s["name"], f"stage_page('{s['id']}')") for s in program.stages]
    pages += [GeneratedPage(f"journeys/{j['id']}.md", j["name"], f"journey_page('{j['id']}')")
              for j in program.journeys]
    pages += [GeneratedPage(f"playbooks/{s['id']}.md", f"{s['name']} plays", f"stage_plays_page('{s['id']}')")
              for s in program.stages]
    pages += [GeneratedPage(f"incentives/{i['id']}.md", i["name"], f"incentive_page('{i['id']}')")
              for i in program.incentives]
    return pages


def navigation(program: Program) -> list[Any]:
    """MkDocs `nav`, in sections, so that with `navigation.prune` each page carries only
    the section it is in and the build grows linearly with the number of pages."""
    generated = generated_pages(program)

    def section(title: str, index: str, prefix: str) -> dict[str, Any]:
        children: list[Any] = [index]
        children += [{safe_title(p.title): p.src_uri} for p in generated if p.src_uri.startswith(prefix)]
        return {title: children}

    return [
        {"Overview": "index.md"},
        section("Tiers", "tiers/index.md", "tiers/"),
        section("Lifecycle", "lifecycle/index.md", "lifecycle/"),
        section("Journeys", "journeys/index.md", "journeys/"),
        section("Playbooks", "playbooks/index.md", "playbooks/"),
        section("Incentives", "incentives/index.md", "incentives/"),
        {"Tools": [
            {"Incentive estimator": "tools/estimator.md"},
            {"Tier check": "tools/tier-check.md"},
            {"Readiness self-assessment": "tools/assessment.md"},
            {"Find a partner": "partners.md"},
        ]},
        {"Resources": [
            {"What's new": "whats-new.md"},
            {"Changelog": "changelog.md"},
            {"Renewal timeline": "renewal.md"},
            {"Readiness assessment": "assessment.md"},
            {"Glossary": "glossary.md"},
            {"Downloads": "downloads.md"},
            {"Data dictionary": "data-dictionary.md"},
        ]},
    ]


def all_tables(program: Program) -> list[pt.DataTable]:
    """Every table the portal shows: the build writes each as CSV and JSON, and the
    Downloads page lists them. Made once per program."""
    return program.memoized("all-tables", lambda: _make_tables(program))


def _make_tables(program: Program) -> list[pt.DataTable]:
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
    tables += dictionary_tables(program)
    tables.append(pt.consistency_rules())
    return tables


def dictionary_tables(program: Program) -> list[pt.DataTable]:
    tables = []
    for name, schema in program.schemas.items():
        if name == "common.schema.json":
            continue
        stem = name.removesuffix(".schema.json").replace("/", "-").replace("_", "-")
        rows = pt.dictionary_fields(schema, lambda node, name=name: program.resolve_schema(node, name))
        tables.append(pt.DataTable(
            f"dictionary-{stem}", schema.get("title", name),
            (pt.Column("field", "Field"), pt.Column("type", "Type"), pt.Column("required", "Required"),
             pt.Column("description", "Description")), tuple(rows), schema.get("description", "")))
    return tables


def download_path(table_id: str, extension: str) -> str:
    return f"downloads/{table_id}.{extension}"


def downloads(program: Program) -> dict[str, str]:
    """Every download file, keyed by its path in the site."""
    files = {}
    for table in all_tables(program):
        files[download_path(table.id, "csv")] = pt.to_csv(table)
        files[download_path(table.id, "json")] = pt.to_json(table)
    return files


def partners_data(program: Program) -> list[dict[str, Any]]:
    """The directory's data: one record per listed partner, for client-side search."""
    frame = program.tables.get("partners/roster.csv")
    if frame is None:
        return []
    columns = ["id", "name", "regions", "tier", "engagement_model", "specializations", "website"]
    records = frame[columns].astype(object).where(frame[columns].notna(), "").to_dict("records")
    for record in records:
        record["regions"] = [r for r in str(record["regions"]).split(";") if r]
        record["specializations"] = [s for s in str(record["specializations"]).split(";") if s]
    return records


def data_files(program: Program) -> dict[str, str]:
    """JSON the self-service tools read in the browser, keyed by its path in the site."""
    from .render_tools import PARTNERS_DATA, TOOLS_DATA
    from .tools import tools_data

    return {TOOLS_DATA: json.dumps(tools_data(program), ensure_ascii=False, separators=(",", ":")),
            PARTNERS_DATA: json.dumps(partners_data(program), ensure_ascii=False, separators=(",", ":"))}
