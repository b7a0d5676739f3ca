"""The program as pages, tools and rules see it: checked data, with lookups by id.

The data stays plain (dicts and lists, exactly as validated by the schemas, so it can be
written out as JSON unchanged); `Program` adds lookups by id and the orderings the portal
uses (stages by order, tiers by rank). The program's ideas (requirements, thresholds,
band tables, rates, units) are typed in the modules beside this one.

A Program may hold only some of the files (a rule sees only the files it declares);
asking for a file it does not hold is a KeyError, never an empty answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..core.lazy import lazy

pd = lazy("pandas")

Item = Mapping[str, Any]


class UnknownId(LookupError):
    """A page or macro asked for an id the program does not define."""

    def __init__(self, kind: str, wanted: str, known: list[str]) -> None:
        super().__init__(f"there is no {kind} with the id '{wanted}'; known {kind} ids: {', '.join(known)}")


@dataclass(frozen=True)
class Program:
    """Validated program data: YAML documents and typed CSV tables, keyed by their path
    relative to program_data/; the schemas (with their references written out, for the
    data dictionary) and the release records (releases/*.json, by version)."""

    documents: Mapping[str, Any]
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    schemas: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    records: Mapping[str, Any] = field(default_factory=dict)

    def document(self, rel: str) -> Any:
        return self.documents[rel]

    @cached_property
    def releases(self) -> list[Item]:
        """Release records, newest version first."""
        return [self.records[v] for v in sorted(self.records, key=version_order, reverse=True)]

    @property
    def current_release(self) -> Item | None:
        """The record of this version, or None when it has not been released yet."""
        return self.records.get(str(self.info.get("version")))

    @property
    def info(self) -> Item:
        return self.documents["program.yaml"]

    def _list(self, file: str, key: str) -> list[Item]:
        return list(self.documents[file][key])

    @cached_property
    def stages(self) -> list[Item]:
        return sorted(self._list("lifecycle.yaml", "stages"), key=lambda s: s["order"])

    @cached_property
    def kpis(self) -> list[Item]:
        return self._list("kpis.yaml", "kpis")

    @cached_property
    def roles(self) -> list[Item]:
        return self._list("staffing.yaml", "roles")

    @cached_property
    def models(self) -> list[Item]:
        return self._list("engagement_models.yaml", "models")

    @cached_property
    def tiers(self) -> list[Item]:
        return sorted(self._list("tiers.yaml", "tiers"), key=lambda t: t["rank"])

    @cached_property
    def specializations(self) -> list[Item]:
        return self._list("tiers.yaml", "specializations")

    @cached_property
    def incentives(self) -> list[Item]:
        return self._list("incentives.yaml", "incentives")

    @cached_property
    def plays(self) -> list[Item]:
        return self._list("playbooks.yaml", "plays")

    @cached_property
    def regions(self) -> list[Item]:
        return list(self.info["regions"])

    @cached_property
    def journeys(self) -> list[Item]:
        found = [doc for rel, doc in sorted(self.documents.items()) if rel.startswith("journeys/")]
        return sorted(found, key=lambda j: (j["audience"] != "partner", j["name"]))

    @property
    def assessment(self) -> Item:
        return self.documents["assessment.yaml"]

    @property
    def completed_assessments(self) -> list[Item]:
        """Completed readiness assessments (assessments/*.yaml), by file name."""
        return [doc for rel, doc in sorted(self.documents.items()) if rel.startswith("assessments/")]

    @property
    def success_plan(self) -> Item:
        return self.documents["success_plan.yaml"]

    @property
    def usage_report(self) -> Item:
        return self.documents["usage_report.yaml"]

    @property
    def quarterly_review(self) -> Item:
        return self.documents["quarterly_review.yaml"]

    @property
    def practice(self) -> Item:
        return self.documents["practice.yaml"]

    @property
    def structure(self) -> Item:
        return self.documents["program_structure.yaml"]

    @cached_property
    def deliverables(self) -> list[Item]:
        """The plans, reports and reviews partners work with, each with its own guide."""
        return [self.documents[rel] for rel in DELIVERABLE_FILES if rel in self.documents]

    @property
    def renewal(self) -> Item:
        return self.documents["renewal.yaml"]

    @property
    def staffing(self) -> Item:
        return self.documents["staffing.yaml"]

    @property
    def capability_score(self) -> Item:
        return self.documents["tiers.yaml"]["capability_score"]

    def responsibilities(self, stage_id: str) -> Item:
        for entry in self._list("engagement_models.yaml", "responsibilities"):
            if entry["stage"] == stage_id:
                return entry
        return {"stage": stage_id, "partner": [], "vendor": []}

    def models_acting_at(self, stage_id: str) -> list[str]:
        """The engagement models with partner duties at a stage, in the order models are listed:
        the models whose partners do work there (the others leave that stage to the vendor)."""
        duties = self.responsibilities(stage_id)["partner"]
        return [m["id"] for m in self.models if any(m["id"] in duty["models"] for duty in duties)]

    def kpis_for_stage(self, stage_id: str) -> list[Item]:
        return [k for k in self.kpis if k.get("stage") == stage_id]

    def plays_using(self, deliverable_id: str) -> list[Item]:
        """The plays that name a deliverable (a plan, report or review) they work from."""
        return [p for p in self.plays if deliverable_id in p.get("deliverables", [])]

    def plays_for_stage(self, stage_id: str) -> list[Item]:
        return [p for p in self.plays if p["stage"] == stage_id]

    def table(self, rel: str) -> pd.DataFrame:
        return self.tables[rel]

    def items(self, kind: str) -> list[Item]:
        """Every item of `kind` (as `get` names kinds), in the data's order."""
        return getattr(self, _KINDS[kind])

    def get(self, kind: str, wanted: str) -> Item:
        """The item of `kind` (stage, kpi, role, model, tier, specialization, incentive,
        play, journey, region) with id `wanted`; UnknownId if there is none."""
        index = self._by_id.get(kind)
        if index is None:
            index = self._by_id[kind] = {}
            for item in self.items(kind):
                index.setdefault(item["id"], item)
        try:
            return index[wanted]
        except (KeyError, TypeError):
            raise UnknownId(kind, wanted, list(index)) from None

    @cached_property
    def _by_id(self) -> dict[str, dict[str, Item]]:
        return {}

    @cached_property
    def _memo(self) -> dict[Any, Any]:
        return {}

    def memoized(self, key: Any, make: Callable[[], Any]) -> Any:
        """`make()`, made once per program: what pages, downloads and tools all derive from
        the same data (a rate table, every table of the portal) is derived once per build."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def name(self, kind: str, wanted: str) -> str:
        return str(self.get(kind, wanted)["name"])


def version_order(version: str) -> tuple[int, int]:
    """A program version (YEAR.N) as something to sort by: 2027.10 comes after 2027.9."""
    year, _, number = version.partition(".")
    try:
        return int(year), int(number or 0)
    except ValueError:
        return 0, 0


DELIVERABLE_FILES = ("success_plan.yaml", "usage_report.yaml", "quarterly_review.yaml")

_KINDS = {
    "deliverable": "deliverables",
    "stage": "stages", "kpi": "kpis", "role": "roles", "model": "models", "tier": "tiers",
    "specialization": "specializations", "incentive": "incentives", "play": "plays", "journey": "journeys",
    "region": "regions",
}
