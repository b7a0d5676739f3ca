"""The page macros: fragments of pages made from the checked program data. Pages in
content/ are Markdown that program teams write, calling these for the parts that come
from data; `registry` says how a fragment is declared and framed."""

from __future__ import annotations

from . import guides, home, incentives, items, journeys, lifecycle, practice, releases, resources, tiers, tools
from .registry import FRAGMENTS, Fragment

# The order topics are listed in.
TOPICS = (items.TOPIC, home.TOPIC, tiers.TOPIC, lifecycle.TOPIC, journeys.TOPIC, incentives.TOPIC, practice.TOPIC,
          guides.PLAN, guides.REVIEW, resources.TOPIC, tools.TOPIC, releases.TOPIC)

__all__ = ["FRAGMENTS", "TOPICS", "Fragment", "reference"]


def reference() -> str:
    """The README's "Macros for pages" section body: every fragment by topic, with its
    example, then the facts `fact()` knows."""
    lines: list[str] = []
    topic = None
    for fragment in sorted(FRAGMENTS.values(), key=lambda f: TOPICS.index(f.topic)):
        if fragment.topic != topic:
            topic = fragment.topic
            lines += ["", f"**{topic}**", "", "| macro | shows | example |", "|---|---|---|"]
        arguments = ", ".join(fragment.arguments)
        lines.append(f"| `{fragment.name}({arguments})` | {fragment.summary.replace('|', '/')} | "
                     f"`{{{{ {fragment.example} }}}}` |")
    lines += ["", "The facts `fact(name)` knows:", "", "| fact | is |", "|---|---|"]
    lines += [f"| `{name}` | {what} |" for name, (what, _) in items.FACTS.items()]
    return "\n".join(lines).strip() + "\n"
