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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core import codes
from ..core.findings import MAX_PER_KIND, Finding, Fix, Location, Severity, internal_error
from ..core.paths import PatternError, parse, same_text, walk
from ..core.project import MAX_BYTES, Project
from ..load.csv_file import Table
from ..load.edits import csv_value, yaml_value
from ..load.text import SourceText, read_text
from ..load.yaml_file import YamlDocument, load_yaml
from .schema import SchemaStore
from .selectors import Selected, Selector, template_fields

RULES_DIR = "checks/rules"
SCHEMA = "program-rules.schema.json"
COMPARISONS = ("equal", "at_least", "at_most", "within", "one_of", "exists")
PLACEHOLDERS = {"value", "other", "min", "max", "name"}


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


def load_program_rules(project: Project, store: SchemaStore, texts: Mapping[str, str] | None = None
                       ) -> tuple[list[ProgramRule], list[Finding]]:
    """Every rule in checks/rules/*.yaml that can run, and the findings of those that cannot.
    `texts` (by path from program_data/, `../checks/rules/NAME.yaml`) replace files' contents."""
    rules: list[ProgramRule] = []
    findings: list[Finding] = []
    folder = project.root / RULES_DIR
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        display = project.display(path)
        given = (texts or {}).get(f"../{RULES_DIR}/{path.name}")
        source = SourceText(given) if given is not None else read_text(path, display, MAX_BYTES["yaml"])
        if isinstance(source, Finding):
            findings.append(source)
            continue
        loaded = load_yaml(source.text, display)
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


def run_program_rules(rules: list[ProgramRule], documents: Mapping[str, YamlDocument], tables: Mapping[str, Table],
                      usable: set[str], data_files: list[str]) -> list[Finding]:
    """Run every rule whose files (of `data_files`, paths relative to program_data/) all
    passed their schemas."""
    findings: list[Finding] = []
    names = sorted(data_files)
    for each in rules:
        missing = next((s for s in each.reads() if not s.files(names)), None)
        if missing is not None:
            findings.append(Finding(codes.PROGRAM_RULE_INVALID, f"the rule '{each.spec['id']}' reads "
                                    f"{missing.file}, which is not a data file of the program", each.at("select"),
                                    path=("rules", each.index), hint="Name a file under program_data/, relative to "
                                    "it, such as tiers.yaml or incentives/renewal_rates.csv."))
            continue
        if not all(f in usable for s in each.reads() for f in s.files(names)):
            continue
        try:
            findings += list(_run(each, documents, tables))
        except Exception as exc:  # noqa: BLE001 - a bug in portal must not hide the other findings
            if os.environ.get("PORTAL_DEBUG"):
                raise
            findings.append(internal_error(f"the program rule '{each.spec['id']}'", exc, ""))
    return findings


def _run(rule: ProgramRule, documents: Mapping[str, YamlDocument], tables: Mapping[str, Table]) -> Iterator[Finding]:
    spec = rule.spec
    selected = rule.select.select(documents, tables)
    if not selected:
        yield Finding(codes.PROGRAM_RULE_SELECTS_NOTHING, f"the rule '{spec['id']}' selects nothing: no value is at "
                      f"{spec['select']}", rule.at("select"), path=("rules", rule.index, "select"),
                      hint="Check the ids and field names in the selector against the data; a renamed id or field "
                      "turns the rule off.")
        return
    for value in selected:
        compared = {role: _resolve(rule, role, operand, value, documents, tables)
                    for role, operand in rule.operands.items()}
        problem = next((c for c in compared.values() if isinstance(c, Finding)), None)
        if problem is not None:
            yield problem
            return
        broken = _breaks(rule, value, compared)
        if broken is None:
            continue
        if isinstance(broken, Finding):
            yield broken
            return
        yield _finding(rule, value, compared, broken)


def _resolve(rule: ProgramRule, role: str, operand: Any, value: Selected, documents: Mapping[str, YamlDocument],
             tables: Mapping[str, Table]) -> list[Selected] | Finding:
    """What a selected value is compared with: a list of values (one, but for one_of)."""
    if not isinstance(operand, Selector):
        values = operand if isinstance(operand, list) else [operand]
        place = rule.at(rule.comparison, *((role,) if rule.comparison == "within" else ()))
        return [Selected(v, place, (), {}, "") for v in values]
    where = (rule.comparison, role, "select") if rule.comparison == "within" else (rule.comparison, "select")
    try:
        found = operand.select(documents, tables, value.beside)
    except KeyError as exc:
        return Finding(codes.PROGRAM_RULE_INVALID, f"the rule '{rule.spec['id']}' compares with "
                       f"{operand.text}, but the value it selects at {value.location} has no field {exc} beside it",
                       rule.at(*where), path=("rules", rule.index, *where),
                       hint="Use only {fields} that sit beside the selected value.")
    if not found:
        return Finding(codes.PROGRAM_RULE_SELECTS_NOTHING, f"the rule '{rule.spec['id']}' compares {value.location} "
                       f"with {operand.text}, which selects nothing there", rule.at(*where),
                       path=("rules", rule.index, *where), hint="Check the ids and field names in the selector.")
    if rule.comparison != "one_of" and any(f.value != found[0].value for f in found[1:]):
        return Finding(codes.PROGRAM_RULE_INVALID, f"the rule '{rule.spec['id']}' compares {value.location} with "
                       f"{operand.text}, which selects {len(found)} different values where one is needed",
                       rule.at(*where), path=("rules", rule.index, *where),
                       hint="Narrow the selector with [key=value] until it selects one value, or use one_of.",
                       related=tuple(f.location for f in found[:MAX_PER_KIND]))
    return found


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _breaks(rule: ProgramRule, value: Selected, compared: Mapping[str, list[Selected]]) -> Any:
    """None when the value keeps the rule; otherwise the value to write (or ... when there is
    no single one), or a Finding when the comparison cannot be made."""
    kind, v = rule.comparison, value.value
    if kind == "exists":
        return None if isinstance(v, dict | list) and next(walk(v, rule.spec["exists"]), None) else ...
    if kind == "one_of":
        return None if any(same_text(v, str(_shown(o.value))) for o in compared["other"]) else ...
    if kind == "equal":
        other = compared["other"][0].value
        same = _number(v) == _number(other) if _number(v) is not None and _number(other) is not None else v == other
        return None if same else other
    numbers = {role: _number(c[0].value) for role, c in compared.items()}
    if _number(v) is None or None in numbers.values():
        return Finding(codes.PROGRAM_RULE_INVALID, f"the rule '{rule.spec['id']}' compares numbers, but finds "
                       f"'{_shown(v)}' at {value.location}", rule.at("select"), path=("rules", rule.index, "select"),
                       hint="Select numbers, or compare text with equal or one_of.")
    n = _number(v)
    if kind == "at_least":
        return None if n >= numbers["other"] else compared["other"][0].value
    if kind == "at_most":
        return None if n <= numbers["other"] else compared["other"][0].value
    if "min" in numbers and n < numbers["min"]:
        return compared["min"][0].value
    if "max" in numbers and n > numbers["max"]:
        return compared["max"][0].value
    return None


def _shown(value: Any) -> Any:
    return f"{value:g}" if isinstance(value, float) else value


def _finding(rule: ProgramRule, value: Selected, compared: Mapping[str, list[Selected]], write: Any) -> Finding:
    spec = rule.spec
    words = {"value": _shown(value.value), "name": value.name, "other": "", "min": "", "max": ""}
    for role, found in compared.items():
        words[role] = ", ".join(str(_shown(f.value)) for f in found)
    related = tuple(f.location for found in compared.values() for f in found[:1]) or (rule.at("select"),)
    fix = None
    if write is not ... and not isinstance(write, dict | list):
        fix = Fix(value.location, csv_value(write) if value.location.field else yaml_value(write))
    return Finding(codes.PROGRAM_RULE, f"{spec['message'].format_map(words)} (rule {spec['id']})", value.location,
                   severity=Severity(spec.get("severity", "error")), path=value.path,
                   hint=spec["hint"].format_map(words), related=related, fix=fix)
