"""Whether the partners listed in the roster meet their tier, column by column.

The roster names each partner's tier, engagement model and specializations, and has one
column per staffing role. `roster_shortfalls` says which rows fall short of which
requirement of their tier, without a Python object per row and with one pass per
requirement whatever the number of tiers. The roster-tier rule and the
release diff ("which listed partners would no longer meet their tier") both use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .model import Item, with_builds_on

ROSTER = "partners/roster.csv"


@dataclass(frozen=True)
class Shortfall:
    """One requirement, across every tier that has it: which roster rows fall short."""

    key: str  # the requirement: staffing/ROLE, specializations/SPEC or engagement_models
    column: str  # the roster column that shows it
    failing: np.ndarray  # one bool per roster row
    needs: dict[str, Any]  # tier id -> what that tier needs, for the messages
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


def grace_for(tier: Item, key: str) -> Item | None:
    return next((g for g in tier.get("grace_periods", []) if g["requirement"] == key), None)


def roster_shortfalls(frame: pd.DataFrame, tiers: list[Item], specializations: list[Item], *,
                      grace: bool = True) -> list[Shortfall]:
    """Every requirement of `tiers` that roster rows listed at those tiers fall short of,
    one pass per role, specialization and set of models, whatever the number of tiers.
    With `grace`, a grace period lowers a staffing count to its previous value, and a
    newly required specialization under grace is not required yet."""
    listed_at = frame["tier"].astype(object)
    found = []
    roles = list(dict.fromkeys(s["role"] for t in tiers for s in t["requirements"]["staffing"]))
    for role in roles:
        needs = {}
        for tier in tiers:
            for need in tier["requirements"]["staffing"]:
                if need["role"] == role:
                    period = grace_for(tier, f"staffing/{role}") if grace else None
                    count = need["count"]
                    if period is not None and period.get("previous") is not None:
                        count = min(count, period["previous"])
                    needs[tier["id"]] = count
        required = listed_at.map(needs).astype("float64").to_numpy()
        counts = (frame[role].astype("float64").fillna(0).to_numpy() if role in frame
                  else np.zeros(len(frame)))
        with np.errstate(invalid="ignore"):
            failing = ~np.isnan(required) & (counts < required)
        found.append(Shortfall(
            f"staffing/{role}", role if role in frame else "tier", failing, needs,
            f"{{name}} is listed as {{tier}} with {{value}} × {role}; {{tier}} needs {{need}}",
            "Correct the count, or list the partner at a lower tier.", f"{{value}} × {role}; {{tier}} needs {{need}}"))
    held = (frame["specializations"].fillna("").astype(str) if "specializations" in frame
            else pd.Series("", index=frame.index))
    wanted = list(dict.fromkeys(s for t in tiers for s in t["requirements"].get("specializations", [])))
    for spec in wanted:
        tier_ids = [t["id"] for t in tiers if spec in t["requirements"].get("specializations", [])
                    and not (grace and grace_for(t, f"specializations/{spec}") is not None)]
        if not tier_ids:
            continue
        satisfied = {s["id"] for s in specializations if spec in with_builds_on(specializations, {s["id"]})} | {spec}
        pattern = r"(?:^|;)(?:" + "|".join(sorted(satisfied)) + r")(?:;|$)"
        rows = listed_at.isin(tier_ids).to_numpy(dtype=bool)
        has = held.str.contains(pattern, regex=True).to_numpy(dtype=bool)
        found.append(Shortfall(
            f"specializations/{spec}", "specializations", rows & ~has, dict.fromkeys(tier_ids, spec),
            f"{{name}} is listed as {{tier}} without the {spec} specialization {{tier}} requires",
            "Add the specialization, or list the partner at a lower tier.", f"no {spec} specialization; {{tier}} "
            "requires it"))
    if "engagement_model" in frame:
        by_models: dict[tuple[str, ...], list[str]] = {}
        for tier in tiers:
            if tier.get("engagement_models"):
                by_models.setdefault(tuple(tier["engagement_models"]), []).append(tier["id"])
        for allowed, tier_ids in by_models.items():
            rows = listed_at.isin(tier_ids).to_numpy(dtype=bool)
            wrong = ~frame["engagement_model"].isin(list(allowed)).to_numpy(dtype=bool)
            found.append(Shortfall(
                "engagement_models", "engagement_model", rows & wrong, dict.fromkeys(tier_ids, ", ".join(allowed)),
                "{name} is listed as {tier} as {value}, a model {tier} does not allow", "{tier} allows: {need}.",
                "engagement model {value}; {tier} allows {need}"))
    return found
