"""Program rules: invariants a program team writes in checks/rules/*.yaml, without Python.

A rule selects values from the program data (`select: FILE#PATH`, see `selectors`) and
compares each with a value written out or selected elsewhere: `equal`, `at_least`,
`at_most`, `within`, `one_of`, or `exists` (a path within each selected item). Every value
that breaks the rule is a `program-rule` finding at that value, with the value it was
compared with as the related place, and the rule's own message and hint. A rule that
selects nothing is a finding too, so a renamed id or field never silently turns a rule off.

Rules run in the rules layer, over the data files that passed their schemas; a rule that
reads a file that did not is skipped (that file's findings say why).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from ..core import codes
from ..core.findings import MAX_PER_KIND, Finding, Fix, Location, Severity, internal_error
from ..core.lazy import lazy
from ..core.paths import PatternError, as_text, parse, walk
from ..core.project import Project
from ..load.csv_file import Table
from ..load.edits import csv_value, yaml_value
from ..load.yaml_file import YamlDocument, read_yaml
from .rule_cache import RuleCache, document_digest
from .schema import SchemaStore
from .selectors import Selected, Selection, Selector, template_fields, texts

np = lazy("numpy")
pd = lazy("pandas")

RULES_DIR = "checks/rules"
SCHEMA = "program-rules.schema.json"
COMPARISONS = ("equal", "at_least", "at_most", "within", "one_of", "exists")
PLACEHOLDERS = {"value", "other", "min", "max", "name"}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class ProgramRule:
    """One rule of a rules file, ready to run."""

    document: YamlDocument
    index: int
    select: Selector
    comparison: str
    operands: Mapping[str, Selector | Any]  # "other" (or "min"/"max"): a Selector, or a value written out

    @property
    def spec(self) -> Mapping[str, Any]:
        return self.document.data["rules"][self.index]

    def at(self, *path: str | int) -> Location:
        return self.document.location(("rules", self.index, *path))

    def reads(self) -> list[Selector]:
        return [self.select, *(o for o in self.operands.values() if isinstance(o, Selector))]

    def names(self) -> set[str]:
        """Every name the rule's paths mention (fields, and ids in [key=value]s)."""
        paths = [s.path for s in self.reads()] + ([self.spec["exists"]] if self.comparison == "exists" else [])
        return {word for path in paths for word in _NAME.findall(str(path))}


def load_program_rules(project: Project, store: SchemaStore, texts: Mapping[str, str] | None = None
                       ) -> tuple[list[ProgramRule], list[Finding]]:
    """Every rule in checks/rules/*.yaml that can run, and the findings of those that cannot.
    `texts` (by path from program_data/, `../checks/rules/NAME.yaml`) replace files' contents."""
    rules: list[ProgramRule] = []
    findings: list[Finding] = []
    folder = project.root / RULES_DIR
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        display = project.display(path)
        loaded = read_yaml(path, display, (texts or {}).get(f"../{RULES_DIR}/{path.name}"))
        findings += loaded.findings
        if loaded.document is None:
            continue
        findings += _modeline(project, path, loaded.document)
        problems = store.validate(loaded.document, SCHEMA) if SCHEMA in store.schemas else []
        findings += problems
        if problems or loaded.findings:
            continue
        for index in range(len(loaded.document.data["rules"])):
            made = _prepare(loaded.document, index)
            if isinstance(made, Finding):
                findings.append(made)
            else:
                rules.append(made)
    return rules, findings


def _modeline(project: Project, path: Path, document: YamlDocument) -> list[Finding]:
    expected = Path(os.path.relpath(project.schemas_dir / SCHEMA, path.parent)).as_posix()
    if document.schema_ref == expected:
        return []
    return [Finding("schema-comment", "the file does not name its schema for editors" if document.schema_ref is None
                    else f"the file names the schema '{document.schema_ref}', not {expected}",
                    Location(document.file, max(document.schema_ref_line, 1), 1),
                    hint=f"Make this the first line: # yaml-language-server: $schema={expected}")]


def _prepare(document: YamlDocument, index: int) -> ProgramRule | Finding:
    """The rule at `index`, or the program-rule-invalid finding that says why it cannot run."""
    spec = document.data["rules"][index]
    comparison = next(c for c in COMPARISONS if c in spec)

    def invalid(message: str, hint: str, *path: str | int) -> Finding:
        return Finding(codes.PROGRAM_RULE_INVALID, f"the rule '{spec['id']}' cannot be used: {message}",
                       document.location(("rules", index, *path)), path=("rules", index, *path), hint=hint)

    try:
        select = Selector(spec["select"])
        if select.fields:
            return invalid("its select has {placeholders}, which only a compared selector may have",
                           "Write the ids out in select.", "select")
    except PatternError as exc:
        return invalid(str(exc), "Write FILE#PATH, such as tiers.yaml#tiers[*].requirements.capability_points.",
                       "select")
    operands: dict[str, Any] = {}
    given = spec[comparison]
    named = given if comparison == "within" else {"other": given} if comparison not in ("exists",) else {}
    for role, operand in named.items():
        if isinstance(operand, dict):
            try:
                operands[role] = Selector(operand["select"])
            except PatternError as exc:
                where = (comparison, role, "select") if comparison == "within" else (comparison, "select")
                return invalid(str(exc), "Write FILE#PATH, such as kpis.yaml#kpis[id=renewal-rate].target.", *where)
        else:
            operands[role] = operand
    if comparison == "exists":
        try:
            parse(given)
        except PatternError as exc:
            return invalid(str(exc), "Write a path such as requirements.staffing[role=customer-success-manager].",
                           "exists")
    for key in ("message", "hint"):
        try:
            unknown = sorted(set(template_fields(spec[key])) - PLACEHOLDERS)
        except ValueError as exc:
            return invalid(f"its {key} cannot be read ({exc})", "Write {{ and }} for a brace that is not a "
                           "placeholder.", key)
        if unknown:
            return invalid(f"its {key} uses {{{unknown[0]}}}", "Use only {value}, {other}, {min}, {max} and {name}.",
                           key)
    return ProgramRule(document, index, select, comparison, operands)


def run_program_rules(rules: list[ProgramRule], views: Callable[[tuple[str, ...]], Mapping[str, YamlDocument]],
                      tables: Mapping[str, Table], usable: set[str], data_files: list[str], *,
                      text_fields: Mapping[str, set[str]], cache: RuleCache | None = None,
                      digests: Mapping[str, str] | None = None) -> list[Finding]:
    """Run every rule whose files (of `data_files`, paths relative to program_data/) all
    passed their schemas, over the documents as `views` gives them (with the portal's
    text set aside, as the rules in Python see them, but for the text fields of its files,
    `text_fields`, that the rule's paths name) and `tables`. With `cache`, as
    `rules.run_rules` keeps them."""
    findings: list[Finding] = []
    rules_files: dict[str, str | None] = {}  # each rules file's digest, by file
    names = sorted(data_files)
    for each in rules:
        missing = next((s for s in each.reads() if not s.files(names)), None)
        if missing is not None:
            findings.append(Finding(codes.PROGRAM_RULE_INVALID, f"the rule '{each.spec['id']}' reads "
                                    f"{missing.file}, which is not a data file of the program", each.at("select"),
                                    path=("rules", each.index), hint="Name a file under program_data/, relative to "
                                    "it, such as tiers.yaml or incentives/renewal_rates.csv."))
            continue
        read = sorted({f for s in each.reads() for f in s.files(names)})
        if not all(f in usable for f in read):
            continue
        text = tuple(sorted(each.names() & {name for f in read for name in text_fields.get(f, ())}))
        seen = views(text)

        def run(rule: ProgramRule = each, seen: Mapping[str, YamlDocument] = seen) -> list[Finding]:
            return list(_run(rule, seen, tables))

        try:
            if cache is None:
                findings += run()
                continue
            if each.document.file not in rules_files:
                rules_files[each.document.file] = document_digest(each.document)
            key = cache.key(f"program rule {each.index}", [
                (each.document.file, rules_files[each.document.file]),
                *((f, cache.document(f, partial(seen.__getitem__, f), text) if f in seen
                   else (digests or {}).get(f)) for f in read)])
            findings += cache.answer(key, run)
        except Exception as exc:  # noqa: BLE001 - a bug in portal must not hide the other findings
            if os.environ.get("PORTAL_DEBUG"):
                raise
            findings.append(internal_error(f"the program rule '{each.spec['id']}'", exc, ""))
    return findings


def _run(rule: ProgramRule, documents: Mapping[str, YamlDocument], tables: Mapping[str, Table]) -> Iterator[Finding]:
    spec = rule.spec
    selections = rule.select.select(documents, tables)
    if not selections:
        yield Finding(codes.PROGRAM_RULE_SELECTS_NOTHING, f"the rule '{spec['id']}' selects nothing: no value is at "
                      f"{spec['select']}", rule.at("select"), path=("rules", rule.index, "select"),
                      hint="Check the ids and field names in the selector against the data; a renamed id or field "
                      "turns the rule off.")
        return
    broken = 0
    columns: dict[Any, np.ndarray] = {}  # table columns as text, for the compared selectors' [key=value]s
    for selection in selections:
        for positions, beside in _groups(rule, selection):
            if isinstance(positions, Finding):
                yield positions
                return
            compared: dict[str, Compared] = {}
            for role, operand in rule.operands.items():
                got = _resolve(rule, role, operand, lambda s=selection, p=positions: s.at(int(p[0])), beside,
                               documents, tables, columns)
                if isinstance(got, Finding):
                    yield got
                    return
                compared[role] = got
            verdict = _failing(rule, selection, positions, compared)
            if isinstance(verdict, Finding):
                yield verdict
                return
            failing, write = verdict
            for k in np.flatnonzero(failing):
                broken += 1
                if broken <= MAX_PER_KIND:
                    yield _finding(rule, selection.at(int(positions[k])), compared, write(int(k)))
    if broken > MAX_PER_KIND:
        yield Finding(codes.PROGRAM_RULE, f"{broken - MAX_PER_KIND} more values break the rule '{spec['id']}'",
                      rule.at("select"), severity=Severity(spec.get("severity", "error")),
                      path=("rules", rule.index, "select"),
                      hint="Fix the values above first; the check lists the rest when you run it again.")


@dataclass(frozen=True)
class Compared:
    """What selected values are compared with: one value (or, for one_of, every allowed
    value) and where it is written."""

    values: list[Any]
    places: list[Location]

    @property
    def first(self) -> Any:
        return self.values[0]


def _groups(rule: ProgramRule, selection: Selection) -> Iterator[tuple[np.ndarray | Finding, dict[str, Any] | None]]:
    """The selected values by the `{field}`s the compared selectors need (all at once when
    they need none): positions in the selection, and the fields' values."""
    fields = sorted({f for o in rule.operands.values() if isinstance(o, Selector) for f in o.fields})
    if not fields:
        yield np.arange(len(selection)), None
        return
    columns = {f: selection.field(f) for f in fields}
    lacking = next((f for f, c in columns.items() if c is None), None)
    if lacking is not None:
        where = (rule.comparison, *(() if rule.comparison != "within" else ("min",)), "select")
        yield Finding(codes.PROGRAM_RULE_INVALID, f"the rule '{rule.spec['id']}' compares with {{{lacking}}}, but "
                      f"the values it selects have no field '{lacking}' beside them", rule.at(rule.comparison),
                      path=("rules", rule.index, *where[:1]), hint="Use only {fields} that sit beside the selected "
                      "value: in a table, its columns; in YAML, the fields of the item that holds it."), None
        return
    keys = pd.DataFrame({f: pd.Series(c, dtype=object) for f, c in columns.items()})
    for key, positions in keys.groupby(fields, sort=False, dropna=False).indices.items():
        values = key if isinstance(key, tuple) else (key,)
        yield np.asarray(positions), dict(zip(fields, values, strict=True))


def _resolve(rule: ProgramRule, role: str, operand: Any, first: Callable[[], Selected], beside: dict[str, Any] | None,
             documents: Mapping[str, YamlDocument], tables: Mapping[str, Table], columns: dict[Any, np.ndarray]
             ) -> Compared | Finding:
    """What selected values are compared with, for `role` (other, min or max)."""
    if not isinstance(operand, Selector):
        values = operand if isinstance(operand, list) else [operand]
        return Compared(values, [rule.at(rule.comparison, *((role,) if rule.comparison == "within" else ()))])
    where = (rule.comparison, role, "select") if rule.comparison == "within" else (rule.comparison, "select")
    found = operand.select(documents, tables, beside, columns)
    values = [v for s in found for v in s.values.tolist()]
    if not values:
        return Finding(codes.PROGRAM_RULE_SELECTS_NOTHING, f"the rule '{rule.spec['id']}' compares {first().location} "
                       f"with {operand.text}, which selects nothing there", rule.at(*where),
                       path=("rules", rule.index, *where), hint="Check the ids and field names in the selector.")
    places = [s.at(k).location for s in found for k in range(min(len(s), MAX_PER_KIND))]
    if rule.comparison != "one_of" and any(v != values[0] for v in values[1:]):
        return Finding(codes.PROGRAM_RULE_INVALID, f"the rule '{rule.spec['id']}' compares {first().location} with "
                       f"{operand.text}, which selects {len(values)} different values where one is needed",
                       rule.at(*where), path=("rules", rule.index, *where),
                       hint="Narrow the selector with [key=value] until it selects one value, or use one_of.",
                       related=tuple(places[:MAX_PER_KIND]))
    return Compared(values, places)


def _numbers(values: np.ndarray) -> np.ndarray:
    """The values as numbers, NaN where a value is not a number (text, yes/no, a list)."""
    if values.dtype.kind in "iuf":
        return values.astype(float)
    return np.array([float(v) if isinstance(v, int | float) and not isinstance(v, bool) else np.nan for v in values],
                    dtype=float)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


Verdict = tuple["np.ndarray", Callable[[int], Any]]  # which values break the rule; the value to write for each


def _failing(rule: ProgramRule, selection: Selection, positions: np.ndarray, compared: Mapping[str, Compared]
             ) -> Verdict | Finding:
    """Which of the values at `positions` break the rule, and what to write instead (... when
    no one value is the fix); a Finding when the comparison cannot be made."""
    kind, values = rule.comparison, selection.values[positions]
    if kind == "exists":
        path = rule.spec["exists"]
        found = [isinstance(v, dict | list) and next(walk(v, path), None) is not None for v in values]
        return ~np.asarray(found, dtype=bool), lambda k: ...
    if kind == "one_of":
        allowed = [as_text(v) for v in compared["other"].values]
        return ~np.isin(texts(values), allowed), lambda k: ...
    numbers = _numbers(values)
    if kind == "equal":
        other = compared["other"].first
        differs = texts(values) != as_text(other)
        if _is_number(other):
            differs = np.where(np.isnan(numbers), differs, numbers != float(other))
        return differs, lambda k: other
    not_numbers = np.flatnonzero(np.isnan(numbers))
    text = int(not_numbers[0]) if len(not_numbers) else None
    bounds = {role: c.first for role, c in compared.items()}
    if text is not None or not all(_is_number(b) for b in bounds.values()):
        shown = values[text] if text is not None else next(b for b in bounds.values() if not _is_number(b))
        return Finding(codes.PROGRAM_RULE_INVALID, f"the rule '{rule.spec['id']}' compares numbers, but finds "
                       f"'{_shown(shown)}'" + (f" at {selection.at(int(positions[text])).location}"
                                               if text is not None else ""), rule.at("select"),
                       path=("rules", rule.index, "select"), hint="Select numbers, or compare text with equal or "
                       "one_of.")
    if kind == "at_least":
        return numbers < bounds["other"], lambda k: bounds["other"]
    if kind == "at_most":
        return numbers > bounds["other"], lambda k: bounds["other"]
    low = numbers < bounds["min"] if "min" in bounds else np.zeros(len(numbers), dtype=bool)
    high = numbers > bounds["max"] if "max" in bounds else np.zeros(len(numbers), dtype=bool)
    return low | high, lambda k: bounds["min"] if low[k] else bounds["max"]


def _shown(value: Any) -> Any:
    if isinstance(value, float | np.floating):
        return f"{float(value):g}"
    return value.item() if isinstance(value, np.generic) else value


def _finding(rule: ProgramRule, value: Selected, compared: Mapping[str, Compared], write: Any) -> Finding:
    spec = rule.spec
    words = {"value": _shown(value.value), "name": value.name, "other": "", "min": "", "max": ""}
    for role, found in compared.items():
        words[role] = ", ".join(str(_shown(v)) for v in found.values)
    related = tuple(c.places[0] for c in compared.values()) or (rule.at("select"),)
    fix = None
    if write is not ... and not isinstance(write, dict | list):
        write = write.item() if isinstance(write, np.generic) else write
        fix = Fix(value.location, csv_value(write) if value.location.field else yaml_value(write))
    return Finding(codes.PROGRAM_RULE, f"{spec['message'].format_map(words)} (rule {spec['id']})", value.location,
                   severity=Severity(spec.get("severity", "error")), path=value.path,
                   hint=spec["hint"].format_map(words), related=related, fix=fix)
