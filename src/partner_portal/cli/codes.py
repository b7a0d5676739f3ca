"""`portal codes`: every finding code, from the registry."""

from __future__ import annotations

import argparse
import sys

from ..core.codes import CODES, LAYER_ORDER, markdown_table
from .exits import EXIT_OK


def run_codes(args: argparse.Namespace) -> int:
    if args.format == "markdown":
        sys.stdout.write(markdown_table())
        return EXIT_OK
    for layer in LAYER_ORDER:
        print(f"{layer.value}:")
        for entry in CODES.values():
            if entry.layer is layer:
                severity = " (warning)" if entry.severity.value == "warning" else ""
                print(f"  {entry.code}{severity}: {entry.title} {entry.explanation}")
    return EXIT_OK
