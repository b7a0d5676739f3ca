"""The findings of the sample, of every rule and schema fixture, and of every data file
damaged with every kind of bad input, compared with those recorded in
tests/fixtures/expected-findings.json: code, severity, layer, place, data path and
related places (messages and hints may be reworded; what is found, and where, may not
change by accident). A deliberate change is recorded again with `python -m tests.cases`."""

from __future__ import annotations

import json

import pytest

from .cases import EXPECTED

EXPECTED_CASES = json.loads(EXPECTED.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", sorted(EXPECTED_CASES))
def test_findings_are_as_recorded(cases, case):
    assert case in cases, f"{case} is recorded but no longer produced"
    assert cases[case] == EXPECTED_CASES[case]


def test_every_case_is_recorded(cases):
    assert sorted(set(cases) - set(EXPECTED_CASES)) == []
