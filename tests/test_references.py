"""The references layer: every id referred to is defined once; named files exist."""

from __future__ import annotations

from partner_portal.check.run import check_project
from partner_portal.core.project import Project

from .conftest import edit, position_of


def findings(project, severity="error"):
    result = check_project(Project.open(project))
    return [f for f in result.findings if f.severity.value == severity]


def test_unknown_kpi_in_a_tier_is_located_and_suggests_the_id_meant(project):
    edit(project / "program_data/tiers.yaml", "        - kpi: active-usage-rate\n          value: 60",
         "        - kpi: active-usage\n          value: 60")
    [finding] = findings(project)
    assert finding.code == "unknown-reference"
    assert (finding.location.line, finding.location.column) == position_of(
        project / "program_data/tiers.yaml", "active-usage\n")[0:1] + (16,)
    assert finding.data_path == "tiers[1].requirements.kpis[2].kpi"
    assert "Did you mean 'active-usage-rate'?" in finding.hint


def test_unknown_tier_in_a_csv_names_row_and_column(project):
    with (project / "program_data/incentives/adopt_rates.csv").open("a") as table:
        table.write("diamond,latam,4.5\n")
    [finding] = findings(project)
    assert (finding.code, finding.location.line, finding.location.column, finding.location.field) == (
        "unknown-value", 10, 1, "tier")
    assert finding.message == "'diamond' is not a tier of the program"
    assert finding.hint == "Use a tier id from tiers.yaml: gold, platinum, silver."
    assert finding.related[-1].file == "checks/adopt_rates.yaml"


def test_unknown_region_in_a_csv(project):
    with (project / "program_data/incentives/expand_rates.csv").open("a") as table:
        table.write("gold,latm,4.5\n")
    [finding] = findings(project)
    assert (finding.code, finding.location.line, finding.location.field) == ("unknown-value", 10, "region")


def test_duplicate_id_names_both_places(project):
    edit(project / "program_data/kpis.yaml", "  - id: multi-year-agreements", "  - id: net-new-customers")
    dupes = [f for f in findings(project) if f.code == "duplicate-id"]
    assert len(dupes) == 1
    assert dupes[0].related[0].line < dupes[0].location.line


def test_unused_role_is_a_warning(project):
    edit(project / "program_data/staffing.yaml", "roles:\n", "roles:\n  - id: intern\n    name: Intern\n"
         "    party: partner\n    summary: Helps out.\n")
    assert findings(project) == []
    [warning] = findings(project, "warning")
    assert (warning.code, warning.location.line) == ("unused-id", 5)


def test_journey_id_must_match_its_file_name(project):
    edit(project / "program_data/journeys/customer-onboarding.yaml", "id: customer-onboarding", "id: onboarding")
    [finding] = findings(project)
    assert finding.code == "id-file-mismatch"


def test_payout_table_that_does_not_exist(project):
    edit(project / "program_data/incentives.yaml", "table: incentives/csat_points.csv",
         "table: incentives/csat_points_2027.csv")
    [finding] = findings(project)
    assert finding.code == "missing-file"
    assert finding.data_path == "incentives[5].payout.table"


def test_logo_that_does_not_exist(project):
    (project / "content/assets/logo.svg").unlink()
    [finding] = findings(project)
    assert (finding.code, finding.location.file) == ("missing-file", "program_data/program.yaml")


def test_a_broken_defining_file_does_not_flood_references(project):
    (project / "program_data/kpis.yaml").write_text("kpis: [unclosed\n")
    errors = findings(project)
    assert [f.code for f in errors] == ["yaml-unclosed"]
