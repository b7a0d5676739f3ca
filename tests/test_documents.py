"""The program's source documents contradict themselves in places; the sample carries the
corrected values, and each of the documents' versions fails `portal check` with a finding
at its file, line and column (or row and column) that names the value the data gives."""

from __future__ import annotations

from .conftest import edit, position_of

ASSESSMENT = "program_data/assessment.yaml"
EXAMPLE = "program_data/assessments/worked-example.yaml"
USAGE = "program_data/usage/sample.csv"


def test_the_documents_enablement_subtotal_fails_at_the_subtotal(project, portal):
    # The readiness checklist's enablement section: two elements marked 2 (8 points), but
    # the subtotal under the column says 4 and the section 60 instead of 64.
    edit(project / EXAMPLE, "    subtotals: [0, 8, 30, 16, 10]\n    points: 64",
         "    subtotals: [0, 4, 30, 16, 10]\n    points: 60")
    line, column = position_of(project / EXAMPLE, "4, 30, 16, 10]")
    points = position_of(project / EXAMPLE, "points: 60")
    run = portal("check", "--project", str(project))
    assert run.code == 1
    assert (f"{EXAMPLE}:{line}:{column}: assessment-totals the subtotal for rating 2 in 'Partner support and "
            "enablement' is 4, but 2 elements marked 2 give 8 (2 × 2 × 2)") in run.out
    assert f"{EXAMPLE}:{points[0]}:{points[1] + 8}: assessment-totals" in run.out
    assert "fix: write 8" in run.out.lower() or "Write 8." in run.out


def test_the_documents_overlapping_maturity_bands_fail_at_the_overlap(project, portal):
    # "301-400 Aspiring" and "400-500 Optimizing": a total of 400 falls in both.
    edit(project / ASSESSMENT, "    min_points: 401", "    min_points: 400")
    line, column = position_of(project / ASSESSMENT, "min_points: 400")
    run = portal("check", "--project", str(project))
    assert run.code == 1
    assert f"{ASSESSMENT}:{line}:{column + len('min_points: ')}: band-contiguity" in run.out
    assert "overlap" in run.out


def test_the_documents_usage_report_rows_fail_at_their_cells(project, portal):
    # The partner information report's rows: a licence type with 9 active users but no
    # licensed count (and a delta of -9), and 3,000 licensed less 2,954 active given as a
    # delta of 3,000.
    edit(project / USAGE, "Workspace Learning,10,10,9,1,low", "Workspace Learning,,10,9,-9,low")
    edit(project / USAGE, "3000,3000,2954,46,low", "3000,3000,2954,3000,low")
    run = portal("check", "--project", str(project))
    assert run.code == 1
    assert f"{USAGE}:5:5: usage-row no licensed user count for Workspace Learning" in run.out
    assert f"{USAGE}:7:8: usage-row the delta is 3000, but 3000 licensed − 2954 active is 46" in run.out
