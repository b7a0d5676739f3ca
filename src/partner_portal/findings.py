"""Findings: what a check found, where, and what to do about it.

A finding is a value. Loaders, validators and rules return findings; only a reporter
turns them into text. Nothing below the reporter prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

DataPath = tuple[str | int, ...]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Layer(StrEnum):
    """The order in which `portal check` runs its layers."""

    SYNTAX = "syntax"
    SCHEMA = "schema"
    REFERENCES = "references"
    RULES = "rules"
    TABLES = "tables"


@dataclass(frozen=True, order=True)
class Location:
    """Where a finding is. `line` and `column` are 1-based; 0 means unknown.

    For CSV files `line` is the physical row number (the header is row 1) and `field`
    names the column.
    """

    file: str
    line: int = 0
    column: int = 0
    field: str | None = None

    def __str__(self) -> str:
        if self.line and self.column:
            return f"{self.file}:{self.line}:{self.column}"
        if self.line:
            return f"{self.file}:{self.line}"
        return self.file


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    location: Location
    layer: Layer
    severity: Severity = Severity.ERROR
    path: DataPath = ()
    hint: str | None = None
    related: tuple[Location, ...] = field(default=())

    @property
    def data_path(self) -> str:
        return format_path(self.path)

    def sort_key(self) -> tuple:
        return (self.location.file, self.location.line, self.location.column, self.code)


def format_path(path: Sequence[str | int]) -> str:
    """Render a data path the way a program team reads it: `tiers[1].requirements.staffing`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out

