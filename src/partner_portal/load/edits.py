"""Exact edits to program data text: the value a fix writes, and writing it.

A finding's fix (`core.findings.Fix`) names a place and the text to write there. Writing
it replaces exactly that YAML value (its whole token, quotes included) or that CSV cell,
and nothing else: comments, formatting and the other rows stay as they were.
"""

from __future__ import annotations

import csv
import io
import math
import re
from typing import Any

import yaml

from ..core.findings import Fix

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 _./-]*$")
_RESERVED = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|"
                       r"null|Null|NULL|~)$")


class EditError(ValueError):
    """The text at the fix's place is not a value the fix can replace."""


def yaml_value(value: Any) -> str:
    """`value` written as YAML that the strict loader reads back as the same value: 60,
    4.2, 2027-02-01 (a date is text), customer-success, or quoted text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} cannot be written as program data")
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) or (_PLAIN.match(text) and not _RESERVED.match(text)
                                                     and ": " not in text and " #" not in text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def csv_value(value: Any) -> str:
    """`value` as a CSV cell reads it: 60, 4.2, gold."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def apply_fix(text: str, fix: Fix) -> str:
    """`text` (of the file the fix names) with the fix written in."""
    if fix.location.field is not None:
        return _apply_csv(text, fix)
    return _apply_yaml(text, fix)


def _apply_yaml(text: str, fix: Fix) -> str:
    line, column = fix.location.line - 1, fix.location.column - 1
    # The pure-Python parser counts marks in characters, as the locations do.
    for event in yaml.parse(io.StringIO(text), Loader=yaml.SafeLoader):
        start = event.start_mark
        if isinstance(event, yaml.ScalarEvent) and (start.line, start.column) == (line, column):
            return text[:start.index] + fix.text + text[event.end_mark.index:]
    raise EditError(f"no single value starts at {fix.location}")


def _apply_csv(text: str, fix: Fix) -> str:
    lines = text.splitlines(keepends=True)
    index = fix.location.line - 1
    header = next(csv.reader([lines[0]]))
    row_text = lines[index]
    body = row_text.rstrip("\r\n")
    ending = row_text[len(body):]
    cells = next(csv.reader([body]))
    if fix.location.field not in header or len(cells) != len(header):
        raise EditError(f"row {fix.location.line} has no cell in the column {fix.location.field}")
    cells[header.index(fix.location.field)] = fix.text
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    lines[index] = out.getvalue() + ending
    return "".join(lines)
