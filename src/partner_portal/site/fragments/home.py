"""Fragments of the home page: who the program is for, how to join, the engagement models,
and the cards that orient a partner: the tiers, what they can earn, where to start, the
latest changes."""

from __future__ import annotations

from ...core.units import long_date
from ...model.eligibility import label, needed_words, requirements_of
from ...model.program import Item, Program
from ...model.rates import rate_range_words
from ...model.requirements import KPI, POINTS, SPECIALIZATION, STAFFING
from ..escape import text
from ..markup import Links, bullets, numbered
from .registry import fragment
from .releases import SECTIONS

TOPIC = "Home page"


@fragment("audience()", TOPIC)
def audience(program: Program, links: Links) -> str:
    """Who the program is for, as a list."""
    return bullets(program.info["audience"])


@fragment("how_to_join()", TOPIC)
def how_to_join(program: Program, links: Links) -> str:
    """The steps to join the program, as a numbered list."""
    return numbered(program.info["how_to_join"])


@fragment("engagement_models()", TOPIC)
def engagement_models(program: Program, links: Links) -> str:
    """Each engagement model under a level-3 heading (the target of every link to a model):
    its summary, the model it includes and typical partners."""
    models = []
    for model in program.models:
        includes = (f"\n\nDoes everything a partner does as {links.item('model', model['includes'])}, and more."
                    if model.get("includes") else "")
        typical = f"\n\nTypical partners:\n\n{bullets(model['typical_partners'])}" if model.get(
            "typical_partners") else ""
        models.append(f"### {text(model['name'])} {{ #model-{model['id']} }}\n\n{text(model['summary'])}"
                      f"{includes}{typical}")
    return "\n\n".join(models)


def _cards(cards: list[str]) -> str:
    """Material's grid of cards: each card a list item, its lines indented under it."""
    items = ["-   " + "\n".join(("    " + line if line else "") if n else line
                                for n, line in enumerate(card.split("\n"))) for card in cards]
    return '<div class="grid cards" markdown>\n\n' + "\n\n".join(items) + "\n\n</div>"


def _asks(program: Program, tier: Item) -> list[str]:
    """A tier's requirements in a few words each: the score, the people, the
    specializations, and how many KPI targets."""
    requirements = requirements_of(program, tier)
    words = [f"{text(label(program, r))}: {text(needed_words(program, r))}" for r in requirements
             if r.kind in (POINTS, STAFFING, SPECIALIZATION)]
    kpis = sum(1 for r in requirements if r.kind == KPI)
    if kpis:
        words.append(f"{kpis} KPI target{'s' if kpis != 1 else ''}")
    return words


@fragment("tier_cards()", TOPIC)
def tier_cards(program: Program, links: Links) -> str:
    """A card per tier: who it is for, what it asks in short, how many incentives it opens,
    and links to its page and to the tier check about it."""
    cards = []
    for tier in program.tiers:
        earns = sum(1 for i in program.incentives if tier["id"] in i["eligibility"]["tiers"])
        asks = "\n".join(f"- {a}" for a in _asks(program, tier))
        cards.append(f"**{links.item('tier', tier['id'])}**\n\n---\n\n{text(tier['summary'])}\n\n{asks}\n\n"
                     f"Opens {earns} incentive{'s' if earns != 1 else ''}. "
                     f"[Check your figures]({links.path('tools/tier-check.md')}?aim={tier['id']})")
    return _cards(cards)


@fragment("earning_cards()", TOPIC)
def earning_cards(program: Program, links: Links) -> str:
    """A card per incentive: the tiers that can earn it, what it pays from the lowest rate
    to the highest, how often, and a link to the estimator about it."""
    cards = []
    for incentive in program.incentives:
        tiers = ", ".join(text(program.name("tier", t)) for t in incentive["eligibility"]["tiers"])
        cards.append(f"**{links.item('incentive', incentive['id'])}**\n\n---\n\n"
                     f"Pays {text(rate_range_words(program, incentive))}, "
                     f"{text(incentive['payout']['frequency'])}.\n\nOpen to {tiers}. "
                     f"[Estimate yours]({links.path('tools/estimator.md')}?incentive={incentive['id']})")
    return _cards(cards)


@fragment("start_cards()", TOPIC)
def start_cards(program: Program, links: Links) -> str:
    """A card per engagement model, for the partners it suits: the tiers open to it and the
    journeys that start a partner of that model."""
    cards = []
    for model in program.models:
        typical = " · ".join(text(p) for p in model.get("typical_partners", []))
        tiers = ", ".join(links.item("tier", t["id"]) for t in program.tiers
                          if model["id"] in t.get("engagement_models", []))
        journeys = ", ".join(links.item("journey", j["id"]) for j in program.journeys
                             if model["id"] in j.get("models", [model["id"]]))
        lines = [f"**{links.item('model', model['id'])}**", "---"]
        if typical:
            lines.append(f"Typical partners: {typical}")
        lines.append(f"Tiers: {tiers or 'none yet'}.")
        if journeys:
            lines.append(f"Start with: {journeys}.")
        cards.append("\n\n".join(lines))
    return _cards(cards)


# How many changes of each kind, in a sentence: (one, several).
_COUNTED = {"stricter": ("{} requirement raised", "{} requirements raised"),
            "easier": ("{} requirement eased", "{} requirements eased"),
            "gain": ("{} change new for partners or paying more", "{} changes new for partners or paying more"),
            "loss": ("{} change withdrawn or paying less", "{} changes withdrawn or paying less"),
            "info": ("{} other update", "{} other updates")}


@fragment("latest_changes()", TOPIC)
def latest_changes(program: Program, links: Links) -> str:
    """This version's changes in a sentence: when it takes effect and how many changes
    there are of each kind, with a link to What's new (nothing if no release is recorded)."""
    record = program.current_release or (program.releases[0] if program.releases else None)
    if record is None:
        return ""
    changes = record.get("changes", [])
    counts = [_COUNTED[impact][len(found) != 1].format(len(found)) for impact, _, _ in SECTIONS
              if (found := [c for c in changes if c["impact"] == impact])]
    what = (", ".join(counts) if counts else "no changes to the program") + "."
    return (f"Version {text(record['version'])} is in effect from {text(long_date(record['effective_date']))}: "
            f"{what} [See what changed]({links.path('whats-new.md')}).")
