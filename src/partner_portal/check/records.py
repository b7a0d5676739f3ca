"""Release records (releases/VERSION.json, written by `portal release`): read, checked
against their schema, and matched with their file names."""

from __future__ import annotations

from collections.abc import Mapping

from ..core.findings import Finding, Location
from ..core.project import RELEASES_DIR, Project
from ..load.yaml_file import YamlDocument, read_yaml
from .schema import SchemaStore

RECORD_SCHEMA = "release.schema.json"


def check_records(project: Project, store: SchemaStore, texts: Mapping[str, str] | None = None
                  ) -> tuple[dict[str, YamlDocument], list[Finding]]:
    """The valid release records by version, and a finding for every other file in releases/.
    `texts` (by path from program_data/, `../releases/VERSION.json`) replace files' contents."""
    records: dict[str, YamlDocument] = {}
    findings: list[Finding] = []
    folder = project.root / RELEASES_DIR
    if not folder.is_dir():
        return records, findings
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        display = project.display(path)
        if path.suffix != ".json":
            findings.append(Finding("unexpected-file", "release records are JSON files named VERSION.json; this file "
                                    "is ignored", Location(display), hint="Move it out of releases/."))
            continue
        # JSON is YAML; the loader keeps positions.
        loaded = read_yaml(path, display, (texts or {}).get(f"../{RELEASES_DIR}/{path.name}"))
        findings += loaded.findings
        if loaded.document is None or RECORD_SCHEMA not in store.schemas:
            continue
        problems = store.validate(loaded.document, RECORD_SCHEMA)
        findings += problems
        if problems or loaded.findings:
            continue
        data = loaded.document.data
        if path.stem != data["version"] or data["tag"] != f"v{data['version']}":
            findings.append(Finding(
                "release-record", f"this record is for version {data['version']} (tag {data['tag']}), but the file "
                f"is named {path.name}", loaded.document.location(("version",)), path=("version",),
                hint=f"Name it releases/{data['version']}.json with the tag v{data['version']}, or write it again "
                "with `portal release --force`."))
            continue
        records[data["version"]] = loaded.document
    return records, findings
