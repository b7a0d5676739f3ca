"""`portal check` and `portal build`."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from pathlib import Path

from ..check.cache import TablesCache
from ..check.run import CheckResult, Profile, check_project
from ..core.findings import Severity
from ..core.project import Project
from ..report.findings import REPORTERS, render_text
from .exits import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, usage


def run_check(project: Project, args: argparse.Namespace) -> int:
    data_docs = getattr(args, "data_docs", None)
    if data_docs is not None:
        data_docs = data_docs.resolve()
        for partner_facing in (project.root / "site", project.root / "content"):
            if data_docs.is_relative_to(partner_facing):
                return usage(f"--data-docs {data_docs} is inside {partner_facing.name}/, which partners see; "
                             "write Data Docs somewhere else")
    if args.command == "build":
        site_dir = (project.root / args.site_dir).resolve()
        protected = [project.root / name for name in ("program_data", "schemas", "checks", "content", "src",
                                                      "tests", ".git", ".venv")]
        if project.root.is_relative_to(site_dir) or any(site_dir.is_relative_to(p) for p in protected) or (
                site_dir / "mkdocs.yml").exists():
            return usage(f"--site-dir {args.site_dir} would replace the project or one of its source folders; "
                         "name a folder of its own, such as site")

    profile = Profile() if getattr(args, "profile", None) else None
    files: tuple[object, ...] = ()
    if args.command == "build":  # (`portal check` imports nothing of the site)
        from ..site.checked_program import fingerprint

        files = fingerprint(project.root)  # before the check reads them
    cache = None if args.no_cache else TablesCache(project)
    result = check_project(project, data_docs=data_docs, profile=profile, cache=cache)
    if profile is not None:
        args.profile.write_text(json.dumps({"layers": profile.layers, "worker_peak_rss_mib": round(
            profile.worker_peak_rss_mib, 1)}, indent=2) + "\n", encoding="utf-8")
    if args.strict:
        result.findings = [dataclasses.replace(f, severity=Severity.ERROR) for f in result.findings]

    if args.command == "check":
        if args.format == "text":
            sys.stdout.write(render_text(result, colour=sys.stdout.isatty() and not os.environ.get("NO_COLOR")))
        else:
            sys.stdout.write(REPORTERS[args.format](result))
        return _exit(result)

    if result.errors:
        sys.stdout.write(render_text(result, colour=sys.stdout.isatty()))
        print(f"portal: not building: the data has errors; {args.site_dir}/ was left as it was", file=sys.stderr)
        return _exit(result)
    from concurrent.futures import Future, ThreadPoolExecutor

    from ..site.build import BuildFailed, build_site
    from ..site.checked_program import write_handoff
    from ..site.guide import guide_pdf, write_guide  # only a build draws the guide

    try:
        program = result.program()
        # The guide's PDF is drawn here (or read back from the cache) while MkDocs builds the
        # site in its own process: once the program is handed over, because drawing fills the
        # program's caches, which handing it over (pickling) reads.
        with ThreadPoolExecutor(max_workers=1) as drawing:
            guide: list[Future[bytes]] = []

            def hand_over(path: Path) -> None:
                write_handoff(path, project.root, files, program)
                guide.append(drawing.submit(guide_pdf, program, project.root / "content",
                                            None if args.no_cache else project.cache_dir))

            site = build_site(project.root, site_dir, hand_over, lambda built: write_guide(guide[0].result(), built),
                              engine=args.engine)
    except BuildFailed as exc:
        print(f"portal: {exc}", file=sys.stderr)
        return EXIT_FINDINGS
    print(f"portal: checked {len(result.files)} files and built the site into {project.display(site)}/")
    return EXIT_OK


def _exit(result: CheckResult) -> int:
    if result.internal_errors:
        return EXIT_INTERNAL
    return EXIT_FINDINGS if result.errors else EXIT_OK
