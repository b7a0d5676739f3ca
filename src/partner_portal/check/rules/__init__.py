"""Consistency rules: contradictions between values that each pass their schema, by area.

Each rule has a registered code (`core/codes.py` holds its title and the explanation the
data dictionary shows) and declares the files it reads; `base.run_rules` hands it those
files alone.
"""

from __future__ import annotations

from . import assessment, bands, incentives, lifecycle, roster, tiers
from .base import Rule, RuleContext, run_rules

RULES: list[Rule] = [*tiers.RULES, *bands.RULES, *incentives.RULES, *lifecycle.RULES, *assessment.RULES,
                     *roster.RULES]

__all__ = ["RULES", "Rule", "RuleContext", "run_rules"]
