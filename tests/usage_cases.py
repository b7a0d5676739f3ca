"""Generated usage reports for the usage report check: rows that can be right and rows
that cannot (every kind of problem), reproducible from a seed. The Python check and the
browser tool are put to the same cases."""

from __future__ import annotations

import csv
import io
import random

HEADER = ["report_month", "customer_id", "customer", "licence_type", "licensed_users", "assigned_users",
          "active_users", "delta", "renewal_risk", "contract_start", "contract_end", "tenant", "data_center",
          "downtime_hours", "incidents_sev1", "incidents_sev2", "incidents_sev3"]
LICENCES = ["Workspace Reviews", "Workspace Goals", "Workspace Learning", "Workspace Compensation"]
# Damage to one row: what a mistaken export or a hand edit does. The first group breaks
# a value's type (the table schema's findings); the rest are consistency problems.
TYPE_DAMAGE = ["count-text", "negative-count", "bad-date", "bad-month", "risk-word", "empty-customer", "decimal"]
CONSISTENCY_DAMAGE = ["no-licences", "no-active", "over-licensed", "over-assigned", "delta", "dates", "risk",
                      "feb-30"]


def _risk(licensed: int, active: int) -> str:
    share = 100 * active / licensed
    return "high" if share < 40 else "medium" if share < 60 else "low"


def good_row(rng: random.Random, n: int, customer: int) -> dict[str, str]:
    licensed = rng.choice([10, 25, 85, 400, 3000])
    assigned = rng.randint(max(1, licensed // 2), licensed + rng.choice([0, 0, 5]))
    active = rng.randint(0, min(assigned, licensed))
    end_year = rng.choice([2027, 2027, 2028, 2029])
    return {"report_month": "2027-01", "customer_id": f"C-{customer:04d}", "customer": f"Customer {customer}",
            "licence_type": LICENCES[n % len(LICENCES)], "licensed_users": str(licensed),
            "assigned_users": str(assigned), "active_users": str(active), "delta": str(licensed - active),
            "renewal_risk": rng.choice([_risk(licensed, active), ""]),
            "contract_start": "2025-04-01", "contract_end": f"{end_year}-0{rng.randint(1, 5)}-28",
            "tenant": f"tenant{customer}", "data_center": "na-east",
            "downtime_hours": rng.choice(["0", "0", "1.5"]), "incidents_sev1": rng.choice(["0", "0", "1"]),
            "incidents_sev2": "0", "incidents_sev3": str(rng.randint(0, 3))}


def damage(row: dict[str, str], kind: str) -> None:
    if kind == "count-text":
        row["assigned_users"] = "many"
    elif kind == "negative-count":
        row["incidents_sev2"] = "-1"
    elif kind == "bad-date":
        row["contract_start"] = "2025-13-01"
    elif kind == "bad-month":
        row["report_month"] = "2027-1"
    elif kind == "risk-word":
        row["renewal_risk"] = "High"
    elif kind == "empty-customer":
        row["customer_id"] = ""
    elif kind == "decimal":
        row["delta"] = "12.5"
    elif kind == "no-licences":
        row["licensed_users"] = ""
    elif kind == "no-active":
        row["active_users"] = ""
    elif kind == "over-licensed":
        row["active_users"] = str(int(row["licensed_users"]) + 3)
        row["assigned_users"] = str(int(row["licensed_users"]) + 5)
        row["delta"] = "-3"
    elif kind == "over-assigned":
        row["assigned_users"] = str(max(0, int(row["active_users"]) - 1))
        if row["active_users"] == "0":
            row["active_users"], row["delta"] = "1", str(int(row["licensed_users"]) - 1)
    elif kind == "delta":
        row["delta"] = row["licensed_users"]
        if row["active_users"] == "0":
            row["delta"] = str(int(row["licensed_users"]) + 1)
    elif kind == "dates":
        row["contract_start"], row["contract_end"] = "2028-01-01", "2027-06-30"
    elif kind == "risk":
        right = _risk(int(row["licensed_users"]), int(row["active_users"]))
        row["renewal_risk"] = "low" if right != "low" else "high"
    elif kind == "feb-30":
        row["contract_end"] = "2027-02-30"


def case(seed: int, rows: int = 30, typed: bool = False) -> list[dict[str, str]]:
    """A report of `rows` rows over about rows/3 customers, a quarter of them damaged;
    `typed`: some damage breaks a value's type too (never beside a Feb 30, which only the
    usage check, not the table schema, can tell from a date)."""
    rng = random.Random(seed)
    kinds = CONSISTENCY_DAMAGE[:-1] + (TYPE_DAMAGE if typed else ["feb-30"])
    made = []
    for n in range(rows):
        row = good_row(rng, n, 1000 + n // 3)
        if rng.random() < 0.25:
            damage(row, rng.choice(kinds))
        made.append(row)
    return made


def as_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


TYPE_CODES = {"missing-value", "not-a-count", "not-a-number", "not-a-date", "not-a-month", "unknown-risk"}
