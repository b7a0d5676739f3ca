"""Rules about engagement models and roles: an including model carries every duty of the
model it includes, plays and customer journeys belong to models that act at their stage,
and partner work is owned by partner roles."""

from __future__ import annotations

from collections.abc import Iterator

from ...core import codes
from ...core.findings import Finding
from .base import RuleContext, rule


@rule(codes.MODEL_INCLUSION, "engagement_models.yaml", text=("duty",))  # its message quotes the duty
def model_inclusion(ctx: RuleContext) -> Iterator[Finding]:
    data = ctx.data("engagement_models.yaml")
    for model in data["models"]:
        included = model.get("includes")
        if not included:
            continue
        for i, stage in enumerate(data["responsibilities"]):
            for side in ("partner", "vendor"):
                for j, duty in enumerate(stage[side]):
                    if included in duty["models"] and model["id"] not in duty["models"]:
                        yield ctx.finding("engagement_models.yaml", ("responsibilities", i, side, j, "models"),
                                          f"'{duty['duty']}' is a {side} duty for {included} at the {stage['stage']} "
                                          f"stage, but {model['id']}, which includes {included}, does not list it",
                                          f"Add {model['id']} to this duty's models.")


def _duties_at(ctx: RuleContext, stage: str) -> tuple[str, ...]:
    """Where the partner duties of `stage` are listed, for a finding's related place."""
    entries = ctx.data("engagement_models.yaml")["responsibilities"]
    index = next((i for i, entry in enumerate(entries) if entry["stage"] == stage), None)
    return ("engagement_models.yaml", ("responsibilities", index, "partner")) if index is not None else (
        "engagement_models.yaml", ("responsibilities",))


@rule(codes.PLAY_MODEL, "playbooks.yaml", "engagement_models.yaml")
def play_model(ctx: RuleContext) -> Iterator[Finding]:
    for i, play in enumerate(ctx.data("playbooks.yaml")["plays"]):
        acting = ctx.program.models_acting_at(play["stage"])
        for j, model in enumerate(play["models"]):
            if model not in acting:
                yield ctx.finding("playbooks.yaml", ("plays", i, "models", j),
                                  f"the play '{play['name']}' is given to {model}, which has no partner duty at the "
                                  f"{play['stage']} stage", f"Remove '{model}' from the play's models (models with "
                                  f"duties at {play['stage']}: {', '.join(acting) or 'none'}), or give {model} a "
                                  f"duty at {play['stage']} in engagement_models.yaml.",
                                  (_duties_at(ctx, play["stage"]),))


@rule(codes.JOURNEY_STAGE, "journeys/*.yaml", "kpis.yaml", "engagement_models.yaml")
def journey_stage(ctx: RuleContext) -> Iterator[Finding]:
    kpis = {k["id"]: (i, k) for i, k in enumerate(ctx.data("kpis.yaml")["kpis"])}
    for rel in sorted(r for r in ctx.documents if r.startswith("journeys/")):
        journey = ctx.data(rel)
        stage = journey.get("stage")
        if stage is None:
            continue
        if journey.get("kpi") in kpis:
            k, kpi = kpis[journey["kpi"]]
            if kpi.get("stage") != stage:
                same = [kid for kid, (_, item) in kpis.items() if item.get("stage") == stage]
                of = f"a KPI of the {kpi['stage']} stage" if kpi.get("stage") else "a KPI of no lifecycle stage"
                yield ctx.finding(rel, ("kpi",), f"the journey takes customers through the {stage} stage, but serves "
                                  f"{kpi['name']}, {of}",
                                  f"Serve a KPI of the {stage} stage ({', '.join(same) or 'none yet'}), or change "
                                  "the journey's stage.", ((rel, ("stage",)), ("kpis.yaml", ("kpis", k))))
        acting = ctx.program.models_acting_at(stage)
        for j, model in enumerate(journey.get("models", [])):
            if model not in acting:
                yield ctx.finding(rel, ("models", j), f"the journey is run by {model} partners, but {model} has no "
                                  f"partner duty at the {stage} stage", f"Remove '{model}' (models with duties at "
                                  f"{stage}: {', '.join(acting) or 'none'}), or give {model} a duty at {stage} in "
                                  "engagement_models.yaml.", (_duties_at(ctx, stage),))


@rule(codes.OWNER_SIDE, "staffing.yaml", "playbooks.yaml", "renewal.yaml", "journeys/*.yaml", "success_plan.yaml",
      "quarterly_review.yaml", "program_structure.yaml")
def owner_side(ctx: RuleContext) -> Iterator[Finding]:
    roles = ctx.data("staffing.yaml")["roles"]
    party = {r["id"]: (i, r["party"]) for i, r in enumerate(roles)}
    partner_roles = ", ".join(r["id"] for r in roles if r["party"] == "partner")
    vendor_roles = ", ".join(r["id"] for r in roles if r["party"] == "vendor")
    plan, review = ctx.data("success_plan.yaml"), ctx.data("quarterly_review.yaml")
    owned = [("playbooks.yaml", ("plays", i, "owner"), f"the play '{p['name']}'", p["owner"])
             for i, p in enumerate(ctx.data("playbooks.yaml")["plays"])]
    owned += [("success_plan.yaml", ("owner",), "the success plan", plan["owner"]),
              ("quarterly_review.yaml", ("chair",), "chairing the quarterly review", review["chair"]),
              ("quarterly_review.yaml", ("presenters",), "presenting at the quarterly review", review["presenters"])]
    supported = [("success_plan.yaml", ("supported_by",), "supporting partners' success plans",
                  plan.get("supported_by"))]
    supported += [("program_structure.yaml", ("team", i, "role"), f"the program team's {m['name'].lower()}",
                   m.get("role")) for i, m in enumerate(ctx.data("program_structure.yaml")["team"])]
    for rel, path, what, owner in supported:
        if owner in party and party[owner][1] != "vendor":
            yield ctx.finding(rel, path, f"{what} is the vendor's work, but {owner} is a {party[owner][1]} role",
                              f"Name a vendor role: {vendor_roles}.",
                              (("staffing.yaml", ("roles", party[owner][0], "party")),))
    owned += [("renewal.yaml", ("phases", i, "owner"), f"the renewal phase '{p['name']}'", p["owner"])
              for i, p in enumerate(ctx.data("renewal.yaml")["phases"])]
    for rel in sorted(r for r in ctx.documents if r.startswith("journeys/")):
        journey = ctx.data(rel)
        if journey.get("audience") == "customer":
            owned += [(rel, ("steps", i, "owner"), f"the step '{s['name']}' of {journey['name']}", s["owner"])
                      for i, s in enumerate(journey.get("steps", []))]
    for rel, path, what, owner in owned:
        if owner in party and party[owner][1] != "partner":
            yield ctx.finding(rel, path, f"{what} is partner work, but its owner {owner} is a "
                              f"{party[owner][1]} role", f"Name a partner role: {partner_roles}.",
                              (("staffing.yaml", ("roles", party[owner][0], "party")),))


RULES = [model_inclusion, play_model, journey_stage, owner_side]
