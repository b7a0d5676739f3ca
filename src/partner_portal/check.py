"""`portal check`: run every layer over a project and collect all findings.

Layers run in order (syntax, schema, references, rules, tables) and each continues past errors: a
file that fails to parse is left out of later layers, every other file is still
checked, so one run reports everything it can.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import helper as helpers
from .csv_loader import Table, load_csv
from .findings import Finding, Layer, Location, Severity
from .project import MAX_BYTES, DataFile, Project
from .references import check_references, defined_ids, walk
from .rules import run_rules
from .schemas import SchemaStore
from .sources import SourceText, read_text
from .table_checks import Suite, load_suites, run_table_checks
from .tables import check_tables, table_schema_problems
from .yaml_loader import YamlDocument, load_yaml

LAYERS = (Layer.SYNTAX, Layer.SCHEMA, Layer.REFERENCES, Layer.RULES, Layer.TABLES)


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    files: list[DataFile] = field(default_factory=list)
    documents: dict[str, YamlDocument] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)
    ids: dict[str, set[str]] = field(default_factory=dict)
    schema_store: SchemaStore | None = None
    releases: dict[str, YamlDocument] = field(default_factory=dict)  # release records by version

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    def counts_by_layer(self) -> dict[Layer, dict[Severity, int]]:
        counts = {layer: {Severity.ERROR: 0, Severity.WARNING: 0} for layer in LAYERS}
        for finding in self.findings:
            counts[finding.layer][finding.severity] += 1
        return counts


class Profile:
    """Wall time and peak memory at the end of each layer, for `portal check --profile`."""

    def __init__(self) -> None:
        self.layers: list[dict[str, float | str]] = []
        self.helper_peak_rss_mib = 0.0  # the tables layer's process, when it has one
        self._last = time.perf_counter()

    def mark(self, layer: str) -> None:
        now = time.perf_counter()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        self.layers.append({"layer": layer, "seconds": round(now - self._last, 4), "peak_rss_mib": round(peak, 1)})
        self._last = now


def check_project(project: Project, *, tables: bool = True, data_docs: Path | None = None,
                  profile: Profile | None = None, parallel: bool | None = None,
                  helper: helpers.Helper | None = None) -> CheckResult:
    """Run every layer over `project`. `tables=False` skips the great-expectations layer
    (the site build does, after `portal check` has run it); `data_docs` writes GX Data
    Docs to that folder; `profile` records the time and memory each layer took.
    `parallel` runs the tables layer in a second process (by default, when that saves
    time: see `helper.worthwhile`); the findings are the same either way. A `helper`
    already started (`portal` starts one before its own imports) is used, and closed."""
    mark = profile.mark if profile is not None else (lambda layer: None)
    result = CheckResult()
    catalog, catalog_findings = project.catalog()
    store = SchemaStore.load(project.schemas_dir, project.root)
    result.schema_store = store
    result.findings += catalog_findings + store.findings
    result.files, file_findings = project.data_files(catalog)
    result.findings += file_findings
    csv_bytes = helpers.csv_bytes(project.root)
    if helper is None and tables and csv_bytes and (
            parallel if parallel is not None else helpers.worthwhile(csv_bytes, early=False)):
        helper = helpers.Helper()  # imports great_expectations meanwhile
    if not tables or not csv_bytes:  # nothing for it to do
        if helper is not None:
            helper.close()
        helper = None
    try:
        _check_layers(project, store, result, tables, data_docs, mark, helper)
    finally:
        if helper is not None:
            helper.close()
    if profile is not None and helper is not None:
        profile.helper_peak_rss_mib = helper.peak_rss_mib
    order = {layer: i for i, layer in enumerate(LAYERS)}
    result.findings.sort(key=lambda f: (order[f.layer], f.sort_key()))
    return result


def _check_layers(project: Project, store: SchemaStore, result: CheckResult, tables: bool, data_docs: Path | None,
                  mark: Callable[[str], None], helper: helpers.Helper | None) -> None:
    # Layer 1: syntax. Every file is read and parsed; unparseable files go no further.
    for data_file in result.files:
        source = read_text(data_file.path, data_file.display, MAX_BYTES[data_file.kind])
        if isinstance(source, Finding):
            result.findings.append(source)
        elif data_file.kind == "yaml":
            _parse_yaml(data_file, source, result)
        else:
            loaded = load_csv(source.text, data_file.display)
            result.findings += loaded.findings
            if loaded.table is not None:
                result.tables[data_file.rel] = loaded.table

    mark("syntax")

    # Layer 2: schema. Each parsed file against the schema the catalog names for it;
    # tables first, so that a helper can start on the table suites (layer 5) meanwhile.
    valid: set[str] = set()
    _check_table_schemas(store, result, valid)
    suites: list[Suite] = []
    sent: dict[str, set[str]] | None = None  # the ids the helper's run uses
    if tables:
        csv_files = {f.rel for f in result.files if f.kind == "csv"}
        suites, findings = load_suites(project, store, {t for t in result.tables if t in valid}, csv_files)
        result.findings += findings
        if helper is not None and suites and data_docs is None:
            # The ids as the YAML files define them; the references layer confirms them below.
            sent = defined_ids(result.documents)
            helper.submit_tables(suites, result.tables, sent, None)
    for data_file in result.files:
        if data_file.rel in result.documents and data_file.schema in store.schemas:
            document = result.documents[data_file.rel]
            result.findings += _modeline_findings(project, data_file, document)
            problems = store.validate(document, data_file.schema)
            result.findings += problems
            if not any(f.severity is Severity.ERROR for f in problems) and not document.flagged:
                valid.add(data_file.rel)
            document.flagged.update(f.path for f in problems)  # later layers stay quiet there

    # Release records (releases/*.json, written by `portal release`) against their schema.
    _check_release_records(project, store, result)

    mark("schema")

    # Layer 3: references. Every id referred to is defined once; files named exist.
    result.ids, findings = check_references(result.documents, result.tables)
    result.findings += findings + _file_references(project, result)
    mark("references")

    if helper is not None and suites and sent != result.ids:
        # Not sent yet (Data Docs are written once, from the final run), or a file that
        # defines ids broke its schema, which leaves its ids out: run with the final ids.
        if sent is not None:
            helper.discard()
        helper.submit_tables(suites, result.tables, result.ids, data_docs)

    # Layer 4: rules. Contradictions between values, over the files that passed the schemas.
    result.findings += run_rules(result.documents, result.tables, valid)
    mark("rules")

    # Layer 5: tables. great-expectations suites from checks/ over every CSV table.
    if tables:
        if helper is not None and suites:
            result.findings += helper.table_findings()
            mark("tables (in a second process)")
        else:
            result.findings += run_table_checks(suites, result.tables, result.ids, data_docs, mark)
            mark("tables")


def _check_table_schemas(store: SchemaStore, result: CheckResult, valid: set[str]) -> None:
    """Type each CSV table against its table schema, a family of tables (one schema) side by
    side. Tables without errors are added to `valid`; a table whose header is unusable is
    dropped from `result.tables`."""
    unusable: set[str] = set()
    families: dict[str, list[str]] = {}  # CSV tables by schema, checked together
    for data_file in result.files:
        if data_file.rel not in result.tables or data_file.schema not in store.schemas:
            continue
        problems = table_schema_problems(store.schemas[data_file.schema])
        if problems:
            if data_file.schema not in unusable:
                unusable.add(data_file.schema)
                result.findings += [
                    Finding("schema-invalid", problem, Location(f"schemas/{data_file.schema}"), Layer.SCHEMA,
                            hint="Table schemas describe one row; see the other schemas in schemas/tables/.")
                    for problem in problems
                ]
            continue
        families.setdefault(data_file.schema, []).append(data_file.rel)
    for schema_name, rels in families.items():
        typed_tables, findings, failed = check_tables([result.tables[rel] for rel in rels],
                                                      store.schemas[schema_name])
        result.findings += findings
        for i, (rel, typed) in enumerate(zip(rels, typed_tables, strict=True)):
            if typed is None:
                del result.tables[rel]
            else:
                result.tables[rel] = typed
                if i not in failed:
                    valid.add(rel)


def _parse_yaml(data_file: DataFile, source: SourceText, result: CheckResult) -> None:
    loaded = load_yaml(source.text, data_file.display)
    result.findings += loaded.findings
    if loaded.document is not None:
        result.documents[data_file.rel] = loaded.document


def _modeline_findings(project: Project, data_file: DataFile, document: YamlDocument) -> list[Finding]:
    expected = project.schema_ref_for(data_file)
    line = f"# yaml-language-server: $schema={expected}"
    if document.schema_ref == expected:
        return []
    if document.schema_ref is None:
        return [Finding("schema-comment", "the file does not name its schema for editors",
                        Location(data_file.display, 1, 1), Layer.SCHEMA, severity=Severity.WARNING,
                        hint=f"Make this the first line, so editors autocomplete and flag mistakes: {line}")]
    return [Finding("schema-comment", f"the file names the schema '{document.schema_ref}', but it is checked "
                    f"against '{data_file.schema}'", Location(data_file.display, document.schema_ref_line, 1),
                    Layer.SCHEMA, severity=Severity.WARNING, hint=f"Change the line to: {line}")]


# Fields that name a file, and the folder the file must be in.
_FILE_FIELDS = (
    ("incentives.yaml", "incentives[*].payout.table", "program_data"),
    ("program.yaml", "logo", "content"),
)


def _file_references(project: Project, result: CheckResult) -> list[Finding]:
    """Files named in data exist inside the folder they belong to (paths with `..` or a
    leading `/` are already refused by the schemas; links out of the project are refused here)."""
    findings = []
    for rel, pattern, folder in _FILE_FIELDS:
        document = result.documents.get(rel)
        if document is None:
            continue
        base = (project.root / folder).resolve()
        for path, value in walk(document.data, pattern):
            if not isinstance(value, str) or path in document.flagged:
                continue
            target = (base / value).resolve()
            if not target.is_relative_to(base):
                findings.append(Finding("unsafe-path", f"'{value}' points outside {folder}/", document.location(path),
                                        Layer.REFERENCES, path=path,
                                        hint=f"Name a file inside {folder}/, without '..' or links leading out."))
            elif not target.is_file():
                findings.append(Finding("missing-file", f"the file {folder}/{value} does not exist",
                                        document.location(path), Layer.REFERENCES, path=path,
                                        hint=f"Create {folder}/{value}, or correct the path."))
    return findings


RELEASES_DIR = "releases"
RECORD_SCHEMA = "release.schema.json"


def _check_release_records(project: Project, store: SchemaStore, result: CheckResult) -> None:
    folder = project.root / RELEASES_DIR
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        display = project.display(path)
        if path.suffix != ".json":
            result.findings.append(Finding("unexpected-file", "release records are JSON files named VERSION.json; "
                                           "this file is ignored", Location(display), Layer.SCHEMA,
                                           severity=Severity.WARNING, hint="Move it out of releases/."))
            continue
        source = read_text(path, display, MAX_BYTES["yaml"])
        if isinstance(source, Finding):
            result.findings.append(source)
            continue
        loaded = load_yaml(source.text, display)  # JSON is YAML; the loader keeps positions
        result.findings += loaded.findings
        if loaded.document is None or RECORD_SCHEMA not in store.schemas:
            continue
        problems = store.validate(loaded.document, RECORD_SCHEMA)
        result.findings += problems
        if problems or loaded.findings:
            continue
        data = loaded.document.data
        if path.stem != data["version"] or data["tag"] != f"v{data['version']}":
            result.findings.append(Finding(
                "release-record", f"this record is for version {data['version']} (tag {data['tag']}), but the file "
                f"is named {path.name}", loaded.document.location(("version",)), Layer.SCHEMA, path=("version",),
                hint=f"Name it releases/{data['version']}.json with the tag v{data['version']}, or write it again "
                "with `portal release --force`."))
            continue
        result.releases[data["version"]] = loaded.document
