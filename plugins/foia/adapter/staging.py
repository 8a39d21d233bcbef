"""The folders a build works in, and the swap that publishes.

- The docs stage: a folder holding only what the plan makes public on the build date. The
  generator reads it instead of content/, so no plugin, theme or extension of the
  generator can ever read a withheld byte.
- The site stage: the build writes beside site/ and the finished folder replaces site/
  only after the proof passes, so a failed build leaves the previous site whole and no
  stale page can survive.

A build killed part-way leaves its folders behind; each is named after the process that
made it, and the next build removes those whose process is gone.

Plain file operations: no generator here."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

SITE_STAGE = "building"  # .<site>-building-<pid>-<random>
DOCS_STAGE = ".foia-docs-"  # .foia-docs-<pid>-<random>, beside the site folder


def _mkdtemp(prefix: str, parent: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=parent))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(parent: Path, prefix: str) -> None:
    """Remove folders prefix<pid>-* whose process no longer runs (a killed build's)."""
    for leftover in parent.glob(f"{prefix}*"):
        pid = leftover.name[len(prefix):].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)) and leftover.is_dir():
            remove_later(leftover)


def stage_docs(files: Mapping[str, bytes], near: str | Path) -> Path:
    """Write the public files (path -> bytes) into a new folder beside ``near`` (the site
    folder's parent); returns it. Paths are the plan's, relative and checked here again."""
    parent = Path(near).resolve()
    parent.mkdir(parents=True, exist_ok=True)
    remove_stale(parent, DOCS_STAGE)
    stage = _mkdtemp(DOCS_STAGE, parent)
    made: set[Path] = set()
    for rel, data in files.items():
        target = stage / rel
        if ".." in Path(rel).parts or Path(rel).is_absolute():
            raise ValueError(f"refusing to stage {rel!r}: not a path inside the content folder")
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(data)
    return stage


def make_staging(target: str | Path) -> Path:
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    for leftover in target.parent.glob(f".{target.name}-old-*"):
        remove_later(leftover)
    remove_stale(target.parent, f".{target.name}-{SITE_STAGE}-")
    # Same parent folder, so the final swap is a rename on one file system.
    return _mkdtemp(f".{target.name}-{SITE_STAGE}-", target.parent)


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
    """Delete a folder in a detached process: the new site is already live, and deleting
    thousands of files would only make the build wait. A folder left behind by a crash is
    removed by the next build."""
    try:  # the shell returns at once, leaving rm to the init process (no zombie, no wait)
        subprocess.run(["sh", "-c", 'rm -rf -- "$1" </dev/null >/dev/null 2>&1 &', "sh", str(folder)],
                       check=True, timeout=30, start_new_session=True)
    except (OSError, subprocess.SubprocessError):
        shutil.rmtree(folder, ignore_errors=True)


def discard(staging: str | Path | None) -> None:
    if staging:
        with contextlib.suppress(OSError):
            shutil.rmtree(staging, ignore_errors=True)


class BuildFolders:
    """The two stages of one build: the generator reads the docs stage (the public files
    only) and writes the site stage; ``publish`` swaps the site stage in for site/, and
    ``close`` puts the configuration back and removes whatever is left. ``config`` is the
    generator's configuration (``docs_dir`` and ``site_dir`` are read and set)."""

    def __init__(self, config, public_files: Mapping[str, bytes], *, stage_site: bool):
        self.config = config
        self.docs_dir, self.site_dir = config.docs_dir, config.site_dir
        self.site_stage: Path | None = None
        self.docs_stage = stage_docs(public_files, Path(self.site_dir).resolve().parent)
        config.docs_dir = str(self.docs_stage)
        if stage_site:
            self.site_stage = make_staging(self.site_dir)
            config.site_dir = str(self.site_stage)

    def publish(self) -> None:
        if self.site_stage is not None:
            promote(self.site_stage, self.site_dir)
            self.site_stage = None

    def close(self) -> None:
        discard(self.site_stage)
        self.site_stage = None
        discard(self.docs_stage)
        # `mkdocs serve` watches config.docs_dir after the first build: content/, not the stage.
        self.config.docs_dir, self.config.site_dir = self.docs_dir, self.site_dir
