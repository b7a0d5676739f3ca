"""The strict YAML loader: refuses what PyYAML would silently accept, keeps positions."""

from __future__ import annotations

import time

import pytest

from partner_portal.load.yaml_file import MAX_DEPTH, load_yaml


def codes(text: str) -> list[tuple[str, int, int]]:
    result = load_yaml(text, "f.yaml")
    return [(f.code, f.location.line, f.location.column) for f in result.findings]


def test_plain_values_follow_yaml_1_2_core_schema():
    doc = load_yaml("a: 1\nb: -2.5\nc: true\nd: null\ne: ~\nf: text\ng: 2027-02-01\nh: '010'\n", "f.yaml").document
    assert doc.data == {"a": 1, "b": -2.5, "c": True, "d": None, "e": None, "f": "text", "g": "2027-02-01", "h": "010"}


def test_every_value_and_key_keeps_its_line_and_column():
    doc = load_yaml("tiers:\n  - id: gold\n    rank: 2\n", "f.yaml").document
    assert doc.position(("tiers", 0, "rank")) == (3, 11)
    assert doc.position(("tiers", 0, "rank"), key=True) == (3, 5)
    # A path that does not exist falls back to its nearest ancestor.
    assert doc.position(("tiers", 0, "missing")) == (2, 5)


def test_duplicate_key_is_an_error_at_the_second_key_naming_the_first():
    result = load_yaml("a: 1\nb: 2\na: 3\n", "f.yaml")
    [finding] = result.findings
    assert (finding.code, finding.location.line, finding.location.column) == ("duplicate-key", 3, 1)
    assert finding.related[0].line == 1
    assert result.document.data["a"] == 1


def test_duplicate_keys_are_all_reported_not_only_the_first():
    assert [c for c, _, _ in codes("a: 1\na: 2\nb: {x: 1, x: 2}\n")] == ["duplicate-key", "duplicate-key"]


@pytest.mark.parametrize("word", ["no", "No", "NO", "yes", "on", "off", "Off", "y", "n"])
def test_yaml_1_1_booleans_are_flagged(word):
    assert codes(f"name: {word}\n") == [("ambiguous-value", 1, 7)]


@pytest.mark.parametrize("text", ["name: 'no'\n", 'name: "no"\n', "name: !!str no\n", "name: Norway\n"])
def test_quoted_or_tagged_text_is_fine(text):
    result = load_yaml(text, "f.yaml")
    assert result.findings == []
    assert isinstance(result.document.data["name"], str)


@pytest.mark.parametrize(
    "value, code",
    [("1:30", "ambiguous-value"), ("010", "ambiguous-value"), ("0x1F", "ambiguous-value"),
     ("1_000", "ambiguous-value"), (".nan", "not-a-number"), (".inf", "not-a-number"), ("-.inf", "not-a-number")],
)
def test_surprising_numbers_are_flagged_not_converted(value, code):
    result = load_yaml(f"v: {value}\n", "f.yaml")
    assert [(f.code, f.location.line, f.location.column) for f in result.findings] == [(code, 1, 4)]
    assert result.document.data["v"] == value


def test_anchors_and_aliases_are_refused():
    assert codes("a: &x 1\nb: 2\n") == [("yaml-anchor", 1, 4)]


def test_alias_bomb_is_refused_quickly():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        prev = chr(ord("a") + i - 1)
        name = chr(ord("a") + i)
        lines.append(f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]")
    start = time.perf_counter()
    result = load_yaml("\n".join(lines) + "\n", "bomb.yaml")
    assert time.perf_counter() - start < 0.5
    assert result.document is None
    assert result.findings[0].code == "yaml-anchor"


def test_merge_keys_are_refused():
    assert codes("base: {a: 1}\nx:\n  <<: {b: 2}\n") == [("yaml-merge-key", 3, 3)]


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system ['true']", "!!python/name:os.system", "!custom 1"])
def test_tags_are_refused_and_never_executed(tag):
    [(code, line, column)] = codes(f"a: {tag}\n")
    assert code in ("unsafe-tag", "yaml-tag")
    assert (line, column) == (1, 4)


def test_tab_indentation_is_a_located_syntax_error():
    assert codes("a:\n\tb: 1\n") == [("yaml-tab", 2, 1)]


def test_unclosed_quote_points_at_the_opening_quote():
    assert codes("a: 1\nb: 'open\nc: 2\n") == [("yaml-unclosed", 2, 4)]


def test_unclosed_bracket_points_at_the_opening_bracket():
    assert codes("a: [1, 2\nb: 3\n") == [("yaml-unclosed", 1, 4)]


def test_deep_nesting_is_refused_without_exhausting_the_stack():
    [(code, _, _)] = codes("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert code == "yaml-too-deep"
    assert codes("a: " + "[" * 70 + "]" * 70 + "\n") == [("yaml-too-deep", 1, 67)]
    assert load_yaml("a: " + "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 2) + "\n", "f.yaml").findings == []


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file_is_a_finding(text):
    assert codes(text) == [("empty-file", 1, 1)]


def test_several_documents_in_one_file_are_refused():
    [(code, line, _)] = codes("a: 1\n---\nb: 2\n")
    assert (code, line) == ("yaml-syntax", 2)


def test_schema_modeline_is_read_from_the_leading_comments():
    doc = load_yaml("# A comment\n# yaml-language-server: $schema=../schemas/x.schema.json\na: 1\n", "f.yaml").document
    assert (doc.schema_ref, doc.schema_ref_line) == ("../schemas/x.schema.json", 2)


_EDGE_CASES = [  # YAML features and mistakes, alone and in combination
    "a: no\nb: 1:30\nc: '010'\nd: !!str on\ne: ~\nf: [1, 2.5, -3]\n", "x: |\n  two\n  lines\n",
    "a: ! text\n", "a: !!int 3\n", "!!map {a: 1}\n", "a: !!python/object:os.system x\n", "a: !custom [1]\n",
    "!!str key: 1\n", "a: 1\n<<: {b: 2}\n'<<': 3\n", "? [a, b]\n: 1\nc: 2\n", "? {a: !!int 1}\n: x\n",
    "a: 1\na: !!int 2\n", "a: 1\na: " + "[" * 70 + "]" * 70 + "\n",
    "a: " + "[" * 63 + "x" + "]" * 63 + "\n", "a: " + "[" * 64 + "x" + "]" * 64 + "\n",
    "".join(" " * i + f"k{i}:\n" for i in range(70)) + " " * 70 + "v\n",
    "a: &x 1\nb: *x\n", "a: R&D\nb: 5 * 3\n", "- !!str 1\n- !!float 2\n", "{a: 1, b: [x, {c: d}]}\n",
    "? !!int 1\n: a\n", "a:\n  - b: 1\n    b: 2\n", "",
]


def test_only_text_skips_the_checks_for_nulls_booleans_and_numbers():
    """A plain scalar whose first character is not in _SPECIAL_FIRST is taken as text at
    once; every form the loader reads otherwise, or flags, must start with one of them."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from partner_portal.load import yaml_file as y

    patterns = (y._NULL, y._INT, y._FLOAT, y._YAML11_BOOL, y._SPECIAL_FLOAT, y._SEXAGESIMAL, y._OTHER_NUMBER)

    @settings(max_examples=300, database=None, derandomize=True)
    @given(st.one_of(*(st.from_regex(p, fullmatch=True) for p in patterns), st.sampled_from(sorted(y._BOOL))))
    def starts_specially(value):
        assert value == "" or value[0] in y._SPECIAL_FIRST or not any(p.match(value) for p in patterns)

    starts_specially()


@pytest.mark.parametrize("text", _EDGE_CASES)
def test_edge_cases_load_without_a_crash_and_locate_every_finding(text):
    result = load_yaml(text, "f.yaml")
    assert result.document is not None or result.findings
    for finding in result.findings:
        assert finding.location.line >= 1 and finding.location.column >= 1 and finding.hint


def test_control_characters_are_named():
    [finding] = load_yaml("a: bell\x07here\n", "f.yaml").findings
    assert (finding.code, finding.location.line, finding.location.column) == ("yaml-syntax", 1, 8)
    assert "U+0007" in finding.message


def test_a_runaway_quote_is_reported_where_it_opens():
    [finding] = load_yaml("'a\nb: 1\nc: 'd'\n", "f.yaml").findings
    assert (finding.code, finding.location.line, finding.location.column) == ("yaml-unclosed", 1, 1)
    assert (finding.related[0].line, finding.related[0].column) == (3, 5)
