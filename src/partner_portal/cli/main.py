"""The `portal` command line.

Exit codes: 0 clean, 1 the data has errors (or the build failed), 2 usage error,
3 internal error (a bug: bad input must never cause one).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..site.engines import ENGINES
from .exits import EXIT_INTERNAL, usage

FORMATS = ("text", "json", "github", "junit")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="portal", description="Check and build a partner program portal.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def project_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--project", type=Path, default=Path("."), metavar="DIR",
                         help="the project folder, holding program_data/ and schemas/ (default: the current folder)")
        sub.add_argument("--strict", action="store_true", help="treat warnings as errors")

    def cache_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--no-cache", action="store_true",
                         help="run the table suites (and draw the program guide) even when .portal-cache/ holds "
                         "what they made from these inputs")

    check = commands.add_parser(
        "check", help="check every program data file and report every finding",
        description="Run every check layer (syntax, schema, references, rules, tables) over program_data/ and "
        "report every finding with its file and line. Exits 0 when there are no errors, 1 when there are.")
    project_option(check)
    cache_option(check)
    check.add_argument("--format", choices=FORMATS, default="text",
                       help="text for people (default), json for tools, github for pull-request annotations, "
                       "junit for CI test reports")
    check.add_argument("--data-docs", type=Path, metavar="DIR",
                       help="also write great-expectations Data Docs to DIR (for CI artifacts; not inside the site)")
    check.add_argument("--profile", type=Path, metavar="FILE",
                       help="write the time and peak memory of each layer to FILE as JSON (for benchmarks)")

    build = commands.add_parser(
        "build", help="check the data, then build the site; the old site stays if anything fails",
        description="Run every check, then build the site with MkDocs into a temporary folder and put it in place "
        "of the site folder only if the build succeeds.")
    project_option(build)
    cache_option(build)
    build.add_argument("--site-dir", type=Path, default=Path("site"), metavar="DIR",
                       help="where the site goes, relative to the project (default: site)")
    build.add_argument("--engine", choices=ENGINES, default=os.environ.get("PORTAL_ENGINE") or "mkdocs",
                       help="the site generator: MkDocs, or ProperDocs, its maintained continuation, which builds the "
                       "same pages (default: mkdocs, or PORTAL_ENGINE)")

    diff = commands.add_parser(
        "diff", help="what changed in the program between two versions, as partners will read it",
        description="Compare the program data of two git refs (tags, branches, commits) change by change: "
        "requirements raised or lowered, benefits, rates, KPI targets, journey steps, plays. By default the latest "
        "release tag (vYEAR.N) is compared with the working tree. Warns about a raised requirement without a later "
        "effective date or a grace period, and names the listed partners a change would leave short of their tier.")
    diff.add_argument("base", nargs="?", metavar="BASE", help="the older version (default: the latest release tag)")
    diff.add_argument("head", nargs="?", metavar="HEAD", help="the newer version (default: the working tree)")
    project_option(diff)
    diff.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                      help="text (default), markdown for a pull-request comment or job summary, json for tools")

    release = commands.add_parser(
        "release", help="record this version's changes in releases/VERSION.json, before tagging it",
        description="Compare the working tree with the latest release tag and write the release record "
        "releases/VERSION.json, which the What's new page, the changelog and the feed are built from. Commit it, "
        "then tag the commit vVERSION.")
    project_option(release)
    release.add_argument("--date", metavar="YYYY-MM-DD", help="the release date (default: today)")
    release.add_argument("--force", action="store_true", help="replace an existing record for this version")

    generate = commands.add_parser(
        "generate", help="write a synthetic program project N times the size of the sample (for benchmarks)",
        description="Write a program project N times the size of this one: every stage, KPI, play, journey, "
        "incentive, region and tier repeated N times under its own ids, with production-sized tables (about "
        "10,500 CSV rows per unit). Valid by construction and reproducible: the same scale and seed give the same "
        "files.")
    generate.add_argument("--project", type=Path, default=Path("."), metavar="DIR",
                          help="the sample project to scale (default: the current folder)")
    generate.add_argument("--scale", type=int, required=True, metavar="N", help="how many times the sample")
    generate.add_argument("--out", type=Path, required=True, metavar="DIR", help="a new or empty folder")
    generate.add_argument("--seed", type=int, default=2027, help="random seed (default: 2027)")

    codes = commands.add_parser(
        "codes", help="list every finding code with its layer, severity and meaning",
        description="List every code a finding of `portal check`, `portal diff` or `portal release` can carry, with "
        "the layer that reports it, its severity and what it means.")
    codes.add_argument("--format", choices=("text", "markdown"), default="text",
                       help="text (default), or the Markdown table the README carries")

    macros = commands.add_parser(
        "macros", help="list every macro a page in content/ can call, with an example each",
        description="List the macros pages in content/ call for the parts that come from program data, by topic, "
        "with an example call each, and the facts fact() knows.")
    macros.add_argument("--format", choices=("text", "markdown"), default="text",
                        help="text (default), or the Markdown the README carries")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except BrokenPipeError:  # the reader stopped early (`portal macros | head`): nothing is wrong
        sys.stderr.close()
        return 0
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


def _run(args: argparse.Namespace) -> int:
    if args.command == "codes":
        from .codes import run_codes

        return run_codes(args)
    if args.command == "macros":
        from .macros import run_macros

        return run_macros(args)
    from ..core.project import NotAProject, Project

    try:
        project = Project.open(args.project)
    except NotAProject as exc:
        return usage(str(exc))
    if args.command == "generate":
        from .generate import run_generate

        return run_generate(project, args)
    if args.command in ("diff", "release"):
        from .releases import run_diff, run_release

        return (run_diff if args.command == "diff" else run_release)(project, args)
    from ..check.cache import TablesCache

    if project.has_tables() and (args.no_cache or not TablesCache.has_entries(project)):
        # The table suites run in the tables worker; it starts here, before this process
        # spends its first second importing pandas, and imports great_expectations meanwhile.
        # (With a cache to try, it starts only if the cache cannot answer.)
        from ..check import worker

        worker.start()
        # Every table will be read, so pandas will be needed: imported now, alongside the
        # worker's start, rather than after the YAML files are read (0.25 s at scale 100).
        import pandas  # noqa: F401
    from .check import run_check

    return run_check(project, args)


if __name__ == "__main__":
    sys.exit(main())
