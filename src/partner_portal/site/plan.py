"""The site plan: which pages exist, where each item lives, and the navigation.

Pages for items (a tier, a stage, a journey, an incentive, a stage's plays) are
generated from the data, so adding a tier to tiers.yaml adds its page and its place in
the navigation. Section index pages are Markdown files in content/ that call macros.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
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
    if kind == "deliverable":
        program.get("deliverable", item_id)
        return f"guides/{item_id}.md", None
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
        {"Guides": [
            "guides/index.md",
            {"Building a practice": "guides/practice.md"},
            {"Success plan": "guides/success-plan.md"},
            {"Usage report": "guides/usage-report.md"},
            {"Quarterly review": "guides/quarterly-review.md"},
            {"How the program runs": "guides/program.md"},
        ]},
        {"Tools": [
            {"Incentive estimator": "tools/estimator.md"},
            {"Tier check": "tools/tier-check.md"},
            {"Readiness self-assessment": "tools/assessment.md"},
            {"Usage report check": "tools/usage-report.md"},
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


def all_tables(program: Program) -> list[DataTable]:
    """Every table the portal shows: the build writes each as CSV and JSON, and the
    Downloads page lists them. Made once per program."""
    return program.memoized("all-tables", lambda: _make_tables(program))


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
