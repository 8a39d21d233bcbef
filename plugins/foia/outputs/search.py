"""Full-text search: Pagefind, one bundle per run of consecutive years of decisions
(``pagefind/<first year>-<last year>/``, or ``pagefind/<year>/``).

Only decision pages are indexed (their Part 1 article carries data-pagefind-body), and
Pagefind reads nothing but the HTML files in the site folder. The search page loads the
newest bundle and merges the others in the browser (Pagefind's multisite search), so one
search downloads only the index chunks of the words searched, one per word per bundle.

Several bundles because Pagefind has no incremental mode: a bundle can be indexed as
soon as its years' pages are written, while the build writes later years; a bundle whose
pages are byte for byte those of an earlier build reuses that build's bundle (keyed by
the pages' bytes and Pagefind's version, so it is exactly what Pagefind would write
again); and Pagefind's memory grows with one bundle, not with the whole archive. The
newest year, where new decisions arrive, is a bundle of its own; older years are grouped
until a bundle holds ``bundle_pages`` pages, so a search fetches a few bundles, not one
per year.

Each bundle is written outside the site and moved in whole once Pagefind has finished;
the build then scans the complete site, bundles included, and nothing is published unless
that scan passes.
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
from pathlib import Path, PurePosixPath

from foia.rules.records import Record

BUNDLE_DIR = "pagefind"
# Pagefind's ready-made interfaces: our own small search page replaces them.
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)
TIMEOUT_SECONDS = 900
# The heading permalinks ("¶") are not words of a decision: left in, every heading's
# last word reads "comments¶" in a result's excerpt and in each page's index fragment.
# No stemming ("und": a language Pagefind has no stemmer for): the index then holds the
# words as written, so a query word matches exactly the words it is a prefix of, which the
# search page can check ("exact search", see assets/foia/search.js). English stemming
# would match "covering" for "covert" and "innovative" for "innovation".
OPTIONS = ("--force-language", "und", "--exclude-selectors", ".headerlink", "--quiet")


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


def page_path(record: Record) -> str:
    """The built page of a decision, from the record's own URL (the layout is the rules')."""
    return f"{record.url}index.html"


def pages_by_year(records: Iterable[Record]) -> dict[str, int]:
    """Decision pages per year: what each year's countdown starts from."""
    counts: dict[str, int] = {}
    for r in records:
        counts[str(r.year)] = counts.get(str(r.year), 0) + 1
    return counts


def bundle_glob(pages: list[str]) -> str:
    """A Pagefind --glob that matches these pages (each <folder>/<page>/index.html) and no
    other page folder: the pages' own folders, from their URLs."""
    folders = set()
    for page in pages:
        p = PurePosixPath(page)
        if p.name != "index.html" or len(p.parts) < 3:
            raise SearchIndexError(f"a decision page is not <folder>/<name>/index.html: {page}")
        folders.add(p.parent.parent.as_posix())
    ordered = sorted(folders)
    where = ordered[0] if len(ordered) == 1 else "{" + ",".join(ordered) + "}"
    return f"{where}/*/index.html"


def plan_bundles(pages_by_year: dict[str, int], bundle_pages: int) -> dict[str, list[str]]:
    """Bundle name -> its years, newest bundle first. The newest year has a bundle of its
    own (it is where new decisions arrive, so a daily build re-indexes one year); older
    years are grouped, consecutive from the oldest, a bundle closed once it holds at least
    bundle_pages pages (so a late addition to an old year moves no older boundary)."""
    years = sorted(y for y, n in pages_by_year.items() if n > 0)
    if not years:
        return {}
    bundles: list[list[str]] = []
    current: list[str] = []
    count = 0
    for year in years[:-1]:
        current.append(year)
        count += pages_by_year[year]
        if count >= bundle_pages:
            bundles.append(current)
            current, count = [], 0
    if current:
        bundles.append(current)
    bundles.append(years[-1:])
    return {(ys[0] if len(ys) == 1 else f"{ys[0]}-{ys[-1]}"): ys for ys in reversed(bundles)}


class _Bundle:
    def __init__(self, name: str, years: list[str]):
        self.name = name
        self.years = years
        self.proc: subprocess.Popen[bytes] | None = None
        self.key: str | None = None
        self.queued = self.done = False


class SearchIndex:
    """The search bundles of one build: start(year) once a year's pages are written (its
    bundle is indexed when all of its years are), finish() to index what is left, wait,
    and move every bundle into the site."""

    def __init__(self, site_dir: str | Path, records: Iterable[Record], *, bundle_pages: int = 1500,
                 cache_dir: str | Path | None = None, running: int = 1):
        self.site = Path(site_dir)
        self.pages: dict[str, list[str]] = {}  # year -> its decision pages, site paths
        for r in records:
            self.pages.setdefault(str(r.year), []).append(page_path(r))
        self.exe = pagefind_executable()
        self.version = _version(self.exe)
        counts = {year: len(pages) for year, pages in self.pages.items()}
        self.bundles = {name: _Bundle(name, years) for name, years in plan_bundles(counts, bundle_pages).items()}
        self.written: set[str] = set()
        self.queue: list[_Bundle] = []
        self.running = running  # Pagefind processes at once
        # While MkDocs still writes pages, Pagefind gets one thread, leaving MkDocs a CPU.
        self.threads: int | None = 1
        self.cache = Path(cache_dir) / "pagefind" if cache_dir else None
        self.reused = 0
        self.work = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=self.site.parent))
        self._next_poll = 0.0

    @property
    def names(self) -> list[str]:
        """The bundles, newest first: the search page loads the first and merges the rest."""
        return list(self.bundles)

    def start(self, year: str) -> None:
        """Every page of this year is in the site."""
        self.written.add(year)
        for bundle in self.bundles.values():
            if all(y in self.written for y in bundle.years):
                self._enqueue(bundle)
        self.poll(force=True)

    def _enqueue(self, bundle: _Bundle) -> None:
        if not bundle.queued:
            bundle.queued = True
            self.queue.append(bundle)

    def poll(self, *, force: bool = False) -> None:
        """Reap finished Pagefind runs and start queued ones; never waits."""
        now = time.monotonic()
        if not force and now < self._next_poll:
            return
        self._next_poll = now + 0.05
        for bundle in self.bundles.values():
            if bundle.proc is not None and bundle.proc.poll() is not None:
                self._reap(bundle)
        while self.queue and sum(b.proc is not None for b in self.bundles.values()) < self.running:
            self._launch(self.queue.pop(0))

    def finish(self) -> None:
        """Index every bundle not yet indexed (with every CPU), wait, and move the
        bundles into the site."""
        self.running = max(1, os.cpu_count() or 1)
        self.threads = None
        for bundle in self.bundles.values():
            self._enqueue(bundle)
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while True:
            self.poll(force=True)
            if all(b.done for b in self.bundles.values()):
                break
            if time.monotonic() > deadline:
                raise SearchIndexError(f"Pagefind did not finish within {TIMEOUT_SECONDS} s")
            time.sleep(0.02)
        target = self.site / BUNDLE_DIR
        if target.exists():
            raise SearchIndexError(f"{target} already exists in the site; the search bundles go there")
        target.mkdir()
        for name in self.bundles:
            os.rename(self.work / name, target / name)
        self._prune_cache()
        shutil.rmtree(self.work, ignore_errors=True)

    def cancel(self) -> None:
        for bundle in self.bundles.values():
            if bundle.proc is not None:
                with contextlib.suppress(OSError):
                    bundle.proc.kill()
                bundle.proc.communicate()  # waits and closes the pipe
                bundle.proc = None
        shutil.rmtree(self.work, ignore_errors=True)

    # ----------------------------------------------------------------- one year

    def _launch(self, bundle: _Bundle) -> None:
        paths = sorted(p for year in bundle.years for p in self.pages.get(year, ()))
        if not paths:
            raise SearchIndexError(f"no decision pages of {bundle.name} to index")
        pages = [self.site / p for p in paths]
        if missing := [p for p, page in zip(paths, pages, strict=True) if not page.is_file()]:
            raise SearchIndexError(f"{len(missing)} decision page(s) of {bundle.name} are not in the site, e.g. {missing[0]}")
        bundle.key = self._key(pages)
        out = self.work / bundle.name
        cached = self.cache / bundle.key if self.cache else None
        if cached is not None and (cached / "pagefind.js").is_file():
            with contextlib.suppress(OSError):
                _link_tree(cached, out)
                os.utime(cached)
                bundle.done = True
                self.reused += 1
                return
            shutil.rmtree(out, ignore_errors=True)
        cmd = [str(self.exe), "--site", str(self.site), "--output-path", str(out),
               "--glob", bundle_glob(paths), *OPTIONS]
        env = dict(os.environ)
        if self.threads:
            env["RAYON_NUM_THREADS"] = str(self.threads)
        try:
            bundle.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                           stderr=subprocess.STDOUT, env=env)
        except OSError as e:
            raise SearchIndexError(f"Pagefind did not run: {e}") from None

    def _reap(self, bundle: _Bundle) -> None:
        assert bundle.proc is not None
        output, _ = bundle.proc.communicate()  # it has exited: reads what is left, closes the pipe
        code = bundle.proc.returncode
        bundle.proc = None
        if code != 0:
            detail = output.decode("utf-8", "replace").strip()[-2000:]
            raise SearchIndexError(f"Pagefind failed on {bundle.name} (exit {code}): {detail}")
        built = self.work / bundle.name
        if not (built / "pagefind.js").is_file():
            raise SearchIndexError(f"Pagefind wrote no search bundle for {bundle.name}")
        for name in UNUSED_BUNDLE_FILES:
            (built / name).unlink(missing_ok=True)
        bundle.done = True
        if self.cache is not None and bundle.key:
            with contextlib.suppress(OSError):  # a cache that cannot be written is only slower
                tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=_mkdir(self.cache)))
                _link_tree(built, tmp / "b")
                os.replace(tmp / "b", self.cache / bundle.key)
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
        keep = {b.key for b in self.bundles.values()}
        for entry in self.cache.iterdir():
            if entry.name not in keep:
                shutil.rmtree(entry, ignore_errors=True)


def _link_tree(src: Path, dst: Path) -> None:
    """Copy a bundle between the cache and a build by hard links (thousands of files, no
    bytes copied; the site is only ever replaced whole, never edited in place), or by
    copying when the two are on different file systems."""
    try:
        shutil.copytree(src, dst, copy_function=os.link)
    except OSError:
        shutil.rmtree(dst, ignore_errors=True)
        shutil.copytree(src, dst)


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _version(exe: Path) -> str:
    try:
        out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError) as e:
        raise SearchIndexError(f"Pagefind did not run: {e}") from None
    return out.strip() + f" {exe.stat().st_size}"
