"""`portal build`: check the data, build the site next to the old one, and swap it in
only when everything succeeded. A failed or interrupted build leaves `site/` as it was
and removes its own temporary folder."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from .checked_program import HANDOFF_ENV
from .engines import ENGINES


class BuildFailed(Exception):
    """The site could not be built; the message says why."""


def build_site(root: Path, site_dir: Path, handoff: Callable[[Path], None] | None = None,
               finish: Callable[[Path], None] | None = None, engine: str = "mkdocs") -> Path:
    """Run `mkdocs build --strict` (or `engine`'s) into a temporary folder beside `site_dir`, then put it in
    place of `site_dir`. Returns the site folder; raises BuildFailed and leaves
    `site_dir` untouched when the build fails. `handoff`, given a path, writes the checked
    program there for the site to use instead of loading it again; `finish`, given the built
    site, adds what MkDocs does not make (the program guide's PDF) before the swap."""
    site_dir = site_dir if site_dir.is_absolute() else root / site_dir
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    # A build killed outright (SIGKILL, power loss) cannot clean up after itself; the next
    # one removes what it left. site/ itself is never touched until the swap.
    for stale in site_dir.parent.glob(f".{site_dir.name}-[no][el][wd]-*"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
    handed: Path | None = None
    previous_handler = signal.signal(signal.SIGTERM, _terminate)
    try:
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
        if handoff is not None:  # beside the staging folder, which MkDocs empties first
            handed = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
            handoff(handed / "program.pickle")
            env[HANDOFF_ENV] = str(handed / "program.pickle")
        if engine not in ENGINES:
            raise BuildFailed(f"there is no site generator called {engine!r}; choose {' or '.join(ENGINES)}")
        done = subprocess.run([sys.executable, "-m", engine, "build", "--strict", "--config-file", "mkdocs.yml",
                               "--site-dir", str(staging)], cwd=root, env=env, stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            raise BuildFailed(f"{engine} build failed (exit {done.returncode}); {site_dir.name}/ was left as it was")
        if finish is not None:
            finish(staging)
        previous = None
        if site_dir.exists():
            previous = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-old-", dir=site_dir.parent))
            os.rename(site_dir, previous / site_dir.name)
        os.rename(staging, site_dir)
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)
        return site_dir
    finally:
        signal.signal(signal.SIGTERM, previous_handler)
        for folder in (staging, handed):
            if folder is not None and folder.exists():
                shutil.rmtree(folder, ignore_errors=True)


def _terminate(signum: int, frame: object) -> None:
    # Turn SIGTERM into an exception so the `finally` above removes the half-built site.
    raise KeyboardInterrupt
