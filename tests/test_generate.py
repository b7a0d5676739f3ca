"""`portal generate`: synthetic projects for benchmarks are valid, reproducible, and their
table families are checked as one batch with findings in the right file."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from partner_portal.check import check_project
from partner_portal.generate import GenerateError, generate
from partner_portal.project import Project

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
    assert (made.yaml_files, made.csv_files) == (14, 13)
    assert made.csv_rows == 21_064  # 2 × 10,500 rows, and the adopt and expand rates for every region
    return out


def test_a_generated_project_passes_every_check(scale2):
    result = check_project(Project.open(scale2))
    assert [f"{f.location}: {f.code} {f.message}" for f in result.findings] == []
    ids = result.ids
    assert {"silver", "silver-u2", "platinum-u2"} <= ids["tier"]
    assert len(ids["kpi"]) == 30 and len(ids["region"]) == 8


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


def test_a_helper_process_finds_the_same_as_one_process(scale2, tmp_path):
    import shutil

    from partner_portal.check import check_project
    from partner_portal.project import Project

    project = tmp_path / "p"
    shutil.copytree(scale2, project, symlinks=True)
    table = project / "program_data/incentives/use_rebates-u2.csv"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = lines[3]
    lines[7] = lines[7].replace("-u2,", "-u9,", 1)
    table.write_text("".join(lines), encoding="utf-8")
    tiers = project / "program_data/tiers.yaml"  # a schema error too: the helper confirms only valid files
    tiers.write_text(tiers.read_text(encoding="utf-8").replace("rank: 2", "rank: two", 1), encoding="utf-8")
    data_docs = {mode: tmp_path / f"docs-{mode}" for mode in (True, False)}
    results = {mode: check_project(Project.open(project), parallel=mode, data_docs=data_docs[mode])
               for mode in (True, False)}
    tables = {mode: [f for f in r.findings if f.layer.value == "tables"] for mode, r in results.items()}
    assert len(tables[True]) >= 2
    assert any(f.layer.value == "schema" for f in results[True].findings)
    assert results[True].findings == results[False].findings
    assert sorted(p.name for p in data_docs[True].rglob("*.html")) == sorted(
        p.name for p in data_docs[False].rglob("*.html"))


def test_a_helper_that_dies_leaves_the_suites_to_this_process(project, monkeypatch):
    from partner_portal import helper
    from partner_portal.check import check_project
    from partner_portal.project import Project

    (project / "program_data/incentives/adopt_rates.csv").open("a").write("diamond,latam,4.5\n")
    expected = check_project(Project.open(project), parallel=False).findings
    started = helper.Helper.__init__

    def start_and_kill(self):
        started(self)
        self._process.kill()  # as the kernel would for want of memory

    monkeypatch.setattr(helper.Helper, "__init__", start_and_kill)
    assert check_project(Project.open(project), parallel=True).findings == expected
    assert any(f.layer.value == "tables" for f in expected)


def test_portal_check_with_its_helper_reports_what_one_process_does(project, portal):
    """`portal check` as a command starts a helper before its imports (on a second core);
    this test process has great_expectations loaded, so here it checks in one process."""
    import subprocess
    import sys

    (project / "program_data/incentives/adopt_rates.csv").open("a").write("diamond,latam,4.5\n")
    in_process = portal("check", "--project", str(project), "--format", "json")
    command = subprocess.run([sys.executable, "-m", "partner_portal.cli", "check", "--project", str(project),
                              "--format", "json"], capture_output=True, text=True)
    assert (command.returncode, json.loads(command.stdout)) == (in_process.code, json.loads(in_process.out))
    assert any(f["layer"] == "tables" for f in json.loads(command.stdout)["findings"])


def test_the_helper_runs_again_when_the_ids_sent_early_were_not_the_final_ones(project, monkeypatch):
    """The suites start with the ids the YAML files define; should the references layer end
    with others (a defining file broke its schema), the early run is dropped and the suites
    run again with the final ids."""
    from partner_portal import check
    from partner_portal.project import Project

    (project / "program_data/incentives/adopt_rates.csv").open("a").write("diamond,latam,4.5\n")
    expected = check.check_project(Project.open(project), parallel=False).findings
    monkeypatch.setattr(check, "defined_ids", lambda documents: {"tier": {"diamond"}})  # not the final ids
    assert check.check_project(Project.open(project), parallel=True).findings == expected
