"""Requirements in partners' words: what a requirement is called, what it asks, and
what a partner still lacks. The tier check, the estimator and the pages word requirements
here; the build exports the same words for the browser tools (`tools_data`), which add
only the partner's own values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..core.units import format_value, long_date
from .program import Item, Program
from .requirements import (
    KPI,
    MODEL,
    POINTS,
    SPECIALIZATION,
    STAFFING,
    TIER,
    Kpi,
    Requirement,
    Specializations,
    incentive_requirements,
    kpis_by_id,
    play_exit_requirements,
    tier_requirements,
)

_ID_KIND = {MODEL: "model", TIER: "tier"}


def kpis_of(program: Program) -> dict[str, Kpi]:
    """The program's KPIs by id (worked out once per program)."""
    return program.memoized("kpis", lambda: kpis_by_id(program.kpis))


def specializations_of(program: Program) -> Specializations:
    return program.memoized("specializations", lambda: Specializations(program.specializations))


def requirements_of(program: Program, tier: Item) -> list[Requirement]:
    """What `tier` asks for (worked out once per program)."""
    return program.memoized(("tier-requirements", tier["id"]), lambda: tier_requirements(
        tier, kpis_of(program), specializations_of(program)))


def eligibility_of(program: Program, incentive: Item) -> list[Requirement]:
    """Who can earn `incentive` (worked out once per program)."""
    return program.memoized(("eligibility", incentive["id"]), lambda: incentive_requirements(
        incentive, kpis_of(program), specializations_of(program)))


def exits_of(program: Program, play: Item) -> list[Requirement]:
    """The KPI values that end `play` (worked out once per program)."""
    return program.memoized(("play-exits", play["id"]), lambda: play_exit_requirements(play, kpis_of(program)))


def label(program: Program, requirement: Requirement) -> str:
    """What is required: 'Capability score', a role, specialization or KPI name, 'Engagement model', 'Tier'."""
    kind = requirement.kind
    if kind == POINTS:
        return "Capability score"
    if kind == STAFFING:
        return program.name("role", requirement.subject)
    if kind == SPECIALIZATION:
        options = [program.get("specialization", option) for option in requirement.options or (requirement.subject,)]
        names = [str(o["name"]) for o in options]
        if len(names) == 1:
            return names[0]
        kinds = {o.get("kind", "business-practice") for o in options}
        one = f"One {kinds.pop().replace('-', ' ')} specialization" if len(kinds) == 1 else "One specialization"
        return f"{one}: " + ", ".join(names[:-1]) + " or " + names[-1]
    if kind == KPI:
        return program.name("kpi", requirement.subject)
    return "Engagement model" if kind == MODEL else "Tier"


def needed_words(program: Program, requirement: Requirement, threshold: Any = None) -> str:
    """What it asks: 'at least 2 people', 'at most 30 days', 'held', 'Gold or Platinum'."""
    if requirement.numeric:
        return requirement.needed_text(threshold)
    if requirement.kind == SPECIALIZATION:
        return "held"
    return " or ".join(program.name(_ID_KIND[requirement.kind], i) for i in requirement.needed)


def value_words(program: Program, requirement: Requirement, value: Any) -> str:
    """A partner's own value: '1 person', '55%', 'Sales agent'."""
    if requirement.numeric:
        return format_value(value, requirement.unit)
    return program.name(_ID_KIND[requirement.kind], value) if requirement.kind in _ID_KIND else str(value)


def shortfall(program: Program, requirement: Requirement, value: Any, *, holder: bool = False,
              on: str | None = None) -> str | None:
    """What the partner still lacks for `requirement`, or None when `value` meets it.
    A value of None (not stated) is a shortfall: callers that let unknowns pass say so."""
    if value is not None and requirement.met_by(value, holder=holder, on=on):
        return None
    name = label(program, requirement)
    if requirement.kind == SPECIALIZATION:
        return name
    needed = needed_words(program, requirement, requirement.threshold(holder=holder, on=on))
    if value is None:
        return f"{name}: {needed} (not entered)"
    verb = "you have" if requirement.numeric else "you chose" if requirement.kind == MODEL else "you are"
    return f"{name}: {needed} ({verb} {value_words(program, requirement, value)})"


def shortfalls(program: Program, requirements: Iterable[Requirement], values: Mapping[str, Any], *,
               unknown_meets: bool, holder: bool = False, on: str | None = None) -> list[str]:
    """Every shortfall of a partner whose values (by requirement key) are `values`. With
    `unknown_meets`, a requirement the partner gave no value for is not held against it."""
    found = []
    for requirement in requirements:
        value = values.get(requirement.key)
        if value is None and unknown_meets:
            continue
        gap = shortfall(program, requirement, value, holder=holder, on=on)
        if gap is not None:
            found.append(gap)
    return found


def grace_note(program: Program, requirement: Requirement, tier_name: str) -> str:
    """'Customer success manager: until 31 July 2027, Gold partners need only 1 person
    (the previous requirement).'"""
    grace = requirement.grace
    assert grace is not None
    name = label(program, requirement)
    if grace.previous is None:
        held = f"{tier_name} partners do not need it yet"
    else:
        held = (f"{tier_name} partners need only {format_value(grace.previous, requirement.unit)} (the previous "
                "requirement)")
    return f"{name}: until {long_date(grace.until)}, {held}."
