"""Release records: `releases/VERSION.json`, what `portal release` writes and the site's
What's new page, changelog and feed are made from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..core.project import RELEASES_DIR
from .compare import Comparison, Side


def make_record(comparison: Comparison | None, head: Side, *, released: str, tag: str) -> dict[str, Any]:
    """The record of a release: its version, dates and notes, and what changed since the
    release before it (`comparison` is None for the first release)."""
    info = head.program.info
    record: dict[str, Any] = {
        "version": str(info["version"]),
        "tag": tag,
        "effective_date": str(info["effective_date"]),
        "released": released,
        "previous": comparison.base.version if comparison else None,
    }
    if info.get("release_notes"):
        record["notes"] = " ".join(str(info["release_notes"]).split())
    record["changes"] = [c.as_dict() for c in comparison.changes] if comparison else []
    grace = []
    for tier in head.program.tiers:
        for period in tier.get("grace_periods", []):
            grace.append({"tier": tier["id"], "requirement": period["requirement"],
                          "previous": period.get("previous"), "until": str(period["until"]),
                          **({"note": period["note"]} if period.get("note") else {})})
    if grace:
        record["grace_periods"] = grace
    return record


def record_text(record: dict[str, Any]) -> str:
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"


def record_path(root: Path, version: str) -> Path:
    return root / RELEASES_DIR / f"{version}.json"
