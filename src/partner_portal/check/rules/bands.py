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


@rule(codes.BAND_CONTIGUITY, "incentives.yaml", "staffing.yaml", "assessment.yaml", "incentives/*.csv",
      text=("elements",))  # counts the assessment's elements
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


@rule(codes.ASSESSMENT_SCORING, "assessment.yaml", text=("elements",))  # counts them
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


@rule(codes.ASSESSMENT_TOTALS, "assessment.yaml", "assessments/*.yaml", text=("elements",))  # counts them
def assessment_totals(ctx: RuleContext) -> Iterator[Finding]:
    assessment = ctx.data("assessment.yaml")
    ratings = [s["rating"] for s in assessment["scale"]]
    per = assessment["scoring"]["points_per_rating"]
    sections = {s["id"]: s for s in assessment["sections"]}
    order = [s["id"] for s in assessment["sections"]]
    bands = maturity_bands(assessment)
    worth = [len(s["elements"]) * max(ratings) * per for s in assessment["sections"]]
    if any(w != assessment["scoring"]["section_maximum"] for w in worth):
        return  # the assessment itself does not add up yet: assessment-scoring says why
    for rel in sorted(r for r in ctx.documents if r.startswith("assessments/")):
        done = ctx.data(rel)
        if done["assessment"] != assessment["id"]:
            continue  # another assessment's answers: the references layer names the id
        given = [s["section"] for s in done["sections"]]
        if given != order and set(given) <= set(order):
            missing = [s for s in order if s not in given]
            yield ctx.finding(rel, ("sections",), f"the sections are {', '.join(given)}, but the assessment has "
                              f"{', '.join(order)}", (f"Add the sections {', '.join(missing)}; " if missing else "")
                              + "list the sections in the assessment's order.", (("assessment.yaml", ("sections",)),))
        total = 0
        for i, entry in enumerate(done["sections"]):
            section = sections.get(entry["section"])
            if section is None:
                continue
            marks = entry["ratings"]
            elements = len(section["elements"])
            off_scale = [j for j, r in enumerate(marks) if r not in ratings]
            if len(marks) != elements or off_scale:
                yield ctx.finding(rel, ("sections", i, "ratings") + ((off_scale[0],) if off_scale else ()),
                                  f"the section '{section['name']}' has {elements} elements, but {len(marks)} ratings"
                                  if len(marks) != elements else
                                  f"the rating {marks[off_scale[0]]} is not on the scale of {ratings[0]} to "
                                  f"{ratings[-1]}", "Give one rating per element, in the section's order, each on "
                                  "the scale.", (("assessment.yaml", ("sections", order.index(section["id"]),
                                                                      "elements")),))
                total = None
                continue
            subtotals = [marks.count(r) * r * per for r in ratings]
            written = entry["subtotals"]
            if len(written) != len(subtotals):
                yield ctx.finding(rel, ("sections", i, "subtotals"), f"{len(written)} subtotals, but the scale has "
                                  f"{len(ratings)} ratings", f"Write one subtotal per rating: {subtotals}.",
                                  fix=subtotals)
            else:
                for k, (want, got) in enumerate(zip(subtotals, written, strict=True)):
                    if want != got:
                        count = marks.count(ratings[k])
                        yield ctx.finding(rel, ("sections", i, "subtotals", k),
                                          f"the subtotal for rating {ratings[k]} in '{section['name']}' is {got}, but "
                                          f"{count} element{'s' * (count != 1)} marked {ratings[k]} give {want} "
                                          f"({count} × {ratings[k]} × {per})", f"Write {want}.", fix=want)
            points = sum(subtotals)
            if entry["points"] != points:
                yield ctx.finding(rel, ("sections", i, "points"), f"the section '{section['name']}' is given "
                                  f"{entry['points']} points, but its marks add up to {points}", f"Write {points}.",
                                  fix=points)
            if total is not None:
                total += points
        if total is None or [s["section"] for s in done["sections"]] != order:
            continue
        if done["total"] != total:
            yield ctx.finding(rel, ("total",), f"the total is {done['total']}, but the sections' marks add up to "
                              f"{total}", f"Write {total}.", fix=total)
        found = bands.find(total)
        band = assessment["bands"][int(bands.positions[found[0]])]["id"] if len(found) == 1 else None
        if band is not None and done["band"] != band:
            yield ctx.finding(rel, ("band",), f"the band is '{done['band']}', but a total of {total} falls in "
                              f"'{band}'", f"Write {band}.", (("assessment.yaml", ("bands",)),), fix=band)


RULES = [band_contiguity, band_monotonic, assessment_scoring, assessment_totals]
