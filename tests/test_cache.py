"""`portal check`'s cache (.portal-cache/): what did not change is not recomputed, the
findings and the output are exactly those of a run without it after an edit to each kind
of input, `--no-cache` runs everything, and a corrupt or foreign cache is ignored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from partner_portal.check.cache import FORMAT

from .conftest import edit, with_cache


@pytest.fixture(autouse=True)
def own_cache(monkeypatch):
    """Each project here keeps its own cache, whatever the test session shares."""
    monkeypatch.delenv("PORTAL_CACHE_DIR", raising=False)


def check(portal, project: Path, *extra: str) -> tuple[str, str]:
    """The JSON report of a run, and where its tables layer's findings came from."""
    profile = project.parent / "profile.json"
    run = portal("check", "--project", str(project), "--format", "json", "--profile", str(profile), *extra)
    assert run.code in (0, 1), run.err
    layers = [layer["layer"] for layer in json.loads(profile.read_text())["layers"]]
    tables = next(layer for layer in layers if layer.startswith("tables"))
    return run.out, tables


def uncached(portal, project: Path) -> str:
    return check(portal, project, "--no-cache")[0]


# Each kind of input the tables layer reads, edited so that its findings change, and an
# edit the tables layer does not read.
EDITS = {
    "a table": ("program_data/incentives/adopt_rates.csv", "gold,latam,3.5", "gold,latam,35"),
    "a suite": ("checks/adopt_rates.yaml", "min_value: 0, max_value: 25", "min_value: 0, max_value: 3.2"),
    "an id a table refers to": ("program_data/program.yaml", "  - id: latam\n", "  - id: south-america\n"),
    "a table's schema": ("schemas/tables/adopt_rates.schema.json", '"maximum": 100', '"maximum": 3.2'),
}


@pytest.mark.parametrize("kind", EDITS)
def test_after_an_edit_the_cached_run_says_what_a_full_run_says(tmp_path, portal, kind):
    project = _copy(tmp_path)
    first, tables = check(portal, project)
    assert tables == "tables (in the worker)"
    assert check(portal, project) == (first, "tables (from the cache)")
    path, old, new = EDITS[kind]
    edit(project / path, old, new)
    after, tables = check(portal, project)
    assert tables == "tables (in the worker)", "the edit reaches the tables layer: it runs again"
    assert after == uncached(portal, project) and after != first
    assert check(portal, project) == (after, "tables (from the cache)")


def test_an_edit_to_one_table_runs_only_the_suite_that_checks_it(tmp_path, portal):
    project = _copy(tmp_path)
    check(portal, project)
    edit(project / "program_data/incentives/adopt_rates.csv", "gold,latam,3.5", "gold,latam,35")
    after, tables = check(portal, project)
    layer = next(entry for entry in json.loads((project.parent / "profile.json").read_text())["layers"]
                 if entry["layer"] == tables)
    assert tables == "tables (in the worker)" and layer["suites"] == 1
    assert after == uncached(portal, project) and '"out-of-range"' in after


def test_an_edit_the_tables_do_not_read_reuses_their_findings(tmp_path, portal):
    project = _copy(tmp_path)
    check(portal, project)
    edit(project / "program_data/tiers.yaml", "For partners with a customer success practice",
         "For partners with a customer success team")
    edit(project / "program_data/tiers.yaml", "    rank: 2\n", "    rank: 2\n    rank: 2\n")  # a finding elsewhere
    after, tables = check(portal, project)
    assert tables == "tables (from the cache)"
    assert after == uncached(portal, project) and '"duplicate-key"' in after


def test_no_cache_runs_every_layer(tmp_path, portal):
    project = _copy(tmp_path)
    check(portal, project)
    assert check(portal, project, "--no-cache")[1] == "tables (in the worker)"


@pytest.mark.parametrize("damage", [
    lambda text: "{not json",
    lambda text: "\x00\xff" * 20,
    lambda text: json.dumps({**json.loads(text), "format": FORMAT + 1}),  # another version of the program
    lambda text: json.dumps({**json.loads(text), "key": "0" * 64}),  # another project's, or stale
    lambda text: json.dumps({**json.loads(text), "payload": [{"code": "no-such-code"}]}),
    lambda text: json.dumps({**json.loads(text), "payload": {"tiers.schema.json": {}}}),
])
def test_a_corrupt_or_foreign_cache_is_ignored(tmp_path, portal, damage):
    project = _copy(tmp_path)
    edit(project / "program_data/incentives/adopt_rates.csv", "gold,latam,3.5", "gold,latam,35")
    expected = uncached(portal, project)
    check(portal, project)
    entries = sorted((project / ".portal-cache").glob("*.json"))
    assert sorted({p.name.split("-")[0] for p in entries}) == ["family", "rules", "schemas", "tables", "yaml"]
    for path in entries:
        path.write_bytes(damage(path.read_text(encoding="utf-8")).encode("utf-8", "surrogateescape"))
    found, tables = check(portal, project)
    assert found == expected and tables == "tables (in the worker)"


def test_going_back_to_an_earlier_state_finds_its_findings(tmp_path, portal):
    """Switching a branch and back, or undoing an edit: the earlier inputs' findings are kept."""
    project = _copy(tmp_path)
    before, _ = check(portal, project)
    path = project / "program_data/incentives/adopt_rates.csv"
    original = path.read_text(encoding="utf-8")
    edit(path, "gold,latam,3.5", "gold,latam,35")
    assert check(portal, project)[1] == "tables (in the worker)"
    path.write_text(original, encoding="utf-8")
    assert check(portal, project) == (before, "tables (from the cache)")


def test_projects_share_a_cache_folder_named_by_portal_cache_dir(tmp_path, portal, monkeypatch):
    """A CI runner's cache, shared by checkouts: the same inputs give the same findings,
    wherever the project is."""
    monkeypatch.setenv("PORTAL_CACHE_DIR", str(tmp_path / "shared"))
    first, second = _copy(tmp_path / "a"), _copy(tmp_path / "b")
    found, tables = check(portal, first)
    assert tables == "tables (in the worker)"
    assert check(portal, second) == (found, "tables (from the cache)")
    assert not (second / ".portal-cache").exists() and any((tmp_path / "shared").glob("tables-*.json"))
    assert len(list((tmp_path / "shared").glob("schemas-*.json"))) == 1  # the schemas are the same wherever they are


def test_the_cache_stays_out_of_git(tmp_path, portal):
    project = _copy(tmp_path)
    check(portal, project)
    assert (project / ".portal-cache/.gitignore").read_text().splitlines()[-1] == "*"


def _copy(tmp_path: Path) -> Path:
    import shutil

    from .conftest import ROOT

    project = tmp_path / "project"
    for name in ("program_data", "schemas", "checks"):
        shutil.copytree(ROOT / name, project / name)
    return project


def test_a_yaml_edit_loads_and_validates_that_file_alone(tmp_path, portal):
    """Each YAML file is kept as loaded and validated; an edit adds the edited file's entry
    only, and the run says what a full run says."""
    project = _copy(tmp_path)
    check(portal, project)
    kept = {p.name for p in (project / ".portal-cache").glob("yaml-*.json")}
    assert len(kept) == len(list((project / "program_data").rglob("*.yaml")))
    edit(project / "program_data/tiers.yaml", "    rank: 2\n", "    rank: two\n")
    after, _ = check(portal, project)
    assert len({p.name for p in (project / ".portal-cache").glob("yaml-*.json")} - kept) == 1
    assert after == uncached(portal, project) and '"wrong-type"' in after


# Edits to YAML alone, each reaching the rules differently. The tables are not read again.
YAML_EDITS = {
    "the portal's text, which no rule reads": (
        "program_data/tiers.yaml", "    summary: Shows that the partner can run customer success for Lumora customers.",
        "    summary: Shows that the partner runs customer success for Lumora's customers."),
    "a value rules read beside a table": ("program_data/tiers.yaml", "      capability_points: 90\n",
                                          "      capability_points: 70\n"),
    "text a rule reads (why a value is easier than the target)": (
        "program_data/tiers.yaml", "          easier_than_target: >-\n"
        "            Silver is the entry tier: two new customers a year start a partner on the ladder,\n"
        "            and Gold asks for the program's target of four.\n", ""),
    "a program rule": ("checks/rules/policies.yaml", "select: tiers.yaml#tiers[*].requirements\n",
                       "select: tiers.yaml#tiers[*].requirement\n"),
    "an id a table refers to": ("program_data/tiers.yaml", "  - id: gold\n", "  - id: golden\n"),
}


@pytest.mark.parametrize("kind", YAML_EDITS)
def test_after_an_edit_to_yaml_the_cached_run_says_what_a_full_run_says(tmp_path, portal, kind):
    project = _copy(tmp_path)
    first, _ = check(portal, project)
    path, old, new = YAML_EDITS[kind]
    edit(project / path, old, new)
    after, _ = check(portal, project)
    assert after == uncached(portal, project)
    assert (after == first) == kind.startswith("the portal's text"), "only the text no rule reads changes nothing"
    assert check(portal, project)[0] == after


READS_TABLES = """
import sys
from partner_portal.cli.main import main
code = main(["check", "--project", sys.argv[1]])
print("pandas imported" if "pandas" in sys.modules else "pandas not imported", file=sys.stderr)
sys.exit(code)
"""


def test_an_edit_to_the_portals_text_reads_no_table(tmp_path, sample_cache):
    """After an edit to a summary, the check reads no table and never imports pandas: every
    rule reading a table finds its answer kept (the edited text is set aside from it). The
    project starts with the cache a first check of the sample leaves."""
    import subprocess
    import sys

    project = with_cache(_copy(tmp_path), sample_cache)

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", READS_TABLES, str(project)], capture_output=True, text=True)

    first = run()
    assert "pandas not imported" in first.stderr, first.stderr  # nothing changed since that check
    path, old, new = YAML_EDITS["the portal's text, which no rule reads"]
    edit(project / path, old, new)
    after = run()
    assert "pandas not imported" in after.stderr, after.stderr
    assert (after.returncode, after.stdout) == (first.returncode, first.stdout)
    edit(project / path, new, new.replace("runs", "can run"))
    edit(project / "program_data/tiers.yaml", "      capability_points: 90\n", "      capability_points: 70\n")
    assert "pandas imported" in run().stderr  # a value read beside a table: the table is read
