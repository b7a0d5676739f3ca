"""Comparing two versions of a program: the shared ground of every area's comparison
(names and KPIs from either side, plain field-by-field changes) and how a changed
requirement is worded; whether it is stricter or easier is the requirement's own answer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..core.findings import DataPath, format_path
from ..model.program import Item, Program
from ..model.requirements import (
    EASIER,
    KPI,
    POINTS,
    SPECIALIZATION,
    STAFFING,
    STRICTER,
    Kpi,
    Requirement,
    Specializations,
    by_key,
    kpis_by_id,
    tier_requirements,
)
from .changes import INFO, MISSING, Change, leaves, show


class Differ:
    """Two programs side by side: what every area's comparison needs."""

    def __init__(self, base: Program, head: Program) -> None:
        self.base, self.head = base, head

    # Names and units, from whichever side defines the id (the head when both do).
    def name(self, kind: str, item_id: str) -> str:
        for program in (self.head, self.base):
            try:
                return program.name(kind, item_id)
            except LookupError:
                continue
        return item_id

    def kpis(self, program: Program) -> dict[str, Kpi]:
        """The KPIs of `program`, with those only the other side defines (for names and units)."""
        other = self.base if program is self.head else self.head
        return kpis_by_id(self.doc(other, "kpis.yaml").get("kpis", [])) | kpis_by_id(
            self.doc(program, "kpis.yaml").get("kpis", []))

    def doc(self, program: Program, rel: str) -> Any:
        return program.documents.get(rel) or {}

    def generic(self, old: Any, new: Any, path: DataPath, *, area: str, file: str, subject_kind: str,
                subject_id: str, subject: str, words: tuple[str, ...] = ()) -> Iterator[Change]:
        """Plain 'changed from ... to ...' changes for fields without a specific meaning."""
        for where, label, before, after in leaves(old, new, path, words):
            if before is MISSING:
                kind, summary = "field-added", f"{subject}: {label} added: {show(after)}."
            elif after is MISSING:
                kind, summary = "field-removed", f"{subject}: {label} removed (was {show(before)})."
            else:
                kind, summary = "field-changed", f"{subject}: {label} changed from {show(before)} to {show(after)}."
            yield Change(kind, INFO, area, subject_kind, subject_id, subject, format_path(where[len(path):]) or label,
                         label, None if before is MISSING else before, None if after is MISSING else after,
                         summary, file, where)

    # -- requirements of tiers, specializations and incentives

    def requirements(self, old: list[Requirement], new: list[Requirement], prefix: DataPath, *, area: str,
                     subject_kind: str, subject_id: str, subject: str, file: str = "tiers.yaml",
                     who: str | None = None) -> Iterator[Change]:
        """Changes to a requirements block (tier, specialization or incentive eligibility):
        capability points, staffing, specializations and KPI thresholds, each judged
        stricter or easier by the requirements themselves."""
        who = who or f"{subject} partners"
        before, after = by_key(old), by_key(new)
        for kind in (POINTS, STAFFING, SPECIALIZATION, KPI):
            added = [r for r in new if r.kind == kind and r.key not in before]
            removed = [r for r in old if r.kind == kind and r.key not in after]
            both = [(before[r.key], r) for r in new if r.kind == kind and r.key in before]
            if kind == POINTS:  # one number: raised, lowered, added or removed, in one sentence
                for was, now in [*((None, r) for r in added), *((r, None) for r in removed), *both]:
                    impact = STRICTER if was is None else EASIER if now is None else now.change_from(was)
                    if impact is None:
                        continue
                    yield self.requirement_change(
                        now or was, was, now, impact, f"{who} need a capability score of "
                        f"{show(now.needed if now else None)} points (was {show(was.needed if was else None)}).",
                        prefix + (now or was).at, area, subject_kind, subject_id, subject, file)
                continue
            for now in added:
                yield self.requirement_change(now, None, now, STRICTER, f"{who} now need {self.words(now)}.",
                                              prefix + (now.at if kind == SPECIALIZATION else now.at[:-1]), area,
                                              subject_kind, subject_id, subject, file)
            for was in removed:
                words = (f"a {self.label(was)}" if kind == STAFFING else f"the {self.label(was)}"
                         if kind == SPECIALIZATION else f"a minimum {self.label(was)}")
                yield self.requirement_change(was, was, None, EASIER, f"{who} no longer need {words}.",
                                              prefix + (was.at[:-1] if kind == SPECIALIZATION else was.at[:-2]),
                                              area, subject_kind, subject_id, subject, file)
            for was, now in both:
                impact = now.change_from(was)
                if impact is not None and kind != SPECIALIZATION:
                    yield self.requirement_change(now, was, now, impact, f"{who} need {self.words(now)} "
                                                  f"(was {self.words(was, bare=True)}).", prefix + now.at, area,
                                                  subject_kind, subject_id, subject, file)

    def label(self, requirement: Requirement) -> str:
        if requirement.kind == STAFFING:
            return self.name("role", requirement.subject)
        if requirement.kind == SPECIALIZATION:
            return self.name("specialization", requirement.subject)
        return self.name("kpi", requirement.subject)

    def words(self, requirement: Requirement, bare: bool = False) -> str:
        """'2 × Customer success manager', 'the Customer Success specialization', 'Active
        usage rate of at least 60%' (`bare`: the number or threshold alone)."""
        if requirement.kind == STAFFING:
            count = show(requirement.needed)
            return count if bare else f"{count} × {self.label(requirement)}"
        if requirement.kind == SPECIALIZATION:
            return f"the {self.label(requirement)}"
        threshold = requirement.needed_text()
        return threshold if bare else f"{self.label(requirement)} of {threshold}"

    def requirement_change(self, requirement: Requirement, was: Requirement | None, now: Requirement | None,
                           impact: str, summary: str, where: DataPath, area: str, subject_kind: str, subject_id: str,
                           subject: str, file: str) -> Change:
        kind = ("requirement-added" if was is None else "requirement-removed" if now is None else
                "requirement-raised" if impact == STRICTER else "requirement-lowered")
        label = "capability score" if requirement.kind == POINTS else self.label(requirement)

        def value(r: Requirement | None) -> Any:
            return None if r is None else r.subject if r.kind == SPECIALIZATION else r.needed

        return Change(kind, impact, area, subject_kind, subject_id, subject, requirement.key, label, value(was),
                      value(now), summary, file, where)

    def specs(self, program: Program) -> list[Item]:
        return self.doc(program, "tiers.yaml").get("specializations", [])

    def tier_requirements(self, program: Program, tier: Item) -> list[Requirement]:
        return tier_requirements(tier, self.kpis(program), Specializations(self.specs(program)))
