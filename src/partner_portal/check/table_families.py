"""The CSV tables of a check, read and typed a family at a time, and only when needed.

A family is the tables one table schema describes (one rate table per incentive, say):
they are read, then typed against their schema side by side. What that finds (the
findings, which tables could be read and which typed cleanly, and the ids each table
refers to) is an `Outcome`; `portal check` keeps it in `.portal-cache/` by the tables'
texts and the schemas. The typed tables themselves are a `Tables` mapping that reads a
family when one of its tables is first asked for: by a rule that must run again, the table
suites, or the site. So a check after an edit to YAML that no rule reading a table reads
(a summary, say, that moves no other line) reads no table, and pandas is never imported.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from ..core.findings import Finding, Location
from ..core.memo import parsed
from ..core.project import DataFile
from ..load.csv_file import Table, load_csv
from .cache import decode, encode, entry_path, prune, read_entry, write_entry
from .references import referring_columns, table_ids
from .schema import SchemaStore
from .table_schema import check_tables, table_schema_problems


@dataclass
class Family:
    schema: str | None  # None: no usable table schema; the tables are read, not typed
    files: list[DataFile]


@dataclass
class Outcome:
    """What reading and typing a family found, without the tables."""

    findings: list[Finding] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # tables read, with a usable header (paths from program_data/)
    valid: list[str] = field(default_factory=list)  # those typed without an error
    ids: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # per table: the ids each column refers to


def families(files: list[DataFile], store: SchemaStore, sources: Mapping[str, str]
             ) -> tuple[list[Family], list[Finding]]:
    """The CSV files that were read, by family, and a finding for each unusable table schema."""
    grouped: dict[str | None, list[DataFile]] = {}
    findings: list[Finding] = []
    unusable: set[str] = set()
    for data_file in files:
        if data_file.kind != "csv" or data_file.rel not in sources:
            continue
        schema = data_file.schema if data_file.schema in store.schemas else None
        if schema is not None and (problems := table_schema_problems(store.schemas[schema])):
            if schema not in unusable:
                unusable.add(schema)
                findings += [Finding("schema-invalid", problem, Location(f"schemas/{schema}"),
                                     hint="Table schemas describe one row; see the other schemas in schemas/tables/.")
                             for problem in problems]
            schema = None
        grouped.setdefault(schema, []).append(data_file)
    return [Family(schema, members) for schema, members in grouped.items()], findings


def read_family(family: Family, sources: Mapping[str, str], store: SchemaStore) -> tuple[dict[str, Table], Outcome]:
    """Read and type a family's tables: the tables, and what that found."""
    outcome = Outcome()
    tables: dict[str, Table] = {}
    for data_file in family.files:
        table = parsed("csv", data_file.display, sources[data_file.rel], load_csv)
        outcome.findings += table.findings
        if table.table is not None:
            tables[data_file.rel] = table.table
    if family.schema is not None and tables:
        rels = list(tables)
        key = ("tables", family.schema, tuple((rel, sources[rel]) for rel in rels))
        typed_tables, findings, failed = store.memo.get(key, partial(
            check_tables, [tables[rel] for rel in rels], store.schemas[family.schema]))
        outcome.findings += findings
        for i, (rel, typed) in enumerate(zip(rels, typed_tables, strict=True)):
            if typed is None:
                del tables[rel]
            else:
                tables[rel] = typed
                if i not in failed:
                    outcome.valid.append(rel)
    outcome.kept = list(tables)
    outcome.ids = {rel: table_ids(rel, table) for rel, table in tables.items() if referring_columns(rel)}
    return tables, outcome


class Tables(Mapping[str, Table]):
    """The typed tables by path from program_data/; a family is read when one of its
    tables is first looked up. Listing the tables, or asking whether one is there, reads none."""

    def __init__(self, order: list[str]) -> None:
        self._order = {rel: i for i, rel in enumerate(order)}  # the tables are listed in this order
        self._names: list[str] = []
        self._family: dict[str, Callable[[], dict[str, Table]]] = {}  # by table: a function that reads its family
        self._read: dict[str, Table] = {}

    def add(self, names: list[str], read: Callable[[], dict[str, Table]], tables: dict[str, Table] | None = None
            ) -> None:
        self._names = sorted([*self._names, *names], key=lambda rel: self._order.get(rel, len(self._order)))
        self._family.update(dict.fromkeys(names, read))
        self._read.update(tables or {})

    def __getitem__(self, rel: str) -> Table:
        if rel not in self._read and rel in self._family:
            self._read.update(self._family[rel]())
        return self._read[rel]

    def __contains__(self, rel: object) -> bool:
        return rel in self._family

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


class FamilyCache:
    """Families' outcomes from earlier checks, by the hash of the tables' names and texts,
    their schema, every schema file and the code (`schemas`, `cache.schema_files_digest`)."""

    KIND = "family"

    def __init__(self, folder: Path, schemas: str) -> None:
        self.folder = folder
        self.schemas = schemas

    def key(self, family: Family, digests: Mapping[str, str]) -> str:
        digest = hashlib.sha256(f"{self.schemas}\0{family.schema}".encode())
        for data_file in family.files:
            digest.update(f"\0{data_file.display}\0{digests[data_file.rel]}".encode())
        return digest.hexdigest()

    def get(self, key: str) -> Outcome | None:
        path = entry_path(self.folder, self.KIND, key)
        payload = read_entry(path, key)
        try:
            if not isinstance(payload, dict) or set(payload) != {"findings", "kept", "valid", "ids"}:
                return None
            outcome = Outcome([decode(f) for f in payload["findings"]], _texts(payload["kept"]),
                              _texts(payload["valid"]), {})
            ids = payload["ids"]
            if not isinstance(ids, dict):
                return None
            for rel, columns in ids.items():
                if not isinstance(columns, dict):
                    return None
                outcome.ids[rel] = {column: _texts(values) for column, values in columns.items()}
        except (ValueError, TypeError, KeyError):
            return None  # not what this program writes: the family is read
        with contextlib.suppress(OSError):
            os.utime(path)  # used: kept longest
        return outcome

    def put(self, key: str, outcome: Outcome, families: int) -> None:
        write_entry(entry_path(self.folder, self.KIND, key), key, {
            "findings": [encode(f) for f in outcome.findings], "kept": outcome.kept, "valid": outcome.valid,
            "ids": outcome.ids})
        prune(self.folder, self.KIND, max(16, 4 * families))


def _texts(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("not a list of texts")
    return value
