"""`portal generate`: synthetic projects for benchmarks are valid, reproducible, and their
table families are checked as one batch with findings in the right file."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from partner_portal.check.run import check_project
from partner_portal.cli.generate import GenerateError, generate
from partner_portal.core.project import Project

from .conftest import ROOT


def digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted((folder / "program_data").rglob("*")):
        if path.is_file():
            sha.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return sha.hexdigest()


@pytest.fixture(scope="module")
def scale2(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "scale2"
    made = generate(ROOT, 2, out)
    assert (made.yaml_files, made.csv_files) == (20, 14)
    assert made.csv_rows == 21_064  # 2 × 10,500 rows, and the adopt and expand rates for every region
    assert (out / "src/partner_portal/site/mkdocs_hooks.py").is_file()  # the hooks mkdocs.yml names
    return out


def test_a_generated_project_passes_every_check(scale2):
    result = check_project(Project.open(scale2))
    assert [f"{f.location}: {f.code} {f.message}" for f in result.findings] == []
    ids = result.ids
    assert {"silver", "silver-u2", "platinum-u2"} <= ids["tier"]
    # Lifecycle KPIs repeat per unit (15 each); the practice's 17 health, financial and service-desk KPIs once.
    assert len(ids["kpi"]) == 2 * 15 + 17 and len(ids["region"]) == 8


def test_generation_is_reproducible_and_the_seed_matters(scale2, tmp_path):
    again = tmp_path / "again"
    generate(ROOT, 2, again)
    assert digest(again) == digest(scale2)
    other = tmp_path / "other"
    generate(ROOT, 2, other, seed=7)
    assert digest(other) != digest(scale2)


def test_generate_refuses_a_folder_with_files(tmp_path):
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(GenerateError, match="not an empty folder"):
        generate(ROOT, 1, tmp_path)
    with pytest.raises(GenerateError, match="1 or more"):
        generate(ROOT, 0, tmp_path / "new")


def test_one_suite_checks_a_table_family_and_names_the_right_file(scale2, tmp_path, portal):
    import shutil

    project = tmp_path / "p"
    shutil.copytree(scale2, project, symlinks=True)
    table = project / "program_data/incentives/adopt_rates-u2.csv"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[2]  # row 4 repeats row 3 in this table only
    lines[5] = lines[5].replace("platinum-u2", "bronze-u2")
    table.write_text("".join(lines), encoding="utf-8")
    # The same key in two tables of the family is not a duplicate.
    run = portal("check", "--project", str(project), "--format", "json")
    assert run.code == 1
    found = [(f["code"], f["file"], f["line"], f["field"]) for f in json.loads(run.out)["findings"]
             if f["layer"] == "tables"]
    assert ("duplicate-row", "program_data/incentives/adopt_rates-u2.csv", 4, "tier") in found
    assert ("unknown-value", "program_data/incentives/adopt_rates-u2.csv", 6, "tier") in found
    assert all(file == "program_data/incentives/adopt_rates-u2.csv" for _, file, _, _ in found), found


def test_generate_refuses_a_project_whose_data_has_errors(project, tmp_path):
    path = project / "program_data/tiers.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("rank: 2", "rank: two"), encoding="utf-8")
    with pytest.raises(GenerateError, match="has errors; run `portal check`"):
        generate(project, 1, tmp_path / "out")


def test_the_tables_worker_reports_what_the_suites_find(scale2, tmp_path):
    """The suites run in the tables worker; what it sends back is exactly what running them
    in this process finds, Data Docs included (a scale-2 project, with table and schema errors)."""
    import shutil

    from partner_portal.check import suites
    from partner_portal.check.references import defined_ids
    from partner_portal.check.schema import SchemaStore

    project = tmp_path / "p"
    shutil.copytree(scale2, project, symlinks=True)
    table = project / "program_data/incentives/use_rebates-u2.csv"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = lines[3]
    lines[7] = lines[7].replace("-u2,", "-u9,", 1)
    table.write_text("".join(lines), encoding="utf-8")
    tiers = project / "program_data/tiers.yaml"
    tiers.write_text(tiers.read_text(encoding="utf-8").replace("rank: 2", "rank: two", 1), encoding="utf-8")
    docs = {"worker": tmp_path / "docs-worker", "here": tmp_path / "docs-here"}
    result = check_project(Project.open(project), data_docs=docs["worker"])
    in_worker = [f for f in result.findings if f.layer.value == "tables"]
    assert len(in_worker) >= 2 and any(f.layer.value == "schema" for f in result.findings)
    store = SchemaStore.load(project / "schemas", project)
    loaded, _ = suites.load_suites(Project.open(project), store, set(result.tables), set(result.tables))
    here = suites.run_table_checks(loaded, result.tables, defined_ids(result.documents), docs["here"])
    assert sorted(in_worker, key=lambda f: f.sort_key()) == sorted(here, key=lambda f: f.sort_key())
    pages = {name: sorted(p.name for p in folder.rglob("*.html")) for name, folder in docs.items()}
    assert pages["worker"] == pages["here"]


def test_portal_check_as_a_command_reports_what_it_reports_in_process(project, portal):
    import subprocess
    import sys

    (project / "program_data/incentives/adopt_rates.csv").open("a").write("diamond,latam,4.5\n")
    in_process = portal("check", "--project", str(project), "--format", "json")
    command = subprocess.run([sys.executable, "-m", "partner_portal.cli.main", "check", "--project", str(project),
                              "--format", "json"], capture_output=True, text=True)
    assert (command.returncode, json.loads(command.stdout)) == (in_process.code, json.loads(in_process.out))
    assert any(f["layer"] == "tables" for f in json.loads(command.stdout)["findings"])


def test_a_check_left_unfinished_does_not_leave_its_answer_to_the_next(project):
    """A check interrupted between sending the tables and reading the findings leaves the
    worker with an answer nobody read; the next check starts a fresh worker."""
    from partner_portal.check import worker

    (project / "program_data/incentives/adopt_rates.csv").open("a").write("diamond,latam,4.5\n")
    dirty = check_project(Project.open(project)).findings
    stale = worker.shared()
    stale.pending = True  # as if a check had been interrupted before collecting its findings
    assert check_project(Project.open(ROOT)).findings == []
    assert worker.shared() is not stale and not stale.alive
    assert check_project(Project.open(project)).findings == dirty
