"""What a consistency rule is, what it may see, and how the rules are run.

A rule declares the files it reads (patterns such as `journeys/*.yaml` included). The
runner runs it only when every file it names outright passed its schema, and hands it
those files alone: a rule that reaches for any other file fails with a KeyError, which
the tests catch. It hands over the documents with the portal's text set aside
(`portal_text.py`), but for the text fields the rule declares it reads (`text=`). A rule
that raises becomes an internal-error finding of that rule, and every other rule still
runs. With the rules' cache (`rule_cache.py`), a rule whose inputs are as they were when
it last ran is not run again: its findings are read back, and the tables it reads are not read.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import partial
from typing import TYPE_CHECKING, Any

from ...core.codes import code_of
from ...core.findings import DataPath, Finding, Fix, Layer, Location, internal_error
from ...load.csv_file import Table
from ...load.edits import csv_value, yaml_value
from ...load.yaml_file import YamlDocument
from ...model.program import Program

if TYPE_CHECKING:
    from ..rule_cache import RuleCache


@dataclass(frozen=True)
class Rule:
    code: str
    files: tuple[str, ...]  # data files (relative to program_data/; * for one folder level) the rule reads
    check: Callable[[RuleContext], Iterator[Finding]] | None  # None: declared only (`RuleCache.declared`)
    text: tuple[str, ...] = ()  # the fields of the portal's text the rule reads; the rest is set aside

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


def rule(code: str, *files: str, text: tuple[str, ...] = ()
         ) -> Callable[[Callable[[RuleContext], Iterator[Finding]]], Rule]:
    """Make a function a rule with the registered `code`, reading `files` and, of the
    portal's text in them, the fields named in `text`."""
    code_of(code)  # a rule's code is registered, with its title and explanation

    def make(check: Callable[[RuleContext], Iterator[Finding]]) -> Rule:
        return Rule(code, files, check, text)

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


def run_rules(rules: list[Rule] | Callable[[], list[Rule]],
              views: Callable[[tuple[str, ...]], Mapping[str, YamlDocument]], tables: Mapping[str, Table],
              usable: set[str], *, cache: RuleCache | None = None, digests: Mapping[str, str] | None = None
              ) -> list[Finding]:
    """Run every rule whose required files are all `usable` (loaded and schema-valid),
    each over the usable files it declares, as `views(rule.text)` gives them: with the
    portal's text set aside but for the fields the rule reads. With `cache`, a rule's
    findings are kept by its inputs (a table's by its text's digest in `digests`) and
    read back while they are unchanged; `rules` may then be a function that imports them,
    called only when a rule must run: what each rule declares is kept in the cache."""
    loaded: list[Rule] | None = rules if isinstance(rules, list) else None

    def implemented() -> list[Rule]:
        nonlocal loaded
        if loaded is None:
            loaded = rules()  # type: ignore[operator]
        return loaded

    declared = cache.declared() if cache is not None and loaded is None else None
    findings: list[Finding] = []
    for each in [Rule(code, files, None, text) for code, files, text in declared] if declared else implemented():
        if not all(f in usable for f in each.required):
            continue
        seen = views(each.text)
        read = [r for r in seen if r in usable and each.reads(r)]
        read_tables = [r for r in tables if r in usable and each.reads(r)]

        def run(each: Rule = each, seen: Mapping[str, YamlDocument] = seen, read: list[str] = read,
                read_tables: list[str] = read_tables) -> list[Finding]:
            context = RuleContext(each.code, {r: seen[r] for r in read}, {r: tables[r] for r in read_tables})
            check = each.check or next(r.check for r in implemented() if r.code == each.code)
            return list(check(context))  # type: ignore[misc]

        try:
            if cache is None:
                findings += run()
                continue
            key = cache.key(each.code, [
                *((r, cache.document(r, partial(seen.__getitem__, r), each.text)) for r in read),
                *((r, (digests or {}).get(r)) for r in read_tables)])
            findings += cache.answer(key, run)
        except Exception as exc:  # noqa: BLE001 - a bug in a rule must not hide the other findings
            if os.environ.get("PORTAL_DEBUG"):
                raise
            findings.append(internal_error(f"the {each.code} rule", exc, each.required[0] if each.required else ""))
    if cache is not None and loaded is not None:
        cache.declare((r.code, r.files, r.text) for r in loaded)
    return findings
