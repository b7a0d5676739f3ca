"""Benchmark: the usage report check in the browser, on a partner's large report.

    .venv/bin/python benchmarks/usage_tool.py                  # 50,000 rows, after `make build`
    .venv/bin/python benchmarks/usage_tool.py --rows 5000 50000 200000

Writes a generated usage report of each size (one row per customer and licence type, one
row in twenty with a problem), opens the usage report check of the built site (`site/`)
in headless Chromium, gives it the file, and measures, three times each (the median is
reported):

- the time from choosing the file until the result is shown (read, parse, check every row,
  summarise per customer, render the first page of customers and problems);
- how responsive the page stays meanwhile: the longest gap between two animation frames
  (a frame every 16 ms is perfectly smooth; a gap over 200 ms is felt as a stall), and
  the number of frames later than 100 ms.

It prints the figures and writes them to benchmarks/results/usage-tool.json. Nothing here
is a pass/fail test: the figures are for people to read.
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import os
import platform
import random
import shutil
import statistics
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
HEADER = ["report_month", "customer_id", "customer", "licence_type", "licensed_users", "assigned_users",
          "active_users", "delta", "renewal_risk", "contract_start", "contract_end", "tenant", "data_center",
          "downtime_hours", "incidents_sev1", "incidents_sev2", "incidents_sev3"]
LICENCES = ["Workspace Reviews", "Workspace Goals", "Workspace Performance", "Workspace Learning"]

# Watches the page while it works: the gaps between animation frames.
WATCH = """() => {
  window.__frames = [];
  let last = performance.now();
  function tick(now) { window.__frames.push(now - last); last = now; window.__raf = requestAnimationFrame(tick); }
  window.__raf = requestAnimationFrame(tick);
}"""


def report(rows: int, seed: int = 2027) -> str:
    rng = random.Random(seed)
    out = [HEADER]
    for n in range(rows):
        licensed = rng.choice([10, 25, 85, 400, 3000])
        active = rng.randint(0, licensed)
        row = ["2027-01", f"C-{n // 4:06d}", f"Customer {n // 4}", LICENCES[n % 4], licensed, licensed, active,
               licensed - active, "", "2025-04-01", f"202{rng.randint(7, 9)}-0{rng.randint(1, 9)}-28",
               f"tenant{n // 4}", "na-east", rng.choice([0, 0, 0, 1.5]), rng.choice([0, 0, 0, 1]), 0,
               rng.randint(0, 3)]
        if n % 20 == 7:  # a row that cannot be right
            row[rng.choice([4, 7])] = rng.choice(["", str(licensed + 5)])
        out.append(row)
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(out)
        return handle.name


def measure(browser: object, url: str, path: str) -> dict[str, float]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector("[data-portal-tool='usage-report'][data-ready='true']")
    page.evaluate(WATCH)
    page.evaluate("() => { window.__start = performance.now(); }")
    page.set_input_files("#usage-file", path)
    page.wait_for_selector("[data-portal-tool='usage-report'][data-checked='true']", timeout=600_000)
    seconds = page.evaluate("() => (performance.now() - window.__start) / 1000")
    page.wait_for_timeout(200)
    frames = page.evaluate("() => { cancelAnimationFrame(window.__raf); return window.__frames; }")
    status = page.locator("[data-status]").inner_text()
    page.close()
    return {"seconds": round(seconds, 3), "longest_frame_ms": round(max(frames), 1),
            "late_frames": sum(1 for f in frames if f > 100), "frames": len(frames), "status": status}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[50_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="the built site (make build)")
    args = parser.parse_args()
    if not (args.site / "tools/usage-report/index.html").is_file():
        raise SystemExit(f"no built site at {args.site}: run `make build` first")
    chromium = os.environ.get("PORTAL_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("Debian's chromium is needed: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *rest: object) -> None:  # noqa: A002 - the base class's name
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(args.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/tools/usage-report/"
    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
        for rows in args.rows:
            path = report(rows)
            size = Path(path).stat().st_size / 1024 / 1024
            runs = [measure(browser, url, path) for _ in range(args.runs)]
            os.unlink(path)
            pick = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
            results.append({"rows": rows, "mib": round(size, 1), **pick,
                            "runs": [r["seconds"] for r in runs],
                            "longest_frame_runs": [r["longest_frame_ms"] for r in runs]})
            times = ", ".join(f"{r['seconds']:.2f}" for r in runs)
            print(f"{rows:>8,} rows ({size:.1f} MiB): result in {pick['seconds']:.2f} s (runs {times}); "
                  f"longest frame {pick['longest_frame_ms']:.0f} ms, "
                  f"{pick['late_frames']} of {pick['frames']} frames later than 100 ms "
                  f"(median over runs {statistics.median(r['longest_frame_ms'] for r in runs):.0f} ms)")
        browser.close()
    server.shutdown()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "usage-tool.json").write_text(json.dumps(
        {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()}, "results": results},
        indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
