"""Program releases in git: release tags, and the program data as it was at a ref.

A release is a tag `vYEAR.N` (for example `v2027.1`) on the commit whose program data is
that version. `export` writes a ref's program_data/ and schemas/ into a folder, so the
same loaders and checks read a past release exactly as they read the working tree.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from ..model.program import version_order

RELEASE_TAG = re.compile(r"^v(\d{4})\.(\d+)$")
EXPORTED = ("program_data", "schemas", "content")  # content/ for files the data names (the logo)


class GitError(Exception):
    """git is missing, the folder is not in a repository, or a ref does not exist."""


@dataclass(frozen=True)
class ReleaseTag:
    name: str  # v2027.1
    version: str  # 2027.1
    date: str  # YYYY-MM-DD: when the tag (or its commit) was made

    @property
    def order(self) -> tuple[int, int]:
        return version_order(self.version)


def _git(root: Path, *args: str, binary: bool = False) -> str | bytes:
    if shutil.which("git") is None:
        raise GitError("git is not installed; `portal diff` and `portal release` compare git refs")
    env = {"LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, env=env, check=False)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {' '.join(args)} failed")
    return done.stdout if binary else done.stdout.decode("utf-8", "replace")


def repository(root: Path) -> tuple[Path, str]:
    """The repository's top folder, and the project's folder inside it ('' or 'sub/')."""
    try:
        top = Path(str(_git(root, "rev-parse", "--show-toplevel")).strip())
        prefix = str(_git(root, "rev-parse", "--show-prefix")).strip()
    except GitError as exc:
        raise GitError(f"{root} is not in a git repository ({exc}); releases are git tags") from None
    return top, prefix


def release_tags(root: Path) -> list[ReleaseTag]:
    """Every release tag, oldest version first."""
    repository(root)
    listing = str(_git(root, "for-each-ref", "--format=%(refname:short)\t%(creatordate:short)", "refs/tags"))
    tags = []
    for line in listing.splitlines():
        name, _, date = line.partition("\t")
        match = RELEASE_TAG.match(name)
        if match:
            tags.append(ReleaseTag(name, f"{match[1]}.{match[2]}", date))
    return sorted(tags, key=lambda t: t.order)


def resolve(root: Path, ref: str) -> str:
    """The commit `ref` names; GitError when it names none."""
    if ref.startswith("-"):
        raise GitError(f"'{ref}' is not a git ref")
    try:
        return str(_git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")).strip()
    except GitError:
        raise GitError(f"'{ref}' is not a tag, branch or commit in this repository") from None


def export(root: Path, ref: str, dest: Path) -> Path:
    """Write program_data/ and schemas/ as they are at `ref` into `dest`; returns the
    project folder inside `dest`."""
    top, prefix = repository(root)
    commit = resolve(root, ref)
    paths = [f"{prefix}{name}" for name in EXPORTED]
    present = str(_git(top, "ls-tree", "--name-only", commit, *paths)).split()
    if f"{prefix}program_data" not in present:
        raise GitError(f"{ref} has no {prefix}program_data/ folder; it predates the program data")
    archive = _git(top, "archive", "--format=tar", commit, *[p for p in paths if p in present], binary=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    return dest / prefix if prefix else dest
