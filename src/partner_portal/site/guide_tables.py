"""The tables of the guides: the success plan's sections, the usage report's columns, risk
levels and signals, each department's part in customer success, the program team and the
metrics shared with partners. Pages show them, and the build writes each as CSV and JSON."""

from __future__ import annotations

from ..model.program import Item, Program
from ..model.requirements import KPI_FAMILIES
from ..model.usage import describe, usage_spec
from .program_tables import kpi_table
from .tables import DASH, Column, DataTable, ref


def plan_sections(program: Program) -> DataTable:
    rows = [{"section": s["name"], "purpose": s["purpose"], "required": list(s["required"])}
            for s in program.success_plan["sections"]]
    return DataTable("success-plan-sections", "Success plan sections",
                     (Column("section", "Section"), Column("purpose", "What it answers"),
                      Column("required", "What it must contain")), tuple(rows))


def usage_columns(program: Program) -> DataTable:
    rows = [{"column": c["column"], "name": c["name"], "meaning": c["meaning"]}
            for c in program.usage_report["columns"]]
    return DataTable("usage-report-columns", "Usage report columns",
                     (Column("name", "Column"), Column("column", "Header in the file"),
                      Column("meaning", "What it means")), tuple(rows))


def usage_risk_levels(program: Program) -> DataTable:
    levels = program.usage_report["risk"]["levels"]
    rows = []
    for i, level in enumerate(levels):
        low = levels[i - 1].get("below") if i else None
        high = level.get("below")
        share = (f"below {high:g}%" if low is None else f"{low:g}% to below {high:g}%" if high is not None
                 else f"{low:g}% or more")
        rows.append({"risk": level["name"], "share": share})
    return DataTable("usage-report-risk", "Renewal risk by active share",
                     (Column("risk", "Renewal risk"), Column("share", "Active users as a share of licensed users")),
                     tuple(rows))


def usage_signals(program: Program) -> DataTable:
    spec = usage_spec(program)
    rows = [{"signal": s["name"], "when": describe(s["when"], spec), "summary": s["summary"],
             "plays": [ref(program, "play", play) for play, _ in spec.plays.get(s["id"], ())] or DASH}
            for s in program.usage_report["signals"]]
    return DataTable("usage-report-signals", "Signals in the usage report and the plays they start",
                     (Column("signal", "Signal"), Column("when", "When a row shows"),
                      Column("summary", "Why it matters"), Column("plays", "Plays")), tuple(rows))


def responsibilities(program: Program) -> DataTable:
    rows = [{"department": r["department"], "responsibility": r["responsibility"]}
            for r in program.practice["responsibilities"]]
    return DataTable("practice-responsibilities", "Each department's part in customer success",
                     (Column("department", "Department"), Column("responsibility", "Its part")), tuple(rows))


def program_team(program: Program) -> DataTable:
    rows = [{"member": m["name"], "group": "Leadership" if m["group"] == "leadership" else "Supporting team",
             "summary": m["summary"], "role": ref(program, "role", m["role"]) if m.get("role") else DASH}
            for m in program.structure["team"]]
    return DataTable("program-team", "The program team",
                     (Column("member", "Who"), Column("group", "Group"), Column("role", "Role"),
                      Column("summary", "What they do")), tuple(rows))


def metrics_shared(program: Program) -> DataTable:
    rows = [{"what": [m["what"], ref(program, "deliverable", m["deliverable"])] if m.get("deliverable") else m["what"],
             "frequency": m["frequency"].capitalize()} for m in program.structure["metrics"]]
    return DataTable("metrics-shared", f"What {program.info['vendor']['name']} shares with partners, and how often",
                     (Column("what", "What"), Column("frequency", "How often")), tuple(rows))


def completed_assessment(program: Program, done: Item, n: int) -> DataTable:
    """A completed assessment as its sheet shows it: per section, the points in each rating's
    column and the section's points."""
    assessment = program.assessment
    names = {s["id"]: s["name"] for s in assessment["sections"]}
    ratings = [s["rating"] for s in assessment["scale"]]
    rows: list[dict[str, object]] = [
        {"section": names.get(s["section"], s["section"]), **{f"r{r}": v for r, v in zip(ratings, s["subtotals"],
                                                                                        strict=False)},
         "points": s["points"]} for s in done["sections"]]
    rows.append({"section": "Total", **{f"r{r}": sum(s["subtotals"][k] for s in done["sections"]
                                                      if k < len(s["subtotals"])) for k, r in enumerate(ratings)},
                 "points": done["total"]})
    return DataTable(f"assessment-example-{n}", f"{done['title']}: points by section and rating",
                     (Column("section", "Section"),) + tuple(Column(f"r{r}", f"{r}", numeric=True)
                                                            for r in ratings)
                     + (Column("points", "Points", numeric=True),), tuple(rows))


def practice_kpis(program: Program) -> list[DataTable]:
    """The practice guide's KPIs, a table per family."""
    return [kpi_table(program, [program.get("kpi", k) for k in group["kpis"]], f"practice-{group['family']}-kpis",
                      f"{KPI_FAMILIES[group['family']]} KPIs") for group in program.practice["kpis"]]


def guide_tables(program: Program) -> list[DataTable]:
    return [*(completed_assessment(program, done, n) for n, done in enumerate(program.completed_assessments, 1)),
            *practice_kpis(program), plan_sections(program), usage_columns(program), usage_risk_levels(program),
            usage_signals(program), responsibilities(program), program_team(program), metrics_shared(program)]
