"""Incentive calculations: which table row applies, and what it pays.

A rate table's columns say how it is read: `tier` and `region` select rows exactly;
a pair `min_X` / `max_X` is a band on the measure X (min inclusive, max exclusive,
the top of the last band inclusive; an empty max is open-ended); the remaining column
is what the row pays (`rate_percent`, `rebate_amount` or `points`). The worked
examples on the portal and the consistency rules use these functions, so they cannot
disagree.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .model import Item, Program, with_builds_on

KEY_COLUMNS = ("tier", "region")
VALUE_COLUMNS = ("rate_percent", "rebate_amount", "points")


class CalculationError(ValueError):
    """The inputs select no row (or several) in the rate table."""


@dataclass(frozen=True)
class TableShape:
    keys: tuple[str, ...]
    band: str | None  # the measure a band selects on, e.g. "contract_value"
    value: str

    @property
    def band_columns(self) -> tuple[str, str] | None:
        return (f"min_{self.band}", f"max_{self.band}") if self.band else None


def table_shape(frame: pd.DataFrame) -> TableShape:
    columns = list(frame.columns)
    keys = tuple(c for c in KEY_COLUMNS if c in columns)
    bands = [c[4:] for c in columns if c.startswith("min_") and f"max_{c[4:]}" in columns]
    values = [c for c in VALUE_COLUMNS if c in columns]
    if len(bands) > 1 or len(values) != 1:
        raise CalculationError(f"cannot tell how to read a table with columns {', '.join(columns)}")
    return TableShape(keys, bands[0] if bands else None, values[0])


@dataclass(frozen=True)
class Estimate:
    """What an incentive pays for given inputs, and why."""

    incentive: str
    eligible: bool
    reasons: tuple[str, ...] = ()
    row: int | None = None  # 0-based index of the table row that applied
    band: tuple[float, float | None] | None = None
    rate: float | None = None  # the table value: a percentage, an amount or points
    payout: float | None = None  # in the program currency, or points for `points`
    unit: str = ""
    matched: Mapping[str, Any] = field(default_factory=dict)


def find_row(frame: pd.DataFrame, shape: TableShape, keys: Mapping[str, Any], band_value: float | None) -> int:
    """The index of the one row matching `keys` whose band contains `band_value`."""
    mask = pd.Series(True, index=frame.index)
    for key in shape.keys:
        if keys.get(key) is None:
            raise CalculationError(f"the table needs a {key}")
        mask &= frame[key] == keys[key]
    if shape.band_columns:
        if band_value is None or (isinstance(band_value, float) and math.isnan(band_value)):
            raise CalculationError(f"the table needs a value for {shape.band.replace('_', ' ')}")
        low, high = shape.band_columns
        candidates = frame[mask]
        upper = candidates[high]
        top = upper.max() if upper.notna().all() else None
        inside = (candidates[low] <= band_value) & (upper.isna() | (band_value < upper) | (upper == top) & (
            band_value == upper))
        rows = candidates.index[inside.fillna(False).to_numpy(dtype=bool)]
    else:
        rows = frame.index[mask.to_numpy()]
    if len(rows) == 0:
        raise CalculationError("no row of the table applies to these inputs")
    if len(rows) > 1:
        raise CalculationError(f"{len(rows)} rows of the table apply to these inputs; bands must not overlap")
    return int(frame.index.get_loc(rows[0]))


def eligibility_gaps(program: Program, incentive: Item, inputs: Mapping[str, Any]) -> list[str]:
    """Why a partner with `inputs` cannot earn `incentive` (empty when it can).

    `inputs` may hold `tier`, `specializations` (ids held) and `kpis` ({kpi id: value});
    what is not given is not held against the partner."""
    rules = incentive["eligibility"]
    gaps = []
    tier = inputs.get("tier")
    if tier is not None and tier not in rules["tiers"]:
        names = ", ".join(program.name("tier", t) for t in rules["tiers"])
        gaps.append(f"open to {names} partners only")
    held = inputs.get("specializations")
    if held is not None:
        held = with_builds_on(program.specializations, set(held))
        for needed in rules.get("specializations", []):
            if needed not in held:
                gaps.append(f"needs the {program.name('specialization', needed)}")
    values = inputs.get("kpis") or {}
    for requirement in rules.get("kpis", []):
        kpi = program.get("kpi", requirement["kpi"])
        value = values.get(requirement["kpi"])
        if value is None:
            continue
        if not meets(kpi, value, requirement["value"]):
            word = "at least" if kpi["direction"] == "at-least" else "at most"
            gaps.append(f"needs {kpi['name']} of {word} {format_value(requirement['value'], kpi['unit'])} "
                        f"(you have {format_value(value, kpi['unit'])})")
    return gaps


def meets(kpi: Item, value: float, threshold: float) -> bool:
    return value >= threshold if kpi["direction"] == "at-least" else value <= threshold


def estimate(program: Program, incentive_id: str, inputs: Mapping[str, Any]) -> Estimate:
    """What `incentive_id` pays for `inputs`: `tier`, `region`, `band_value` (the measure
    the table's bands select on), `basis_amount` (what a percentage applies to), and
    optionally `specializations` and `kpis` for the eligibility check."""
    incentive = program.get("incentive", incentive_id)
    payout = incentive["payout"]
    gaps = eligibility_gaps(program, incentive, inputs)
    if gaps:
        return Estimate(incentive_id, False, tuple(gaps))
    frame = program.table(payout["table"])
    shape = table_shape(frame)
    index = find_row(frame, shape, inputs, inputs.get("band_value"))
    row = frame.iloc[index]
    rate = float(row[shape.value])
    band = None
    if shape.band_columns:
        low, high = shape.band_columns
        band = (float(row[low]), None if pd.isna(row[high]) else float(row[high]))
    method = payout["method"]
    if method == "percent-of-contract-value":
        basis = inputs.get("basis_amount")
        if basis is None or basis != basis:  # missing, or NaN
            raise CalculationError("a percentage incentive needs the contract value it applies to")
        cents = float(basis) * rate
        if not math.isfinite(cents):
            raise CalculationError("the amount is too large to compute")
        # Half-up to the cent, the way the browser estimator's Math.round does it.
        amount, unit = math.floor(cents + 0.5) / 100, program.info["currency"]
    elif method == "fixed-amount":
        amount, unit = rate, program.info["currency"]
    else:
        amount, unit = rate, "points"
    matched = {key: row[key] for key in shape.keys}
    return Estimate(incentive_id, True, (), index, band, rate, amount, unit, matched)


def format_value(value: float, unit: str) -> str:
    """A value with its unit, as partners read it: 60%, 30 days, 4.2 (score)."""
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    if unit == "percent":
        return f"{number}%"
    if unit in ("score", "count"):
        return number
    singular = {"days": "day", "weeks": "week", "customers": "customer", "users": "user", "hours": "hour"}
    return f"{number} {singular.get(unit, unit) if value == 1 else unit}"


def format_money(amount: float, currency: str) -> str:
    return f"{amount:,.2f} {currency}".replace(".00 ", " ")
