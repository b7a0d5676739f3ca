"""`portal build`: check the data, build the site next to the old one, and swap it in
only when everything succeeded. A failed or interrupted build leaves `site/` as it was
and removes its own temporary folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


class BuildFailed(Exception):
    """The site could not be built; the message says why."""


def build_site(root: Path, site_dir: Path) -> Path:
    """Run `mkdocs build --strict` into a temporary folder beside `site_dir`, then put it in
    place of `site_dir`. Returns the site folder; raises BuildFailed and leaves
    `site_dir` untouched when the build fails."""
    site_dir = site_dir if site_dir.is_absolute() else root / site_dir
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
    try:
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(staging)],
                              cwd=root, env=env, stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            raise BuildFailed(f"mkdocs build failed (exit {done.returncode}); {site_dir.name}/ was left as it was")
        previous = None
        if site_dir.exists():
            previous = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-old-", dir=site_dir.parent))
            os.rename(site_dir, previous / site_dir.name)
        os.rename(staging, site_dir)
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)
        return site_dir
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
