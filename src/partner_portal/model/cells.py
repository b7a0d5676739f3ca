"""Cells of a report, read the same whether they come as text (a CSV) or typed by a table
schema (numbers, empty cells as missing): a whole number, a number, a date, a month's last
day, or INVALID for text that is not a value of its column. `usage-report.js` reads cells
the same way in the browser."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

_INTEGER = re.compile(r"[-+]?\d+")
_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


class _Invalid:
    """A cell whose text is not a value of its column."""


INVALID = _Invalid()



def text_of(value: Any) -> str:
    """A cell as trimmed text; empty for None, NaN and pandas NA."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        if value != value:  # pandas NA and NaN
            return ""
    except (TypeError, ValueError):
        return ""
    return str(value).strip()


def read_integer(value: Any) -> int | None | _Invalid:
    """A whole number from a cell: None when empty, INVALID when not a whole number."""
    if isinstance(value, bool):
        return INVALID
    if isinstance(value, int):
        return value
    if isinstance(value, float) and not math.isnan(value):
        return int(value) if value.is_integer() else INVALID
    text = text_of(value)
    if not text:
        return None
    return int(text) if _INTEGER.fullmatch(text) else INVALID


def read_number(value: Any) -> float | None | _Invalid:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not (
            isinstance(value, float) and math.isnan(value)):
        return float(value)
    text = text_of(value)
    if not text:
        return None
    return float(text) if _NUMBER.fullmatch(text) and math.isfinite(float(text)) else INVALID


def read_date(value: Any) -> dt.date | None | _Invalid:
    text = text_of(value)
    if not text:
        return None
    match = _DATE.fullmatch(text)
    if not match:
        return INVALID
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return INVALID


def month_end(value: Any) -> dt.date | None | _Invalid:
    """The last day of a report month written YYYY-MM."""
    text = text_of(value)
    if not text:
        return None
    match = _MONTH.fullmatch(text)
    if not match:
        return INVALID
    year, month = int(match[1]), int(match[2])
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)
