"""Programs built in memory from the sample: the sample's files as text, edited as a test
needs, and checked by the syntax, schema, references and rules layers without copying
the project or running the table suites."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

from partner_portal.check.run import CheckResult, check_project
from partner_portal.core.project import Project
from partner_portal.model.program import Program
from partner_portal.site.checked_program import load_program

from .conftest import ROOT


@cache
def sample_texts() -> dict[str, str]:
    """Every data file of the sample as text, by its path relative to program_data/, the
    release records (`../releases/VERSION.json`) and the program rules
    (`../checks/rules/NAME.yaml`)."""
    project = Project.open(ROOT)
    files, _ = project.data_files(project.catalog()[0])
    texts = {f.rel: f.path.read_text(encoding="utf-8") for f in files}
    for record in sorted((ROOT / "releases").glob("*.json")):  # named by their path from program_data/
        texts[f"../releases/{record.name}"] = record.read_text(encoding="utf-8")
    for rules in sorted((ROOT / "checks" / "rules").glob("*.yaml")):
        texts[f"../checks/rules/{rules.name}"] = rules.read_text(encoding="utf-8")
    return texts


def edited(edits: Iterable[Mapping[str, str]]) -> dict[str, str]:
    """The sample's texts with each edit ({file, find, replace}) made once; the test fails
    when an edit's text is not found exactly once."""
    texts = dict(sample_texts())
    for edit in edits:
        text = texts[edit["file"]]
        assert text.count(edit["find"]) == 1, f"{edit['find']!r} must occur once in {edit['file']}"
        texts[edit["file"]] = text.replace(edit["find"], edit["replace"])
    return texts


def checked(edits: Iterable[Mapping[str, str]] = ()) -> CheckResult:
    """The sample, edited, through every layer but the table suites."""
    return check_project(Project.open(ROOT), tables=False, texts=edited(edits))


@cache
def sample_program() -> Program:
    """The sample, checked as the site loads it, once for the test process. Tests read it;
    one that changes a program changes a copy."""
    return load_program(ROOT)
