"""Fragments of the incentive pages: the overview, and each incentive's eligibility,
payout, rate table, worked example and survey."""

from __future__ import annotations

from ...core.units import format_money, format_value
from ...model.eligibility import eligibility_of
from ...model.program import Item, Program
from ...model.rates import estimate, table_shape
from ...model.requirements import KPI, SPECIALIZATION, TIER
from .. import program_tables as pt
from ..escape import text
from ..markup import Links, numbered, section, table
from ..tables import window_text
from .registry import fragment

TOPIC = "Incentives"


@fragment("incentives_overview()", TOPIC)
def incentives_overview(program: Program, links: Links) -> str:
    """Every incentive with who can earn it and how it pays, as a table."""
    return table(pt.incentives_overview(program), links)


@fragment("partner_of_record()", TOPIC)
def partner_of_record(program: Program, links: Links) -> str:
    """The partner-of-record rule, as a note (nothing if the program has none)."""
    rule = program.documents["incentives.yaml"].get("partner_of_record")
    return f'!!! info "Partner of record"\n    {text(rule)}' if rule else ""


@fragment("incentive_follows('expand')", TOPIC)
def incentive_follows(program: Program, links: Links, incentive_id: str) -> str:
    """The incentive this one follows, if any, in a sentence."""
    incentive = program.get("incentive", incentive_id)
    return (f"It follows the {links.item('incentive', incentive['builds_on'])}, and asks at least as much."
            if incentive.get("builds_on") else "")


@fragment("incentive_eligibility('adopt')", TOPIC)
def incentive_eligibility(program: Program, links: Links, incentive_id: str) -> str:
    """Who can earn an incentive: tiers, specializations, KPIs, deliverables and conditions,
    as a list."""
    incentive = program.get("incentive", incentive_id)
    eligibility = []
    for need in eligibility_of(program, incentive):
        if need.kind == TIER:
            eligibility.append(f"- Tiers: {', '.join(links.item('tier', t) for t in need.needed)}")
        elif need.kind == SPECIALIZATION and len(need.options) > 1:
            kinds = {program.get("specialization", o).get("kind", "business-practice") for o in need.options}
            one = f"one {kinds.pop().replace('-', ' ')} specialization" if len(kinds) == 1 else "one specialization"
            eligibility.append(f"- Holds {one}: " + ", ".join(links.item("specialization", o) for o in need.options))
        elif need.kind == SPECIALIZATION:
            eligibility.append(f"- Holds the {links.item('specialization', need.subject)}")
        elif need.kind == KPI:
            months = f", for {need.months} months in a row" if need.months else ""
            window = program.get("kpi", need.subject)["window"]
            eligibility.append(f"- {links.item('kpi', need.subject)} {text(need.needed_text())} over "
                               f"{text(window_text(window))}{months}")
    rules = incentive["eligibility"]
    eligibility += [f"- A {links.item('deliverable', d['deliverable'])} uploaded within {d['within_days']} days of "
                    "the contract start" for d in rules.get("deliverables", [])]
    eligibility += [f"- {text(c)}" for c in rules.get("conditions", [])]
    return "\n".join(eligibility)


@fragment("incentive_payout('adopt')", TOPIC)
def incentive_payout(program: Program, links: Links, incentive_id: str) -> str:
    """How an incentive pays: the method, its basis, how often and when."""
    payout = program.get("incentive", incentive_id)["payout"]
    timing = f" {text(payout['timing'])}" if payout.get("timing") else ""
    return (f"{text(pt.method_text(payout['method']))}, based on the {text(payout['basis'])}, paid "
            f"{text(payout['frequency'])}.{timing}")


@fragment("incentive_rates('adopt')", TOPIC)
def incentive_rates(program: Program, links: Links, incentive_id: str) -> str:
    """An incentive's rate table, with downloads."""
    return table(pt.incentive_rates(program, program.get("incentive", incentive_id)), links)


@fragment("worked_example('adopt')", TOPIC)
def worked_example(program: Program, links: Links, incentive_id: str) -> str:
    """The incentive's example, computed from its rate table: the rate that applies and the
    payout (nothing if the incentive has no example)."""
    incentive = program.get("incentive", incentive_id)
    example = incentive.get("example")
    if not example:
        return ""
    result = estimate(program, incentive["id"], example)  # the worked-example rule has checked it computes
    currency = program.info["currency"]
    applied = text(pt.rate_words(program, incentive)[result.row])
    method = incentive["payout"]["method"]
    if method == "percent-of-contract-value":
        sum_text = (f"{format_money(example['basis_amount'], currency)} × {format_value(result.rate, 'percent')} = "
                    f"**{format_money(result.payout, currency)}**")
    elif method == "fixed-amount":
        sum_text = f"**{format_money(result.payout, currency)}**"
    else:
        sum_text = f"**{format_value(result.payout, 'count')} points**"
    band = table_shape(program.table(incentive["payout"]["table"])).band
    body = (f"{text(example['summary'])}\n\n"
            f"The rate that applies, from the incentive's rate table: {applied}"
            + (f" (the band is chosen by {text(band.replace('_', ' '))})" if band else "") + ".\n\n"
            f"Payout: {sum_text}, paid {text(incentive['payout']['frequency'])}, provided the partner meets the "
            "incentive's requirements.")
    return '!!! example "Worked example"\n' + "\n".join(f"    {line}" if line else "" for line in body.split("\n"))


@fragment("incentive_survey('csat-points', heading='## The survey')", TOPIC)
def incentive_survey(program: Program, links: Links, incentive_id: str) -> str:
    """The survey behind a score-based incentive: its scored questions, the optional open
    one and the questions only some engagements get (nothing if it has no survey)."""
    survey = program.get("incentive", incentive_id).get("survey")
    return _survey(survey) if survey else ""


def _survey(survey: Item) -> str:
    scale = f"{format_value(survey['scale']['min'], 'score')} to {format_value(survey['scale']['max'], 'score')}"
    optional = [f"### {text(group['engagement'])} engagements\n\nShown only for {text(group['engagement'].lower())} "
                f"engagements, scored from {scale}, and not counted in the score:\n\n"
                + "\n".join(f"- {text(q)}" for q in group["questions"])
                for group in survey.get("optional_questions", [])]
    return section(
        f"Customers score each question from {scale}:\n\n{numbered(survey['questions'])}",
        text(survey["score"]) if survey.get("score") else "",
        f"A last question is optional and answered in the customer's own words: *{text(survey['open_question'])}*"
        if survey.get("open_question") else "",
        *optional,
    ).rstrip("\n")
