"""Rules about the customer lifecycle: stages in order, every duty of an included model
carried by the model that includes it, journeys that fit their KPI, and a renewal
timeline whose phases and prompts fit its window."""

from __future__ import annotations

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
        seen: dict[int, int] = {}
        for i, stage in enumerate(stages):
            if stage["order"] in seen or stage["order"] > len(stages):
                yield ctx.finding("lifecycle.yaml", ("stages", i, "order"),
                                  f"the stage {stage['name']} has order {stage['order']}; orders must run from 1 to "
                                  f"{len(stages)} without repeats", "Number the stages 1, 2, 3... in lifecycle order.")
            seen[stage["order"]] = i


@rule(codes.MODEL_INCLUSION, "engagement_models.yaml")
def model_inclusion(ctx: RuleContext) -> Iterator[Finding]:
    data = ctx.data("engagement_models.yaml")
    for model in data["models"]:
        included = model.get("includes")
        if not included:
            continue
        for i, stage in enumerate(data["responsibilities"]):
            for j, duty in enumerate(stage["partner"]):
                if included in duty["models"] and model["id"] not in duty["models"]:
                    yield ctx.finding("engagement_models.yaml", ("responsibilities", i, "partner", j, "models"),
                                      f"'{duty['duty']}' is a {included} duty at the {stage['stage']} stage, but "
                                      f"{model['id']}, which includes {included}, does not list it",
                                      f"Add {model['id']} to this duty's models.")


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
            end = step["start_day"] + duration_days(step["duration"])
            if end > total + 1e-9:
                yield ctx.finding(rel, ("steps", i, "start_day"),
                                  f"the step '{step['name']}' ends on day {end:g}, after the journey's "
                                  f"{total:g} days", "Start the step earlier, shorten it, or lengthen the journey.",
                                  ((rel, ("duration",)),))
        kpi = kpis.get(journey.get("kpi", ""))
        if kpi is None:
            continue
        if kpi["unit"] not in ("days", "weeks"):
            yield ctx.finding(rel, ("kpi",), f"the journey serves {kpi['name']}, which is measured in "
                              f"{kpi['unit']}, not in days or weeks", "Point the journey at a time-based KPI.")
            continue
        target = duration_days({"value": kpi["target"], "unit": kpi["unit"]})
        if kpi["direction"] == "at-most" and total > target + 1e-9:
            yield ctx.finding(rel, ("duration",), f"the journey takes {total:g} days, longer than the "
                              f"{kpi['name']} target of {kpi['target']:g} {kpi['unit']}",
                              "Shorten the journey, or change the KPI's target.",
                              (("kpis.yaml", ("kpis", list(kpis).index(kpi["id"]), "target")),))


@rule(codes.RENEWAL_WINDOW, "renewal.yaml")
def renewal_window(ctx: RuleContext) -> Iterator[Finding]:
    renewal = ctx.data("renewal.yaml")
    window = renewal["prompt_window"]
    if window["min_days_before"] > window["max_days_before"]:
        yield ctx.finding("renewal.yaml", ("prompt_window",), "the prompt window's min_days_before is larger than "
                          "its max_days_before", "Swap the two values.")
    for i, prompt in enumerate(renewal["prompts"]):
        if not window["min_days_before"] <= prompt["days_before"] <= window["max_days_before"]:
            yield ctx.finding("renewal.yaml", ("prompts", i, "days_before"),
                              f"a prompt {prompt['days_before']} days before renewal is outside the window of "
                              f"{window['max_days_before']} to {window['min_days_before']} days",
                              "Move the prompt into the window, or widen the window.", (("renewal.yaml",
                                                                                         ("prompt_window",)),))
    phases = renewal["phases"]
    for i, phase in enumerate(phases):
        if phase["starts_months_before"] <= phase["ends_months_before"]:
            yield ctx.finding("renewal.yaml", ("phases", i, "ends_months_before"),
                              f"the phase '{phase['name']}' ends {phase['ends_months_before']} months before renewal, "
                              f"not after it starts ({phase['starts_months_before']} months before)",
                              "A phase starts more months before the renewal date than it ends.")
        if i and phase["starts_months_before"] != phases[i - 1]["ends_months_before"]:
            yield ctx.finding("renewal.yaml", ("phases", i, "starts_months_before"),
                              f"the phase '{phase['name']}' starts {phase['starts_months_before']} months before "
                              f"renewal, but the phase before it ends at {phases[i - 1]['ends_months_before']}",
                              "List phases from the earliest, each starting where the last ends.")


RULES = [stage_order, model_inclusion, journey_fit, renewal_window]
