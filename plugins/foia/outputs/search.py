"""Full-text search: Pagefind, one bundle per year of decisions (``pagefind/<year>/``).

Only decision pages are indexed (their Part 1 article carries data-pagefind-body), and
Pagefind reads nothing but the HTML files in the site folder. The search page loads the
newest year's bundle and merges the others in the browser (Pagefind's multisite search),
so one search still downloads only the index chunks of the words searched.

One bundle per year because Pagefind has no incremental mode: a year can be indexed as
soon as its pages are written, while the build writes the next year; a year whose pages
are byte for byte those of an earlier build reuses that build's bundle (keyed by the
pages' bytes and Pagefind's version, so it is exactly what Pagefind would write again);
and Pagefind's memory grows with one year, not with the whole archive.

Each bundle is written outside the site and moved in only after the build's leak scan of
the pages has passed; then the bundles are scanned too. Nothing is published unless both
scans pass.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

BUNDLE_DIR = "pagefind"
DECISIONS_DIR = "decisions"
# Decision pages only: /decisions/<year>/<slug>/index.html
YEAR_GLOB = "*/index.html"
# Pagefind's ready-made interfaces: our own small search page replaces them.
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)
TIMEOUT_SECONDS = 900
OPTIONS = ("--force-language", "en", "--quiet")


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


def decision_year(dest_uri: str) -> str | None:
    """The year bundle a built file belongs to: decisions/<year>/<slug>/index.html."""
    parts = dest_uri.split("/")
    if len(parts) == 4 and parts[0] == DECISIONS_DIR and len(parts[1]) == 4 and parts[1].isdigit() \
            and parts[3] == "index.html":
        return parts[1]
    return None


def year_pages(site: Path, year: str) -> list[Path]:
    return sorted((site / DECISIONS_DIR / year).glob(YEAR_GLOB))


class _Shard:
    def __init__(self, year: str):
        self.year = year
        self.proc: subprocess.Popen[bytes] | None = None
        self.key: str | None = None
        self.done = False


class YearIndex:
    """The search bundles of one build: start() a year once its pages are written,
    finish() to index what is left, wait, and move every bundle into the site."""

    def __init__(self, site_dir: str | Path, years: Iterable[str], *, cache_dir: str | Path | None = None,
                 running: int = 1):
        self.site = Path(site_dir)
        self.exe = pagefind_executable()
        self.version = _version(self.exe)
        self.shards = {y: _Shard(y) for y in sorted(set(years), reverse=True)}
        self.queue: list[str] = []
        self.running = running  # Pagefind processes at once: one while MkDocs still writes pages
        self.cache = Path(cache_dir) / "pagefind" if cache_dir else None
        self.reused = 0
        self.work = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=self.site.parent))

    def start(self, year: str) -> None:
        """Every page of this year is in the site: index it when a Pagefind slot is free."""
        if year in self.shards and year not in self.queue and self.shards[year].proc is None \
                and not self.shards[year].done:
            self.queue.append(year)
        self.poll()

    def poll(self) -> None:
        """Reap finished Pagefind runs and start queued ones; never waits."""
        for shard in self.shards.values():
            if shard.proc is not None and shard.proc.poll() is not None:
                self._reap(shard)
        while self.queue and sum(s.proc is not None for s in self.shards.values()) < self.running:
            self._launch(self.shards[self.queue.pop(0)])

    def finish(self, *, running: int | None = None) -> list[Path]:
        """Index every year not yet indexed, wait, and move the bundles into the site;
        returns the files of every bundle."""
        self.running = running or max(1, os.cpu_count() or 1)
        for year, shard in self.shards.items():
            if shard.proc is None and not shard.done and year not in self.queue:
                self.queue.append(year)
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while True:
            self.poll()
            if all(s.done for s in self.shards.values()):
                break
            if time.monotonic() > deadline:
                raise SearchIndexError(f"Pagefind did not finish within {TIMEOUT_SECONDS} s")
            time.sleep(0.02)
        bundle = self.site / BUNDLE_DIR
        if bundle.exists():
            raise SearchIndexError(f"{bundle} already exists in the site; the search bundles go there")
        bundle.mkdir()
        for year in self.shards:
            os.rename(self.work / year, bundle / year)
        self._prune_cache()
        shutil.rmtree(self.work, ignore_errors=True)
        return sorted(p for p in bundle.rglob("*") if p.is_file())

    def cancel(self) -> None:
        for shard in self.shards.values():
            if shard.proc is not None:
                with contextlib.suppress(OSError):
                    shard.proc.kill()
                shard.proc.wait()
                shard.proc = None
        shutil.rmtree(self.work, ignore_errors=True)

    # ----------------------------------------------------------------- one year

    def _launch(self, shard: _Shard) -> None:
        pages = year_pages(self.site, shard.year)
        if not pages:
            raise SearchIndexError(f"no decision pages in {DECISIONS_DIR}/{shard.year}/ to index")
        shard.key = self._key(pages)
        cached = self.cache / shard.key if self.cache else None
        if cached is not None and (cached / "pagefind.js").is_file():
            with contextlib.suppress(OSError):
                shutil.copytree(cached, self.work / shard.year)
                os.utime(cached)
                shard.done = True
                self.reused += 1
                return
            shutil.rmtree(self.work / shard.year, ignore_errors=True)
        cmd = [str(self.exe), "--site", str(self.site), "--output-path", str(self.work / shard.year),
               "--glob", f"{DECISIONS_DIR}/{shard.year}/{YEAR_GLOB}", *OPTIONS]
        try:
            shard.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                          stderr=subprocess.STDOUT)
        except OSError as e:
            raise SearchIndexError(f"Pagefind did not run: {e}") from None

    def _reap(self, shard: _Shard) -> None:
        assert shard.proc is not None
        output = shard.proc.stdout.read() if shard.proc.stdout else b""
        code = shard.proc.wait()
        shard.proc = None
        if code != 0:
            detail = output.decode("utf-8", "replace").strip()[-2000:]
            raise SearchIndexError(f"Pagefind failed on {shard.year} (exit {code}): {detail}")
        built = self.work / shard.year
        if not (built / "pagefind.js").is_file():
            raise SearchIndexError(f"Pagefind wrote no search bundle for {shard.year}")
        for name in UNUSED_BUNDLE_FILES:
            (built / name).unlink(missing_ok=True)
        shard.done = True
        if self.cache is not None and shard.key:
            with contextlib.suppress(OSError):  # a cache that cannot be written is only slower
                tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=_mkdir(self.cache)))
                shutil.copytree(built, tmp / "b")
                os.replace(tmp / "b", self.cache / shard.key)
                shutil.rmtree(tmp, ignore_errors=True)

    def _key(self, pages: list[Path]) -> str:
        """The bytes Pagefind reads for a year (names and contents) and how it is run."""
        h = hashlib.sha256(f"{self.version}\0{' '.join(OPTIONS)}\0".encode())
        for p in pages:
            h.update(p.relative_to(self.site).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(p.read_bytes()).digest())
        return h.hexdigest()[:40]

    def _prune_cache(self) -> None:
        """Keep the bundles of this build, drop the rest."""
        if self.cache is None or not self.cache.is_dir():
            return
        keep = {s.key for s in self.shards.values()}
        for entry in self.cache.iterdir():
            if entry.name not in keep:
                shutil.rmtree(entry, ignore_errors=True)


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _version(exe: Path) -> str:
    try:
        out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError) as e:
        raise SearchIndexError(f"Pagefind did not run: {e}") from None
    return out.strip() + f" {exe.stat().st_size}"


def build_index(site_dir: str | Path, years: Iterable[str], *, cache_dir: str | Path | None = None) -> list[Path]:
    """Index every year of site_dir and wait; returns the files of the search bundles."""
    index = YearIndex(site_dir, years, cache_dir=cache_dir)
    try:
        return index.finish()
    except BaseException:
        index.cancel()
        raise
