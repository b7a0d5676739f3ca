"""Consistency rules: contradictions between values that each pass their schema, by family
(`core/codes.py` names the families, and holds each rule's title and the explanation the
data dictionary shows).

Each rule declares the files it reads; `base.run_rules` hands it those files alone.
"""

from __future__ import annotations

from . import bands, deliverables, incentives, releases, roles, roster, thresholds, tiers, timing
from .base import Rule, RuleContext, run_rules

RULES: list[Rule] = [*thresholds.RULES, *roles.RULES, *tiers.RULES, *incentives.RULES, *roster.RULES, *timing.RULES,
                     *bands.RULES, *deliverables.RULES, *releases.RULES]

__all__ = ["RULES", "Rule", "RuleContext", "run_rules"]
