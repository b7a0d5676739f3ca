"""Loading CSV tables with their physical row numbers.

Rows are numbered as a spreadsheet numbers them: the header is row 1, and a row's
number is the line where it starts in the file (so a quoted cell spanning two lines
does not shift later rows). Cells are kept as text here; `tables.py` types them
against the table's schema.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from .findings import Finding, Layer, Location, Severity

# One mistake repeated on every row of a large table is one problem: report the first
# few places and a count of the rest.
MAX_FINDINGS_PER_KIND = 20

_OTHER_DELIMITERS = {";": "semicolons", "\t": "tabs", "|": "pipes"}


@dataclass
class Table:
    """A CSV file as text cells, with the physical row number of every data row."""

    file: str
    columns: list[str]
    frame: pd.DataFrame
    row_numbers: np.ndarray

    def location(self, index: int, column: str | None = None) -> Location:
        """Where data row `index` (0-based) is: its physical row and, if given, its column."""
        row = int(self.row_numbers[index])
        col = self.columns.index(column) + 1 if column in self.columns else 0
        return Location(self.file, row, col, field=column)


class TableGroup:
    """Tables with the same columns as one frame, so a family of tables (one rate table
    per program, say) is checked in one pass; every row still traces back to its table."""

    def __init__(self, tables: list[Table]) -> None:
        self.tables = tables
        lengths = np.array([len(t.frame) for t in tables], dtype=np.int64)
        self.starts = np.concatenate([[0], np.cumsum(lengths)])  # each table's first row, then the end
        self.frame = tables[0].frame if len(tables) == 1 else pd.concat([t.frame for t in tables],
                                                                         ignore_index=True)

    def bounds(self, k: int) -> tuple[int, int]:
        return int(self.starts[k]), int(self.starts[k + 1])

    def table_at(self, position: int) -> tuple[Table, int]:
        """The table a row of the group comes from, and the row's position in it."""
        k = int(np.searchsorted(self.starts, position, side="right")) - 1
        return self.tables[k], position - int(self.starts[k])

    def location(self, position: int, column: str | None = None) -> Location:
        table, local = self.table_at(position)
        return table.location(local, column) if column else Location(table.file, int(table.row_numbers[local]))


@dataclass
class TableResult:
    table: Table | None
    findings: list[Finding]


def load_csv(text: str, file: str) -> TableResult:
    """Parse comma-separated `text`. Shape problems are findings, never exceptions."""
    findings: list[Finding] = []

    def finding(code: str, message: str, hint: str, row: int, column: int = 0, field: str | None = None,
                severity: Severity = Severity.ERROR) -> Finding:
        return Finding(code, message, Location(file, row, column, field=field), Layer.SYNTAX,
                       severity=severity, hint=hint)

    if not text.strip():
        return TableResult(None, [finding("empty-file", "the file has no rows, not even a header",
                                          "Add a header row with the column names, then the data rows.", 1, 1)])
    fast = _load_plain(text, file)
    if fast is not None:
        return fast

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
        while not any(cell.strip() for cell in header):
            header = next(reader)
    except csv.Error as exc:
        return TableResult(None, [finding("csv-syntax", f"the header row cannot be read: {exc}",
                                          "Check the quotes in the first row.", reader.line_num or 1)])
    except StopIteration:
        return TableResult(None, [finding("empty-file", "the file has no header row",
                                          "Add a header row with the column names.", 1, 1)])
    header_row = reader.line_num

    if len(header) == 1:
        for delimiter, name in _OTHER_DELIMITERS.items():
            if delimiter in header[0]:
                return TableResult(None, [finding(
                    "csv-delimiter",
                    f"the columns are separated by {name}, not commas",
                    "Export the table as 'CSV (comma delimited)', or replace the separators with commas.",
                    header_row, 1)])

    problems = _header_problems(header)
    if problems:
        return TableResult(None, [finding(code, message, hint, header_row, column, header[column - 1] or None)
                                  for code, message, hint, column in problems])

    width = len(header)
    cells: list[list[str]] = [[] for _ in header]
    row_numbers: list[int] = []
    counts: dict[str, int] = {}

    def within_limit(code: str) -> bool:
        counts[code] = counts.get(code, 0) + 1
        return counts[code] <= MAX_FINDINGS_PER_KIND

    start = header_row + 1
    try:
        for record in reader:
            row, start = start, reader.line_num + 1
            if not record or not any(cell.strip() for cell in record):
                if within_limit("csv-blank-row"):
                    findings.append(finding("csv-blank-row", "this row is blank", "Delete the blank row.", row, 1,
                                            severity=Severity.WARNING))
                continue
            if len(record) != width:
                if within_limit("csv-ragged-row"):
                    cells_found = len(record)
                    findings.append(finding(
                        "csv-ragged-row",
                        f"this row has {cells_found} cells but the header has {width}",
                        "A value that contains a comma must be in double quotes; otherwise add or remove"
                        " cells so every row matches the header.",
                        row, min(cells_found, width) + 1, header[width - 1] if cells_found < width else None))
                continue
            row_numbers.append(row)
            for column, cell in zip(cells, record, strict=True):
                column.append(cell)
    except csv.Error as exc:
        findings.append(finding("csv-syntax", f"the row cannot be read: {exc}",
                                "Check the double quotes on this row: a quote inside a value is written twice (\"\").",
                                start))
        return TableResult(None, findings)

    for code, count in counts.items():
        if count > MAX_FINDINGS_PER_KIND:
            first = next(f for f in findings if f.code == code)
            findings.append(Finding(code, f"{count - MAX_FINDINGS_PER_KIND} more rows have the same problem",
                                    Location(file), Layer.SYNTAX, severity=first.severity, hint=first.hint))

    frame = pd.DataFrame({name: pd.Series(column, dtype="str") for name, column in zip(header, cells, strict=True)})
    table = Table(file=file, columns=list(header), frame=frame,
                  row_numbers=np.asarray(row_numbers, dtype=np.int64))
    return TableResult(table, findings)


def _load_plain(text: str, file: str) -> TableResult | None:
    """The common case, read by Arrow's CSV parser: no quotes (so no cell spans lines), no
    blank or ragged rows, the header on the first line. Anything else returns None and
    goes through the reader above, which can say exactly what is wrong where (Arrow stops
    at a ragged row, so the shape needs no scan of its own here)."""
    if '"' in text or "\r" in text or "\n\n" in text or not text.endswith("\n"):
        return None
    header = text[: text.index("\n")].split(",")
    if len(header) < 2 or _header_problems(header):
        return None
    try:
        arrow = pa_csv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            parse_options=pa_csv.ParseOptions(quote_char=False, double_quote=False, escape_char=False,
                                              ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(header, pa.string()),
                                                  strings_can_be_null=False, quoted_strings_can_be_null=False))
    except pa.ArrowInvalid:
        return None
    frame = arrow.to_pandas(types_mapper={pa.string(): _TEXT}.get)
    if list(frame.columns) != header or len(frame) != text.count("\n") - 1:
        return None
    return TableResult(Table(file=file, columns=header, frame=frame,
                             row_numbers=np.arange(2, len(frame) + 2, dtype=np.int64)), [])


_TEXT = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' "str": text held by Arrow


def _header_problems(header: list[str]) -> list[tuple[str, str, str, int]]:
    problems = []
    seen: dict[str, int] = {}
    for number, name in enumerate(header, start=1):
        if not name.strip():
            problems.append(("csv-header", f"column {number} has no name",
                             "Give every column a name in the header row, or delete the empty column.", number))
        elif name != name.strip():
            problems.append(("csv-header", f"the column name '{name}' has spaces around it",
                             f"Rename the column to '{name.strip()}'.", number))
        elif name in seen:
            problems.append(("csv-duplicate-column",
                             f"the column name '{name}' appears twice (first as column {seen[name]})",
                             "Give each column a distinct name, or delete the repeated column.", number))
        else:
            seen[name] = number
    return problems

