"""One registry of finding codes (core/codes.py): every code the program emits is in it,
every code in it is emitted, and the README, the data dictionary, `portal codes` and the
suite schema are made from it or agree with it."""

from __future__ import annotations

import ast
import json
import re

import pytest

from partner_portal.core.codes import CODES, RULES, SUITE_CODES, TABLES, markdown_table, rule_codes
from partner_portal.core.findings import Finding, Layer, Location, UnregisteredCode
from partner_portal.site.dictionary import consistency_rules

from .conftest import ROOT

SOURCE = {path: path.read_text(encoding="utf-8") for path in (ROOT / "src" / "partner_portal").rglob("*.py")
          if path.name != "codes.py"}
CONSTANTS = dict(re.findall(r'^([A-Z_]+) = _code\("([a-z-]+)"', (ROOT / "src/partner_portal/core/codes.py").read_text(
    encoding="utf-8"), re.MULTILINE))


def emitted() -> set[str]:
    """The registered codes the package's code names: as a string, or by its constant."""
    found: set[str] = set()
    for text in SOURCE.values():
        strings = {node.value for node in ast.walk(ast.parse(text)) if isinstance(node, ast.Constant)
                   and isinstance(node.value, str)}
        found.update(strings & set(CODES))
        found.update(code for name, code in CONSTANTS.items() if re.search(rf"\b{name}\b", text))
    return found


def test_every_code_a_finding_is_made_with_is_registered():
    literal = set()
    for text in SOURCE.values():
        literal.update(re.findall(r'Finding\(\s*"([a-z-]+)"', text))
        literal.update(re.findall(r'(?:fail|flag|finding|make)\(\s*"([a-z]+(?:-[a-z]+)+)"', text))
    assert literal, "the scan found no finding codes"
    assert sorted(literal - set(CODES)) == []


def test_every_registered_code_is_emitted_somewhere():
    assert sorted(set(CODES) - emitted()) == []


def test_a_finding_with_an_unregistered_code_or_layer_is_refused():
    with pytest.raises(UnregisteredCode):
        Finding("no-such-code", "x", Location("f"))
    with pytest.raises(UnregisteredCode):
        Finding("tier-order", "x", Location("f"), Layer.SYNTAX)
    finding = Finding("csv-blank-row", "x", Location("f"))
    assert (finding.layer.value, finding.severity.value) == ("syntax", "warning")  # the registry's own


def test_the_readme_code_table_is_the_registry():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- codes -->\n", 1)[1].split("<!-- /codes -->", 1)[0]
    assert table == markdown_table(), "regenerate it with: portal codes --format markdown"


def test_portal_codes_prints_the_registry(portal):
    run = portal("codes", "--format", "markdown")
    assert (run.code, run.out) == (0, markdown_table())
    text = portal("codes")
    assert all(code in text.out for code in CODES)


def test_the_data_dictionary_lists_every_rule_with_its_explanation():
    rows = consistency_rules().rows
    assert [r["code"] for r in rows] == [c.code for c in rule_codes()]
    assert all(len(r["description"]) > 60 for r in rows)
    assert {c.layer for c in rule_codes()} == {RULES}


def test_a_suite_can_only_name_a_tables_code():
    schema = json.loads((ROOT / "schemas/check-suite.schema.json").read_text(encoding="utf-8"))
    allowed = schema["properties"]["expectations"]["items"]["properties"]["code"]["enum"]
    assert allowed == list(SUITE_CODES)
    assert all(TABLES in CODES[code].layers for code in SUITE_CODES)
