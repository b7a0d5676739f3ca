"""Tables as data: what the portal shows in a table, and the same table as CSV and JSON.

Pages render these tables, and the build writes each one as CSV and JSON for download,
so what a partner downloads is exactly what the page shows. Cells that name another item
are `Ref`s: a link on the page, the item's name in a download.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..model.program import Item, Program

DASH = "—"


YES = "✓"


@dataclass(frozen=True)
class Ref:
    """A cell or heading that names another item of the program."""

    kind: str
    id: str
    label: str

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False
    ref: Ref | None = None  # a column heading that links to an item (a tier, say)
    # How a page shows the column's text: "text" as written, "path" as a field path that
    # may wrap only after a dot, "prose" with `backticked` words as code.
    shown: str = "text"


@dataclass(frozen=True)
class DataTable:
    id: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[dict[str, Any], ...]
    description: str = ""
    downloads: bool = field(default=True)


def per_value(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`convert`, worked out once per distinct value: a rate table repeats a few tiers,
    bands and rates over thousands of rows. (Keyed by type too, so 1 and True differ.)"""
    done: dict[tuple[type, Any], Any] = {}

    def converted(value: Any) -> Any:
        try:
            key = (type(value), value)
            if key not in done:
                done[key] = convert(value)
            return done[key]
        except TypeError:  # a list: not hashable
            return convert(value)

    return converted


def cell_text(value: Any) -> str:
    """The plain text of a cell, as downloads show it."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(cell_text(v) for v in value)
    return str(value)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """Spreadsheets run a cell that starts with = + - @ as a formula. Prefix such a cell
    with an apostrophe so it opens as text (plain negative numbers are left alone)."""
    if text.startswith(_FORMULA_START):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def to_csv(table: DataTable) -> str:
    """The table as CSV, starting with a byte-order mark: Excel then reads its names and
    symbols (é, →, ✓) as UTF-8, as every other program does anyway."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([neutralise_formula(c.label) for c in table.columns])
    cell = per_value(lambda value: neutralise_formula(cell_text(value)))
    writer.writerows([cell(row.get(c.key)) for c in table.columns] for row in table.rows)
    return out.getvalue()


def to_json(table: DataTable) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, Ref):
            return value.label
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value

    head = {"id": table.id, "title": table.title, "columns": [{"key": c.key, "label": c.label} for c in table.columns]}
    # One row per line: readable, and written by json's C encoder (indent= is pure Python,
    # slow on a table of thousands of rows).
    rows = ",\n".join("    " + json.dumps({c.key: plain(row.get(c.key)) for c in table.columns}, ensure_ascii=False)
                      for row in table.rows)
    fields = [f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}" for key, value in head.items()]
    return "{\n" + ",\n".join(fields) + ',\n  "rows": [' + (f"\n{rows}\n  " if rows else "") + "]\n}\n"


def ref(program: Program, kind: str, item_id: str) -> Ref:
    return Ref(kind, item_id, program.name(kind, item_id))


def window_text(window: Item) -> str:
    kind = window["type"]
    if kind == "rolling":
        months = window["months"]
        return "the last month" if months == 1 else f"a rolling {months} months"
    return {"fiscal-year": "the fiscal year", "point-in-time": "at the time of measurement",
            "per-customer": "for each customer", "per-partner": "for each partner"}[kind]
