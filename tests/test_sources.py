"""Reading data files: encodings, binary content and size limits are findings."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from partner_portal.core.findings import Finding
from partner_portal.core.project import MiB
from partner_portal.load.text import SourceText, read_text


def read(tmp_path: Path, data: bytes, limit: int = MiB) -> SourceText | Finding:
    path = tmp_path / "f.yaml"
    path.write_bytes(data)
    return read_text(path, "f.yaml", limit)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_utf16_and_utf32_are_refused_with_the_encoding_named(tmp_path, encoding):
    result = read(tmp_path, "name: Lumora\n".encode(encoding))
    assert isinstance(result, Finding)
    assert result.code == "wrong-encoding"
    assert encoding.upper() in result.message


def test_latin1_bytes_are_located(tmp_path):
    result = read(tmp_path, "a: 1\nname: Soci\u00e9t\u00e9\n".encode("latin-1"))
    assert isinstance(result, Finding)
    assert (result.code, result.location.line, result.location.column) == ("wrong-encoding", 2, 11)
    assert "0xE9" in result.message


def test_binary_content_is_refused(tmp_path):
    result = read(tmp_path, b"PK\x03\x04\x00\x00binary")
    assert isinstance(result, Finding) and result.code == "binary-file"


def test_utf8_bom_is_accepted_and_removed(tmp_path):
    result = read(tmp_path, codecs.BOM_UTF8 + b"a: 1\n")
    assert isinstance(result, SourceText)
    assert result.text == "a: 1\n"


def test_files_over_the_size_limit_are_refused_before_reading(tmp_path):
    result = read(tmp_path, b"a: 1\n" * 1000, limit=1000)
    assert isinstance(result, Finding) and result.code == "file-too-large"


def test_missing_file_is_a_finding(tmp_path):
    result = read_text(tmp_path / "absent.yaml", "absent.yaml", MiB)
    assert isinstance(result, Finding) and result.code == "unreadable-file"
