"""The `portal` command line.

Exit codes: 0 clean, 1 the data has errors, 2 usage error, 3 internal error (a bug:
bad input must never cause one).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="portal", description="Check and build a partner program portal.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser(
        "check",
        help="check every program data file and report every finding",
        description="Load every file in program_data/, validate it against its schema, and report every "
        "finding with its file, line and column. Exits 0 when there are no errors, 1 when there are.",
    )
    check.add_argument("--project", type=Path, default=Path("."), metavar="DIR",
                       help="the project folder, holding program_data/ and schemas/ (default: the current folder)")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="text for people (default), json for tools")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            return _check(args)
    except KeyboardInterrupt:
        print("portal: interrupted", file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - last line of defence: a bug, reported without a wall of text
        if os.environ.get("PORTAL_DEBUG"):
            raise
        kind, value, _ = sys.exc_info()
        print(f"portal: internal error ({kind.__name__}: {value}). This is a bug in portal, not in your "
              "data; please report it with the command you ran. Set PORTAL_DEBUG=1 for details.", file=sys.stderr)
        return EXIT_INTERNAL
    return EXIT_USAGE


def _check(args: argparse.Namespace) -> int:
    from .check import check_project
    from .project import NotAProject, Project
    from .report import render_json, render_text

    try:
        project = Project.open(args.project)
    except NotAProject as exc:
        print(f"portal: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    result = check_project(project)
    if args.format == "json":
        sys.stdout.write(render_json(result))
    else:
        sys.stdout.write(render_text(result, colour=sys.stdout.isatty() and not os.environ.get("NO_COLOR")))
    return EXIT_FINDINGS if result.errors else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
