"""YAML that cannot be parsed, worded for the person who has to fix it: a code, the place
where the fix goes (where a quote or bracket opened, not where the parser gave up), and
a hint."""

from __future__ import annotations

from typing import Any

import yaml
from yaml._yaml import CParser

from ..core.findings import Finding, Location

Position = tuple[int, int]


def position(mark: Any) -> Position:
    """A parser mark as a 1-based line and column."""
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def offset_position(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def control_character(text: str, offset: int) -> tuple[str, str, str, Position]:
    """The finding for a character YAML does not allow (a control character)."""
    return ("yaml-syntax", f"the control character U+{ord(text[offset]):04X} is not allowed in YAML",
            "Remove control characters; the file may be binary or damaged.", offset_position(text, offset))


# (words in libyaml's message, code, hint): the first that matches words the finding.
_SYNTAX_HINTS = (
    ("found unexpected end of stream", "yaml-unclosed", "Close the quote or bracket that starts here."),
    ("expected ',' or ']'", "yaml-unclosed", "Close the list with ']' (or add the missing comma)."),
    ("expected ',' or '}'", "yaml-unclosed", "Close the mapping with '}' (or add the missing comma)."),
    ("mapping values are not allowed", "yaml-syntax",
     "A value that contains ': ' must be put in quotes; otherwise check the indentation."),
    ("expected a single document", "yaml-syntax", "A data file holds one document: remove the extra '---' separator."),
    ("could not find expected ':'", "yaml-syntax",
     "Each field needs 'name: value'; check this line's colon and indentation."),
)
_TAB_HINT = "YAML indents with spaces only: replace the tab with spaces."
_GENERAL_HINT = "Check the indentation, quotes and brackets on this line and the one before."


def syntax_finding(text: str, exc: yaml.MarkedYAMLError, file: str) -> Finding:
    """The finding for a parser error."""
    return _runaway_quote(text, exc, file) or _worded(text, exc, file)


def _worded(text: str, exc: yaml.MarkedYAMLError, file: str) -> Finding:
    problem = exc.problem or "invalid YAML"
    if "maximum nesting depth" in problem:  # libyaml's own limit, far beyond the loader's
        return Finding("yaml-too-deep", "the data is nested far too deeply", Location(file, *position(
            exc.problem_mark)), hint="Program data is a few levels deep; check for runaway brackets or indentation.")
    context = f" ({exc.context})" if exc.context else ""
    full = f"{exc.context or ''} {problem}"
    code, hint = "yaml-syntax", _GENERAL_HINT
    if _at(text, exc.problem_mark) == "\t" or "tab character" in full:
        code, hint = "yaml-tab", _TAB_HINT
    else:
        for needle, needle_code, needle_hint in _SYNTAX_HINTS:
            if needle in full:
                code, hint = needle_code, needle_hint
                break
    mark = exc.problem_mark or exc.context_mark
    related: tuple[Location, ...] = ()
    if exc.context_mark is not None and exc.problem_mark is not None and code == "yaml-unclosed":
        # The opening quote or bracket is where the fix goes.
        related = (Location(file, *position(exc.problem_mark)),)
        mark = exc.context_mark
        if "end of stream" in problem:
            hint += f" The file ends at line {exc.problem_mark.line + 1} without closing it."
    return Finding(code, f"{problem}{context}", Location(file, *position(mark)), hint=hint, related=related)


def _at(text: str, mark: Any) -> str:
    """The character at a parser mark, or '' past the end."""
    if mark is None:
        return ""
    lines = text.split("\n")
    if mark.line >= len(lines):
        return ""
    line = lines[mark.line]
    return line[mark.column] if mark.column < len(line) else ""


def _runaway_quote(text: str, exc: yaml.MarkedYAMLError, file: str) -> Finding | None:
    """A quote left open runs on until the next quote character, often many lines later
    (an apostrophe in "partner's"), where parsing then fails. Point at where it opened."""
    problem = exc.problem_mark
    if problem is None:
        return None
    suspect = None
    scanner = CParser(text)
    try:
        while scanner.check_token():
            token = scanner.get_token()
            if token.start_mark.index >= problem.index:
                break
            if (isinstance(token, yaml.ScalarToken) and token.style in ("'", '"')
                    and token.end_mark.line > token.start_mark.line):
                suspect = token
    except yaml.YAMLError:
        pass
    finally:
        scanner.dispose()
    if suspect is None or suspect.end_mark.line != problem.line:
        return None
    return Finding(
        "yaml-unclosed", f"the quote opened here is not closed on its line; it runs on to line {problem.line + 1}",
        Location(file, *position(suspect.start_mark)),
        hint="Close the quote at the end of the value (or remove it); a quote inside text is written twice ('').",
        related=(Location(file, *position(problem)),))
