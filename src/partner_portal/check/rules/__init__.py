"""Consistency rules: contradictions between values that each pass their schema, by family
(`core/codes.py` names the families, and holds each rule's title and the explanation the
data dictionary shows).

Each rule declares the files it reads; `base.run_rules` hands it those files alone.
"""

from __future__ import annotations

import importlib
from typing import Any

from .base import Rule, RuleContext, run_rules

FAMILIES = ("thresholds", "roles", "tiers", "incentives", "roster", "timing", "bands", "deliverables", "releases")

__all__ = ["RULES", "Rule", "RuleContext", "run_rules"]


def __getattr__(name: str) -> Any:
    """`RULES`, every rule: the families' modules (and the model they use) are imported when
    first asked for, so a check whose rules' answers are all kept imports none of them."""
    if name != "RULES":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    rules: list[Rule] = [r for family in FAMILIES for r in importlib.import_module(f".{family}", __name__).RULES]
    if len({r.code for r in rules}) != len(rules):  # a rule's findings are kept, and found again, by its code
        raise RuntimeError("two rules have the same code")
    globals()["RULES"] = rules
    return rules
