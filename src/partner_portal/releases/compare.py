"""Program releases: comparing two versions, the release rule, who a change affects, and
the release records the portal's What's new page, changelog and feed are made from.

`compare` loads two versions of the program (each checked by layers 1 to 4, exactly as
`portal check` would) and returns a `Comparison`: the semantic changes, findings of the
release rule, and the listed partners a change would leave short of their tier.
`portal release` writes the comparison as a record, `releases/VERSION.json`, committed
with the release and tagged `vVERSION`; the site is built from those records, so it
needs no git history to show the changelog.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..check.run import CheckResult, check_project
from ..core.findings import DataPath, Finding, Layer, Location, Severity
from ..core.project import Project
from ..model.program import Program, version_order
from ..model.requirements import grace_periods
from ..model.roster import ROSTER, roster_shortfalls
from .changes import STRICTER, Change
from .diff import diff_programs
from .git import ReleaseTag, export, release_tags

WORKING_TREE = "working tree"


class ReleaseError(Exception):
    """A version cannot be compared or released; the message says why and what to do, and
    `findings` are the findings that stop it, if any."""

    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.findings = findings or []


@dataclass
class Side:
    """One version of the program: where it came from, and its checked data."""

    label: str  # "v2027.1", "main", or "working tree"
    result: CheckResult
    program: Program
    ref: str | None = None  # the git ref, None for the working tree

    @property
    def rule_errors(self) -> int:
        return sum(1 for f in self.result.findings if f.severity is Severity.ERROR and f.layer is Layer.RULES)

    @property
    def version(self) -> str:
        return str(self.program.info.get("version", ""))

    @property
    def effective_date(self) -> str:
        return str(self.program.info.get("effective_date", ""))

    def location_of(self, rel: str, path: DataPath) -> Location:
        """Where the value at `path` of program_data/`rel` is, in this version."""
        display = f"program_data/{rel}" if self.ref is None else f"{self.ref}:program_data/{rel}"
        document = self.result.documents.get(rel)
        return Location(display, *document.position(path)) if document is not None else Location(display)

    def location(self, change: Change) -> Location:
        document = self.result.documents.get(change.file)
        display = f"program_data/{change.file}"
        if self.ref is not None:
            display = f"{self.ref}:{display}"
        table = self.result.tables.get(change.file)
        if table is not None and len(change.path) == 2 and isinstance(change.path[0], int):
            inside = table.location(change.path[0], str(change.path[1]))
            return Location(display, inside.line, inside.column, inside.field)
        if document is None:
            return Location(display)
        return Location(display, *document.position(change.path)) if change.path else Location(display, 1, 1)


@dataclass
class RosterImpact:
    tier: str
    tier_name: str
    partners: list[dict[str, Any]]  # id, name, reasons, grace (until date or None)


@dataclass
class Comparison:
    base: Side
    head: Side
    changes: list[Change]
    findings: list[Finding] = field(default_factory=list)
    roster: list[RosterImpact] | None = None  # None: there is no roster to check

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)


def load_side(root: Path, label: str, ref: str | None = None) -> Side:
    """Check and load the program at `root`. ReleaseError when a file cannot be read or
    breaks its schema or references; errors of the consistency rules do not stop a
    comparison (a raised requirement can leave listed partners short of their tier, and
    the diff is where to see who), they are counted in `rule_errors`."""
    result = check_project(Project.open(root), tables=False)
    errors = [f for f in result.findings if f.severity is Severity.ERROR and f.layer is not Layer.RULES]
    if errors:
        raise ReleaseError(f"the program data at {label} has errors, so it cannot be compared", errors)
    return Side(label, result, result.program(), ref)


@contextmanager
def side_at(root: Path, ref: str | None) -> Iterator[Side]:
    """The program at git `ref`, or in the working tree when `ref` is None."""
    if ref is None:
        yield load_side(root, WORKING_TREE)
        return
    with tempfile.TemporaryDirectory(prefix="portal-ref-") as folder:
        project = export(root, ref, Path(folder))  # GitError: a usage error, the ref is wrong
        yield load_side(project, ref, ref)


def latest_release(root: Path, before: str | None = None) -> ReleaseTag | None:
    """The newest release tag, or the newest one older than version `before`."""
    tags = release_tags(root)
    if before is not None:
        tags = [t for t in tags if t.order < version_order(before)]
    return tags[-1] if tags else None


def compare(base: Side, head: Side) -> Comparison:
    changes = diff_programs(base.program, head.program)
    comparison = Comparison(base, head, changes)
    comparison.findings = release_findings(comparison)
    comparison.roster = roster_impact(base.program, head.program)
    return comparison


def release_findings(comparison: Comparison) -> list[Finding]:
    """The release rule: a raised requirement takes effect later than the version before
    it, or comes with a grace period, so partners are not caught out overnight."""
    base, head = comparison.base, comparison.head
    later = head.effective_date > base.effective_date
    findings = order_findings(base, head)
    for change in comparison.changes:
        if change.impact != STRICTER or not change.kind.startswith("requirement") or later:
            continue
        if change.subject_kind == "tier":
            tier = next((t for t in head.program.tiers if t["id"] == change.subject_id), {"id": ""})
            period = grace_periods(tier).get(change.key)
            if period is not None and period.gives_time_after(head.effective_date):
                continue
        grace = (f" or add a grace period to the tier: grace_periods: [{{requirement: {change.key}, "
                 f"previous: {change.old if change.old is not None else 0}, until: YYYY-MM-DD}}]"
                 if change.subject_kind == "tier" else "")
        findings.append(Finding(
            "raised-requirement",
            f"a raised requirement with no notice: {change.summary.rstrip('.')}, from {head.effective_date}, the "
            f"effective date of version {base.version} too, and no grace period gives partners time",
            head.location(change), Layer.RULES, Severity.WARNING, change.path,
            hint=f"Give partners time: set a later effective_date in program.yaml{grace}."))
    return findings


def order_findings(base: Side, head: Side) -> list[Finding]:
    """The release-order rule between two versions: a newer version takes effect later, and
    the version compared with an older one is not older than it."""
    older, newer = version_order(base.version), version_order(head.version)
    if newer < older:
        return [Finding(
            "release-order", f"version {head.version} ({head.label}) is older than version {base.version} "
            f"({base.label}), which it would follow", head.location_of("program.yaml", ("version",)), Layer.RULES,
            path=("version",), hint=f"Raise the version in program.yaml above {base.version}.",
            related=(base.location_of("program.yaml", ("version",)),))]
    if newer > older and head.effective_date <= base.effective_date:
        return [Finding(
            "release-order", f"version {head.version} takes effect on {head.effective_date}, not after version "
            f"{base.version} ({base.effective_date})", head.location_of("program.yaml", ("effective_date",)),
            Layer.RULES, path=("effective_date",), hint=f"Versions take effect in order: write a date after "
            f"{base.effective_date} in program.yaml.",
            related=(base.location_of("program.yaml", ("effective_date",)),))]
    return []


def roster_impact(base: Program, head: Program) -> list[RosterImpact] | None:
    """For each tier, the listed partners that meet the tier before the change and would
    not after it (grace periods are noted, not applied: they end)."""
    frame = head.tables.get(ROSTER)
    if frame is None:
        return None
    impacts = []
    base_tiers = {t["id"]: t for t in base.tiers}
    common = [t for t in head.tiers if t["id"] in base_tiers]
    names = {t["id"]: t["name"] for t in common}
    failing_before = np.zeros(len(frame), dtype=bool)
    for shortfall in roster_shortfalls(frame, [base_tiers[t["id"]] for t in common], base.specializations,
                                       on=None, grace=False):
        failing_before |= shortfall.failing
    newly: dict[int, list] = {}
    for shortfall in roster_shortfalls(frame, common, head.specializations, on=None, grace=False):
        for position in np.flatnonzero(shortfall.failing & ~failing_before):
            newly.setdefault(int(position), []).append(shortfall)
    by_tier: dict[str, list[int]] = {}
    for position in sorted(newly):
        by_tier.setdefault(str(frame["tier"].iloc[position]), []).append(position)
    for tier in common:
        if tier["id"] not in by_tier:
            continue
        partners = []
        for position in by_tier[tier["id"]]:
            row = frame.iloc[position]
            shortfalls = newly[position]
            periods = [grace_periods(tier).get(s.key) for s in shortfalls]
            partners.append({
                "id": str(row["id"]), "name": str(row["name"]), "row": position + 2,
                "reasons": [s.describe(row, names, s.short) for s in shortfalls],
                "grace_until": max(p.until for p in periods if p) if all(periods) else None,
            })
        impacts.append(RosterImpact(tier["id"], tier["name"], partners))
    return impacts
