"""Reading program data files as text, safely.

Every data file goes through `read_text`: it refuses files that are too large, not
UTF-8, binary, or that cannot be read, and says how to fix each, before any parser
sees a byte.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from ..core.findings import Finding, Location
from ..core.project import MiB

_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


@dataclass(frozen=True)
class SourceText:
    text: str


def read_text(path: Path, display: str, max_bytes: int) -> SourceText | Finding:
    """Return the file's text, or a finding saying why it cannot be read as UTF-8 text."""

    def fail(code: str, message: str, hint: str, line: int = 0, column: int = 0) -> Finding:
        return Finding(code, message, Location(display, line, column), hint=hint)

    try:
        size = path.stat().st_size
        if size > max_bytes:
            return fail(
                "file-too-large",
                f"the file is {size / MiB:.1f} MiB, over the limit of {max_bytes / MiB:.0f} MiB",
                "Split the data into smaller files, or check that the right file was committed.",
            )
        data = path.read_bytes()
    except OSError as exc:
        return fail(
            "unreadable-file",
            f"the file cannot be read: {exc.strerror or exc}",
            "Check that the file exists and that its permissions allow reading.",
        )

    for bom, name in _BOMS:
        if data.startswith(bom):
            return fail(
                "wrong-encoding",
                f"the file is encoded as {name}; program data must be UTF-8",
                "Re-save the file as UTF-8 (in most editors: 'Save with encoding' > UTF-8).",
                1,
                1,
            )
    if data.startswith(codecs.BOM_UTF8):  # Excel's "CSV UTF-8" writes one; it is not part of the data
        data = data[len(codecs.BOM_UTF8) :]

    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = _line_col(data, nul)
        return fail(
            "binary-file",
            "the file contains a NUL byte, so it is binary, not text",
            "Commit the text file itself (YAML or CSV), not a spreadsheet or an archive.",
            line,
            column,
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _line_col(data, exc.start)
        bad = data[exc.start : exc.start + 1].hex().upper()
        return fail(
            "wrong-encoding",
            f"byte 0x{bad} is not valid UTF-8; the file was probably saved as Latin-1 or Windows-1252",
            "Re-save the file as UTF-8 (in a spreadsheet: 'CSV UTF-8'), then check accented letters.",
            line,
            column,
        )
    return SourceText(text=text)


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, column
