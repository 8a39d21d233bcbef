"""Build into a staging folder beside site/ and swap it in only after the proof passes,
so a failed build leaves the previous site whole and no stale page can survive."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path


def make_staging(target: str | Path) -> Path:
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    for leftover in target.parent.glob(f".{target.name}-old-*"):
        remove_later(leftover)
    # Same parent folder, so the final swap is a rename on one file system.
    return Path(tempfile.mkdtemp(prefix=f".{target.name}-building-", dir=target.parent))


def promote(staging: str | Path, target: str | Path) -> None:
    staging, target = Path(staging), Path(target).resolve()
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
        os.rmdir(old)
        os.rename(target, old)
    try:
        os.rename(staging, target)
    except OSError:
        if old is not None:
            os.rename(old, target)
        raise
    os.chmod(target, 0o755)  # mkdtemp makes 0700 folders; a web server must read the site
    if old is not None:
        remove_later(old)


def remove_later(folder: Path) -> None:
    """Delete a replaced site in a detached process: the new site is already live, and
    deleting thousands of files would only make the build wait. A folder left behind
    by a crash is removed by the next build's make_staging."""
    try:  # the shell returns at once, leaving rm to the init process (no zombie, no wait)
        subprocess.run(["sh", "-c", 'rm -rf -- "$1" </dev/null >/dev/null 2>&1 &', "sh", str(folder)],
                       check=True, timeout=30, start_new_session=True)
    except (OSError, subprocess.SubprocessError):
        shutil.rmtree(folder, ignore_errors=True)


def discard(staging: str | Path | None) -> None:
    if staging:
        shutil.rmtree(staging, ignore_errors=True)
