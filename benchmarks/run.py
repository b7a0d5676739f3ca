"""Benchmark: `portal check` and the site build against their floors, at several scales.

    .venv/bin/python benchmarks/run.py                 # scales 1, 10 and 100 (about 15 minutes)
    .venv/bin/python benchmarks/run.py --scales 1 10   # a quicker run
    .venv/bin/python benchmarks/run.py --serve         # also the live-preview reload time

For each scale it generates a project (`portal generate`), then measures, each in a fresh
process, the wall time and peak memory (RSS) of the following; each is run three times
(`--runs`), alternating with its floor, and the median is reported, because a shared
machine's speed drifts by 20% or more (the scale-100 site build, minutes long, runs once):

- floor (a): importing great_expectations, pandas, jsonschema and yaml, and reading every
  data file (CSV with pandas' C parser, YAML with PyYAML's C loader where available);
- `portal check --no-cache` (cold), with the time and peak memory of each layer (`portal check
  --profile`);
  the table suites run in the tables worker, so peak memory is the sum of both processes'
  peaks;
- the same check with the suites run in the one process after the other layers (what the
  tables worker saves: the figure behind `check/worker.py`);
- floor (c): starting Python and importing PyYAML and jsonschema; and `portal check` with its
  cache after an edit to one YAML file (the daily loop: the pre-commit hook, a program team
  checking as it edits);
- floor (b): a plain `mkdocs build` of the same pages pre-rendered to Markdown, with the same
  theme, navigation and downloads, without macros, hooks or program data;
- `mkdocs build` of the project, as `portal build` runs it: with the program that the
  check has just loaded handed over (`PORTAL_CHECKED_PROGRAM`), so it is not loaded twice;
- the program guide's PDF, drawn, and then read back from the cache as the next build of an
  unchanged guide does (load_program included in both).

It prints a table with the goals' ratios and writes everything to benchmarks/results/
(JSON), with the machine's speed before and after: the seconds a pure-Python loop of 20
million additions takes (1.7 s on a quick day of the 2-core machine CI uses, up to 4 s on a
slow one), so that figures from different days can be compared. Nothing here is a pass/fail
test: the figures are for people to read.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# As `make` runs them: compiled bytecode kept in .venv/pycache, out of the tree.
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "NO_MKDOCS_2_WARNING": "1",
       "GX_ANALYTICS_ENABLED": "false", "PYTHONPYCACHEPREFIX": str(ROOT / ".venv" / "pycache")}

FLOOR_A = r"""
import sys, pathlib
import great_expectations, pandas, jsonschema, yaml
loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
root = pathlib.Path(sys.argv[1]) / "program_data"
rows = 0
for path in sorted(root.rglob("*")):
    if path.suffix == ".csv":
        rows += len(pandas.read_csv(path, dtype=str, keep_default_na=False))
    elif path.suffix == ".yaml":
        yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
print(rows)
"""


ONE_PROCESS = r"""
import sys, pathlib
from partner_portal.check import suites
from partner_portal.check.references import defined_ids
from partner_portal.check.run import check_project
from partner_portal.core.project import Project
project = Project.open(pathlib.Path(sys.argv[1]))
result = check_project(project, tables=False)
csv = {f.rel for f in result.files if f.kind == "csv"}
loaded, _ = suites.load_suites(project, result.schema_store, set(result.tables), csv)
suites.run_table_checks(loaded, result.tables, defined_ids(result.documents))
"""


def child(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> dict[str, float]:
    """`command` run under a small wrapper that reports its own peak RSS."""
    wrapper = [sys.executable, "-c", (
        "import os, resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
        "seconds = time.perf_counter() - start\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "sys.stderr.write(done.stderr.decode()[-3000:]) if done.returncode else None\n"
        "print(f'{seconds} {peak} {done.returncode}')\n"), *command]
    done = subprocess.run(wrapper, cwd=cwd, env=env or ENV, capture_output=True, text=True)
    seconds, peak, code = done.stdout.split()
    if int(code) != 0:
        raise SystemExit(f"{' '.join(command)} failed ({code}):\n{done.stderr}")
    return {"seconds": round(float(seconds), 3), "peak_rss_mib": round(float(peak), 1)}


GUIDE = """
import sys, pathlib
from partner_portal.site.checked_program import load_program
from partner_portal.site.guide import guide_pdf, write_guide
project, cache = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
write_guide(guide_pdf(load_program(project), project / "content", cache), project / "site")
"""


def prerender(project: Path, program: object, target: Path) -> int:
    """Write the project's site as plain Markdown (every macro already rendered, every
    generated page and download written out) with an mkdocs.yml without macros or hooks.
    Returns the number of pages."""
    from partner_portal.site import guide, pages, plan
    from partner_portal.site.fragments import releases as release_pages

    docs = target / "docs"
    shutil.copytree(project / "content", docs, ignore=shutil.ignore_patterns("templates"))
    sources = dict(pages.sources(program, project / "content"))
    (docs / guide.GUIDE_PAGE).write_text(guide.guide_page(program, project / "content"), encoding="utf-8")
    for here, text in sources.items():
        path = docs / here
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(pages.render(program, project / "content", here, text), encoding="utf-8")
    for rel, content in (plan.downloads(program) | plan.data_files(program)).items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(content, encoding="utf-8")
    (docs / release_pages.FEED).write_text(release_pages.atom_feed(program), encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"\nhooks:\n(  - .*\n)+", "\n", config)
    config = re.sub(r"  - macros:\n(      .*\n)+", "", config)
    config = config.replace("docs_dir: content", "docs_dir: docs")
    config = re.sub(r"\nwatch:\n(  - .*\n)+", "\n", config)
    generated = plan.generated_pages(program)
    written = re.search(r"\nnav:\n(  .*\n|\n)+", config)
    nav = yaml.safe_load(written[0]) if written else {"nav": None}
    config = config.replace(written[0], "\n") if written else config
    config += "\nnav: " + json.dumps(plan.navigation(nav["nav"], list(sources), generated)) + "\n"
    config = config.replace("site_name: Partner Portal", f"site_name: {json.dumps(str(program.info['name']))}")
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    return len(sources) + 1  # and the guide page


def median(measured: list[dict]) -> dict:
    """The run with the median time, with every run's time alongside."""
    chosen = dict(sorted(measured, key=lambda m: m["seconds"])[len(measured) // 2])
    chosen["runs"] = [m["seconds"] for m in measured]
    return chosen


def bench_scale(scale: int, work: Path, site: bool = True, runs: int = 3) -> dict[str, object]:
    project = work / f"scale-{scale}"
    started = time.perf_counter()
    made = subprocess.run([str(BIN / "portal"), "generate", "--project", str(ROOT), "--scale", str(scale), "--out",
                           str(project)], env=ENV, capture_output=True, text=True, check=True)
    print(f"  {made.stdout.strip()} ({time.perf_counter() - started:.1f} s)", flush=True)
    result: dict[str, object] = {"scale": scale}
    rows = sum(max(0, sum(1 for _ in p.open(encoding="utf-8")) - 1) for p in project.rglob("program_data/**/*.csv"))
    result["csv_rows"] = rows
    profile = work / f"profile-{scale}.json"
    floors, checks = [], []
    for _ in range(runs):  # alternated, so that a slower spell of the machine affects both alike
        floors.append(child([sys.executable, "-c", FLOOR_A, str(project)]))
        checks.append(child([str(BIN / "portal"), "check", "--no-cache", "--project", str(project), "--profile",
                             str(profile)]))
        profiled = json.loads(profile.read_text())
        # The table suites run in the tables worker: memory is the two processes' peaks together.
        main_peak = max(layer["peak_rss_mib"] for layer in profiled["layers"])
        worker_peak = profiled.get("worker_peak_rss_mib", 0.0)
        checks[-1].update(layers=profiled["layers"], worker_peak_rss_mib=worker_peak,
                          peak_rss_mib=round(max(checks[-1]["peak_rss_mib"], main_peak + worker_peak), 1))
    result["floor_a"], result["check"] = median(floors), median(checks)
    result["floor_c"], result["warm"] = warm_check(project, runs)
    print(f"  floor (c) {result['floor_c']}", flush=True)
    print(f"  warm check after a one-file YAML edit {result['warm']}", flush=True)
    result["one_process"] = median([child([sys.executable, "-c", ONE_PROCESS, str(project)]) for _ in range(runs)])
    print(f"  floor (a) {result['floor_a']}", flush=True)
    print(f"  check     {({k: v for k, v in result['check'].items() if k != 'layers'})}", flush=True)
    print(f"  one process (no tables worker) {result['one_process']}", flush=True)
    if not site:
        result["pages"] = 21 * scale + 17
        return result
    if str(ROOT / "src") not in sys.path:  # imported only for the site legs: pandas is slow to load
        sys.path.insert(0, str(ROOT / "src"))
    from partner_portal.site.checked_program import HANDOFF_ENV, fingerprint, load_program, write_handoff

    files = fingerprint(project)
    program = load_program(project)
    plain = work / f"plain-{scale}"
    result["pages"] = prerender(project, program, plain)
    # The build as `portal build` runs it: with the program its check has just loaded handed over.
    handoff = work / f"program-{scale}.pickle"
    write_handoff(handoff, project, files, program)
    plain_floors, builds = [], []
    for _ in range(runs if scale <= 10 else 1):  # a scale-100 build takes minutes
        plain_floors.append(child([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir",
                                   str(plain / "site")], cwd=plain))
        builds.append(child([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir",
                             str(project / "site")], cwd=project, env=dict(ENV, **{HANDOFF_ENV: str(handoff)})))
    handoff.unlink()
    result["floor_b"], result["build"] = median(plain_floors), median(builds)
    print(f"  floor (b) {result['floor_b']} ({result['pages']} pages)", flush=True)
    print(f"  build     {result['build']}", flush=True)
    built = sum(1 for _ in (project / "site").rglob("index.html"))
    result["pages_built"] = built
    # The program guide's PDF, which `portal build` draws while MkDocs builds (not part of
    # floor (b)); then the same guide read back from the cache, as the next build of an
    # unchanged guide does.
    guides = work / f"guides-{scale}"
    result["guide"] = child([sys.executable, "-c", GUIDE, str(project), str(guides)])
    result["guide_kept"] = child([sys.executable, "-c", GUIDE, str(project), str(guides)])
    shutil.rmtree(guides, ignore_errors=True)
    print(f"  guide PDF {result['guide']}, read back from the cache {result['guide_kept']}", flush=True)
    shutil.rmtree(project / "site", ignore_errors=True)
    shutil.rmtree(plain, ignore_errors=True)
    return result


def warm_check(project: Path, runs: int) -> tuple[dict, dict]:
    """`portal check` with its cache (.portal-cache/) after an edit to one YAML file (the first
    tier's summary), against floor (c): starting Python and importing PyYAML and jsonschema."""
    subprocess.run([str(BIN / "portal"), "check", "--project", str(project)], env=ENV, capture_output=True)
    tiers = project / "program_data" / "tiers.yaml"
    floors, warm = [], []
    for n in range(max(runs, 5)):
        floors.append(child([sys.executable, "-c", "import yaml, jsonschema"]))
        text = tiers.read_text(encoding="utf-8")
        tiers.write_text(re.sub(r"(?m)^(    summary: ).*$", rf"\g<1>A tier's summary, edited ({n})", text, count=1),
                         encoding="utf-8")
        assert f"edited ({n})" in tiers.read_text(encoding="utf-8")
        warm.append(child([str(BIN / "portal"), "check", "--project", str(project)]))
    return median(floors), median(warm)


def bench_serve(work: Path) -> dict[str, float]:
    """Seconds from saving a change to one YAML file until the preview serves it (the
    median of 5 edits)."""
    project = work / "serve"
    for name in ("program_data", "schemas", "content", "checks", "releases"):
        shutil.copytree(ROOT / name, project / name)
    for name in ("mkdocs.yml", "macros.py"):
        shutil.copy2(ROOT / name, project / name)
    (project / "src").symlink_to(ROOT / "src")
    port = 8791
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dev-addr",
                               f"127.0.0.1:{port}"], cwd=project, env=ENV, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/glossary/"
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if "Net-new customers" in urllib.request.urlopen(url, timeout=2).read().decode():
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("mkdocs serve did not start")
        times = []
        for n in range(5):
            kpis = project / "program_data/kpis.yaml"
            new = f"Net-new clients {n}"
            text = kpis.read_text(encoding="utf-8")
            kpis.write_text(re.sub(r"name: Net-new (customers|clients \d)", f"name: {new}", text, count=1),
                            encoding="utf-8")
            edited = time.perf_counter()
            while time.perf_counter() - edited < 60:
                try:
                    if new in urllib.request.urlopen(url, timeout=2).read().decode():
                        break
                except OSError:
                    pass
                time.sleep(0.05)
            times.append(round(time.perf_counter() - edited, 2))
            time.sleep(1)
        return {"seconds": sorted(times)[len(times) // 2], "runs": times}
    finally:
        server.terminate()
        server.wait(timeout=30)


def ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b else float("nan")


def report(results: list[dict], serve: dict | None) -> dict[str, object]:
    by_scale = {r["scale"]: r for r in results}
    lines = [f"{'scale':>5} {'CSV rows':>10} {'pages':>6} | {'floor a':>8} {'check':>8} {'ratio':>6} "
             f"{'peak MiB':>9} | {'floor b':>8} {'build':>8} {'ratio':>6} {'s/page':>7}"]
    for r in results:
        site = (f"{r['floor_b']['seconds']:>8.2f} {r['build']['seconds']:>8.2f} "
                f"{ratio(r['build']['seconds'], r['floor_b']['seconds']):>6.2f} "
                f"{r['build']['seconds'] / r['pages']:>7.3f}") if "build" in r else "(not measured)"
        lines.append(
            f"{r['scale']:>5} {r['csv_rows']:>10,} {r['pages']:>6} | {r['floor_a']['seconds']:>8.2f} "
            f"{r['check']['seconds']:>8.2f} {ratio(r['check']['seconds'], r['floor_a']['seconds']):>6.2f} "
            f"{r['check']['peak_rss_mib']:>9.0f} | {site}")
    lines.append("")
    lines.append("per layer (seconds / peak MiB):")
    for r in results:
        layers = ", ".join(f"{x['layer']} {x['seconds']:.2f}/{x['peak_rss_mib']:.0f}" for x in r["check"]["layers"])
        lines.append(f"  scale {r['scale']}: {layers}")
    lines.append("")
    lines.append("the tables worker: check with it / with the suites in one process (s):")
    lines += [f"  scale {r['scale']}: {r['check']['seconds']:.2f} / {r['one_process']['seconds']:.2f}" for r in results]
    goals: dict[str, object] = {}
    goals["check / floor (a), at most 1.5"] = {s: ratio(r["check"]["seconds"], r["floor_a"]["seconds"])
                                              for s, r in by_scale.items()}
    goals["warm check after a one-file YAML edit (s), at most 1.0"] = {s: r["warm"]["seconds"]
                                                                     for s, r in by_scale.items()}
    goals["warm check / floor (c), at most 2"] = {s: ratio(r["warm"]["seconds"], r["floor_c"]["seconds"])
                                                 for s, r in by_scale.items()}
    built = {s: r for s, r in by_scale.items() if "build" in r}
    if built:
        goals["build / floor (b), at most 1.3"] = {s: ratio(r["build"]["seconds"], r["floor_b"]["seconds"])
                                                  for s, r in built.items()}
    if 10 in by_scale and 100 in by_scale:
        goals["check growth 10 -> 100, at most 12"] = ratio(by_scale[100]["check"]["seconds"],
                                                            by_scale[10]["check"]["seconds"])
    if 10 in built and 100 in built:
        per_page = {s: by_scale[s]["build"]["seconds"] / by_scale[s]["pages"] for s in (10, 100)}
        goals[f"build s/page at {by_scale[100]['pages']} / at {by_scale[10]['pages']} pages, at most 1.5"] = ratio(
            per_page[100], per_page[10])
    if 100 in by_scale:
        goals["peak memory of check at scale 100 (MiB), at most 2048"] = by_scale[100]["check"]["peak_rss_mib"]
    if serve:
        goals["make serve: edit to one YAML file visible (s, median of 5), under 1"] = serve["seconds"]
    lines.append("")
    lines.append("goals:")
    lines += [f"  {name}: {value}" for name, value in goals.items()]
    print("\n".join(lines))
    return goals


LOOP = "s = 0\nfor i in range(20_000_000):\n    s += i\n"


def loop_seconds() -> float:
    """The machine's speed now: a pure-Python loop of 20 million additions, in a fresh process."""
    return child([sys.executable, "-c", LOOP])["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--serve", action="store_true", help="also measure the live preview's reload time")
    parser.add_argument("--check-only", action="store_true", help="measure floor (a) and portal check only")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement; the median is reported "
                        "(the site build at scale 100 runs once)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "latest.json")
    args = parser.parse_args()
    results = []
    loop_before = loop_seconds()
    print(f"machine: a loop of 20 million additions takes {loop_before:.2f} s", flush=True)
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as folder:
        work = Path(folder)
        for scale in args.scales:
            print(f"scale {scale}:", flush=True)
            results.append(bench_scale(scale, work, site=not args.check_only, runs=args.runs))
            shutil.rmtree(work / f"scale-{scale}", ignore_errors=True)
        serve = bench_serve(work) if args.serve else None
    loop_after = loop_seconds()
    print(f"\nmachine: the loop took {loop_before:.2f} s before and {loop_after:.2f} s after")
    goals = report(results, serve)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
               "loop_seconds": {"before": loop_before, "after": loop_after}}
    args.out.write_text(json.dumps({"machine": machine, "results": results, "serve": serve, "goals": goals},
                                   indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
