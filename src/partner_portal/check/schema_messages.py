"""Schema errors in words: each error jsonschema reports becomes a finding with a code,
the place, and a hint that names what to write (the field meant, the values allowed,
the number without its percent sign)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from typing import Any

from jsonschema.exceptions import ValidationError

from ..core.findings import DataPath, Finding, Fix
from ..load.edits import yaml_value
from ..load.yaml_file import YamlDocument

ID_PATTERN = "^[a-z][a-z0-9]*(-[a-z0-9]+)*$"


def describe(error: ValidationError, doc: YamlDocument, root: Any = None) -> Iterator[Finding]:
    """The findings one validation error stands for (`root`: the schema validated against)."""
    path: DataPath = tuple(error.absolute_path)
    kind = error.validator
    instance = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}

    def found(code: str, message: str, hint: str, at: DataPath = path, key: bool = False, fix: str | None = None
              ) -> Finding:
        where = doc.location(at, key=key)
        return Finding(code, message, where, path=at, hint=hint, fix=Fix(where, fix) if fix is not None else None)

    if kind == "required":
        properties = error.schema.get("properties", {})
        # `capabilty_points:` is one mistake: the unknown-field finding names the field
        # meant, so a required field that an unknown key was meant to be is not missing too.
        # (Only where the schema names every field the object may have: a branch of an
        # if/then names just the fields it requires.)
        unknown = ([k for k in instance if k not in properties]
                   if isinstance(instance, dict) and error.schema.get("additionalProperties") is False else [])
        misspelt = {_meant(k, list(properties)) for k in unknown}
        for name in error.validator_value:
            if isinstance(instance, dict) and name not in instance and name not in misspelt:
                about = describe_field(properties.get(name, {}))
                yield found("missing-field", f"the required field '{name}' is missing",
                            f"Add '{name}:'" + (f" ({about})" if about else "."), path + (name,))
        return
    if kind == "additionalProperties" and isinstance(instance, dict):
        allowed = list(error.schema.get("properties", {}))
        patterns = list(error.schema.get("patternProperties", {}))
        for name in instance:
            if name in allowed or any(re.search(p, name) for p in patterns):
                continue
            meant = _meant(name, allowed)
            hint = (f"Did you mean '{meant}'? " if meant else "") + (
                f"Fields allowed here: {', '.join(allowed)}." if allowed else "No fields are allowed here.")
            yield found("unknown-field", f"unknown field '{name}'", hint, path + (name,), key=True)
        return
    if error.schema is False and isinstance(_at(doc.data, path), dict):
        # `properties: {x: false}` in an if/then/else branch: the field x does not apply in this case.
        # (The library reports it on the object, without the field: the branch names it.)
        branch = _at(root, error.absolute_schema_path) if root is not None else None
        given = list(_at(doc.data, path))
        schema_path = list(error.absolute_schema_path)
        # `dependentSchemas: {a: {properties: {b: false}}}`: a and b exclude each other.
        beside = (schema_path[schema_path.index("dependentSchemas") + 1] if "dependentSchemas" in schema_path
                  else None)
        for name in given:
            if not (isinstance(branch, dict) and branch.get(name) is False):
                continue
            if beside is None:
                yield found("unknown-field", f"the field '{name}' does not apply here", "Remove it.", path + (name,),
                            key=True)
            elif given.index(beside) < given.index(name):  # said once, at the second of the two
                yield found("unknown-field", f"'{name}' cannot be given with '{beside}'",
                            f"Keep one of them: '{beside}' or '{name}'.", path + (name,), key=True)
        return
    if kind == "not" and isinstance(error.validator_value, dict) and set(error.validator_value) == {"required"}:
        # `not: {required: [x]}`: the field x does not apply in this case (see the schema's if/then).
        for name in error.validator_value["required"]:
            yield found("unknown-field", f"the field '{name}' does not apply here",
                        "Remove it" + (f" ({describe_field(schema)})" if describe_field(schema) else "") + ".",
                        path + (name,), key=True)
        return
    if kind in ("anyOf", "oneOf") and isinstance(instance, dict) and _one_field_each(error.validator_value):
        # `anyOf: [{required: [a]}, {required: [b]}]`: one of these fields is needed.
        options = [branch["required"][0] for branch in error.validator_value]
        yield found("missing-field", f"one of the fields {', '.join(options)} is needed",
                    f"Add one of them: {', '.join(options)}.")
        return
    if kind == "type":
        hint = _type_hint(error.validator_value, instance, schema) if path else (
            "At the top level this file holds fields, one 'name: value' per line (see the data dictionary), "
            "not a list or a single value.")
        yield found("wrong-type", f"expected {_expected(error.validator_value)}, found {_describe_value(instance)}",
                    hint, fix=_type_fix(error.validator_value, instance) if path else None)
        return
    if kind in ("enum", "const"):
        options = error.validator_value if kind == "enum" else [error.validator_value]
        shown = ", ".join(str(o) for o in options)
        close = difflib.get_close_matches(str(instance), [str(o) for o in options], n=1, cutoff=0.6)
        hint = (f"Did you mean '{close[0]}'? " if close else "") + f"Allowed values: {shown}."
        meant = next((o for o in options if str(o) == close[0]), None) if close else None
        yield found("invalid-value", f"{_describe_value(instance)} is not an allowed value", hint,
                    fix=yaml_value(meant) if meant is not None and not isinstance(instance, dict | list) else None)
        return
    if kind == "pattern":
        if error.validator_value == "\\S":
            yield found("missing-value", "the text is blank", "Write the text, or remove the field if it is "
                        "optional.")
        elif error.validator_value == ID_PATTERN:
            suggestion = _slug(str(instance))
            yield found("invalid-id", f"{_describe_value(instance)} is not a valid id",
                        "Ids use lowercase letters, digits and single hyphens"
                        + (f", for example '{suggestion}'." if suggestion else "."))
        else:
            yield found("invalid-value", f"{_describe_value(instance)} does not have the expected form",
                        describe_field(schema) or f"It must match {error.validator_value}.")
        return
    if kind == "format":
        yield found("invalid-value", f"{_describe_value(instance)} is not a valid {error.validator_value}",
                    "Write dates as YYYY-MM-DD, for example 2027-02-01." if error.validator_value == "date"
                    else describe_field(schema))
        return
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        words = {"minimum": "below the minimum of", "maximum": "above the maximum of",
                 "exclusiveMinimum": "not above", "exclusiveMaximum": "not below"}[kind]
        yield found("out-of-range", f"{_describe_value(instance)} is {words} {error.validator_value}",
                    describe_field(schema) or "Check the value and its unit.")
        return
    if kind in ("minItems", "maxItems"):
        count = len(instance) if isinstance(instance, list) else 0
        need = "at least" if kind == "minItems" else "at most"
        yield found("wrong-size", f"the list has {count} item{'s' * (count != 1)}; it needs {need} "
                    f"{error.validator_value}", describe_field(schema) or "Add or remove items.")
        return
    if kind == "uniqueItems" and isinstance(instance, list):
        seen: list[Any] = []
        for index, item in enumerate(instance):
            if item in seen:
                yield found("duplicate-item", f"{_describe_value(item)} is listed twice",
                            "Remove the repeated item.", path + (index,))
            seen.append(item)
        return
    if kind in ("minLength", "maxLength"):
        if kind == "minLength" and instance == "":
            yield found("missing-value", "the text is empty",
                        "Write the text, or remove the field if it is optional.")
        else:
            yield found("wrong-size", f"the text is {len(instance)} characters long; the limit is "
                        f"{error.validator_value}", "Shorten the text.")
        return
    yield found("schema-violation", error.message, describe_field(schema) or "See the schema for this field.")



def _one_field_each(branches: Any) -> bool:
    return isinstance(branches, list) and bool(branches) and all(
        isinstance(b, dict) and len(b.get("required", [])) == 1 for b in branches)


def _at(node: Any, path: Iterable[Any]) -> Any:
    """What `path` leads to in nested mappings and lists (None when it leads nowhere): a
    value in a document's data, or a subschema by its schema path."""
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _meant(name: str, allowed: list[str]) -> str | None:
    """The allowed field an unknown field name was probably meant to be."""
    close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def describe_field(schema: Any) -> str:
    """A field's title and description, for hints: 'Rank: Position in the ladder...'
    (nothing for a schema without them, such as `true` in an if/then branch)."""
    if not isinstance(schema, dict):
        return ""
    title, description = schema.get("title", ""), schema.get("description", "")
    return f"{title}: {description}" if title and description else title or description


_TYPE_WORDS = {"string": "text", "number": "a number", "integer": "a whole number", "boolean": "true or false",
               "object": "a mapping of fields", "array": "a list", "null": "nothing"}


def _expected(types: str | list[str]) -> str:
    types = [types] if isinstance(types, str) else types
    return " or ".join(_TYPE_WORDS.get(t, t) for t in types)


def _describe_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "an empty value"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"'{shown}'"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "a list"
    return "a mapping"


_PERCENT = re.compile(r"^\s*[-+]?\d+(?:\.\d+)?\s*%\s*$")
_NUMERIC = re.compile(r"^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)\s*$")


def _type_hint(expected: str | list[str], instance: Any, schema: dict[str, Any]) -> str:
    types = {expected} if isinstance(expected, str) else set(expected)
    if types & {"number", "integer"}:
        if isinstance(instance, str) and _PERCENT.match(instance):
            return f"Write the number without the percent sign: {instance.strip().rstrip('%').strip()}."
        if isinstance(instance, str) and _NUMERIC.match(instance):
            return f"Remove the quotes: {instance.strip()}."
        if isinstance(instance, float) and "integer" in types:
            return "Use a whole number, without decimals."
        about = describe_field(schema)
        return "Write a number" + (f" ({about})." if about else ".")
    if "string" in types:
        if instance is None:
            return "Write the text after the colon, or remove the field if it is optional."
        if isinstance(instance, (bool, int, float)):
            return f"Put the value in quotes to make it text: '{_describe_value(instance)}'."
    if "array" in types:
        return "Write a list: one '- item' per line, or [a, b] on one line."
    if "object" in types:
        return "Write fields as 'name: value' lines, indented under this key."
    return describe_field(schema) or "Check the value's type."


def _type_fix(expected: str | list[str], instance: Any) -> str | None:
    """The value to write for a number written as text ('80%', '"2"') or a yes/no or number
    where text belongs, when the hint names it."""
    types = {expected} if isinstance(expected, str) else set(expected)
    if types & {"number", "integer"} and isinstance(instance, str):
        if _PERCENT.match(instance):
            number = instance.strip().rstrip("%").strip()
        elif _NUMERIC.match(instance):
            number = instance.strip()
        else:
            return None
        return number if "number" in types or "." not in number else None
    if "string" in types and isinstance(instance, bool | int | float):
        return yaml_value(_describe_value(instance))
    return None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
