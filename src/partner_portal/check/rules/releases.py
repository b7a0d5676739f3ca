"""Rules about releases: versions and effective dates only move forward, and the record of
a released version agrees with program.yaml.

Release records live in releases/ beside program_data/, so the rules name them by their
path from program_data/: `../releases/VERSION.json`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from ...core import codes
from ...core.findings import Finding
from ...model.program import version_order
from .base import RuleContext, rule

RECORDS = "../releases/*.json"


def _records(ctx: RuleContext) -> list[tuple[str, dict]]:
    """The release records, (file, record), oldest version first."""
    found = [(rel, ctx.data(rel)) for rel in ctx.documents if rel.startswith("../releases/")]
    return sorted(found, key=lambda item: version_order(item[1]["version"]))


def next_version(version: str) -> str:
    """The version after `version` within its year: 2027.1 -> 2027.2."""
    year, number = version_order(version)
    return f"{year}.{number + 1}"


def _day_after(day: str) -> str:
    try:
        return (date.fromisoformat(day) + timedelta(days=1)).isoformat()
    except ValueError:
        return day


@rule(codes.RELEASE_ORDER, "program.yaml", RECORDS)
def release_order(ctx: RuleContext) -> Iterator[Finding]:
    records = _records(ctx)
    for (before_rel, before), (rel, record) in zip(records, records[1:], strict=False):
        if record.get("previous") != before["version"]:
            yield ctx.finding(rel, ("previous",), f"the record of version {record['version']} follows version "
                              f"{record.get('previous')}, but the release before it is {before['version']}",
                              f"Write \"{before['version']}\", or write the record again with `portal release "
                              "--force`.", ((before_rel, ("version",)),), fix=before["version"])
        if str(record["effective_date"]) <= str(before["effective_date"]):
            yield ctx.finding(rel, ("effective_date",), f"version {record['version']} takes effect on "
                              f"{record['effective_date']}, not after version {before['version']} "
                              f"({before['effective_date']})", f"Versions take effect in order: write a date after "
                              f"{before['effective_date']}, and the same date in program.yaml if this version is "
                              "current.", ((before_rel, ("effective_date",)),))
    if not records:
        return
    program = ctx.data("program.yaml")
    version, effective = str(program["version"]), str(program["effective_date"])
    newest_rel, newest = records[-1]
    if version_order(version) < version_order(newest["version"]):
        same_date = effective == str(newest["effective_date"])
        yield ctx.finding("program.yaml", ("version",), f"program.yaml is at version {version}, older than the "
                          f"released version {newest['version']}",
                          f"Write \"{newest['version']}\", the version in force." if same_date else
                          f"Write \"{next_version(newest['version'])}\" for the next release, with an effective date "
                          f"after {newest['effective_date']} (versions only move forward).",
                          ((newest_rel, ("version",)),), fix=newest["version"] if same_date else None)
    elif version != newest["version"] and version_order(version) > version_order(newest["version"]) and \
            effective <= str(newest["effective_date"]):
        yield ctx.finding("program.yaml", ("effective_date",), f"version {version} takes effect on {effective}, not "
                          f"after the released version {newest['version']} ({newest['effective_date']})",
                          f"Write a date after {newest['effective_date']}, such as "
                          f"{_day_after(str(newest['effective_date']))}.", ((newest_rel, ("effective_date",)),),
                          fix=_day_after(str(newest["effective_date"])))


@rule(codes.RELEASE_AGREES, "program.yaml", RECORDS, text=("release_notes",))
def release_agrees(ctx: RuleContext) -> Iterator[Finding]:
    program = ctx.data("program.yaml")
    version = str(program["version"])
    records = _records(ctx)
    if not records or records[-1][1]["version"] != version:
        return  # not released yet, or older than the newest release (release-order says so)
    rel, record = records[-1]
    if str(program["effective_date"]) != str(record["effective_date"]):
        yield ctx.finding("program.yaml", ("effective_date",), f"version {version} is released with the effective "
                          f"date {record['effective_date']}, but program.yaml now says {program['effective_date']}",
                          f"Write {record['effective_date']}, or raise the version to "
                          f"\"{next_version(version)}\" to release the new date.", ((rel, ("effective_date",)),),
                          fix=str(record["effective_date"]))
    notes = " ".join(str(program.get("release_notes", "")).split())
    if notes != record.get("notes", ""):
        yield ctx.finding("program.yaml", ("release_notes",) if "release_notes" in program else ("version",),
                          f"version {version} is released with other release notes than program.yaml's",
                          f"Write back the released notes (releases/{version}.json, `notes`), or raise the version "
                          f"to \"{next_version(version)}\" to release new ones.", ((rel, ("notes",)),))


RULES = [release_order, release_agrees]
