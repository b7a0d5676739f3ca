"""`portal check`: run every layer over a project and collect all findings.

Layers run in order (syntax, schema, references, rules, tables) and each continues past
errors: a file that fails to parse is left out of later layers, every other file is
still checked, so one run reports everything it can. The tables layer runs in the
tables worker (`worker.py`), beside the references and rules layers. CSV tables are read
when first needed (`table_families.py`): with the cache, a check whose tables and rules'
inputs did not change reads none.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ..core.codes import LAYER_ORDER
from ..core.findings import Finding, Layer, Location, Severity, internal_error
from ..core.memo import parsed
from ..core.project import MAX_BYTES, DataFile, Project
from ..load.csv_file import Table
from ..load.text import SourceText, read_text
from ..load.yaml_file import YamlDocument, load_yaml
from ..model.program import Program
from . import rules as rule_families
from . import worker as workers
from .cache import TablesCache, digest, schema_files_digest, tables_key
from .document_cache import DocumentCache, encoded
from .portal_text import Views, text_fields
from .program_rules import load_program_rules, run_program_rules
from .records import RECORD_SCHEMA, check_records
from .references import check_file_references, check_references, defined_ids, defining_files
from .rule_cache import RuleCache
from .rules import run_rules
from .schema import SchemaStore
from .suites import load_suites, vocabulary_kinds
from .table_families import Family, FamilyCache, Outcome, Tables, families, read_family

LAYERS = LAYER_ORDER


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    files: list[DataFile] = field(default_factory=list)
    documents: dict[str, YamlDocument] = field(default_factory=dict)
    tables: Mapping[str, Table] = field(default_factory=dict)  # `table_families.Tables`: read when first looked up
    ids: dict[str, set[str]] = field(default_factory=dict)
    schema_store: SchemaStore | None = None
    releases: dict[str, YamlDocument] = field(default_factory=dict)  # release records by version

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    @property
    def internal_errors(self) -> int:
        return sum(1 for f in self.findings if f.code == "internal-error")

    def counts_by_layer(self) -> dict[Layer, dict[Severity, int]]:
        counts = {layer: {Severity.ERROR: 0, Severity.WARNING: 0} for layer in LAYERS}
        for finding in self.findings:
            counts[finding.layer][finding.severity] += 1
        return counts

    def views(self) -> Views:
        """The documents as the rules see them, release records named by their path from
        program_data/ (../releases/VERSION.json): with the portal's text set aside but for
        the fields a rule reads."""
        schemas = self.schema_store.schemas if self.schema_store else {}
        records = {f"../releases/{version}.json": doc for version, doc in self.releases.items()}
        return Views({**self.documents, **records}, {**{f.rel: schemas.get(f.schema or "") for f in self.files},
                                                      **dict.fromkeys(records, schemas.get(RECORD_SCHEMA))})

    def program(self) -> Program:
        """The checked data as the Program pages, tools and releases read."""
        return Program(documents={rel: doc.data for rel, doc in self.documents.items()},
                       tables={rel: table.frame for rel, table in self.tables.items()},
                       schemas=self.schema_store.schemas if self.schema_store else {},
                       records={version: doc.data for version, doc in self.releases.items()})


class Profile:
    """Wall time and peak memory at the end of each layer, for `portal check --profile`."""

    def __init__(self) -> None:
        self.layers: list[dict[str, float | str]] = []
        self.worker_peak_rss_mib = 0.0
        self._last = time.perf_counter()

    def mark(self, layer: str, **detail: int) -> None:
        now = time.perf_counter()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        self.layers.append({"layer": layer, "seconds": round(now - self._last, 4), "peak_rss_mib": round(peak, 1),
                            **detail})
        self._last = now


@dataclass
class _TablesJob:
    """The tables layer under way: the findings of the suites read back from the cache, and
    the suites left to the worker, each to be cached under its key (None: not cached)."""

    cached: list[Finding] = field(default_factory=list)
    worker: workers.TablesWorker | None = None
    keys: list[str | None] = field(default_factory=list)


def check_project(project: Project, *, tables: bool = True, data_docs: Path | None = None,
                  profile: Profile | None = None, texts: Mapping[str, str] | None = None,
                  cache: TablesCache | None = None) -> CheckResult:
    """Run every layer over `project`. `tables=False` skips the great-expectations layer
    (the site build and release comparisons do, after `portal check` has run it);
    `data_docs` writes GX Data Docs to that folder; `profile` records the time and memory
    each layer took; `texts` (relative to program_data/) are used instead of those files'
    contents on disk, so a program can be checked as edited without writing it; `cache`
    keeps what each step found (the tables layer, each YAML file, each family of tables,
    each rule) and reuses it while its inputs are unchanged."""
    mark = profile.mark if profile is not None else (lambda layer, **detail: None)
    result = CheckResult()
    catalog, catalog_findings = project.catalog()
    store = SchemaStore.load(project.schemas_dir, project.root,
                             cache=cache.folder if cache is not None else None)
    result.schema_store = store
    result.findings += catalog_findings + store.findings
    result.files, file_findings = project.data_files(catalog)
    result.findings += file_findings

    # Layer 1: syntax. Every file is read and parsed; unparseable files go no further.
    sources: dict[str, str] = {}  # the text of each file read, by its path from program_data/
    schemas = schema_files_digest(project) if cache is not None else ""  # read once, for every cache key
    reuse = _Reuse(DocumentCache(project, schemas)) if cache is not None and not texts else None
    for data_file in result.files:
        _parse(data_file, result, (texts or {}).get(data_file.rel), sources, reuse)
    mark("syntax")

    # Layer 2: schema. Each parsed file against the schema the catalog names for it: the
    # tables, then the files defining the ids the table suites use, so that the suites can
    # start in the tables worker while this process validates the rest.
    families_cache = FamilyCache(project.cache_dir, schemas) if reuse is not None else None
    digests = {f.rel: digest(sources[f.rel]) for f in result.files if f.kind == "csv" and f.rel in sources
               } if reuse is not None else {}  # the tables' texts, hashed once for every key
    valid, table_ids = _read_tables(store, result, sources, families_cache, digests)
    job = suites = None
    if tables:
        csv_files = {f.rel for f in result.files if f.kind == "csv"}
        suites, findings = load_suites(project, store, {t for t in result.tables if t in valid}, csv_files)
        result.findings += findings
    used = vocabulary_kinds(suites) if suites else set()
    yaml_files = [f for f in result.files if f.rel in result.documents and f.schema in store.schemas]
    first = set(defining_files(used, [f.rel for f in yaml_files]))

    def start_suites() -> _TablesJob:
        """Each suite's findings from the cache, keyed by its own inputs (its file, its
        tables, the ids it uses); the others start in the worker. Data Docs and unsaved
        edits run every suite, in one part (the Data Docs site indexes them all)."""
        ids = {kind: found for kind, found in defined_ids(result.documents).items() if kind in used}
        started = _TablesJob()
        if cache is None or data_docs is not None or texts:
            parts = [(suites, ids)]
            started.keys = [None]
        else:
            parts = []
            for suite in suites:
                own = {kind: found for kind, found in ids.items() if kind in vocabulary_kinds([suite])}
                key = tables_key(project, schemas, suite.file,
                                 {rel: digests.get(rel, "<missing>") for rel in suite.tables}, own)
                found = cache.get(key)
                if found is None:
                    parts.append(([suite], own))
                    started.keys.append(key)
                else:
                    started.cached += found
        if parts:
            started.worker = workers.shared()
            started.worker.submit(parts, result.tables, data_docs)
        return started

    for data_file in sorted(yaml_files, key=lambda f: f.rel not in first):
        if suites and job is None and data_file.rel not in first:
            job = start_suites()
        document = result.documents[data_file.rel]
        result.findings += _modeline_findings(project, data_file, document)
        if reuse is not None and data_file.rel in reuse.validated:
            problems = reuse.validated.pop(data_file.rel)
        else:
            problems = store.validate(document, data_file.schema)
            if reuse is not None:
                reuse.keep(data_file.rel, problems, len(result.files))
        result.findings += problems
        if not any(f.severity is Severity.ERROR for f in problems) and not document.flagged:
            valid.add(data_file.rel)
        document.flagged.update(f.path for f in problems)  # later layers stay quiet there
    if suites and job is None:
        job = start_suites()
    result.releases, findings = check_records(project, store, texts)
    result.findings += findings
    program_rules, findings = load_program_rules(project, store, texts)
    result.findings += findings
    mark("schema")

    # Layer 3: references. Every id referred to is defined once; files named exist.
    result.ids, findings = check_references(result.documents, table_ids)
    result.findings += findings + check_file_references(project, result.documents)
    mark("references")

    # Layer 4: rules. Contradictions between values, over the files that passed the schemas
    # whole (a table without a row the reader could not read would only mislead them); release
    # records are named by their path from program_data/ (../releases/VERSION.json).
    broken = broken_tables(result)
    whole = valid - {f.rel for f in result.files if f.display in broken}
    views = result.views()
    records = {f"../releases/{version}.json" for version in result.releases}
    rule_cache = RuleCache(project.cache_dir, schemas, len(program_rules), reuse.keys) if reuse is not None else None
    result.findings += run_rules(lambda: rule_families.RULES, views, result.tables, whole | records,
                                 cache=rule_cache, digests=digests)
    # A required file that is missing is reported as such; rules reading it are skipped.
    missing = [f.location.file.removeprefix("program_data/") for f in result.findings if f.code == "missing-file"]
    named = {schema: store.memo.get(("text fields", schema), partial(text_fields, store.schemas.get(schema or "")))
             for schema in {f.schema for f in result.files}} if program_rules else {}
    text_names = {f.rel: named[f.schema] for f in result.files} if program_rules else {}
    result.findings += run_program_rules(program_rules, views, result.tables, whole,
                                         [f.rel for f in result.files] + missing, text_fields=text_names,
                                         cache=rule_cache, digests=digests)
    if rule_cache is not None:
        rule_cache.save()
    mark("rules")

    # Layer 5: tables. great-expectations suites from checks/ over every CSV table.
    if job is not None:
        result.findings += job.cached
        if job.worker is None:
            mark("tables (from the cache)")
        else:
            try:
                parts = job.worker.findings()
            except workers.WorkerFailed as exc:
                result.findings.append(internal_error("the table checks", exc, "", Layer.TABLES))
            else:
                for key, found in zip(job.keys, parts, strict=True):
                    result.findings += found
                    if cache is not None and key is not None:
                        cache.put(key, found)
                if cache is not None and any(job.keys):
                    cache.prune(len(suites or ()))
            mark("tables (in the worker)", suites=len(job.keys))
            if profile is not None:
                profile.worker_peak_rss_mib = job.worker.peak_rss_mib
    order = {layer: i for i, layer in enumerate(LAYERS)}
    result.findings.sort(key=lambda f: (order[f.layer], f.sort_key()))
    return result


def broken_tables(result: CheckResult) -> set[str]:
    """The CSV tables (as findings name them) with a row the reader could not read."""
    return {f.location.file for f in result.findings if f.layer is Layer.SYNTAX and f.severity is Severity.ERROR
            and f.location.file.endswith(".csv")}


@dataclass
class _Reuse:
    """The YAML files `portal check` loaded and validated before (document_cache.py): the
    schema findings of those read back, and what to keep of those read now."""

    cache: DocumentCache
    keys: dict[str, str] = field(default_factory=dict)  # each YAML file's key in the cache, by path from program_data/
    validated: dict[str, list[Finding]] = field(default_factory=dict)  # by path from program_data/
    loaded: dict[str, tuple[str, list[Finding], dict[str, object]]] = field(default_factory=dict)

    def read(self, key: str, data_file: DataFile, result: CheckResult) -> bool:
        """Whether the file was read back as loaded before (its findings and document added)."""
        found = self.cache.get(key, data_file.display)
        if found is None:
            return False
        findings, document, problems = found
        result.findings += findings
        if document is not None:
            result.documents[data_file.rel] = document
            self.validated[data_file.rel] = problems
        return True

    def loaded_now(self, key: str, data_file: DataFile, findings: list[Finding], document: YamlDocument | None,
                   files: int) -> None:
        """A file just loaded: kept at once if it is no document, else once it is validated."""
        if document is None:
            self.cache.put(key, findings, None, [], files)
        elif (as_json := encoded(document)) is not None:
            self.loaded[data_file.rel] = (key, findings, as_json)

    def keep(self, rel: str, problems: list[Finding], files: int) -> None:
        """A file validated now: kept with what its schema found."""
        if rel in self.loaded:
            key, findings, document = self.loaded.pop(rel)
            self.cache.put(key, findings, document, problems, files)


def _parse(data_file: DataFile, result: CheckResult, text: str | None, sources: dict[str, str],
           reuse: _Reuse | None) -> None:
    source = SourceText(text) if text is not None else read_text(data_file.path, data_file.display,
                                                                 MAX_BYTES[data_file.kind])
    if isinstance(source, Finding):
        result.findings.append(source)
        return
    sources[data_file.rel] = source.text
    if data_file.kind == "yaml":
        key = reuse.cache.key(data_file.display, source.text, data_file.schema or "") if reuse else ""
        if reuse is not None:
            reuse.keys[data_file.rel] = key
        if reuse is not None and reuse.read(key, data_file, result):
            return
        loaded = parsed("yaml", data_file.display, source.text, load_yaml)
        result.findings += loaded.findings
        if loaded.document is not None:
            result.documents[data_file.rel] = loaded.document
        if reuse is not None:
            reuse.loaded_now(key, data_file, loaded.findings, loaded.document, len(result.files))


def _read_tables(store: SchemaStore, result: CheckResult, sources: dict[str, str], cache: FamilyCache | None,
                 digests: dict[str, str]) -> tuple[set[str], dict[str, dict[str, list[str]]]]:
    """Read and type the CSV tables a family at a time (`table_families.py`), or read back
    what that found from the cache, leaving the tables to be read when first looked up.
    Returns the tables without errors, and the ids each table refers to."""
    grouped, findings = families(result.files, store, sources)
    result.findings += findings
    tables = Tables([f.rel for f in result.files])
    valid: set[str] = set()
    ids: dict[str, dict[str, list[str]]] = {}
    for family in grouped:
        key = cache.key(family, digests) if cache else ""
        outcome: Outcome | None = cache.get(key) if cache else None
        read = partial(_tables_of, family, sources, store)
        if outcome is None:
            loaded, outcome = read_family(family, sources, store)
            tables.add(outcome.kept, read, loaded)
            if cache:
                cache.put(key, outcome, len(grouped))
        else:
            tables.add(outcome.kept, read)
        result.findings += outcome.findings
        valid.update(outcome.valid)
        ids.update(outcome.ids)
    result.tables = tables
    return valid, ids


def _tables_of(family: Family, sources: dict[str, str], store: SchemaStore) -> dict[str, Table]:
    return read_family(family, sources, store)[0]


def _modeline_findings(project: Project, data_file: DataFile, document: YamlDocument) -> list[Finding]:
    expected = project.schema_ref_for(data_file)
    line = f"# yaml-language-server: $schema={expected}"
    if document.schema_ref == expected:
        return []
    if document.schema_ref is None:
        return [Finding("schema-comment", "the file does not name its schema for editors",
                        Location(data_file.display, 1, 1),
                        hint=f"Make this the first line, so editors autocomplete and flag mistakes: {line}")]
    return [Finding("schema-comment", f"the file names the schema '{document.schema_ref}', but it is checked "
                    f"against '{data_file.schema}'", Location(data_file.display, document.schema_ref_line, 1),
                    hint=f"Change the line to: {line}")]

