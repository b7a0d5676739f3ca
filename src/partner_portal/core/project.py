"""A portal project on disk: where program data and schemas are, and which schema
checks which data file (the catalog, `schemas/catalog.json`)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from .findings import Finding, Layer, Location, Severity

MiB = 1024 * 1024

DATA_DIR = "program_data"
SCHEMAS_DIR = "schemas"
CATALOG = "catalog.json"
CACHE_DIR = ".portal-cache"  # portal check's cache (check/cache.py), ignored by git
CACHE_ENV = "PORTAL_CACHE_DIR"  # another folder for it
DATA_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".csv": "csv"}
MAX_BYTES = {"yaml": 2 * MiB, "csv": 256 * MiB}
SUITES_DIR = "checks"
RELEASES_DIR = "releases"


class NotAProject(Exception):
    """The folder given is not a portal project (a usage error, not a data finding)."""


@dataclass(frozen=True)
class DataFile:
    path: Path
    rel: str  # relative to program_data/, with forward slashes
    display: str  # relative to the project root, as findings show it
    kind: str  # "yaml" or "csv"
    schema: str | None  # relative to schemas/


@dataclass(frozen=True)
class CatalogEntry:
    pattern: str
    schema: str

    def matches(self, rel: str) -> bool:
        # `*` stays within one folder: journeys/*.yaml does not match journeys/old/a.yaml.
        return rel.count("/") == self.pattern.count("/") and fnmatchcase(rel, self.pattern)


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def open(cls, root: Path) -> Project:
        root = root.resolve()
        if not root.is_dir():
            raise NotAProject(f"{root} is not a folder")
        for needed in (DATA_DIR, SCHEMAS_DIR):
            if not (root / needed).is_dir():
                raise NotAProject(f"{root} is not a portal project: it has no {needed}/ folder")
        return cls(root)

    @property
    def data_dir(self) -> Path:
        return self.root / DATA_DIR

    @property
    def schemas_dir(self) -> Path:
        return self.root / SCHEMAS_DIR

    @property
    def cache_dir(self) -> Path:
        """Where `portal check` keeps what it worked out (see check/cache.py): `.portal-cache/`
        in the project, or the folder PORTAL_CACHE_DIR names (a CI runner's cache, shared by
        checkouts: entries are keyed by content, so projects can share them)."""
        shared = os.environ.get(CACHE_ENV)
        return Path(shared) if shared else self.root / CACHE_DIR

    def has_tables(self) -> bool:
        """Whether the project has CSV tables (nothing is read)."""
        return any(self.data_dir.rglob("*.csv"))

    def display(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def catalog(self) -> tuple[list[CatalogEntry], list[Finding]]:
        path = self.schemas_dir / CATALOG
        display = self.display(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            entries = [CatalogEntry(str(e["pattern"]), str(e["schema"])) for e in raw["files"]]
        except FileNotFoundError:
            return [], [Finding("catalog-invalid", "the schema catalog is missing", Location(display), Layer.SCHEMA,
                                hint="Create schemas/catalog.json listing which schema checks each data file.")]
        except json.JSONDecodeError as exc:
            return [], [Finding("catalog-invalid", f"the schema catalog is not valid JSON: {exc.msg}",
                                Location(display, exc.lineno, exc.colno), Layer.SCHEMA,
                                hint="Fix the JSON syntax at this position.")]
        except (OSError, UnicodeDecodeError, KeyError, TypeError) as exc:
            return [], [Finding("catalog-invalid", f"the schema catalog cannot be used: {exc}", Location(display),
                                Layer.SCHEMA, hint='It must hold {"files": [{"pattern": ..., "schema": ...}]}.')]
        findings = [
            Finding("catalog-invalid", f"the catalog names the schema '{e.schema}', which does not exist",
                    Location(display), Layer.SCHEMA, hint=f"Create schemas/{e.schema} or correct the entry.")
            for e in entries
            if not (self.schemas_dir / e.schema).is_file()
        ]
        return entries, findings

    def data_files(self, catalog: list[CatalogEntry]) -> tuple[list[DataFile], list[Finding]]:
        """Every data file under program_data/, with its schema from the catalog."""
        files: list[DataFile] = []
        findings: list[Finding] = []
        for dirpath, dirnames, filenames in os.walk(self.data_dir):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for filename in sorted(filenames):
                if filename.startswith("."):
                    continue
                path = Path(dirpath) / filename
                rel = path.relative_to(self.data_dir).as_posix()
                display = self.display(path)
                kind = DATA_SUFFIXES.get(path.suffix.lower())
                if path.is_symlink() and not path.resolve().is_relative_to(self.root):
                    findings.append(Finding(
                        "unsafe-path", "this file is a link to a place outside the project",
                        Location(display), Layer.SYNTAX,
                        hint="Replace the link with the file itself; data must live inside the project."))
                    continue
                if kind is None:
                    findings.append(Finding(
                        "unexpected-file", "this file is not program data (YAML or CSV) and is ignored",
                        Location(display), Layer.SYNTAX, severity=Severity.WARNING,
                        hint="Move it out of program_data/, or save it as .yaml or .csv."))
                    continue
                matches = [entry for entry in catalog if entry.matches(rel)]
                schema = matches[0].schema if matches else None
                if not matches:
                    findings.append(Finding(
                        "no-schema", "no schema checks this file, so it cannot be trusted",
                        Location(display), Layer.SCHEMA,
                        hint="Add an entry for it to schemas/catalog.json (and a schema if it is a new kind"
                        " of file), or remove the file." + (" The catalog names .yaml files: rename it to .yaml."
                                                           if path.suffix == ".yml" else "")))
                files.append(DataFile(path, rel, display, kind, schema))
        present = {f.rel for f in files}
        for entry in catalog:
            if "*" not in entry.pattern and entry.pattern not in present:
                findings.append(Finding(
                    "missing-file", f"{DATA_DIR}/{entry.pattern} is missing", Location(f"{DATA_DIR}/{entry.pattern}"),
                    Layer.SYNTAX, hint="Restore the file (git checkout can bring it back), or remove its entry from "
                    "schemas/catalog.json if the program no longer needs it."))
        return files, findings

    def schema_ref_for(self, data_file: DataFile) -> str:
        """The `$schema=` path a YAML file's modeline should carry (relative to the file)."""
        assert data_file.schema is not None
        target = self.schemas_dir / data_file.schema
        return Path(os.path.relpath(target, data_file.path.parent)).as_posix()
