"""`portal diff` output: text for a terminal, Markdown for a pull-request comment or the
CI job summary, JSON for tools. Every format carries the same facts."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..core.findings import Severity
from ..releases.changes import AREAS, IMPACT_WORDS, IMPACTS
from ..releases.compare import Comparison
from .findings import finding_text, finding_to_dict

MAX_PARTNERS_SHOWN = 20


def _heading(comparison: Comparison) -> str:
    base, head = comparison.base, comparison.head
    return (f"{base.version} ({base.label}, in effect from {base.effective_date}) → "
            f"{head.version} ({head.label}, in effect from {head.effective_date})")


def _counts(comparison: Comparison) -> dict[str, int]:
    counts = dict.fromkeys(IMPACTS, 0)
    for change in comparison.changes:
        counts[change.impact] += 1
    return counts


def _by_area(comparison: Comparison) -> list[tuple[str, list]]:
    areas: dict[str, list] = {}
    for change in comparison.changes:
        areas.setdefault(change.area, []).append(change)
    return [(AREAS[a], areas[a]) for a in AREAS if a in areas]


def render_text(comparison: Comparison) -> str:
    lines = [f"Program changes: {_heading(comparison)}"]
    if not comparison.changes:
        lines.append("  No changes to program data.")
    for area, changes in _by_area(comparison):
        lines.append(f"\n{area}")
        for change in changes:
            where = comparison.base if change.side == "base" else comparison.head
            lines.append(f"  {change.impact:<8} {change.summary}  ({where.location(change)})")
    lines += _roster_lines(comparison, lambda s: s)
    for finding in comparison.findings:
        lines += ["", *finding_text(finding)]
    counts = _counts(comparison)
    summary = ", ".join(f"{n} {impact}" for impact, n in counts.items() if n) or "none"
    lines.append(f"\n{len(comparison.changes)} changes ({summary}); "
                 f"{sum(1 for f in comparison.findings if f.severity is Severity.ERROR)} errors, "
                 f"{sum(1 for f in comparison.findings if f.severity is Severity.WARNING)} warnings")
    return "\n".join(lines) + "\n"


def _roster_lines(comparison: Comparison, quote: Callable[[str], str]) -> list[str]:
    if comparison.roster is None:
        return []
    if not comparison.roster:
        return ["\nListed partners: every partner in the roster still meets its tier after these changes."]
    lines = []
    for impact in comparison.roster:
        lines.append(f"\nListed partners who would no longer meet {quote(impact.tier_name)}: {len(impact.partners)}")
        for partner in impact.partners[:MAX_PARTNERS_SHOWN]:
            grace = f" (grace period until {partner['grace_until']})" if partner["grace_until"] else ""
            lines.append(f"  - {quote(partner['name'])} ({quote(partner['id'])}, roster row {partner['row']}): "
                         f"{quote('; '.join(partner['reasons']))}{grace}")
        if len(impact.partners) > MAX_PARTNERS_SHOWN:
            lines.append(f"  - and {len(impact.partners) - MAX_PARTNERS_SHOWN} more (see --format json)")
    return lines


def _md(value: Any) -> str:
    """Data as literal text inside Markdown (a pull-request comment renders HTML)."""
    out = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for char in "\\`*_[]|#":
        out = out.replace(char, "\\" + char)
    return " ".join(out.split())


def render_markdown(comparison: Comparison) -> str:
    base, head = comparison.base, comparison.head
    counts = _counts(comparison)
    lines = [f"## Program changes: {_md(base.version)} → {_md(head.version)}", "",
             f"Comparing **{_md(base.label)}** (version {_md(base.version)}, in effect from "
             f"{_md(base.effective_date)}) with **{_md(head.label)}** (version {_md(head.version)}, in effect from "
             f"{_md(head.effective_date)}).", ""]
    if comparison.findings:
        lines += ["### Needs attention", ""]
        for finding in comparison.findings:
            lines.append(f"- **{finding.severity}** `{finding.code}` at `{finding.location}`: {_md(finding.message)}. "
                         f"{_md(finding.hint or '')}")
        lines.append("")
    if not comparison.changes:
        lines.append("No changes to program data.")
    else:
        lines += ["| " + " | ".join(IMPACT_WORDS[i] for i in IMPACTS) + " |",
                  "| " + " | ".join("---:" for _ in IMPACTS) + " |",
                  "| " + " | ".join(str(counts[i]) for i in IMPACTS) + " |", ""]
        for area, changes in _by_area(comparison):
            lines += [f"### {area}", ""]
            for change in changes:
                lines.append(f"- **{IMPACT_WORDS[change.impact]}**: {_md(change.summary)}")
            lines.append("")
    if comparison.roster is not None:
        lines += ["### Listed partners", ""]
        if not comparison.roster:
            lines.append("Every partner in the roster still meets its tier after these changes.")
        for impact in comparison.roster:
            lines += [f"<details><summary>{len(impact.partners)} listed partners would no longer meet "
                      f"{_md(impact.tier_name)}</summary>", ""]
            for partner in impact.partners:
                grace = f" (grace period until {_md(partner['grace_until'])})" if partner["grace_until"] else ""
                lines.append(f"- {_md(partner['name'])} (`{_md(partner['id'])}`, roster row {partner['row']}): "
                             f"{_md('; '.join(partner['reasons']))}{grace}")
            lines += ["", "</details>", ""]
    return "\n".join(lines).rstrip() + "\n"


def render_json(comparison: Comparison) -> str:
    def side(s: Any) -> dict[str, Any]:
        return {"ref": s.ref, "label": s.label, "version": s.version, "effective_date": s.effective_date}

    payload = {
        "base": side(comparison.base), "head": side(comparison.head),
        "summary": {"changes": len(comparison.changes), **_counts(comparison), "errors": comparison.errors,
                    "warnings": len(comparison.findings) - comparison.errors},
        "changes": [{**c.as_dict(), "location": str((comparison.base if c.side == "base" else comparison.head)
                                                     .location(c))} for c in comparison.changes],
        "findings": [finding_to_dict(f) for f in comparison.findings],
        "roster": None if comparison.roster is None else [
            {"tier": i.tier, "tier_name": i.tier_name, "count": len(i.partners), "partners": i.partners}
            for i in comparison.roster],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


DIFF_REPORTERS = {"text": render_text, "markdown": render_markdown, "json": render_json}
