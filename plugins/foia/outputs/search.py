"""Full-text search: Pagefind indexes the finished, already scanned site.

Only decision pages are indexed (their Part 1 article carries data-pagefind-body), and
Pagefind reads nothing but the HTML files in the site folder, so it can only index what
the leak scan has already passed; its output is scanned again afterwards.
"""

from __future__ import annotations

import subprocess
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


def build_index(site_dir: str | Path) -> list[Path]:
    """Run Pagefind on site_dir; returns the files of the search bundle."""
    site = Path(site_dir)
    bundle = site / BUNDLE_DIR
    cmd = [str(pagefind_executable()), "--site", str(site), "--output-subdir", BUNDLE_DIR,
           "--glob", DECISION_GLOB, "--force-language", "en", "--quiet"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise SearchIndexError(f"Pagefind did not run: {e}") from None
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip()[-2000:]
        raise SearchIndexError(f"Pagefind failed (exit {proc.returncode}): {detail}")
    if not (bundle / "pagefind.js").is_file():
        raise SearchIndexError(f"Pagefind wrote no search bundle in {bundle}")
    for name in UNUSED_BUNDLE_FILES:
        (bundle / name).unlink(missing_ok=True)
    return sorted(p for p in bundle.rglob("*") if p.is_file())
