"""A change between two versions of a program, and the vocabulary of changes: what a
change means for partners (its impact), the area it is in, and how values read in the
sentence that describes it. Also the field-by-field comparison that finds changes no
specific rule describes (`leaves`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..core.findings import DataPath, format_path
from ..core.units import format_value
from ..model.requirements import EASIER, STRICTER

# What a change means for a partner (STRICTER and EASIER are the requirements' own words).
GAIN, LOSS, INFO = "gain", "loss", "info"
IMPACTS = (STRICTER, EASIER, GAIN, LOSS, INFO)
IMPACT_WORDS = {STRICTER: "Stricter", EASIER: "Easier", GAIN: "More for partners", LOSS: "Less for partners",
                INFO: "Updated"}

# The areas a change can be in, in the order reports show them.
AREAS = {
    "program": "Program", "tiers": "Tiers", "specializations": "Specializations", "kpis": "KPIs",
    "incentives": "Incentives", "journeys": "Journeys", "playbooks": "Playbooks", "lifecycle": "Lifecycle",
    "engagement": "Engagement models", "staffing": "Staffing", "renewal": "Renewal", "assessment": "Assessment",
}
AREA_OF_FILE = {
    "program.yaml": "program", "tiers.yaml": "tiers", "kpis.yaml": "kpis", "incentives.yaml": "incentives",
    "playbooks.yaml": "playbooks", "lifecycle.yaml": "lifecycle", "engagement_models.yaml": "engagement",
    "staffing.yaml": "staffing", "renewal.yaml": "renewal", "assessment.yaml": "assessment",
}
MISSING = object()


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
                "key": self.key, "label": self.label, "old": plain(self.old), "new": plain(self.new),
                "summary": self.summary, "file": f"program_data/{self.file}", "path": format_path(self.path)}


def plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [plain(v) for v in value]
    return str(value)


# -- Formatting values ---------------------------------------------------------------------


def show(value: Any) -> str:
    """A value as a sentence shows it: numbers without trailing zeros, lists joined."""
    if value is None or value is MISSING:
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


def id_of(item: Any) -> str | None:
    if isinstance(item, Mapping):
        for key in ("id", "kpi", "role", "requirement"):
            if isinstance(item.get(key), str):
                return item[key]
    return None


def keyed(items: list[Any]) -> dict[str, tuple[int, Any]] | None:
    """A list of items with ids as {id: (index, item)}, or None when it is not one."""
    if not items or not all(id_of(i) for i in items):
        return None
    keyed = {id_of(i): (n, i) for n, i in enumerate(items)}
    return keyed if len(keyed) == len(items) else None


def matched(old: list[Any], new: list[Any]) -> tuple[list, list, list]:
    """Items of two id-keyed lists: (added as (index, item)), (removed as (index, item)),
    (in both as (id, old index, old item, new index, new item)), in the new list's order."""
    before = {id_of(i): (n, i) for n, i in enumerate(old)}
    after = {id_of(i): (n, i) for n, i in enumerate(new)}
    added = [(n, i) for key, (n, i) in after.items() if key not in before]
    removed = [(n, i) for key, (n, i) in before.items() if key not in after]
    both = [(key, *before[key], n, i) for key, (n, i) in after.items() if key in before]
    return added, removed, both


def leaves(old: Any, new: Any, path: DataPath, words: tuple[str, ...]) -> Iterator[tuple[DataPath, str, Any, Any]]:
    """The smallest parts that differ: (path in new, words for the path, old, new)."""
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in [*new, *(k for k in old if k not in new)]:
            yield from leaves(old.get(key, MISSING), new.get(key, MISSING), path + (key,),
                               words + (str(key).replace("_", " "),))
        return
    if isinstance(old, list) and isinstance(new, list) and keyed(old) is not None and keyed(new) is not None:
        added, removed, both = matched(old, new)
        for n, item in added:
            yield path + (n,), " › ".join(words + (id_of(item),)), MISSING, item
        for _n, item in removed:
            yield path, " › ".join(words + (id_of(item),)), item, MISSING
        for key, _on, before, nn, after in both:
            yield from leaves(before, after, path + (nn,), words + (key,))
        return
    if isinstance(old, list) and isinstance(new, list) and sorted(map(repr, old)) == sorted(map(repr, new)):
        return  # the same items in another order
    if old != new:
        yield path, " › ".join(words), old, new
