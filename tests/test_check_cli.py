"""`portal check` on whole projects: exit codes, located findings, every finding reported."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import ROOT, edit, position_of, with_cache

TIERS = "program_data/tiers.yaml"


def test_sample_program_is_clean(portal):
    run = portal("check", "--project", str(ROOT))
    assert run.code == 0, run.out
    assert "OK, 0 warnings" in run.out


def test_duplicate_key(project, portal):
    edit(project / TIERS, "    rank: 2\n", "    rank: 2\n    rank: 3\n")
    line, column = position_of(project / TIERS, "rank: 3")
    run = portal("check", "--project", str(project))
    assert run.code == 1
    assert f"{TIERS}:{line}:{column}: duplicate-key the key 'rank' appears twice" in run.out


def test_unknown_field(project, portal):
    edit(project / TIERS, "      capability_points: 80\n", "      capability_points: 80\n      certifed_csms: 2\n")
    line, column = position_of(project / TIERS, "certifed_csms")
    run = portal("check", "--project", str(project))
    assert run.code == 1
    assert (f"{TIERS}:{line}:{column}: unknown-field unknown field 'certifed_csms' "
            "(at tiers[1].requirements.certifed_csms)") in run.out


def test_unknown_field_suggests_the_field_meant(project, portal):
    edit(project / TIERS, "    summary: For partners with a customer", "    sumary: For partners with a customer")
    run = portal("check", "--project", str(project))
    assert "hint: Did you mean 'summary'?" in run.out


def test_missing_required_field(project, portal):
    edit(project / TIERS, "    rank: 3\n", "")
    line, column = position_of(project / TIERS, "id: platinum")
    run = portal("check", "--project", str(project))
    assert run.code == 1
    assert f"{TIERS}:{line}:{column}: missing-field the required field 'rank' is missing (at tiers[2].rank)" in run.out


def test_wrong_type(project, portal):
    edit(project / TIERS, "          value: 85\n", '          value: "85%"\n')
    line, column = position_of(project / TIERS, '"85%"')
    run = portal("check", "--project", str(project))
    assert run.code == 1
    assert f"{TIERS}:{line}:{column}: wrong-type expected a number, found '85%'" in run.out
    assert "hint: Write the number without the percent sign: 85." in run.out


def test_no_where_a_name_belongs(project, portal):
    edit(project / TIERS, "    name: Gold\n", "    name: no\n")
    line, column = position_of(project / TIERS, "name: no")
    run = portal("check", "--project", str(project))
    assert run.code == 1
    assert f"{TIERS}:{line}:{column + 6}: ambiguous-value 'no' is read as a yes/no value" in run.out
    # One mistake, one finding: the schema layer does not report it again.
    assert run.out.count("tiers[1].name") == 1


def test_every_finding_is_reported_not_only_the_first(project, portal):
    edit(project / TIERS, "    rank: 2\n", "    rank: 2\n    rank: 3\n")
    edit(project / "program_data/kpis.yaml", "    target: 25\n", "    target: 125\n")
    edit(project / "program_data/incentives/csat_points.csv", "4.4,4.6,20", "4.4,4.6,twenty")
    (project / "program_data/journeys/partner-onboarding.yaml").write_text("id: [unclosed\n")
    run = portal("check", "--project", str(project), "--format", "json")
    report = json.loads(run.out)
    assert run.code == 1
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert sorted((f["file"], f["code"]) for f in errors) == [
        ("program_data/incentives/csat_points.csv", "wrong-type"),
        ("program_data/journeys/partner-onboarding.yaml", "yaml-unclosed"),
        ("program_data/kpis.yaml", "out-of-range"),
        ("program_data/tiers.yaml", "duplicate-key"),
    ]
    layers = {name: counts["errors"] for name, counts in report["summary"]["layers"].items()}
    assert layers == {"syntax": 2, "schema": 2, "references": 0, "rules": 0, "tables": 0}


def test_csv_findings_name_row_and_column(project, portal):
    edit(project / "program_data/incentives/csat_points.csv", "4.4,4.6,20", "4.4,4.6,twenty")
    run = portal("check", "--project", str(project))
    assert ("program_data/incentives/csat_points.csv:3:3: wrong-type 'twenty' is not a whole number "
            "(column points)") in run.out


def test_json_output_has_the_documented_shape(project, portal):
    edit(project / TIERS, "    rank: 2\n", '    rank: "2"\n')
    report = json.loads(portal("check", "--project", str(project), "--format", "json").out)
    assert set(report) == {"version", "ok", "summary", "findings"}
    assert report["ok"] is False and report["version"] == 1
    [finding] = report["findings"]
    assert finding == {
        "code": "wrong-type", "severity": "error", "layer": "schema",
        "message": "expected a whole number, found '2'", "hint": "Remove the quotes: 2.",
        "file": TIERS, "line": position_of(project / TIERS, '"2"')[0], "column": 11, "field": None,
        "path": "tiers[1].rank", "related": [],
        "fix": {"file": TIERS, "line": position_of(project / TIERS, '"2"')[0], "column": 11, "field": None,
                "write": "2"},
    }


def test_missing_schema_modeline_is_a_warning_with_the_line_to_add(project, portal):
    path = project / "program_data/kpis.yaml"
    path.write_text("\n".join(path.read_text().splitlines()[1:]) + "\n")
    run = portal("check", "--project", str(project))
    assert run.code == 0
    assert "schema-comment (warning)" in run.out
    assert "# yaml-language-server: $schema=../schemas/kpis.schema.json" in run.out


@pytest.mark.parametrize("args", [[], ["check", "--format", "xml"], ["frobnicate"]])
def test_usage_errors_exit_2(portal, args):
    assert portal(*args).code == 2


def test_a_folder_that_is_not_a_project_is_a_usage_error(portal, tmp_path):
    run = portal("check", "--project", str(tmp_path))
    assert run.code == 2
    assert "no program_data/ folder" in run.err


def test_console_script_runs_and_exits_with_the_check_status(project, sample_cache):
    with_cache(project, sample_cache)  # the console script, not a first check, is what is tried here
    edit(project / TIERS, "    rank: 2\n", "    rank: 2\n    rank: 3\n")
    bin_dir = ROOT / ".venv" / "bin"
    installed = bin_dir / "portal"
    command = [str(installed)] if installed.exists() else [sys.executable, "-m", "partner_portal.cli"]
    done = subprocess.run([*command, "check", "--project", str(project)], capture_output=True, text=True)
    assert done.returncode == 1
    assert "duplicate-key" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_a_deleted_required_file_is_reported(project, portal):
    (project / "program_data/kpis.yaml").unlink()
    run = portal("check", "--project", str(project))
    assert run.code == 1
    assert "program_data/kpis.yaml: missing-file program_data/kpis.yaml is missing" in run.out


def test_a_misspelt_field_is_one_finding(project, portal):
    edit(project / TIERS, "      capability_points: 80", "      capabilty_points: 80")
    report = json.loads(portal("check", "--project", str(project), "--format", "json").out)
    assert [(f["code"], f["path"]) for f in report["findings"]] == [
        ("unknown-field", "tiers[1].requirements.capabilty_points")]


def test_numbers_too_large_are_findings_not_crashes(project, portal):
    edit(project / "program_data/kpis.yaml", "    target: 4\n", "    target: 1e400\n")
    with (project / "program_data/incentives/use_rebates.csv").open("a") as table:
        table.write("silver,25,9223372036854775808,500\n")
    run = portal("check", "--project", str(project))
    assert run.code == 1
    assert "not-a-number '1e400' is too large to be a number" in run.out
    assert "use_rebates.csv:14:3: out-of-range 9223372036854775808 is too large" in run.out


def test_a_blank_name_is_reported(project, portal):
    edit(project / TIERS, "    name: Gold\n", "    name: '   '\n")
    run = portal("check", "--project", str(project))
    assert "missing-value the text is blank (at tiers[1].name)" in run.out


def test_each_bad_number_gets_its_own_hint(project, portal):
    edit(project / "program_data/incentives/use_rebates.csv", "silver,25,100,500\nsilver,100,500,1500",
         "silver,25,100,$500\nsilver,100,500,\"1,500\"")
    run = portal("check", "--project", str(project))
    assert "Write the amount without a currency symbol: 500." in run.out
    assert "with a dot for decimals and no thousands separators: 1500." in run.out
    assert "fix: write 500 at program_data/incentives/use_rebates.csv:2:4 (column rebate_amount)" in run.out
    assert "fix: write 1500 at program_data/incentives/use_rebates.csv:3:4 (column rebate_amount)" in run.out


@pytest.mark.parametrize(("cell", "fixed"), [("3.5%", "3.5"), ("$500", "500"), ("- $ 40", "-40"), ("1,500", "1500"),
                                             ("1,500.25", "1500.25"), ("2,5", "2.5"), ("€1,200", "1200"),
                                             ("12 users", None), ("1,5000", None), ("", None)])
def test_a_spreadsheet_number_is_read_as_it_was_meant(cell, fixed):
    from partner_portal.check.table_schema import number_fix
    assert number_fix(cell) == fixed


@pytest.mark.parametrize("fmt", ["text", "json", "github", "junit"])
def test_a_rule_that_raises_exits_3_and_every_other_finding_is_still_reported(project, portal, monkeypatch, fmt):
    from partner_portal.check import rules
    from partner_portal.check.rules import RULES, Rule

    def broken(ctx):
        raise RuntimeError("a bug made on purpose")
        yield

    monkeypatch.setattr(rules, "RULES", [Rule("stage-order", ("lifecycle.yaml",), broken), *RULES])
    edit(project / TIERS, "      capability_points: 90\n", "      capability_points: 70\n")  # a tier-order finding
    edit(project / "program_data/incentives/adopt_rates.csv", "gold,emea,3.0\n", "gold,emea,3.0\ngold,emea,3.0\n")
    # --no-cache: the rule put in here is not in the code's fingerprint, so the rules' cache would answer for it
    run_ = portal("check", "--project", str(project), "--format", fmt, "--no-cache")
    assert run_.code == 3, run_.out + run_.err
    for code in ("internal-error", "tier-order", "duplicate-row"):
        assert code in run_.out, (code, run_.out)
    assert "a bug made on purpose" in run_.out
    if fmt == "json":
        report = json.loads(run_.out)
        assert {f["code"] for f in report["findings"]} >= {"internal-error", "tier-order", "duplicate-row"}


def test_a_tables_worker_that_dies_is_an_internal_error_not_a_silent_pass(project, portal, monkeypatch):
    from partner_portal.check import worker

    def dies(self):
        self.close()
        raise worker.WorkerFailed("the tables worker stopped (killed on purpose)")

    monkeypatch.setattr(worker.TablesWorker, "findings", dies)
    run_ = portal("check", "--project", str(project), "--format", "json")
    assert run_.code == 3
    [failure] = json.loads(run_.out)["findings"]
    assert (failure["code"], failure["layer"]) == ("internal-error", "tables")
    assert not list((project / ".portal-cache").glob("tables-*.json")), "a run the worker did not finish is not kept"


@pytest.mark.parametrize("file, old, new, hint", [
    # an unknown field, an unknown id, a misspelt value from a fixed list, a misspelt column
    (TIERS, "    summary: For partners with a customer", "    sumary: For partners with a customer",
     "Did you mean 'summary'?"),
    (TIERS, "        - kpi: renewal-rate\n          value: 85", "        - kpi: renewal-rte\n          value: 85",
     "Did you mean 'renewal-rate'?"),
    ("program_data/kpis.yaml", "    direction: at-least\n", "    direction: at-leest\n", "Did you mean 'at-least'?"),
    ("program_data/incentives/renewal_rates.csv", "min_renewal_rate,max_renewal_rate,rate_percent",
     "min_renewal_rate,max_renewal_rate,rate_precent", "Did you mean 'rate_percent'?"),
])
def test_a_misspelling_gets_the_word_meant(project, portal, file, old, new, hint):
    edit(project / file, old, new)
    run = portal("check", "--project", str(project))
    assert run.code == 1 and f"hint: {hint}" in run.out, run.out
