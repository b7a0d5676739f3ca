"""Property-based tests: whatever text a program team saves, the loaders and the schema
layer return findings, never an exception, and every finding has a location.

Run with a fixed seed so CI is repeatable; about 6,000 documents in all."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partner_portal.check.schema import SchemaStore
from partner_portal.check.table_schema import check_table
from partner_portal.load.csv_file import load_csv
from partner_portal.load.yaml_file import load_yaml

from .conftest import ROOT

STORE = SchemaStore.load(ROOT / "schemas", ROOT)
YAML_SCHEMAS = sorted(n for n in STORE.schemas if not n.startswith("tables/") and n != "common.schema.json")
TABLE_SCHEMAS = sorted(n for n in STORE.schemas if n.startswith("tables/"))
SAMPLES = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "program_data").rglob("*.yaml"))}

def profile(examples: int) -> settings:
    return settings(max_examples=examples, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


YAML_ALPHABET = st.sampled_from(list("abc xyz019-_:'\"{}[],&*!|>#%@`\t\n\\.?~") + ["no", "yes", "1:30", ".nan",
                                                                              "<<", "!!python/", "\ufeff", "é"])


def assert_located(findings) -> None:
    for finding in findings:
        assert finding.code and finding.message
        assert finding.location.file
        assert finding.location.line >= 0 and finding.location.column >= 0


def load_and_validate(text: str, schema: str) -> None:
    result = load_yaml(text, "f.yaml")
    assert_located(result.findings)
    if result.document is not None:
        assert_located(STORE.validate(result.document, schema))


@profile(1500)
@given(st.lists(YAML_ALPHABET, max_size=200).map("".join), st.sampled_from(YAML_SCHEMAS))
def test_random_text(text, schema):
    load_and_validate(text, schema)


@st.composite
def corrupted_sample(draw):
    """A sample file with a few random deletions, insertions and swaps."""
    name = draw(st.sampled_from(sorted(SAMPLES)))
    text = SAMPLES[name]
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["delete", "insert", "duplicate-line"]))
        if edit == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)):]
        elif edit == "insert":
            text = text[:at] + draw(YAML_ALPHABET) + text[at:]
        else:
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            line = text[start:end if end >= 0 else len(text)]
            text = text[:start] + line + "\n" + text[start:]
    schema = name.removesuffix(".yaml") + ".schema.json"
    return text, schema if schema in STORE.schemas else "journey.schema.json"


@profile(2500)
@given(corrupted_sample())
def test_corrupted_sample_files(case):
    load_and_validate(*case)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=30)


@profile(1500)
@given(JSON_VALUES, st.sampled_from(YAML_SCHEMAS))
def test_random_structures(value, schema):
    load_and_validate(yaml.safe_dump(value, allow_unicode=True), schema)


CSV_ALPHABET = st.sampled_from(list("ab,;\"\n\r 0123456789.-%$=") + ["gold", "na", "\ufeff", "é", "\x00"])


@profile(1500)
@given(st.lists(CSV_ALPHABET, max_size=150).map("".join), st.sampled_from(TABLE_SCHEMAS))
def test_random_csv(text, schema):
    header = ",".join(STORE.schemas[schema]["properties"])
    for candidate in (text, header + "\n" + text):
        loaded = load_csv(candidate, "t.csv")
        assert_located(loaded.findings)
        if loaded.table is not None:
            _, findings = check_table(loaded.table, STORE.schemas[schema])
            assert_located(findings)
