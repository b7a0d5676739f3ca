"""What changed between two versions of a program, in the terms partners read it.

`diff_programs(base, head)` compares two checked programs and returns `Change`s: a tier
requirement raised or lowered, a benefit added or removed, a rate changed from one value
to another, a KPI target moved, a journey step added, a play removed. Each change says
whether it makes the program stricter or easier, or gives partners more or less, and
carries a sentence a partner can read. Fields without a specific meaning still show up,
as plain "changed from ... to ..." entries, so nothing that changed is left out.

This is a semantic diff: reordering a list, reformatting a file or editing a comment is
not a change.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .calc import CalculationError, format_money, format_value, table_shape
from .findings import DataPath, format_path
from .model import Item, Program
from .portal_tables import band_text, kpi_target

# What a change means for a partner.
STRICTER, EASIER, GAIN, LOSS, INFO = "stricter", "easier", "gain", "loss", "info"
IMPACTS = (STRICTER, EASIER, GAIN, LOSS, INFO)
IMPACT_WORDS = {STRICTER: "Stricter", EASIER: "Easier", GAIN: "More for partners", LOSS: "Less for partners",
                INFO: "Updated"}

# The areas a change can be in, in the order reports show them.
AREAS = {
    "program": "Program", "tiers": "Tiers", "specializations": "Specializations", "kpis": "KPIs",
    "incentives": "Incentives", "journeys": "Journeys", "playbooks": "Playbooks", "lifecycle": "Lifecycle",
    "engagement": "Engagement models", "staffing": "Staffing", "renewal": "Renewal", "assessment": "Assessment",
}
_AREA_OF_FILE = {
    "program.yaml": "program", "tiers.yaml": "tiers", "kpis.yaml": "kpis", "incentives.yaml": "incentives",
    "playbooks.yaml": "playbooks", "lifecycle.yaml": "lifecycle", "engagement_models.yaml": "engagement",
    "staffing.yaml": "staffing", "renewal.yaml": "renewal", "assessment.yaml": "assessment",
}
_MISSING = object()


@dataclass(frozen=True)
class Change:
    kind: str  # a stable code, e.g. "requirement-raised"
    impact: str  # one of IMPACTS
    area: str  # one of AREAS
    subject_kind: str  # what changed: tier, incentive, kpi, journey, play, ... or "program"
    subject_id: str
    subject: str  # its name
    key: str  # which part of it, e.g. "staffing/customer-success-manager"; "" for the whole item
    label: str  # that part in words
    old: Any
    new: Any
    summary: str  # one sentence for partners
    file: str  # relative to program_data/
    path: DataPath  # where in `file`: in the head data, or in the base data when `side` is "base"
    side: str = "head"

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "impact": self.impact, "area": self.area,
                "subject": {"kind": self.subject_kind, "id": self.subject_id, "name": self.subject},
                "key": self.key, "label": self.label, "old": _plain(self.old), "new": _plain(self.new),
                "summary": self.summary, "file": f"program_data/{self.file}", "path": format_path(self.path)}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return str(value)


def diff_programs(base: Program, head: Program) -> list[Change]:
    """Every change from `base` to `head`, area by area."""
    differ = _Differ(base, head)
    changes = [*differ.program(), *differ.tiers(), *differ.specializations(), *differ.kpis(), *differ.incentives(),
               *differ.journeys(), *differ.plays()]
    for rel in ("lifecycle.yaml", "engagement_models.yaml", "staffing.yaml", "renewal.yaml", "assessment.yaml"):
        changes += differ.document(rel)
    order = list(AREAS)
    return sorted(changes, key=lambda c: order.index(c.area))  # stable: keeps the order within an area


# -- Formatting values ---------------------------------------------------------------------


def show(value: Any) -> str:
    """A value as a sentence shows it: numbers without trailing zeros, lists joined."""
    if value is None or value is _MISSING:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format_value(value, "count")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Mapping):
        if "value" in value and "unit" in value:
            return format_value(value["value"], value["unit"])
        return ", ".join(f"{k} {show(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "; ".join(show(v) for v in value) if value else "none"
    words = " ".join(str(value).split())
    return words if len(words) <= 90 else words[:87] + "..."


def _id_of(item: Any) -> str | None:
    if isinstance(item, Mapping):
        for key in ("id", "kpi", "role", "requirement"):
            if isinstance(item.get(key), str):
                return item[key]
    return None


def _keyed(items: list[Any]) -> dict[str, tuple[int, Any]] | None:
    """A list of items with ids as {id: (index, item)}, or None when it is not one."""
    if not items or not all(_id_of(i) for i in items):
        return None
    keyed = {_id_of(i): (n, i) for n, i in enumerate(items)}
    return keyed if len(keyed) == len(items) else None


def _matched(old: list[Any], new: list[Any]) -> tuple[list, list, list]:
    """Items of two id-keyed lists: (added as (index, item)), (removed as (index, item)),
    (in both as (id, old index, old item, new index, new item)), in the new list's order."""
    before = {_id_of(i): (n, i) for n, i in enumerate(old)}
    after = {_id_of(i): (n, i) for n, i in enumerate(new)}
    added = [(n, i) for key, (n, i) in after.items() if key not in before]
    removed = [(n, i) for key, (n, i) in before.items() if key not in after]
    both = [(key, *before[key], n, i) for key, (n, i) in after.items() if key in before]
    return added, removed, both


def _leaves(old: Any, new: Any, path: DataPath, words: tuple[str, ...]) -> Iterator[tuple[DataPath, str, Any, Any]]:
    """The smallest parts that differ: (path in new, words for the path, old, new)."""
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in [*new, *(k for k in old if k not in new)]:
            yield from _leaves(old.get(key, _MISSING), new.get(key, _MISSING), path + (key,),
                               words + (str(key).replace("_", " "),))
        return
    if isinstance(old, list) and isinstance(new, list) and _keyed(old) is not None and _keyed(new) is not None:
        added, removed, both = _matched(old, new)
        for n, item in added:
            yield path + (n,), " › ".join(words + (_id_of(item),)), _MISSING, item
        for _n, item in removed:
            yield path, " › ".join(words + (_id_of(item),)), item, _MISSING
        for key, _on, before, nn, after in both:
            yield from _leaves(before, after, path + (nn,), words + (key,))
        return
    if isinstance(old, list) and isinstance(new, list) and sorted(map(repr, old)) == sorted(map(repr, new)):
        return  # the same items in another order
    if old != new:
        yield path, " › ".join(words), old, new


def _more_or_less(old: float, new: float, higher_is_stricter: bool) -> str:
    return STRICTER if (new > old) == higher_is_stricter else EASIER


# -- The differ ----------------------------------------------------------------------------


class _Differ:
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

    def kpi(self, kpi_id: str) -> Item:
        for program in (self.head, self.base):
            try:
                return program.get("kpi", kpi_id)
            except LookupError:
                continue
        return {"id": kpi_id, "name": kpi_id, "unit": "count", "direction": "at-least"}

    def doc(self, program: Program, rel: str) -> Any:
        return program.documents.get(rel) or {}

    def generic(self, old: Any, new: Any, path: DataPath, *, area: str, file: str, subject_kind: str,
                subject_id: str, subject: str, words: tuple[str, ...] = ()) -> Iterator[Change]:
        """Plain 'changed from ... to ...' changes for fields without a specific meaning."""
        for where, label, before, after in _leaves(old, new, path, words):
            if before is _MISSING:
                kind, summary = "field-added", f"{subject}: {label} added: {show(after)}."
            elif after is _MISSING:
                kind, summary = "field-removed", f"{subject}: {label} removed (was {show(before)})."
            else:
                kind, summary = "field-changed", f"{subject}: {label} changed from {show(before)} to {show(after)}."
            yield Change(kind, INFO, area, subject_kind, subject_id, subject, format_path(where[len(path):]) or label,
                         label, None if before is _MISSING else before, None if after is _MISSING else after,
                         summary, file, where)

    # -- program.yaml

    def program(self) -> Iterator[Change]:
        old, new = self.doc(self.base, "program.yaml"), self.doc(self.head, "program.yaml")
        added, removed, _ = _matched(old.get("regions", []), new.get("regions", []))
        name = new.get("name", "The program")
        for n, region in added:
            yield Change("region-added", GAIN, "program", "region", region["id"], region["name"], "", "region",
                         None, region["name"], f"The program now covers {region['name']}.", "program.yaml",
                         ("regions", n))
        for n, region in removed:
            yield Change("region-removed", LOSS, "program", "region", region["id"], region["name"], "", "region",
                         region["name"], None, f"The program no longer covers {region['name']}.", "program.yaml",
                         ("regions", n), side="base")
        skip = {"regions", "version", "effective_date", "release_notes"}  # release metadata, shown apart
        yield from self.generic({k: v for k, v in old.items() if k not in skip},
                                {k: v for k, v in new.items() if k not in skip}, (), area="program",
                                file="program.yaml", subject_kind="program", subject_id=str(new.get("id", "")),
                                subject=name)

    # -- tiers.yaml: tiers and their requirements, benefits and models

    def requirements(self, old: Mapping[str, Any], new: Mapping[str, Any], path: DataPath, *, area: str,
                     subject_kind: str, subject_id: str, subject: str, file: str = "tiers.yaml",
                     who: str | None = None) -> Iterator[Change]:
        """Changes to a requirements block (tier, specialization or incentive eligibility):
        capability points, staffing, specializations and KPI thresholds."""
        who = who or f"{subject} partners"

        def change(key: str, label: str, before: Any, after: Any, impact: str, summary: str, where: DataPath,
                   side: str = "head") -> Change:
            kind = {STRICTER: "requirement-raised", EASIER: "requirement-lowered"}[impact]
            if before is None:
                kind = "requirement-added"
            elif after is None:
                kind = "requirement-removed"
            return Change(kind, impact, area, subject_kind, subject_id, subject, key, label, before, after,
                          summary, file, where, side)

        if "capability_points" in old or "capability_points" in new:
            before, after = old.get("capability_points"), new.get("capability_points")
            if before != after:
                label = "capability score"
                if before is None or after is None:
                    impact = STRICTER if before is None else EASIER
                else:
                    impact = _more_or_less(before, after, True)
                yield change("capability_points", label, before, after, impact,
                             f"{who} need a capability score of {show(after)} points (was {show(before)}).",
                             path + ("capability_points",))

        added, removed, both = _matched(old.get("staffing", []), new.get("staffing", []))
        for n, need in added:
            role = self.name("role", need["role"])
            yield change(f"staffing/{need['role']}", role, None, need["count"], STRICTER,
                         f"{who} now need {show(need['count'])} × {role}.", path + ("staffing", n))
        for _n, need in removed:
            role = self.name("role", need["role"])
            yield change(f"staffing/{need['role']}", role, need["count"], None, EASIER,
                         f"{who} no longer need a {role}.", path + ("staffing",), "head")
        for role_id, _on, before, nn, after in both:
            if before["count"] != after["count"]:
                role = self.name("role", role_id)
                yield change(f"staffing/{role_id}", role, before["count"], after["count"],
                             _more_or_less(before["count"], after["count"], True),
                             f"{who} need {show(after['count'])} × {role} (was {show(before['count'])}).",
                             path + ("staffing", nn, "count"))

        held_before, held_after = old.get("specializations", []), new.get("specializations", [])
        for spec in held_after:
            if spec not in held_before:
                name = self.name("specialization", spec)
                yield change(f"specializations/{spec}", name, None, spec, STRICTER,
                             f"{who} now need the {name}.",
                             path + ("specializations", held_after.index(spec)))
        for spec in held_before:
            if spec not in held_after:
                name = self.name("specialization", spec)
                yield change(f"specializations/{spec}", name, spec, None, EASIER,
                             f"{who} no longer need the {name}.", path + ("specializations",))

        added, removed, both = _matched(old.get("kpis", []), new.get("kpis", []))
        for n, need in added:
            kpi = self.kpi(need["kpi"])
            yield change(f"kpis/{need['kpi']}", kpi["name"], None, need["value"], STRICTER,
                         f"{who} now need {kpi['name']} of {kpi_target(kpi, need['value'])}.", path + ("kpis", n))
        for _n, need in removed:
            kpi = self.kpi(need["kpi"])
            yield change(f"kpis/{need['kpi']}", kpi["name"], need["value"], None, EASIER,
                         f"{who} no longer need a minimum {kpi['name']}.", path + ("kpis",))
        for kpi_id, _on, before, nn, after in both:
            if before["value"] != after["value"]:
                kpi = self.kpi(kpi_id)
                impact = _more_or_less(before["value"], after["value"], kpi["direction"] == "at-least")
                yield change(f"kpis/{kpi_id}", kpi["name"], before["value"], after["value"], impact,
                             f"{who} need {kpi['name']} of {kpi_target(kpi, after['value'])} "
                             f"(was {kpi_target(kpi, before['value'])}).", path + ("kpis", nn, "value"))

    def tiers(self) -> Iterator[Change]:
        old = self.doc(self.base, "tiers.yaml").get("tiers", [])
        new = self.doc(self.head, "tiers.yaml").get("tiers", [])
        added, removed, both = _matched(old, new)
        for n, tier in added:
            yield Change("tier-added", GAIN, "tiers", "tier", tier["id"], tier["name"], "", "tier", None, tier["name"],
                         f"A new tier, {tier['name']}: {show(tier.get('summary', ''))}", "tiers.yaml", ("tiers", n))
        for n, tier in removed:
            yield Change("tier-removed", LOSS, "tiers", "tier", tier["id"], tier["name"], "", "tier", tier["name"],
                         None, f"The {tier['name']} tier is withdrawn.", "tiers.yaml", ("tiers", n), side="base")
        for tier_id, _on, before, n, after in both:
            path = ("tiers", n)
            subject = dict(area="tiers", subject_kind="tier", subject_id=tier_id, subject=after["name"])
            yield from self.requirements(before.get("requirements", {}), after.get("requirements", {}),
                                         path + ("requirements",), **subject)
            yield from self.benefits(before, after, path, after["name"], tier_id)
            yield from self.models(before, after, path, after["name"], tier_id)
            skip = {"requirements", "benefits", "engagement_models", "grace_periods"}
            yield from self.generic({k: v for k, v in before.items() if k not in skip},
                                    {k: v for k, v in after.items() if k not in skip}, path, file="tiers.yaml",
                                    **subject)

    def benefits(self, before: Item, after: Item, path: DataPath, name: str, tier_id: str) -> Iterator[Change]:
        added, removed, both = _matched(before.get("benefits", []), after.get("benefits", []))
        for n, benefit in added:
            yield Change("benefit-added", GAIN, "tiers", "tier", tier_id, name, f"benefits/{benefit['id']}",
                         benefit["name"], None, benefit["name"], f"{name} partners now get: {benefit['name']}.",
                         "tiers.yaml", path + ("benefits", n))
        for _n, benefit in removed:
            yield Change("benefit-removed", LOSS, "tiers", "tier", tier_id, name, f"benefits/{benefit['id']}",
                         benefit["name"], benefit["name"], None, f"{name} partners no longer get: {benefit['name']}.",
                         "tiers.yaml", path + ("benefits",))
        for benefit_id, _on, old, n, new in both:
            yield from self.generic(old, new, path + ("benefits", n), area="tiers", file="tiers.yaml",
                                    subject_kind="tier", subject_id=tier_id, subject=name,
                                    words=("benefit", benefit_id))

    def models(self, before: Item, after: Item, path: DataPath, name: str, tier_id: str) -> Iterator[Change]:
        old, new = before.get("engagement_models", []), after.get("engagement_models", [])
        for model in new:
            if model not in old:
                model_name = self.name("model", model)
                yield Change("model-allowed", EASIER, "tiers", "tier", tier_id, name, f"engagement_models/{model}",
                             model_name, None, model, f"{name} is now open to {model_name} partners.", "tiers.yaml",
                             path + ("engagement_models", new.index(model)))
        for model in old:
            if model not in new:
                model_name = self.name("model", model)
                yield Change("model-withdrawn", STRICTER, "tiers", "tier", tier_id, name,
                             f"engagement_models/{model}", model_name, model, None,
                             f"{name} is no longer open to {model_name} partners.", "tiers.yaml",
                             path + ("engagement_models",))

    def specializations(self) -> Iterator[Change]:
        old = self.doc(self.base, "tiers.yaml").get("specializations", [])
        new = self.doc(self.head, "tiers.yaml").get("specializations", [])
        added, removed, both = _matched(old, new)
        for n, spec in added:
            yield Change("specialization-added", GAIN, "specializations", "specialization", spec["id"], spec["name"],
                         "", "specialization", None, spec["name"], f"A new specialization: {spec['name']}.",
                         "tiers.yaml", ("specializations", n))
        for n, spec in removed:
            yield Change("specialization-removed", LOSS, "specializations", "specialization", spec["id"],
                         spec["name"], "", "specialization", spec["name"], None,
                         f"The {spec['name']} is withdrawn.", "tiers.yaml", ("specializations", n), side="base")
        for spec_id, _on, before, n, after in both:
            subject = dict(area="specializations", subject_kind="specialization", subject_id=spec_id,
                           subject=after["name"])
            yield from self.requirements(before.get("requirements", {}), after.get("requirements", {}),
                                         ("specializations", n, "requirements"), who=f"The {after['name']} will",
                                         **subject)
            skip = {"requirements", "grace_periods"}
            yield from self.generic({k: v for k, v in before.items() if k not in skip},
                                    {k: v for k, v in after.items() if k not in skip}, ("specializations", n),
                                    file="tiers.yaml", **subject)
        yield from self.generic(self.doc(self.base, "tiers.yaml").get("capability_score", {}),
                                self.doc(self.head, "tiers.yaml").get("capability_score", {}), ("capability_score",),
                                area="tiers", file="tiers.yaml", subject_kind="program", subject_id="",
                                subject="Capability score")

    # -- kpis.yaml

    def kpis(self) -> Iterator[Change]:
        old = self.doc(self.base, "kpis.yaml").get("kpis", [])
        new = self.doc(self.head, "kpis.yaml").get("kpis", [])
        added, removed, both = _matched(old, new)
        for n, kpi in added:
            yield Change("kpi-added", INFO, "kpis", "kpi", kpi["id"], kpi["name"], "", "KPI", None, kpi["name"],
                         f"A new KPI, {kpi['name']}, with a target of {kpi_target(kpi, kpi['target'])}.", "kpis.yaml",
                         ("kpis", n))
        for n, kpi in removed:
            yield Change("kpi-removed", INFO, "kpis", "kpi", kpi["id"], kpi["name"], "", "KPI", kpi["name"], None,
                         f"The KPI {kpi['name']} is no longer measured.", "kpis.yaml", ("kpis", n), side="base")
        for kpi_id, _on, before, n, after in both:
            subject = dict(area="kpis", subject_kind="kpi", subject_id=kpi_id, subject=after["name"])
            if before.get("target") != after.get("target") and before.get("direction") == after.get("direction"):
                impact = _more_or_less(before["target"], after["target"], after["direction"] == "at-least")
                yield Change("kpi-target-changed", impact, "kpis", "kpi", kpi_id, after["name"], "target", "target",
                             before["target"], after["target"],
                             f"The {after['name']} target is {kpi_target(after, after['target'])} "
                             f"(was {kpi_target(after, before['target'])}).", "kpis.yaml", ("kpis", n, "target"))
                before = {k: v for k, v in before.items() if k != "target"}
                after = {k: v for k, v in after.items() if k != "target"}
            yield from self.generic(before, after, ("kpis", n), file="kpis.yaml", **subject)

    # -- incentives.yaml and the rate tables

    def incentives(self) -> Iterator[Change]:
        old = self.doc(self.base, "incentives.yaml").get("incentives", [])
        new = self.doc(self.head, "incentives.yaml").get("incentives", [])
        added, removed, both = _matched(old, new)
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
            yield from self.requirements(old_rules, new_rules, path + ("eligibility",), file="incentives.yaml",
                                         who=f"To earn the {name}, partners", **subject)
            yield from self.rates(before, after, path, name, incentive_id)
            yield from self.generic(_without(before, ("eligibility",), ("payout", "table")),
                                    _without(after, ("eligibility",), ("payout", "table")), path,
                                    file="incentives.yaml", **subject)

    def rates(self, before: Item, after: Item, path: DataPath, name: str, incentive_id: str) -> Iterator[Change]:
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
            label = self.rate_label(key, new_shape, currency)
            shown = _rate_value(value, column, currency)
            if key not in old_rows:
                yield Change("rate-added", GAIN, "incentives", "incentive", incentive_id, name, "rates", label, None,
                             value, f"{name}: {label} now pays {shown}.", new_table, (position, column))
            elif old_rows[key][1] != value:
                old_value = old_rows[key][1]
                impact = GAIN if value > old_value else LOSS
                yield Change("rate-changed", impact, "incentives", "incentive", incentive_id, name, "rates", label,
                             old_value, value, f"{name}: {label} pays {shown} (was "
                             f"{_rate_value(old_value, column, currency)}).", new_table, (position, column))
        for key, (position, value) in old_rows.items():
            if key not in new_rows:
                label = self.rate_label(key, new_shape, currency)
                yield Change("rate-removed", LOSS, "incentives", "incentive", incentive_id, name, "rates", label,
                             value, None, f"{name}: {label} no longer pays "
                             f"({_rate_value(value, column, currency)} before).", old_table, (position, column),
                             side="base")

    def rate_label(self, key: tuple, shape: Any, currency: str) -> str:
        parts = []
        for column, value in zip(shape.keys, key, strict=False):
            parts.append(self.name(column, value) if column in ("tier", "region") else str(value))
        if shape.band:
            low, high = key[len(shape.keys):]
            parts.append(band_text(low, high, shape.band, currency, top_inclusive=False).replace(" (not included)", ""))
        return ", ".join(parts) or "every row"

    # -- journeys/*.yaml

    def journeys(self) -> Iterator[Change]:
        def journeys_of(program: Program) -> dict[str, tuple[str, Item]]:
            return {doc["id"]: (rel, doc) for rel, doc in sorted(program.documents.items())
                    if rel.startswith("journeys/") and isinstance(doc, Mapping) and "id" in doc}

        old, new = journeys_of(self.base), journeys_of(self.head)
        for journey_id, (rel, journey) in new.items():
            if journey_id not in old:
                yield Change("journey-added", GAIN, "journeys", "journey", journey_id, journey["name"], "", "journey",
                             None, journey["name"], f"A new journey: {journey['name']} "
                             f"({show(journey.get('duration'))}).", rel, ())
        for journey_id, (rel, journey) in old.items():
            if journey_id not in new:
                yield Change("journey-removed", LOSS, "journeys", "journey", journey_id, journey["name"], "",
                             "journey", journey["name"], None, f"The {journey['name']} journey is withdrawn.", rel, (),
                             side="base")
        for journey_id, (rel, after) in new.items():
            if journey_id not in old:
                continue
            before = old[journey_id][1]
            name = after["name"]
            subject = dict(area="journeys", subject_kind="journey", subject_id=journey_id, subject=name)
            added, removed, both = _matched(before.get("steps", []), after.get("steps", []))
            for n, step in added:
                yield Change("step-added", INFO, "journeys", "journey", journey_id, name, f"steps/{step['id']}",
                             step["name"], None, step["name"], f"{name} has a new step: {step['name']} "
                             f"(from day {show(step.get('start_day'))}, {show(step.get('duration'))}).", rel,
                             ("steps", n))
            for _n, step in removed:
                yield Change("step-removed", INFO, "journeys", "journey", journey_id, name, f"steps/{step['id']}",
                             step["name"], step["name"], None, f"{name} no longer has the step {step['name']}.", rel,
                             ("steps",))
            for _step_id, _on, old_step, n, new_step in both:
                yield from self.generic(old_step, new_step, ("steps", n), file=rel, words=("step", new_step["name"]),
                                        **subject)
            yield from self.generic({k: v for k, v in before.items() if k != "steps"},
                                    {k: v for k, v in after.items() if k != "steps"}, (), file=rel, **subject)

    # -- playbooks.yaml

    def plays(self) -> Iterator[Change]:
        old = self.doc(self.base, "playbooks.yaml").get("plays", [])
        new = self.doc(self.head, "playbooks.yaml").get("plays", [])
        added, removed, both = _matched(old, new)
        for n, play in added:
            stage = self.name("stage", play["stage"])
            yield Change("play-added", GAIN, "playbooks", "play", play["id"], play["name"], "", "play", None,
                         play["name"], f"A new play for the {stage} stage: {play['name']}.", "playbooks.yaml",
                         ("plays", n))
        for n, play in removed:
            yield Change("play-removed", LOSS, "playbooks", "play", play["id"], play["name"], "", "play",
                         play["name"], None, f"The play {play['name']} is withdrawn.", "playbooks.yaml",
                         ("plays", n), side="base")
        for play_id, _on, before, n, after in both:
            parts = sorted({str(where[2]).replace("_", " ") for where, *_ in _leaves(before, after, ("plays", n), ())
                            if len(where) > 2})
            if parts:
                yield Change("play-changed", INFO, "playbooks", "play", play_id, after["name"], "", "play",
                             None, None, f"The play {after['name']} is updated: {', '.join(parts)}.",
                             "playbooks.yaml", ("plays", n))

    # -- other files: field by field

    def document(self, rel: str) -> Iterator[Change]:
        area = _AREA_OF_FILE[rel]
        yield from self.generic(self.doc(self.base, rel), self.doc(self.head, rel), (), area=area, file=rel,
                                subject_kind="document", subject_id=rel, subject=AREAS[area])


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


def _rate_value(value: float, column: str, currency: str) -> str:
    if column == "rate_percent":
        return format_value(value, "percent")
    if column == "rebate_amount":
        return format_money(value, currency)
    return format_value(value, "count") + " points"
