"""Reporters: the only place findings become text."""

from __future__ import annotations

import json
from collections.abc import Callable

from .check import LAYERS, CheckResult
from .findings import Finding, Severity

JSON_FORMAT_VERSION = 1

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "dim": "\033[2m", "bold": "\033[1m", "reset": "\033[0m"}


def render_text(result: CheckResult, colour: bool = False) -> str:
    """One block per finding: `path:line:col: CODE message (at data.path)`, a hint, and a summary."""

    def paint(text: str, style: str) -> str:
        return f"{_COLOURS[style]}{text}{_COLOURS['reset']}" if colour else text

    lines: list[str] = []
    for finding in result.findings:
        code = finding.code if finding.severity is Severity.ERROR else f"{finding.code} (warning)"
        where = (f" (at {finding.data_path})" if finding.path
                 else f" (column {finding.location.field})" if finding.location.field else "")
        lines.append(f"{paint(str(finding.location), 'bold')}: {paint(code, finding.severity.value)} "
                     f"{finding.message}{where}")
        for related in finding.related:
            lines.append(paint(f"    see also: {related}", "dim"))
        if finding.hint:
            lines.append(f"    hint: {finding.hint}")
    counts = result.counts_by_layer()
    per_layer = ", ".join(
        f"{layer.value} {counts[layer][Severity.ERROR]} error{'s' * (counts[layer][Severity.ERROR] != 1)}"
        + (f" {counts[layer][Severity.WARNING]} warning{'s' * (counts[layer][Severity.WARNING] != 1)}"
           if counts[layer][Severity.WARNING] else "")
        for layer in LAYERS
    )
    if lines:
        lines.append("")
    verdict = (paint(f"FAILED: {result.errors} error{'s' * (result.errors != 1)}", "error") if result.errors
               else paint("OK", "bold"))
    lines.append(f"checked {len(result.files)} files: {per_layer}")
    lines.append(f"{verdict}, {result.warnings} warning{'s' * (result.warnings != 1)}")
    return "\n".join(lines) + "\n"


def finding_to_dict(finding: Finding) -> dict:
    loc = finding.location
    return {
        "code": finding.code,
        "severity": finding.severity.value,
        "layer": finding.layer.value,
        "message": finding.message,
        "hint": finding.hint,
        "file": loc.file,
        "line": loc.line or None,
        "column": loc.column or None,
        "field": loc.field,
        "path": finding.data_path or None,
        "related": [{"file": r.file, "line": r.line or None, "column": r.column or None} for r in finding.related],
    }


def render_json(result: CheckResult) -> str:
    """The stable machine-readable shape documented in README ("JSON output")."""
    counts = result.counts_by_layer()
    payload = {
        "version": JSON_FORMAT_VERSION,
        "ok": result.errors == 0,
        "summary": {
            "files": len(result.files),
            "errors": result.errors,
            "warnings": result.warnings,
            "layers": {layer.value: {"errors": counts[layer][Severity.ERROR],
                                     "warnings": counts[layer][Severity.WARNING]} for layer in LAYERS},
        },
        "findings": [finding_to_dict(f) for f in result.findings],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


REPORTERS: dict[str, Callable[..., str]] = {"text": render_text, "json": render_json}
