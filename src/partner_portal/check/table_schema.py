"""Checking a CSV table against its table schema, column by column.

A table schema is a JSON Schema describing one row (`type: object`, a property per
column, `required`, `additionalProperties: false`), so editors and program teams read
it like every other schema. Tables can hold hundreds of thousands of rows, so instead
of validating a Python dict per row, the keywords a column may use are applied to
whole columns at once. A keyword this module does not implement is refused, never
silently ignored.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any

from ..core.findings import MAX_PER_KIND, Finding, Fix, Layer, Location
from ..core.lazy import lazy
from ..load.csv_file import Table, TableGroup
from .schema_messages import ID_PATTERN, describe_field

np = lazy("numpy")
pd = lazy("pandas")
pa = lazy("pyarrow")
pc = lazy("pyarrow.compute")

COLUMN_KEYWORDS = {
    "title", "description", "$comment", "examples", "type", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "enum", "pattern", "minLength", "maxLength", "format",
}
TABLE_KEYWORDS = {"$schema", "$id", "title", "description", "$comment", "type", "properties", "required",
                  "additionalProperties"}
COLUMN_TYPES = {"string", "integer", "number", "boolean"}

_INTEGER = r"[-+]?\d+"
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_FORMATS = {
    "uri": (r"https?://[^\s/$.?#][^\s]*", "a web address starting with https://"),
    "email": (r"[^@\s]+@[^@\s]+\.[^@\s]+", "an e-mail address"),
    "date": (r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])", "a date written YYYY-MM-DD"),
}


def table_schema_problems(schema: dict[str, Any]) -> list[str]:
    """What in a table schema this checker cannot honour (empty when it is usable)."""
    problems = [f"unsupported keyword '{k}' at the table level" for k in schema if k not in TABLE_KEYWORDS]
    if schema.get("type") != "object" or not isinstance(schema.get("properties"), dict):
        problems.append("a table schema must be 'type: object' with a 'properties' entry per column")
        return problems
    if schema.get("additionalProperties") is not False:
        problems.append("a table schema must set 'additionalProperties: false' so unknown columns are caught")
    for name, column in schema["properties"].items():
        if not isinstance(column, dict):
            problems.append(f"column '{name}' must be described by an object")
            continue
        problems += [f"column '{name}': unsupported keyword '{k}'" for k in column if k not in COLUMN_KEYWORDS]
        if column.get("type") not in COLUMN_TYPES:
            problems.append(f"column '{name}': 'type' must be one of {', '.join(sorted(COLUMN_TYPES))}")
        if column.get("format") not in (None, *_FORMATS):
            problems.append(f"column '{name}': unsupported format '{column['format']}'")
    return problems


def check_table(table: Table, schema: dict[str, Any]) -> tuple[Table | None, list[Finding]]:
    """Type the table's columns and check them. Returns the typed table (None if the
    header is unusable) and the findings."""
    typed, findings, _ = check_tables([table], schema)
    return typed[0], findings


def check_tables(tables: list[Table], schema: dict[str, Any]
                 ) -> tuple[list[Table | None], list[Finding], set[int]]:
    """`check_table` for several tables with the same schema (a family such as one rate
    table per program): tables with the same columns are checked side by side, so a
    thousand small tables cost about what one large table costs. Findings name each
    table's own rows; the first findings of a kind are listed, then a count. Also returns
    the positions (in `tables`) of the tables with an error."""
    columns: dict[str, dict[str, Any]] = schema["properties"]
    required = set(schema.get("required", []))
    findings: list[Finding] = []
    typed: list[Table | None] = [None] * len(tables)
    failed: set[int] = set()
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, table in enumerate(tables):
        problems = _header_findings(table, columns, required)
        if problems:
            findings += problems
            failed.add(i)
        else:
            groups.setdefault(tuple(table.columns), []).append(i)
    for names, members in groups.items():
        family = _Family([tables[i] for i in members])
        series: dict[str, pd.Series] = {}
        for name in names:
            series[name], column_findings = _check_column(family, name, columns[name], name in required)
            findings += column_findings
        frame = pd.DataFrame(series, index=family.frame.index)
        for k, i in enumerate(members):
            start, end = family.bounds(k)
            part = frame.iloc[start:end] if len(members) > 1 else frame
            if len(members) > 1:
                part.index = tables[i].frame.index
            typed[i] = Table(tables[i].file, tables[i].columns, part, tables[i].row_numbers)
        failed.update(members[k] for k in family.failed)
    return typed, findings, failed


class _Family(TableGroup):
    """A table group that remembers which of its tables have a bad value."""

    def __init__(self, tables: list[Table]) -> None:
        super().__init__(tables)
        self.failed: set[int] = set()  # positions in `tables`

    def mark_failed(self, positions: np.ndarray) -> None:
        self.failed.update(int(k) for k in np.unique(np.searchsorted(self.starts, positions, side="right") - 1))


def _as_floats(text: pd.Series, usable: np.ndarray) -> pd.Series:
    """The numbers in `text` where `usable` (values already matched as numbers), NaN
    elsewhere, parsed by Arrow (the columns are Arrow-backed text)."""
    strings = pa.array(text.array)
    parsed = pc.cast(pc.if_else(pa.array(usable), strings, pa.scalar(None, strings.type)), pa.float64())
    return pd.Series(parsed.to_numpy(zero_copy_only=False), index=text.index, dtype="float64")


def _header_findings(table: Table, columns: dict[str, Any], required: set[str]) -> list[Finding]:
    known = list(columns)
    findings = []
    if not set(table.columns) & set(known) and any(re.fullmatch(_NUMBER, c.strip()) for c in table.columns):
        return [Finding("csv-missing-header", "the first row holds data, not column names",
                        Location(table.file, 1, 1), Layer.SCHEMA,
                        hint=f"Add a header row first: {','.join(known)}")]
    missing = [name for name in known if name in required and name not in table.columns]
    renamed: set[str] = set()
    for number, name in enumerate(table.columns, start=1):
        if name not in columns:
            # A misspelt column is one mistake: suggest the missing column it resembles,
            # and do not report that column as missing as well.
            close = difflib.get_close_matches(name, missing, n=1, cutoff=0.6) or difflib.get_close_matches(
                name, known, n=1, cutoff=0.6)
            renamed.update(close)
            findings.append(Finding(
                "unknown-column", f"unknown column '{name}'", Location(table.file, 1, number, field=name),
                Layer.SCHEMA,
                hint=(f"Did you mean '{close[0]}'? " if close else "") + f"Columns of this table: {', '.join(known)}."))
    for name in missing:
        if name not in renamed:
            about = describe_field(columns[name])
            findings.append(Finding(
                "missing-column", f"the required column '{name}' is missing", Location(table.file, 1, 0),
                Layer.SCHEMA, hint=f"Add the column '{name}'" + (f" ({about})." if about else ".")))
    return findings


def _check_column(table: _Family, name: str, column: dict[str, Any], required: bool
                  ) -> tuple[pd.Series, list[Finding]]:
    raw = table.frame[name]
    findings: list[Finding] = []

    def report(mask: pd.Series | np.ndarray, code: str, message: Callable[[Any], str],
               hint: str | Callable[[Any], str], fix: Callable[[Any], str | None] | None = None) -> None:
        rows = np.flatnonzero(np.asarray(mask, dtype=bool))
        if len(rows):
            table.mark_failed(rows)
        for index in rows[:MAX_PER_KIND]:
            value = raw.iloc[index]
            where = table.location(int(index), name)
            write = fix(value) if fix is not None else None
            findings.append(Finding(code, message(value), where, Layer.SCHEMA,
                                    hint=hint(value) if callable(hint) else hint,
                                    fix=Fix(where, write) if write is not None else None))
        if len(rows) > MAX_PER_KIND:
            file = table.table_at(int(rows[MAX_PER_KIND]))[0].file
            findings.append(Finding(code, f"{len(rows) - MAX_PER_KIND} more rows have the same problem "
                                    f"in column '{name}'", Location(file, field=name), Layer.SCHEMA,
                                    hint=None if callable(hint) else hint))

    stripped = raw.str.strip()
    empty = (stripped == "").to_numpy()
    if required:
        report(empty, "missing-value", lambda _v: f"the column '{name}' is empty on this row",
               f"Fill in '{name}'" + (f" ({describe_field(column)})." if describe_field(column) else "."))

    kind = column["type"]
    if kind in ("integer", "number"):
        pattern = _INTEGER if kind == "integer" else _NUMBER
        valid = stripped.str.fullmatch(pattern).to_numpy(dtype=bool) | empty
        report(~valid, "wrong-type",
               lambda v: f"'{v}' is not {'a whole number' if kind == 'integer' else 'a number'}", _number_hint,
               fix=lambda v: None if (fixed := number_fix(v)) is None or (kind == "integer" and "." in fixed)
               else fixed)
        values = _as_floats(stripped, valid & ~empty)
        # Beyond 2**53 a number loses digits; no count, amount or rate in program data gets there.
        huge = (values.abs() > 2**53).fillna(False).to_numpy(dtype=bool) | np.isinf(values.to_numpy())
        report(huge, "out-of-range", lambda v: f"{v.strip()} is too large", "Check the value; a digit may be "
               "repeated or a separator missing.")
        values = values.mask(huge)
        series = values.round().astype("Int64") if kind == "integer" else values
    elif kind == "boolean":
        lowered = stripped.str.lower()
        valid = lowered.isin(["true", "false"]).to_numpy() | empty
        report(~valid, "wrong-type", lambda v: f"'{v}' is not true or false", "Write true or false.")
        series = lowered.map({"true": True, "false": False}).astype("boolean")
    else:
        series = raw.where(~empty)
    present = (~empty) & series.notna().to_numpy()

    about = describe_field(column) or "Check the value."
    checks = (
        ("minimum", lambda s, v: s < v, "below the minimum of"),
        ("maximum", lambda s, v: s > v, "above the maximum of"),
        ("exclusiveMinimum", lambda s, v: s <= v, "not above"),
        ("exclusiveMaximum", lambda s, v: s >= v, "not below"),
    )
    for keyword, broken, words in checks:
        if keyword in column and kind in ("integer", "number"):
            limit = column[keyword]
            mask = present & broken(series, limit).fillna(False).to_numpy(dtype=bool)
            report(mask, "out-of-range", lambda v, words=words, limit=limit: f"{v.strip()} is {words} {limit}", about)
    if "enum" in column:
        allowed = [str(v) for v in column["enum"]]
        mask = present & ~stripped.isin(allowed).to_numpy()
        report(mask, "invalid-value", lambda v: f"'{v}' is not an allowed value",
               f"Allowed values: {', '.join(allowed)}.")
    if "pattern" in column and kind == "string":
        # JSON Schema patterns match anywhere in the value, like re.search.
        searched = raw.str.match("(?s).*?(?:" + column["pattern"] + ")")
        mask = present & ~searched.fillna(False).to_numpy(dtype=bool)
        is_id = column["pattern"] == ID_PATTERN

        def pattern_hint(value: str) -> str:
            if value != value.strip():
                return f"Remove the spaces around '{value.strip()}'."
            return "Ids use lowercase letters, digits and single hyphens." if is_id else about

        report(mask, "invalid-value", lambda v: f"'{v}' does not have the expected form", pattern_hint)
    if "format" in column and kind == "string":
        regex, words = _FORMATS[column["format"]]
        mask = present & ~stripped.str.fullmatch(regex).fillna(False).to_numpy(dtype=bool)
        report(mask, "invalid-value", lambda v: f"'{v}' is not {words}", about)
    lengths = raw.str.len()
    if "minLength" in column:
        mask = present & (lengths < column["minLength"]).to_numpy()
        report(mask, "wrong-size", lambda v: f"'{v}' is shorter than {column['minLength']} characters", about)
    if "maxLength" in column:
        mask = present & (lengths > column["maxLength"]).to_numpy()
        report(mask, "wrong-size", lambda v: f"the value is longer than {column['maxLength']} characters", about)
    return series, findings


_PLAIN_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_THOUSANDS = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d{1,2}$")


def number_fix(value: str) -> str | None:
    """The number a spreadsheet-style cell means ('3.5%', '$500', '1,500', '2,5'), or None."""
    text = str(value).strip()
    if text.endswith("%"):
        text = text.rstrip("%").strip()
    text = re.sub(r"^([-+]?)\s*[$€£]\s*", r"\1", text).lstrip("+")
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    elif _DECIMAL_COMMA.match(text):
        text = text.replace(",", ".")
    return text if _PLAIN_NUMBER.match(text) else None


def _number_hint(value: str) -> str:
    text, fixed = str(value).strip(), number_fix(value)
    if fixed is None:
        return "Write a plain number, with a dot for decimals."
    if text.endswith("%"):
        return f"Write the number without the percent sign: {fixed}."
    if any(symbol in text for symbol in "$€£"):
        return f"Write the amount without a currency symbol: {fixed}."
    if "," in text:
        return f"Write the number with a dot for decimals and no thousands separators: {fixed}."
    return f"Write {fixed}."

