"""The bad-input corpus: each kind of mistake program teams make, as a change any data
file can suffer. `tests/test_damage.py` applies every kind to every data file of the
sample in turn, so no file is trusted to be the one that happens to work.

Each damage takes the file's bytes and returns the damaged bytes, or None to delete it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Damage = Callable[[bytes], bytes | None]


def _text(damage: Callable[[str], str]) -> Damage:
    return lambda data: damage(data.decode("utf-8")).encode("utf-8")


def _first_top_level_key(text: str) -> str:
    match = re.search(r"^([A-Za-z_][\w-]*):", text, re.MULTILINE)
    assert match, "a YAML data file starts its data with a top-level key"
    return match.group(1)


def _tab_indent(text: str) -> str:
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if re.match(r"^ {2,}\S", line):
            lines[i] = "\t" + line.lstrip(" ")
            return "\n".join(lines)
    raise AssertionError("no indented line to damage")


def _insert_after_comments(data: bytes, inserted: bytes) -> bytes:
    lines = data.split(b"\n")
    at = next(i for i, line in enumerate(lines) if line and not line.startswith(b"#"))
    return b"\n".join(lines[:at] + [inserted] + lines[at:])


YAML_DAMAGE: dict[str, Damage] = {
    "empty": lambda data: b"",
    "deleted": lambda data: None,
    "tab": _text(_tab_indent),
    "unknown-field": _text(lambda t: t.rstrip("\n") + "\nsurprise_field: 1\n"),
    "duplicate-key": _text(lambda t: t.rstrip("\n") + f"\n{_first_top_level_key(t)}: null\n"),
    "anchor-and-alias": _text(lambda t: t.rstrip("\n") + "\nx_anchor: &a [1, 2]\nx_alias: *a\n"),
    "unsafe-tag": _text(lambda t: t.rstrip("\n") + "\nx_tag: !!python/object/apply:os.system ['true']\n"),
    "yes-no": _text(lambda t: t.rstrip("\n") + "\nx_flag: no\n"),
    "unclosed-bracket": _text(lambda t: t.rstrip("\n") + "\nx_list: [1, 2\n"),
    "list-not-mapping": lambda data: b"- just\n- a list\n",
    "nul-byte": lambda data: _insert_after_comments(data, b"x: \x00"),
    "latin-1": lambda data: _insert_after_comments(data, "# caf\xe9".encode("latin-1")),
}


def _csv_lines(data: bytes) -> list[bytes]:
    return data.rstrip(b"\n").split(b"\n")


def _join(lines: list[bytes]) -> bytes:
    return b"\n".join(lines) + b"\n"


def _rename_last_column(data: bytes) -> bytes:
    lines = _csv_lines(data)
    lines[0] = lines[0].rsplit(b",", 1)[0] + b",surprise_column"
    return _join(lines)


def _repeat_first_column(data: bytes) -> bytes:
    lines = _csv_lines(data)
    lines[0] += b"," + lines[0].split(b",")[0]
    return _join([lines[0]] + [line + b",x" for line in lines[1:]])


def _row_of(cell: bytes) -> Damage:
    def damage(data: bytes) -> bytes:
        lines = _csv_lines(data)
        return _join(lines + [b",".join([cell] * len(lines[0].split(b",")))])
    return damage


CSV_DAMAGE: dict[str, Damage] = {
    "empty": lambda data: b"",
    "deleted": lambda data: None,
    "semicolons": lambda data: data.replace(b",", b";"),
    "no-header": lambda data: _join(_csv_lines(data)[1:]),
    "ragged-row": lambda data: _join([*_csv_lines(data)[:2], _csv_lines(data)[2] + b",extra",
                                      *_csv_lines(data)[3:]]),
    "duplicate-column": _repeat_first_column,
    "unknown-column": _rename_last_column,
    "unclosed-quote": lambda data: _join(_csv_lines(data) + [b'"unclosed,' + b"x" * 3]),
    "text-everywhere": _row_of(b"??"),
    "nul-byte": lambda data: _join(_csv_lines(data) + [b"\x00"]),
    "latin-1": lambda data: _join(_csv_lines(data) + ["caf\xe9".encode("latin-1")]),
}


def damage_for(rel: str) -> dict[str, Damage]:
    """The corpus that applies to a data file (relative to program_data/)."""
    return CSV_DAMAGE if rel.endswith(".csv") else YAML_DAMAGE
