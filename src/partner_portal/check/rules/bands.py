"""Rules about bands and scores: rate bands in incentive tables, capacity bands and
maturity bands follow each other without gap or overlap, better bands never give less,
and the readiness assessment's totals follow its scoring rule."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ...core import codes
from ...core.findings import Finding
from ...model.assessment import maturity_bands, total_range
from ...model.bands import BandProblem, Bands
from ...model.rates import CalculationError, band_groups, table_shape
from .base import RuleContext, rule

# A set of bands: what they are called, the bands, the range they must cover, and how a
# finding points at a band's problem (at the number to change).
BandSet = tuple[str, Bands, Any, Any, Callable[[BandProblem], Finding]]


def _rate_bands(ctx: RuleContext) -> Iterator[BandSet]:
    for incentive in ctx.data("incentives.yaml")["incentives"]:
        rel = incentive["payout"]["table"]
        table = ctx.tables.get(rel)
        if table is None:  # it failed its own checks, which say why
            continue
        try:
            shape = table_shape(table.frame)
        except CalculationError:
            continue
        if not shape.band_columns:
            continue
        declared = incentive["payout"].get("band_range", {})
        for key, bands in band_groups(table.frame, shape):
            label = " ".join(str(k) for k in key)
            what = f"{incentive['name']}{' (' + label + ')' if label else ''}"

            def at(problem: BandProblem, rel: str = rel, bands: Bands = bands, shape: Any = shape) -> Finding:
                column = shape.value if problem.value else shape.band_columns[1 if problem.upper else 0]
                return ctx.row_finding(rel, int(bands.positions[problem.index]), column, problem.message,
                                       problem.hint, fix=problem.fix)

            yield what, bands, declared.get("from"), declared.get("to"), at


def _listed(ctx: RuleContext, rel: str, key: str, fields: tuple[str, str, str]) -> Callable[[BandProblem], Finding]:
    """How a finding points at a band listed in a YAML file (`fields`: its start, end and value)."""
    items = ctx.data(rel)[key]

    def at(problem: BandProblem, bands: Bands) -> Finding:
        position = int(bands.positions[problem.index])
        field = fields[2] if problem.value else fields[1 if problem.upper else 0]
        present = field in items[position]
        return ctx.finding(rel, (key, position, field) if present else (key, position), problem.message,
                           problem.hint, fix=problem.fix if present else None)

    return at


def _capacity_bands(ctx: RuleContext) -> BandSet:
    capacity = ctx.data("staffing.yaml")["capacity_bands"]
    bands = Bands.of([b["min_customers"] for b in capacity], [b.get("max_customers") for b in capacity],
                     [b["min_dedicated_staff"] for b in capacity], counted=True)
    at = _listed(ctx, "staffing.yaml", "capacity_bands", ("min_customers", "max_customers", "min_dedicated_staff"))
    return "capacity", bands, None, None, lambda problem: at(problem, bands)


@rule(codes.BAND_CONTIGUITY, "incentives.yaml", "staffing.yaml", "assessment.yaml", "incentives/*.csv")
def band_contiguity(ctx: RuleContext) -> Iterator[Finding]:
    assessment = ctx.data("assessment.yaml")
    maturity = maturity_bands(assessment)
    at_maturity = _listed(ctx, "assessment.yaml", "bands", ("min_points", "max_points", ""))
    start, end = total_range(assessment)
    # While the elements disagree with the declared maximum, assessment-scoring says so;
    # the maturity bands are checked once the totals are settled.
    settled = ([("maturity", maturity, start, end, lambda problem: at_maturity(problem, maturity))]
               if end == assessment["scoring"]["maximum"] else [])
    for what, bands, low, high, at in [*_rate_bands(ctx), _capacity_bands(ctx), *settled]:
        for problem in bands.gaps_and_overlaps(what, low, high):
            yield at(problem)


@rule(codes.BAND_MONOTONIC, "incentives.yaml", "staffing.yaml", "incentives/*.csv")
def band_monotonic(ctx: RuleContext) -> Iterator[Finding]:
    for what, bands, _low, _high, at in [*_rate_bands(ctx), _capacity_bands(ctx)]:
        for problem in bands.decreases(what):
            yield at(problem)


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
    per_element = top * scoring["points_per_rating"]
    worths = [len(section["elements"]) * per_element for section in assessment["sections"]]
    total, uneven = sum(worths), False
    if len(set(worths)) == 1 and worths[0] != scoring["section_maximum"]:
        uneven = True  # every section is worth the same, and the declared maximum differs
        yield ctx.finding("assessment.yaml", ("scoring", "section_maximum"), f"every section is worth {worths[0]} "
                          f"points ({len(assessment['sections'][0]['elements'])} elements × {top} × "
                          f"{scoring['points_per_rating']}), not the section_maximum of {scoring['section_maximum']}",
                          f"Write {worths[0]}.", fix=worths[0])
    elif len(set(worths)) > 1:
        count = scoring["section_maximum"] / per_element
        for i, section in enumerate(assessment["sections"]):
            if worths[i] == scoring["section_maximum"]:
                continue
            uneven = True
            elements = len(section["elements"])
            yield ctx.finding("assessment.yaml", ("sections", i, "elements"),
                              f"the section '{section['name']}' is worth {worths[i]} points ({elements} elements × "
                              f"{top} × {scoring['points_per_rating']}), not the section_maximum of "
                              f"{scoring['section_maximum']}",
                              f"Give the section {count:g} elements (it has {elements})." if count.is_integer() else
                              f"Give every section the same number of elements, and write section_maximum as their "
                              f"worth (elements × {per_element}).",
                              (("assessment.yaml", ("scoring", "section_maximum")),))
    if total != scoring["maximum"] and not uneven:
        yield ctx.finding("assessment.yaml", ("scoring", "maximum"),
                          f"the sections add up to {total} points, not the declared maximum of {scoring['maximum']}",
                          f"Write {total}.", fix=total)


RULES = [band_contiguity, band_monotonic, assessment_scoring]
