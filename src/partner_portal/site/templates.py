"""Files partners download to fill in or try out: the success plan as a plain-text outline,
and the sample usage report, made from the same program data as the pages."""

from __future__ import annotations

import csv
import io

import pandas as pd

from ..model.program import Program
from .tables import neutralise_formula

PLAN_TEMPLATE = "downloads/success-plan-template.txt"
USAGE_SAMPLE = "downloads/usage-report-sample.csv"


def success_plan_template(program: Program) -> str:
    """The success plan as an outline to fill in: a heading per section, a line per
    required item."""
    plan = program.success_plan
    lines = [plan["name"].upper(), "=" * len(plan["name"]), "",
             "Customer: ____________________    Written by: ____________________    Date: ____________", "",
             " ".join(plan["summary"].split()), "",
             f"Upload it to the partner portal within {plan['due_within_days']} days of the contract start.", ""]
    for n, section in enumerate(plan["sections"], start=1):
        heading = f"{n}. {section['name']}"
        lines += [heading, "-" * len(heading), section["purpose"], ""]
        lines += [f"[ ] {item}:\n    ____________________________________________________________\n"
                  for item in section["required"]]
    return "\n".join(lines).rstrip() + "\n"


def usage_sample(program: Program) -> str | None:
    """The sample usage report as CSV (cells that a spreadsheet would run as a formula are
    written as text), or None when the program has none."""
    rel = program.usage_report.get("sample")
    frame = program.tables.get(rel) if rel else None
    if frame is None:
        return None
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(frame.columns))
    for row in frame.astype(object).itertuples(index=False):
        writer.writerow([neutralise_formula(_cell(v)) for v in row])
    return out.getvalue()


def _cell(value: object) -> str:
    """A typed value as the report wrote it: 0, not 0.0; empty where there was none."""
    if pd.isna(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
