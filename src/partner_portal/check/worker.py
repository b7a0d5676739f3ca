"""The tables worker: the process that runs the table suites (great-expectations).

great_expectations takes seconds to import and its suites seconds to run over a large
table; the other layers need neither. So the suites always run in a worker process,
beside the main process: `portal` starts it as it begins (it imports great_expectations
while the files are read), and it runs the suites while the main process validates the
YAML files, resolves references and runs the rules. A long-lived process (the test
suite) keeps one worker for all its checks. Measured on 2 cores (`benchmarks/run.py`), a
check takes 3.5 s with the worker and 3.8 s in one process on a scale-1 project, 3.6 s
and 4.5 s at scale 10, 7.6 s and 12.5 s at scale 100.

The worker is `python -m partner_portal.check.worker`, talking pickle over its standard
input and output: unlike multiprocessing's "spawn" it never re-runs the caller's main
script, and unlike "fork" it is safe after Arrow has started threads. If it dies, the
check reports an internal error for the tables layer rather than a result it did not get.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import resource
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.lazy import lazy

pickle = lazy("pickle")
subprocess = lazy("subprocess")  # both once the worker starts: a check with every answer kept starts none

if TYPE_CHECKING:  # this module is imported before pandas, so that the worker starts first
    from ..core.findings import Finding
    from ..load.csv_file import Table
    from .suites import Suite

_PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent.parent)


class WorkerFailed(Exception):
    """The worker is gone, or sent something unreadable."""


class TablesWorker:
    """One worker process, started (and importing great_expectations) on creation."""

    def __init__(self) -> None:
        env = dict(os.environ, GX_ANALYTICS_ENABLED=os.environ.get("GX_ANALYTICS_ENABLED", "false"))
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_PARENT, env.get("PYTHONPATH")) if p)
        self._process = subprocess.Popen([sys.executable, "-m", "partner_portal.check.worker"], env=env,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._sender: threading.Thread | None = None
        self.pending = False
        self.peak_rss_mib = 0.0

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    def submit(self, parts: list[tuple[list[Suite], dict[str, set[str]]]], tables: Mapping[str, Table],
               data_docs: Path | None) -> None:
        """Start each part (suites, with the ids of the vocabularies they use) over the tables
        its suites name; `findings` collects the result, a list of findings per part."""
        pickled = []
        for suites, vocabularies in parts:
            used = {rel: tables[rel] for suite in suites for rel in suite.tables}
            pickled.append(pickle.dumps((suites, used, vocabularies), protocol=pickle.HIGHEST_PROTOCOL))
        job = pickle.dumps((pickled, data_docs), protocol=pickle.HIGHEST_PROTOCOL)
        job = len(job).to_bytes(8, "big") + job
        # The worker reads when it is ready; write from a thread so that a full pipe never
        # holds up this process.
        self._sender = threading.Thread(target=self._write, args=(job,), daemon=True)
        self._sender.start()
        self.pending = True

    def findings(self) -> list[list[Finding]]:
        """The findings of each part last submitted; WorkerFailed if the worker is gone."""
        assert self._process.stdout is not None
        try:
            findings, self.peak_rss_mib = pickle.load(self._process.stdout)
        except (EOFError, pickle.UnpicklingError, OSError, AttributeError, ImportError) as exc:
            self.close()
            raise WorkerFailed(f"the tables worker stopped ({type(exc).__name__})") from exc
        finally:
            self.pending = False
        return findings

    def _write(self, job: bytes) -> None:
        try:
            assert self._process.stdin is not None
            self._process.stdin.write(job)
            self._process.stdin.flush()
        except OSError:  # the worker has died; `findings` finds out
            pass

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        if self._sender is not None:
            self._sender.join()  # a write to the dead worker fails at once
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


_SHARED: list[TablesWorker] = []


def shared() -> TablesWorker:
    """This process's worker, started now if there is none (or it died, or a check left
    a result uncollected)."""
    if _SHARED and (not _SHARED[0].alive or _SHARED[0].pending):
        _SHARED.pop().close()
    if not _SHARED:
        _SHARED.append(TablesWorker())
    return _SHARED[0]


def start() -> None:
    """Start this process's worker now, so great_expectations imports meanwhile."""
    shared()


def _close_shared() -> None:
    while _SHARED:
        _SHARED.pop().close()


atexit.register(_close_shared)


# A long-lived worker (the test suite's, the live preview's) is often sent a suite with the
# very tables and ids it has just checked; it answers those from memory. Jobs that write
# Data Docs are always run.
_REMEMBERED = 64


def main() -> None:
    """The worker's side: import great_expectations, then answer each job until the
    input ends."""
    from .suites import import_great_expectations, run_table_checks

    import_great_expectations()
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    answers: dict[bytes, list[Finding]] = {}
    while True:
        size = source.read(8)
        if len(size) < 8:
            return
        parts, data_docs = pickle.loads(source.read(int.from_bytes(size, "big")))
        found = []
        for part in parts:
            key = hashlib.sha256(part).digest()
            findings = answers.get(key) if data_docs is None else None
            if findings is None:
                suites, tables, vocabularies = pickle.loads(part)
                findings = run_table_checks(suites, tables, vocabularies, data_docs)
                if data_docs is None:  # writing Data Docs is a side effect: never answered from memory
                    if len(answers) >= _REMEMBERED:
                        answers.pop(next(iter(answers)))
                    answers[key] = findings
            found.append(findings)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        pickle.dump((found, peak), sink, protocol=pickle.HIGHEST_PROTOCOL)
        sink.flush()


if __name__ == "__main__":
    main()
