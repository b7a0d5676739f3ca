"""Units, durations and money: how a value with a unit is counted and how it is written.

Program data carries its units (`{value: 13, unit: weeks}`, a KPI's `unit: percent`, the
program's `currency`); every page, rule and tool converts and words them here, and the
browser tools' `formatValue` mirrors `format_value`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

DAYS_PER_UNIT = {"hours": 1 / 24, "days": 1, "weeks": 7}

_SINGULAR = {"days": "day", "weeks": "week", "customers": "customer", "users": "user", "hours": "hour",
             "people": "person", "points": "point"}


def duration_days(duration: Mapping[str, Any]) -> float:
    """A duration (`{value, unit}`) in days."""
    return duration["value"] * DAYS_PER_UNIT[duration["unit"]]


def format_number(value: float) -> str:
    """A number as partners read it: digit groups, at most two decimals, no trailing zeros."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def format_value(value: float, unit: str) -> str:
    """A value with its unit: 60%, 30 days, 1 person, 4.2 (a score)."""
    number = format_number(value)
    if unit == "percent":
        return f"{number}%"
    if unit in ("score", "count"):
        return number
    return f"{number} {_SINGULAR.get(unit, unit) if value == 1 else unit}"


def duration_text(duration: Mapping[str, Any]) -> str:
    return format_value(duration["value"], duration["unit"])


def format_money(amount: float, currency: str) -> str:
    """An amount in the program's currency: 2,000 USD, 1,234.50 USD."""
    return f"{amount:,.2f} {currency}".replace(".00 ", " ")


def percent_of(basis: float, percent: float) -> float:
    """`percent` % of `basis`, rounded half-up to the cent as the browser's Math.round
    rounds it. ValueError when the amount is too large to compute."""
    cents = float(basis) * float(percent)
    if not math.isfinite(cents):
        raise ValueError("the amount is too large to compute")
    return math.floor(cents + 0.5) / 100


def long_date(value: object) -> str:
    """2027-02-01 as '1 February 2027' (text that is not a date is returned as it is)."""
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day.day} {day:%B %Y}"
