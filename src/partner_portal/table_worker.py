"""The tables layer in a second process, when the machine has a second core.

great_expectations takes seconds to import and its suites take seconds to run over a
million rows. Neither needs the rules layer, so `portal check` starts a helper process
as it begins: the helper imports great_expectations while the main process reads and
validates the files, then runs the suites while the main process runs the rules. The
helper gets the suites, the typed tables and the vocabularies, and sends back the
findings, exactly those `run_table_checks` would return in-process (a test holds the
two ways to the same findings).

The helper is `python -m partner_portal.table_worker`, talking pickle over its standard
input and output: unlike multiprocessing's "spawn", it never re-runs the caller's
main script, and unlike "fork" it is safe after Arrow has started threads.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import resource
import subprocess
import sys
import threading
from pathlib import Path

from .csv_loader import Table
from .findings import Finding
from .table_checks import Suite, import_great_expectations, run_table_checks

_PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)


def worthwhile() -> bool:
    """Whether a helper would save time: there is a second core for it, and this process
    has not already paid for importing great_expectations (a long-lived process, such as
    a test run, that has it loaded runs the suites itself)."""
    if "great_expectations" in sys.modules:
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return cores > 1


class TableWorker:
    """One helper process, started (and importing great_expectations) on creation."""

    def __init__(self) -> None:
        env = dict(os.environ, GX_ANALYTICS_ENABLED=os.environ.get("GX_ANALYTICS_ENABLED", "false"))
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_PARENT, env.get("PYTHONPATH")) if p)
        self._process = subprocess.Popen([sys.executable, "-m", "partner_portal.table_worker"], env=env,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._arguments: tuple | None = None
        self._sender: threading.Thread | None = None
        self.peak_rss_mib = 0.0

    def submit(self, suites: list[Suite], tables: dict[str, Table], vocabularies: dict[str, set[str]],
               data_docs: Path | None) -> None:
        """Start the suites over the tables they name; `result` collects the findings."""
        used = {rel: tables[rel] for suite in suites for rel in suite.tables}
        self._arguments = (suites, used, vocabularies, data_docs)
        job = pickle.dumps(self._arguments, protocol=pickle.HIGHEST_PROTOCOL)
        # The helper reads once great_expectations is imported; write from a thread so a
        # full pipe never holds up this process.
        self._sender = threading.Thread(target=self._send, args=(job,), daemon=True)
        self._sender.start()

    def _send(self, job: bytes) -> None:
        try:
            assert self._process.stdin is not None
            self._process.stdin.write(job)
            self._process.stdin.close()
        except OSError:  # the helper has died; `result` finds out and runs the suites here
            pass

    def result(self) -> list[Finding]:
        """The findings of the submitted run. Should the helper fail (killed for memory,
        say), the suites run in this process instead: a check never passes for want of a
        process, and an error in the suites shows here as it would without a helper."""
        assert self._arguments is not None and self._process.stdout is not None
        try:
            findings, self.peak_rss_mib = pickle.load(self._process.stdout)
        except (EOFError, pickle.UnpicklingError, OSError):
            findings = None
        self._process.wait()
        if findings is None or self._process.returncode != 0:
            return run_table_checks(*self._arguments)
        return findings

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None and not stream.closed:
                with contextlib.suppress(OSError):
                    stream.close()


def main() -> None:
    """The helper: import great_expectations, then run the one job sent on stdin."""
    import_great_expectations()
    try:
        suites, tables, vocabularies, data_docs = pickle.load(sys.stdin.buffer)
    except EOFError:  # the check ended before the tables layer (or had no suites)
        return
    findings = run_table_checks(suites, tables, vocabularies, data_docs)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    pickle.dump((findings, peak), sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
