"""Rules about KPI thresholds wherever they appear: each agrees with its KPI (unit, range,
direction, target), the tier ladder and follow-on incentives never ask less, rate bands
start at the threshold they pay for, and plays end on a KPI they move."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...core import codes
from ...core.findings import DataPath, Finding
from ...model.requirements import (
    KPI,
    POINTS,
    SPECIALIZATION,
    STAFFING,
    Kpi,
    Requirement,
    Specializations,
    incentive_requirements,
    kpis_by_id,
    play_exit_requirements,
    tier_requirements,
)
from .base import RuleContext, rule


def ladder(tiers: list[Any]) -> list[tuple[int, int]]:
    """(below, above) positions in the file of each pair of neighbouring tiers, by rank."""
    order = sorted(range(len(tiers)), key=lambda i: tiers[i]["rank"])
    return list(zip(order, order[1:], strict=False))


@rule(codes.KPI_THRESHOLD, "kpis.yaml", "tiers.yaml", "incentives.yaml", "playbooks.yaml",
      text=("easier_than_target",))  # whether a value says why it is easier than the target
def kpi_threshold(ctx: RuleContext) -> Iterator[Finding]:
    items = ctx.data("kpis.yaml")["kpis"]
    kpis = kpis_by_id(items)
    target_at = {k["id"]: ("kpis.yaml", ("kpis", i, "target")) for i, k in enumerate(items)}
    specializations = Specializations(ctx.data("tiers.yaml")["specializations"])
    places: list[tuple[str, DataPath, str, str, list[Requirement]]] = []  # file, item path, name, asks, requirements
    for i, tier in enumerate(ctx.data("tiers.yaml")["tiers"]):
        places.append(("tiers.yaml", ("tiers", i), tier["name"], "asks for",
                       tier_requirements(tier, kpis, specializations)))
    for i, incentive in enumerate(ctx.data("incentives.yaml")["incentives"]):
        places.append(("incentives.yaml", ("incentives", i), incentive["name"], "pays for",
                       incentive_requirements(incentive, kpis, specializations)))
    for i, play in enumerate(ctx.data("playbooks.yaml")["plays"]):
        places.append(("playbooks.yaml", ("plays", i), f"The play '{play['name']}'", "ends at",
                       play_exit_requirements(play, kpis)))
    for rel, item, name, verb, requirements in places:
        for need in requirements:
            if need.kind == KPI:
                yield from _against_kpi(ctx, rel, item + need.at, name, verb, need, kpis[need.subject],
                                        target_at[need.subject])


def _against_kpi(ctx: RuleContext, rel: str, path: DataPath, name: str, verb: str, need: Requirement, kpi: Kpi,
                 target: tuple[str, DataPath]) -> Iterator[Finding]:
    problem = kpi.impossible(need.needed)
    if problem:
        hint = (f"Write a percentage from 0 to 100 ({kpi.target:g} means {kpi.target:g}%)." if kpi.unit == "percent"
                else f"Use a value from {kpi.scale[0]:g} to {kpi.scale[1]:g}." if kpi.scale
                else "Use a value on the KPI's scale.")
        yield ctx.finding(rel, path, problem, hint, (target,))
        return
    reason_at = path[:-1] + ("easier_than_target",)
    if kpi.easier_than_target(need.needed) and not need.easier_reason:
        yield ctx.finding(rel, path, f"{name} {verb} {kpi.name} of {kpi.threshold_text(need.needed)}, easier than "
                          f"the KPI's target of {kpi.threshold_text()}",
                          f"Write {kpi.target:g} (the target), or say why this value is easier on purpose with "
                          "`easier_than_target:` beside it.", (target,), fix=kpi.target)
    elif need.easier_reason and not kpi.easier_than_target(need.needed):
        yield ctx.finding(rel, reason_at, f"{name} {verb} {kpi.name} of {kpi.threshold_text(need.needed)}, which is "
                          f"not easier than the KPI's target of {kpi.threshold_text()}, yet it says why it is easier",
                          "Remove `easier_than_target`: the value meets the target.", ((rel, path),))


@rule(codes.TIER_ORDER, "tiers.yaml", "kpis.yaml")
def tier_order(ctx: RuleContext) -> Iterator[Finding]:
    document = ctx.data("tiers.yaml")
    tiers, specializations = document["tiers"], Specializations(document["specializations"])
    kpis = kpis_by_id(ctx.data("kpis.yaml")["kpis"])
    for below_index, above_index in ladder(tiers):
        below, above = tiers[below_index], tiers[above_index]
        here, there = ("tiers", above_index), ("tiers", below_index)
        if above["rank"] == below["rank"]:
            yield ctx.finding("tiers.yaml", here + ("rank",), f"{above['name']} and {below['name']} share rank "
                              f"{above['rank']}", "Give every tier its own rank: 1 for the entry tier, then 2, 3...",
                              (("tiers.yaml", there + ("rank",)),))
            continue
        asks = tier_requirements(above, kpis, specializations)
        for need in tier_requirements(below, kpis, specializations):
            yield from _not_covered(ctx, need, asks, above, below, here, there)


def _not_covered(ctx: RuleContext, need: Requirement, asks: list[Requirement], above: Any, below: Any,
                 here: tuple[Any, ...], there: tuple[Any, ...]) -> Iterator[Finding]:
    """A finding when the tier above asks less than `need`, a requirement of the tier below."""
    related = (("tiers.yaml", there + need.at),)
    if need.kind == SPECIALIZATION:
        if not any(a.kind == SPECIALIZATION and a.covers(need) for a in asks):
            yield ctx.finding("tiers.yaml", here + ("requirements",),
                              f"{above['name']} does not require the {need.subject} specialization that "
                              f"{below['name']} requires",
                              f"Require '{need.subject}' (or a specialization that builds on it).", related)
        return
    if not need.numeric:
        return
    ask = next((a for a in asks if a.key == need.key), None)
    if ask is not None and ask.covers(need):
        return
    if need.kind == POINTS:
        yield ctx.finding("tiers.yaml", here + ask.at, f"{above['name']} asks for {ask.needed} capability points, "
                          f"fewer than the {need.needed} of {below['name']} below it",
                          f"Write {need.needed} or more, or lower {below['name']}'s.", related, fix=need.needed)
    elif need.kind == STAFFING:
        if ask is None:
            yield ctx.finding("tiers.yaml", here + ("requirements", "staffing"),
                              f"{above['name']} needs no {need.subject}, fewer than the {need.needed} of "
                              f"{below['name']}", f"Add `- {{role: {need.subject}, count: {need.needed}}}` to "
                              f"{above['name']}'s staffing.", related)
        else:
            yield ctx.finding("tiers.yaml", here + ask.at, f"{above['name']} needs {ask.needed} × {need.subject}, "
                              f"fewer than the {need.needed} of {below['name']}",
                              f"Write {need.needed} or more.", related, fix=need.needed)
    elif need.kind == KPI:
        name = ctx.program.name("kpi", need.subject)
        if ask is None:
            yield ctx.finding("tiers.yaml", here + ("requirements",),
                              f"{above['name']} drops the {name} requirement that {below['name']} has",
                              f"Add `- {{kpi: {need.subject}, value: {need.needed:g}}}` to {above['name']}'s kpis.",
                              related)
        else:
            yield ctx.finding("tiers.yaml", here + ask.at, f"{above['name']} asks for {name} of "
                              f"{ask.direction.words} {ask.needed:g}, easier than {below['name']}'s {need.needed:g}",
                              f"Write {need.needed:g} or a value {need.direction.words} that.", related,
                              fix=need.needed)


@rule(codes.INCENTIVE_PROGRESSION, "incentives.yaml", "kpis.yaml", "tiers.yaml")
def incentive_progression(ctx: RuleContext) -> Iterator[Finding]:
    incentives = ctx.data("incentives.yaml")["incentives"]
    by_id = {inc["id"]: (i, inc) for i, inc in enumerate(incentives)}
    kpis = kpis_by_id(ctx.data("kpis.yaml")["kpis"])
    specializations = Specializations(ctx.data("tiers.yaml")["specializations"])
    for i, incentive in enumerate(incentives):
        base_id = incentive.get("builds_on")
        if base_id not in by_id:
            continue
        b, base = by_id[base_id]
        here = ("incentives", i)
        mine, theirs = incentive["eligibility"], base["eligibility"]
        for j, tier in enumerate(mine["tiers"]):
            if tier not in theirs["tiers"]:
                yield ctx.finding("incentives.yaml", here + ("eligibility", "tiers", j),
                                  f"{incentive['name']} is open to {tier}, which cannot earn {base['name']}, the "
                                  f"incentive it builds on ({', '.join(theirs['tiers'])})",
                                  f"Remove '{tier}', or open {base['name']} to it.",
                                  (("incentives.yaml", ("incentives", b, "eligibility", "tiers")),))
        asks = incentive_requirements(incentive, kpis, specializations)
        for need in incentive_requirements(base, kpis, specializations):
            if need.kind == SPECIALIZATION and not any(a.kind == SPECIALIZATION and a.covers(need) for a in asks):
                yield ctx.finding("incentives.yaml", here + ("eligibility",),
                                  f"{incentive['name']} does not require the {need.subject} specialization that "
                                  f"{base['name']} requires", f"Add '{need.subject}' to its specializations.",
                                  (("incentives.yaml", ("incentives", b) + need.at),))
            if need.kind != KPI:
                continue
            ask = next((a for a in asks if a.key == need.key), None)
            kpi = kpis[need.subject]
            related = (("incentives.yaml", ("incentives", b) + need.at),)
            if ask is None:
                yield ctx.finding("incentives.yaml", here + ("eligibility",),
                                  f"{incentive['name']} drops the {kpi.name} threshold of {base['name']}",
                                  f"Add `- {{kpi: {kpi.id}, value: {need.needed:g}}}` to its kpis.", related)
            elif not ask.covers(need):
                yield ctx.finding("incentives.yaml", here + ask.at,
                                  f"{incentive['name']} asks for {kpi.name} of {kpi.direction.words} "
                                  f"{ask.needed:g}, easier than {base['name']}'s {need.needed:g}",
                                  f"Write {need.needed:g} or a value {kpi.direction.words} that.", related,
                                  fix=need.needed)


@rule(codes.BAND_THRESHOLD, "incentives.yaml", "kpis.yaml", "tiers.yaml", text=("easier_than_target",))
def band_threshold(ctx: RuleContext) -> Iterator[Finding]:
    kpis = kpis_by_id(ctx.data("kpis.yaml")["kpis"])
    specializations = Specializations(ctx.data("tiers.yaml")["specializations"])
    for i, incentive in enumerate(ctx.data("incentives.yaml")["incentives"]):
        payout = incentive["payout"]
        band_kpi = payout.get("estimator", {}).get("band")
        start = payout.get("band_range", {}).get("from")
        if band_kpi not in kpis or start is None:
            continue
        for need in incentive_requirements(incentive, kpis, specializations):
            if need.kind != KPI or need.subject != band_kpi or need.needed == start:
                continue
            kpi = kpis[band_kpi]
            if kpi.easier_than_target(need.needed) and not need.easier_reason:
                continue  # kpi-threshold reports it, with the same fix
            where = "below" if kpi.direction.harder(need.needed, start) else "above"
            consequence = ("its first bands pay partners who cannot earn it" if where == "below"
                           else "eligible partners between the two have no rate")
            yield ctx.finding("incentives.yaml", ("incentives", i) + need.at,
                              f"{incentive['name']} asks for {kpi.name} of {kpi.threshold_text(need.needed)}, but "
                              f"its rate bands start at {start:g}, {where} it: {consequence}",
                              f"Write {start:g} here, where the bands start, or start the bands (band_range.from and "
                              "the table's first band) at the threshold." if not need.easier_reason else
                              "Start the bands (band_range.from and the table's first band) at the threshold: it is "
                              "easier than the KPI's target on purpose.",
                              (("incentives.yaml", ("incentives", i, "payout", "band_range", "from")),),
                              fix=None if need.easier_reason else start)


@rule(codes.PLAY_EXIT, "playbooks.yaml")
def play_exit(ctx: RuleContext) -> Iterator[Finding]:
    for i, play in enumerate(ctx.data("playbooks.yaml")["plays"]):
        seen: dict[str, int] = {}
        for j, need in enumerate(play.get("exit_when", [])):
            path = ("plays", i, "exit_when", j, "kpi")
            if need["kpi"] in seen:
                yield ctx.finding("playbooks.yaml", path, f"the play '{play['name']}' names {need['kpi']} twice in "
                                  "its exit thresholds", "Keep one threshold per KPI.",
                                  (("playbooks.yaml", ("plays", i, "exit_when", seen[need["kpi"]], "kpi")),))
            seen.setdefault(need["kpi"], j)
            if need["kpi"] not in play["kpis"]:
                yield ctx.finding("playbooks.yaml", path, f"the play '{play['name']}' ends on {need['kpi']}, which is "
                                  "not among the KPIs it moves", f"Use one of its KPIs: {', '.join(play['kpis'])}; "
                                  f"or add '{need['kpi']}' to its kpis.", (("playbooks.yaml", ("plays", i, "kpis")),))


@rule(codes.USAGE_RISK, "usage_report.yaml", "kpis.yaml")
def usage_risk(ctx: RuleContext) -> Iterator[Finding]:
    report = ctx.data("usage_report.yaml")
    levels = report["risk"]["levels"]
    for i, level in enumerate(levels):
        last = i == len(levels) - 1
        if last and "below" in level:
            yield ctx.finding("usage_report.yaml", ("risk", "levels", i, "below"), f"the last risk level, "
                              f"'{level['name']}', stops below {level['below']:g}%, so a higher active share has no "
                              "risk level", "Remove `below` from the last level: it covers every share above the "
                              "level before it.")
        elif not last and "below" not in level:
            yield ctx.finding("usage_report.yaml", ("risk", "levels", i), f"the risk level '{level['name']}' has no "
                              "`below`, but levels follow it", "Give it the active share it applies below, or make "
                              "it the last level.")
        elif i and "below" in level and "below" in levels[i - 1] and level["below"] <= levels[i - 1]["below"]:
            yield ctx.finding("usage_report.yaml", ("risk", "levels", i, "below"), f"the risk level '{level['name']}' "
                              f"applies below {level['below']:g}%, not above the {levels[i - 1]['below']:g}% of the "
                              f"higher risk before it", f"Write a share above {levels[i - 1]['below']:g}: levels go "
                              "from the highest risk (the lowest share) down.",
                              (("usage_report.yaml", ("risk", "levels", i - 1, "below")),))
    shares = [(("risk", "levels", i, "below"), lv["below"]) for i, lv in enumerate(levels) if "below" in lv]
    shares += [(("signals", i, "when", "active_share_at_least"), s["when"]["active_share_at_least"])
               for i, s in enumerate(report["signals"]) if "active_share_at_least" in s["when"]]
    for path, share in shares:
        if 0 < share < 1:
            yield ctx.finding("usage_report.yaml", path, f"{share:g}% reads as a fraction of one percent",
                              f"Write {share * 100:g} for {share * 100:g}%: percentages are written as numbers of "
                              "percent.", fix=round(share * 100, 6))
    kpis = {k["id"]: (j, k) for j, k in enumerate(ctx.data("kpis.yaml")["kpis"])}
    if report["adoption_kpi"] not in kpis or len(levels) < 2 or "below" not in levels[-2]:
        return
    j, kpi = kpis[report["adoption_kpi"]]
    if kpi["unit"] != "percent" or kpi["direction"] != "at-least":
        yield ctx.finding("usage_report.yaml", ("adoption_kpi",), f"the adoption KPI {kpi['name']} is not a "
                          "percentage to reach, so an active share cannot be measured against it",
                          "Name a KPI in percent with direction at-least, such as active-usage-rate.",
                          (("kpis.yaml", ("kpis", j, "unit")),))
    elif levels[-2]["below"] != kpi["target"]:
        yield ctx.finding("usage_report.yaml", ("risk", "levels", len(levels) - 2, "below"),
                          f"the lowest risk, '{levels[-1]['name']}', starts at an active share of "
                          f"{levels[-2]['below']:g}%, but the adoption target ({kpi['name']}) is {kpi['target']:g}%",
                          f"Write {kpi['target']:g}, or change the KPI's target.",
                          (("kpis.yaml", ("kpis", j, "target")),), fix=kpi["target"])


RULES = [kpi_threshold, tier_order, incentive_progression, band_threshold, play_exit, usage_risk]
