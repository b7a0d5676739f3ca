"""Findings: what a check found, where, and what to do about it.

A finding is a value. Loaders, validators and rules return findings; only a reporter
turns them into text. Its code must be one the registry (`codes.py`) knows, in a layer
the registry names for it; its severity, unless given, is the code's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .codes import CODES, INTERNAL_ERROR, Layer, Severity

DataPath = tuple[str | int, ...]

# One mistake repeated on every row of a large table is one problem: report the first
# few places and a count of the rest.
MAX_PER_KIND = 20


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
class Fix:
    """The exact edit that resolves a finding: `text` written in place of the value at
    `location` (a YAML value, or a CSV cell). Offered only where one value is the fix, and
    never a fix that leads to another error: the tests apply every fix and check again."""

    location: Location
    text: str

    def __str__(self) -> str:
        return f"write {self.text} at {self.location}" + (f" (column {self.location.field})"
                                                          if self.location.field else "")


class UnregisteredCode(ValueError):
    """A finding with a code the registry does not know, or in a layer it does not name."""


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    location: Location
    layer: Layer = None  # type: ignore[assignment]  # the code's own layer when not given
    severity: Severity = None  # type: ignore[assignment]  # the code's own severity when not given
    path: DataPath = ()
    hint: str | None = None
    related: tuple[Location, ...] = field(default=())
    fix: Fix | None = None

    def __post_init__(self) -> None:
        entry = CODES.get(self.code)
        if entry is None:
            raise UnregisteredCode(f"the finding code '{self.code}' is not in the registry (core/codes.py)")
        if self.layer is None:
            object.__setattr__(self, "layer", entry.layer)
        elif self.layer not in entry.layers:
            raise UnregisteredCode(f"the code '{self.code}' is not reported by the {self.layer} layer")
        if self.severity is None:
            object.__setattr__(self, "severity", entry.severity)

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


def internal_error(what: str, exc: BaseException, file: str, layer: Layer = Layer.RULES) -> Finding:
    """The finding for a check that failed inside portal (so `portal` exits 3): `what`
    failed, at `file` (relative to program_data/, or '' for none)."""
    return Finding(INTERNAL_ERROR, f"{what} failed inside portal ({type(exc).__name__}: {exc}); this is a bug in "
                   "portal, not in your data", Location(f"program_data/{file}" if file else "program_data"), layer,
                   hint="Please report it with the command you ran; set PORTAL_DEBUG=1 to see where it failed. "
                   "Every other finding is still reported.")
