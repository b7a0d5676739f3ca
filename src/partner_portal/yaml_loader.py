"""A strict YAML loader on top of PyYAML.

PyYAML, like most YAML 1.1 tools, quietly does things a program team never meant:
it keeps the last of two duplicate keys, reads `no` and `on` as booleans and `1:30`
as 90, expands aliases (a few lines can expand to gigabytes), and constructs Python
objects from tags. This loader uses PyYAML only to scan and parse, then builds plain
JSON-compatible values itself:

* duplicate keys, anchors, aliases, merge keys and tags other than `!!str` are refused;
* plain scalars follow YAML 1.2's core schema: `true`/`false`, `null`, decimal numbers;
  `yes`/`no`/`on`/`off`, sexagesimal `1:30`, leading-zero, hex, octal and underscored
  numbers, `.nan` and `.inf` are findings, never silently converted;
* implicit dates stay strings (`2027-01-01`), as JSON Schema's `format: date` expects;
* every value and every key keeps its line and column for error messages;
* nesting depth is bounded, so a hostile file cannot exhaust the stack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from .findings import DataPath, Finding, Layer, Location

MAX_DEPTH = 64

Position = tuple[int, int]

_MODELINE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(\S+)\s*$")

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_YAML11_BOOL = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?$")
_SPECIAL_FLOAT = re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_OTHER_NUMBER = re.compile(
    r"^[-+]?(?:0[0-9]+(?:\.[0-9]*)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+|[0-9][0-9_]*_[0-9_]*(?:\.[0-9_]*)?)$"
)
# Every plain scalar the patterns above read as other than text starts with one of these.
_SPECIAL_FIRST = frozenset("~nNtTfFyYoO+-.0123456789")
_STR_TAG = "tag:yaml.org,2002:str"
_IMPLICIT = ""  # the "tag" of a node written without one


@dataclass
class YamlDocument:
    """A loaded YAML file: plain data plus where each value and key came from."""

    file: str
    data: Any
    positions: dict[DataPath, Position] = field(default_factory=dict)
    key_positions: dict[DataPath, Position] = field(default_factory=dict)
    # Paths that already have a finding from the loader; later layers stay quiet there
    # so one mistake gives one finding.
    flagged: set[DataPath] = field(default_factory=set)
    schema_ref: str | None = None
    schema_ref_line: int = 0

    def position(self, path: DataPath, *, key: bool = False) -> Position:
        """The position of the value (or its key) at `path`, or of its nearest ancestor."""
        path = tuple(path)
        if key and path in self.key_positions:
            return self.key_positions[path]
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))

    def location(self, path: DataPath, *, key: bool = False) -> Location:
        line, column = self.position(path, key=key)
        return Location(self.file, line, column)


@dataclass
class YamlResult:
    document: YamlDocument | None
    findings: list[Finding]


class _Refused(Exception):
    def __init__(self, code: str, message: str, hint: str, position: Position) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint
        self.position = position


def _pos(mark: yaml.Mark | None) -> Position:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _refuse_tag(tag: str, mark: yaml.Mark | None) -> _Refused:
    unsafe = "python" in tag or "ruby" in tag or "java" in tag
    return _Refused(
        "unsafe-tag" if unsafe else "yaml-tag",
        f"the tag {tag.replace('tag:yaml.org,2002:', '!!')} is not allowed"
        + ("; it could run code and is never executed" if unsafe else ""),
        "Remove the tag. Program data is plain text, numbers, lists and mappings"
        " (use quotes, or !!str, to force text).",
        _pos(mark),
    )


def _too_deep(mark: yaml.Mark | None) -> _Refused:
    return _Refused(
        "yaml-too-deep",
        f"the data is nested more than {MAX_DEPTH} levels deep",
        "Program data is a few levels deep; check for runaway brackets or indentation.",
        _pos(mark),
    )


class _PlainResolver(BaseResolver):
    """Resolves nothing: a node written without a tag keeps the tag "" (the builder reads
    plain scalars itself, by YAML 1.2's rules), and one tagged just `!` keeps "!" so that
    it is refused like any other tag."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:  # noqa: D102
        written_without_tag = (implicit[0] or implicit[1]) if kind is ScalarNode else implicit
        return _IMPLICIT if written_without_tag else "!"


class _StrictComposer(Composer):
    """Composes nodes, refusing anchors, aliases, unknown tags and deep nesting."""

    _depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # noqa: D401
        if self.check_event(AliasEvent):
            event = self.get_event()
            raise _Refused(
                "yaml-alias",
                f"aliases (*{event.anchor}) are not allowed in program data",
                "Write the values out in full; aliases make files hard to review and can "
                "expand to huge documents.",
                _pos(event.start_mark),
            )
        event = self.peek_event()
        if event.anchor is not None:
            raise _Refused(
                "yaml-anchor",
                f"anchors (&{event.anchor}) are not allowed in program data",
                "Remove the anchor and write repeated values out in full.",
                _pos(event.start_mark),
            )
        tag = getattr(event, "tag", None)
        if tag is not None and not (isinstance(event, ScalarEvent) and tag == _STR_TAG):
            raise _refuse_tag(tag, event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _too_deep(event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_MISSING = object()


class _StrictNodeLoader(Reader, Scanner, Parser, _StrictComposer, _PlainResolver):
    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _StrictComposer.__init__(self)
        _PlainResolver.__init__(self)


try:
    from yaml._yaml import CParser as _CParser  # libyaml: the same parser, about ten times faster
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CParser = None

if _CParser is not None:
    class _StrictCNodeLoader(_StrictComposer, _CParser, _PlainResolver):  # type: ignore[misc, valid-type]
        """libyaml's scanner and parser under the same strict composer (its methods come
        first in this order, so anchors, aliases and tags are refused the same way)."""

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            _StrictComposer.__init__(self)
            _PlainResolver.__init__(self)

    class _CNodeLoader(_CParser, _PlainResolver):  # type: ignore[misc, valid-type]
        """libyaml's own composer, for text that cannot hold an anchor or an alias (no `&`
        or `*`), a lone `!` tag, or deep flow nesting; other tags and the depth are checked
        while building."""

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            _PlainResolver.__init__(self)

# libyaml composes recursively in C; text with more brackets than this may nest deeper
# than is safe there, and goes through the strict composer, which stops at MAX_DEPTH.
_MAX_FAST_BRACKETS = 4096
# libyaml reads a lone `!` tag as no tag at all, so text that may hold one is composed strictly.
_BARE_TAG = re.compile(r"(?:^|[\s\[\]{},])!(?:\s|$)", re.MULTILINE)


def _compose_fast(text: str) -> Node | None:
    """The document's nodes through libyaml, or raise to fall back to the pure-Python
    parser (whose error messages the findings are written around)."""
    simple = ("&" not in text and "*" not in text and not _BARE_TAG.search(text)
              and text.count("[") + text.count("{") <= _MAX_FAST_BRACKETS)
    loader = _CNodeLoader(text) if simple else _StrictCNodeLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def load_yaml(text: str, file: str) -> YamlResult:
    """Parse `text` strictly. Returns the document (or None) and every finding."""
    findings: list[Finding] = []

    def finding(code: str, message: str, hint: str, position: Position, path: DataPath = ()) -> Finding:
        return Finding(code, message, Location(file, *position), Layer.SYNTAX, path=path, hint=hint)

    loader = None
    try:
        root = _MISSING
        if _CParser is not None and not Reader.NON_PRINTABLE.search(text):  # the reader's own test
            try:
                root = _compose_fast(text)
            except _Refused:
                raise
            except Exception:  # noqa: BLE001 - any problem: the pure-Python parser says what it is
                root = _MISSING
        if root is _MISSING:
            loader = _StrictNodeLoader(text)  # the reader rejects control characters right here
            root = loader.get_single_node()
    except _Refused as exc:
        return YamlResult(None, [finding(exc.code, exc.message, exc.hint, exc.position)])
    except yaml.reader.ReaderError as exc:
        position = _offset_position(text, exc.position)
        return YamlResult(
            None,
            [
                finding(
                    "yaml-syntax",
                    f"the character {exc.character!r} is not allowed in YAML",
                    "Remove control characters; the file may be binary or damaged.",
                    position,
                )
            ],
        )
    except yaml.MarkedYAMLError as exc:
        return YamlResult(None, [_runaway_quote(text, exc, file) or _syntax_finding(exc, file)])
    except RecursionError:  # pragma: no cover - MAX_DEPTH keeps us well below the limit
        return YamlResult(None, [finding("yaml-too-deep", "the data is nested too deeply", "", (1, 1))])
    finally:
        if loader is not None:
            loader.dispose()

    schema_ref, schema_ref_line = _find_modeline(text)
    if root is None:
        return YamlResult(
            None,
            [
                finding(
                    "empty-file",
                    "the file has no data",
                    "Add the file's content, or delete the file if it is not needed.",
                    (1, 1),
                )
            ],
        )
    doc = YamlDocument(file=file, data=None, schema_ref=schema_ref, schema_ref_line=schema_ref_line)
    try:
        doc.data = _Builder(doc, findings, finding).build(root, ())
    except _Refused as exc:  # a tag, or nesting too deep, found while building
        return YamlResult(None, [finding(exc.code, exc.message, exc.hint, exc.position)])
    return YamlResult(doc, findings)


class _Builder:
    def __init__(self, doc: YamlDocument, findings: list[Finding], make_finding: Any) -> None:
        self.doc = doc
        self.findings = findings
        self.make = make_finding

    def flag(self, code: str, message: str, hint: str, node: Node, path: DataPath) -> None:
        self.doc.flagged.add(path)
        self.findings.append(self.make(code, message, hint, _pos(node.start_mark), path))

    def build(self, node: Node, path: DataPath) -> Any:
        mark = node.start_mark
        self.doc.positions[path] = (mark.line + 1, mark.column + 1)
        tag = node.tag
        scalar = isinstance(node, ScalarNode)
        if tag != _IMPLICIT and not (scalar and tag == _STR_TAG):
            raise _refuse_tag(tag, mark)
        if len(path) >= MAX_DEPTH:
            raise _too_deep(mark)
        if scalar:
            return self.build_scalar(node, path)
        if isinstance(node, MappingNode):
            return self.build_mapping(node, path)
        return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]

    def vet(self, node: Node, depth: int) -> None:
        """Refuse what `build` would in a node it does not build (a complex key)."""
        if node.tag != _IMPLICIT and not (isinstance(node, ScalarNode) and node.tag == _STR_TAG):
            raise _refuse_tag(node.tag, node.start_mark)
        if depth >= MAX_DEPTH:
            raise _too_deep(node.start_mark)
        if isinstance(node, ScalarNode):
            return
        for child in node.value:
            for part in (child if isinstance(node, MappingNode) else (child,)):
                self.vet(part, depth + 1)

    def build_mapping(self, node: MappingNode, path: DataPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.vet(key_node, len(path) + 1)
                self.vet(value_node, len(path) + 1)
                self.flag(
                    "yaml-complex-key",
                    "a key must be a plain name, not a list or a mapping",
                    "Use a simple name before the colon.",
                    key_node,
                    path,
                )
                continue
            if key_node.tag != _IMPLICIT and key_node.tag != _STR_TAG:
                raise _refuse_tag(key_node.tag, key_node.start_mark)
            if len(path) + 1 >= MAX_DEPTH:
                raise _too_deep(key_node.start_mark)
            if key_node.value == "<<" and not key_node.style and key_node.tag == _IMPLICIT:
                self.vet(value_node, len(path) + 1)
                self.flag(
                    "yaml-merge-key",
                    "merge keys (<<) are not allowed in program data",
                    "Write the merged fields out in full.",
                    key_node,
                    path,
                )
                continue
            key = key_node.value
            key_path = path + (key,)
            if key in result:
                self.vet(value_node, len(key_path))
                first = self.doc.key_positions[key_path]
                self.doc.flagged.add(key_path)
                self.findings.append(
                    Finding(
                        "duplicate-key",
                        f"the key '{key}' appears twice in this mapping (first at line {first[0]})",
                        Location(self.doc.file, *_pos(key_node.start_mark)),
                        Layer.SYNTAX,
                        path=key_path,
                        hint=f"Keep one '{key}': YAML tools silently keep only the last one.",
                        related=(Location(self.doc.file, *first),),
                    )
                )
                continue
            self.doc.key_positions[key_path] = _pos(key_node.start_mark)
            result[key] = self.build(value_node, key_path)
        return result

    def build_scalar(self, node: ScalarNode, path: DataPath) -> Any:
        value: str = node.value
        if node.style or node.tag == _STR_TAG:  # plain: None (PyYAML) or "" (libyaml); `!!str no` is text
            return value  # quoted, block or explicitly tagged text
        if value and value[0] not in _SPECIAL_FIRST:
            return value  # plain text: no null, yes/no value or number starts this way
        if _NULL.match(value):
            return None
        if value in _BOOL:
            return _BOOL[value]
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value) and not _OTHER_NUMBER.match(value):
            number = float(value)
            if number not in (float("inf"), float("-inf")):
                return number
            self.flag("not-a-number", f"'{value}' is too large to be a number", "Write a smaller number.", node, path)
            return value
        if _YAML11_BOOL.match(value):
            self.flag(
                "ambiguous-value",
                f"'{value}' is read as a yes/no value by many YAML tools",
                f"Write true or false for a yes/no field; for text, put it in quotes: '{value}'.",
                node,
                path,
            )
        elif _SPECIAL_FLOAT.match(value):
            self.flag(
                "not-a-number",
                f"'{value}' is not a usable number",
                "Write a finite number, or leave the field out if it does not apply.",
                node,
                path,
            )
        elif _SEXAGESIMAL.match(value):
            self.flag(
                "ambiguous-value",
                f"'{value}' is read as a base-60 number by YAML 1.1 tools (1:30 becomes 90)",
                f"Put it in quotes if it is a time or a ratio: '{value}'.",
                node,
                path,
            )
        elif _OTHER_NUMBER.match(value):
            self.flag(
                "ambiguous-value",
                f"'{value}' is read differently by different YAML tools (octal, hex or digit groups)",
                f"Write a plain decimal number, or put it in quotes if it is a code: '{value}'.",
                node,
                path,
            )
        return value


_SYNTAX_HINTS = (
    ("'\\t'", "yaml-tab", "YAML indents with spaces only: replace the tab with spaces."),
    ("found unexpected end of stream", "yaml-unclosed", "Close the quote or bracket that starts here."),
    ("expected ',' or ']'", "yaml-unclosed", "Close the list with ']' (or add the missing comma)."),
    ("expected ',' or '}'", "yaml-unclosed", "Close the mapping with '}' (or add the missing comma)."),
    (
        "mapping values are not allowed here",
        "yaml-syntax",
        "A value that contains ': ' must be put in quotes; otherwise check the indentation.",
    ),
    (
        "expected a single document",
        "yaml-syntax",
        "A data file holds one document: remove the extra '---' separator.",
    ),
    (
        "could not find expected ':'",
        "yaml-syntax",
        "Each field needs 'name: value'; check this line's colon and indentation.",
    ),
)


def _syntax_finding(exc: yaml.MarkedYAMLError, file: str) -> Finding:
    problem = exc.problem or "invalid YAML"
    context = f" ({exc.context})" if exc.context else ""
    full = f"{exc.context or ''} {problem}"
    code, hint = "yaml-syntax", "Check the indentation, quotes and brackets on this line and the one before."
    for needle, needle_code, needle_hint in _SYNTAX_HINTS:
        if needle in full:
            code, hint = needle_code, needle_hint
            break
    mark = exc.problem_mark or exc.context_mark
    related: tuple[Location, ...] = ()
    if exc.context_mark is not None and exc.problem_mark is not None and code == "yaml-unclosed":
        # The opening quote or bracket is where the fix goes.
        related = (Location(file, *_pos(exc.problem_mark)),)
        mark = exc.context_mark
        if "end of stream" in problem:
            hint += f" The file ends at line {exc.problem_mark.line + 1} without closing it."
    return Finding(
        code,
        f"{problem}{context}",
        Location(file, *_pos(mark)),
        Layer.SYNTAX,
        hint=hint,
        related=related,
    )


def _runaway_quote(text: str, exc: yaml.MarkedYAMLError, file: str) -> Finding | None:
    """A quote left open runs on until the next quote character, often many lines later
    (an apostrophe in "partner's"), where parsing then fails. Point at where it opened."""
    problem = exc.problem_mark
    if problem is None:
        return None
    suspect = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= problem.index:
                break
            if (isinstance(token, yaml.ScalarToken) and token.style in ("'", '"')
                    and token.end_mark.line > token.start_mark.line):
                suspect = token
    except yaml.YAMLError:
        pass
    if suspect is None or suspect.end_mark.line != problem.line:
        return None
    return Finding(
        "yaml-unclosed", f"the quote opened here is not closed on its line; it runs on to line {problem.line + 1}",
        Location(file, *_pos(suspect.start_mark)), Layer.SYNTAX,
        hint="Close the quote at the end of the value (or remove it); a quote inside text is written twice ('').",
        related=(Location(file, *_pos(problem)),))


def _offset_position(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _find_modeline(text: str) -> tuple[str | None, int]:
    """The `# yaml-language-server: $schema=...` value from the file's leading comments."""
    for number, line in enumerate(text.splitlines()[:20], start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _MODELINE.match(stripped)
        if match:
            return match.group(1), number
    return None, 0
