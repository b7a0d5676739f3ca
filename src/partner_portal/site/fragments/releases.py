"""The portal's release pages: What's new, the changelog, and the Atom feed.

They are made from the release records in releases/ (see `partner_portal.releases`), so
the site shows the program's history without needing git. Every value from a record is
escaped like any other program data.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from ...core.units import long_date
from ...model.eligibility import requirements_of
from ...model.program import Item, Program
from ...releases.changes import AREAS
from ..escape import html_text, text
from ..markup import Links, grace_line, section
from .registry import fragment

FEED = "feed.xml"

# What's new groups changes by what they mean for a partner.
SECTIONS = (
    ("stricter", "What you need to do", "Requirements that are now higher. Check that you still meet your tier."),
    ("easier", "What got easier", "Requirements that are now lower or no longer apply."),
    ("gain", "New for partners", "Benefits, incentives, rates and plays that are new or pay more."),
    ("loss", "No longer offered", "Benefits, incentives, rates and plays that are withdrawn or pay less."),
    ("info", "Other updates", "Changes to descriptions, timings and other details."),
)
TOPIC = "Releases"
_LINKED = {"tier", "incentive", "journey", "play", "kpi", "specialization", "stage"}


def anchor(version: str) -> str:
    return "release-" + str(version).replace(".", "-")


def _subject_link(links: Links, change: Item) -> str:
    subject = change.get("subject", {})
    kind, item_id = subject.get("kind"), subject.get("id")
    if kind not in _LINKED:
        return ""
    try:
        return f" ({links.item(kind, item_id)})"
    except LookupError:  # the item is gone in this version: name it without a link
        return ""


def _bullets(links: Links, changes: Iterable[Item]) -> str:
    return "\n".join(f"- {text(c['summary'])}{_subject_link(links, c)}" for c in changes)


def _grace_lines(program: Program, links: Links, record: Item) -> list[str]:
    """The record's grace periods, worded as the tier page words them; a tier or requirement
    this version no longer has is named as the record names it."""
    lines = []
    for period in record.get("grace_periods", []):
        try:
            tier = program.get("tier", period["tier"])
        except LookupError:
            lines.append(f"- {text(period['tier'])}, {text(period['requirement'])}: until "
                         f"{text(long_date(period['until']))}.")
            continue
        requirement = next((r for r in requirements_of(program, tier)
                            if r.key == period["requirement"] and r.grace and r.grace.until == str(period["until"])),
                           None)
        line = (grace_line(program, tier, requirement) if requirement is not None else
                f"{text(period['requirement'])}: until {text(long_date(period['until']))}.")
        lines.append(f"- {links.item('tier', tier['id'])}, {line}")
    return lines


def _release_line(record: Item) -> str:
    parts = [f"In effect from **{text(long_date(record['effective_date']))}**",
             f"released {text(long_date(record['released']))}"]
    if record.get("previous"):
        parts.append(f"compared with version {text(record['previous'])}")
    return " · ".join(parts) + "."


@fragment("whats_new()", TOPIC)
def whats_new(program: Program, links: Links) -> str:
    """This version's release: when it takes effect, its notes, grace periods, and its
    changes under level-2 headings by what they mean for partners."""
    record = program.current_release or (program.releases[0] if program.releases else None)
    if record is None:
        return "No release of the program has been recorded yet."
    parts = [_release_line(record)]
    if record.get("notes"):
        parts.append(text(record["notes"]))
    grace = _grace_lines(program, links, record)
    if grace:
        parts.append('!!! info "Time to meet raised requirements"\n\n' + "\n".join("    " + g for g in grace))
    changes = record.get("changes", [])
    if not record.get("previous"):
        parts.append("This is the first recorded release of the program.")
    elif not changes:
        parts.append(f"Nothing in the program changed since version {text(record['previous'])}.")
    for impact, title, lead in SECTIONS:
        chosen = [c for c in changes if c["impact"] == impact]
        if chosen:
            parts += [f"## {title}", lead, _bullets(links, chosen)]
    return section(*parts).rstrip("\n")


@fragment("release_history()", TOPIC)
def release_history(program: Program, links: Links) -> str:
    """Every release, newest first, each under a level-2 heading (the target of links to a
    version): when it took effect, its notes, its changes by area and its grace periods."""
    parts = []
    if not program.releases:
        parts.append("No release of the program has been recorded yet.")
    for record in program.releases:
        parts += [f"## Version {text(record['version'])} {{ #{anchor(record['version'])} }}", _release_line(record)]
        if record.get("notes"):
            parts.append(text(record["notes"]))
        changes = record.get("changes", [])
        if not record.get("previous"):
            parts.append("The first recorded release.")
        elif not changes:
            parts.append("No changes to the program.")
        by_area: dict[str, list[Item]] = {}
        for change in changes:
            by_area.setdefault(change["area"], []).append(change)
        words = {"stricter": "Stricter", "easier": "Easier", "gain": "New or more", "loss": "Withdrawn or less",
                 "info": "Updated"}
        for area in AREAS:
            if area in by_area:
                parts.append(f"**{text(AREAS[area])}**\n\n" + "\n".join(
                    f"- *{text(words[c['impact']])}*: {text(c['summary'])}" for c in by_area[area]))
        grace = _grace_lines(program, links, record)
        if grace:
            parts.append("**Grace periods**\n\n" + "\n".join(grace))
    return section(*parts).rstrip("\n")


ATOM = "http://www.w3.org/2005/Atom"


def atom_feed(program: Program, site_url: str | None = None) -> str:
    """An Atom feed with one entry per release. Links are relative to the feed (which is
    at the site's root) unless the site's URL is configured."""
    ET.register_namespace("", ATOM)
    base = (site_url or "").rstrip("/") + "/" if site_url else ""
    info = program.info
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"{info['name']}: program changes"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"urn:partner-portal:{info['id']}:changes"
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=f"{base}{FEED}")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=f"{base}changelog/")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = info["vendor"]["name"]
    releases = program.releases
    newest = releases[0]["released"] if releases else str(info["effective_date"])
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = f"{newest}T00:00:00Z"
    for record in releases:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = (
            f"Version {record['version']}: in effect from {long_date(record['effective_date'])}")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:partner-portal:{info['id']}:release:{record['version']}"
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = f"{record['released']}T00:00:00Z"
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html",
                      href=f"{base}changelog/#{anchor(record['version'])}")
        changes = record.get("changes", [])
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = record.get("notes") or (
            f"{len(changes)} changes since version {record['previous']}." if record.get("previous")
            else "The first recorded release.")
        items = "".join(f"<li>{html_text(c['summary'])}</li>" for c in changes)
        content = ET.SubElement(entry, f"{{{ATOM}}}content", type="html")
        content.text = (f"<p>{html_text(record['notes'])}</p>" if record.get("notes") else "") + (
            f"<ul>{items}</ul>" if items else "")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"

