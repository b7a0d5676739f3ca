"""What changed between two versions of a program, in the terms partners read it.

`diff_programs(base, head)` compares two checked programs and returns `Change`s: a tier
requirement raised or lowered, a benefit added or removed, a rate changed from one value
to another, a KPI target moved, a journey step added, a play removed. Whether a changed
requirement is stricter or easier is the requirement's own answer (`model.requirements`).
Fields without a specific meaning still show up, as plain "changed from ... to ..."
entries, so nothing that changed is left out.

This is a semantic diff: reordering a list, reformatting a file or editing a comment is
not a change.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ..core.findings import DataPath
from ..model.program import Item, Program
from ..model.requirements import EASIER, STRICTER, Direction, Kpi, specialization_requirements
from .changes import AREA_OF_FILE, AREAS, GAIN, INFO, LOSS, Change, leaves, matched, show
from .diff_incentives import incentive_changes
from .differ import Differ


def diff_programs(base: Program, head: Program) -> list[Change]:
    """Every change from `base` to `head`, area by area."""
    differ = _Areas(base, head)
    changes = [*differ.program(), *differ.tiers(), *differ.specializations(), *differ.kpi_changes(),
               *incentive_changes(differ), *differ.journeys(), *differ.plays()]
    for rel in ("lifecycle.yaml", "engagement_models.yaml", "staffing.yaml", "renewal.yaml", "assessment.yaml"):
        changes += differ.document(rel)
    order = list(AREAS)
    return sorted(changes, key=lambda c: order.index(c.area))  # stable: keeps the order within an area

class _Areas(Differ):
    """The comparison of each area of the program but the incentives (`diff_incentives`)."""

    # -- program.yaml

    def program(self) -> Iterator[Change]:
        old, new = self.doc(self.base, "program.yaml"), self.doc(self.head, "program.yaml")
        added, removed, _ = matched(old.get("regions", []), new.get("regions", []))
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

    # -- tiers.yaml: tiers, their benefits and models, specializations

    def tiers(self) -> Iterator[Change]:
        old = self.doc(self.base, "tiers.yaml").get("tiers", [])
        new = self.doc(self.head, "tiers.yaml").get("tiers", [])
        added, removed, both = matched(old, new)
        for n, tier in added:
            yield Change("tier-added", GAIN, "tiers", "tier", tier["id"], tier["name"], "", "tier", None, tier["name"],
                         f"A new tier, {tier['name']}: {show(tier.get('summary', ''))}", "tiers.yaml", ("tiers", n))
        for n, tier in removed:
            yield Change("tier-removed", LOSS, "tiers", "tier", tier["id"], tier["name"], "", "tier", tier["name"],
                         None, f"The {tier['name']} tier is withdrawn.", "tiers.yaml", ("tiers", n), side="base")
        for tier_id, _on, before, n, after in both:
            path = ("tiers", n)
            subject = dict(area="tiers", subject_kind="tier", subject_id=tier_id, subject=after["name"])
            yield from self.requirements(self.tier_requirements(self.base, before),
                                         self.tier_requirements(self.head, after), path, **subject)
            yield from self.benefits(before, after, path, after["name"], tier_id)
            yield from self.models(before, after, path, after["name"], tier_id)
            skip = {"requirements", "benefits", "engagement_models", "grace_periods"}
            yield from self.generic({k: v for k, v in before.items() if k not in skip},
                                    {k: v for k, v in after.items() if k not in skip}, path, file="tiers.yaml",
                                    **subject)

    def benefits(self, before: Item, after: Item, path: DataPath, name: str, tier_id: str) -> Iterator[Change]:
        added, removed, both = matched(before.get("benefits", []), after.get("benefits", []))
        for n, benefit in added:
            yield Change("benefit-added", GAIN, "tiers", "tier", tier_id, name, f"benefits/{benefit['id']}",
                         benefit["name"], None, benefit["name"], f"{name} partners now get: {benefit['name']}.",
                         "tiers.yaml", path + ("benefits", n))
        for _n, benefit in removed:
            yield Change("benefit-removed", LOSS, "tiers", "tier", tier_id, name, f"benefits/{benefit['id']}",
                         benefit["name"], benefit["name"], None, f"{name} partners no longer get: {benefit['name']}.",
                         "tiers.yaml", path + ("benefits",))
        for benefit_id, _on, old, n, new in both:
            if old.get("name") != new.get("name"):
                yield Change("benefit-reworded", INFO, "tiers", "tier", tier_id, name, f"benefits/{benefit_id}",
                             new["name"], old.get("name"), new["name"], f"{name} partners' benefit "
                             f"“{old.get('name')}” now reads “{new['name']}”.", "tiers.yaml",
                             path + ("benefits", n, "name"))
            yield from self.generic({k: v for k, v in old.items() if k != "name"},
                                    {k: v for k, v in new.items() if k != "name"}, path + ("benefits", n),
                                    area="tiers", file="tiers.yaml", subject_kind="tier", subject_id=tier_id,
                                    subject=name, words=("benefit", new["name"]))

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
        added, removed, both = matched(old, new)
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
            yield from self.requirements(specialization_requirements(before), specialization_requirements(after),
                                         ("specializations", n), who=f"The {after['name']} will", **subject)
            skip = {"requirements", "grace_periods"}
            yield from self.generic({k: v for k, v in before.items() if k not in skip},
                                    {k: v for k, v in after.items() if k not in skip}, ("specializations", n),
                                    file="tiers.yaml", **subject)
        yield from self.generic(self.doc(self.base, "tiers.yaml").get("capability_score", {}),
                                self.doc(self.head, "tiers.yaml").get("capability_score", {}), ("capability_score",),
                                area="tiers", file="tiers.yaml", subject_kind="program", subject_id="",
                                subject="Capability score")

    # -- kpis.yaml

    def kpi_changes(self) -> Iterator[Change]:
        old = self.doc(self.base, "kpis.yaml").get("kpis", [])
        new = self.doc(self.head, "kpis.yaml").get("kpis", [])
        added, removed, both = matched(old, new)
        for n, kpi in added:
            yield Change("kpi-added", INFO, "kpis", "kpi", kpi["id"], kpi["name"], "", "KPI", None, kpi["name"],
                         f"A new KPI, {kpi['name']}, with a target of {Kpi.of(kpi).threshold_text()}.", "kpis.yaml",
                         ("kpis", n))
        for n, kpi in removed:
            yield Change("kpi-removed", INFO, "kpis", "kpi", kpi["id"], kpi["name"], "", "KPI", kpi["name"], None,
                         f"The KPI {kpi['name']} is no longer measured.", "kpis.yaml", ("kpis", n), side="base")
        for kpi_id, _on, before, n, after in both:
            subject = dict(area="kpis", subject_kind="kpi", subject_id=kpi_id, subject=after["name"])
            if before.get("target") != after.get("target") and before.get("direction") == after.get("direction"):
                impact = Direction(after["direction"]).change(before["target"], after["target"])
                yield Change("kpi-target-changed", impact, "kpis", "kpi", kpi_id, after["name"], "target", "target",
                             before["target"], after["target"],
                             f"The {after['name']} target is {Kpi.of(after).threshold_text()} "
                             f"(was {Kpi.of(after).threshold_text(before['target'])}).", "kpis.yaml",
                             ("kpis", n, "target"))
                before = {k: v for k, v in before.items() if k != "target"}
                after = {k: v for k, v in after.items() if k != "target"}
            yield from self.generic(before, after, ("kpis", n), file="kpis.yaml", **subject)

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
            added, removed, both = matched(before.get("steps", []), after.get("steps", []))
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
        added, removed, both = matched(old, new)
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
            parts = sorted({str(where[2]).replace("_", " ") for where, *_ in leaves(before, after, ("plays", n), ())
                            if len(where) > 2})
            if parts:
                yield Change("play-changed", INFO, "playbooks", "play", play_id, after["name"], "", "play",
                             None, None, f"The play {after['name']} is updated: {', '.join(parts)}.",
                             "playbooks.yaml", ("plays", n))

    # -- other files: field by field

    def document(self, rel: str) -> Iterator[Change]:
        area = AREA_OF_FILE[rel]
        yield from self.generic(self.doc(self.base, rel), self.doc(self.head, rel), (), area=area, file=rel,
                                subject_kind="document", subject_id=rel, subject=AREAS[area])
