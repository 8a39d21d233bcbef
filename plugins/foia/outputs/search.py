"""Full-text search: Pagefind indexes the finished site.

Only decision pages are indexed (their Part 1 article carries data-pagefind-body), and
Pagefind reads nothing but the HTML files in the site folder. It runs while the leak
scan reads the same folder; its bundle is written outside the site and moved in only
when the scan has passed, then the bundle is scanned too. Nothing is published unless
both scans pass.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

BUNDLE_DIR = "pagefind"
# Decision pages only: /decisions/<year>/<slug>/index.html
DECISION_GLOB = "decisions/[0-9][0-9][0-9][0-9]/*/index.html"
# Pagefind's ready-made interfaces: our own small search page replaces them.
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)
TIMEOUT_SECONDS = 900


class SearchIndexError(Exception):
    pass


def pagefind_executable() -> Path:
    try:
        from pagefind.service import get_executable
    except ImportError:  # pragma: no cover - pagefind[bin] is a dependency
        raise SearchIndexError("the pagefind package is not installed (pip install 'pagefind[bin]')") from None
    exe = get_executable()
    if exe is None or not Path(exe).is_file():
        raise SearchIndexError("the Pagefind binary was not found (pip install 'pagefind[bin]')")
    return Path(exe)


class IndexRun:
    """One Pagefind run over a finished site folder. It writes its bundle into a folder
    beside the site, so the build can scan the site meanwhile (the two share the CPUs)
    and the bundle enters the site whole or not at all, to be scanned in its turn."""

    def __init__(self, site_dir: str | Path):
        self.site = Path(site_dir)
        self.work = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=self.site.parent))
        cmd = [str(pagefind_executable()), "--site", str(self.site), "--output-path", str(self.work / BUNDLE_DIR),
               "--glob", DECISION_GLOB, "--force-language", "en", "--quiet"]
        try:
            self.proc: subprocess.Popen[bytes] | None = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        except OSError as e:
            self.cancel()
            raise SearchIndexError(f"Pagefind did not run: {e}") from None

    def finish(self) -> list[Path]:
        """Wait for Pagefind, move its bundle into the site; returns the bundle's files."""
        assert self.proc is not None, "finish() after cancel()"
        try:
            output, _ = self.proc.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.cancel()
            raise SearchIndexError(f"Pagefind did not finish within {TIMEOUT_SECONDS} s") from None
        try:
            if self.proc.returncode != 0:
                detail = output.decode("utf-8", "replace").strip()[-2000:]
                raise SearchIndexError(f"Pagefind failed (exit {self.proc.returncode}): {detail}")
            built = self.work / BUNDLE_DIR
            if not (built / "pagefind.js").is_file():
                raise SearchIndexError(f"Pagefind wrote no search bundle in {built}")
            for name in UNUSED_BUNDLE_FILES:
                (built / name).unlink(missing_ok=True)
            bundle = self.site / BUNDLE_DIR
            if bundle.exists():
                raise SearchIndexError(f"{bundle} already exists in the site; Pagefind's bundle goes there")
            os.rename(built, bundle)
            return sorted(p for p in bundle.rglob("*") if p.is_file())
        finally:
            self.proc = None
            shutil.rmtree(self.work, ignore_errors=True)

    def cancel(self) -> None:
        if getattr(self, "proc", None) is not None:
            with contextlib.suppress(OSError):
                self.proc.kill()
            self.proc.wait()
            self.proc = None
        shutil.rmtree(self.work, ignore_errors=True)


def build_index(site_dir: str | Path) -> list[Path]:
    """Run Pagefind on site_dir and wait; returns the files of the search bundle."""
    return IndexRun(site_dir).finish()
