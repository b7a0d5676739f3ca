"""The schemas: every data file has one, every schema is documented and has fixtures
that pass and fail for the reasons they were written for."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from partner_portal.check.run import check_project
from partner_portal.check.schema import SchemaStore
from partner_portal.check.table_schema import check_table, table_schema_problems
from partner_portal.core.project import Project
from partner_portal.load.csv_file import load_csv
from partner_portal.load.yaml_file import load_yaml

from .conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "schemas"
STORE = SchemaStore.load(ROOT / "schemas", ROOT)
EXPECTATIONS = load_yaml((FIXTURES / "expectations.yaml").read_text(), "expectations.yaml").document.data
SCHEMA_NAMES = sorted(STORE.schemas)
DATA_SCHEMAS = [name for name in SCHEMA_NAMES if name != "common.schema.json"]


def fixture_schema(fixture: Path) -> str:
    """tests/fixtures/schemas/tiers/... -> tiers.schema.json; tables/x/... -> tables/x.schema.json"""
    parts = fixture.relative_to(FIXTURES).parts
    return f"tables/{parts[1]}.schema.json" if parts[0] == "tables" else f"{parts[0]}.schema.json"


def fixtures(kind: str) -> list[Path]:
    return sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.parent.name == kind)


def findings_for(fixture: Path) -> list[Any]:
    name = fixture_schema(fixture)
    display = fixture.relative_to(FIXTURES).as_posix()
    if fixture.suffix == ".csv":
        loaded = load_csv(fixture.read_text(encoding="utf-8"), display)
        assert loaded.table is not None, loaded.findings
        _, found = check_table(loaded.table, STORE.schemas[name])
        return loaded.findings + found
    loaded = load_yaml(fixture.read_text(encoding="utf-8"), display)
    assert loaded.document is not None, loaded.findings
    return loaded.findings + STORE.validate(loaded.document, name)


def test_schemas_are_valid_json_schema():
    assert STORE.findings == []
    assert "tiers.schema.json" in STORE.schemas


def test_sample_project_passes_with_no_findings():
    result = check_project(Project.open(ROOT))
    assert [f"{f.location}: {f.code} {f.message}" for f in result.findings] == []


def test_every_data_file_has_a_schema():
    project = Project.open(ROOT)
    catalog, problems = project.catalog()
    files, findings = project.data_files(catalog)
    assert problems == [] and findings == []
    assert files, "the sample has no data files"
    assert [f.display for f in files if f.schema is None] == []


def test_a_data_file_without_a_schema_fails_the_check(project):
    (project / "program_data" / "partners.yaml").write_text("a: 1\n")
    result = check_project(Project.open(project))
    assert [(f.code, f.location.file) for f in result.findings] == [("no-schema", "program_data/partners.yaml")]
    assert result.errors == 1


def test_every_catalog_entry_checks_at_least_one_sample_file():
    project = Project.open(ROOT)
    catalog, _ = project.catalog()
    files, _ = project.data_files(catalog)
    unused = [entry.pattern for entry in catalog if not any(entry.matches(f.rel) for f in files)]
    assert unused == []


def test_every_yaml_data_file_starts_with_its_schema_modeline():
    project = Project.open(ROOT)
    files, _ = project.data_files(project.catalog()[0])
    for data_file in files:
        if data_file.kind == "yaml":
            first = data_file.path.read_text(encoding="utf-8").splitlines()[0]
            assert first == f"# yaml-language-server: $schema={project.schema_ref_for(data_file)}", data_file.display


@pytest.mark.parametrize("name", DATA_SCHEMAS)
def test_every_schema_has_valid_and_invalid_fixtures(name):
    assert any(fixture_schema(f) == name for f in fixtures("valid")), f"no valid fixture for {name}"
    assert any(fixture_schema(f) == name for f in fixtures("invalid")), f"no invalid fixture for {name}"


@pytest.mark.parametrize("fixture", fixtures("valid"), ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_valid_fixture_passes(fixture):
    assert [f"{f.location}: {f.code} {f.message}" for f in findings_for(fixture)] == []


@pytest.mark.parametrize("fixture", fixtures("invalid"), ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_invalid_fixture_fails_for_the_reason_it_was_written_for(fixture):
    expected = EXPECTATIONS[fixture.relative_to(FIXTURES).as_posix()]
    found = findings_for(fixture)
    assert len(found) == 1, [f"{f.location}: {f.code} {f.message}" for f in found]
    [finding] = found
    assert finding.code == expected["code"]
    if "path" in expected:
        assert finding.data_path == expected["path"]
        assert finding.location.line >= 1 and finding.location.column >= 1
    else:
        assert finding.location.line == expected["row"]
        assert finding.location.field == expected.get("column")


def test_every_invalid_fixture_has_an_expectation_and_vice_versa():
    on_disk = {f.relative_to(FIXTURES).as_posix() for f in fixtures("invalid")}
    assert on_disk == set(EXPECTATIONS)


def walk_properties(schema: Any, where: str = ""):
    """Yield (location, property name, property schema) for every property in a schema."""
    if isinstance(schema, dict):
        for name, sub in schema.get("properties", {}).items():
            yield f"{where}.{name}", name, sub
        for key, value in schema.items():
            if key != "properties" or not isinstance(value, dict):
                yield from walk_properties(value, f"{where}/{key}")
            else:
                for name, sub in value.items():
                    yield from walk_properties(sub, f"{where}.{name}")
    elif isinstance(schema, list):
        for index, item in enumerate(schema):
            yield from walk_properties(item, f"{where}[{index}]")


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_property_has_a_title_and_a_description(name):
    raw = json.loads((ROOT / "schemas" / name).read_text())
    assert raw.get("title") and raw.get("description")
    # Properties inside if/then/else only refine a property documented elsewhere.
    conditional = ("/if", "/then", "/else")
    missing = [where for where, _, sub in walk_properties(raw)
               if isinstance(sub, dict) and not any(part in where for part in conditional)
               and not (sub.get("title") and sub.get("description"))]
    assert missing == []


def objects(schema: Any, where: str = ""):
    if isinstance(schema, dict):
        if "properties" in schema and schema.get("type") == "object":
            yield where, schema
        for key, value in schema.items():
            yield from objects(value, f"{where}/{key}")
    elif isinstance(schema, list):
        for index, item in enumerate(schema):
            yield from objects(item, f"{where}[{index}]")


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_object_refuses_unknown_fields(name):
    raw = json.loads((ROOT / "schemas" / name).read_text())
    open_objects = [where for where, obj in objects(raw) if obj.get("additionalProperties") is not False]
    assert open_objects == []


@pytest.mark.parametrize("name", [n for n in SCHEMA_NAMES if n.startswith("tables/")])
def test_table_schemas_only_use_keywords_the_table_checker_applies(name):
    assert table_schema_problems(STORE.schemas[name]) == []


def test_table_schema_with_an_unsupported_keyword_is_refused():
    schema = {"type": "object", "additionalProperties": False,
              "properties": {"a": {"type": "string", "title": "A", "description": "A.", "multipleOf": 2}}}
    assert table_schema_problems(schema) == ["column 'a': unsupported keyword 'multipleOf'"]


def test_a_field_a_branch_requires_is_reported_missing_in_words(tmp_path):
    """The KPI schema's branch `else: {required: [stage], properties: {stage: true}}`: a
    lifecycle KPI without its stage (found by the property tests, once a crash)."""
    text = (ROOT / "program_data/kpis.yaml").read_text(encoding="utf-8").replace("    stage: land\n", "", 1)
    document = load_yaml(text, "program_data/kpis.yaml").document
    found = [(f.code, f.message, f.hint) for f in STORE.validate(document, "kpis.schema.json")]
    assert found == [("missing-field", "the required field 'stage' is missing", "Add 'stage:'.")]


@pytest.mark.parametrize("ref", ["comon.schema.json#/$defs/text", "common.schema.json#/$defs/texx",
                                 "common.schema.json#nowhere", "../common.schema.json#/$defs/text"])
def test_a_reference_to_nothing_is_named_as_the_schema_writes_it(tmp_path, ref):
    """Wherever the project is, a `$ref` that names no schema, nothing in a schema, or a file
    outside the schemas folder is reported as written."""
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    path = tmp_path / "schemas" / "tiers.schema.json"
    text = path.read_text(encoding="utf-8").replace('"common.schema.json#/$defs/text"', json.dumps(ref), 1)
    path.write_text(text, encoding="utf-8")
    (tmp_path / "common.schema.json").write_text((ROOT / "schemas/common.schema.json").read_text(encoding="utf-8"))
    line = text[:text.index(json.dumps(ref))].count("\n") + 1
    store = SchemaStore.load(tmp_path / "schemas", tmp_path)
    assert [(f.location.file, f.location.line, f.message) for f in store.findings] == [
        ("schemas/tiers.schema.json", line, f"a $ref in the schema cannot be resolved: {ref}")]
    assert store.findings[0].location.column > 1


def test_a_reference_through_the_schemas_folder_resolves_as_an_editor_resolves_it(tmp_path):
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    path = tmp_path / "schemas" / "tiers.schema.json"
    text = path.read_text(encoding="utf-8").replace('"common.schema.json#', '"../schemas/common.schema.json#')
    path.write_text(text, encoding="utf-8")
    assert SchemaStore.load(tmp_path / "schemas", tmp_path).findings == []
