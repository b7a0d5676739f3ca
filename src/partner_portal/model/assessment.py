"""The readiness self-assessment's scoring rule: each element is worth its rating times
`points_per_rating`; sections and the whole add up; the total falls in a maturity band."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .bands import Bands
from .program import Item


def top_rating(assessment: Item) -> int:
    return max(s["rating"] for s in assessment["scale"])


def section_maximum(assessment: Item, section: Item) -> int:
    """What a section is worth when every element has the top rating."""
    return len(section["elements"]) * top_rating(assessment) * assessment["scoring"]["points_per_rating"]


def total_range(assessment: Item) -> tuple[int, int]:
    """The lowest and highest total the assessment can produce."""
    ratings = [s["rating"] for s in assessment["scale"]]
    elements = sum(len(s["elements"]) for s in assessment["sections"])
    per = assessment["scoring"]["points_per_rating"]
    return elements * min(ratings) * per, elements * max(ratings) * per


def maturity_bands(assessment: Item) -> Bands:
    """The maturity bands, which include both ends (0 to 124, then 125 to 249...)."""
    bands = assessment["bands"]
    return Bands.of([b["min_points"] for b in bands], [b["max_points"] for b in bands], counted=True)


def score(assessment: Item, ratings: Mapping[str, list[int | None]]) -> dict[str, Any]:
    """Section subtotals, total and maturity band for `ratings` (section id -> one rating
    per element, None where unanswered); no band until every element is rated."""
    per = assessment["scoring"]["points_per_rating"]
    sections, total, unanswered = {}, 0, 0
    for section in assessment["sections"]:
        given = list(ratings.get(section["id"], []))[: len(section["elements"])]
        given += [None] * (len(section["elements"]) - len(given))
        subtotal = sum(r * per for r in given if r is not None)
        unanswered += sum(1 for r in given if r is None)
        sections[section["id"]] = subtotal
        total += subtotal
    bands = maturity_bands(assessment)
    found = bands.find(total)
    band = assessment["bands"][int(bands.positions[found[0]])]["id"] if found else None
    return {"sections": sections, "total": total, "band": band if not unanswered else None,
            "unanswered": unanswered}
