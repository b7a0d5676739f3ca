"""Fragments of the home page: who the program is for, how to join, the engagement models."""

from __future__ import annotations

from ...model.program import Program
from ..escape import text
from ..markup import Links, bullets, numbered
from .registry import fragment

TOPIC = "Home page"


@fragment("audience()", TOPIC)
def audience(program: Program, links: Links) -> str:
    """Who the program is for, as a list."""
    return bullets(program.info["audience"])


@fragment("how_to_join()", TOPIC)
def how_to_join(program: Program, links: Links) -> str:
    """The steps to join the program, as a numbered list."""
    return numbered(program.info["how_to_join"])


@fragment("engagement_models()", TOPIC)
def engagement_models(program: Program, links: Links) -> str:
    """Each engagement model under a level-3 heading (the target of every link to a model):
    its summary, the model it includes and typical partners."""
    models = []
    for model in program.models:
        includes = (f"\n\nDoes everything a partner does as {links.item('model', model['includes'])}, and more."
                    if model.get("includes") else "")
        typical = f"\n\nTypical partners:\n\n{bullets(model['typical_partners'])}" if model.get(
            "typical_partners") else ""
        models.append(f"### {text(model['name'])} {{ #model-{model['id']} }}\n\n{text(model['summary'])}"
                      f"{includes}{typical}")
    return "\n\n".join(models)
