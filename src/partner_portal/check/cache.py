"""`portal check`'s cache, in `.portal-cache/` (ignored by git) or PORTAL_CACHE_DIR (see
`Project.cache_dir`).

The great-expectations suites are what makes `portal check` slow: importing the library
alone takes seconds. A suite's findings depend only on the tables it checks (as the files
are), the suite, the ids it compares with (the vocabularies it uses), the schemas and this
program's code; the cache keys each suite's findings by a hash of exactly that. When an
edit leaves all of it as it was (a YAML file's text, a description, a new page), the
findings are read back and great-expectations is not even started; an edit to one table
runs the one suite that checks it.

The cache is plain JSON, written atomically, and read back defensively: a file that is
corrupt, from another version of this program, or that does not describe findings this
program knows is ignored, never trusted, and the suites run.

`portal build` keeps the program guide's PDF here too (site/guide.py), keyed by its pages,
the program's name and date, the fonts and the code, with the hash of its bytes: an entry
that does not match them is drawn again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..core.findings import Finding, Fix, Location
from ..core.project import Project

FORMAT = 1
KEPT = 16  # entries of each kind kept: switching branches and back finds its findings
_PACKAGE = Path(__file__).resolve().parent.parent  # the partner_portal package


# The libraries whose versions may change what a check finds: the name each is imported by,
# and the name of its distribution.
LIBRARIES = {"great_expectations": "great_expectations", "pandas": "pandas", "pyarrow": "pyarrow", "numpy": "numpy",
             "jsonschema": "jsonschema", "referencing": "referencing", "yaml": "PyYAML"}


@functools.cache
def code_fingerprint() -> str:
    """This program's code and the versions of the libraries it runs (great-expectations,
    pandas, pyarrow, jsonschema...): a change to any may change the findings."""
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    for package, distribution in LIBRARIES.items():
        digest.update(b"\0" + installed(package, distribution).encode())
    return digest.hexdigest()


def installed(package: str, distribution: str) -> str:
    """The installed distribution of `package`, with its version, as its metadata folder is
    named (`great_expectations-1.13.0.dist-info`): read from the folder's name, because
    importing importlib.metadata costs more than the check it would serve. Without such a
    folder, the hash of the package's `__init__.py` stands for its version."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return f"no {package}"
    location = Path(next(iter(spec.submodule_search_locations)))
    wanted = distribution.lower().replace("-", "_") + "-"
    found = sorted(name for name in _listing(location.parent)
                   if name.lower().startswith(wanted) and name.endswith(".dist-info"))
    if found:
        return ",".join(found)
    try:
        return f"{package} {hashlib.sha256((location / '__init__.py').read_bytes()).hexdigest()}"
    except OSError:
        return f"{package}, version unknown"


@functools.cache
def _listing(folder: Path) -> tuple[str, ...]:
    try:
        return tuple(os.listdir(folder))
    except OSError:
        return ()


def digest(text: str) -> str:
    """The hash of a text (a table's, to key what reading it found)."""
    return hashlib.sha256(text.encode()).hexdigest()


def schema_files_digest(project: Project) -> str:
    """The hash of every file under schemas/ (names and bytes), with this program's code: what
    any entry checked against the schemas depends on."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for path in sorted(project.schemas_dir.rglob("*.json")):
        digest.update(b"\0" + path.relative_to(project.root).as_posix().encode() + b"\0")
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def tables_key(project: Project, schemas: str, suite_file: str, tables: Mapping[str, str],
               vocabularies: Mapping[str, set[str]]) -> str:
    """The hash of everything a table suite's findings depend on. `schemas` is the
    `schema_files_digest`; `suite_file` is as findings name it (checks/...); `tables` are the
    digests of the texts of the tables the suite checks, by path from program_data/ (the
    texts this check read, hashed once for every key); `vocabularies` the ids of each kind
    the suite uses."""
    digest = hashlib.sha256(schemas.encode())
    path = project.root / suite_file
    digest.update(b"\0" + suite_file.encode() + b"\0")
    digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    for rel, text in sorted(tables.items()):
        digest.update(f"\0program_data/{rel}\0{text}".encode())
    digest.update(json.dumps({kind: sorted(ids) for kind, ids in sorted(vocabularies.items())}).encode())
    return digest.hexdigest()


def _location(data: Any) -> Location:
    if not isinstance(data, dict) or set(data) != {"file", "line", "column", "field"}:
        raise ValueError("not a location")
    if not (isinstance(data["file"], str) and type(data["line"]) is int and type(data["column"]) is int
            and (data["field"] is None or isinstance(data["field"], str))):
        raise ValueError("not a location")
    return Location(data["file"], data["line"], data["column"], data["field"])


def _located(location: Location) -> dict[str, Any]:
    return {"file": location.file, "line": location.line, "column": location.column, "field": location.field}


def encode(finding: Finding) -> dict[str, Any]:
    return {"code": finding.code, "message": finding.message, "location": _located(finding.location),
            "layer": str(finding.layer), "severity": str(finding.severity), "path": list(finding.path),
            "hint": finding.hint, "related": [_located(r) for r in finding.related],
            "fix": ({"location": _located(finding.fix.location), "text": finding.fix.text}
                    if finding.fix is not None else None)}


def decode(data: Any) -> Finding:
    """A finding from its JSON; ValueError (or a registry error) if it is not one."""
    if not isinstance(data, dict) or set(data) != {"code", "message", "location", "layer", "severity", "path",
                                                   "hint", "related", "fix"}:
        raise ValueError("not a finding")
    if not (isinstance(data["code"], str) and isinstance(data["message"], str)
            and (data["hint"] is None or isinstance(data["hint"], str))
            and isinstance(data["path"], list) and all(isinstance(p, str | int) for p in data["path"])
            and isinstance(data["related"], list)):
        raise ValueError("not a finding")
    fix = data["fix"]
    if fix is not None and not (isinstance(fix, dict) and set(fix) == {"location", "text"}
                                and isinstance(fix["text"], str)):
        raise ValueError("not a fix")
    from ..core.codes import Layer, Severity

    return Finding(data["code"], data["message"], _location(data["location"]), Layer(data["layer"]),
                   Severity(data["severity"]), tuple(data["path"]), data["hint"],
                   tuple(_location(r) for r in data["related"]),
                   Fix(_location(fix["location"]), fix["text"]) if fix is not None else None)


def decoded(payload: Any) -> list[Finding] | None:
    """Findings from their JSON, or None when `payload` is not findings this program knows."""
    if not isinstance(payload, list):
        return None
    try:
        return [decode(item) for item in payload]
    except (ValueError, TypeError, KeyError):
        return None


def read_entry(path: Path, key: str) -> Any:
    """The payload stored at `path` under `key`, or None: a missing, corrupt, foreign or
    stale file is never trusted."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
        return None
    return data.get("payload")


def write_entry(path: Path, key: str, payload: Any) -> None:
    """Store `payload` at `path` under `key`, atomically; a cache that cannot be written is
    no cache."""
    _write(path, json.dumps({"format": FORMAT, "key": key, "payload": payload}).encode())


def read_file_entry(path: Path, key: str) -> bytes | None:
    """The bytes of a file (a drawn PDF) stored at `path` under `key`, or None: a missing,
    truncated, altered, foreign or stale entry is never trusted."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head, _, body = data.partition(b"\n")
    if head != _file_head(key, body):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # used: kept longest
    return body


def write_file_entry(path: Path, key: str, body: bytes) -> None:
    """Store the bytes of a file at `path` under `key`, with their hash, atomically."""
    _write(path, _file_head(key, body) + b"\n" + body)


def _file_head(key: str, body: bytes) -> bytes:
    return f"portal-cache {FORMAT} {key} {hashlib.sha256(body).hexdigest()}".encode()


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        ignore = path.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# portal check's cache: safe to delete\n*\n", encoding="utf-8")
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=path.suffix)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError:
        pass


def schemas_key(texts: Iterable[tuple[str, str, str]]) -> str:
    """The hash of every schema's name and text, with this program's code."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for name, display, text in texts:
        digest.update(b"\0".join((name.encode(), display.encode(), text.encode())) + b"\1")
    return digest.hexdigest()


def entry_path(folder: Path, kind: str, key: str, suffix: str = ".json") -> Path:
    return folder / f"{kind}-{key[:32]}{suffix}"


def prune(folder: Path, kind: str, kept: int = KEPT, suffix: str = ".json") -> None:
    """Keep the `kept` entries of `kind` used last."""
    try:
        entries = sorted(folder.glob(f"{kind}-*{suffix}"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for stale in entries[kept:]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass


class TablesCache:
    """Each table suite's findings from earlier runs, for inputs seen before."""

    def __init__(self, project: Project) -> None:
        self.folder = project.cache_dir

    @staticmethod
    def has_entries(project: Project) -> bool:
        """Whether there are findings to try (so the tables worker need not start at once)."""
        return any(project.cache_dir.glob("tables-*.json"))

    def get(self, key: str) -> list[Finding] | None:
        path = entry_path(self.folder, "tables", key)
        found = decoded(read_entry(path, key))
        if found is None:
            return None  # no findings this program knows: the suite runs
        with contextlib.suppress(OSError):
            os.utime(path)  # used: kept longest
        return found

    def put(self, key: str, findings: list[Finding]) -> None:
        write_entry(entry_path(self.folder, "tables", key), key, [encode(f) for f in findings])

    def prune(self, suites: int) -> None:
        """Keep the entries of the last KEPT states of a program with this many suites."""
        prune(self.folder, "tables", KEPT * max(suites, 1))
