"""`portal check`'s cache of what each rule found, kept in `.portal-cache/` by everything
the rule read.

A rule reads the files it declares: documents as the rule sees them (with the portal's
text set aside but for the fields it reads, `portal_text.py`) and tables as written. Its
findings are kept under the hash of exactly those, the rule and this program's code and
schemas, so a rule whose inputs did not change is not run again; one that reads a table
then never needs the table read, and when no rule must run, their code is not imported
(what each declares is kept too). The entries sit in one file, written once per check and
read back defensively like the rest of the cache. Projects sharing a cache folder
(`PORTAL_CACHE_DIR`) share the file: each keeps the other's newest findings, and the
digests of its own files only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from ..core.findings import Finding
from ..load.yaml_file import YamlDocument
from .cache import decoded, digest, encode, entry_path, read_entry, write_entry

KIND = "rules"
PER_RULE = 4  # entries kept per rule and program rule: switching branches and back finds them


class RuleCache:
    """Rules' findings by the hash of their inputs. `schemas` is the schema files' digest
    (`cache.schema_files_digest`, which covers the code too); `files` are the keys of the
    YAML files in their cache (`document_cache.py`) by path from program_data/."""

    def __init__(self, folder: Path, schemas: str, program_rules: int, files: Mapping[str, str]) -> None:
        self.schemas = schemas
        self.files = files
        self.path = entry_path(folder, KIND, KIND)
        self.program_rules = program_rules
        payload = read_entry(self.path, KIND)
        payload = payload if isinstance(payload, dict) else {}
        entries, digests = payload.get("rules"), payload.get("documents")
        self._entries: dict[str, Any] = entries if isinstance(entries, dict) else {}
        self._digests: dict[str, Any] = digests if isinstance(digests, dict) else {}
        self._declared: Any = payload.get("declared")
        self._declare: list[list[Any]] | None = None
        self._used: dict[str, list[dict]] = {}
        self._digested: dict[str, str | None] = {}
        self.changed = False

    def key(self, rule: str, inputs: Iterable[tuple[str, str | None]]) -> str | None:
        """The key of a rule (its code or id) over `inputs`, each a file (as the rule names it)
        with its digest; None when an input cannot be hashed (the rule then just runs)."""
        digest = hashlib.sha256(f"{self.schemas}\0{rule}".encode())
        for name, value in sorted(inputs):
            if value is None:
                return None
            digest.update(f"\0{name}\0{value}".encode())
        return digest.hexdigest()

    def document(self, rel: str, document: Callable[[], YamlDocument], text: tuple[str, ...]) -> str | None:
        """The digest of a document as a rule sees it (with the fields of the portal's text
        named in `text`): its values, where each is, what is flagged. All of that follows
        from the file's text, its schema and the code, which its key in the YAML files'
        cache stands for, so the digest of an unchanged file is read back, and the file is
        neither set aside nor hashed."""
        known = self.files.get(rel)
        name = f"{known or rel}/{','.join(sorted(text))}"
        if name not in self._digested:
            if known and isinstance(self._digests.get(name), str):
                self._digested[name] = self._digests[name]
            else:
                self._digested[name] = document_digest(document())
                self.changed = self.changed or bool(known)
        return self._digested[name]

    def declared(self) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]] | None:
        """What each rule declared (its code, files and the text fields it reads) when this
        code last ran; None if this code has not run here, or the entry is not what it writes."""
        kept = self._declared
        if not (isinstance(kept, dict) and kept.get("code") == self.schemas and isinstance(kept.get("rules"), list)):
            return None
        rules = []
        for item in kept["rules"]:
            if not (isinstance(item, list) and len(item) == 3 and isinstance(item[0], str)
                    and all(isinstance(f, list) and all(isinstance(n, str) for n in f) for f in item[1:])):
                return None
            rules.append((item[0], tuple(item[1]), tuple(item[2])))
        return rules

    def declare(self, rules: Iterable[tuple[str, tuple[str, ...], tuple[str, ...]]]) -> None:
        """Keep what each rule declares (code, files, text fields), for the next check with this code."""
        declared = [[code, list(files), list(text)] for code, files, text in rules]
        if self._declared != {"code": self.schemas, "rules": declared}:
            self._declare = declared
            self.changed = True

    def answer(self, key: str | None, run: Callable[[], list[Finding]]) -> list[Finding]:
        """What a rule found for `key` before, or what `run` finds now, kept (an exception
        from `run` is raised as it is, and nothing is kept)."""
        found = self.get(key)
        if found is None:
            found = run()
            self.put(key, found)
        return found

    def get(self, key: str | None) -> list[Finding] | None:
        found = self._entries.get(key) if key is not None else None
        findings = decoded(found)
        if findings is None:
            return None  # no findings this program knows: the rule runs
        self._used[key] = found  # type: ignore[index]
        return findings

    def put(self, key: str | None, findings: list[Finding]) -> None:
        if key is not None:
            self._used[key] = [encode(f) for f in findings]
            self.changed = True

    def save(self) -> None:
        """Write the entries used now, then the others from the newest, up to the limit."""
        if not self.changed:
            return
        declared = self._declare if self._declare is not None else (self.declared() and self._declared["rules"])
        kept = PER_RULE * (len(declared or ()) + self.program_rules)
        entries = dict(self._used)
        for key, value in self._entries.items():  # the newest first
            if len(entries) >= kept:
                break
            entries.setdefault(key, value)
        known = set(self.files.values())
        digests = {name: value for name, value in self._digested.items() if name.partition("/")[0] in known}
        write_entry(self.path, KIND, {"rules": entries, "declared": {"code": self.schemas, "rules": declared or []},
                                      "documents": digests})


def document_digest(document: YamlDocument) -> str | None:
    """A document's hash; None if JSON cannot tell its values apart (a key that is not text)."""
    try:
        written = json.dumps([document.file, document.data, list(document.positions.items()),
                              list(document.key_positions.items()), sorted(document.flagged, key=repr),
                              document.schema_ref, document.schema_ref_line], ensure_ascii=False,
                             allow_nan=False) if _text_keys(document.data) else None
    except (TypeError, ValueError):
        written = None
    return digest(written) if written is not None else None


def _text_keys(value: Any) -> bool:
    """Whether every mapping key in `value` is text (JSON writes other keys as text too)."""
    if isinstance(value, dict):
        return all(type(k) is str and _text_keys(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_text_keys(v) for v in value)
    return True
