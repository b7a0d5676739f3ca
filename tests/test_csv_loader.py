"""CSV loading: physical row numbers, shape problems, delimiters, headers."""

from __future__ import annotations

import pytest

from partner_portal.core.findings import MAX_PER_KIND
from partner_portal.load.csv_file import load_csv


def findings(text: str) -> list[tuple[str, int, int]]:
    return [(f.code, f.location.line, f.location.column) for f in load_csv(text, "t.csv").findings]


def test_rows_are_numbered_as_in_a_spreadsheet_header_is_row_1():
    table = load_csv("a,b\n1,2\n3,4\n", "t.csv").table
    assert list(table.row_numbers) == [2, 3]
    assert table.frame.to_dict("list") == {"a": ["1", "3"], "b": ["2", "4"]}
    assert str(table.location(1, "b")) == "t.csv:3:2"


def test_a_quoted_cell_spanning_lines_does_not_shift_later_rows():
    table = load_csv('a,b\n"x\ny",1\n2,3\n', "t.csv").table
    assert list(table.row_numbers) == [2, 4]


def test_ragged_rows_are_reported_with_their_row():
    assert findings("a,b\n1,2\n3\n4,5,6\n") == [("csv-ragged-row", 3, 2), ("csv-ragged-row", 4, 3)]


def test_ragged_rows_report_a_bounded_number_of_findings():
    text = "a,b\n" + "1\n" * 500
    result = load_csv(text, "t.csv")
    assert len(result.findings) == MAX_PER_KIND + 1
    assert "480 more rows" in result.findings[-1].message


def test_semicolon_delimiter_is_named():
    assert findings("a;b\n1;2\n") == [("csv-delimiter", 1, 1)]


def test_duplicated_column_names_are_reported_at_the_second():
    assert findings("a,b,a\n1,2,3\n") == [("csv-duplicate-column", 1, 3)]


def test_unnamed_column_is_reported():
    assert findings("a,,c\n1,2,3\n") == [("csv-header", 1, 2)]


def test_blank_rows_are_warnings_and_skipped():
    result = load_csv("a\n1\n\n2\n", "t.csv")
    assert [(f.code, f.severity.value, f.location.line) for f in result.findings] == [("csv-blank-row", "warning", 3)]
    assert list(result.table.row_numbers) == [2, 4]


def test_empty_file_is_a_finding():
    assert findings("") == [("empty-file", 1, 1)]


def test_numbers_are_parsed_as_the_number_pattern_reads_them():
    import numpy as np
    import pandas as pd

    from partner_portal.check.table_schema import _as_floats

    text = pd.Series(["1", "+2", "-0", "1.", ".5", "1e5", "-.5E-2", "007", "1e400", "", "x", "9007199254740993"],
                     dtype="str")
    usable = np.array([True] * 9 + [False, False, True])
    parsed = _as_floats(text, usable)
    expected = [1, 2, 0, 1, 0.5, 1e5, -0.005, 7, float("inf"), np.nan, np.nan, 9007199254740992.0]
    assert np.allclose(parsed.to_numpy(), expected, equal_nan=True)


def test_windows_line_endings_blank_rows_and_quoted_cells_keep_their_row_numbers():
    table = load_csv('a,b\r\n1,2\r\n\r\n"x\r\ny",3\r\n4,5\r\n', "t.csv").table
    assert list(table.row_numbers) == [2, 4, 6]
    assert table.frame["a"].tolist() == ["1", "x\r\ny", "4"]


def test_rows_of_empty_cells_are_blank_rows():
    result = load_csv("a,b\n1,2\n,\n3,4\n", "t.csv")
    assert [(f.code, f.location.line) for f in result.findings] == [("csv-blank-row", 3)]
    assert list(result.table.row_numbers) == [2, 4]


def test_an_unreadable_row_is_located_where_it_starts():
    assert findings('a,b\n1,2\n"3,4\n5,6\n') == [("csv-syntax", 3, 0)]


def test_cells_are_arrow_backed_text():
    table = load_csv("a,b\nNA,\n1, x \n", "t.csv").table
    assert table.frame["a"].tolist() == ["NA", "1"] and table.frame["b"].tolist() == ["", " x "]
    assert all(str(dtype) == "str" for dtype in table.frame.dtypes)


def _through_the_csv_module(monkeypatch) -> None:
    """Send every text through the csv module's reader, as text with quotes goes."""
    import csv as csv_module
    import io

    from partner_portal.load import csv_file

    def records(text, header, header_row):
        reader = csv_module.reader(io.StringIO(text, newline=""), strict=True)
        while reader.line_num < header_row:
            next(reader)
        return csv_file._read_records(reader, header, header_row)

    monkeypatch.setattr(csv_file, "_read_plain", records)


def _shape(text: str) -> tuple:
    result = load_csv(text, "t.csv")
    table = result.table
    return ([(f.code, f.location.line, f.location.column, f.location.field, f.message) for f in result.findings],
            None if table is None else (table.frame.to_dict("list"), table.row_numbers.tolist(),
                                        [str(d) for d in table.frame.dtypes]))


PLAIN_TEXTS = [
    "a,b\n1,2\n\n3,4\n", "a,b\n1,2\n  \n3,4\n", "a,b\n1,2\n3\n4,5,6\n", "a,b\n,\n1,2\n", "a,b\r\n1,2\r\n\r\n3,4\r\n",
    "a,b\n1,2", "a\n1\n  \n\n2\n", "a,b,c\n , ,\n1,2,3\n", "\n\na,b\n1,2\n", "x,y\n\u00e9t\u00e9,\u2603\n",
    "a,b\nNA,\n1, x \nnull,N/A\n", "a,b\n" + "1\n" * 30 + "1,2\n", "a,b\n,,\n", "a,b\n",
]


@pytest.mark.parametrize("text", PLAIN_TEXTS)
def test_arrow_reads_text_without_quotes_exactly_as_the_csv_module_does(text, monkeypatch):
    """Text without quotes (every row one line) is read by Arrow, which is ten times faster
    on large tables; whatever its shape, the table, row numbers and findings are those the
    csv module gives."""
    fast = _shape(text)
    _through_the_csv_module(monkeypatch)
    assert fast == _shape(text)


def test_arrow_and_the_csv_module_agree_on_every_sample_table(monkeypatch):
    from pathlib import Path

    texts = [p.read_text(encoding="utf-8") for p in sorted(Path("program_data").rglob("*.csv"))]
    fast = [_shape(t) for t in texts]
    _through_the_csv_module(monkeypatch)
    assert fast == [_shape(t) for t in texts]


def test_arrow_and_the_csv_module_agree_on_any_text_without_quotes(monkeypatch):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    cell = st.lists(st.sampled_from(list("ab1 ,\t\n") + ["\r\n"]), max_size=12).map("".join)

    @settings(max_examples=200, database=None, derandomize=True)
    @given(st.lists(cell, min_size=1, max_size=8))
    def agree(lines):
        text = "h1,h2\n" + "\n".join(lines)
        fast = _shape(text)
        with pytest.MonkeyPatch.context() as patch:
            _through_the_csv_module(patch)
            assert fast == _shape(text), text

    agree()
