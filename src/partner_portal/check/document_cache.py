"""`portal check`'s cache of YAML files (beside the tables' findings in `cache.py`): each
file as loaded, with what the loader and its schema found, keyed by a hash of the file's
name and text, the schema it is checked against, every schema file and this program's code.
A check after an edit to one file parses and validates that file alone.

Entries are plain JSON, read back defensively like every entry of the cache: a value that
is not what this program writes makes the entry a miss, and the file is read as usual.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ..core.findings import DataPath, Finding
from ..core.memo import Memo
from ..core.project import Project
from ..load.yaml_file import YamlDocument
from .cache import KEPT, decode, encode, entry_path, prune, read_entry, write_entry

KIND = "yaml"
_READ = Memo()  # entries read back, in a process that keeps answers (core/memo.py)


class DocumentCache:
    """Loaded YAML files and their findings, for texts seen before."""

    def __init__(self, project: Project, schemas: str) -> None:
        """`schemas` is the `schema_files_digest` (it holds the code's fingerprint too)."""
        self.folder = project.cache_dir
        self._base = schemas
        self._written = 0

    def key(self, display: str, text: str, schema: str) -> str:
        return hashlib.sha256("\0".join((self._base, display, schema, text)).encode()).hexdigest()

    def get(self, key: str, display: str) -> tuple[list[Finding], YamlDocument | None, list[Finding]] | None:
        """(the loader's findings, the document as loaded, the schema's findings), or None.
        A long-lived process keeps what it read back (an entry's key, which hashes the file's
        name and text, says all it holds) for as long as the entry is in this cache folder."""
        path = entry_path(self.folder, KIND, key)
        found = _READ.kept(key)
        if found is not None:
            try:
                os.utime(path)  # used: kept longest
            except OSError:
                return None  # no longer in the folder: loaded again, and kept there
            return found
        found = self._read(path, key, display)
        if found is not None:
            _READ.keep(key, found)
        return found

    def _read(self, path: Path, key: str, display: str
              ) -> tuple[list[Finding], YamlDocument | None, list[Finding]] | None:
        payload = read_entry(path, key)
        try:
            if not isinstance(payload, dict) or set(payload) != {"loaded", "document", "schema"}:
                raise ValueError("not an entry")
            document = None if payload["document"] is None else _document(payload["document"], display)
            found = ([decode(f) for f in _list(payload["loaded"])], document,
                     [decode(f) for f in _list(payload["schema"])])
        except (ValueError, TypeError, KeyError):
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # used: kept longest
        return found

    def put(self, key: str, loaded: list[Finding], document: dict[str, Any] | None, schema: list[Finding],
            files: int) -> None:
        """Keep an entry; `document` is `encoded(...)` of the document as loaded. The entries of
        `files` files are kept several times over, so switching a branch and back finds them."""
        write_entry(entry_path(self.folder, KIND, key), key, {
            "loaded": [encode(f) for f in loaded], "document": document, "schema": [encode(f) for f in schema]})
        self._written += 1
        if self._written == 1:
            prune(self.folder, KIND, max(KEPT, 4 * files))


def encoded(document: YamlDocument) -> dict[str, Any] | None:
    """The document as JSON, or None when JSON cannot hold it exactly (a key that is not text)."""
    try:
        data = json.loads(json.dumps(document.data, allow_nan=False))
    except (TypeError, ValueError):
        return None
    if data != document.data:
        return None
    return {"file": document.file, "data": data, "positions": _places(document.positions),
            "key_positions": _places(document.key_positions), "flagged": [list(p) for p in document.flagged],
            "schema_ref": document.schema_ref, "schema_ref_line": document.schema_ref_line}


def _places(positions: dict[DataPath, tuple[int, int]]) -> list[list[Any]]:
    return [[list(path), line, column] for path, (line, column) in positions.items()]


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("not a list")
    return value


def _path(value: Any) -> DataPath:
    if not isinstance(value, list) or {type(p) for p in value} - {str, int}:
        raise ValueError("not a path")
    return tuple(value)


def _positions(value: Any) -> dict[DataPath, tuple[int, int]]:
    """Places by path, from `[[path, line, column], ...]`. Checked a kind of value at a time,
    not entry by entry: a warm check reads a place for every value of every file."""
    items = _list(value)
    if {type(item) for item in items} - {list} or {len(item) for item in items} - {3}:
        raise ValueError("not a position")
    if ({type(item[1]) for item in items} | {type(item[2]) for item in items}) - {int}:
        raise ValueError("not a position")
    if {type(item[0]) for item in items} - {list} or {type(p) for item in items for p in item[0]} - {str, int}:
        raise ValueError("not a path")
    return {tuple(item[0]): (item[1], item[2]) for item in items}


def _document(value: Any, display: str) -> YamlDocument:
    if not isinstance(value, dict) or set(value) != {"file", "data", "positions", "key_positions", "flagged",
                                                     "schema_ref", "schema_ref_line"}:
        raise ValueError("not a document")
    if value["file"] != display or type(value["schema_ref_line"]) is not int or not (
            value["schema_ref"] is None or isinstance(value["schema_ref"], str)):
        raise ValueError("not this document")
    return YamlDocument(display, value["data"], _positions(value["positions"]), _positions(value["key_positions"]),
                        {_path(p) for p in _list(value["flagged"])}, value["schema_ref"], value["schema_ref_line"])

