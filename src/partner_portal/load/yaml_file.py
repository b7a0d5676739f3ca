"""A strict YAML loader on top of libyaml.

PyYAML, like most YAML 1.1 tools, quietly does things a program team never meant:
it keeps the last of two duplicate keys, reads `no` and `on` as booleans and `1:30`
as 90, expands aliases (a few lines can expand to gigabytes), and constructs Python
objects from tags. This loader takes only libyaml's parser events and builds plain
JSON-compatible values itself, in one pass:

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
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    StreamEndEvent,
)
from yaml.reader import Reader

from ..core.findings import DataPath, Finding, Location
from ..core.memo import parsed
from ..core.project import MAX_BYTES
from .text import SourceText, read_text
from .yaml_errors import Position, control_character, position, syntax_finding

try:
    from yaml._yaml import CParser  # libyaml, which PyYAML's wheels carry
except ImportError as missing:  # pragma: no cover - a PyYAML built without libyaml
    raise ImportError("portal needs PyYAML with libyaml; reinstall it with `pip install --force-reinstall pyyaml`"
                      ) from missing

MAX_DEPTH = 64

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


def read_yaml(path: Path, display: str, given: str | None = None) -> YamlResult:
    """A YAML (or JSON) file read and loaded, or `given` text in its place; a file that
    cannot be read as text is no document and one finding saying why."""
    source = SourceText(given) if given is not None else read_text(path, display, MAX_BYTES["yaml"])
    if isinstance(source, Finding):
        return YamlResult(None, [source])
    return parsed("yaml", display, source.text, load_yaml)


class _Refused(Exception):
    """A YAML feature program data does not use: the whole file is refused."""

    def __init__(self, code: str, message: str, hint: str, at: Position) -> None:
        super().__init__(message)
        self.finding = (code, message, hint, at)


def load_yaml(text: str, file: str) -> YamlResult:
    """Parse `text` strictly. Returns the document (or None) and every finding."""

    def finding(code: str, message: str, hint: str, at: Position, path: DataPath = (),
                related: tuple[Location, ...] = ()) -> Finding:
        return Finding(code, message, Location(file, *at), path=path, hint=hint, related=related)

    bad = Reader.NON_PRINTABLE.search(text)
    if bad:
        return YamlResult(None, [finding(*control_character(text, bad.start()))])
    schema_ref, schema_ref_line = _find_modeline(text)
    doc = YamlDocument(file=file, data=None, schema_ref=schema_ref, schema_ref_line=schema_ref_line)
    builder = _Builder(doc, finding)
    parser = CParser(text)
    try:
        found = builder.document(parser)
    except _Refused as refused:
        return YamlResult(None, [finding(*refused.finding)])
    except yaml.MarkedYAMLError as exc:
        return YamlResult(None, [syntax_finding(text, exc, file)])
    finally:
        parser.dispose()
    if not found:
        return YamlResult(None, [finding("empty-file", "the file has no data",
                                         "Add the file's content, or delete the file if it is not needed.", (1, 1))])
    return YamlResult(doc, builder.findings)


class _Builder:
    """Builds the document's values from parser events, refusing what program data does
    not use. Refusals (anchors, aliases, tags, depth) end the file; other mistakes are
    flagged at their path and the rest of the file is still read."""

    def __init__(self, doc: YamlDocument, make_finding: Any) -> None:
        self.doc = doc
        self.findings: list[Finding] = []
        self.make = make_finding
        self.events: Any = None

    def document(self, parser: Any) -> bool:
        """Read the stream's one document into `doc.data`; False when there is none."""
        self.events = parser
        parser.get_event()  # the stream's start
        if parser.check_event(StreamEndEvent):
            return False
        parser.get_event()  # the document's start
        self.doc.data = self.value((), 1)
        parser.get_event()  # the document's end
        if parser.check_event(DocumentStartEvent):
            extra = parser.peek_event()
            raise yaml.composer.ComposerError("expected a single document in the stream", None,
                                              "but found another document", extra.start_mark)
        return True

    def flag(self, code: str, message: str, hint: str, at: Position, path: DataPath) -> None:
        self.doc.flagged.add(path)
        self.findings.append(self.make(code, message, hint, at, path))

    def vetted(self, depth: int) -> Any:
        """The next node's event, once it is known to be allowed at `depth`."""
        event = self.events.get_event()
        at = position(event.start_mark)
        if isinstance(event, AliasEvent):
            raise _Refused("yaml-alias", f"aliases (*{event.anchor}) are not allowed in program data",
                           "Write the values out in full; aliases make files hard to review and can expand to "
                           "huge documents.", at)
        if event.anchor is not None:
            raise _Refused("yaml-anchor", f"anchors (&{event.anchor}) are not allowed in program data",
                           "Remove the anchor and write repeated values out in full.", at)
        if event.tag is not None and not (isinstance(event, ScalarEvent) and event.tag == _STR_TAG):
            unsafe = any(word in event.tag for word in ("python", "ruby", "java"))
            raise _Refused("unsafe-tag" if unsafe else "yaml-tag",
                           f"the tag {event.tag.replace('tag:yaml.org,2002:', '!!')} is not allowed"
                           + ("; it could run code and is never executed" if unsafe else ""),
                           "Remove the tag. Program data is plain text, numbers, lists and mappings (use quotes, "
                           "or !!str, to force text).", at)
        if depth > MAX_DEPTH:
            raise _Refused("yaml-too-deep", f"the data is nested more than {MAX_DEPTH} levels deep",
                           "Program data is a few levels deep; check for runaway brackets or indentation.", at)
        return event

    def skip(self, event: Any, depth: int) -> None:
        """Read past the node `event` starts, refusing what `vetted` refuses inside it."""
        end = MappingEndEvent if isinstance(event, MappingStartEvent) else SequenceEndEvent
        if isinstance(event, ScalarEvent):
            return
        while not self.events.check_event(end):
            self.skip(self.vetted(depth + 1), depth + 1)
        self.events.get_event()

    def value(self, path: DataPath, depth: int) -> Any:
        event = self.vetted(depth)
        self.doc.positions[path] = position(event.start_mark)
        if isinstance(event, ScalarEvent):
            return self.scalar(event, path)
        if isinstance(event, MappingStartEvent):
            return self.mapping(event, path, depth)
        items = []
        while not self.events.check_event(SequenceEndEvent):
            items.append(self.value(path + (len(items),), depth + 1))
        self.events.get_event()
        return items

    def mapping(self, start: Any, path: DataPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        while not self.events.check_event(MappingEndEvent):
            key = self.vetted(depth + 1)
            at = position(key.start_mark)
            if not isinstance(key, ScalarEvent):
                self.skip(key, depth + 1)
                self.skip(self.vetted(depth + 1), depth + 1)
                self.flag("yaml-complex-key", "a key must be a plain name, not a list or a mapping",
                          "Use a simple name before the colon.", at, path)
                continue
            name = key.value
            key_path = path + (name,)
            if name == "<<" and not key.style and key.tag is None:
                self.skip(self.vetted(depth + 1), depth + 1)
                self.flag("yaml-merge-key", "merge keys (<<) are not allowed in program data",
                          "Write the merged fields out in full.", at, path)
                continue
            if name in result:
                self.skip(self.vetted(depth + 1), depth + 1)
                first = self.doc.key_positions[key_path]
                self.doc.flagged.add(key_path)
                self.findings.append(self.make(
                    "duplicate-key", f"the key '{name}' appears twice in this mapping (first at line {first[0]})",
                    f"Keep one '{name}' and delete the other: some YAML readers keep only the last one, others refuse "
                    "the file.", at, key_path,
                    (Location(self.doc.file, *first),)))
                continue
            self.doc.key_positions[key_path] = at
            result[name] = self.value(key_path, depth + 1)
        self.events.get_event()
        return result

    def scalar(self, event: Any, path: DataPath) -> Any:
        value: str = event.value
        if event.style or event.tag == _STR_TAG:
            return value  # quoted, block or explicitly tagged text
        if value and value[0] not in _SPECIAL_FIRST:
            return value  # plain text: no null, yes/no value or number starts this way
        if _NULL.match(value):
            return None
        if value in _BOOL:
            return _BOOL[value]
        if _INT.match(value):
            return int(value)
        at = position(event.start_mark)
        if _FLOAT.match(value) and not _OTHER_NUMBER.match(value):
            number = float(value)
            if number not in (float("inf"), float("-inf")):
                return number
            self.flag("not-a-number", f"'{value}' is too large to be a number", "Write a smaller number.", at, path)
        elif _YAML11_BOOL.match(value):
            self.flag("ambiguous-value", f"'{value}' is read as a yes/no value by many YAML tools",
                      f"Write true or false for a yes/no field; for text, put it in quotes: '{value}'.", at, path)
        elif _SPECIAL_FLOAT.match(value):
            self.flag("not-a-number", f"'{value}' is not a usable number",
                      "Write a finite number, or leave the field out if it does not apply.", at, path)
        elif _SEXAGESIMAL.match(value):
            self.flag("ambiguous-value", f"'{value}' is read as a base-60 number by YAML 1.1 tools (1:30 becomes 90)",
                      f"Put it in quotes if it is a time or a ratio: '{value}'.", at, path)
        elif _OTHER_NUMBER.match(value):
            self.flag("ambiguous-value",
                      f"'{value}' is read differently by different YAML tools (octal, hex or digit groups)",
                      f"Write a plain decimal number, or put it in quotes if it is a code: '{value}'.", at, path)
        return value


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
