"""The cases whose findings tests/fixtures/expected-findings.json records: the sample,
every rule and schema fixture, and every data file damaged with every kind of bad input
(tests/damage.py). Record them again, after a deliberate change, with
`python -m tests.cases`."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from partner_portal.core.findings import Finding
from partner_portal.core.project import Project
from partner_portal.load.csv_file import load_csv
from partner_portal.load.yaml_file import load_yaml

from .conftest import ROOT, check_json
from .damage import damage_for

EXPECTED = ROOT / "tests" / "fixtures" / "expected-findings.json"
RULE_FIXTURES = ROOT / "tests" / "fixtures" / "rules"
SCHEMA_FIXTURES = ROOT / "tests" / "fixtures" / "schemas"


def record(finding: dict[str, Any]) -> dict[str, Any]:
    return {"code": finding["code"], "severity": finding["severity"], "layer": finding["layer"],
            "file": finding["file"], "line": finding["line"], "column": finding["column"], "field": finding["field"],
            "path": finding["path"], "related": [[r["file"], r["line"], r["column"]] for r in finding["related"]],
            **({"fix": finding["fix"]} if finding.get("fix") else {})}


def plain(finding: Finding) -> dict[str, Any]:
    return {"code": finding.code, "severity": str(finding.severity), "layer": str(finding.layer),
            "file": finding.location.file, "line": finding.location.line or None,
            "column": finding.location.column or None, "field": finding.location.field,
            "path": finding.data_path or None,
            "related": [[r.file, r.line or None, r.column or None] for r in finding.related]}


def checked(project: Path) -> dict[str, Any]:
    code, report = check_json(project)
    return {"exit": code, "findings": [record(f) for f in report["findings"]]}


def scratch(tmp: Path) -> Path:
    for name in ("program_data", "schemas", "content", "checks", "releases"):
        shutil.copytree(ROOT / name, tmp / name)
    return tmp


def rule_cases(tmp: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each rule fixture's edits made to one scratch copy of the sample, checked, and undone."""
    project = scratch(tmp / "rules")
    for fixture in sorted(RULE_FIXTURES.glob("*.yaml")):
        spec = load_yaml(fixture.read_text(encoding="utf-8"), fixture.name).document.data
        fails = spec["fail"] if isinstance(spec["fail"], list) else [spec["fail"]]
        sides = [("fail" if len(fails) == 1 else f"fail-{n}", case) for n, case in enumerate(fails)]
        for side, case in [*sides, ("pass", spec["pass"])]:
            originals: dict[Path, str] = {}
            for edit in case["edits"]:
                path = project / "program_data" / edit["file"]  # ../releases/... for release records
                text = path.read_text(encoding="utf-8")
                originals.setdefault(path, text)
                path.write_text(text.replace(edit["find"], edit["replace"]), encoding="utf-8")
            try:
                yield f"rules/{fixture.stem}/{side}", checked(project)
            finally:
                for path, text in originals.items():
                    path.write_text(text, encoding="utf-8")


def schema_cases() -> Iterator[tuple[str, dict[str, Any]]]:
    from partner_portal.check.schema import SchemaStore
    from partner_portal.check.table_schema import check_tables

    store = SchemaStore.load(ROOT / "schemas", ROOT)
    for fixture in sorted(p for p in SCHEMA_FIXTURES.rglob("*") if p.is_file() and p.parent.name in ("valid",
                                                                                                        "invalid")):
        parts = fixture.relative_to(SCHEMA_FIXTURES).parts
        name = f"tables/{parts[1]}.schema.json" if parts[0] == "tables" else f"{parts[0]}.schema.json"
        display = fixture.relative_to(SCHEMA_FIXTURES).as_posix()
        if fixture.suffix == ".csv":
            loaded = load_csv(fixture.read_text(encoding="utf-8"), display)
            _, found, _ = check_tables([loaded.table], store.schemas[name])
            found = loaded.findings + found
        else:
            loaded = load_yaml(fixture.read_text(encoding="utf-8"), display)
            found = loaded.findings + store.validate(loaded.document, name)
        yield f"schemas/{display}", {"findings": [plain(f) for f in found]}


def damage_cases(tmp: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    project = scratch(tmp / "damaged")
    for rel in damaged_files():
        original = (project / "program_data" / rel).read_bytes()
        for kind, damage in damage_for(rel).items():
            target = project / "program_data" / rel
            damaged = damage(original)
            if damaged is None:
                target.unlink()
            else:
                target.write_bytes(damaged)
            try:
                yield f"damage/{rel}/{kind}", checked(project)
            finally:
                target.write_bytes(original)


def data_files() -> list[str]:
    project = Project.open(ROOT)
    files, _ = project.data_files(project.catalog()[0])
    return [f.rel for f in files]


def damaged_files() -> list[str]:
    """The files the damage corpus damages, relative to program_data/: every data file and
    the program rules in checks/rules/."""
    rules = sorted(f"../checks/rules/{p.name}" for p in (ROOT / "checks" / "rules").glob("*.yaml"))
    return data_files() + rules


def every_case(tmp: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    yield "sample", checked(ROOT)
    yield from rule_cases(tmp)
    yield from schema_cases()
    yield from damage_cases(tmp)


def write(path: Path = EXPECTED) -> None:
    """Record the findings of every case as they are now (one finding per line)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        cases = dict(every_case(Path(tmp)))
    lines = ["{"]
    for n, (name, case) in enumerate(cases.items()):
        head = [f"{json.dumps(k)}: {json.dumps(v)}" for k, v in case.items() if k != "findings"]
        found = ",\n".join("      " + json.dumps(f, ensure_ascii=False) for f in case["findings"])
        head.append('"findings": [\n' + found + "\n    ]" if found else '"findings": []')
        lines.append(f"  {json.dumps(name)}: {{\n    " + ",\n    ".join(head) + "\n  }"
                     + ("," if n < len(cases) - 1 else ""))
    path.write_text("\n".join(lines) + "\n}\n", encoding="utf-8")


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else EXPECTED)
