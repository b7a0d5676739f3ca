"""Exit codes of `portal`, and how a usage error is said."""

from __future__ import annotations

import sys

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def usage(message: str) -> int:
    print(f"portal: error: {message}", file=sys.stderr)
    return EXIT_USAGE
