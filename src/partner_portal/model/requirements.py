"""Requirements: what a tier or an incentive asks of a partner, whether a partner meets
it, and which of two requirements is stricter.

This is the one home of those questions. The consistency rules (a higher tier never asks
less, a follow-on incentive is never easier, a threshold agrees with its KPI), the roster
rule, the tier check, the estimator's eligibility, the release diff ("stricter" or
"easier") and the pages all ask these types; the browser tools evaluate the same
requirements, exported by the build, with `portal-tools.js`'s one small evaluator.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..core.findings import DataPath
from ..core.units import format_value

Item = Mapping[str, Any]

STRICTER, EASIER = "stricter", "easier"

# The kinds of requirement, and the key each is named by (in grace periods and diffs).
POINTS, STAFFING, SPECIALIZATION, KPI, MODEL, TIER = "points", "staffing", "specialization", "kpi", "model", "tier"
_KEY_PREFIX = {STAFFING: "staffing/", SPECIALIZATION: "specializations/", KPI: "kpis/"}


class Direction(StrEnum):
    """Which way a number is better: a renewal rate of at least 80%, onboarding in at most 30 days."""

    AT_LEAST = "at-least"
    AT_MOST = "at-most"

    @property
    def words(self) -> str:
        return "at least" if self is Direction.AT_LEAST else "at most"

    def meets(self, value: Any, threshold: Any) -> Any:
        """Whether `value` reaches `threshold` (element-wise for arrays)."""
        return value >= threshold if self is Direction.AT_LEAST else value <= threshold

    def harder(self, a: float, b: float) -> bool:
        """Whether asking for `a` is more demanding than asking for `b`."""
        return a > b if self is Direction.AT_LEAST else a < b

    def change(self, old: float, new: float) -> str | None:
        """What moving a requirement from `old` to `new` means: STRICTER, EASIER, or None."""
        if new == old:
            return None
        return STRICTER if self.harder(new, old) else EASIER


@dataclass(frozen=True)
class Kpi:
    """A KPI's unit, direction, target and scale: how every value of it is read."""

    id: str
    name: str
    unit: str
    direction: Direction
    target: float
    scale: tuple[float, float] | None = None

    @classmethod
    def of(cls, item: Item) -> Kpi:
        scale = item.get("scale")
        return cls(item["id"], item["name"], item["unit"], Direction(item["direction"]), item["target"],
                   (scale["min"], scale["max"]) if scale else None)

    def threshold_text(self, value: float | None = None) -> str:
        """'at least 60%', 'at most 30 days': the target, or another value of this KPI."""
        return f"{self.direction.words} {format_value(self.target if value is None else value, self.unit)}"

    def easier_than_target(self, value: float) -> bool:
        """Whether asking for `value` is less demanding than the KPI's own target."""
        return self.direction.harder(self.target, value)

    def possible(self) -> tuple[float, float | None]:
        """The lowest and highest value this KPI can take (None: no highest): its scale, 0 to
        100 for a percentage, else from 0. The tools' forms accept no other."""
        if self.scale:
            return float(self.scale[0]), float(self.scale[1])
        return 0.0, (100.0 if self.unit == "percent" else None)

    def impossible(self, value: float) -> str | None:
        """Why `value` cannot be a value of this KPI (a percentage above 100, a score off
        the scale), or None."""
        low, high = self.possible()
        if self.scale and not low <= value <= high:  # type: ignore[operator]
            return f"{value:g} is outside the {self.name} scale of {low:g} to {high:g}"
        if high is not None and value > high:
            return f"{value:g}% for {self.name} is above {high:g}%"
        return None


# KPI families: what a KPI tells about (a stage of the lifecycle, a customer's health, or the
# partner's own practice), and the words pages use for each.
KPI_FAMILIES = {"lifecycle": "Lifecycle", "health": "Customer health", "financial": "Financial",
                "service-desk": "Service desk"}
PRACTICE_FAMILIES = ("financial", "service-desk")


def kpi_family(item: Item) -> str:
    """A KPI's family; `lifecycle` when it names none."""
    return str(item.get("family", "lifecycle"))


def kpis_by_id(kpis: Iterable[Item]) -> dict[str, Kpi]:
    return {item["id"]: Kpi.of(item) for item in kpis}


@dataclass(frozen=True)
class GracePeriod:
    """Partners already at a tier are held to the `previous` value of a raised requirement
    until a date (for a newly required specialization: it is not required yet)."""

    previous: float | None
    until: str  # YYYY-MM-DD, inclusive
    note: str | None = None

    @classmethod
    def of(cls, period: Item) -> GracePeriod:
        return cls(period.get("previous"), str(period["until"]), period.get("note"))

    def holds_on(self, day: str | None) -> bool:
        """Whether the grace period still holds on `day` (YYYY-MM-DD); None: today is not known."""
        return day is None or day <= self.until

    def gives_time_after(self, day: str) -> bool:
        """Whether it still holds after `day`, giving partners time to meet the new value."""
        return self.until > day


@dataclass(frozen=True)
class Requirement:
    """One thing a tier or an incentive asks for.

    Numbers (capability points, people in a role, a KPI value) are met in their
    `direction`; specializations, engagement models and tiers are met by holding one of
    the ids in `needed` (for a specialization: it, or one that builds on it)."""

    key: str  # capability_points, staffing/ROLE, specializations/SPEC, kpis/KPI, engagement_models or tiers
    kind: str  # POINTS, STAFFING, SPECIALIZATION, KPI, MODEL or TIER
    subject: str  # the role, specialization or KPI id; "" for the others
    needed: Any  # a number, or a tuple of ids any of which meets the requirement
    at: DataPath  # where it is written, within the requirements (or eligibility) block
    direction: Direction = Direction.AT_LEAST
    unit: str = ""  # points, people, or the KPI's unit
    grace: GracePeriod | None = None
    months: int | None = None  # a KPI value kept for this many months in a row
    easier_reason: str | None = None  # for a KPI value: why it is easier than the KPI's target, on purpose
    options: tuple[str, ...] = ()  # for a specialization: the ones named, any of which is asked for

    @property
    def numeric(self) -> bool:
        return self.kind in (POINTS, STAFFING, KPI)

    def threshold(self, *, holder: bool = False, on: str | None = None) -> Any:
        """What a partner must reach; a holder of the tier, while a grace period holds,
        only the previous value. For a specialization under grace: None, not required yet."""
        if self.grace is not None and holder and self.grace.holds_on(on):
            previous = self.grace.previous
            if previous is None or not self.numeric:
                return previous
            # A grace period only ever eases: a 'previous' value stricter than today's is no grace.
            return self.needed if self.direction.harder(previous, self.needed) else previous
        return self.needed

    def met_by(self, value: Any, *, holder: bool = False, on: str | None = None) -> Any:
        """Whether `value` meets the requirement: a number (or an array of numbers), or the
        ids a partner holds (a set) or works under (one id)."""
        threshold = self.threshold(holder=holder, on=on)
        if threshold is None:  # under grace, not required yet
            return True
        if self.numeric:
            return self.direction.meets(value, threshold)
        held = {value} if isinstance(value, str) else set(value or ())
        return bool(held & set(threshold))

    def graced(self, value: Any, *, holder: bool, on: str | None) -> bool:
        """Whether `value` meets the requirement only because a grace period holds."""
        return bool(self.met_by(value, holder=holder, on=on)) and not self.met_by(value)

    def change_from(self, older: Requirement) -> str | None:
        """STRICTER, EASIER or None: what replacing `older` (the same key) with this means."""
        if self.numeric:
            return self.direction.change(older.needed, self.needed)
        before, after = set(older.needed), set(self.needed)
        if before == after:
            return None
        return STRICTER if after < before else EASIER if after > before else STRICTER

    def covers(self, other: Requirement) -> bool:
        """Whether this requirement asks at least as much as `other` (a requirement of the
        tier below, or of the incentive this one builds on)."""
        if self.numeric:
            return not other.direction.harder(other.needed, self.needed)
        return set(self.needed) <= set(other.needed)

    def needed_text(self, value: float | None = None) -> str:
        """A number requirement in words: 'at least 2 people', 'at most 30 days'."""
        return f"{self.direction.words} {format_value(self.needed if value is None else value, self.unit)}"


class Specializations:
    """Which specializations count as holding each one: itself, and every one that builds
    on it however indirectly (holding Customer Experience counts as Customer Success).
    Worked out once for a program's list."""

    def __init__(self, specializations: Iterable[Item]) -> None:
        builds = {s["id"]: s.get("builds_on") for s in specializations}
        found: dict[str, list[str]] = {spec: [spec] for spec in builds}
        for spec in builds:
            parent, seen = builds.get(spec), {spec}
            while parent and parent not in seen:
                found.setdefault(parent, [parent]).append(spec)
                seen.add(parent)
                parent = builds.get(parent)
        self._satisfying = {spec: tuple(ids) for spec, ids in found.items()}

    def satisfying(self, spec_id: str) -> tuple[str, ...]:
        return self._satisfying.get(spec_id, (spec_id,))


def grace_periods(tier: Item) -> dict[str, GracePeriod]:
    """A tier's grace periods by the requirement key they name (the first of repeats)."""
    periods: dict[str, GracePeriod] = {}
    for period in tier.get("grace_periods", []):
        periods.setdefault(period["requirement"], GracePeriod.of(period))
    return periods


def tier_requirements(tier: Item, kpis: Mapping[str, Kpi], specializations: Specializations) -> list[Requirement]:
    """What `tier` asks for, each with the grace period that may hold partners to less.
    `at` paths are within the tier; KPIs a tier names that `kpis` lacks are left out."""
    grace = grace_periods(tier)
    req = tier["requirements"]
    found = [Requirement("capability_points", POINTS, "", req["capability_points"],
                         ("requirements", "capability_points"), unit="points", grace=grace.get("capability_points"))]
    found += [_staffing(need, j, ("requirements",), grace) for j, need in enumerate(req["staffing"])]
    found += [_specialization(spec, j, ("requirements",), specializations, grace)
              for j, spec in enumerate(req.get("specializations", []))]
    found += [_kpi(need, ("requirements", "kpis", j), kpis, grace) for j, need in enumerate(req.get("kpis", []))
              if need["kpi"] in kpis]
    if tier.get("engagement_models"):
        found.append(Requirement("engagement_models", MODEL, "", tuple(tier["engagement_models"]),
                                 ("engagement_models",)))
    return found


def specialization_requirements(spec: Item) -> list[Requirement]:
    """The staffing a specialization asks for."""
    return [_staffing(need, j, ("requirements",), {}) for j, need in enumerate(spec["requirements"]["staffing"])]


def incentive_requirements(incentive: Item, kpis: Mapping[str, Kpi], specializations: Specializations
                           ) -> list[Requirement]:
    """Who can earn `incentive`: a tier it is open to, its specializations and KPI values.
    `at` paths are within the incentive."""
    rules = incentive["eligibility"]
    found = [Requirement("tiers", TIER, "", tuple(rules["tiers"]), ("eligibility", "tiers"))]
    found += [_specialization(spec, j, ("eligibility",), specializations, {})
              for j, spec in enumerate(rules.get("specializations", []))]
    found += [_kpi(need, ("eligibility", "kpis", j), kpis, {}) for j, need in enumerate(rules.get("kpis", []))
              if need["kpi"] in kpis]
    return found


def play_exit_requirements(play: Item, kpis: Mapping[str, Kpi]) -> list[Requirement]:
    """The KPI values that end `play` (its `exit_when`); `at` paths are within the play."""
    return [_kpi(need, ("exit_when", j), kpis, {}) for j, need in enumerate(play.get("exit_when", []))
            if need["kpi"] in kpis]


def _staffing(need: Item, j: int, block: DataPath, grace: Mapping[str, GracePeriod]) -> Requirement:
    key = f"staffing/{need['role']}"
    return Requirement(key, STAFFING, need["role"], need["count"], block + ("staffing", j, "count"), unit="people",
                       grace=grace.get(key))


def specialization_options(spec: str | Item) -> tuple[str, ...]:
    """The specializations an entry names: one id, or `{one_of: [ids]}` (any of them)."""
    return (spec,) if isinstance(spec, str) else tuple(spec["one_of"])


def _specialization(spec: str | Item, j: int, block: DataPath, specializations: Specializations,
                    grace: Mapping[str, GracePeriod]) -> Requirement:
    options = specialization_options(spec)
    key = f"specializations/{options[0]}" if len(options) == 1 else f"specializations/one-of/{'+'.join(options)}"
    needed = tuple(dict.fromkeys(held for option in options for held in specializations.satisfying(option)))
    return Requirement(key, SPECIALIZATION, options[0] if len(options) == 1 else "", needed,
                       block + ("specializations", j), grace=grace.get(key), options=options)


def _kpi(need: Item, at: DataPath, kpis: Mapping[str, Kpi], grace: Mapping[str, GracePeriod]) -> Requirement:
    kpi = kpis[need["kpi"]]
    key = f"kpis/{need['kpi']}"
    return Requirement(key, KPI, kpi.id, need["value"], at + ("value",), kpi.direction, kpi.unit,
                       grace.get(key), need.get("consecutive_months"), need.get("easier_than_target"))


def by_key(requirements: Iterable[Requirement]) -> dict[str, Requirement]:
    return {r.key: r for r in requirements}


def requirement_key_kind(key: str) -> str | None:
    """The kind a requirement key names (`staffing/ROLE` is STAFFING), or None."""
    if key == "capability_points":
        return POINTS
    return next((kind for kind, prefix in _KEY_PREFIX.items() if key.startswith(prefix)), None)
