"""`portal generate`: a synthetic program project N times the size of the sample.

For benchmarks and load tests. Scale N repeats every part of the sample program N times
under its own ids (stages, KPIs, plays, journeys, incentives, regions and tiers: unit 1
keeps the sample's ids, unit 2 adds `-u2`, and so on), so the portal has N times the pages.
The tables are production-sized: each unit has fine-grained rate bands and 2,700 listed
partners, about 10,500 CSV rows, so scale 100 holds over a million rows.

The result is valid by construction (`portal check` passes) and reproducible: the same
scale and seed give byte-identical files. Schemas, suites, content and the site
configuration are copied from the sample project; the catalog and suites name each table
family by pattern (`incentives/use_rebates*.csv`).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

import partner_portal

from ..check.run import check_project
from ..core.project import Project
from ..load.yaml_file import load_yaml
from .exits import EXIT_OK, usage

COPIED = ("schemas", "checks", "content")
COPIED_FILES = ("mkdocs.yml", "macros.py")
SINGLETONS = ("success_plan.yaml", "usage_report.yaml", "quarterly_review.yaml", "practice.yaml",
              "program_structure.yaml")
PARTNERS_PER_UNIT = 2_700
WORDS = ("Atlas", "Beacon", "Cedar", "Coral", "Falcon", "Granite", "Harbor", "Iris", "Juniper", "Keystone",
         "Lumen", "Maple", "North", "Orbit", "Pine", "Quartz", "River", "Summit", "Tidal", "Vertex")
KINDS = ("Consulting", "Digital", "Systems", "Partners", "Networks", "Cloud", "Services", "Works")


class GenerateError(Exception):
    """The project cannot be generated where asked; the message says why."""


@dataclass(frozen=True)
class Generated:
    folder: Path
    scale: int
    yaml_files: int
    csv_files: int
    csv_rows: int
    pages: int


def sfx(item_id: str, unit: int) -> str:
    return item_id if unit == 1 else f"{item_id}-u{unit}"


def named(name: str, unit: int) -> str:
    return name if unit == 1 else f"{name} {unit}"


def generate(source: Path, scale: int, out: Path, seed: int = 2027) -> Generated:
    if scale < 1:
        raise GenerateError("the scale must be 1 or more")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise GenerateError(f"{out} is not an empty folder; name a new folder")
    result = check_project(Project.open(source), tables=False)
    if result.errors:
        raise GenerateError(f"the project at {source} has errors; run `portal check` there first")
    try:
        sample = _read_sample(source)
        _documents(sample, range(1, 2))
        _rate_tables(sample, 1, range(1, 2))
    except (KeyError, StopIteration, ValueError, TypeError) as exc:
        raise GenerateError(f"portal generate scales the sample program's shape (its six rate tables and roster); "
                            f"this project differs ({type(exc).__name__}: {exc})") from None
    rng = random.Random(seed)
    data = out / "program_data"
    (data / "journeys").mkdir(parents=True)
    (data / "incentives").mkdir()
    (data / "partners").mkdir()
    (data / "assessments").mkdir()
    shutil.copytree(source / "program_data" / "usage", data / "usage")
    units = range(1, scale + 1)

    documents = _documents(sample, units)
    for rel, document in documents.items():
        _write_yaml(data / rel, document, rel)
    rows = 0
    for unit in units:
        for rel, text, count in _rate_tables(sample, unit, units):
            (data / rel).write_text(text, encoding="utf-8")
            rows += count
    roster, count = _roster(documents, sample["tables"]["roster-header"], units, rng)
    (data / "partners/roster.csv").write_text(roster, encoding="utf-8")
    rows += count

    for name in COPIED:
        shutil.copytree(source / name, out / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in COPIED_FILES:
        shutil.copy2(source / name, out / name)
    _patterns(out)
    # The site's hooks are named by path in mkdocs.yml: point src/ at this installation's code.
    (out / "src").symlink_to(Path(partner_portal.__file__).resolve().parent.parent, target_is_directory=True)
    pages = 21 * scale + 17  # per unit: 3 tiers, 5 stages, 5 stage playbooks, 2 journeys, 6 incentives
    csv_files = sum(1 for _ in data.rglob("*.csv"))
    return Generated(out, scale, len(documents), csv_files, rows, pages)


# -- YAML -----------------------------------------------------------------------------------


def _read_sample(source: Path) -> dict[str, Any]:
    docs = {}
    for path in sorted((source / "program_data").rglob("*.yaml")):
        rel = path.relative_to(source / "program_data").as_posix()
        loaded = load_yaml(path.read_text(encoding="utf-8"), rel)
        if loaded.document is None or any(f.severity == "error" for f in loaded.findings):
            raise GenerateError(f"the sample's {rel} does not load; run `portal check` on {source}")
        docs[rel] = loaded.document.data
    tables = {}
    for path in sorted((source / "program_data" / "incentives").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            tables[path.name] = list(csv.DictReader(handle))
    with (source / "program_data/partners/roster.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    tables["roster-header"] = header
    return {"docs": docs, "tables": tables}


def _documents(sample: dict[str, Any], units: range) -> dict[str, Any]:
    docs = sample["docs"]
    # Lifecycle KPIs repeat per unit; the practice's own KPIs (health, financial, service
    # desk) are listed once, in the practice guide, which is not repeated.
    per_unit_kpis = [k["id"] for k in docs["kpis.yaml"]["kpis"] if k.get("family", "lifecycle") == "lifecycle"]

    def kpi(kpi_id: str, unit: int) -> str:
        return sfx(kpi_id, unit) if kpi_id in per_unit_kpis else kpi_id

    program = dict(docs["program.yaml"])
    program["regions"] = [{"id": sfx(r["id"], u), "name": named(r["name"], u)} for u in units
                          for r in docs["program.yaml"]["regions"]]

    stages = docs["lifecycle.yaml"]["stages"]
    lifecycle = dict(docs["lifecycle.yaml"])
    lifecycle["stages"] = [{**s, "id": sfx(s["id"], u), "name": named(s["name"], u),
                            "order": (u - 1) * len(stages) + s["order"]} for u in units for s in stages]

    models = dict(docs["engagement_models.yaml"])
    models["responsibilities"] = [{**r, "stage": sfx(r["stage"], u)} for u in units
                                  for r in docs["engagement_models.yaml"]["responsibilities"]]

    kpis = dict(docs["kpis.yaml"])
    kpis["kpis"] = [k for k in docs["kpis.yaml"]["kpis"] if k["id"] not in per_unit_kpis] + [
        {**k, "id": sfx(k["id"], u), "name": named(k["name"], u), "stage": sfx(k["stage"], u)}
        for u in units for k in docs["kpis.yaml"]["kpis"] if k["id"] in per_unit_kpis]

    tiers = dict(docs["tiers.yaml"])
    sample_tiers = sorted(docs["tiers.yaml"]["tiers"], key=lambda t: t["rank"])
    top = sample_tiers[-1]
    all_benefits = [b["id"] for b in top["benefits"]]
    ladder = []
    for u in units:
        for position, tier in enumerate(sample_tiers):
            copy = {**tier, "id": sfx(tier["id"], u), "name": named(tier["name"], u),
                    "rank": (u - 1) * len(sample_tiers) + position + 1,
                    "benefits": [{**b, "id": sfx(b["id"], u)} for b in tier["benefits"]]}
            if u > 1:
                # Higher on the ladder never asks less: every later tier asks what the top
                # sample tier asks. Each unit's benefits are its own (they name its
                # incentives), so a unit's first tier drops the benefits of the unit below.
                copy["requirements"] = top["requirements"]
                copy.pop("grace_periods", None)
                if position == 0:
                    copy["removes_benefits"] = [sfx(b, u - 1) for b in all_benefits]
            ladder.append(copy)
    tiers["tiers"] = ladder

    incentives = dict(docs["incentives.yaml"])
    made = []
    for u in units:
        for incentive in docs["incentives.yaml"]["incentives"]:
            copy = json.loads(json.dumps(incentive))
            copy["id"], copy["name"] = sfx(copy["id"], u), named(copy["name"], u)
            copy["benefit"] = sfx(copy["benefit"], u)
            if copy.get("builds_on"):
                copy["builds_on"] = sfx(copy["builds_on"], u)
            rules = copy["eligibility"]
            rules["tiers"] = [sfx(t, u) for t in rules["tiers"]]
            for need in rules.get("kpis", []):
                need["kpi"] = kpi(need["kpi"], u)
            stem = copy["payout"]["table"].removesuffix(".csv")
            copy["payout"]["table"] = f"{stem}.csv" if u == 1 else f"{stem}-u{u}.csv"
            example = copy.get("example")
            if example:
                if example.get("tier"):
                    example["tier"] = sfx(example["tier"], u)
                if example.get("region"):
                    example["region"] = sfx(example["region"], u)
            made.append(copy)
    incentives["incentives"] = made

    plays = dict(docs["playbooks.yaml"])
    plays["plays"] = [{**p, "id": sfx(p["id"], u), "name": named(p["name"], u), "stage": sfx(p["stage"], u),
                       "kpis": [kpi(k, u) for k in p.get("kpis", [])],
                       **({"exit_when": [{**e, "kpi": kpi(e["kpi"], u)} for e in p["exit_when"]]}
                          if "exit_when" in p else {})} for u in units
                      for p in docs["playbooks.yaml"]["plays"]]

    out = {"program.yaml": program, "lifecycle.yaml": lifecycle, "engagement_models.yaml": models,
           "kpis.yaml": kpis, "staffing.yaml": docs["staffing.yaml"], "tiers.yaml": tiers,
           "incentives.yaml": incentives, "playbooks.yaml": plays, "renewal.yaml": docs["renewal.yaml"],
           "assessment.yaml": docs["assessment.yaml"]}
    # The guides, plans and reports are the program's, once: copied as they are.
    out.update({rel: doc for rel, doc in docs.items() if rel in SINGLETONS or rel.startswith("assessments/")})
    for rel, journey in docs.items():
        if not rel.startswith("journeys/"):
            continue
        for u in units:
            copy = {**journey, "id": sfx(journey["id"], u), "name": named(journey["name"], u),
                    "kpi": kpi(journey["kpi"], u),
                    **({"stage": sfx(journey["stage"], u)} if "stage" in journey else {})}
            out[f"journeys/{copy['id']}.yaml"] = copy
    return out


class _NoAliases(yaml.SafeDumper):
    """Writes a value shared by several items in full each time: program data has no
    anchors or aliases (the strict loader refuses them)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _write_yaml(path: Path, document: Any, rel: str) -> None:
    depth = rel.count("/")
    folders = {"journeys/": "journey", "assessments/": "completed-assessment"}
    name = next((schema for folder, schema in folders.items() if rel.startswith(folder)), rel.removesuffix(".yaml"))
    schema = "../" * (depth + 1) + f"schemas/{name}.schema.json"
    body = yaml.dump(document, Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=120,
                     default_flow_style=False)
    path.write_text(f"# yaml-language-server: $schema={schema}\n{body}", encoding="utf-8")


# -- CSV ------------------------------------------------------------------------------------


def _csv(header: list[str], rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _num(value: float, places: int = 3) -> str:
    text = f"{value:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _bands(start: float, step: float, count: int, places: int, end: float | None = None) -> list[tuple[str, str]]:
    """`count` contiguous bands from `start`; the last ends at `end` (or is open-ended)."""
    edges = [_num(start + i * step, places) for i in range(count)]
    return [(edges[i], edges[i + 1] if i + 1 < count else (_num(end, places) if end is not None else ""))
            for i in range(count)]


def _rate_tables(sample: dict[str, Any], unit: int, units: range) -> list[tuple[str, str, int]]:
    """The unit's rate tables: the sample's values, spread over fine bands so that
    payouts still rise band by band."""
    tables = sample["tables"]

    def name(stem: str) -> str:
        return f"incentives/{stem}.csv" if unit == 1 else f"incentives/{stem}-u{unit}.csv"

    out = []
    # Use rebates: per tier, 1,000 bands of 5 active users from 25; amounts rise with the band.
    rows = []
    for tier in dict.fromkeys(r["tier"] for r in tables["use_rebates.csv"]):
        base = float(next(r["rebate_amount"] for r in tables["use_rebates.csv"] if r["tier"] == tier))
        for i, (low, high) in enumerate(_bands(25, 5, 1_000, 0)):
            rows.append([sfx(tier, unit), low, high, _num(base + 10 * i, 0)])
    out.append((name("use_rebates"), _csv(["tier", "min_active_users", "max_active_users", "rebate_amount"], rows),
                len(rows)))
    for stem in ("adopt_rates", "expand_rates"):  # a rate for every region of the program
        rows = [[sfx(r["tier"], unit), sfx(r["region"], region_unit), r["rate_percent"]]
                for region_unit in units for r in tables[f"{stem}.csv"]]
        out.append((name(stem), _csv(["tier", "region", "rate_percent"], rows), len(rows)))
    # Adoption rebate: per tier, 1,000 contract-value bands of 250.
    rows = []
    for tier in dict.fromkeys(r["tier"] for r in tables["adoption_rebate_rates.csv"]):
        base = float(next(r["rate_percent"] for r in tables["adoption_rebate_rates.csv"] if r["tier"] == tier))
        for i, (low, high) in enumerate(_bands(0, 250, 1_000, 0)):
            rows.append([sfx(tier, unit), low, high, _num(base + i * 0.001)])
    out.append((name("adoption_rebate_rates"), _csv(["tier", "min_contract_value", "max_contract_value",
                                                     "rate_percent"], rows), len(rows)))
    # Renewal: 2,000 bands of 0.01 points of renewal rate from 80 to 100.
    rows = [[low, high, _num(1 + i * 0.0015, 4)] for i, (low, high) in enumerate(_bands(80, 0.01, 2_000, 2, 100))]
    out.append((name("renewal_rates"), _csv(["min_renewal_rate", "max_renewal_rate", "rate_percent"], rows),
                len(rows)))
    # CSAT points: 800 bands of 0.001 from 4.2 to 5.
    rows = [[low, high, str(10 + i // 20)] for i, (low, high) in enumerate(_bands(4.2, 0.001, 800, 3, 5))]
    out.append((name("csat_points"), _csv(["min_average", "max_average", "points"], rows), len(rows)))
    return out


def _roster(documents: dict[str, Any], roster_header: list[str], units: range, rng: random.Random
            ) -> tuple[str, int]:
    """Listed partners, each meeting the tier it is listed at."""
    tiers = documents["tiers.yaml"]["tiers"]
    header = roster_header
    roles = header[header.index("specializations") + 1: header.index("website")]
    specs = [s["id"] for s in documents["tiers.yaml"]["specializations"]]
    regions = [r["id"] for r in documents["program.yaml"]["regions"]]
    rows = []
    per_unit_tiers = len(tiers) // len(units)
    per_unit_regions = len(regions) // len(units)
    for u in units:
        unit_tiers = tiers[(u - 1) * per_unit_tiers: u * per_unit_tiers]
        unit_regions = regions[(u - 1) * per_unit_regions: u * per_unit_regions]
        for n in range(PARTNERS_PER_UNIT):
            tier = rng.choice(unit_tiers)
            needs = tier["requirements"]
            counts = {s["role"]: s["count"] for s in needs["staffing"]}
            staffing = [counts.get(role, 0) + rng.randint(0, 2) for role in roles]
            held = list(needs.get("specializations", []))
            if not held and rng.random() < 0.3:
                held = [specs[0]]
            model = rng.choice(tier.get("engagement_models") or ["cs-manager"])
            name = f"{rng.choice(WORDS)} {rng.choice(KINDS)} {u}-{n + 1}"
            slug = name.lower().replace(" ", "-")
            chosen = sorted(rng.sample(unit_regions, rng.randint(1, 2)), key=unit_regions.index)
            row = {"id": slug, "name": name, "regions": ";".join(chosen), "tier": tier["id"],
                   "engagement_model": model, "specializations": ";".join(held),
                   "website": f"https://www.{slug}.example", **dict(zip(roles, staffing, strict=True))}
            rows.append([row[column] for column in header])
    return _csv(header, rows), len(rows)


# -- Catalog and suites: one entry per table family -----------------------------------------


def _patterns(out: Path) -> None:
    catalog_path = out / "schemas/catalog.json"
    catalog = json.loads(catalog_path.read_text(encoding="utf-8"))
    for entry in catalog["files"]:
        if entry["pattern"].startswith("incentives/"):
            entry["pattern"] = entry["pattern"].removesuffix(".csv") + "*.csv"
    catalog_path.write_text(json.dumps(catalog, indent=2) + "\n", encoding="utf-8")
    for suite in (out / "checks").glob("*.yaml"):
        text = suite.read_text(encoding="utf-8")
        lines = text.splitlines(keepends=True)
        for i, line in enumerate(lines):
            if line.startswith("table: incentives/"):
                lines[i] = line.rstrip("\n").removesuffix(".csv") + "*.csv\n"
        suite.write_text("".join(lines), encoding="utf-8")


def run_generate(project: Project, args: argparse.Namespace) -> int:
    """`portal generate`: write a project `--scale` times the sample into `--out`."""
    try:
        made = generate(project.root, args.scale, args.out.resolve(), args.seed)
    except GenerateError as exc:
        return usage(str(exc))
    print(f"portal: wrote a scale-{made.scale} project to {made.folder}: {made.yaml_files} YAML files, "
          f"{made.csv_files} CSV files with {made.csv_rows:,} rows, about {made.pages:,} pages")
    return EXIT_OK
