"""Rules about bands: rate bands in incentive tables, capacity bands and maturity bands
follow each other without gap or overlap, and better bands never give less."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ...core import codes
from ...core.findings import Finding
from ...model.assessment import maturity_bands, total_range
from ...model.bands import Bands
from ...model.rates import CalculationError, band_groups, table_shape
from .base import RuleContext, rule

# A set of bands: what they are called, the bands, the range they must cover, and how a
# finding points at band i.
BandSet = tuple[str, Bands, Any, Any, Callable[[int, str, str], Finding]]


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

            def at(i: int, message: str, hint: str, rel: str = rel, bands: Bands = bands,
                   column: str = shape.band_columns[0]) -> Finding:
                return ctx.row_finding(rel, int(bands.positions[i]), column, message, hint)

            yield what, bands, declared.get("from"), declared.get("to"), at


def _capacity_bands(ctx: RuleContext) -> BandSet:
    capacity = ctx.data("staffing.yaml")["capacity_bands"]
    bands = Bands.of([b["min_customers"] for b in capacity], [b.get("max_customers") for b in capacity],
                     [b["min_dedicated_staff"] for b in capacity], counted=True)

    def at(i: int, message: str, hint: str) -> Finding:
        return ctx.finding("staffing.yaml", ("capacity_bands", int(bands.positions[i])), message, hint)

    return "capacity", bands, None, None, at


@rule(codes.BAND_CONTIGUITY, "incentives.yaml", "staffing.yaml", "assessment.yaml", "incentives/*.csv")
def band_contiguity(ctx: RuleContext) -> Iterator[Finding]:
    assessment = ctx.data("assessment.yaml")
    maturity = maturity_bands(assessment)

    def at_maturity(i: int, message: str, hint: str) -> Finding:
        return ctx.finding("assessment.yaml", ("bands", int(maturity.positions[i])), message, hint)

    start, end = total_range(assessment)
    for what, bands, low, high, at in [*_rate_bands(ctx), _capacity_bands(ctx),
                                        ("maturity", maturity, start, end, at_maturity)]:
        for i, message, hint in bands.gaps_and_overlaps(what, low, high):
            yield at(i, message, hint)


@rule(codes.BAND_MONOTONIC, "incentives.yaml", "staffing.yaml", "incentives/*.csv")
def band_monotonic(ctx: RuleContext) -> Iterator[Finding]:
    for what, bands, _low, _high, at in [*_rate_bands(ctx), _capacity_bands(ctx)]:
        for i, message, hint in bands.decreases(what):
            yield at(i, message, hint)


RULES = [band_contiguity, band_monotonic]
