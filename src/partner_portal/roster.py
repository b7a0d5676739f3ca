"""Whether the partners listed in the roster meet their tier, column by column.

The roster names each partner's tier, engagement model and specializations, and has one
column per staffing role. `tier_shortfalls` says, for one tier, which rows fall short of
which requirement, without a Python object per row. The roster-tier rule and the
release diff ("which listed partners would no longer meet their tier") both use it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .model import Item, with_builds_on

ROSTER = "partners/roster.csv"


@dataclass(frozen=True)
class Shortfall:
    key: str  # the requirement: staffing/ROLE, specializations/SPEC or engagement_models
    column: str  # the roster column that shows it
    failing: np.ndarray  # one bool per roster row
    message: str  # with {name} and {value} for the partner's name and the cell
    hint: str
    short: str = ""  # the same without the partner's name, with {value}


def grace_for(tier: Item, key: str) -> Item | None:
    return next((g for g in tier.get("grace_periods", []) if g["requirement"] == key), None)


def tier_shortfalls(frame: pd.DataFrame, tier: Item, specializations: list[Item], *,
                    grace: bool = True) -> list[Shortfall]:
    """The requirements of `tier` that roster rows fall short of. With `grace`, a grace
    period in force lowers a staffing count to its previous value, and a newly required
    specialization under grace is not required yet."""
    name = tier["name"]
    requirements = tier["requirements"]
    found = []
    for need in requirements["staffing"]:
        column, count = need["role"], need["count"]
        period = grace_for(tier, f"staffing/{column}") if grace else None
        if period is not None and period.get("previous") is not None:
            count = min(count, period["previous"])
        counts = frame[column].fillna(0) if column in frame else pd.Series(0, index=frame.index)
        found.append(Shortfall(
            f"staffing/{column}", column if column in frame else "tier", (counts < count).to_numpy(dtype=bool),
            f"{{name}} is listed as {name} with {{value}} × {column}; {name} needs {count}",
            "Correct the count, or list the partner at a lower tier.", f"{{value}} × {column}; {name} needs {count}"))
    held = frame["specializations"].fillna("") if "specializations" in frame else pd.Series("", index=frame.index)
    for spec in requirements.get("specializations", []):
        if grace and grace_for(tier, f"specializations/{spec}") is not None:
            continue
        satisfied = {s["id"] for s in specializations if spec in with_builds_on(specializations, {s["id"]})} | {spec}
        pattern = r"(?:^|;)(?:" + "|".join(sorted(satisfied)) + r")(?:;|$)"
        found.append(Shortfall(
            f"specializations/{spec}", "specializations",
            ~held.astype(str).str.contains(pattern, regex=True).to_numpy(dtype=bool),
            f"{{name}} is listed as {name} without the {spec} specialization {name} requires",
            "Add the specialization, or list the partner at a lower tier.",
            f"no {spec} specialization; {name} requires it"))
    allowed = tier.get("engagement_models")
    if allowed and "engagement_model" in frame:
        found.append(Shortfall(
            "engagement_models", "engagement_model", ~frame["engagement_model"].isin(allowed).to_numpy(dtype=bool),
            f"{{name}} is listed as {name} as {{value}}, a model {name} does not allow",
            f"{name} allows: {', '.join(allowed)}.", f"engagement model {{value}}; {name} allows {', '.join(allowed)}"))
    return found


def members(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """The row positions of the partners listed at each tier: checking each tier on its
    own rows keeps the work proportional to the roster, however many tiers there are."""
    return {str(k): v for k, v in frame.groupby("tier", sort=False).indices.items()}
