"""The editor experience the README promises, in the language server editors run for YAML
(yaml-language-server, as VS Code's YAML extension and others do): no diagnostics on the
sample, a diagnostic at the right line for a mistake, completion of field names, hover
descriptions from the schemas, and the schemas' conditional rules said as instructions.

Each edited text is opened at its own (unsaved) address beside the file it edits, so the
schema its first line names is found as the editor finds it."""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT
from .lsp import LanguageServer
from .test_standard_tools import catalogued

SERVER = ROOT / ".venv" / "test-tools" / "node_modules" / ".bin" / "yaml-language-server"
SETTINGS = {"yaml": {"validate": True, "hover": True, "completion": True, "schemaStore": {"enable": False},
                     "format": {"enable": False}}}
_UNSAVED = itertools.count(1)


@pytest.fixture(scope="module")
def editor() -> Iterator[LanguageServer]:
    if not SERVER.exists():
        message = "yaml-language-server is not installed (run `bash tests/setup-tools.sh`, or `make test`)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    server = LanguageServer([str(SERVER), "--stdio"], ROOT, SETTINGS)
    yield server
    server.stop()


def edited(editor: LanguageServer, path: str, find: str, replace: str) -> tuple[str, str]:
    """Open `path` with one edit, as an unsaved file beside it; its URI and text."""
    original = (ROOT / path).read_text(encoding="utf-8")
    assert find in original, find
    text = original.replace(find, replace, 1)
    target = ROOT / path
    return editor.open(target.with_name(f"{target.stem}.unsaved-{next(_UNSAVED)}{target.suffix}"), text), text


def said(diagnostics: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """(line counted from 1, message) of each diagnostic."""
    return [(d["range"]["start"]["line"] + 1, d["message"]) for d in diagnostics]


def line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


def sample_files() -> list[Path]:
    files = [p for paths in catalogued(ROOT / "program_data").values() for p in paths]
    files += sorted((ROOT / "checks").rglob("*.yaml"))
    return [p for p in files if p.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")]


def test_every_sample_file_names_its_schema_for_the_editor():
    catalogued_files = [p for paths in catalogued(ROOT / "program_data").values() for p in paths]
    assert set(catalogued_files) <= set(sample_files()) and len(sample_files()) >= 27


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_editor_finds_nothing_wrong_in_the_sample(editor, path):
    assert said(editor.diagnostics(editor.open(path))) == []


def test_an_unknown_field_is_underlined_where_it_is(editor):
    uri, text = edited(editor, "program_data/tiers.yaml", "    name: Gold\n", "    name: Gold\n    nmae: Gold\n")
    assert (line_of(text, "    nmae:"), "Property nmae is not allowed.") in said(editor.diagnostics(uri))


def test_a_value_of_the_wrong_type_is_underlined_where_it_is(editor):
    uri, text = edited(editor, "program_data/tiers.yaml", "      capability_points: 80\n",
                       "      capability_points: eighty\n")
    assert said(editor.diagnostics(uri)) == [(line_of(text, "capability_points: eighty"),
                                              'Incorrect type. Expected "integer".')]


@pytest.mark.parametrize("path, find, replace, at, message", [
    # A window's months apply to a rolling window only, and a rolling window needs them.
    ("program_data/tiers.yaml", "  window: {type: rolling, months: 12}", "  window: {type: fiscal-year, months: 12}",
     "  window: {type: fiscal-year", "Property months is not allowed."),
    ("program_data/kpis.yaml", "    window: {type: fiscal-year}\n", "    window: {type: rolling}\n",
     "    window: {type: rolling}", 'Missing property "months".'),
    # A KPI has a stage, unless it belongs to a practice family; a score KPI has a scale.
    ("program_data/kpis.yaml", "    stage: land\n", "    stage: land\n    family: financial\n",
     "    stage: land\n    family", "Property stage is not allowed."),
    ("program_data/kpis.yaml", "    scale: {min: 1, max: 5}\n", "", "  - id: csat-at-renewal",
     'Missing property "scale".'),
    # A points incentive names its capability category; others do not.
    ("program_data/incentives.yaml", "      method: fixed-amount\n", "      method: points\n",
     "    payout:\n      method: points", 'Missing property "category".'),
    # A rule compares one way: a second comparison is refused where it is written.
    ("checks/rules/policies.yaml", "    exists: staffing[role=customer-success-manager]\n",
     "    exists: staffing[role=customer-success-manager]\n    at_least: 1\n", "    at_least: 1",
     "Property at_least is not allowed."),
])
def test_conditional_rules_read_as_instructions(editor, path, find, replace, at, message):
    uri, text = edited(editor, path, find, replace)
    found = said(editor.diagnostics(uri))
    assert (line_of(text, at), message) in found, found
    for _, words in found:
        assert "Matches a schema that is not allowed" not in words and "Matches multiple schemas" not in words


def test_field_names_are_completed_from_the_schema(editor):
    """A new tier: the editor offers the fields a tier has."""
    uri, text = edited(editor, "program_data/tiers.yaml", "tiers:\n", "tiers:\n  - id: diamond\n    \n")
    line = line_of(text, "  - id: diamond\n")  # the empty line under it, counted from 0
    offered = editor.completion(uri, line, 4)
    assert {"name", "rank", "summary", "engagement_models", "requirements", "benefits"} <= set(offered), offered
    assert "id" not in offered  # already written


def test_hovering_a_field_shows_its_description_from_the_schema(editor):
    uri = editor.open(ROOT / "program_data/tiers.yaml")
    text = (ROOT / "program_data/tiers.yaml").read_text(encoding="utf-8")
    shown = editor.hover(uri, line_of(text, "      capability_points: 70") - 1, 10)
    schema = json.loads((ROOT / "schemas/tiers.schema.json").read_text(encoding="utf-8"))
    field = schema["properties"]["tiers"]["items"]["properties"]["requirements"]["properties"]["capability_points"]
    assert shown.startswith(f"#### {field['title']}\n\n{field['description']}"), shown


def test_a_key_written_twice_is_underlined_as_portal_check_reports_it(editor):
    uri, text = edited(editor, "program_data/tiers.yaml", "    rank: 2\n", "    rank: 2\n    rank: 3\n")
    assert (line_of(text, "    rank: 3"), "Map keys must be unique") in said(editor.diagnostics(uri))
