"""The partner roster against the tiers: which listed partners fall short of which
requirement of the tier they are listed at.

The roster names each partner's tier, engagement model and specializations, and has one
column per staffing role. Each requirement is judged by `Requirement.met_by`, as the tier
check judges it: counts as whole columns at once, and specializations and models once per
distinct value, so ten thousand rows cost a few array operations. The roster-tier rule
and the release diff ("which listed partners would no longer meet their tier") use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.lazy import lazy
from .program import Item
from .requirements import MODEL, SPECIALIZATION, STAFFING, Requirement, Specializations, tier_requirements

np = lazy("numpy")
pd = lazy("pandas")

ROSTER = "partners/roster.csv"


@dataclass(frozen=True)
class Shortfall:
    """One requirement, across every tier that has it: which roster rows fall short."""

    key: str  # the requirement: staffing/ROLE, specializations/SPEC or engagement_models
    column: str  # the roster column that shows it
    failing: np.ndarray  # one bool per roster row
    needs: dict[str, Any]  # tier id -> what that tier asks, for the messages
    message: str  # with {name} (the partner), {value} (the cell), {tier} and {need}
    hint: str  # with {tier} and {need}
    short: str  # the message without the partner's name

    def describe(self, row: pd.Series, tiers: dict[str, str], template: str | None = None) -> str:
        tier = str(row["tier"])
        return (template or self.message).format(name=row["name"], value=row[self.column], tier=tiers.get(tier, tier),
                                                 need=self.needs.get(tier, ""))

    def advice(self, row: pd.Series, tiers: dict[str, str]) -> str:
        tier = str(row["tier"])
        return self.hint.format(tier=tiers.get(tier, tier), need=self.needs.get(tier, ""))


def roster_shortfalls(frame: pd.DataFrame, tiers: list[Item], specializations: list[Item], *,
                      on: str | None, grace: bool = True) -> list[Shortfall]:
    """Every requirement of `tiers` that roster rows listed at those tiers fall short of.
    Listed partners hold their tier, so with `grace` a grace period holding on the day
    `on` lowers a requirement to its previous value."""
    listed_at = frame["tier"].astype(object)
    by_key: dict[str, list[tuple[str, Requirement]]] = {}
    tree = Specializations(specializations)
    for tier in tiers:
        for requirement in tier_requirements(tier, {}, tree):  # the roster holds no KPI values
            by_key.setdefault(requirement.key, []).append((tier["id"], requirement))
    found = []
    kinds = (STAFFING, SPECIALIZATION, MODEL)
    for key, at_tiers in sorted(by_key.items(), key=lambda item: kinds.index(item[1][0][1].kind)
                                if item[1][0][1].kind in kinds else len(kinds)):
        kind = at_tiers[0][1].kind
        if kind == STAFFING:
            found.append(_staffing(frame, listed_at, key, at_tiers, grace, on))
        elif kind == SPECIALIZATION:
            shortfall = _specialization(frame, listed_at, key, at_tiers, grace, on)
            if shortfall is not None:
                found.append(shortfall)
        elif kind == MODEL and "engagement_model" in frame:
            found += _models(frame, listed_at, at_tiers)
    return found


def _staffing(frame: pd.DataFrame, listed_at: pd.Series, key: str, at_tiers: list[tuple[str, Requirement]],
              grace: bool, on: str | None) -> Shortfall:
    role = at_tiers[0][1].subject
    needs = {tier: requirement.threshold(holder=grace, on=on) for tier, requirement in at_tiers}
    required = _per_value(listed_at, needs.get, missing=np.nan, dtype="float64")
    counts = frame[role].astype("float64").fillna(0).to_numpy() if role in frame else np.zeros(len(frame))
    with np.errstate(invalid="ignore"):
        failing = ~np.isnan(required) & ~at_tiers[0][1].direction.meets(counts, required)
    return Shortfall(key, role if role in frame else "tier", failing, needs,
                     f"{{name}} is listed as {{tier}} with {{value}} × {role}; {{tier}} needs {{need}}",
                     "Write {need} or more, or list the partner at a lower tier.",
                     f"{{value}} × {role}; {{tier}} needs {{need}}")


def _specialization(frame: pd.DataFrame, listed_at: pd.Series, key: str, at_tiers: list[tuple[str, Requirement]],
                    grace: bool, on: str | None) -> Shortfall | None:
    spec = at_tiers[0][1].subject
    tier_ids = [tier for tier, requirement in at_tiers if requirement.threshold(holder=grace, on=on) is not None]
    if not tier_ids:
        return None
    requirement = at_tiers[0][1]
    held = (frame["specializations"].fillna("").astype(str) if "specializations" in frame
            else pd.Series("", index=frame.index))
    has = _per_value(held, lambda cell: requirement.met_by(_ids(cell)))
    rows = listed_at.isin(tier_ids).to_numpy(dtype=bool)
    return Shortfall(key, "specializations", rows & ~has, dict.fromkeys(tier_ids, spec),
                     f"{{name}} is listed as {{tier}} without the {spec} specialization {{tier}} requires",
                     f"Add {spec} to the partner's specializations (separated by semicolons), or list the "
                     "partner at a lower tier.",
                     f"no {spec} specialization; {{tier}} requires it")


def _models(frame: pd.DataFrame, listed_at: pd.Series, at_tiers: list[tuple[str, Requirement]]) -> list[Shortfall]:
    by_allowed: dict[tuple[str, ...], list[tuple[str, Requirement]]] = {}
    for tier, requirement in at_tiers:
        by_allowed.setdefault(requirement.needed, []).append((tier, requirement))
    found = []
    for allowed, tiers in by_allowed.items():
        requirement = tiers[0][1]
        rows = listed_at.isin([tier for tier, _ in tiers]).to_numpy(dtype=bool)
        allowed_here = _per_value(frame["engagement_model"].astype(object), requirement.met_by)
        found.append(Shortfall(
            "engagement_models", "engagement_model", rows & ~allowed_here,
            {tier: ", ".join(allowed) for tier, _ in tiers}, "{name} is listed as {tier} as {value}, a model {tier} "
            "does not allow", "{tier} allows: {need}.", "engagement model {value}; {tier} allows {need}"))
    return found


def _ids(cell: str) -> set[str]:
    return {part for part in cell.split(";") if part}


def _per_value(column: pd.Series, judge: Any, missing: Any = False, dtype: Any = bool) -> np.ndarray:
    """`judge` of every cell of `column` (`missing` for an empty or non-text cell), worked
    out once per distinct value."""
    codes, values = pd.factorize(column)  # an empty cell's code is -1: the last verdict
    verdicts = [judge(value) if isinstance(value, str) else missing for value in values]
    return np.array([*verdicts, missing], dtype=dtype)[codes]

