"""The `portal` command line.

Exit codes: 0 clean, 1 the data has errors (or the build failed), 2 usage error,
3 internal error (a bug: bad input must never cause one).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
FORMATS = ("text", "json", "github", "junit")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="portal", description="Check and build a partner program portal.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def project_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--project", type=Path, default=Path("."), metavar="DIR",
                         help="the project folder, holding program_data/ and schemas/ (default: the current folder)")
        sub.add_argument("--strict", action="store_true", help="treat warnings as errors")

    check = commands.add_parser(
        "check", help="check every program data file and report every finding",
        description="Run every check layer (syntax, schema, references, rules, tables) over program_data/ and "
        "report every finding with its file and line. Exits 0 when there are no errors, 1 when there are.")
    project_option(check)
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
    build.add_argument("--site-dir", type=Path, default=Path("site"), metavar="DIR",
                       help="where the site goes, relative to the project (default: site)")

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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
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
    from .project import NotAProject, Project

    try:
        project = Project.open(args.project)
    except NotAProject as exc:
        return _usage(str(exc))
    if args.command == "generate":
        from .generate import GenerateError, generate

        try:
            made = generate(project.root, args.scale, args.out.resolve(), args.seed)
        except GenerateError as exc:
            return _usage(str(exc))
        print(f"portal: wrote a scale-{made.scale} project to {made.folder}: {made.yaml_files} YAML files, "
              f"{made.csv_files} CSV files with {made.csv_rows:,} rows, about {made.pages:,} pages")
        return EXIT_OK
    if args.command in ("diff", "release"):
        from .release_cli import run_diff, run_release

        return (run_diff if args.command == "diff" else run_release)(project, args)
    data_docs = getattr(args, "data_docs", None)
    if data_docs is not None:
        data_docs = data_docs.resolve()
        for partner_facing in (project.root / "site", project.root / "content"):
            if data_docs.is_relative_to(partner_facing):
                return _usage(f"--data-docs {data_docs} is inside {partner_facing.name}/, which partners see; "
                              "write Data Docs somewhere else")
    # The table suites run in a helper process when there is a second core (see helper.py);
    # it starts here, before this process spends its first second importing pandas.
    from . import helper as helpers

    helper = helpers.Helper() if helpers.worthwhile(helpers.csv_bytes(project.root), early=True) else None

    from .build import BuildFailed, build_site
    from .check import Profile, check_project
    from .findings import Severity
    from .loading import fingerprint, program_of, write_handoff
    from .report import REPORTERS, render_text

    profile = Profile() if getattr(args, "profile", None) else None
    files = fingerprint(project.root) if args.command == "build" else ()  # before the check reads them
    result = check_project(project, data_docs=data_docs, profile=profile, helper=helper)
    if profile is not None:
        import json

        args.profile.write_text(json.dumps({"layers": profile.layers, "helper_peak_rss_mib": round(
            profile.helper_peak_rss_mib, 1)}, indent=2) + "\n", encoding="utf-8")
    if args.strict:
        result.findings = [dataclasses.replace(f, severity=Severity.ERROR) for f in result.findings]

    if args.command == "check":
        if args.format == "text":
            sys.stdout.write(render_text(result, colour=sys.stdout.isatty() and not os.environ.get("NO_COLOR")))
        else:
            sys.stdout.write(REPORTERS[args.format](result))
        return EXIT_FINDINGS if result.errors else EXIT_OK

    # build
    site_dir = (project.root / args.site_dir).resolve()
    protected = [project.root / name for name in ("program_data", "schemas", "checks", "content", "src", "tests",
                                                  ".git", ".venv")]
    if project.root.is_relative_to(site_dir) or any(site_dir.is_relative_to(p) for p in protected) or (
            site_dir / "mkdocs.yml").exists():
        return _usage(f"--site-dir {args.site_dir} would replace the project or one of its source folders; "
                      "name a folder of its own, such as site")
    if result.errors:
        sys.stdout.write(render_text(result, colour=sys.stdout.isatty()))
        print(f"portal: not building: the data has errors; {args.site_dir}/ was left as it was", file=sys.stderr)
        return EXIT_FINDINGS
    try:
        program = program_of(result)
        site = build_site(project.root, site_dir,
                          lambda path: write_handoff(path, project.root, files, program))
    except BuildFailed as exc:
        print(f"portal: {exc}", file=sys.stderr)
        return EXIT_FINDINGS
    print(f"portal: checked {len(result.files)} files and built the site into {project.display(site)}/")
    return EXIT_OK


def _usage(message: str) -> int:
    print(f"portal: error: {message}", file=sys.stderr)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
