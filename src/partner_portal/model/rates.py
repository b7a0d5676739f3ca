"""Incentive rate tables: how a table is read, which row applies, and what it pays.

A rate table's columns say how it is read: `tier` and `region` select rows exactly; a
pair `min_X` / `max_X` is a band on the measure X (see `bands.py`); the remaining column
is what the row pays (`rate_percent`, `rebate_amount` or `points`). The worked examples,
the estimator and the consistency rules use these functions, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..core.lazy import lazy
from ..core.units import format_money, format_value, percent_of
from .bands import Bands
from .eligibility import eligibility_of, shortfalls
from .program import Item, Program
from .requirements import SPECIALIZATION

np = lazy("numpy")
pd = lazy("pandas")

KEY_COLUMNS = ("tier", "region")
VALUE_COLUMNS = ("rate_percent", "rebate_amount", "points")
# The measures bands select on: their words, and the unit their values are written in.
MEASURES = {"active_users": ("active users", "users"), "contract_value": ("contract value", "money"),
            "renewal_rate": ("renewal rate", "percent"), "average": ("average score", "score")}


class CalculationError(ValueError):
    """The inputs select no row (or several) in the rate table."""


class NoRate(CalculationError):
    """The inputs select no rate, and why: a `key` (tier, region) is not given (`missing`),
    the band's measure or the basis is not given (`band`, `basis`), the table has no row
    for the tier and region (`no-rows`), or the measure is outside every band (`below` or
    `above` the `bound`). The message is for program teams; partners get
    `self_service.reason_words`."""

    def __init__(self, message: str, why: str, key: str | None = None, bound: float | None = None) -> None:
        super().__init__(message)
        self.why, self.key, self.bound = why, key, bound


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


def band_groups(frame: pd.DataFrame, shape: TableShape) -> Iterator[tuple[tuple[Any, ...], Bands]]:
    """The bands of a rate table for each tier and region (or for the whole table), with
    the positions of their rows in it."""
    assert shape.band_columns is not None
    low, high = shape.band_columns
    lows = frame[low].to_numpy(dtype=float, na_value=np.nan)
    highs = frame[high].to_numpy(dtype=float, na_value=np.nan)
    values = frame[shape.value].to_numpy(dtype=float, na_value=np.nan)
    groups = (frame.groupby(list(shape.keys), sort=False, dropna=False).indices if shape.keys
              else {(): np.arange(len(frame))})
    for key, positions in groups.items():
        yield (key if isinstance(key, tuple) else (key,)), Bands.of(lows[positions], highs[positions],
                                                                     values[positions], positions)


def measure_words(measure: str) -> str:
    """'contract value' for contract_value."""
    return MEASURES.get(measure, (measure.replace("_", " "),))[0]


def band_words(low: float, high: float | None, measure: str, currency: str, *, upper_included: bool = True) -> str:
    """A band as partners read it: '50,000 USD to 250,000 USD (not included)', '2,000 users or more'."""
    unit = MEASURES.get(measure, ("", "count"))[1]

    def show(value: float) -> str:
        return format_money(value, currency) if unit == "money" else format_value(value, unit)

    if high is None:
        return f"{show(low)} or more"
    return f"{show(low)} to {show(high)}" + ("" if upper_included else " (not included)")


def value_words(value: float, column: str, currency: str) -> str:
    """What a row pays, in words: '3.5%', '1,500 USD', '20 points'."""
    if column == "rate_percent":
        return format_value(value, "percent")
    if column == "rebate_amount":
        return format_money(value, currency)
    return format_value(value, "count") + " points"


def rate_range_words(program: Program, incentive: Item) -> str:
    """What an incentive can pay, from the lowest to the highest value of its rate table,
    in words: '3% to 4.5% of annual contract value', '500 USD to 7,500 USD, by
    active users in production', '10 to 50 points'."""
    payout = incentive["payout"]
    frame = program.table(payout["table"])
    shape = table_shape(frame)
    values = frame[shape.value].to_numpy(dtype=float, na_value=np.nan)
    values = values[~np.isnan(values)]
    if len(values) == 0:
        raise CalculationError("the rate table has no values")
    currency = program.info["currency"]
    low, high = (value_words(float(v), shape.value, currency) for v in (values.min(), values.max()))
    amount = low if low == high else (f"{low.removesuffix(' points')} to {high}" if shape.value == "points"
                                      else f"{low} to {high}")
    if payout["method"] == "percent-of-contract-value":
        return f"{amount} of {payout['basis']}"
    return f"{amount}, by {payout['basis']}" if payout["method"] == "fixed-amount" else amount


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
    mask = np.ones(len(frame), dtype=bool)
    for key in shape.keys:
        if keys.get(key) is None:
            raise NoRate(f"the table needs a {key}", "missing", key=key)
        mask &= (frame[key] == keys[key]).to_numpy(dtype=bool)
    rows = np.flatnonzero(mask)
    if shape.band_columns:
        if band_value is None or band_value != band_value:  # missing, or NaN
            raise NoRate(f"the table needs a value for {shape.band.replace('_', ' ')}", "band")
        if len(rows) == 0:
            raise NoRate("no row of the table applies to these inputs", "no-rows")
        low, high = shape.band_columns
        bands = Bands.of(frame[low].to_numpy(dtype=float, na_value=np.nan)[rows],
                         frame[high].to_numpy(dtype=float, na_value=np.nan)[rows], positions=rows)
        found = np.sort(bands.positions[bands.find(float(band_value))])
        if len(found) == 0:
            lowest = float(np.nanmin(bands.lows))
            if band_value < lowest:
                raise NoRate("no row of the table applies to these inputs", "below", bound=lowest)
            raise NoRate("no row of the table applies to these inputs", "above", bound=float(np.nanmax(bands.highs)))
        rows = found
    if len(rows) == 0:
        raise NoRate("no row of the table applies to these inputs", "no-rows")
    if len(rows) > 1:
        raise CalculationError(f"{len(rows)} rows of the table apply to these inputs; bands must not overlap")
    return int(rows[0])


def eligibility_gaps(program: Program, incentive: Item, inputs: Mapping[str, Any]) -> list[str]:
    """Why a partner with `inputs` cannot earn `incentive` (empty when it can).

    `inputs` may hold `tier`, `specializations` (ids held) and `kpis` ({kpi id: value});
    what is not given is not held against the partner."""
    requirements = eligibility_of(program, incentive)
    values = {"tiers": inputs.get("tier")} | {
        r.key: inputs.get("specializations") for r in requirements if r.kind == SPECIALIZATION} | {
        f"kpis/{kpi}": value for kpi, value in (inputs.get("kpis") or {}).items()}
    return shortfalls(program, requirements, values, unknown_meets=True)


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
            raise NoRate("a percentage incentive needs the contract value it applies to", "basis")
        try:
            amount = percent_of(basis, rate)
        except ValueError as exc:
            raise CalculationError(str(exc)) from None
        unit = program.info["currency"]
    elif method == "fixed-amount":
        amount, unit = rate, program.info["currency"]
    else:
        amount, unit = rate, "points"
    matched = {key: row[key] for key in shape.keys}
    return Estimate(incentive_id, True, (), index, band, rate, amount, unit, matched)
