"""The sample program's release history as a git repository, and its release records.

tests/fixtures/releases/history.yaml describes the sample's earlier releases as edits.
`build_repository` turns it into a git repository with one tagged commit per release;
`records` runs what `portal release` runs for each tag. The records committed in
releases/ must equal them (tests/test_releases.py checks); to write them again:

    .venv/bin/python -m tests.release_history
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from partner_portal.load.yaml_file import load_yaml
from partner_portal.releases.compare import compare, side_at
from partner_portal.releases.records import make_record, record_text

ROOT = Path(__file__).resolve().parent.parent
HISTORY = ROOT / "tests" / "fixtures" / "releases" / "history.yaml"
COPIED = ("program_data", "schemas", "content")


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="Program team", GIT_AUTHOR_EMAIL="program@lumora.example",
               GIT_COMMITTER_NAME="Program team", GIT_COMMITTER_EMAIL="program@lumora.example")
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{date}T12:00:00+00:00"
    done = subprocess.run(["git", "-C", str(repo), *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout


def apply_edits(project: Path, edits: list[dict]) -> None:
    for edit in edits:
        path = project / "program_data" / edit["file"]
        text = path.read_text(encoding="utf-8")
        found = text.count(edit["find"])
        if edit.get("all") and found < 1 or not edit.get("all") and found != 1:
            raise AssertionError(f"{edit['find']!r} occurs {found} times in {edit['file']}")
        path.write_text(text.replace(edit["find"], edit["replace"]), encoding="utf-8")


def history() -> dict:
    loaded = load_yaml(HISTORY.read_text(encoding="utf-8"), str(HISTORY))
    assert not loaded.findings, loaded.findings
    return loaded.document.data


def build_repository(repo: Path, source: Path = ROOT) -> list[tuple[str, str]]:
    """A git repository at `repo` holding the sample's releases, oldest first, each a
    tagged commit. Returns [(tag, released date)], oldest first."""
    plan = history()
    states = []  # newest first: (tag, released, {relative path: text})
    work = repo.parent / f".{repo.name}-work"
    shutil.rmtree(work, ignore_errors=True)
    for name in COPIED:
        shutil.copytree(source / name, work / name)

    def snapshot() -> dict[str, bytes]:
        return {p.relative_to(work).as_posix(): p.read_bytes() for p in (work / "program_data").rglob("*")
                if p.is_file()}

    states.append((plan["newest"]["tag"], str(plan["newest"]["released"]), snapshot()))
    for release in plan["earlier"]:
        apply_edits(work, release["edits"])
        states.append((release["tag"], str(release["released"]), snapshot()))
    repo.mkdir(parents=True)
    for name in COPIED:
        shutil.copytree(work / name, repo / name)
    shutil.rmtree(work)
    git(repo, "init", "--quiet", "--initial-branch=main")
    tags = []
    for tag, released, files in reversed(states):
        shutil.rmtree(repo / "program_data")
        for rel, data in files.items():
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            (repo / rel).write_bytes(data)
        git(repo, "add", "--all")
        git(repo, "commit", "--quiet", "--allow-empty", "-m", f"Program release {tag[1:]}", date=released)
        git(repo, "tag", tag)
        tags.append((tag, released))
    return tags


def records(repo: Path, tags: list[tuple[str, str]]) -> dict[str, str]:
    """The release record of every tag, as `portal release` writes it: {file name: text}."""
    out = {}
    previous = None
    for tag, released in tags:
        with side_at(repo, tag) as head:
            if previous is None:
                record = make_record(None, head, released=released, tag=tag)
            else:
                with side_at(repo, previous) as base:
                    record = make_record(compare(base, head), head, released=released, tag=tag)
        out[f"{tag[1:]}.json"] = record_text(record)
        previous = tag
    return out


def main() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder) / "history"
        written = records(repo, build_repository(repo))
    target = ROOT / "releases"
    target.mkdir(exist_ok=True)
    for name, text in written.items():
        (target / name).write_text(text, encoding="utf-8")
        print(f"wrote releases/{name}")


if __name__ == "__main__":
    main()
