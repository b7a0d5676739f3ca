"""The incentive pages: who can earn each, how it pays, its rate table and a worked example."""

from __future__ import annotations

from ...core.units import format_money, format_value
from ...model.eligibility import eligibility_of
from ...model.program import Item, Program
from ...model.rates import estimate, table_shape
from ...model.requirements import KPI, SPECIALIZATION, TIER
from .. import program_tables as pt
from ..escape import html_text, text
from ..markup import Links, cell, numbered, section, table
from ..tables import window_text


def incentives_index(program: Program, links: Links) -> str:
    rule = program.documents["incentives.yaml"].get("partner_of_record")
    return section(
        "# Incentives",
        "What partners can earn, who can earn it, and how it is paid. Each incentive's page has its rate table "
        "and a worked example.",
        table(pt.incentives_overview(program), links),
        f'!!! info "Partner of record"\n    {text(rule)}' if rule else "",
    )


def incentive_page(program: Program, links: Links, incentive_id: str) -> str:
    incentive = program.get("incentive", incentive_id)
    rules = incentive["eligibility"]
    payout = incentive["payout"]
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
    eligibility += [f"- A {links.item('deliverable', d['deliverable'])} uploaded within {d['within_days']} days of "
                    "the contract start" for d in rules.get("deliverables", [])]
    eligibility += [f"- {text(c)}" for c in rules.get("conditions", [])]
    builds = (f"It follows the {links.item('incentive', incentive['builds_on'])}, and asks at least as much."
              if incentive.get("builds_on") else "")
    timing = f" {text(payout['timing'])}" if payout.get("timing") else ""
    survey = incentive.get("survey")
    return section(
        f"# {text(incentive['name'])}",
        text(incentive["summary"]),
        builds,
        "## Who can earn it",
        "\n".join(eligibility),
        "## How it pays",
        f"{text(pt.method_text(payout['method']))}, based on the {text(payout['basis'])}, paid "
        f"{text(payout['frequency'])}.{timing}",
        table(pt.incentive_rates(program, incentive), links),
        _worked_example(program, incentive, links),
        _survey(survey) if survey else "",
    )


def _survey(survey: Item) -> str:
    """The survey behind a score: its scored questions, the optional open one and the
    questions only some kinds of engagement get."""
    scale = f"{format_value(survey['scale']['min'], 'score')} to {format_value(survey['scale']['max'], 'score')}"
    optional = [f"### {text(group['engagement'])} engagements\n\nShown only for {text(group['engagement'].lower())} "
                f"engagements, scored from {scale}, and not counted in the score:\n\n"
                + "\n".join(f"- {text(q)}" for q in group["questions"])
                for group in survey.get("optional_questions", [])]
    return section(
        "## The survey",
        f"Customers score each question from {scale}:\n\n{numbered(survey['questions'])}",
        text(survey["score"]) if survey.get("score") else "",
        f"A last question is optional and answered in the customer's own words: *{text(survey['open_question'])}*"
        if survey.get("open_question") else "",
        *optional,
    )


def _worked_example(program: Program, incentive: Item, links: Links) -> str:
    """The incentive's example, computed from its rate table (the worked-example rule has
    checked that it computes)."""
    example = incentive.get("example")
    if not example:
        return ""
    result = estimate(program, incentive["id"], example)
    currency = program.info["currency"]
    rates = pt.incentive_rates(program, incentive)
    applied = ", ".join(cell(rates.rows[result.row][c.key], links) for c in rates.columns)
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
            f"The row that applies: {applied} (row {result.row + 2} of "  # the header is row 1
            f"<code>{html_text(incentive['payout']['table'])}</code>"
            + (f", selected by {text(band.replace('_', ' '))}" if band else "") + ").\n\n"
            f"Payout: {sum_text}, paid {text(incentive['payout']['frequency'])}, provided the partner meets the "
            "requirements above.")
    return '!!! example "Worked example"\n' + "\n".join(f"    {line}" if line else "" for line in body.split("\n"))
