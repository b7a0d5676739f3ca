"""The data dictionary: every field of every schema, and the consistency rules, as tables
for program teams."""

from __future__ import annotations

from typing import Any

from ..core.codes import rule_codes
from ..model.program import Program
from .tables import DASH, YES, Column, DataTable


def dictionary_fields(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Flatten a schema into rows: field path, type, required, description."""
    rows: list[dict[str, Any]] = []

    def visit(node: dict[str, Any], prefix: str, required: bool) -> None:
        node = _merged(node)
        kind = node.get("type") or ("one of: " + ", ".join(map(str, node["enum"])) if "enum" in node else "")
        if prefix:
            rows.append({"field": prefix, "type": _type_words(node, kind), "required": YES if required else DASH,
                         "description": node.get("description", "")})
        if node.get("type") == "object":
            needed = set(node.get("required", []))
            for name, sub in node.get("properties", {}).items():
                visit(sub, f"{prefix}.{name}" if prefix else name, name in needed)
        elif node.get("type") == "array" and isinstance(node.get("items"), dict):
            items = _merged(node["items"])
            if items.get("type") == "object":
                needed = set(items.get("required", []))
                for name, sub in items.get("properties", {}).items():
                    visit(sub, f"{prefix}[].{name}", name in needed)

    visit(schema, "", True)
    return rows


def _merged(node: dict[str, Any]) -> dict[str, Any]:
    """A node whose reference was written out beside keywords of its own (`allOf: [target]`,
    see `check.schema`) read as one: its own keywords win."""
    if isinstance(node.get("allOf"), list) and len(node["allOf"]) == 1 and isinstance(node["allOf"][0], dict):
        return {**node["allOf"][0], **{k: v for k, v in node.items() if k != "allOf"}}
    return node


def _type_words(node: dict[str, Any], kind: Any) -> str:
    words = {"string": "text", "integer": "whole number", "number": "number", "boolean": "true/false",
             "object": "mapping", "array": "list"}
    if "enum" in node:
        return "one of: " + ", ".join(map(str, node["enum"]))
    text = words.get(kind, str(kind)) if isinstance(kind, str) else " or ".join(words.get(k, k) for k in kind)
    limits = []
    for key, word in (("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤")):
        if key in node:
            limits.append(f"{word} {node[key]}")
    if node.get("format") == "date":
        text = "date (YYYY-MM-DD)"
    return text + (f" ({', '.join(limits)})" if limits else "")


def consistency_rules() -> DataTable:
    """The consistency rules, from the registry of finding codes."""
    rows = [{"family": r.family, "code": r.code, "rule": r.title, "description": r.explanation} for r in rule_codes()]
    return DataTable("consistency-rules", "Consistency rules",
                     (Column("family", "Family"), Column("code", "Code"), Column("rule", "Rule"),
                      Column("description", "What it checks", shown="prose")), tuple(rows))


def dictionary_tables(program: Program) -> list[DataTable]:
    tables = []
    for name, schema in program.schemas.items():
        if name == "common.schema.json":
            continue
        stem = name.removesuffix(".schema.json").replace("/", "-").replace("_", "-")
        rows = dictionary_fields(schema)
        tables.append(DataTable(
            f"dictionary-{stem}", schema.get("title", name),
            (Column("field", "Field", shown="path"), Column("type", "Type"), Column("required", "Required"),
             Column("description", "Description", shown="prose")), tuple(rows), schema.get("description", "")))
    return tables
