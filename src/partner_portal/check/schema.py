"""JSON Schemas: loading them, and validating documents against them.

Schemas live in the project's `schemas/` folder and refer to each other by relative
paths (`common.schema.json#/$defs/id`), which is also how editors resolve them. Each
schema is loaded with every `$ref` written out in place, so validating never looks a
reference up (two to four times faster on large files) and an error's schema node
carries the title and description a message needs. A schema that refers to itself
cannot be written out; program data has no recursive structure, so it is refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable

from ..core.findings import DataPath, Finding, Location
from ..core.lazy import lazy
from ..core.memo import SWITCH, Memo
from ..load.yaml_file import YamlDocument
from .schema_messages import describe

pickle = lazy("pickle")  # only where answers are kept (keep_answers)

SCHEMA_SUFFIX = ".schema.json"
# Where each schema is taken to be, for resolving the relative `$ref`s between them: its
# place in the project (`schemas/tiers.schema.json`) under one address, the same wherever
# the project is, so the same schemas are checked and written out once, by a long-lived
# process or (through the cache) by a clone in another folder. A reference resolves as an
# editor resolves it from the files, except one to a file outside the schemas folder, which
# names no schema here. `.invalid` names no host; nothing is fetched.
PROJECT_BASE = "https://project.invalid/"
_ANNOTATIONS = ("title", "description", "default", "examples", "$comment")
_MAX_DEPTH = 32


class _Recursive(Exception):
    """A schema refers to itself."""


class _Unresolved(Exception):
    """A `$ref` names nothing: no schema, or nothing in the schema it names."""

    def __init__(self, ref: str) -> None:
        super().__init__(ref)
        self.ref = ref  # as the schema writes it


@dataclass
class SchemaStore:
    """Every schema under a folder, keyed by its path relative to that folder, with its
    references written out in place."""

    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    _validators: dict[str, Draft202012Validator] = field(default_factory=dict)
    # What validating (and typing tables) found, by file and text: valid while these schemas are.
    memo: Memo = field(default_factory=Memo)

    @classmethod
    def load(cls, root: Path, display_root: Path, cache: Path | None = None) -> SchemaStore:
        """Every schema under `root`. A long-lived process (the live preview, the tests)
        loads the same schemas once: checking them against the metaschema and writing
        their references out is most of the check's time on a small program. With `cache`
        (a folder), a new process reads back what an earlier one made of the same schemas."""
        texts: list[tuple[str, str, str | OSError]] = []
        for path in sorted(root.rglob(f"*{SCHEMA_SUFFIX}")):
            name = path.relative_to(root).as_posix()
            display = path.relative_to(display_root).as_posix() if path.is_relative_to(display_root) else str(path)
            try:
                texts.append((name, display, PROJECT_BASE + quote(display) + "\n" + path.read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError) as exc:
                texts.append((name, display, exc))
        key = tuple((name, display, str(text)) for name, display, text in texts)
        if key not in _LOADED:
            _LOADED.clear()  # one set of schemas at a time: the project's current ones
            _LOADED[key] = cls._cached(texts, cache)
        elif cache is not None:  # loaded in this process: keep it for the next
            _LOADED[key]._remember(texts, cache)
        return _LOADED[key]

    def _remember(self, texts: list[tuple[str, str, str | OSError]], cache: Path) -> None:
        from .cache import entry_path, prune, schemas_key, write_entry

        if not self.findings and all(isinstance(t, str) for _, _, t in texts):  # only schemas that passed
            key = schemas_key(texts)  # type: ignore[arg-type]
            if not entry_path(cache, "schemas", key).is_file():
                write_entry(entry_path(cache, "schemas", key), key, self.schemas)
                prune(cache, "schemas")

    @classmethod
    def _cached(cls, texts: list[tuple[str, str, str | OSError]], cache: Path | None) -> SchemaStore:
        readable = [(n, d, t) for n, d, t in texts if isinstance(t, str)]
        if cache is None or len(readable) != len(texts):
            return cls._from_texts(texts)
        from .cache import entry_path, read_entry, schemas_key

        key = schemas_key(readable)  # type: ignore[arg-type]
        schemas = read_entry(entry_path(cache, "schemas", key), key)
        if isinstance(schemas, dict) and set(schemas) == {name for name, _, _ in texts}:
            return cls(schemas=schemas)
        store = cls._from_texts(texts)
        store._remember(texts, cache)
        return store

    @classmethod
    def _from_texts(cls, texts: list[tuple[str, str, str | OSError]]) -> SchemaStore:
        store = cls()
        written: dict[str, tuple[str, dict[str, Any]]] = {}
        contents: dict[str, str] = {}
        for name, display, text in texts:
            try:
                if isinstance(text, Exception):
                    raise text
                uri, _, content = text.partition("\n")
                schema = json.loads(content)
                Draft202012Validator.check_schema(schema)
            except OSError as exc:
                store.findings.append(_schema_problem(display, f"the schema cannot be read: {exc.strerror}"))
                continue
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                line, col = (exc.lineno, exc.colno) if isinstance(exc, json.JSONDecodeError) else (1, 1)
                store.findings.append(_schema_problem(display, f"the schema is not valid JSON: {exc}", line, col))
                continue
            except SchemaError as exc:
                store.findings.append(_schema_problem(display, f"the schema is not a valid JSON Schema: {exc.message}"))
                continue
            written[name] = (display, dict(schema, **{"$id": uri}))
            contents[name] = content
        registry = Registry().with_resources((schema["$id"], Resource.from_contents(schema))
                                             for _, schema in written.values())
        for name, (display, schema) in written.items():
            try:
                store.schemas[name] = _inline(registry, schema, schema["$id"], 0)
            except _Unresolved as exc:
                store.findings.append(_schema_problem(display, f"a $ref in the schema cannot be resolved: {exc.ref}",
                                                      *_place(contents[name], json.dumps(exc.ref))))
            except _Recursive:
                store.findings.append(_schema_problem(
                    display, "the schema refers to itself; program data schemas describe data without recursion"))
        return store

    def validator(self, name: str) -> Draft202012Validator | None:
        if name not in self.schemas:
            return None
        if name not in self._validators:
            self._validators[name] = Draft202012Validator(self.schemas[name], format_checker=FormatChecker())
        return self._validators[name]

    def validate(self, doc: YamlDocument, name: str) -> list[Finding]:
        """Every way `doc` breaks the schema `name`, as located findings. What a document
        (its values, their places and what is flagged) was found to break is kept."""
        if not SWITCH.on:
            return self._validate(doc, name)
        key = ("validate", name, pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))
        return self.memo.get(key, lambda: self._validate(doc, name))

    def _validate(self, doc: YamlDocument, name: str) -> list[Finding]:
        validator = self.validator(name)
        if validator is None or validator.is_valid(doc.data):
            return []
        findings: list[Finding] = []
        seen: set[tuple[str, DataPath]] = set()
        for error in validator.iter_errors(doc.data):
            for finding in describe(error, doc, validator.schema):
                # One finding per problem and place: a value already flagged by the loader,
                # or reported by another branch of the schema, is not reported again.
                if finding.path not in doc.flagged and (finding.code, finding.path) not in seen:
                    seen.add((finding.code, finding.path))
                    findings.append(finding)
        return findings


_LOADED: dict[tuple[tuple[str, str, str], ...], SchemaStore] = {}


def _inline(registry: Registry, node: Any, base: str, depth: int) -> Any:
    """`node` with every `$ref` replaced by what it names (sibling keywords win, or are
    kept beside it in an `allOf` where they would change its meaning)."""
    if depth > _MAX_DEPTH:
        raise _Recursive
    if isinstance(node, list):
        return [_inline(registry, v, base, depth + 1) for v in node]
    if not isinstance(node, dict):
        return node
    if "$ref" not in node:
        return {k: _inline(registry, v, base, depth + 1) for k, v in node.items()}
    try:
        resolved = registry.resolver(base).lookup(node["$ref"])
    except Unresolvable as exc:
        raise _Unresolved(str(node["$ref"])) from exc
    target_base = str(node["$ref"]).partition("#")[0]
    target_base = base if not target_base else str(resolved.resolver._base_uri)  # noqa: SLF001
    inner = _inline(registry, resolved.contents, target_base, depth + 1)
    rest = {k: _inline(registry, v, base, depth + 1) for k, v in node.items() if k != "$ref"}
    if any(k in inner for k in rest if k not in _ANNOTATIONS) or not isinstance(inner, dict):
        return {"allOf": [inner], **rest}
    return {**inner, **rest}


def _place(content: str, needle: str) -> tuple[int, int]:
    """Line and column (1-based) of the first `needle` in a schema's text; (0, 0) where it is
    not there (a reference written out from another schema)."""
    at = content.find(needle)
    if at < 0:
        return 0, 0
    return content.count("\n", 0, at) + 1, at - (content.rfind("\n", 0, at) + 1) + 1


def _schema_problem(display: str, message: str, line: int = 0, column: int = 0) -> Finding:
    return Finding("schema-invalid", message, Location(display, line, column),
                   hint="Fix the schema file; data cannot be checked against it until then.")
