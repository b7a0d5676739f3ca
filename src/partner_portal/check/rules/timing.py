"""Rules about time: stages in order, journeys that fit their duration and KPI, a renewal
timeline that runs back to back up to the renewal date with its prompts inside it, and
capacity bands that fit the load per customer success manager."""

from __future__ import annotations

import math
from collections.abc import Iterator

from ...core import codes
from ...core.findings import Finding
from ...core.units import duration_days
from .base import RuleContext, rule


@rule(codes.STAGE_ORDER, "lifecycle.yaml")
def stage_order(ctx: RuleContext) -> Iterator[Finding]:
    stages = ctx.data("lifecycle.yaml")["stages"]
    orders = sorted(s["order"] for s in stages)
    if orders != list(range(1, len(stages) + 1)):
        free = sorted(set(range(1, len(stages) + 1)) - set(orders))
        seen: dict[int, int] = {}
        for i, stage in enumerate(stages):
            if stage["order"] in seen or stage["order"] > len(stages):
                only = free[0] if len(free) == 1 else None
                yield ctx.finding("lifecycle.yaml", ("stages", i, "order"),
                                  f"the stage {stage['name']} has order {stage['order']}; orders must run from 1 to "
                                  f"{len(stages)} without repeats",
                                  f"Write {only}, the number no stage has." if only else
                                  f"Number the stages 1 to {len(stages)} in lifecycle order; free: "
                                  f"{', '.join(map(str, free))}.",
                                  ((("lifecycle.yaml", ("stages", seen[stage["order"]], "order")),)
                                   if stage["order"] in seen else ()), fix=only)
            seen.setdefault(stage["order"], i)


@rule(codes.JOURNEY_FIT, "kpis.yaml", "journeys/*.yaml")
def journey_fit(ctx: RuleContext) -> Iterator[Finding]:
    kpis = {k["id"]: k for k in ctx.data("kpis.yaml")["kpis"]}
    for rel in sorted(r for r in ctx.documents if r.startswith("journeys/")):
        journey = ctx.data(rel)
        if not isinstance(journey, dict) or "duration" not in journey:
            continue
        total = duration_days(journey["duration"])
        first_step: dict[str, int] = {}
        for i, step in enumerate(journey.get("steps", [])):
            if step["id"] in first_step:
                yield ctx.finding(rel, ("steps", i, "id"), f"two steps have the id '{step['id']}'",
                                  "Give every step of a journey its own id.",
                                  ((rel, ("steps", first_step[step["id"]], "id")),))
            first_step.setdefault(step["id"], i)
            length = duration_days(step["duration"])
            end = step["start_day"] + length
            if end > total + 1e-9:
                latest = math.floor(total - length + 1e-9)
                yield ctx.finding(rel, ("steps", i, "start_day"),
                                  f"the step '{step['name']}' ends on day {end:g}, after the journey's "
                                  f"{total:g} days", (f"Write {latest} or less (the step lasts {length:g} days), "
                                                      if latest >= 0 else "Shorten the step, ")
                                  + f"or lengthen the journey to {math.ceil(end):g} days.",
                                  ((rel, ("duration",)),), fix=latest if latest >= 0 else None)
        kpi = kpis.get(journey.get("kpi", ""))
        if kpi is None:
            continue
        if kpi["unit"] not in ("days", "weeks"):
            timed = [k for k, item in kpis.items() if item["unit"] in ("days", "weeks")]
            yield ctx.finding(rel, ("kpi",), f"the journey serves {kpi['name']}, which is measured in "
                              f"{kpi['unit']}, not in days or weeks",
                              f"Name a KPI measured in days or weeks: {', '.join(timed) or 'none is defined yet'}.")
            continue
        target = duration_days({"value": kpi["target"], "unit": kpi["unit"]})
        if kpi["direction"] == "at-most" and total > target + 1e-9:
            yield ctx.finding(rel, ("duration",), f"the journey takes {total:g} days, longer than the "
                              f"{kpi['name']} target of {kpi['target']:g} {kpi['unit']}",
                              f"Shorten the journey to {kpi['target']:g} {kpi['unit']} or less (and its steps with "
                              "it), or change the KPI's target.",
                              (("kpis.yaml", ("kpis", list(kpis).index(kpi["id"]), "target")),))


@rule(codes.RENEWAL_WINDOW, "renewal.yaml")
def renewal_window(ctx: RuleContext) -> Iterator[Finding]:
    renewal = ctx.data("renewal.yaml")
    window = renewal["prompt_window"]
    earliest, latest = window["max_days_before"], window["min_days_before"]
    if latest > earliest:
        yield ctx.finding("renewal.yaml", ("prompt_window", "min_days_before"), f"the prompt window's "
                          f"min_days_before ({latest}) is larger than its max_days_before ({earliest})",
                          f"Write min_days_before: {earliest} and max_days_before: {latest} (swap them).",
                          (("renewal.yaml", ("prompt_window", "max_days_before")),))
    else:
        for i, prompt in enumerate(renewal["prompts"]):
            if not latest <= prompt["days_before"] <= earliest:
                yield ctx.finding("renewal.yaml", ("prompts", i, "days_before"),
                                  f"a prompt {prompt['days_before']} days before renewal is outside the window of "
                                  f"{earliest} to {latest} days", f"Write a number from {latest} to {earliest}, or "
                                  "widen the window.", (("renewal.yaml", ("prompt_window",)),))
    phases = renewal["phases"]
    for i, phase in enumerate(phases):
        if phase["starts_months_before"] <= phase["ends_months_before"]:
            yield ctx.finding("renewal.yaml", ("phases", i, "ends_months_before"),
                              f"the phase '{phase['name']}' ends {phase['ends_months_before']} months before renewal, "
                              f"not after it starts ({phase['starts_months_before']} months before)",
                              f"Write a number below {phase['starts_months_before']}: a phase starts more months "
                              "before the renewal date than it ends.",
                              (("renewal.yaml", ("phases", i, "starts_months_before")),))
        if i and phase["starts_months_before"] != phases[i - 1]["ends_months_before"]:
            before = phases[i - 1]["ends_months_before"]
            yield ctx.finding("renewal.yaml", ("phases", i, "starts_months_before"),
                              f"the phase '{phase['name']}' starts {phase['starts_months_before']} months before "
                              f"renewal, but the phase before it ends at {before}",
                              f"Write {before} here, or {phase['starts_months_before']} as the end of "
                              f"'{phases[i - 1]['name']}': phases run back to back, from the earliest.",
                              (("renewal.yaml", ("phases", i - 1, "ends_months_before")),), fix=before)
    if phases and phases[-1]["ends_months_before"] * _DAYS_PER_MONTH < earliest:
        last = phases[-1]
        months = math.ceil(earliest / _DAYS_PER_MONTH)
        yield ctx.finding("renewal.yaml", ("phases", len(phases) - 1, "ends_months_before"),
                          f"the last phase, '{last['name']}', runs until {last['ends_months_before']} "
                          f"month{'s' * (last['ends_months_before'] != 1)} before the renewal date, past the first "
                          f"prompt {earliest} days before it",
                          f"Write at least {months}: renewals are executed before the prompts, which chase the ones "
                          "still open.",
                          (("renewal.yaml", ("prompt_window", "max_days_before")),), fix=months)
    if phases and earliest > phases[0]["starts_months_before"] * _DAYS_PER_MONTH:
        yield ctx.finding("renewal.yaml", ("prompt_window", "max_days_before"),
                          f"the first prompt may come {earliest} days before renewal, before the timeline starts "
                          f"({phases[0]['starts_months_before']} months before)",
                          f"Write at most {int(phases[0]['starts_months_before'] * _DAYS_PER_MONTH)} days, or start "
                          "the first phase earlier.", (("renewal.yaml", ("phases", 0, "starts_months_before")),))


_DAYS_PER_MONTH = 30  # the shortest a month of the renewal timeline is taken to be, for the prompt window


@rule(codes.CAPACITY_LOAD, "staffing.yaml")
def capacity_load(ctx: RuleContext) -> Iterator[Finding]:
    staffing = ctx.data("staffing.yaml")
    per_csm = staffing["customer_load"]["customers_per_csm"]
    for i, band in enumerate(staffing["capacity_bands"]):
        needed = math.ceil(band["min_customers"] / per_csm)
        if band["min_dedicated_staff"] < needed:
            yield ctx.finding("staffing.yaml", ("capacity_bands", i, "min_dedicated_staff"),
                              f"the {band['name']} band starts at {band['min_customers']} customers, which need "
                              f"{needed} customer success managers at {per_csm} customers each, but it asks for "
                              f"{band['min_dedicated_staff']}", f"Write {needed}, or change customers_per_csm.",
                              (("staffing.yaml", ("customer_load", "customers_per_csm")),), fix=needed)


RULES = [stage_order, journey_fit, renewal_window, capacity_load]
