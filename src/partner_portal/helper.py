"""Work for a second core: a helper process for `portal check`'s tables layer.

great_expectations takes seconds to import, and its suites take seconds over a million
rows. Neither is needed by the other layers, so on a machine with a second core `portal
check` starts a helper as it begins. The helper imports great_expectations while the main
process reads the files, then runs the suites over the typed tables while the main
process validates the YAML files, resolves references and runs the rules.

The findings are exactly those of the same steps in one process; tests hold the two to
each other, and should the helper fail (killed for memory, say), the main process runs
the suites itself. The helper is `python -m partner_portal.helper`, talking pickle over its
standard input and output: unlike multiprocessing's "spawn" it never re-runs the caller's
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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # this module is imported before pandas, so that the helper starts first
    from .csv_loader import Table
    from .findings import Finding
    from .table_checks import Suite

_PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)


def csv_bytes(root: Path) -> int:
    """How much CSV the project's program data holds (file sizes only; nothing is read)."""
    total = 0
    for folder, _, names in os.walk(root / "program_data"):
        for name in names:
            if name.endswith(".csv"):
                with contextlib.suppress(OSError):
                    total += os.stat(os.path.join(folder, name)).st_size
    return total


# Started as `portal` begins, before its own imports, a helper saves time on any project
# with tables (measured on 2 cores: on the sample and at 10 times its size, a second or
# so). Started later, once the main process has imported pandas, it pays off only on a
# large project: below about this much CSV the main process finishes the other layers
# before the helper has imported what it needs (a 6 MB project checked faster in one
# process, an 18 MB one faster with a helper).
WORTHWHILE_LATE_CSV_BYTES = 8 * 1024 * 1024


def worthwhile(csv_bytes: int, *, early: bool) -> bool:
    """Whether a helper would save time: there are tables (enough of them, unless it
    starts `early`), a second core for it, and this process has not already paid for
    importing great_expectations (a long-lived process, such as a test run, that has it
    loaded does the work itself)."""
    if csv_bytes <= 0 or (not early and csv_bytes < WORTHWHILE_LATE_CSV_BYTES):
        return False
    if "great_expectations" in sys.modules:
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return cores > 1


class _Failed(Exception):
    """The helper is gone or sent something unreadable."""


class Helper:
    """One helper process, started (and importing great_expectations) on creation."""

    def __init__(self) -> None:
        env = dict(os.environ, GX_ANALYTICS_ENABLED=os.environ.get("GX_ANALYTICS_ENABLED", "false"))
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_PARENT, env.get("PYTHONPATH")) if p)
        self._process = subprocess.Popen([sys.executable, "-m", "partner_portal.helper"], env=env,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._sender: threading.Thread | None = None
        self._failed = False
        self._tables: tuple | None = None
        self.peak_rss_mib = 0.0

    # -- the suites ---------------------------------------------------------------------

    def submit_tables(self, suites: list[Suite], tables: dict[str, Table], vocabularies: dict[str, set[str]],
                      data_docs: Path | None) -> None:
        """Start the suites over the tables they name; `table_findings` collects them."""
        used = {rel: tables[rel] for suite in suites for rel in suite.tables}
        self._tables = (suites, used, vocabularies, data_docs)
        self._send(self._tables)

    def table_findings(self) -> list[Finding]:
        assert self._tables is not None
        try:
            findings, self.peak_rss_mib = self._receive()
        except _Failed:
            from .table_checks import run_table_checks

            return run_table_checks(*self._tables)
        return findings

    def discard(self) -> None:
        """Wait for the submitted run and drop its findings (it is to be run again)."""
        with contextlib.suppress(_Failed):
            self._receive()

    # -- the pipe ------------------------------------------------------------------------

    def _send(self, message: tuple) -> None:
        job = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        if self._sender is not None:
            self._sender.join()
        # The helper reads when it is ready; write from a thread so that a full pipe never
        # holds up this process.
        self._sender = threading.Thread(target=self._write, args=(job,), daemon=True)
        self._sender.start()

    def _write(self, job: bytes) -> None:
        try:
            assert self._process.stdin is not None
            self._process.stdin.write(job)
            self._process.stdin.flush()
        except OSError:  # the helper has died; the next `_receive` finds out
            pass

    def _receive(self) -> Any:
        if self._failed:
            raise _Failed
        assert self._process.stdout is not None
        try:
            return pickle.load(self._process.stdout)
        except (EOFError, pickle.UnpicklingError, OSError, AttributeError, ImportError) as exc:
            self._failed = True
            raise _Failed from exc

    def close(self) -> None:
        """End the helper: every answer is in, or is no longer wanted."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        if self._sender is not None:
            self._sender.join()  # a write to the dead helper fails at once
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


def main() -> None:
    """The helper's side: import great_expectations, then answer each message until the
    input ends."""
    from .table_checks import import_great_expectations, run_table_checks

    import_great_expectations()
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            message = pickle.load(source)
        except EOFError:
            return
        suites, tables, vocabularies, data_docs = message
        findings = run_table_checks(suites, tables, vocabularies, data_docs)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        pickle.dump((findings, peak), sink, protocol=pickle.HIGHEST_PROTOCOL)
        sink.flush()


if __name__ == "__main__":
    main()
