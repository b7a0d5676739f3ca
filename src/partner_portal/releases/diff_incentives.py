"""What changed in the incentives between two versions of a program: incentives added or
withdrawn, eligibility widened or narrowed, requirements raised or lowered, and the rate
tables compared row by row."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

import pandas as pd

from ..core.findings import DataPath
from ..model.program import Item
from ..model.rates import CalculationError, band_words, table_shape, value_words
from ..model.requirements import EASIER, STRICTER, Specializations, incentive_requirements
from .changes import GAIN, INFO, LOSS, Change, matched
from .differ import Differ


def incentive_changes(self: Differ) -> Iterator[Change]:
    """Incentives added, withdrawn, opened to more or fewer tiers, asking more or less, and their rates."""
    old = self.doc(self.base, "incentives.yaml").get("incentives", [])
    new = self.doc(self.head, "incentives.yaml").get("incentives", [])
    added, removed, both = matched(old, new)
    for n, incentive in added:
        tiers = ", ".join(self.name("tier", t) for t in incentive["eligibility"]["tiers"])
        yield Change("incentive-added", GAIN, "incentives", "incentive", incentive["id"], incentive["name"], "",
                     "incentive", None, incentive["name"],
                     f"A new incentive, {incentive['name']}, open to {tiers} partners.", "incentives.yaml",
                     ("incentives", n))
    for n, incentive in removed:
        yield Change("incentive-removed", LOSS, "incentives", "incentive", incentive["id"], incentive["name"], "",
                     "incentive", incentive["name"], None, f"The {incentive['name']} is withdrawn.",
                     "incentives.yaml", ("incentives", n), side="base")
    for incentive_id, _on, before, n, after in both:
        path = ("incentives", n)
        name = after["name"]
        subject = dict(area="incentives", subject_kind="incentive", subject_id=incentive_id, subject=name)
        old_rules, new_rules = before.get("eligibility", {}), after.get("eligibility", {})
        for tier in new_rules.get("tiers", []):
            if tier not in old_rules.get("tiers", []):
                tier_name = self.name("tier", tier)
                yield Change("eligibility-widened", GAIN, "incentives", "incentive", incentive_id, name,
                             f"tiers/{tier}", tier_name, None, tier,
                             f"{tier_name} partners can now earn the {name}.",
                             "incentives.yaml", path + ("eligibility", "tiers", new_rules["tiers"].index(tier)))
        for tier in old_rules.get("tiers", []):
            if tier not in new_rules.get("tiers", []):
                tier_name = self.name("tier", tier)
                yield Change("eligibility-narrowed", LOSS, "incentives", "incentive", incentive_id, name,
                             f"tiers/{tier}", tier_name, tier, None,
                             f"{tier_name} partners can no longer earn the {name}.", "incentives.yaml",
                             path + ("eligibility", "tiers"))
        yield from self.requirements(
            incentive_requirements(before, self.kpis(self.base), Specializations(self.specs(self.base))),
            incentive_requirements(after, self.kpis(self.head), Specializations(self.specs(self.head))), path,
            file="incentives.yaml", who=f"To earn the {name}, partners", **subject)
        yield from conditions(old_rules.get("conditions", []), new_rules.get("conditions", []), path, name,
                              incentive_id)
        yield from deliverables(self, old_rules.get("deliverables", []), new_rules.get("deliverables", []), path,
                                name, incentive_id)
        yield from rates(self, before, after, path, name, incentive_id)
        yield from self.generic(_without(before, ("eligibility",), ("payout", "table")),
                                _without(after, ("eligibility",), ("payout", "table")), path,
                                file="incentives.yaml", **subject)


def conditions(old: list[str], new: list[str], path: DataPath, name: str, incentive_id: str) -> Iterator[Change]:
    """Conditions (in words) added to an incentive's eligibility, or dropped from it; a
    reworded condition is the old wording dropped and the new one added."""
    where = path + ("eligibility", "conditions")
    for n, condition in enumerate(new):
        if condition not in old:
            yield Change("condition-added", STRICTER, "incentives", "incentive", incentive_id, name, "conditions",
                         "condition", None, condition, f"To earn the {name}, partners now also need: {condition}",
                         "incentives.yaml", where + (n,))
    for n, condition in enumerate(old):
        if condition not in new:
            yield Change("condition-removed", EASIER, "incentives", "incentive", incentive_id, name, "conditions",
                         "condition", condition, None, f"To earn the {name}, partners no longer need: {condition}",
                         "incentives.yaml", where + (n,), side="base")

def deliverables(self: Differ, old: list[Item], new: list[Item], path: DataPath, name: str, incentive_id: str
                 ) -> Iterator[Change]:
    """Deliverables (the success plan within N days) an incentive starts or stops needing,
    or needs sooner or later."""
    where = path + ("eligibility", "deliverables")
    before = {d["deliverable"]: d["within_days"] for d in old}
    after = {d["deliverable"]: d["within_days"] for d in new}

    def named(side: Any, deliverable: str) -> str:
        found = [d for d in side.deliverables if d["id"] == deliverable]
        return str(found[0]["name"]).lower() if found else deliverable

    for n, d in enumerate(new):
        key, days = d["deliverable"], d["within_days"]
        what = named(self.head, key)
        if key not in before:
            yield Change("deliverable-added", STRICTER, "incentives", "incentive", incentive_id, name,
                         f"deliverables/{key}", what, None, days, f"To earn the {name}, partners now also need a "
                         f"{what} within {days} days of the contract start.", "incentives.yaml", where + (n,))
        elif days != before[key]:
            yield Change("deliverable-due", STRICTER if days < before[key] else EASIER, "incentives", "incentive",
                         incentive_id, name, f"deliverables/{key}", what, before[key], days,
                         f"To earn the {name}, partners need the {what} within {days} days of the contract start "
                         f"(was {before[key]}).", "incentives.yaml", where + (n, "within_days"))
    for n, d in enumerate(old):
        if d["deliverable"] not in after:
            what = named(self.base, d["deliverable"])
            yield Change("deliverable-removed", EASIER, "incentives", "incentive", incentive_id, name,
                         f"deliverables/{d['deliverable']}", what, d["within_days"], None,
                         f"To earn the {name}, partners no longer need a {what}.", "incentives.yaml", where + (n,),
                         side="base")


def rates(self: Differ, before: Item, after: Item, path: DataPath, name: str, incentive_id: str) -> Iterator[Change]:
    """A rate table compared row by row, by its tier, region and band."""
    old_frame = self.base.tables.get(before["payout"]["table"])
    new_frame = self.head.tables.get(after["payout"]["table"])
    where = path + ("payout", "table")
    if old_frame is None or new_frame is None:
        return
    try:
        old_shape, new_shape = table_shape(old_frame), table_shape(new_frame)
    except CalculationError:
        return
    if old_shape != new_shape:
        yield Change("rates-restructured", INFO, "incentives", "incentive", incentive_id, name, "rates",
                     "rate table", before["payout"]["table"], after["payout"]["table"],
                     f"The {name} rate table is organised differently; see the new table.", "incentives.yaml",
                     where)
        return
    currency = self.head.info.get("currency", "")
    old_table, new_table = before["payout"]["table"], after["payout"]["table"]
    old_rows, new_rows = _rate_rows(old_frame, new_shape), _rate_rows(new_frame, new_shape)
    column = new_shape.value
    for key, (position, value) in new_rows.items():
        label = rate_label(self, key, new_shape, currency)
        shown = value_words(value, column, currency)
        if key not in old_rows:
            yield Change("rate-added", GAIN, "incentives", "incentive", incentive_id, name, "rates", label, None,
                         value, f"{name}: {label} now pays {shown}.", new_table, (position, column))
        elif old_rows[key][1] != value:
            old_value = old_rows[key][1]
            impact = GAIN if value > old_value else LOSS
            yield Change("rate-changed", impact, "incentives", "incentive", incentive_id, name, "rates", label,
                         old_value, value, f"{name}: {label} pays {shown} (was "
                         f"{value_words(old_value, column, currency)}).", new_table, (position, column))
    for key, (position, value) in old_rows.items():
        if key not in new_rows:
            label = rate_label(self, key, new_shape, currency)
            yield Change("rate-removed", LOSS, "incentives", "incentive", incentive_id, name, "rates", label,
                         value, None, f"{name}: {label} no longer pays "
                         f"({value_words(value, column, currency)} before).", old_table, (position, column),
                         side="base")

def rate_label(self: Differ, key: tuple, shape: Any, currency: str) -> str:
    parts = []
    for column, value in zip(shape.keys, key, strict=False):
        parts.append(self.name(column, value) if column in ("tier", "region") else str(value))
    if shape.band:
        low, high = key[len(shape.keys):]
        parts.append(band_words(low, high, shape.band, currency))
    return ", ".join(parts) or "every row"


def _without(item: Mapping[str, Any], *paths: tuple[str, ...]) -> dict[str, Any]:
    copy = {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in item.items()}
    for path in paths:
        holder = copy
        for part in path[:-1]:
            holder = holder.get(part, {}) if isinstance(holder, dict) else {}
        if isinstance(holder, dict):
            holder.pop(path[-1], None)
    return copy


def _rate_rows(frame: pd.DataFrame, shape: Any) -> dict[tuple, tuple[int, float]]:
    """A rate table as {(key values..., band low, band high): (row position, value)}."""
    columns = list(shape.keys) + (list(shape.band_columns) if shape.band_columns else [])
    keys: list[list[Any]] = []
    for column in columns:
        values = frame[column].astype(object).where(frame[column].notna(), None).tolist()
        keys.append([float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v for v in values])
    values = frame[shape.value].astype(float).tolist()
    rows = zip(*keys, strict=True) if keys else [()] * len(values)
    return {tuple(k): (n, v) for n, (k, v) in enumerate(zip(rows, values, strict=True)) if not math.isnan(v)}
