"""The home page: what the program is, who it is for, how to join, the engagement models."""

from __future__ import annotations

from ...model.program import Program
from ..escape import text
from ..markup import Links, bullets, numbered, section


def program_home(program: Program, links: Links) -> str:
    info = program.info
    vendor = info["vendor"]
    models = []
    for model in program.models:
        includes = (f"\n\nDoes everything a partner does as {links.item('model', model['includes'])}, and more."
                    if model.get("includes") else "")
        typical = f"\n\nTypical partners:\n\n{bullets(model['typical_partners'])}" if model.get(
            "typical_partners") else ""
        models.append(f"### {text(model['name'])} {{ #model-{model['id']} }}\n\n{text(model['summary'])}"
                      f"{includes}{typical}")
    return section(
        f"# {text(info['name'])}",
        text(info["summary"]),
        f"**Version {text(info['version'])}**, in effect from {text(info['effective_date'])}. Run by "
        f"{text(vendor['name'])} for partners who sell and service {text(vendor['product'])}. "
        f"[What's new in this version]({links.path('whats-new.md')}) · [Changelog]({links.path('changelog.md')})",
        "## Who it is for",
        bullets(info["audience"]),
        "## How to join",
        numbered(info["how_to_join"]),
        "## Engagement models",
        "Partners choose how they work with " + text(vendor["name"]) + ". The model decides who does what at each "
        f"[lifecycle stage]({links.path('lifecycle/index.md')}).",
        *models,
        "## Find your way",
        "\n".join([
            f"- [Tiers]({links.path('tiers/index.md')}): what each tier asks and gives.",
            f"- [Lifecycle]({links.path('lifecycle/index.md')}): who does what at each stage, and its KPIs.",
            f"- [Journeys]({links.path('journeys/index.md')}): onboarding, step by step.",
            f"- [Playbooks]({links.path('playbooks/index.md')}): what to do when a signal appears.",
            f"- [Incentives]({links.path('incentives/index.md')}): what you can earn, with worked examples.",
            f"- [Building a practice]({links.path('guides/practice.md')}): the charter, people, tools and KPIs of a "
            "customer success practice.",
            f"- [Success plan]({links.path('guides/success-plan.md')}): what to agree with each customer, with a "
            "template.",
            f"- [Usage report]({links.path('guides/usage-report.md')}): the monthly report, how risk is judged, and "
            f"a [check for your own report]({links.path('tools/usage-report.md')}).",
            f"- [Quarterly review]({links.path('guides/quarterly-review.md')}): how your customer success team "
            "reviews its accounts each quarter.",
            f"- [How the program runs]({links.path('guides/program.md')}): from pilot to general availability, "
            "the team, training and what is shared with you.",
        ]),
        f"Questions: {text(info['contact'])}" if info.get("contact") else "",
    )
