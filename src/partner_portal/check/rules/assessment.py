"""Rules about the readiness assessment: its totals follow its own scoring rule."""

from __future__ import annotations

from collections.abc import Iterator

from ...core import codes
from ...core.findings import Finding
from .base import RuleContext, rule


@rule(codes.ASSESSMENT_SCORING, "assessment.yaml")
def assessment_scoring(ctx: RuleContext) -> Iterator[Finding]:
    assessment = ctx.data("assessment.yaml")
    scoring = assessment["scoring"]
    ratings = [s["rating"] for s in assessment["scale"]]
    if ratings != list(range(ratings[0], ratings[0] + len(ratings))):
        yield ctx.finding("assessment.yaml", ("scale",), f"the ratings {ratings} do not count up by one",
                          "List the ratings in order, each one more than the last (1, 2, 3, 4, 5).")
        return
    top = max(ratings)
    total = 0
    for i, section in enumerate(assessment["sections"]):
        worth = len(section["elements"]) * top * scoring["points_per_rating"]
        total += worth
        if worth != scoring["section_maximum"]:
            yield ctx.finding("assessment.yaml", ("sections", i, "elements"),
                              f"the section '{section['name']}' is worth {worth} points ({len(section['elements'])} "
                              f"elements × {top} × {scoring['points_per_rating']}), not the section_maximum of "
                              f"{scoring['section_maximum']}",
                              "Add or remove elements, or change section_maximum.",
                              (("assessment.yaml", ("scoring", "section_maximum")),))
    if total != scoring["maximum"]:
        yield ctx.finding("assessment.yaml", ("scoring", "maximum"),
                          f"the sections add up to {total} points, not the declared maximum of {scoring['maximum']}",
                          f"Set maximum to {total}, or change the sections.")


RULES = [assessment_scoring]
