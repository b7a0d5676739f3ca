"""Reporters: the only place findings become text, for `portal check` and, through
`finding_text` and `finding_to_dict`, for `portal diff` and `portal release` too."""

from __future__ import annotations

import json
from collections.abc import Callable

from ..check.run import LAYERS, CheckResult
from ..core.findings import Finding, Severity
from ..core.lazy import lazy

ET = lazy("xml.etree.ElementTree")  # for the JUnit report alone

JSON_FORMAT_VERSION = 1

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "dim": "\033[2m", "bold": "\033[1m", "reset": "\033[0m"}


def finding_text(finding: Finding, colour: bool = False) -> list[str]:
    """A finding as lines: `path:line:col: CODE message (at data.path)`, the related
    places, and the hint."""

    def paint(text: str, style: str) -> str:
        return f"{_COLOURS[style]}{text}{_COLOURS['reset']}" if colour else text

    code = finding.code if finding.severity is Severity.ERROR else f"{finding.code} (warning)"
    where = (f" (at {finding.data_path})" if finding.path
             else f" (column {finding.location.field})" if finding.location.field else "")
    lines = [f"{paint(str(finding.location), 'bold')}: {paint(code, finding.severity.value)} {finding.message}{where}"]
    lines += [paint(f"    see also: {related}", "dim") for related in finding.related]
    if finding.hint:
        lines.append(f"    hint: {finding.hint}")
    if finding.fix:
        lines.append(f"    fix: {finding.fix}")
    return lines


def render_text(result: CheckResult, colour: bool = False) -> str:
    """Every finding (see `finding_text`), then a summary per layer."""

    def paint(text: str, style: str) -> str:
        return f"{_COLOURS[style]}{text}{_COLOURS['reset']}" if colour else text

    lines: list[str] = [line for finding in result.findings for line in finding_text(finding, colour)]
    counts = result.counts_by_layer()
    per_layer = ", ".join(
        f"{layer.value} {counts[layer][Severity.ERROR]} error{'s' * (counts[layer][Severity.ERROR] != 1)}"
        + (f" and {counts[layer][Severity.WARNING]} warning{'s' * (counts[layer][Severity.WARNING] != 1)}"
           if counts[layer][Severity.WARNING] else "")
        for layer in LAYERS
    )
    if lines:
        lines.append("")
    verdict = (paint(f"FAILED: {result.errors} error{'s' * (result.errors != 1)}", "error") if result.errors
               else paint("OK", "bold"))
    lines.append(f"checked {len(result.files)} files: {per_layer}")
    lines.append(f"{verdict}, {result.warnings} warning{'s' * (result.warnings != 1)}")
    if result.internal_errors:
        lines.append(paint(f"INTERNAL ERROR: {result.internal_errors} check(s) failed inside portal; the "
                           "findings above are all that could be found", "error"))
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
        "fix": _fix_to_dict(finding),
    }


def _fix_to_dict(finding: Finding) -> dict | None:
    if finding.fix is None:
        return None
    loc = finding.fix.location
    return {"file": loc.file, "line": loc.line or None, "column": loc.column or None, "field": loc.field,
            "write": finding.fix.text}


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


def _workflow_escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def render_github(result: CheckResult) -> str:
    """GitHub Actions workflow commands: each finding becomes an annotation on the pull
    request's diff, at its file and line."""
    lines = []
    for finding in result.findings:
        loc = finding.location
        props = [f"file={_workflow_escape(loc.file, True)}"]
        if loc.line:
            props.append(f"line={loc.line}")
        if loc.column:
            props.append(f"col={loc.column}")
        props.append(f"title={_workflow_escape(finding.code, True)}")
        where = f" (at {finding.data_path})" if finding.path else (
            f" (column {loc.field})" if loc.field else "")
        body = finding.message + where + (f". Hint: {finding.hint}" if finding.hint else "") + (
            f" Fix: {finding.fix}." if finding.fix else "")
        lines.append(f"::{finding.severity.value} {','.join(props)}::{_workflow_escape(body)}")
    lines.append(f"portal check: {result.errors} error(s), {result.warnings} warning(s) in {len(result.files)} files")
    return "\n".join(lines) + "\n"


def render_junit(result: CheckResult) -> str:
    """JUnit XML for CI test reports: a test suite per layer, a failing test case per
    finding (warnings are reported as skipped), a passing case for a clean layer."""
    root = ET.Element("testsuites", name="portal check", tests="0", failures="0")
    total = failures = 0
    for layer in LAYERS:
        mine = [f for f in result.findings if f.layer is layer]
        errors = sum(1 for f in mine if f.severity is Severity.ERROR)
        suite = ET.SubElement(root, "testsuite", name=layer.value, tests=str(max(len(mine), 1)),
                              failures=str(errors), skipped=str(len(mine) - errors))
        if not mine:
            ET.SubElement(suite, "testcase", classname=f"portal.{layer.value}", name="no findings")
        for finding in mine:
            case = ET.SubElement(suite, "testcase", classname=f"portal.{layer.value}.{finding.code}",
                                 name=f"{finding.location} {finding.code}", file=finding.location.file,
                                 line=str(finding.location.line))
            kind = "failure" if finding.severity is Severity.ERROR else "skipped"
            detail = ET.SubElement(case, kind, message=finding.message, type=finding.code)
            detail.text = "\n".join(part for part in (
                f"{finding.location}: {finding.code} {finding.message}",
                f"at {finding.data_path}" if finding.path else "",
                f"hint: {finding.hint}" if finding.hint else "",
                f"fix: {finding.fix}" if finding.fix else "") if part)
        total += max(len(mine), 1)
        failures += errors
    root.set("tests", str(total))
    root.set("failures", str(failures))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


REPORTERS: dict[str, Callable[[CheckResult], str]] = {
    "text": render_text, "json": render_json, "github": render_github, "junit": render_junit}
