"""Fragments any page can use: an item's name, summary or link, one of the program's
facts inside a sentence, and the words an item's own page adds."""

from __future__ import annotations

import difflib
from collections.abc import Callable

from ...core.units import format_value, long_date
from ...model.program import Item, Program
from ..escape import text
from ..markup import Links
from ..tables import window_text
from .registry import add, fragment

TOPIC = "Any page"

# The guides, by the id pages use: (page, the program's attribute for its file).
GUIDES = {"practice": ("guides/practice.md", "practice"),
          "success-plan": ("guides/success-plan.md", "success_plan"),
          "usage-report": ("guides/usage-report.md", "usage_report"),
          "quarterly-review": ("guides/quarterly-review.md", "quarterly_review"),
          "program": ("guides/program.md", "structure")}


# The kinds of item pages can name, as `name()`, `summary()` and `link()` take them.
KINDS = ("tier", "stage", "journey", "incentive", "play", "kpi", "role", "specialization", "model", "deliverable",
         "region", "guide")


def _item(program: Program, kind: str, item_id: str) -> Item:
    if kind not in KINDS:
        close = difflib.get_close_matches(kind.replace(" ", "-"), KINDS, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise LookupError(f"'{kind}' is not a kind of item; {hint}the kinds are {', '.join(KINDS)}")
    if kind == "guide":
        if item_id not in GUIDES:
            raise LookupError(f"there is no guide with the id '{item_id}'; known guide ids: {', '.join(GUIDES)}")
        return getattr(program, GUIDES[item_id][1])
    return program.get(kind, item_id)


@fragment("name('tier', 'gold')", TOPIC)
def name(program: Program, links: Links, kind: str, item_id: str) -> str:
    """An item's name, as text. The kinds: tier, stage, journey, incentive, play, kpi, role,
    specialization, model (an engagement model), deliverable, region and guide."""
    return text(_item(program, kind, item_id)["name"])


@fragment("summary('journey', 'partner-onboarding')", TOPIC)
def summary(program: Program, links: Links, kind: str, item_id: str) -> str:
    """An item's one-paragraph summary (a stage's goal, a KPI's definition)."""
    item = _item(program, kind, item_id)
    for field in ("summary", "goal", "definition"):
        if item.get(field):
            return text(item[field])
    raise LookupError(f"the {kind} '{item_id}' has no summary")


@fragment("link('tier', 'gold')", TOPIC)
def link(program: Program, links: Links, kind: str, item_id: str) -> str:
    """A link to where an item is described, named after it. A plain Markdown link to the
    page (`[Gold](tiers/gold.md)`) works too."""
    _item(program, kind, item_id)
    if kind == "guide":
        return f"[{name(program, links, kind, item_id)}]({links.path(GUIDES[item_id][0])})"
    return links.item(kind, item_id)


def neighbours(links: Links, kind: str, sequence: list[Item], item_id: str, before: str, after: str) -> str:
    """Links to the items either side of one in an ordered list (tiers, stages), each after
    its word, e.g. "One tier below: Silver. Next tier: Platinum."
    """
    position = [i["id"] for i in sequence].index(item_id)
    parts = [f"{before} {links.item(kind, sequence[position - 1]['id'])}." if position > 0 else "",
             f"{after} {links.item(kind, sequence[position + 1]['id'])}." if position + 1 < len(sequence) else ""]
    return " ".join(p for p in parts if p)


def _optional(value: object) -> str:
    return "" if value is None or value == "" else text(value)


def _hours(program: Program) -> str:
    hours = program.staffing.get("customer_load", {}).get("hours_per_customer_per_week")
    return f"{format_value(hours['min'], 'count')} to {format_value(hours['max'], 'count')}" if hours else ""


# The facts a sentence can hold: name -> (what it is, how it is read from the program).
FACTS: dict[str, tuple[str, Callable[[Program], str]]] = {
    "program": ("the program's name", lambda p: text(p.info["name"])),
    "summary": ("the program's summary", lambda p: text(p.info["summary"])),
    "vendor": ("the vendor's name", lambda p: text(p.info["vendor"]["name"])),
    "product": ("what partners sell and service", lambda p: text(p.info["vendor"]["product"])),
    "version": ("the program's version", lambda p: text(p.info["version"])),
    "effective_date": ("the date the version takes effect", lambda p: text(long_date(p.info["effective_date"]))),
    "contact": ("who to ask (empty if the program names no one)", lambda p: _optional(p.info.get("contact"))),
    "currency": ("the currency amounts are in", lambda p: text(p.info["currency"])),
    "tier_count": ("how many tiers there are", lambda p: str(len(p.tiers))),
    "capability_points": ("the capability score's maximum", lambda p: str(p.capability_score["maximum"])),
    "capability_window": ("the period the capability score counts",
                          lambda p: text(window_text(p.capability_score["window"]))),
    "points_per_category": ("the capability points every tier needs in each category",
                            lambda p: str(p.capability_score.get("min_points_per_category", 0))),
    "customers_per_csm": ("the customers one customer success manager serves",
                          lambda p: _optional(p.staffing.get("customer_load", {}).get("customers_per_csm"))),
    "hours_per_customer": ("the hours a week a CSM gives each customer, e.g. '2 to 4'", _hours),
    "renewal_summary": ("what renewal involves, in a paragraph", lambda p: text(p.renewal["summary"])),
    "assessment": ("the readiness assessment's name", lambda p: text(p.assessment["name"])),
    "assessment_summary": ("what the readiness assessment is for", lambda p: text(p.assessment["summary"])),
    "renewal_prompt_earliest": ("how many days before renewal the first prompt may come",
                                lambda p: str(p.renewal["prompt_window"]["max_days_before"])),
    "renewal_prompt_latest": ("how many days before renewal the prompts end",
                              lambda p: str(p.renewal["prompt_window"]["min_days_before"])),
}


@fragment("fact('vendor')", TOPIC)
def fact(program: Program, links: Links, fact_name: str) -> str:
    """One of the program's facts, as text inside a sentence; the facts are listed after
    the macros."""
    if fact_name not in FACTS:
        raise LookupError(f"there is no fact called '{fact_name}'; the facts are: {', '.join(FACTS)}")
    return FACTS[fact_name][1](program)


add("own_words", None, "own_words('tier', item)", TOPIC,
    "The words one item's page adds, from `content/templates/<kind>/<id>.md` (nothing if "
    "there is no such file). Used in the templates of item pages.")
