"""CSV loading: physical row numbers, shape problems, delimiters, headers."""

from __future__ import annotations

from partner_portal.csv_loader import MAX_FINDINGS_PER_KIND, load_csv


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
    assert len(result.findings) == MAX_FINDINGS_PER_KIND + 1
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


def test_numbers_are_read_the_same_by_arrow_and_by_pandas():
    import numpy as np
    import pandas as pd

    from partner_portal.tables import _as_floats

    text = pd.Series(["1", "+2", "-0", "1.", ".5", "1e5", "-.5E-2", "007", "1e400", "", "x", "9007199254740993"],
                     dtype="str")
    usable = np.array([True] * 9 + [False, False, True])
    fast = _as_floats(text, usable)
    slow = pd.to_numeric(pd.Series(text.astype(object)).where(usable), errors="coerce").astype("float64")
    assert fast.equals(slow)
    assert np.isnan(fast.iloc[9]) and np.isnan(fast.iloc[10]) and np.isinf(fast.iloc[8])


def test_the_arrow_reader_and_the_diagnosing_reader_agree(monkeypatch):
    """Plain CSV goes through Arrow; everything else through the csv module. Both must give
    the same cells, types and row numbers for any file the quick path accepts."""
    from pathlib import Path

    from partner_portal import csv_loader

    texts = [p.read_text(encoding="utf-8") for p in sorted(Path("program_data").rglob("*.csv"))]
    texts += ["a,b\nNA,\n1, x \nnull,N/A\n", "id,n\n-,0\n#,1e5\n", "x,y\n\u00e9t\u00e9,\u2603\n"]
    fast = [load_csv(t, "f.csv") for t in texts]
    assert all(csv_loader._load_plain(t, "f.csv") is not None for t in texts)
    monkeypatch.setattr(csv_loader, "_load_plain", lambda text, file: None)
    slow = [load_csv(t, "f.csv") for t in texts]
    for a, b in zip(fast, slow, strict=True):
        assert a.table.frame.equals(b.table.frame)
        assert list(a.table.frame.dtypes) == list(b.table.frame.dtypes)
        assert a.table.row_numbers.tolist() == b.table.row_numbers.tolist()
        assert a.findings == b.findings == []


def test_the_arrow_reader_leaves_every_irregular_shape_to_the_diagnosing_reader():
    from partner_portal.csv_loader import _load_plain

    for text in ("a,b\n1,2\n\n3,4\n", "a,b\n1,2\n  \n", "a,b\n1,2\n3\n", "a,b\n1,2,3\n", "a,b\n1,2", "a,b\r\n1,2\r\n",
                 'a,b\n"1,5",2\n', "a\n1\n", "\na,b\n1,2\n", "a,a\n1,2\n", "a, b\n1,2\n"):
        assert _load_plain(text, "f.csv") is None, text
