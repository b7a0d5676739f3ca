"""Selectors: `FILE#PATH`, the values of program data a program rule reads.

`incentives.yaml#incentives[*].eligibility.kpis[kpi=active-usage-rate].value` selects a
value in every incentive that asks for active usage; `incentives/renewal_rates.csv#
rate_percent[tier=gold]` the Gold cells of a table's column. Each value comes with where
it is written, the fields beside it (which fill `{field}` in another selector) and the name
of the item it belongs to.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from ..core.findings import DataPath, Location
from ..core.paths import PatternError, Step, parse, same_text, walk
from ..load.csv_file import Table
from ..load.yaml_file import YamlDocument

_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_-]*)\}")


@dataclass(frozen=True)
class Selected:
    """One selected value."""

    value: Any
    location: Location
    path: DataPath  # within a YAML file; () for a table cell
    beside: Mapping[str, Any]  # the mapping (or table row) that holds the value
    name: str  # the name of the item the value belongs to, or its file


class Selector:
    """A parsed `FILE#PATH`; SelectorError when it cannot be read."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.file, hash_, self.path = text.partition("#")
        if not hash_ or not self.path or not self.file.endswith((".yaml", ".csv")):
            raise PatternError(f"'{text}' is not FILE#PATH, with a .yaml or .csv file")
        self.fields = sorted(set(_FIELD.findall(self.path)))
        if not self.fields:
            self.steps = self._steps(self.path)

    @property
    def is_table(self) -> bool:
        return self.file.endswith(".csv")

    def _steps(self, path: str) -> tuple[Step, ...]:
        steps = parse(path)
        if self.is_table and (steps[0].key is None or any(s.where is None for s in steps[1:])):
            raise PatternError(f"'{path}' is not COLUMN or COLUMN[column=value] for a table")
        return steps

    def files(self, names: list[str]) -> list[str]:
        """Which of `names` (paths relative to program_data/) the selector reads."""
        return [n for n in names if n.count("/") == self.file.count("/") and fnmatchcase(n, self.file)]

    def select(self, documents: Mapping[str, YamlDocument], tables: Mapping[str, Table],
               beside: Mapping[str, Any] | None = None) -> list[Selected]:
        """Every value selected, in file order; `beside` fills the `{field}`s of the path
        (KeyError for a field it lacks)."""
        steps = self.steps if not self.fields else self._steps(
            _FIELD.sub(lambda m: str(_plain(beside[m.group(1)])), self.path))  # type: ignore[index]
        if self.is_table:
            return [s for rel in self.files(sorted(tables)) for s in _cells(tables[rel], steps)]
        return [s for rel in self.files(sorted(documents)) for s in _values(documents[rel], steps)]


def _plain(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _values(document: YamlDocument, steps: tuple[Step, ...]) -> list[Selected]:
    found = []
    for path, value in walk(document.data, steps):
        holder, name = _holder_and_name(document.data, path)
        found.append(Selected(value, document.location(path), path, holder, name or document.file))
    return found


def _holder_and_name(data: Any, path: DataPath) -> tuple[Mapping[str, Any], str | None]:
    """The mapping holding the value at `path`, and the nearest `name` on the way to it."""
    chain = [data]
    for part in path[:-1]:
        chain.append(chain[-1][part])
    holder = next((node for node in reversed(chain) if isinstance(node, dict)), {})
    name = next((str(node["name"]) for node in reversed(chain) if isinstance(node, dict) and "name" in node), None)
    return holder, name


def _cells(table: Table, steps: tuple[Step, ...]) -> list[Selected]:
    frame = table.frame
    column = steps[0].key
    if column not in frame.columns or any(s.where[0] not in frame.columns for s in steps[1:]):
        return []
    found = []
    for index, row in enumerate(frame.to_dict("records")):
        if all(same_text(row[s.where[0]], s.where[1]) for s in steps[1:]):
            name = " ".join(str(row[k]) for k in ("tier", "region") if k in row and row[k] == row[k]) or table.file
            found.append(Selected(row[column], table.location(index, column), (), row, name))
    return found


def template_fields(text: str) -> list[str]:
    """The `{placeholders}` of a message or hint."""
    return [field for _, field, _, _ in string.Formatter().parse(text) if field]
