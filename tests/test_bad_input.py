"""Bad input, one case per kind of mistake program teams make: each gets a located finding
with its code and exit 1 (or, where the input is harmless, is accepted as meant), and
never a traceback, a hang or a partial site."""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from partner_portal.site import fragments, markup, pages, plan
from partner_portal.site.checked_program import load_program

from .conftest import edit, position_of

KPIS = "program_data/kpis.yaml"
PROGRAM = "program_data/program.yaml"
RATES = "program_data/incentives/adopt_rates.csv"


def check(portal, project: Path) -> tuple[int, list[dict]]:
    run = portal("check", "--project", str(project), "--format", "json")
    assert "Traceback" not in run.out + run.err
    assert run.code in (0, 1), run.err
    return run.code, json.loads(run.out)["findings"]


def expect(portal, project: Path, code: str, file: str, line: int | None = None, column: int | None = None,
           field: str | None = None) -> dict:
    """Exit 1 with a finding of `code` in `file` at the given place; return it."""
    exit_code, findings = check(portal, project)
    assert exit_code == 1
    matching = [f for f in findings if f["code"] == code and f["file"] == file]
    assert matching, [(f["code"], f["file"], f["line"]) for f in findings]
    finding = matching[0]
    if line is not None:
        assert finding["line"] == line, finding
    if column is not None:
        assert finding["column"] == column, finding
    if field is not None:
        assert finding["field"] == field, finding
    assert finding["hint"], finding
    return finding


def value_at(path: Path, line_text: str) -> tuple[int, int]:
    """Line and column of the value in the first line holding `key: value`."""
    line, column = position_of(path, line_text)
    return line, column + line_text.index(": ") + 2


def write(project: Path, rel: str, content: str | bytes) -> Path:
    path = project / rel
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# -- YAML ---------------------------------------------------------------------------------


def test_yaml_duplicate_keys(project, portal):
    edit(project / KPIS, "    stage: land\n", "    stage: land\n    stage: onboard\n")
    expect(portal, project, "duplicate-key", KPIS, *position_of(project / KPIS, "stage: onboard"))


def test_yaml_alias_bomb_is_refused_not_expanded(project, portal):
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(12)]
    write(project, KPIS, "\n".join(bomb) + "\n")
    expect(portal, project, "yaml-anchor", KPIS, 1, 4)


def test_yaml_unsafe_tag_is_never_executed(project, portal, tmp_path):
    marker = tmp_path / "executed"
    write(project, KPIS, f"kpis: !!python/object/apply:os.system ['touch {marker}']\n")
    expect(portal, project, "unsafe-tag", KPIS, 1, 7)
    assert not marker.exists()


def test_a_file_that_fails_to_load_is_reported_once_not_by_every_suite_using_its_ids(project, portal):
    # program.yaml defines the regions that three suites check tables against.
    edit(project / PROGRAM, "\nname: ", "\nname: !!python/object:os.system ")
    exit_code, findings = check(portal, project)
    assert exit_code == 1
    assert [(f["code"], f["file"]) for f in findings if f["severity"] == "error"] == [("unsafe-tag", PROGRAM)]


def test_yaml_tab_indentation(project, portal):
    edit(project / KPIS, "    name: Net-new customers", "\tname: Net-new customers")
    expect(portal, project, "yaml-tab", KPIS, position_of(project / KPIS, "\tname")[0], 1)


def test_yaml_unclosed_quote(project, portal):
    edit(project / KPIS, "    name: Net-new customers", "    name: 'Net-new customers")
    expect(portal, project, "yaml-unclosed", KPIS, *value_at(project / KPIS, "name: 'Net-new"))


def test_yaml_unclosed_bracket(project, portal):
    edit(project / KPIS, "window: {type: rolling, months: 12}", "window: {type: rolling, months: 12")
    expect(portal, project, "yaml-unclosed", KPIS, *position_of(project / KPIS, "{type: rolling, months: 12\n"))


def test_binary_junk(project, portal):
    write(project, KPIS, bytes(range(256)) * 4)
    expect(portal, project, "binary-file", KPIS, 1, 1)


def test_control_characters(project, portal):
    write(project, KPIS, "kpis: []\nnote: bell\x07here\n")
    expect(portal, project, "yaml-syntax", KPIS, 2, 11)


def test_empty_yaml_file(project, portal):
    write(project, KPIS, "")
    expect(portal, project, "empty-file", KPIS, 1, 1)


def test_list_where_a_mapping_belongs(project, portal):
    write(project, KPIS, "# yaml-language-server: $schema=../schemas/kpis.schema.json\n- renewal-rate\n- csat\n")
    finding = expect(portal, project, "wrong-type", KPIS, 2, 1)
    assert "top level" in finding["hint"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_utf16_and_other_encodings(project, portal, encoding):
    write(project, KPIS, (project / KPIS).read_text().encode(encoding))
    expect(portal, project, "wrong-encoding", KPIS, 1, 1)


@pytest.mark.parametrize("word", ["yes", "no", "on", "off"])
def test_yes_no_on_off_where_text_belongs(project, portal, word):
    edit(project / KPIS, "    name: Net-new customers", f"    name: {word}")
    expect(portal, project, "ambiguous-value", KPIS, *value_at(project / KPIS, f"name: {word}\n"))


def test_percent_string_where_a_number_belongs(project, portal):
    edit(project / KPIS, "    target: 25\n", '    target: "25%"\n')
    finding = expect(portal, project, "wrong-type", KPIS, *value_at(project / KPIS, 'target: "25%"'))
    assert finding["hint"] == "Write the number without the percent sign: 25."


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_nan_and_infinity(project, portal, value):
    edit(project / KPIS, "    target: 25\n", f"    target: {value}\n")
    expect(portal, project, "not-a-number", KPIS, *value_at(project / KPIS, f"target: {value}\n"))


def test_nesting_thousands_of_levels_deep(project, portal):
    write(project, KPIS, "kpis: " + "[" * 5000 + "]" * 5000 + "\n")
    expect(portal, project, "yaml-too-deep", KPIS, 1)


def test_a_file_of_tens_of_megabytes_is_refused_by_size(project, portal):
    with (project / KPIS).open("w") as big:
        line = "# " + "x" * 1022 + "\n"
        for _ in range(30 * 1024):  # 30 MiB
            big.write(line)
    finding = expect(portal, project, "file-too-large", KPIS)
    assert "30.0 MiB" in finding["message"]


# -- CSV ----------------------------------------------------------------------------------


def test_csv_wrong_delimiter(project, portal):
    path = project / RATES
    path.write_text(path.read_text().replace(",", ";"))
    expect(portal, project, "csv-delimiter", RATES, 1, 1)


def test_csv_missing_header(project, portal):
    path = project / RATES
    path.write_text("\n".join(path.read_text().splitlines()[1:]) + "\n")
    expect(portal, project, "csv-missing-header", RATES, 1, 1)


def test_csv_duplicated_column_names(project, portal):
    edit(project / RATES, "tier,region,rate_percent", "tier,region,tier")
    expect(portal, project, "csv-duplicate-column", RATES, 1, 3)


def test_csv_ragged_rows(project, portal):
    edit(project / RATES, "gold,emea,3.0", "gold,emea,3.0,extra")
    expect(portal, project, "csv-ragged-row", RATES, 4, 4)


def test_csv_byte_order_mark_is_accepted(project, portal):
    path = project / RATES
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    assert check(portal, project) == (0, [])


def test_csv_latin1_bytes(project, portal):
    path = project / RATES
    path.write_bytes(path.read_bytes().replace(b"gold,emea,3.0", "gold,\xe9mea,3.0".encode("latin-1")))
    expect(portal, project, "wrong-encoding", RATES, 4, 6)


def test_empty_csv(project, portal):
    write(project, RATES, "")
    expect(portal, project, "empty-file", RATES, 1, 1)


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_spreadsheet_formulas_are_neutralised_in_every_download(project, start):
    formula = f"{start}HYPERLINK(\"http://example.invalid\",\"x\")"
    edit(project / "program_data/tiers.yaml", "        name: Renewal incentive\n",
         f"        name: '{formula}'\n")
    edit(project / KPIS, "    name: Net-new customers", f"    name: '{formula}'")
    files = plan.downloads(load_program(project))
    for path, content in files.items():
        if path.endswith(".csv"):
            for line in content.splitlines():
                for cell in line.split(","):
                    assert not cell.lstrip('"').startswith(start + "HYPERLINK"), (path, line)
    assert f"'{formula}" in files["downloads/kpis.csv"].replace('""', '"')


# -- Rendering ----------------------------------------------------------------------------


def test_html_and_jinja_in_a_data_string_render_as_text(project):
    edit(project / "program_data/tiers.yaml", "    summary: For partners with a customer success practice",
         "    summary: <script>alert(1)</script> {{ 7*7 }} {% if x %} For partners with a customer success practice")
    program = load_program(project)
    page = pages.render(program, project / "content", "tiers/gold.md", "{% set item = 'gold' %}"
                        "{% include 'templates/tier.md' %}")
    assert "<script>" not in page and "{{" not in page and "{%" not in page
    assert "&lt;script&gt;alert\\(1\\)&lt;/script&gt; &#123;&#123; 7\\*7 &#125;&#125;" in page


def test_pipes_and_newlines_in_a_table_value_stay_in_their_cell(project):
    edit(project / KPIS, "    definition: Share of new contracts signed for a term of two years or more.",
         '    definition: "Share | of new\\ncontracts"')
    program = load_program(project)
    kpis = next(t for t in plan.all_tables(program) if t.id == "kpis")
    markdown = markup.table(kpis, markup.Links(program, "lifecycle/index.md"))
    row = next(line for line in markdown.splitlines() if "Multi" in line)
    assert "Share \\| of new contracts" in row
    assert row.count(" | ") == 4  # five cells, as the header has


def test_a_macro_with_an_unknown_id(project):
    program = load_program(project)
    with pytest.raises(LookupError, match="no incentive with the id 'loyalty'"):
        fragments.incentives.incentive_rates(program, markup.Links(program, "incentives/x.md"), "loyalty")
    # The build turns this into `content/page.md:LINE:COL: ...`; see test_site.py.


# -- Files --------------------------------------------------------------------------------


@pytest.mark.parametrize("logo", ["../../../etc/logo.svg", "/etc/logo.svg"])
def test_a_data_field_naming_a_file_outside_its_folder(project, portal, logo):
    edit(project / PROGRAM, "logo: assets/logo.svg", f"logo: {logo}")
    expect(portal, project, "invalid-value", PROGRAM, *value_at(project / PROGRAM, f"logo: {logo}"))


def test_a_payout_table_outside_program_data(project, portal):
    edit(project / "program_data/incentives.yaml", "table: incentives/renewal_rates.csv",
         "table: ../secrets/renewal_rates.csv")
    expect(portal, project, "invalid-value", "program_data/incentives.yaml")


def test_a_symbolic_link_pointing_outside_the_project(project, portal, tmp_path):
    outside = tmp_path.parent / "outside.yaml"
    outside.write_text("secret: 1\n")
    (project / "program_data/partners.yaml").symlink_to(outside)
    expect(portal, project, "unsafe-path", "program_data/partners.yaml")


def test_a_linked_logo_pointing_outside_the_project(project, portal, tmp_path):
    outside = tmp_path.parent / "logo.svg"
    outside.write_text("<svg/>")
    (project / "content/assets/logo.svg").unlink()
    (project / "content/assets/logo.svg").symlink_to(outside)
    expect(portal, project, "unsafe-path", PROGRAM, *value_at(project / PROGRAM, "logo: assets"))


def test_a_data_file_that_cannot_be_read(project, portal):
    (project / KPIS).unlink()
    (project / KPIS).symlink_to(project / "program_data" / "nowhere.yaml")  # dangling
    expect(portal, project, "unreadable-file", KPIS)


def test_a_data_file_without_read_permission(project, portal):
    (project / KPIS).chmod(0)
    if os.geteuid() != 0:
        expect(portal, project, "unreadable-file", KPIS)
        return
    # Root reads a file whatever its permissions, by its capabilities to override them:
    # `setpriv` (util-linux) runs `portal` as root without those two, so the bits count.
    without_override = ["setpriv", "--inh-caps=-dac_override,-dac_read_search",
                        "--bounding-set=-dac_override,-dac_read_search"]
    done = subprocess.run([*without_override, sys.executable, "-m", "partner_portal.cli.main", "check",
                           "--project", str(project), "--format", "json"], capture_output=True, text=True)
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr, done.stderr
    findings = json.loads(done.stdout)["findings"]
    assert [f for f in findings if f["code"] == "unreadable-file" and f["file"] == KPIS and f["hint"]], findings


# -- Table check suites -------------------------------------------------------------------


SUITE = "checks/adopt_rates.yaml"


@pytest.mark.parametrize("old, new, says", [
    ("kwargs: {column_list: [tier, region]}", "kwargs: {column_list: [tier, regoin]}", "no column 'regoin'"),
    ("kwargs: {column: rate_percent, min_value: 0, max_value: 25}",
     "kwargs: {column: rate_percnt, min_value: 0, max_value: 25}", "no column 'rate_percnt'"),
    ("value_set: {vocabulary: region}", "value_set: {vocabulary: regions}", "there is no vocabulary 'regions'"),
    ("    message: a rate of {value}% is outside", "    message: a rate of {value is outside", "not a valid template"),
    ("expect: expect_column_values_to_be_of_type", "expect: expect_column_values_to_be_oftype", "not found"),
])
def test_a_broken_suite_entry_is_reported_at_the_suite(project, portal, old, new, says):
    edit(project / SUITE, old, new)
    finding = expect(portal, project, "invalid-expectation", SUITE)
    assert says in finding["message"]


def test_a_csv_without_a_suite(project, portal):
    (project / SUITE).unlink()
    expect(portal, project, "no-table-check", RATES)


def test_a_worked_example_too_large_to_compute(project, portal):
    edit(project / "program_data/incentives.yaml", "      basis_amount: 80000", "      basis_amount: 1e308")
    expect(portal, project, "out-of-range", "program_data/incentives.yaml")
