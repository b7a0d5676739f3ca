"""Rules about the partner roster: every listed partner meets the tier it is listed at."""

from __future__ import annotations

from collections.abc import Iterator

from ...core import codes
from ...core.findings import MAX_PER_KIND, Finding, Layer, Location
from ...core.lazy import lazy
from ...model.roster import ROSTER, roster_shortfalls
from .base import RuleContext, rule

np = lazy("numpy")


@rule(codes.ROSTER_TIER, ROSTER, "tiers.yaml", "program.yaml")
def roster_tier(ctx: RuleContext) -> Iterator[Finding]:
    table = ctx.tables[ROSTER]
    frame = table.frame
    document = ctx.data("tiers.yaml")
    names = {t["id"]: t["name"] for t in document["tiers"]}
    effective = str(ctx.data("program.yaml")["effective_date"])
    reported = 0
    for shortfall in roster_shortfalls(frame, document["tiers"], document["specializations"], on=effective):
        rows = np.flatnonzero(shortfall.failing)
        for position in rows[: max(0, MAX_PER_KIND - reported)]:
            row = frame.iloc[int(position)]
            count = shortfall.key.startswith("staffing/") and shortfall.column != "tier"
            yield ctx.row_finding(ROSTER, int(position), shortfall.column, shortfall.describe(row, names),
                                  shortfall.advice(row, names),
                                  fix=shortfall.needs.get(str(row["tier"])) if count else None)
        reported += len(rows)
    if reported > MAX_PER_KIND:
        yield Finding(ctx.code, f"{reported - MAX_PER_KIND} more partners do not meet their tier", Location(table.file),
                      Layer.RULES, hint="Fix the rows above first; the check lists the rest when you run it again.")


RULES = [roster_tier]
