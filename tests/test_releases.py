"""Releases: `portal diff` between git refs, the release rule, roster impact, `portal
release`, and the sample's recorded history."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from partner_portal.cli.main import main
from partner_portal.releases.diff import diff_programs
from partner_portal.site.checked_program import load_program

from .conftest import ROOT, position_of
from .programs import sample_program
from .release_history import apply_edits, build_repository, git, records

V2 = [  # one release's worth of changes, one of each kind partners care about
    {"file": "program.yaml", "find": 'version: "2027.1"', "replace": 'version: "2027.2"'},
    {"file": "program.yaml", "find": "effective_date: 2027-02-01", "replace": "effective_date: 2027-08-01"},
    # a tier requirement raised (points) and one lowered (a KPI value)
    {"file": "tiers.yaml", "find": "      capability_points: 80\n", "replace": "      capability_points: 82\n"},
    {"file": "tiers.yaml", "find": "        - kpi: net-new-customers\n          value: 2\n",
     "replace": "        - kpi: net-new-customers\n          value: 1\n"},
    # a benefit added and one removed
    {"file": "tiers.yaml",
     "find": "      - id: executive-briefings\n        name: Quarterly executive briefings on the Lumora roadmap\n",
     "replace": "      - id: advisory-board\n        name: A seat on the customer advisory board\n"},
    # an incentive rate changed
    {"file": "incentives/adopt_rates.csv", "find": "gold,na,3.0", "replace": "gold,na,3.25"},
    # a KPI target changed
    {"file": "kpis.yaml", "find": "    target: 25\n    window: {type: fiscal-year}",
     "replace": "    target: 30\n    window: {type: fiscal-year}"},
    # a journey step added
    {"file": "journeys/partner-onboarding.yaml", "find": "steps:\n",
     "replace": "steps:\n  - id: welcome-call\n    name: Welcome call\n    owner: partner-success-manager\n"
                "    start_day: 0\n    duration: {value: 1, unit: hours}\n    description: A first call with the "
                "partner's executive sponsor.\n    exit_criteria:\n      - The sponsor knows the onboarding plan.\n"},
]
PLAY = ("  - id: adjacent-product\n    name: Introduce an adjacent product\n    stage: expand\n")


@pytest.fixture
def repo(tmp_path):
    """The sample in a git repository, tagged v2027.1."""
    root = tmp_path / "portal"
    for name in ("program_data", "schemas", "content", "checks"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("vendor"))
    git(root, "init", "--quiet", "--initial-branch=main")
    commit(root, "v2027.1")
    return root


def commit(root: Path, tag: str | None = None, message: str = "release") -> None:
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", message)
    if tag:
        git(root, "tag", tag)


def remove_play(root: Path) -> None:
    path = root / "program_data/playbooks.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(PLAY)
    end = text.index("  - id: ", start + len(PLAY))
    path.write_text(text[:start] + text[end:], encoding="utf-8")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_diff_between_two_tagged_releases_names_every_kind_of_change(repo, capsys):
    apply_edits(repo, V2)
    remove_play(repo)
    commit(repo, "v2027.2")
    code, out, err = run(capsys, "diff", "v2027.1", "v2027.2", "--project", str(repo), "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert (report["base"]["version"], report["head"]["version"]) == ("2027.1", "2027.2")
    found = {(c["kind"], c["subject"]["id"], c["key"]): c for c in report["changes"]}

    raised = found[("requirement-raised", "gold", "capability_points")]
    assert (raised["old"], raised["new"], raised["impact"]) == (80, 82, "stricter")
    assert raised["location"].startswith("v2027.2:program_data/tiers.yaml:")
    lowered = found[("requirement-lowered", "silver", "kpis/net-new-customers")]
    assert (lowered["old"], lowered["new"], lowered["impact"]) == (2, 1, "easier")
    assert found[("benefit-added", "platinum", "benefits/advisory-board")]["impact"] == "gain"
    assert found[("benefit-removed", "platinum", "benefits/executive-briefings")]["impact"] == "loss"
    rate = found[("rate-changed", "adopt", "rates")]
    assert (rate["old"], rate["new"], rate["label"]) == (3, 3.25, "Gold, North America")
    assert rate["location"] == "v2027.2:program_data/incentives/adopt_rates.csv:2:3"  # the CSV row and column
    assert "3.25% (was 3%)" in rate["summary"]
    target = found[("kpi-target-changed", "multi-year-agreements", "target")]
    assert (target["old"], target["new"], target["impact"]) == (25, 30, "stricter")
    step = found[("step-added", "partner-onboarding", "steps/welcome-call")]
    assert step["new"] == "Welcome call"
    removed = found[("play-removed", "adjacent-product", "")]
    assert removed["impact"] == "loss" and removed["location"].startswith("v2027.1:program_data/playbooks.yaml:")
    assert report["findings"] == []  # the raised requirement takes effect later: no warning
    assert report["summary"]["changes"] == len(report["changes"]) == 8

    code, text, _ = run(capsys, "diff", "v2027.1", "v2027.2", "--project", str(repo))
    assert code == 0
    assert "stricter Gold partners need a capability score of 82 points (was 80)." in text
    code, markdown, _ = run(capsys, "diff", "v2027.1", "v2027.2", "--project", str(repo), "--format", "markdown")
    assert markdown.startswith("## Program changes: 2027.1 → 2027.2")
    assert "### Incentives" in markdown and "- **More for partners**: Adopt incentive" in markdown


def test_diff_defaults_to_the_latest_release_tag_against_the_working_tree(repo, capsys):
    apply_edits(repo, V2[:3])
    code, out, _ = run(capsys, "diff", "--project", str(repo), "--format", "json")
    report = json.loads(out)
    assert code == 0
    assert report["base"]["ref"] == "v2027.1" and report["head"]["label"] == "working tree"
    assert [c["kind"] for c in report["changes"]] == ["requirement-raised"]
    line, column = position_of(repo / "program_data/tiers.yaml", "capability_points: 82")
    assert report["changes"][0]["location"] == f"program_data/tiers.yaml:{line}:{column + len('capability_points: ')}"


def test_reformatting_and_reordering_are_not_changes(repo, capsys):
    path = repo / "program_data/tiers.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("engagement_models: [sales-agent, cs-manager]",
                                 "engagement_models:\n      - cs-manager\n      - sales-agent") + "\n# a comment\n",
                    encoding="utf-8")
    code, out, _ = run(capsys, "diff", "--project", str(repo))
    assert code == 0
    assert "No changes to program data." in out


RAISE_RENEWALS = [  # Gold asks for a second renewals manager (and Platinum too: it may not ask less)
    {"file": "tiers.yaml", "find": "      capability_points: 80\n      staffing:\n        - role: "
     "customer-success-manager\n          count: 2\n        - role: renewals-manager\n          count: 1\n",
     "replace": "      capability_points: 80\n      staffing:\n        - role: customer-success-manager\n"
     "          count: 2\n        - role: renewals-manager\n          count: 2\n"},
    {"file": "tiers.yaml",
     "find": "        - role: renewals-manager\n          count: 1\n        - role: practice-leader\n"
     "          count: 1\n        - role: executive-sponsor\n          count: 1\n      specializations:",
     "replace": "        - role: renewals-manager\n          count: 2\n        - role: practice-leader\n"
     "          count: 1\n        - role: executive-sponsor\n          count: 1\n      specializations:"},
]


def test_a_raised_requirement_without_notice_is_a_warning_and_an_error_with_strict(repo, capsys):
    apply_edits(repo, RAISE_RENEWALS)  # same version, same effective date
    code, out, _ = run(capsys, "diff", "--project", str(repo))
    assert code == 0
    text = (repo / "program_data/tiers.yaml").read_text(encoding="utf-8")
    at = text.index(RAISE_RENEWALS[0]["replace"]) + len(RAISE_RENEWALS[0]["replace"]) - len("2\n")
    line, column = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at) - len("count: ")
    assert f"program_data/tiers.yaml:{line}:{column + len('count: ')}: raised-requirement (warning)" in out
    assert "grace_periods: [{requirement: staffing/renewals-manager, previous: 1" in out
    code, out, _ = run(capsys, "diff", "--project", str(repo), "--strict", "--format", "json")
    assert code == 1
    finding = json.loads(out)["findings"][0]
    assert (finding["severity"], finding["code"], finding["line"], finding["column"]) == (
        "error", "raised-requirement", line, column + len("count: "))


def test_a_grace_period_or_a_later_effective_date_answers_the_release_rule(repo, capsys):
    apply_edits(repo, [RAISE_RENEWALS[0], {
        "file": "tiers.yaml", "find": "    grace_periods:\n",
        "replace": "    grace_periods:\n      - requirement: staffing/renewals-manager\n        previous: 1\n"
                   "        until: 2027-12-31\n"}])
    code, out, _ = run(capsys, "diff", "--project", str(repo), "--strict")
    assert code == 0 and "raised-requirement" not in out
    git(repo, "checkout", "--quiet", "--", "program_data")
    apply_edits(repo, [*RAISE_RENEWALS, V2[1]])
    code, out, _ = run(capsys, "diff", "--project", str(repo), "--strict")
    assert code == 0 and "raised-requirement" not in out


def test_the_diff_names_listed_partners_who_would_no_longer_meet_their_tier(repo, capsys):
    roster = load_program(repo).table("partners/roster.csv")
    short = {tier: sorted(roster[(roster["tier"] == tier) & (roster["renewals-manager"] < 2)]["name"])
             for tier in ("gold", "platinum")}
    assert short["gold"] and short["platinum"], "the sample must list partners with one renewals manager"
    apply_edits(repo, [*RAISE_RENEWALS, V2[1], {
        "file": "tiers.yaml", "find": "    grace_periods:\n",
        "replace": "    grace_periods:\n      - requirement: staffing/renewals-manager\n        previous: 1\n"
                   "        until: 2027-12-31\n"}])
    # Platinum has no grace period, so its partners now break the roster rule: the diff
    # still compares, says who they are, and notes the rule errors.
    code, out, err = run(capsys, "diff", "--project", str(repo), "--format", "json")
    assert code == 0, err
    assert "breaks" in err and "consistency rule" in err
    impact = {i["tier"]: i for i in json.loads(out)["roster"]}
    assert {tier: i["count"] for tier, i in impact.items()} == {tier: len(names) for tier, names in short.items()}
    assert sorted(p["name"] for p in impact["gold"]["partners"]) == short["gold"]
    assert all(p["grace_until"] == "2027-12-31" for p in impact["gold"]["partners"])
    assert all(p["grace_until"] is None for p in impact["platinum"]["partners"])
    assert impact["gold"]["partners"][0]["reasons"] == ["1 × renewals-manager; Gold needs 2"]
    code, text, _ = run(capsys, "diff", "--project", str(repo))
    assert f"Listed partners who would no longer meet Gold: {len(short['gold'])}" in text
    code, _, err = run(capsys, "release", "--project", str(repo))
    assert code == 1 and "consistency rule" in err


def test_diff_usage_errors_say_what_to_do(repo, tmp_path, capsys):
    code, _, err = run(capsys, "diff", "v1999.1", "--project", str(repo))
    assert code == 2 and "'v1999.1' is not a tag, branch or commit" in err
    plain = tmp_path / "plain"
    shutil.copytree(repo / "program_data", plain / "program_data")
    shutil.copytree(repo / "schemas", plain / "schemas")
    code, _, err = run(capsys, "diff", "--project", str(plain))
    assert code == 2 and "not in a git repository" in err
    git(repo, "tag", "--delete", "v2027.1")
    code, _, err = run(capsys, "diff", "--project", str(repo))
    assert code == 2 and "no release tag" in err and "portal diff main" in err


def test_a_base_with_data_errors_is_reported_not_compared(repo, capsys):
    path = repo / "program_data/tiers.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("rank: 2", "rank: two"), encoding="utf-8")
    commit(repo, "v2027.2")
    code, _, err = run(capsys, "diff", "v2027.2", "--project", str(repo))
    assert code == 1
    assert "the program data at v2027.2 has errors" in err and "program_data/tiers.yaml:" in err
    assert "Traceback" not in err


def test_markdown_and_text_show_data_as_text(repo, capsys):
    apply_edits(repo, [{"file": "tiers.yaml", "find": "name: Gold\n", "replace": "name: \"Gold <script>x</script> |"
                        " [a](b) {{ 7*7 }}\"\n"}, V2[2]])
    code, markdown, _ = run(capsys, "diff", "--project", str(repo), "--format", "markdown")
    assert code == 0
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown
    assert "\\[a\\](b)" in markdown and "\\|" in markdown


def test_release_writes_the_record_and_refuses_to_overwrite_it(repo, capsys):
    apply_edits(repo, V2)
    code, out, err = run(capsys, "release", "--project", str(repo), "--date", "2027-05-01")
    assert code == 0, err
    assert "git tag v2027.2" in out
    record = json.loads((repo / "releases/2027.2.json").read_text(encoding="utf-8"))
    assert (record["version"], record["tag"], record["previous"], record["released"]) == (
        "2027.2", "v2027.2", "2027.1", "2027-05-01")
    assert any(c["kind"] == "rate-changed" for c in record["changes"])
    code, _, err = run(capsys, "release", "--project", str(repo))
    assert code == 2 and "already exists" in err
    code, out, _ = run(capsys, "check", "--project", str(repo))
    assert code == 0  # the record is valid against schemas/release.schema.json
    code, _, err = run(capsys, "release", "--project", str(repo), "--date", "May 1st")
    assert code == 2 and "YYYY-MM-DD" in err


def test_release_refuses_a_raised_requirement_without_notice_with_strict(repo, capsys):
    apply_edits(repo, [V2[0], V2[2]])  # a new version, but on the same effective date
    code, _, err = run(capsys, "release", "--project", str(repo), "--strict")
    assert code == 1 and "raised-requirement" in err and "not recording" in err
    assert not (repo / "releases/2027.2.json").exists()


BACKDATED = [{"file": "program.yaml", "find": 'version: "2027.1"\neffective_date: 2027-02-01',
              "replace": 'version: "2027.2"\neffective_date: 2026-07-01'}]


def test_a_version_that_takes_effect_before_the_one_it_follows_is_an_error_in_diff_and_release(repo, capsys):
    apply_edits(repo, BACKDATED)
    code, out, _ = run(capsys, "diff", "--project", str(repo))
    assert code == 1
    assert "program_data/program.yaml:12:17: release-order version 2027.2 takes effect on 2026-07-01, not after " \
           "version 2027.1 (2027-02-01)" in out
    code, _, err = run(capsys, "release", "--project", str(repo), "--date", "2026-06-01")
    assert code == 1 and "release-order" in err and "not recording" in err
    assert not (repo / "releases/2027.2.json").exists()


def test_once_recorded_a_release_holds_the_next_version_to_a_later_date(repo, capsys):
    apply_edits(repo, V2)
    assert run(capsys, "release", "--project", str(repo), "--date", "2027-05-01")[0] == 0
    apply_edits(repo, [{"file": "program.yaml", "find": 'version: "2027.2"\neffective_date: 2027-08-01',
                        "replace": 'version: "2027.3"\neffective_date: 2027-08-01'}])
    code, out, _ = run(capsys, "check", "--project", str(repo))
    assert code == 1
    assert "program_data/program.yaml:12:17: release-order version 2027.3 takes effect on 2027-08-01, not after " \
           "the released version 2027.2 (2027-08-01)" in out
    assert "see also: releases/2027.2.json:4:21" in out
    assert "fix: write 2027-08-02 at program_data/program.yaml:12:17" in out


def test_a_wording_change_under_the_same_id_is_a_change(repo, capsys):
    apply_edits(repo, [
        {"file": "tiers.yaml", "find": "      - id: usage-report\n        name: Monthly customer usage report with "
         "renewal risk ratings\n      - id: success-engineer",
         "replace": "      - id: usage-report\n        name: Weekly customer usage report with renewal risk "
         "ratings\n      - id: success-engineer"},
        {"file": "incentives.yaml", "find": "        - The partner's value-added selling is recorded on the deal.",
         "replace": "        - The partner's value-added selling is recorded on the deal in the partner portal."},
        {"file": "incentives.yaml", "find": "          within_days: 90", "replace": "          within_days: 120"},
    ])
    code, out, _ = run(capsys, "diff", "--project", str(repo), "--format", "json")
    assert code == 0
    changes = json.loads(out)["changes"]
    summaries = [c["summary"] for c in changes]
    assert summaries == [
        "Platinum partners' benefit “Monthly customer usage report with renewal risk ratings” now reads “Weekly "
        "customer usage report with renewal risk ratings”.",
        "To earn the Adoption rebate, partners now also need: The partner's value-added selling is recorded on the "
        "deal in the partner portal.",
        "To earn the Adoption rebate, partners no longer need: The partner's value-added selling is recorded on the "
        "deal.",
        "To earn the Adoption rebate, partners need the customer success plan within 120 days of the contract start "
        "(was 90)."]
    # What's new is made from the release record, which carries the same changes.
    apply_edits(repo, [{"file": "program.yaml", "find": 'version: "2027.1"\neffective_date: 2027-02-01',
                        "replace": 'version: "2027.2"\neffective_date: 2027-05-01'}])
    assert run(capsys, "release", "--project", str(repo), "--date", "2027-04-01")[0] == 0
    record = json.loads((repo / "releases/2027.2.json").read_text(encoding="utf-8"))
    assert [c["summary"] for c in record["changes"] if c["kind"] != "field-changed"] == summaries


def test_a_damaged_release_record_is_located(repo, capsys):
    (repo / "releases").mkdir()
    (repo / "releases/2027.1.json").write_text('{\n  "version": "2027.1",\n  "tag": "v2027.1",\n'
                                               '  "effective_date": "soon"\n}\n', encoding="utf-8")
    code, out, _ = run(capsys, "check", "--project", str(repo), "--format", "json")
    assert code == 1
    findings = json.loads(out)["findings"]
    assert {(f["file"], f["line"]) for f in findings} >= {("releases/2027.1.json", 4)}


def test_unit_diff_sees_rates_added_and_removed():
    base = sample_program()
    head_tables = dict(base.tables)
    frame = base.table("incentives/renewal_rates.csv")
    head_tables["incentives/renewal_rates.csv"] = frame.iloc[:-1]
    head = type(base)(base.documents, head_tables, base.schemas)
    kinds = [(c.kind, c.impact, c.old) for c in diff_programs(base, head)]
    assert kinds == [("rate-removed", "loss", 4.0)]
    kinds = [(c.kind, c.impact, c.new) for c in diff_programs(head, base)]
    assert kinds == [("rate-added", "gain", 4.0)]


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    repo = tmp_path_factory.mktemp("history") / "repo"
    return repo, build_repository(repo)


def test_the_sample_carries_its_release_history(history):
    repo, tags = history
    assert [t for t, _ in tags] == ["v2026.1", "v2026.2", "v2027.1"]
    expected = records(repo, tags)
    committed = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "releases").glob("*.json")}
    assert committed == expected, "releases/ is stale: run .venv/bin/python -m tests.release_history"
    newest = json.loads(committed["2027.1.json"])
    assert len(newest["changes"]) >= 5 and newest["previous"] == "2026.2"
