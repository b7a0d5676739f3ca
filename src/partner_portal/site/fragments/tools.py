"""The self-service tool pages: accessible HTML forms generated from program data.

The forms are static HTML with a label for every input; `tools-ui.js` computes the
results in the browser with `portal-tools.js`, from `assets/data/tools.json`. Every value
from program data is escaped.
"""

from __future__ import annotations

from ...model.eligibility import eligibility_of, requirements_of
from ...model.program import Program
from ...model.requirements import KPI, STAFFING, Kpi
from ..escape import html_text
from ..markup import Links
from ..plan import PARTNERS_DATA, TOOLS_DATA
from ..templates import USAGE_SAMPLE
from .registry import fragment

TOPIC = "Tools"
SCRIPTS = ("assets/javascripts/portal-tools.js", "assets/javascripts/tools-ui.js")
USAGE_SCRIPTS = ("assets/javascripts/portal-tools.js", "assets/javascripts/usage-report.js",
                 "assets/javascripts/usage-ui.js")


def _shell(links: Links, tool: str, body: str, scripts_used: tuple[str, ...] = SCRIPTS) -> str:
    scripts = "".join(f'<script src="{links.url(s)}" defer></script>' for s in scripts_used)
    return (f'<div class="portal-tool" data-portal-tool="{tool}" data-tools="{links.url(TOOLS_DATA)}" '
            f'data-partners="{links.url(PARTNERS_DATA)}">{body}</div>'
            f"{scripts}")


def _number(name: str, label: str, hint: str = "", step: str = "any", minimum: float = 0,
            maximum: float | None = None) -> str:
    """A number input with its range; tools-ui.js says next to it when a value is outside."""
    described = f"{name}-hint {name}-error" if hint else f"{name}-error"
    top = f' max="{maximum:g}"' if maximum is not None else ""
    return (f'<p class="portal-field"><label for="{name}">{html_text(label)}</label>'
            f'<input type="number" id="{name}" name="{name}" min="{minimum:g}"{top} step="{step}" '
            f'aria-describedby="{described}">'
            + (f'<small id="{name}-hint">{html_text(hint)}</small>' if hint else "")
            + f'<small id="{name}-error" class="portal-invalid" aria-live="polite" hidden></small></p>')


def _select(name: str, label: str, options: list[tuple[str, str]], blank: str | None = None) -> str:
    choices = (f'<option value="">{html_text(blank)}</option>' if blank else "") + "".join(
        f'<option value="{html_text(value)}">{html_text(shown)}</option>' for value, shown in options)
    return (f'<p class="portal-field"><label for="{name}">{html_text(label)}</label>'
            f'<select id="{name}" name="{name}">{choices}</select></p>')


def _checkboxes(name: str, legend: str, options: list[tuple[str, str]]) -> str:
    boxes = "".join(f'<label class="portal-check"><input type="checkbox" name="{name}" value="{html_text(value)}"> '
                    f"{html_text(shown)}</label>" for value, shown in options)
    return f'<fieldset class="portal-field"><legend>{html_text(legend)}</legend>{boxes}</fieldset>'


def _kpi_inputs(program: Program, kpi_ids: list[str]) -> str:
    fields = []
    for kpi_id in dict.fromkeys(kpi_ids):
        kpi = program.get("kpi", kpi_id)
        low, high = Kpi.of(kpi).possible()
        unit = ("%" if kpi["unit"] == "percent" else f"score, {low:g} to {high:g}" if kpi["unit"] == "score" and high
                else kpi["unit"])
        fields.append(_number(f"kpi-{kpi_id}", f"{kpi['name']} ({unit})", kpi["definition"], minimum=low,
                              maximum=high))
    return "".join(fields)


@fragment("estimator_tool()", TOPIC)
def estimator_tool(program: Program, links: Links) -> str:
    """The incentive estimator: a form and, for each incentive, the estimated payout or why
    the partner is not eligible yet."""
    tiers = [(t["id"], t["name"]) for t in program.tiers]
    regions = [(r["id"], r["name"]) for r in program.regions]
    specs = [(s["id"], s["name"]) for s in program.specializations]
    kpis = [r.subject for i in program.incentives for r in eligibility_of(program, i) if r.kind == KPI]
    currency = program.info["currency"]
    form = (
        '<form class="portal-form" aria-describedby="estimator-intro">'
        f'<p id="estimator-intro">Enter what you know; each incentive shows its estimated payout and '
        f"the rate that applies, or why you are not eligible yet. Amounts are in {html_text(currency)}.</p>"
        + _select("tier", "Your tier", tiers) + _select("region", "Your region", regions)
        + _checkboxes("specializations", "Specializations you hold", specs)
        + _number("contract_value", f"Annual contract value ({currency})", "Of the customer the incentive is for.")
        + _number("active_users", "Active users in production", step="1")
        + _number("expansion_value", f"Expansion booking value ({currency})")
        + _number("renewed_value", f"Renewed contract value in the fiscal year ({currency})")
        + _kpi_inputs(program, kpis)
        + "</form>")
    links_map = "".join(f'<a hidden data-incentive="{html_text(i["id"])}" '
                        f'href="{links.item_url("incentive", i["id"])}">{html_text(i["name"])}</a>'
                        for i in program.incentives)
    results = ('<section aria-live="polite" aria-labelledby="estimator-results"><h2 id="estimator-results">'
               'Estimated payouts</h2><div class="portal-results" data-results></div>' + links_map + "</section>")
    return _shell(links, "estimator", form + results)


@fragment("tier_check_tool()", TOPIC)
def tier_check_tool(program: Program, links: Links) -> str:
    """The tier check: a form and the highest tier the partner qualifies for, with what is missing for the next."""
    asks = [r for t in program.tiers for r in requirements_of(program, t)]
    roles = list(dict.fromkeys(r.subject for r in asks if r.kind == STAFFING))
    kpis = [r.subject for r in asks if r.kind == KPI]
    form = (
        '<form class="portal-form">'
        + _select("current_tier", "Your tier today", [(t["id"], t["name"]) for t in program.tiers], "No tier yet")
        + _number("capability_points", f"Capability score (out of {program.capability_score['maximum']})", step="1",
                  maximum=program.capability_score["maximum"])
        + "".join(_number(f"staff-{r}", f"{program.name('role', r)}: people", step="1") for r in roles)
        + _checkboxes("specializations", "Specializations you hold",
                      [(s["id"], s["name"]) for s in program.specializations])
        + _select("engagement_model", "Your engagement model", [(m["id"], m["name"]) for m in program.models],
                  "Not stated")
        + _kpi_inputs(program, kpis) + "</form>")
    tier_links = "".join(f'<a hidden data-tier="{html_text(t["id"])}" href="{links.item_url("tier", t["id"])}">'
                         f"{html_text(t['name'])}</a>" for t in program.tiers)
    results = ('<section aria-live="polite" aria-labelledby="tier-results"><h2 id="tier-results">Where you stand'
               '</h2><div class="portal-results" data-results></div>' + tier_links + "</section>")
    return _shell(links, "tier-check", form + results)


@fragment("assessment_tool()", TOPIC)
def assessment_tool(program: Program, links: Links) -> str:
    """The readiness self-assessment as a form, with section scores, the total and its band."""
    assessment = program.assessment
    scale = assessment["scale"]
    sections = []
    for section in assessment["sections"]:
        rows = []
        for index, element in enumerate(section["elements"]):
            name = f"{section['id']}-{index}"
            radios = "".join(
                f'<label class="portal-rating"><input type="radio" name="{name}" value="{s["rating"]}"> '
                f'<span>{s["rating"]}</span><span class="portal-sr">{html_text(s["label"])}</span></label>'
                for s in scale)
            rows.append(f'<fieldset class="portal-element"><legend>{html_text(element)}</legend>{radios}</fieldset>')
        sections.append(f'<section class="portal-section" data-section="{html_text(section["id"])}">'
                        f'<h2>{html_text(section["name"])}</h2>{"".join(rows)}'
                        f'<p class="portal-subtotal" data-subtotal="{html_text(section["id"])}"></p></section>')
    legend = "; ".join(f"{s['rating']} = {s['label']}" for s in scale)
    controls = ('<p class="portal-actions"><button type="button" data-action="export-csv">Export CSV</button> '
                '<button type="button" data-action="export-json">Export JSON</button> '
                '<button type="button" data-action="print">Print</button> '
                '<button type="button" data-action="reset">Clear answers</button></p>')
    summary = ('<section class="portal-score" aria-live="polite" aria-labelledby="assessment-score">'
               '<h2 id="assessment-score">Your score</h2><div data-results></div>'
               f'<p data-rule><a href="{links.url("assessment.md")}">How the {html_text(assessment["name"])} is '
               "scored, and what each band means</a></p></section>")
    body = (f"<p>Rate each element: {html_text(legend)}. Your answers stay in this browser.</p>"
            f'<form class="portal-form">{"".join(sections)}</form>{summary}{controls}')
    return _shell(links, "assessment", body)


@fragment("partner_directory()", TOPIC)
def partner_directory(program: Program, links: Links) -> str:
    """The partner directory: search and filters over the roster."""
    form = ('<form class="portal-form portal-directory-filters" role="search">'
            '<p class="portal-field"><label for="q">Search partners</label>'
            '<input type="search" id="q" name="q" autocomplete="off" aria-describedby="q-hint">'
            '<small id="q-hint">By name, tier, engagement model, region or specialization.</small></p>'
            + _select("region", "Region", [(r["id"], r["name"]) for r in program.regions], "Any region")
            + _select("tier", "Tier", [(t["id"], t["name"]) for t in program.tiers], "Any tier")
            + _select("model", "Engagement model", [(m["id"], m["name"]) for m in program.models], "Any model")
            + "</form>")
    results = ('<section aria-live="polite" aria-labelledby="directory-count"><h2 id="directory-count" '
               'data-count>Partners</h2><ul class="portal-directory" data-results></ul>'
               '<p><button type="button" data-action="more" hidden>Show more</button></p></section>')
    return _shell(links, "directory", form + results)


@fragment("usage_report_tool()", TOPIC)
def usage_report_tool(program: Program, links: Links) -> str:
    """The usage report check: a partner opens its own report and sees each customer's risk,
    the plays that apply and the rows that cannot be right."""
    report = program.usage_report
    play_links = "".join(f'<a hidden data-play="{html_text(p["id"])}" href="{links.item_url("play", p["id"])}">'
                         f'{html_text(p["name"])}</a>' for p in program.plays)
    risks = "".join(f'<option value="{html_text(lv["level"])}">{html_text(lv["name"])}</option>'
                    for lv in report["risk"]["levels"])
    sample = (f' <button type="button" data-action="sample" data-sample="{links.url(USAGE_SAMPLE)}">Try the sample '
              "report</button>") if report.get("sample") else ""
    form = ('<form class="portal-form" data-usage-form>'
            '<p class="portal-field"><label for="usage-file">Your usage report (CSV)</label>'
            '<input type="file" id="usage-file" name="usage-file" accept=".csv,text/csv" '
            'aria-describedby="usage-file-hint">'
            f'<small id="usage-file-hint">The file is read in this browser and never uploaded. It needs the columns '
            f'of the {html_text(report["name"].lower())}.</small></p>'
            f'<p class="portal-actions">{sample}</p></form>')
    results = ('<section aria-labelledby="usage-status-title"><h2 id="usage-status-title">Result</h2>'
               '<p role="status" aria-live="polite" data-status>Choose a report to check it.</p>'
               '<div data-summary></div>'
               '<div class="portal-usage-filters" data-filters hidden>'
               '<p class="portal-field"><label for="usage-risk">Renewal risk</label><select id="usage-risk" '
               f'name="usage-risk"><option value="">Any risk</option>{risks}</select></p>'
               '<p class="portal-field"><label class="portal-check"><input type="checkbox" id="usage-flagged" '
               'name="usage-flagged"> Only customers with rows that cannot be right</label></p></div>'
               '<div data-customers></div><div data-problems></div>' + play_links + "</section>")
    return _shell(links, "usage-report", form + results, USAGE_SCRIPTS)

