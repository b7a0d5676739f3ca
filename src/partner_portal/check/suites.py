"""The tables layer: great-expectations suites over every CSV table.

Suites live in `checks/*.yaml`, one per table (or family of tables: `table` may be a
pattern such as `incentives/use_rebates*.csv`), written with great-expectations' own
expectation names and arguments, plus a plain-language message and hint for program
teams. `{vocabulary: tier}` in an argument stands for the ids defined in YAML (tiers,
regions, stages...), so a table can only use values the program defines. Results map
back to the CSV's physical row numbers and column names. A family of tables is validated
as one batch (the tables side by side, keyed by a hidden table column), so a thousand
tables cost one great-expectations run, not a thousand.

great_expectations takes seconds to import, so it is imported here only, when tables
are checked; the site build never loads it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.findings import MAX_PER_KIND, Finding, Layer, Location
from ..core.lazy import lazy
from ..core.project import SUITES_DIR, CatalogEntry, Project
from ..load.csv_file import Table, TableGroup
from ..load.yaml_file import YamlDocument, read_yaml
from .references import DEFINITIONS
from .schema import SchemaStore

np = lazy("numpy")
pd = lazy("pandas")

SUITE_SCHEMA = "check-suite.schema.json"

# What a failed expectation means for a program team, by expectation type.
_DEFAULTS = {
    "expect_compound_columns_to_be_unique": ("duplicate-row", "this row repeats the {columns} of an earlier row",
                                            "Keep one row per {columns}; delete or correct the repeated row."),
    "expect_column_values_to_be_unique": ("duplicate-row", "the {columns} '{value}' appears on an earlier row",
                                          "Each {columns} may appear once."),
    "expect_column_values_to_be_in_set": ("unknown-value", "'{value}' is not one of the allowed values of {columns}",
                                          "Use one of: {allowed}."),
    "expect_column_values_to_be_between": ("out-of-range", "{value} is outside the allowed range of {columns}",
                                           "Use a value from {min_value} to {max_value}."),
    "expect_column_values_to_not_be_null": ("missing-value", "{columns} is empty on this row", "Fill it in."),
    "expect_column_values_to_match_regex": ("unknown-value", "'{value}' does not have the expected form",
                                            "Check the value's format."),
    "expect_column_values_to_be_of_type": ("wrong-type", "the column {columns} holds {observed_value} values, not "
                                           "{type_}", "Check the column's values and its type in the table schema."),
    "expect_column_pair_values_a_to_be_greater_than_b": ("row-condition", "{column_A} is not greater than {column_B} "
                                                         "on this row", "Correct the two values."),
}
_FALLBACK = ("table-check", "the table breaks the expectation {type}", "See the suite in checks/.")


@dataclass
class Suite:
    file: str  # as findings show it, e.g. checks/adopt_rates.yaml
    document: YamlDocument
    tables: list[str]  # the tables it checks, relative to program_data/

    @property
    def expectations(self) -> list[dict[str, Any]]:
        return self.document.data.get("expectations", [])


def load_suites(project: Project, store: SchemaStore, tables: set[str], csv_files: set[str]
                ) -> tuple[list[Suite], list[Finding]]:
    """Every suite in checks/, validated; and a finding for each CSV without a suite."""
    findings: list[Finding] = []
    suites: list[Suite] = []
    folder = project.root / SUITES_DIR
    covered: set[str] = set()  # tables some suite names, even a suite with problems
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        display = project.display(path)
        loaded = read_yaml(path, display)
        findings += loaded.findings
        if loaded.document is None:
            continue
        data = loaded.document.data
        matches: list[str] = []
        if isinstance(data, dict) and isinstance(data.get("table"), str):
            pattern = CatalogEntry(data["table"], "")
            matches = sorted(t for t in csv_files if pattern.matches(t))
            covered.update(matches)
        problems = store.validate(loaded.document, SUITE_SCHEMA)
        findings += problems
        if problems or loaded.findings:
            continue
        if not matches:
            findings.append(Finding("unknown-table", f"there is no table program_data/{data['table']}",
                                    loaded.document.location(("table",)), path=("table",),
                                    hint="Name a CSV file under program_data/, relative to it (a * stands for "
                                    "any part of a file name)."))
        usable = [m for m in matches if m in tables]  # a table that failed to load is reported earlier
        if usable:
            suites.append(Suite(display, loaded.document, usable))
    for table in sorted(csv_files - covered):
        findings.append(Finding("no-table-check", "no great-expectations suite checks this table",
                                Location(f"program_data/{table}"),
                                hint=f"Add a suite to {SUITES_DIR}/ with 'table: {table}' (copy a neighbour)."))
    return suites, findings


class _UnusableEntry(Exception):
    """A suite entry that cannot be run; the message says why."""


class _VocabularyNotLoaded(Exception):
    """The entry uses ids from a file that failed to load: it is skipped, not reported."""


def vocabulary_kinds(suites: list[Suite]) -> set[str]:
    """The kinds of id (`{vocabulary: tier}`) the suites' expectations use."""
    found: set[str] = set()

    def visit(value: Any) -> None:
        if isinstance(value, dict):
            if set(value) in ({"vocabulary"}, {"vocabulary_list"}):
                found.add(str(next(iter(value.values()))))
            for item in value.values():
                visit(item)
        elif isinstance(value, list):
            for item in value:
                visit(item)

    for suite in suites:
        visit(suite.expectations)
    return found


def _resolve(value: Any, vocabularies: dict[str, set[str]]) -> Any:
    """Replace `{vocabulary: kind}` with the sorted ids of that kind, and
    `{vocabulary_list: kind}` with a pattern for a semicolon-separated list of them."""
    if isinstance(value, dict):
        if set(value) in ({"vocabulary"}, {"vocabulary_list"}):
            kind = str(next(iter(value.values())))
            if kind not in vocabularies:
                known = sorted({d.kind for d in DEFINITIONS})
                if kind in known:  # its defining file did not load; that file's own finding says why
                    raise _VocabularyNotLoaded(kind)
                raise _UnusableEntry(f"there is no vocabulary '{kind}'; known: {', '.join(known)}")
            ids = sorted(vocabularies[kind])
            if "vocabulary" in value:
                return ids
            one = "(?:" + "|".join(re.escape(v) for v in ids) + ")"
            return f"^{one}(?:;{one})*$"
        return {k: _resolve(v, vocabularies) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, vocabularies) for v in value]
    return value


def _vocabulary_list(kwargs: dict[str, Any]) -> str | None:
    """The kind of id a `{vocabulary_list: kind}` in an entry's arguments names, if any."""
    for value in kwargs.values():
        if isinstance(value, dict) and set(value) == {"vocabulary_list"}:
            return str(value["vocabulary_list"])
    return None


def import_great_expectations() -> None:
    """Import great_expectations (seconds), with its usage reporting off."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations  # noqa: F401


def run_table_checks(suites: list[Suite], tables: dict[str, Table], vocabularies: dict[str, set[str]],
                     data_docs: Path | None = None, mark: Any = None) -> list[Finding]:
    """Validate each table against its suite with great-expectations."""
    if not suites:
        return []
    import_great_expectations()
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    if mark is not None:
        mark("tables: import great_expectations")

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    if data_docs is not None:
        context.add_data_docs_site(site_name="portal", site_config={
            "class_name": "SiteBuilder", "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(data_docs)}})
    source = context.data_sources.add_pandas("program_data")
    result_format = {"result_format": "SUMMARY", "partial_unexpected_count": MAX_PER_KIND}
    findings: list[Finding] = []
    number = 0
    for suite in suites:
        groups: dict[tuple[str, ...], list[Table]] = {}
        for rel in suite.tables:  # tables of one family are checked together when their columns agree
            groups.setdefault(tuple(tables[rel].columns), []).append(tables[rel])
        for group in groups.values():
            number += 1
            findings += _validate(context, source, gx, ExpectationConfiguration, suite, _Batch(group),
                                  vocabularies, f"{number:03d}-{group[0].file.replace('/', '-')}", data_docs,
                                  result_format)
    return findings


def _validate(context: Any, source: Any, gx: Any, configuration: Any, suite: Suite, batch: _Batch,
              vocabularies: dict[str, set[str]], name: str, data_docs: Path | None,
              result_format: dict[str, Any]) -> list[Finding]:
    findings: list[Finding] = []
    gx_suite = context.suites.add(gx.ExpectationSuite(name=name))
    columns = set(batch.tables[0].columns)
    for index, entry in enumerate(suite.expectations):
        try:
            _check_entry(entry, columns)
            kind, kwargs = batch.scoped(entry["expect"], _resolve(entry.get("kwargs", {}), vocabularies))
            # The ids a `{vocabulary_list: kind}` pattern allows, for the hint's {allowed}.
            allowed = sorted(vocabularies.get(_vocabulary_list(entry.get("kwargs", {})) or "", ()))
            expectation = configuration(type=kind, kwargs=kwargs, meta={"entry": index, "allowed": allowed}
                                        ).to_domain_obj()
        except _VocabularyNotLoaded:
            continue
        except Exception as exc:  # noqa: BLE001 - GX raises many kinds; all mean "this entry is unusable"
            detail = " ".join(str(exc).split())[:300]
            findings.append(Finding("invalid-expectation", f"this expectation cannot be used: {detail}",
                                    suite.document.location(("expectations", index)),
                                    path=("expectations", index),
                                    hint="Check the expectation's name and arguments against the "
                                    "great-expectations gallery."))
            continue
        gx_suite.add_expectation(expectation)
    batch_definition = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("whole")
    if data_docs is not None:
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(data=batch_definition, suite=gx_suite, name=name))
        checkpoint = context.checkpoints.add(gx.Checkpoint(
            name=name, validation_definitions=[validation], result_format=result_format,
            actions=[gx.checkpoint.UpdateDataDocsAction(name="data-docs")]))
        results = list(checkpoint.run(batch_parameters={"dataframe": batch.frame}).run_results.values())[0]
    else:
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(data=batch_definition, suite=gx_suite, name=name))
        results = validation.run(batch_parameters={"dataframe": batch.frame}, result_format=result_format)
    for result in results.results:
        if not result.success:
            entry = suite.expectations[result.expectation_config.meta["entry"]]
            findings += _findings_for(suite, entry, result, batch)
    return findings


TABLE_KEY = "__table__"


class _Batch(TableGroup):
    """The tables one suite checks, as one frame for one great-expectations run. With
    several, a hidden column says which table a row is from, and uniqueness is checked
    within each table."""

    def __init__(self, tables: list[Table]) -> None:
        super().__init__(tables)
        if len(tables) > 1:
            self.frame[TABLE_KEY] = np.repeat(np.arange(len(tables)), np.diff(self.starts))

    def scoped(self, kind: str, kwargs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """The expectation to run on the batch: uniqueness holds within each table."""
        if len(self.tables) == 1:
            return kind, kwargs
        if kind == "expect_column_values_to_be_unique" and isinstance(kwargs.get("column"), str):
            rest = {k: v for k, v in kwargs.items() if k != "column"}
            return "expect_compound_columns_to_be_unique", {**rest, "column_list": [kwargs["column"], TABLE_KEY]}
        if kind == "expect_compound_columns_to_be_unique" and isinstance(kwargs.get("column_list"), list):
            return kind, {**kwargs, "column_list": [*kwargs["column_list"], TABLE_KEY]}
        return kind, kwargs

    def key_columns(self, columns: list[str]) -> list[str]:
        return columns + [TABLE_KEY] if len(self.tables) > 1 else columns


_COLUMN_ARGUMENTS = ("column", "column_A", "column_B")


def _check_entry(entry: dict[str, Any], columns: set[str]) -> None:
    """Refuse an entry naming a column the table does not have, or with a message or hint
    that is not a valid template, before great-expectations runs it."""
    kwargs = entry.get("kwargs", {})
    named = [kwargs[a] for a in _COLUMN_ARGUMENTS if isinstance(kwargs.get(a), str)]
    named += [c for c in kwargs.get("column_list") or [] if isinstance(c, str)]
    for column in named:
        if column not in columns:
            raise _UnusableEntry(f"the table has no column '{column}'; its columns: {', '.join(sorted(columns))}")
    for key in ("message", "hint"):
        if key in entry:
            try:
                entry[key].format_map(_Blank(value=""))
            except (ValueError, IndexError, AttributeError) as exc:
                raise _UnusableEntry(f"the {key} is not a valid template ({exc}); write {{{{ and }}}} for braces "
                                     "meant as text") from None


def _findings_for(suite: Suite, entry: dict[str, Any], result: Any, batch: _Batch) -> list[Finding]:
    kind = entry["expect"]
    kwargs = result.expectation_config.kwargs
    code, message, hint = _DEFAULTS.get(kind, _FALLBACK)
    code = entry.get("code", code)
    message, hint = entry.get("message", message), entry.get("hint", hint)
    columns = kwargs.get("column_list") or [kwargs.get("column") or kwargs.get("column_A")]
    columns = [c for c in columns if c and c != TABLE_KEY]
    allowed = [str(v) for v in kwargs.get("value_set") or result.expectation_config.meta.get("allowed") or []]
    fields = {"columns": " and ".join(columns), "type": kind,
              "allowed": ", ".join(allowed[:12]) + (", ..." if len(allowed) > 12 else ""),
              "observed_value": (result.result or {}).get("observed_value", "other"),
              **{k: v for k, v in kwargs.items() if isinstance(v, (str, int, float))}}
    suite_at = suite.document.location(("expectations", suite.expectations.index(entry)))
    details = result.result or {}
    indices = list(details.get("partial_unexpected_index_list") or [])
    values = list(details.get("partial_unexpected_list") or [])
    count = int(details.get("unexpected_count") or len(indices))
    positions = [int(batch.frame.index.get_loc(i)) for i in indices]
    related: dict[int, int] = {}
    if code == "duplicate-row" and columns:
        keys = batch.key_columns(columns)
        positions, related = _duplicates(batch.frame, keys)
        count = int(batch.frame.duplicated(subset=keys, keep="first").sum())
    column = columns[0] if columns else None
    findings = []
    for n, position in enumerate(positions[:MAX_PER_KIND]):
        value = values[n] if n < len(values) and code != "duplicate-row" else (
            batch.frame[column].iloc[position] if column else "")
        where = batch.location(position, column)
        rel = (batch.location(related[position], column),) if position in related else ()
        findings.append(Finding(code, _fill(message, fields, value), where, Layer.TABLES,
                                hint=_fill(hint, fields, value), related=rel + (suite_at,)))
    if not positions:  # a finding about the whole table (its type, say), not about rows
        others = len(batch.tables) - 1
        family = f" (checked together with {others} other tables the suite names)" if others else ""
        findings.append(Finding(code, _fill(message, fields, "") + family, Location(batch.tables[0].file), Layer.TABLES,
                                hint=_fill(hint, fields, ""), related=(suite_at,)))
    elif count > MAX_PER_KIND:
        findings.append(Finding(code, f"{count - MAX_PER_KIND} more rows break the same expectation",
                                Location(batch.table_at(positions[-1])[0].file, field=column), Layer.TABLES,
                                related=(suite_at,)))
    return findings


def _duplicates(frame: pd.DataFrame, columns: list[str]) -> tuple[list[int], dict[int, int]]:
    """Positions of rows repeating an earlier row's key, each with that earlier row. Only
    the reported rows are looked up, so a large table costs a few column scans."""
    repeated = frame.duplicated(subset=columns, keep="first").to_numpy()
    positions = [int(p) for p in np.flatnonzero(repeated)[:MAX_PER_KIND]]
    keys = frame[columns]
    related = {}
    for position in positions:
        same = (keys == keys.iloc[position]).all(axis=1).to_numpy()
        related[position] = int(np.argmax(same))
    return positions, related


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(template: str, fields: dict[str, Any], value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return template.format_map(_Blank(fields, value=value))
