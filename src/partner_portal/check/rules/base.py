"""What a consistency rule is, what it may see, and how the rules are run.

A rule declares the files it reads (patterns such as `journeys/*.yaml` included). The
runner runs it only when every file it names outright passed its schema, and hands it
those files alone: a rule that reaches for any other file fails with a KeyError, which
the tests catch. A rule that raises becomes an internal-error finding of that rule, and
every other rule still runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from ...core.codes import code_of
from ...core.findings import DataPath, Finding, Fix, Layer, Location, internal_error
from ...load.csv_file import Table
from ...load.edits import csv_value, yaml_value
from ...load.yaml_file import YamlDocument
from ...model.program import Program


@dataclass(frozen=True)
class Rule:
    code: str
    files: tuple[str, ...]  # data files (relative to program_data/; * for one folder level) the rule reads
    check: Callable[[RuleContext], Iterator[Finding]]

    @property
    def title(self) -> str:
        return code_of(self.code).title

    @property
    def explanation(self) -> str:
        return code_of(self.code).explanation

    @property
    def required(self) -> tuple[str, ...]:
        """The files the rule cannot run without (those it names outright)."""
        return tuple(f for f in self.files if "*" not in f)

    def reads(self, rel: str) -> bool:
        return any(rel.count("/") == f.count("/") and fnmatchcase(rel, f) for f in self.files)


def rule(code: str, *files: str) -> Callable[[Callable[[RuleContext], Iterator[Finding]]], Rule]:
    """Make a function a rule with the registered `code`, reading `files`."""
    code_of(code)  # a rule's code is registered, with its title and explanation

    def make(check: Callable[[RuleContext], Iterator[Finding]]) -> Rule:
        return Rule(code, files, check)

    return make


class RuleContext:
    """What a rule sees: the documents (with positions) and typed tables it declared, and a
    Program over the same files for lookups and calculations."""

    def __init__(self, code: str, documents: Mapping[str, YamlDocument], tables: Mapping[str, Table]) -> None:
        self.code = code
        self.documents = documents
        self.tables = tables
        self.program = Program({rel: doc.data for rel, doc in documents.items()},
                               {rel: table.frame for rel, table in tables.items()})

    def data(self, rel: str) -> Any:
        return self.documents[rel].data

    def at(self, rel: str, path: DataPath) -> Location:
        return self.documents[rel].location(path)

    def finding(self, rel: str, path: DataPath, message: str, hint: str,
                related: tuple[tuple[str, DataPath], ...] = (), code: str | None = None, fix: Any = None,
                fix_at: tuple[str, DataPath] | None = None) -> Finding:
        """A finding at the value at `path` in `rel`; `fix`, when given, is the value to write
        there (or at `fix_at`) that resolves it."""
        offer = None
        if fix is not None:
            offer = Fix(self.at(*(fix_at or (rel, path))), yaml_value(fix))
        return Finding(code or self.code, message, self.at(rel, path), Layer.RULES, path=path, hint=hint,
                       related=tuple(self.at(r, p) for r, p in related), fix=offer)

    def row_finding(self, rel: str, index: int, column: str, message: str, hint: str,
                    related_index: int | None = None, related: tuple[tuple[str, DataPath], ...] = (),
                    fix: Any = None) -> Finding:
        """A finding at a cell of the table `rel`; `fix` is the value to write in it."""
        table = self.tables[rel]
        where = table.location(index, column)
        places = ((table.location(related_index, column),) if related_index is not None else ()) + tuple(
            self.at(r, p) for r, p in related)
        return Finding(self.code, message, where, Layer.RULES, hint=hint, related=places,
                       fix=Fix(where, csv_value(fix)) if fix is not None else None)


def run_rules(rules: list[Rule], documents: Mapping[str, YamlDocument], tables: Mapping[str, Table],
              usable: set[str]) -> list[Finding]:
    """Run every rule whose required files are all `usable` (loaded and schema-valid),
    each over the usable files it declares."""
    findings: list[Finding] = []
    for each in rules:
        if not all(f in usable for f in each.required):
            continue
        context = RuleContext(each.code, {r: d for r, d in documents.items() if r in usable and each.reads(r)},
                              {r: t for r, t in tables.items() if r in usable and each.reads(r)})
        try:
            findings += list(each.check(context))
        except Exception as exc:  # noqa: BLE001 - a bug in a rule must not hide the other findings
            if os.environ.get("PORTAL_DEBUG"):
                raise
            findings.append(internal_error(f"the {each.code} rule", exc, each.required[0] if each.required else ""))
    return findings

