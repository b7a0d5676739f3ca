"""What a long-lived process keeps (core/memo.py): a check after an edit parses and validates
the edited file alone, finds exactly what a process keeping nothing finds, and no caller can
change what the next check is given."""

from __future__ import annotations

from partner_portal.check.run import check_project
from partner_portal.core import memo
from partner_portal.core.project import Project

from .conftest import edit


def findings(project) -> list[tuple]:
    result = check_project(Project.open(project), tables=False)
    return [(f.code, f.location.file, f.location.line, f.location.column, f.message) for f in result.findings]


def fresh(project) -> list[tuple]:
    memo.keep_answers(False)
    try:
        return findings(project)
    finally:
        memo.keep_answers()


def test_an_edit_parses_only_the_edited_file_and_finds_what_a_fresh_check_finds(project):
    findings(project)
    before = memo.PARSED.misses
    unseen = f"    rank: two  # {project.name}\n"  # a text no other test has checked in this process
    edit(project / "program_data/tiers.yaml", "    rank: 2\n", unseen)
    kept = findings(project)
    assert memo.PARSED.misses - before == 1  # tiers.yaml; every other file came from memory
    assert kept == fresh(project)
    assert [(code, file) for code, file, *_ in kept] == [("wrong-type", "program_data/tiers.yaml")]
    edit(project / "program_data/tiers.yaml", unseen, "    rank: 2\n")
    assert findings(project) == fresh(project) == []


def test_what_a_check_changes_in_a_document_does_not_reach_the_next_check(project):
    first = check_project(Project.open(project), tables=False)
    for document in first.documents.values():
        document.flagged.add(("tiers",))  # later layers mark places as flagged
        document.data = None
    second = check_project(Project.open(project), tables=False)
    assert all(document.data is not None and ("tiers",) not in document.flagged
               for document in second.documents.values())
    assert [f.code for f in second.findings] == [f.code for f in first.findings]


def test_a_process_that_checks_once_keeps_nothing():
    kept = memo.Memo()
    memo.keep_answers(False)
    try:
        calls = [kept.get("key", lambda: [1]) for _ in range(2)]
        assert kept.hits == 0 and kept.misses == 0 and calls == [[1], [1]]
    finally:
        memo.keep_answers()
    first, second = kept.get("key", lambda: [1]), kept.get("key", lambda: [2])
    assert first == second == [1] and first is not second and (kept.hits, kept.misses) == (1, 1)
