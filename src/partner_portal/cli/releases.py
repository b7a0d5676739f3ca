"""`portal diff` and `portal release`: the command-line side of releases."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys

from ..core.findings import Severity
from ..core.project import Project
from ..releases.compare import ReleaseError, compare, latest_release, side_at
from ..releases.git import GitError
from ..releases.records import make_record, record_path, record_text
from ..report.changes import DIFF_REPORTERS
from ..report.findings import finding_text
from .exits import EXIT_FINDINGS, EXIT_OK, usage


def run_diff(project: Project, args: argparse.Namespace) -> int:
    try:
        base_ref = args.base
        if base_ref is None:
            tag = latest_release(project.root)
            if tag is None:
                return usage("there is no release tag (vYEAR.N) yet; name the version to compare with, for "
                              "example `portal diff main`")
            base_ref = tag.name
        with side_at(project.root, base_ref) as base, side_at(project.root, args.head) as head:
            comparison = compare(base, head)
    except GitError as exc:
        return usage(str(exc))
    except ReleaseError as exc:
        return _refused(exc)
    if args.strict:
        comparison.findings = [dataclasses.replace(f, severity=Severity.ERROR) for f in comparison.findings]
    sys.stdout.write(DIFF_REPORTERS[args.format](comparison))
    for side in (comparison.base, comparison.head):
        if side.rule_errors:
            print(f"portal: note: the program data at {side.label} breaks {side.rule_errors} consistency rule(s); "
                  "`portal check` lists them", file=sys.stderr)
    return EXIT_FINDINGS if comparison.errors else EXIT_OK


def run_release(project: Project, args: argparse.Namespace) -> int:
    released = args.date or dt.date.today().isoformat()
    try:
        dt.date.fromisoformat(released)
    except ValueError:
        return usage(f"--date {released} is not a date; write it YYYY-MM-DD")
    try:
        with side_at(project.root, None) as head:
            version = head.version
            if head.rule_errors:
                print(f"portal: not recording the release: the program data breaks {head.rule_errors} consistency "
                      "rule(s); run `portal check` and fix them first", file=sys.stderr)
                return EXIT_FINDINGS
            path = record_path(project.root, version)
            if path.exists() and not args.force:
                return usage(f"{project.display(path)} already exists; raise the version in "
                              "program_data/program.yaml for a new release, or pass --force to record it again")
            base_tag = latest_release(project.root, before=version)
            if base_tag is None:
                comparison = None
            else:
                with side_at(project.root, base_tag.name) as base:
                    comparison = compare(base, head)
            record = make_record(comparison, head, released=released, tag=f"v{version}")
    except GitError as exc:
        return usage(str(exc))
    except ReleaseError as exc:
        return _refused(exc)
    findings = comparison.findings if comparison else []
    if args.strict:
        findings = [dataclasses.replace(f, severity=Severity.ERROR) for f in findings]
    for finding in findings:
        print("\n".join(finding_text(finding)), file=sys.stderr)
    if any(f.severity is Severity.ERROR for f in findings):
        print("portal: not recording the release; fix the errors above first", file=sys.stderr)
        return EXIT_FINDINGS
    path.parent.mkdir(exist_ok=True)
    path.write_text(record_text(record), encoding="utf-8")
    since = f"since {comparison.base.version}" if comparison else "(the first release)"
    print(f"portal: recorded version {version} with {len(record['changes'])} changes {since} in "
          f"{project.display(path)}.\nNext: commit it, then tag the commit: git tag v{version}")
    return EXIT_OK


def _refused(exc: ReleaseError) -> int:
    """Say why a version cannot be compared or released, with the findings that stop it."""
    print(f"portal: {exc}" + (":" if exc.findings else ""), file=sys.stderr)
    for finding in exc.findings:
        print("\n".join(finding_text(finding)), file=sys.stderr)
    return EXIT_FINDINGS
