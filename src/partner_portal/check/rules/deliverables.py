"""Rules about the plans, reports and guides partners work with: usage report rows can be
right and have the columns the guide describes, deadlines for a deliverable agree between
the incentive, the guide and the journey, metrics are shared as often as they are made,
and the practice guide lists practice KPIs under their own family."""

from __future__ import annotations

from collections.abc import Iterator

from ...core import codes
from ...core.findings import MAX_PER_KIND, Finding, Layer, Location
from ...core.units import duration_days
from ...model.requirements import KPI_FAMILIES, kpi_family
from ...model.usage import UsageSpec, check_rows, risk_levels_settled
from .base import RuleContext, rule


def _reports(ctx: RuleContext) -> list[str]:
    return sorted(rel for rel in ctx.tables if rel.startswith("usage/"))


@rule(codes.USAGE_ROW, "usage_report.yaml", "playbooks.yaml", "kpis.yaml", "usage/*.csv")
def usage_row(ctx: RuleContext) -> Iterator[Finding]:
    report = ctx.data("usage_report.yaml")
    spec = UsageSpec.of(report, ctx.data("playbooks.yaml")["plays"])
    # While the risk levels disagree with the adoption target (usage-risk says so), a stated
    # risk is not compared with them.
    settled = risk_levels_settled(report, ctx.data("kpis.yaml")["kpis"])
    for rel in _reports(ctx):
        table = ctx.tables[rel]
        rows = table.frame.astype(object).to_dict("records")
        problems = [(r.index, p) for r in check_rows(spec, rows) for p in r.problems
                    if settled or p.code != "risk-disagrees"]
        for index, problem in problems[:MAX_PER_KIND]:
            yield ctx.row_finding(rel, index, problem.column, problem.message, problem.hint, fix=problem.fix)
        if len(problems) > MAX_PER_KIND:
            yield Finding(codes.USAGE_ROW, f"and {len(problems) - MAX_PER_KIND} more rows that cannot be right",
                          Location(table.file), Layer.RULES,
                          hint="Fix the rows above, then run the check again to see the rest.")


@rule(codes.USAGE_COLUMNS, "usage_report.yaml", "usage/*.csv")
def usage_columns(ctx: RuleContext) -> Iterator[Finding]:
    described = [c["column"] for c in ctx.data("usage_report.yaml")["columns"]]
    for rel in _reports(ctx):
        table = ctx.tables[rel]
        if table.columns != described:
            extra = [c for c in table.columns if c not in described]
            missing = [c for c in described if c not in table.columns]
            what = (f"has columns the guide does not describe ({', '.join(extra)})" if extra else
                    f"lacks columns the guide describes ({', '.join(missing)})" if missing else
                    "has the guide's columns in another order")
            at = next((k for k, (a, b) in enumerate(zip(table.columns, described, strict=False)) if a != b),
                      min(len(table.columns), len(described)) - 1)
            yield Finding(codes.USAGE_COLUMNS, f"the report {what}",
                          Location(table.file, 1, at + 1, field=table.columns[at] if at < len(table.columns) else None),
                          Layer.RULES,
                          hint=f"Give the report the columns {', '.join(described)}, in that order, or describe "
                          "its columns in usage_report.yaml.", related=(ctx.at("usage_report.yaml", ("columns",)),))


@rule(codes.DELIVERABLE_DEADLINE, "success_plan.yaml", "incentives.yaml", "journeys/*.yaml")
def deliverable_deadline(ctx: RuleContext) -> Iterator[Finding]:
    plan = ctx.data("success_plan.yaml")
    due = plan["due_within_days"]
    for i, incentive in enumerate(ctx.data("incentives.yaml")["incentives"]):
        for j, need in enumerate(incentive["eligibility"].get("deliverables", [])):
            if need["deliverable"] == plan["id"] and need["within_days"] < due:
                yield ctx.finding("incentives.yaml", ("incentives", i, "eligibility", "deliverables", j,
                                                      "within_days"),
                                  f"{incentive['name']} needs the {plan['name'].lower()} within {need['within_days']} "
                                  f"days, but its guide gives partners {due} days", f"Write {due}, or shorten "
                                  "due_within_days in success_plan.yaml for every partner.",
                                  (("success_plan.yaml", ("due_within_days",)),), fix=due)
    for rel in sorted(r for r in ctx.documents if r.startswith("journeys/")):
        journey = ctx.data(rel)
        for k, step in enumerate(journey.get("steps", [])):
            if plan["id"] not in step.get("deliverables", []):
                continue
            end = step["start_day"] + duration_days(step["duration"])
            if end > due:
                yield ctx.finding(rel, ("steps", k, "start_day"), f"the step '{step['name']}' produces the "
                                  f"{plan['name'].lower()}, but ends on day {end:g}, after the {due} days it is due in",
                                  f"Start the step earlier or shorten it, so it ends by day {due}.",
                                  (("success_plan.yaml", ("due_within_days",)),))


_MADE = ("usage_report.yaml", "quarterly_review.yaml")  # deliverables made at a `frequency`


@rule(codes.METRICS_FREQUENCY, "program_structure.yaml", "usage_report.yaml", "quarterly_review.yaml")
def metrics_frequency(ctx: RuleContext) -> Iterator[Finding]:
    made = {ctx.data(rel)["id"]: (rel, ctx.data(rel)["frequency"]) for rel in _MADE}
    for i, metric in enumerate(ctx.data("program_structure.yaml")["metrics"]):
        if metric.get("deliverable") in made:
            rel, frequency = made[metric["deliverable"]]
            if metric["frequency"] != frequency:
                yield ctx.finding("program_structure.yaml", ("metrics", i, "frequency"),
                                  f"the {metric['what'].lower()} is shared {metric['frequency']}, but it is made "
                                  f"{frequency}", f"Write {frequency}.", ((rel, ("frequency",)),), fix=frequency)


@rule(codes.KPI_FAMILY, "practice.yaml", "kpis.yaml")
def kpi_family_rule(ctx: RuleContext) -> Iterator[Finding]:
    kpis = {k["id"]: (j, k) for j, k in enumerate(ctx.data("kpis.yaml")["kpis"])}
    for i, group in enumerate(ctx.data("practice.yaml")["kpis"]):
        for n, kpi_id in enumerate(group["kpis"]):
            if kpi_id in kpis and kpi_family(kpis[kpi_id][1]) != group["family"]:
                j, kpi = kpis[kpi_id]
                yield ctx.finding("practice.yaml", ("kpis", i, "kpis", n), f"{kpi['name']} is listed among the "
                                  f"{KPI_FAMILIES[group['family']].lower()} KPIs, but it is a "
                                  f"{KPI_FAMILIES[kpi_family(kpi)].lower()} KPI", "Move it to the group of its "
                                  "family, or change its family in kpis.yaml.", (("kpis.yaml", ("kpis", j)),))


RULES = [usage_row, usage_columns, deliverable_deadline, metrics_frequency, kpi_family_rule]
