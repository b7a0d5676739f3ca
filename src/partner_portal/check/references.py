"""The references layer: every id a file refers to is defined, once.

Which fields define ids and which refer to them is declared below as data, in one
place, so a reader can see the whole web of references at a glance.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import PurePosixPath
from typing import Any

from ..core.findings import DataPath, Finding, Layer, Location, Severity
from ..core.paths import walk
from ..core.project import Project
from ..load.csv_file import Table
from ..load.yaml_file import YamlDocument


@dataclass(frozen=True)
class Definition:
    kind: str
    file: str  # glob, relative to program_data/
    path: str  # e.g. "tiers[*].id"


@dataclass(frozen=True)
class Reference:
    kind: str
    file: str
    path: str  # for YAML, a data path with [*]; for CSV, a column name


DEFINITIONS = (
    Definition("stage", "lifecycle.yaml", "stages[*].id"),
    Definition("kpi", "kpis.yaml", "kpis[*].id"),
    Definition("role", "staffing.yaml", "roles[*].id"),
    Definition("model", "engagement_models.yaml", "models[*].id"),
    Definition("tier", "tiers.yaml", "tiers[*].id"),
    Definition("specialization", "tiers.yaml", "specializations[*].id"),
    Definition("category", "tiers.yaml", "capability_score.categories[*].id"),
    Definition("incentive", "incentives.yaml", "incentives[*].id"),
    Definition("play", "playbooks.yaml", "plays[*].id"),
    Definition("journey", "journeys/*.yaml", "id"),
    Definition("region", "program.yaml", "regions[*].id"),
    Definition("section", "assessment.yaml", "sections[*].id"),
    Definition("band", "assessment.yaml", "bands[*].id"),
    Definition("phase", "renewal.yaml", "phases[*].id"),
    Definition("reason", "renewal.yaml", "non_renewal_reasons[*].id"),
    Definition("capacity-band", "staffing.yaml", "capacity_bands[*].id"),
    Definition("assessment", "assessment.yaml", "id"),
    Definition("deliverable", "success_plan.yaml", "id"),
    Definition("deliverable", "usage_report.yaml", "id"),
    Definition("deliverable", "quarterly_review.yaml", "id"),
    Definition("signal", "usage_report.yaml", "signals[*].id"),
    Definition("risk-level", "usage_report.yaml", "risk.levels[*].level"),
    Definition("precondition", "practice.yaml", "preconditions[*].id"),
    Definition("plan-section", "success_plan.yaml", "sections[*].id"),
    Definition("agenda-item", "quarterly_review.yaml", "agenda[*].id"),
    Definition("assessed-ability", "quarterly_review.yaml", "assessed[*].id"),
    Definition("pillar", "practice.yaml", "pillars[*].id"),
    Definition("building-block", "practice.yaml", "building_blocks[*].id"),
    Definition("program-phase", "program_structure.yaml", "phases[*].id"),
    Definition("team-member", "program_structure.yaml", "team[*].id"),
    Definition("training", "program_structure.yaml", "training[*].id"),
    Definition("legal-term", "program_structure.yaml", "legal[*].id"),
)

# Kinds whose ids are listed for their own sake (shown on the portal), so an id nobody
# refers to is normal, not a sign of a stale definition.
SELF_STANDING = {"stage", "tier", "incentive", "play", "journey", "category", "section", "band", "phase", "reason",
                 "capacity-band", "model", "assessment", "deliverable", "risk-level", "precondition", "plan-section",
                 "agenda-item", "assessed-ability", "pillar", "building-block", "program-phase", "team-member",
                 "training", "legal-term"}

REFERENCES = (
    Reference("stage", "kpis.yaml", "kpis[*].stage"),
    Reference("stage", "engagement_models.yaml", "responsibilities[*].stage"),
    Reference("stage", "playbooks.yaml", "plays[*].stage"),
    Reference("model", "engagement_models.yaml", "models[*].includes"),
    Reference("model", "engagement_models.yaml", "responsibilities[*].partner[*].models[*]"),
    Reference("model", "engagement_models.yaml", "responsibilities[*].vendor[*].models[*]"),
    Reference("model", "tiers.yaml", "tiers[*].engagement_models[*]"),
    Reference("model", "playbooks.yaml", "plays[*].models[*]"),
    Reference("role", "tiers.yaml", "tiers[*].requirements.staffing[*].role"),
    Reference("role", "tiers.yaml", "specializations[*].requirements.staffing[*].role"),
    Reference("role", "journeys/*.yaml", "steps[*].owner"),
    Reference("role", "playbooks.yaml", "plays[*].owner"),
    Reference("role", "renewal.yaml", "phases[*].owner"),
    Reference("specialization", "tiers.yaml", "specializations[*].builds_on"),
    Reference("specialization", "tiers.yaml", "tiers[*].requirements.specializations[*]"),
    Reference("specialization", "incentives.yaml", "incentives[*].eligibility.specializations[*]"),
    Reference("specialization", "incentives.yaml", "incentives[*].eligibility.specializations[*].one_of[*]"),
    Reference("kpi", "tiers.yaml", "tiers[*].requirements.kpis[*].kpi"),
    Reference("kpi", "incentives.yaml", "incentives[*].eligibility.kpis[*].kpi"),
    Reference("kpi", "journeys/*.yaml", "kpi"),
    Reference("kpi", "playbooks.yaml", "plays[*].kpis[*]"),
    Reference("kpi", "playbooks.yaml", "plays[*].exit_when[*].kpi"),
    Reference("stage", "journeys/*.yaml", "stage"),
    Reference("model", "journeys/*.yaml", "models[*]"),
    Reference("category", "incentives.yaml", "incentives[*].payout.category"),
    Reference("kpi", "renewal.yaml", "kpis[*]"),
    Reference("tier", "incentives.yaml", "incentives[*].eligibility.tiers[*]"),
    Reference("tier", "incentives.yaml", "incentives[*].example.tier"),
    Reference("region", "incentives.yaml", "incentives[*].example.region"),
    Reference("tier", "incentives/*.csv", "tier"),
    Reference("region", "incentives/*.csv", "region"),
    Reference("tier", "partners/*.csv", "tier"),
    Reference("model", "partners/*.csv", "engagement_model"),
    Reference("incentive", "incentives.yaml", "incentives[*].builds_on"),
    Reference("assessment", "assessments/*.yaml", "assessment"),
    Reference("section", "assessments/*.yaml", "sections[*].section"),
    Reference("band", "assessments/*.yaml", "band"),
    Reference("deliverable", "incentives.yaml", "incentives[*].eligibility.deliverables[*].deliverable"),
    Reference("deliverable", "journeys/*.yaml", "steps[*].deliverables[*]"),
    Reference("deliverable", "playbooks.yaml", "plays[*].deliverables[*]"),
    Reference("deliverable", "program_structure.yaml", "metrics[*].deliverable"),
    Reference("signal", "playbooks.yaml", "plays[*].trigger.usage_signal"),
    Reference("risk-level", "usage_report.yaml", "signals[*].when.risk[*]"),
    Reference("kpi", "usage_report.yaml", "adoption_kpi"),
    Reference("kpi", "practice.yaml", "kpis[*].kpis[*]"),
    Reference("stage", "practice.yaml", "preconditions[*].stage"),
    Reference("precondition", "practice.yaml", "preconditions[*].builds_on"),
    Reference("role", "success_plan.yaml", "owner"),
    Reference("role", "success_plan.yaml", "supported_by"),
    Reference("role", "quarterly_review.yaml", "chair"),
    Reference("role", "quarterly_review.yaml", "presenters"),
    Reference("role", "quarterly_review.yaml", "attendees[*].role"),
    Reference("role", "program_structure.yaml", "team[*].role"),
)

_KIND_WORDS = {"kpi": "KPI", "capacity-band": "capacity band", "risk-level": "risk level"}


def _matching(files: dict[str, Any], glob: str) -> list[str]:
    return [rel for rel in sorted(files) if fnmatchcase(rel, glob) and rel.count("/") == glob.count("/")]


def defining_files(kinds: set[str], rels: list[str]) -> list[str]:
    """Those of `rels` (files relative to program_data/) that define ids of `kinds`."""
    patterns = [d.file for d in DEFINITIONS if d.kind in kinds]
    return [rel for rel in rels if any(rel in _matching({rel: None}, pattern) for pattern in patterns)]


def defined_ids(documents: dict[str, YamlDocument]) -> dict[str, set[str]]:
    """The ids defined per kind (what `check_references` returns, without its checks)."""
    defined, _ = _definitions(documents)
    return {kind: set(ids) for kind, ids in defined.items()}


def _definitions(documents: dict[str, YamlDocument]) -> tuple[dict[str, dict[str, Location]], list[Finding]]:
    """Where each id is defined, per kind, and a finding for each id defined twice."""
    findings: list[Finding] = []
    defined: dict[str, dict[str, Location]] = {}
    incomplete: set[str] = set()  # kinds one of whose defining files could not be read
    for definition in DEFINITIONS:
        sources = _matching(documents, definition.file)
        if not sources or any(() in documents[rel].flagged for rel in sources):
            # The defining file did not load or has the wrong shape; its own findings say why, and
            # references to ids of this kind are not judged from the other files alone.
            incomplete.add(definition.kind)
            continue
        ids = defined.setdefault(definition.kind, {})
        for rel in sources:
            doc = documents[rel]
            for path, value in walk(doc.data, definition.path):
                if not isinstance(value, str):
                    continue
                if value in ids:
                    findings.append(Finding(
                        "duplicate-id", f"the {_word(definition.kind)} id '{value}' is defined twice",
                        doc.location(path), Layer.REFERENCES, path=path,
                        hint=f"Give each {_word(definition.kind)} its own id; references cannot tell them apart.",
                        related=(ids[value],)))
                else:
                    ids[value] = doc.location(path)
    for kind in incomplete:
        defined.pop(kind, None)
    return defined, findings


def referring_columns(rel: str) -> list[str]:
    """The columns of the table `rel` (a path from program_data/) whose cells are ids."""
    return [r.path for r in REFERENCES if r.file.endswith(".csv") and _matching({rel: None}, r.file)]


def table_ids(rel: str, table: Table) -> dict[str, list[str]]:
    """The ids each referring column of `table` holds, once each: what the references layer
    counts as uses of the ids (the table suites check each cell)."""
    return {column: sorted({str(v) for v in table.frame[column].dropna().unique()})
            for column in referring_columns(rel) if column in table.columns}


def check_references(documents: dict[str, YamlDocument], tables: Mapping[str, Mapping[str, list[str]]]
                     ) -> tuple[dict[str, set[str]], list[Finding]]:
    """Check that every reference resolves; `tables` holds the ids each table's columns
    refer to (`table_ids`). Returns the ids defined per kind, and findings."""
    defined, findings = _definitions(documents)

    used: dict[str, set[str]] = {kind: set() for kind in defined}

    def unknown(kind: str, value: str, where: Location, path: DataPath = ()) -> Finding:
        known = sorted(defined.get(kind, {}))
        close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
        source = ", ".join(f"program_data/{d.file}" for d in DEFINITIONS if d.kind == kind)
        return Finding(
            "unknown-reference", f"there is no {_word(kind)} with the id '{value}'", where, Layer.REFERENCES,
            path=path,
            hint=(f"Did you mean '{close[0]}'? " if close else "")
            + f"{_word(kind)[0].upper()}{_word(kind)[1:]} ids are defined in {source}"
            + (f": {', '.join(known)}." if known and len(known) <= 12 else "."))

    for reference in REFERENCES:
        if reference.kind not in defined:
            continue
        ids = defined[reference.kind]
        if reference.file.endswith(".csv"):
            # Values in tables are checked against the ids by the table suites in checks/;
            # here they only count as uses of the ids.
            for rel in _matching(tables, reference.file):
                used[reference.kind].update(tables[rel].get(reference.path, ()))
            continue
        for rel in _matching(documents, reference.file):
            doc = documents[rel]
            for path, value in walk(doc.data, reference.path):
                if not isinstance(value, str) or path in doc.flagged:
                    continue
                used[reference.kind].add(value)
                if value not in ids:
                    findings.append(unknown(reference.kind, value, doc.location(path), path))

    for kind, ids in defined.items():
        if kind in SELF_STANDING:
            continue
        for value, where in ids.items():
            if value not in used[kind]:
                findings.append(Finding(
                    "unused-id", f"the {_word(kind)} '{value}' is defined but nothing refers to it", where,
                    Layer.REFERENCES, severity=Severity.WARNING,
                    hint="Remove it if it is no longer part of the program, or refer to it where it applies."))
    findings += _journey_file_names(documents)
    return {kind: set(ids) for kind, ids in defined.items()}, findings


def _journey_file_names(documents: dict[str, YamlDocument]) -> list[Finding]:
    findings = []
    for rel in _matching(documents, "journeys/*.yaml"):
        doc = documents[rel]
        stem = PurePosixPath(rel).stem
        if isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str) and doc.data["id"] != stem:
            findings.append(Finding(
                "id-file-mismatch", f"the journey id '{doc.data['id']}' does not match its file name '{stem}.yaml'",
                doc.location(("id",)), Layer.REFERENCES, path=("id",),
                hint=f"Rename the file to {doc.data['id']}.yaml, or change the id to '{stem}'."))
    return findings


def _word(kind: str) -> str:
    return _KIND_WORDS.get(kind, kind.replace("-", " "))


# Fields that name a file, and the folder the file must be in.
_FILE_FIELDS = (
    ("incentives.yaml", "incentives[*].payout.table", "program_data"),
    ("program.yaml", "logo", "content"),
    ("usage_report.yaml", "sample", "program_data"),
)


def check_file_references(project: Project, documents: dict[str, YamlDocument]) -> list[Finding]:
    """Files named in data exist inside the folder they belong to (paths with `..` or a
    leading `/` are already refused by the schemas; links out of the project are refused here)."""
    findings = []
    for rel, pattern, folder in _FILE_FIELDS:
        document = documents.get(rel)
        if document is None:
            continue
        base = (project.root / folder).resolve()
        for path, value in walk(document.data, pattern):
            if not isinstance(value, str) or path in document.flagged:
                continue
            target = (base / value).resolve()
            if not target.is_relative_to(base):
                findings.append(Finding("unsafe-path", f"'{value}' points outside {folder}/", document.location(path),
                                        Layer.REFERENCES, path=path,
                                        hint=f"Name a file inside {folder}/, without '..' or links leading out."))
            elif not target.is_file():
                findings.append(Finding("missing-file", f"the file {folder}/{value} does not exist",
                                        document.location(path), Layer.REFERENCES, path=path,
                                        hint=f"Create {folder}/{value}, or correct the path."))
    return findings
