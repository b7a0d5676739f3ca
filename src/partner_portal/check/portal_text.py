"""The portal's text, set aside from what the rules see.

The schemas mark the text partners read on the portal (summaries, descriptions, notes)
with JSON Schema's standard annotation `contentMediaType: text/plain`: common.schema.json's
`text`, and `text_list`, whose items are text. Rules compare ids, numbers, dates and names,
so each rule sees the documents with that text set aside, but for the text fields it
declares it reads (`rule(..., text=("elements",))`; a program rule, those its paths name).
An edit to a summary therefore leaves the inputs of every other rule as they were, and
`portal check` reuses what those rules found (`answers.py`) without reading a single table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..core.findings import DataPath
from ..load.yaml_file import YamlDocument

TEXT = "text/plain"
_COMBINATORS = ("allOf", "anyOf", "oneOf", "then", "else")


class PortalText:
    """Sets the portal's text aside from documents. What each schema node says (its
    branches, whether text is beneath it, which nodes describe a member) is worked out once
    per check, however many items share it; the schemas outlive it, so nodes are known by id."""

    def __init__(self, keep: frozenset[str] = frozenset()) -> None:
        self.keep = keep  # the text fields not set aside
        self._alternatives: dict[tuple[int, ...], tuple[dict[str, Any], ...]] = {}
        self._members: dict[tuple[int, str], tuple[bool, tuple[dict[str, Any], ...]]] = {}
        self._items: dict[int, tuple[dict[str, Any], ...]] = {}
        self._beneath: dict[int, bool] = {}

    def __call__(self, document: YamlDocument, schema: dict[str, Any] | None) -> YamlDocument:
        """`document` without the values its schema marks as the portal's text (the same
        document when there are none). Values without text beneath them are shared, not copied."""
        if schema is None:
            return document
        removed: list[DataPath] = []
        data = self._without(document.data, self._nodes((schema,)), (), removed)
        if not removed:
            return document
        # Where each value is stays as it is, the text's places too: they are places, not text.
        return YamlDocument(document.file, data, document.positions, document.key_positions, document.flagged,
                            document.schema_ref, document.schema_ref_line)

    def _without(self, value: Any, nodes: tuple[dict[str, Any], ...], path: DataPath, removed: list[DataPath]
                 ) -> Any:
        if not nodes or not isinstance(value, dict | list):
            return value
        if isinstance(value, list):
            items = self._items.get(id(nodes))
            if items is None:
                items = self._items[id(nodes)] = self._nodes(tuple(n["items"] for n in nodes
                                                                   if isinstance(n.get("items"), dict)))
            return [self._without(v, items, (*path, i), removed) for i, v in enumerate(value)]
        out = {}
        for key, member in value.items():
            known = self._members.get((id(nodes), key))
            if known is None:
                described = tuple(_members(nodes, key))
                known = self._members[id(nodes), key] = (
                    key not in self.keep and any(is_text(n) for n in _alternatives(described)), self._nodes(described))
            if known[0]:
                removed.append((*path, key))
            else:
                out[key] = self._without(member, known[1], (*path, key), removed)
        return out

    def _nodes(self, nodes: tuple[Any, ...]) -> tuple[dict[str, Any], ...]:
        """The nodes and their branches that have text beneath them (one tuple per set of nodes)."""
        ids = tuple(map(id, nodes))
        if ids not in self._alternatives:
            self._alternatives[ids] = tuple(n for n in _alternatives(nodes) if self._has_text(n))
        return self._alternatives[ids]

    def _has_text(self, node: Any) -> bool:
        """Whether any value a node describes, at any depth, is the portal's text."""
        if id(node) not in self._beneath:
            found = is_text(node) if isinstance(node, dict) else False
            if not found and isinstance(node, dict | list):
                children = node.values() if isinstance(node, dict) else node
                found = any(self._has_text(child) for child in children if isinstance(child, dict | list))
            self._beneath[id(node)] = found
        return self._beneath[id(node)]


class WithoutText(Mapping[str, YamlDocument]):
    """`documents` with the portal's text set aside (each against its schema in `schemas`),
    but for the fields in `keep`; each is set aside when first looked up, so a check whose
    rules' answers are all kept sets none aside."""

    def __init__(self, documents: Mapping[str, YamlDocument], schemas: Mapping[str, dict[str, Any] | None],
                 keep: frozenset[str] = frozenset()) -> None:
        self._documents = documents
        self._schemas = schemas
        self._aside: dict[str, YamlDocument] = {}
        self._set_aside = PortalText(keep)

    def __getitem__(self, rel: str) -> YamlDocument:
        if rel not in self._aside:
            self._aside[rel] = self._set_aside(self._documents[rel], self._schemas.get(rel))
        return self._aside[rel]

    def __contains__(self, rel: object) -> bool:
        return rel in self._documents

    def __iter__(self) -> Iterator[str]:
        return iter(self._documents)

    def __len__(self) -> int:
        return len(self._documents)


class Views:
    """The documents as rules see them: for each set of text fields a rule reads, the
    documents with the rest of the portal's text set aside (`schemas`: each document's)."""

    def __init__(self, documents: Mapping[str, YamlDocument], schemas: Mapping[str, dict[str, Any] | None]) -> None:
        self._documents = documents
        self._schemas = schemas
        self._views: dict[frozenset[str], WithoutText] = {}

    def __call__(self, text: Iterable[str] = ()) -> WithoutText:
        keep = frozenset(text)
        if keep not in self._views:
            self._views[keep] = WithoutText(self._documents, self._schemas, keep)
        return self._views[keep]


def text_fields(schema: dict[str, Any] | None) -> set[str]:
    """The names of the fields a schema marks as the portal's text, at any depth."""
    found: set[str] = set()

    def visit(node: Any) -> None:
        if isinstance(node, list):
            for child in node:
                visit(child)
        elif isinstance(node, dict):
            for name, member in (node.get("properties") or {}).items():
                if any(is_text(n) for n in _alternatives([member])):
                    found.add(name)
            for child in node.values():
                visit(child)

    visit(schema)
    return found


def is_text(node: Any) -> bool:
    """Whether a (written-out) schema node describes the portal's text, or a list of it."""
    if not isinstance(node, dict):
        return False
    if node.get("contentMediaType") == TEXT:
        return True
    items = node.get("items")
    return isinstance(items, dict) and items.get("contentMediaType") == TEXT


def _alternatives(nodes: tuple[Any, ...] | list[Any]) -> Iterator[dict[str, Any]]:
    """Each node, and the branches of its allOf/anyOf/oneOf/if-then-else, as one list."""
    for node in nodes:
        if isinstance(node, dict):
            yield node
            for keyword in _COMBINATORS:
                branch = node.get(keyword)
                yield from _alternatives(branch if isinstance(branch, list) else [branch])


def _members(nodes: tuple[dict[str, Any], ...], key: str) -> Iterator[Any]:
    """The schema nodes that may describe the member `key` of a mapping."""
    for node in nodes:
        properties = node.get("properties")
        if isinstance(properties, dict) and key in properties:
            yield properties[key]
            continue
        patterns = node.get("patternProperties")
        matched = [sub for pattern, sub in patterns.items() if re.search(pattern, key)] if isinstance(
            patterns, dict) else []
        yield from matched
        if not matched and isinstance(node.get("additionalProperties"), dict):
            yield node["additionalProperties"]
