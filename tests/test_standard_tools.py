"""The schemas as the validators program teams already run read them: ajv (the most used
JSON Schema validator, strict mode, Draft 2020-12, with formats) compiles every schema, and
check-jsonschema finds every schema valid against its metaschema and every sample file
valid against its schema. Each check is also shown to fail when its tool disagrees."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

TOOLS = ROOT / ".venv" / "test-tools" / "node_modules" / ".bin"
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


def needed(tool: Path) -> Path:
    if not tool.exists():
        message = f"{tool.name} is not installed (run `bash tests/setup-tools.sh`, or `make test`)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return tool


def schema_files(schemas: Path) -> list[Path]:
    return sorted(p for p in schemas.rglob("*.schema.json"))


def ajv_compile(schemas: Path) -> subprocess.CompletedProcess[str]:
    """`ajv compile --spec=draft2020 --strict=true` with formats, as the README says: the
    top-level schemas with `-r common.schema.json`, then the table schemas (which share file
    names with some top-level ones, so ajv takes them apart)."""
    ajv = needed(TOOLS / "ajv")
    base = [str(ajv), "compile", "--spec=draft2020", "--strict=true", "-c", "ajv-formats"]
    top = [p.name for p in sorted(schemas.glob("*.schema.json")) if p.name != "common.schema.json"]
    tables = [p.relative_to(schemas).as_posix() for p in sorted(schemas.glob("tables/*.schema.json"))]
    outputs = []
    for args in (["-s", "common.schema.json"], ["-r", "common.schema.json", *[a for s in top for a in ("-s", s)]],
                 [a for s in tables for a in ("-s", s)]):
        done = subprocess.run(base + args, cwd=schemas, capture_output=True, text=True)
        outputs.append(done)
        if done.returncode != 0:
            return done
    return subprocess.CompletedProcess(base, 0, "".join(o.stdout for o in outputs), "".join(o.stderr for o in outputs))


def test_every_schema_has_an_id_that_names_its_own_file():
    for path in schema_files(ROOT / "schemas"):
        assert json.loads(path.read_text(encoding="utf-8"))["$id"] == path.name, path


def test_ajv_compiles_every_schema_in_strict_mode():
    done = ajv_compile(ROOT / "schemas")
    assert done.returncode == 0, done.stdout + done.stderr
    compiled = (done.stdout + done.stderr).count(" is valid")
    assert compiled == len(schema_files(ROOT / "schemas")), done.stdout + done.stderr


@pytest.mark.parametrize("damage, said", [
    # what strict mode refuses, each once in the project's history
    (lambda s: s["properties"]["tiers"]["items"]["properties"]["engagement_models"].pop("type"),
     'missing type "array" for keyword "minItems"'),
    (lambda s: s["properties"]["tiers"].update({"type": ["array", "string"]}), "union type"),
    (lambda s: s["properties"]["tiers"].update({"maxItem": 3}), 'unknown keyword: "maxItem"'),
])
def test_ajv_strict_mode_fails_when_a_schema_breaks_its_rules(tmp_path, damage, said):
    schemas = shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    path = schemas / "tiers.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    damage(schema)
    path.write_text(json.dumps(schema), encoding="utf-8")
    done = ajv_compile(schemas)
    assert done.returncode != 0 and said in done.stdout + done.stderr


def check_jsonschema(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(needed(CHECK_JSONSCHEMA)), *args], cwd=cwd, capture_output=True, text=True)


def test_check_jsonschema_finds_every_schema_valid_against_its_metaschema():
    files = [str(p) for p in schema_files(ROOT / "schemas")]
    done = check_jsonschema("--check-metaschema", *files, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_check_jsonschema_refuses_a_schema_that_is_not_one(tmp_path):
    broken = tmp_path / "broken.schema.json"
    broken.write_text(json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "strng"}))
    done = check_jsonschema("--check-metaschema", str(broken), cwd=tmp_path)
    assert done.returncode != 0 and "strng" in done.stdout + done.stderr


def catalogued(program_data: Path) -> dict[str, list[Path]]:
    """The sample's YAML files by the schema the catalog gives them."""
    catalog = json.loads((ROOT / "schemas" / "catalog.json").read_text(encoding="utf-8"))
    found: dict[str, list[Path]] = {}
    for entry in catalog["files"]:
        for path in sorted(program_data.glob(entry["pattern"])):
            if path.suffix in (".yaml", ".yml"):
                found.setdefault(entry["schema"], []).append(path)
    return found


def test_check_jsonschema_finds_every_sample_file_valid_against_its_schema():
    """Run as the README says: from schemas/, where each schema's `$id` (its file name) is."""
    files = catalogued(ROOT / "program_data")
    assert sum(len(f) for f in files.values()) >= 18
    for schema, paths in files.items():
        done = check_jsonschema("--schemafile", schema, *map(str, paths), cwd=ROOT / "schemas")
        assert done.returncode == 0, f"{schema}: {done.stdout}{done.stderr}"


def test_check_jsonschema_reports_a_damaged_sample_file(tmp_path):
    tiers = tmp_path / "tiers.yaml"
    tiers.write_text((ROOT / "program_data/tiers.yaml").read_text(encoding="utf-8").replace(
        "  window: {type: rolling, months: 12}", "  window: {type: fiscal-year, months: 12}", 1), encoding="utf-8")
    assert "fiscal-year, months: 12" in tiers.read_text(encoding="utf-8")
    done = check_jsonschema("--schemafile", "tiers.schema.json", str(tiers), cwd=ROOT / "schemas")
    assert done.returncode != 0 and "$.capability_score.window" in done.stdout + done.stderr
