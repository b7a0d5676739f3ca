"""Selectors: `FILE#PATH`, the values of program data a program rule reads.

`incentives.yaml#incentives[*].eligibility.kpis[kpi=active-usage-rate].value` selects a
value in every incentive that asks for active usage; `incentives/renewal_rates.csv#
rate_percent[tier=gold]` the Gold cells of a table's column (an empty cell is no value).

A selection is the values of one file as an array, so a rule compares a column of a
million rows in a few array operations; only the values that break the rule are turned
into `Selected` values, with where each is written, the fields beside it (which fill
`{field}` in another selector) and the name of the item it belongs to.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from ..core.findings import DataPath, Location
from ..core.lazy import lazy
from ..core.paths import PatternError, Step, as_text, parse, walk
from ..load.csv_file import Table
from ..load.yaml_file import YamlDocument

np = lazy("numpy")
pd = lazy("pandas")

_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_-]*)\}")
_ROW_NAME = ("tier", "region")  # the columns that name a row of a rate table


@dataclass(frozen=True)
class Selected:
    """One selected value, and where it is."""

    value: Any
    location: Location
    path: DataPath  # within a YAML file; () for a table cell
    beside: Mapping[str, Any]  # the mapping (or table row) that holds the value
    name: str  # the name of the item the value belongs to, or its file


@dataclass(frozen=True)
class Selection:
    """The values a selector finds in one file: an array, the fields beside each value, and
    each value with where it is, made on demand."""

    values: np.ndarray
    field: Callable[[str], np.ndarray | None]  # a field beside each value (None: there is no such field)
    at: Callable[[int], Selected]

    def __len__(self) -> int:
        return len(self.values)


class Selector:
    """A parsed `FILE#PATH`; PatternError when it cannot be read."""

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
               beside: Mapping[str, Any] | None = None, columns: dict[Any, np.ndarray] | None = None
               ) -> list[Selection]:
        """What the selector finds, file by file; `beside` fills the `{field}`s of the path
        (KeyError for a field it lacks). `columns` keeps table columns as text between calls
        (a selector with `{field}`s is run once per distinct field value)."""
        steps = self.steps if not self.fields else self._steps(
            _FIELD.sub(lambda m: str(_plain(beside[m.group(1)])), self.path))  # type: ignore[index]
        if self.is_table:
            found = [_cells(tables[rel], steps, {} if columns is None else columns)
                     for rel in self.files(sorted(tables))]
        else:
            found = [_values(documents[rel], steps) for rel in self.files(sorted(documents))]
        return [s for s in found if len(s)]


def _plain(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _values(document: YamlDocument, steps: tuple[Step, ...]) -> Selection:
    found = []
    for path, value in walk(document.data, steps):
        holder, name = _holder_and_name(document.data, path)
        found.append(Selected(value, document.location(path), path, holder, name or document.file))
    values = np.empty(len(found), dtype=object)
    values[:] = [s.value for s in found]

    def field(name: str) -> np.ndarray | None:
        if not any(name in s.beside for s in found):
            return None
        column = np.empty(len(found), dtype=object)
        column[:] = [s.beside.get(name) for s in found]
        return column

    return Selection(values, field, found.__getitem__)


def _holder_and_name(data: Any, path: DataPath) -> tuple[Mapping[str, Any], str | None]:
    """The mapping holding the value at `path`, and the nearest `name` on the way to it."""
    chain = [data]
    for part in path[:-1]:
        chain.append(chain[-1][part])
    holder = next((node for node in reversed(chain) if isinstance(node, dict)), {})
    name = next((str(node["name"]) for node in reversed(chain) if isinstance(node, dict) and "name" in node), None)
    return holder, name


def _cells(table: Table, steps: tuple[Step, ...], columns: dict[Any, np.ndarray]) -> Selection:
    frame = table.frame
    column = steps[0].key
    if column not in frame.columns or any(s.where[0] not in frame.columns for s in steps[1:]):
        return Selection(np.empty(0, dtype=object), lambda name: None, lambda k: None)  # type: ignore[arg-type,return-value]
    keep = frame[column].notna().to_numpy().copy()  # an empty cell is no value
    for step in steps[1:]:
        key, wanted = step.where
        if (table.file, key) not in columns:
            columns[table.file, key] = texts(frame[key].to_numpy())
        keep &= columns[table.file, key] == wanted
    positions = np.flatnonzero(keep)
    values = frame[column].to_numpy()[positions]

    def field(name: str) -> np.ndarray | None:
        return frame[name].to_numpy()[positions] if name in frame.columns else None

    def at(k: int) -> Selected:
        position = int(positions[k])
        row = frame.iloc[position].to_dict()
        name = " ".join(str(row[c]) for c in _ROW_NAME if c in row and isinstance(row[c], str)) or table.file
        return Selected(row[column], table.location(position, column), (), row, name)

    return Selection(values, field, at)


def texts(values: np.ndarray) -> np.ndarray:
    """Each value as text (`core.paths.as_text`), worked out once per distinct value: how
    `[key=value]`, `equal` and `one_of` compare what is not a number."""
    series = pd.Series(values, dtype=object)
    return series.map({v: as_text(v) for v in pd.unique(series)}).to_numpy(dtype=object)


def template_fields(text: str) -> list[str]:
    """The `{placeholders}` of a message or hint."""
    return [field for _, field, _, _ in string.Formatter().parse(text) if field]
