"""The proof: scan a finished site folder for anything withheld.

Reads only the built folder (any generator's), never the content or the build's state.
Every file is read as a reader would read it (proof/extract.py: HTML as a browser shows
it, PDF, Office, SVG, image chunks, CSS and JavaScript escapes, gzip and zip members), its
text normalised (proof/normalise.py) and searched for every fingerprint in one pass; every
file's bytes, and every member unpacked from it, are hashed against the withheld files;
every HTML link is resolved. A document the scan cannot read (a damaged or encrypted PDF
or archive, a zip or gzip bomb) fails the scan, named: what cannot be read cannot be
proved clean.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import multiprocessing
import multiprocessing.forkserver
import os
import posixpath
import re
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.etree
import lxml.html

from foia.proof import extract
from foia.proof.fingerprints import Fingerprint, Needles, sha256
from foia.proof.normalise import normalise, normalised_utf8


@dataclass(frozen=True)
class Leak:
    file: str  # path inside the site folder
    what: str

    def __str__(self) -> str:
        return f"{self.file}: {self.what}"


class Scanner:
    def __init__(self, fingerprints: Iterable[Fingerprint], withheld_urls: Iterable[str] = (),
                 withheld_hashes: dict[str, str] | None = None):
        self.fingerprints = fingerprints = list(fingerprints)
        self.urls = {u.strip("/") for u in withheld_urls if u.strip("/")}
        # The last segment of every withheld URL: a link can only lead to a withheld page
        # if that segment is written in the link or in the linking file's own path.
        self.url_ends = Needles((u.rsplit("/", 1)[-1], None) for u in self.urls)
        self.hashes = dict(withheld_hashes or {})
        self.filenames = [f for f in fingerprints if f.kind == "filename"]
        # One pass over the text finds every withheld file name (not one search per name).
        self.names = Needles((f.needle, f.source) for f in self.filenames)
        # (path, sha256) of files this scanner has passed: scanning is a pure function of
        # the path, the bytes and the fingerprints, so the same file need not be read twice.
        self.passed: set[tuple[str, str]] = set()
        # Readings made ahead (ProofSession.read_ahead), by (name suffix, sha256): a reading
        # is a pure function of those two.
        self.prepared: dict[tuple[str, str], Prepared] = {}
        needles: dict[str, object] = {}
        for f in fingerprints:
            if f.kind != "filename":
                needles.setdefault(f.needle, f.describe())
        for url in self.urls:
            needles.setdefault(normalise(url), f"URL of withheld page /{url}/")
        # A text can only hold an ASCII file name (in any case) if its normalised form holds
        # the name's normalised words, but for the very last character (a combining mark
        # after the name may change it): the one pass looks for those too, and only a text
        # where one is found is searched for the names themselves. (Hints carry no spaces
        # at their ends, needles do: the two never collide.)
        hints = {_name_hint(f.needle) for f in self.filenames}
        self.name_hints = bool(hints) and None not in hints
        if self.name_hints:
            for hint in hints:
                needles.setdefault(hint, _NAME_HINT)
        self.needles = Needles(needles.items())
        self.empty = not needles

    # ----------------------------------------------------------------- one file

    def scan_file(self, rel: str, data: bytes) -> list[Leak]:
        digest = sha256(data)
        if (rel, digest) in self.passed:
            return []
        leaks = self._scan_file(rel, data, digest)
        if not leaks:
            self.passed.add((rel, digest))
        return leaks

    def _scan_file(self, rel: str, data: bytes, digest: str) -> list[Leak]:
        leaks, text, normalised = self._read_file(rel, data, digest)
        return leaks if text is None else leaks + self._search(rel, text, normalised)

    def _read_file(self, rel: str, data: bytes, digest: str) -> tuple[list[Leak], str | None, bytes]:
        """All of a file's scan but the search of its text for needles: the leaks found so
        far, and the text to search (None if there is none) with its normalised form."""
        leaks: list[Leak] = []
        if digest in self.hashes:
            leaks.append(Leak(rel, f"is a copy of withheld file {self.hashes[digest]}"))
        for source in self._names_in(rel.casefold().rsplit("/", 1)[-1]):
            leaks.append(Leak(rel, f"file is named after withheld file {source}"))
        parts = rel.split("/")
        for url in [f for f in ("/".join(parts[:i]) for i in range(1, len(parts) + 1)) if f in self.urls]:
            leaks.append(Leak(rel, f"is inside the withheld page folder /{url}/"))
        prepared = self.prepared.get((extract.suffix(rel), digest))
        if prepared is None:
            # The links are gathered only when an attribute could name a withheld page.
            reading = extract.read(rel, data, links_wanted=lambda attributes: self._names_url_end(rel)
                                   or self._names_url_end(attributes))
            leaks.extend(self._check_links(rel, reading.links))
            prepared = prepare(reading, normalise=not self.empty)
        text, normalised, problems, members = prepared
        leaks.extend(Leak(rel, f"{problem}; a document the proof cannot read is not published") for problem in problems)
        for name, digest_of_member in members:
            if (source := self.hashes.get(digest_of_member)) is not None:
                leaks.append(Leak(rel, f"holds a copy of withheld file {source} ({name})"))
        return leaks, text, normalised

    def _search(self, rel: str, text: str, normalised: bytes) -> list[Leak]:
        """The needles (and withheld file names) in a file's text."""
        found: dict[str, None] = {}  # in order of first occurrence
        hinted = not self.name_hints  # without hints, every text is searched for the names
        for label in self.needles.found_in(normalised):
            if label is _NAME_HINT:
                hinted = True
            else:
                found[label] = None
        leaks = []
        if hinted and self.filenames:
            leaks.extend(Leak(rel, f"names withheld file {source}") for source in self._names_in(text.casefold()))
        leaks.extend(Leak(rel, f"contains the {label}") for label in found)
        return leaks

    def _names_in(self, lowered: str) -> list[str]:
        """Sources of the withheld file names found in lowered, each once, in scan order. A
        name counts only as a whole name: not inside a longer one ('plan.pdf' is not named
        by 'workforce-plan.pdf' or 'plan.pdfx')."""
        if not self.filenames:
            return []
        data = lowered.encode("utf-8", "surrogatepass")
        return list(dict.fromkeys(source for source, start, end in self.names.found_at(data)
                                  if (start == 0 or data[start - 1] not in _NAME_BYTES_BEFORE)
                                  and (end == len(data) or data[end] not in _NAME_BYTES_AFTER)))

    def _check_links(self, rel: str, links: list[str]) -> list[Leak]:
        return [Leak(rel, f"links to withheld page /{url}/ ({link})") for link, url in self.withheld_targets(rel, links)]

    def withheld_targets(self, rel: str, links: Iterable[str]) -> list[tuple[str, str]]:
        """(link, withheld URL) for each link, written in the file at site path rel,
        that leads to a withheld page."""
        if not self.urls:
            return []
        found = []
        near = self._names_url_end(rel)  # a file in (or beside) a withheld page's folder
        for link in links:
            if not near and not self._names_url_end(link):
                continue  # cannot lead to a withheld page: no need to resolve it
            found.extend((link, url + "/") for url in self.resolved_targets(rel, link))
        return found

    def resolved_targets(self, rel: str, link: str) -> list[str]:
        """The withheld URLs (sorted) that one link, resolved, leads to."""
        target = _link_path("/" + rel, link)
        if target is None:
            return []
        # A withheld URL u is hit when the target path ends with "/u" (a trailing
        # slash or "/index.html" aside): look its path suffixes up in the set.
        paths = {target.rstrip("/")}
        if target.endswith("/index.html"):
            paths.add(target[: -len("/index.html")])
        hits = {"/".join(parts[i:]) for parts in (p.split("/") for p in paths) for i in range(1, len(parts))}
        return sorted(hits & self.urls)

    def _names_url_end(self, text: str) -> bool:
        """Whether text, read as a URL (tabs and line breaks dropped, %-escapes decoded, as
        urljoin and _link_path read it), holds the last segment of a withheld URL.

        Every path segment of a resolved link is a segment of the link or of the linking
        file's path, so a link for which this is false in both cannot lead to a
        withheld page."""
        if not self.urls:
            return False
        for c in "\t\r\n":
            if c in text:
                text = text.replace(c, "")
        if "%" in text:
            text = unquote(text)
        return self.url_ends.any_in(text)

    # ----------------------------------------------------------------- the folder

    def scan_site(self, site_dir: str | Path, *, workers: int | None = None) -> list[Leak]:
        """Every file of the folder, in path order. A large folder is shared out, in small
        batches handed to whichever is free, among worker processes (one per CPU), each
        with a scanner of its own made of this one's fingerprints and passed files.

        The workers come from a fork server (see start_workers), not forked from this
        process: a fresh, small process scans the same files in about 10% less time than a
        fork of a large build (measured inside a 5,000-decision build: 3.2 s against 3.5
        to 3.9 s), and a fork server is safe beside the threads of mkdocs serve."""
        site = Path(site_dir)
        rels = _files_in(site)
        if workers is None:
            workers = min(os.cpu_count() or 1, len(rels) // PARALLEL_FROM)
        if workers <= 1 or not start_workers():
            return self._scan_files(site, rels)[0]
        batches = [rels[i:i + BATCH] for i in range(0, len(rels), BATCH)]
        made_of = (self.fingerprints, sorted(self.urls), self.hashes, self.passed, self.prepared, str(site))
        try:
            with ProcessPoolExecutor(workers, multiprocessing.get_context("forkserver"), _start_worker,
                                     made_of) as pool:
                parts = list(pool.map(_scan_batch, batches))
        except (OSError, BrokenProcessPool):
            # No worker could start or one died (a sandbox without sockets; a calling script
            # whose main module runs a build when imported): the whole scan, in this process.
            return self._scan_files(site, rels)[0]
        leaks: list[Leak] = []
        for part_leaks, passed in parts:
            leaks.extend(part_leaks)
            self.passed.update(passed)
        order = {rel: i for i, rel in enumerate(rels)}
        return sorted(leaks, key=lambda leak: order[leak.file])  # stable: per-file order kept

    def _scan_files(self, site: Path, rels: list[str]) -> tuple[list[Leak], list[tuple[str, str]]]:
        """The leaks in the files, and the (path, sha256) pairs newly passed.

        Up to BATCH files (or BATCH_BYTES of their text) are read first and then searched:
        the needles' automaton (megabytes) then stays in the CPU's cache for the searches
        instead of being pushed out by every page's parse in between (measured: 5 to 8%
        less time per page)."""
        leaks: list[Leak] = []
        passed = []
        read: list[tuple[str, str, list[Leak], str | None, bytes]] = []
        held = 0

        def search_what_is_read() -> None:
            for rel, digest, found, text, normalised in read:
                if text is not None:
                    found = found + self._search(rel, text, normalised)
                if found:
                    leaks.extend(found)
                else:
                    self.passed.add((rel, digest))
                    passed.append((rel, digest))
            read.clear()

        for rel in rels:
            data = _read(f"{site}/{rel}")
            digest = sha256(data)
            if (rel, digest) in self.passed:
                continue
            read.append((rel, digest, *self._read_file(rel, data, digest)))
            held += len(read[-1][4]) + len(read[-1][3] or "")
            if len(read) >= BATCH or held >= BATCH_BYTES:
                search_what_is_read()
                held = 0
        search_what_is_read()
        return leaks, passed


PARALLEL_FROM = 500  # files per worker below which starting workers costs more than it saves
BATCH = 64  # files handed to a worker at a time: small enough to keep every CPU busy to the end
BATCH_BYTES = 64 * 1024 * 1024  # text held between reading and searching, at most (about)
_worker: tuple[Scanner, Path] | None = None  # in a worker process: its scanner and the site


def start_workers() -> bool:
    """Start the fork server the scan's workers come from (Python and this module loaded
    once, in the background), unless it runs already; False where there is none. A build
    calls it early, so the server is ready when the site is."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return False
    multiprocessing.get_context("forkserver").set_forkserver_preload([__name__])
    try:
        multiprocessing.forkserver.ensure_running()
    except OSError:
        return False
    return True


def _start_worker(fingerprints, urls, hashes, passed, prepared, site) -> None:
    global _worker
    scanner = Scanner(fingerprints, urls, hashes)
    scanner.passed = passed
    scanner.prepared = prepared
    _worker = (scanner, Path(site))


def _scan_batch(rels: list[str]) -> tuple[list[Leak], list[tuple[str, str]]]:
    """In a worker: scan one batch of files."""
    assert _worker is not None
    scanner, site = _worker
    return scanner._scan_files(site, rels)


_NAME_HINT = object()  # the label of a name's hint in the automaton
# Bytes that continue a file name: a withheld name with one of these before (or after) it is
# part of a longer name. Before it, bytes of non-ASCII characters count as letters ('überplan.pdf'
# is not 'plan.pdf'); after it they do not (a combining mark may follow a name and change it).
_NAME_BYTES_AFTER = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
_NAME_BYTES_BEFORE = _NAME_BYTES_AFTER | {ord(".")} | frozenset(range(0x80, 0x100))


def _name_hint(name: str) -> str | None:
    """What the normalised text must hold for name (case-folded) to be in the text: its
    normalised words less the last character; None if that is not so or too short to help."""
    if not name.isascii():
        return None  # NFKC and case folding part ways outside ASCII: no hint
    hint = normalise(name).strip()[:-1]
    return hint if len(hint) >= 3 else None


def _files_in(site: Path) -> list[str]:
    """The paths of every file under site, as Path.rglob("*") with is_file() lists them
    (links to files included, linked folders not entered), sorted; by os.scandir, which
    already knows each entry's type."""
    found: list[str] = []
    folders = [""]
    while folders:
        folder = folders.pop()
        with os.scandir(f"{site}/{folder}") as entries:
            for entry in entries:
                rel = folder + entry.name
                if entry.is_dir() and not entry.is_symlink():
                    folders.append(rel + "/")
                elif entry.is_file():
                    found.append(rel)
    return sorted(found)


def _read(path: str) -> bytes:
    """The bytes of a file, as Path.read_bytes gives them, without its buffered layer."""
    with open(path, "rb", buffering=0) as f:
        return f.readall()


# A relative link made of plain path segments (most links in a page): resolved with
# posixpath alone, which gives what urljoin gives for it, at a fraction of the cost.
_PLAIN_RELATIVE = re.compile(r"(?:\.\.?/)*[A-Za-z0-9_~-][A-Za-z0-9._~-]*(?:/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*/?|(?:\.\.?/)+")


def _link_path(base: str, link: str) -> str | None:
    link = link.strip()
    if not link or link.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    if _PLAIN_RELATIVE.fullmatch(link):
        norm = posixpath.normpath(posixpath.dirname(base).rstrip("/") + "/" + link)
        return norm + ("/" if link.endswith("/") and norm != "/" else "")
    parts = urlsplit(urljoin("http://site.invalid" + base, link))
    # An absolute URL to any host is compared by its path too.
    path = unquote(parts.path)
    norm = posixpath.normpath(path) if path else "/"
    return norm + ("/" if path.endswith("/") and norm != "/" else "")


def scan_site(site_dir: str | Path, *, fingerprints: Iterable[Fingerprint], withheld_urls: Iterable[str] = (),
              withheld_hashes: dict[str, str] | None = None) -> list[Leak]:
    return Scanner(list(fingerprints), withheld_urls, withheld_hashes).scan_site(site_dir)


# What the scan needs of a file's reading: its text (for file names), the text normalised, the
# problems that stopped it, and (name, sha256) of each member unpacked from it.
Prepared = tuple[str, bytes, list[str], list[tuple[str, str]]]


def prepare(reading: extract.Reading, *, normalise: bool = True) -> Prepared:
    text = reading.text()
    return (text, normalised_utf8(text) if normalise else b"", list(reading.problems),
            [(name, sha256(content)) for name, content in reading.members])


def _read_ahead(files: list[tuple[str, bytes]], out) -> None:
    """In a worker process: send the readings of files, by (name suffix, sha256), down out."""
    with contextlib.suppress(OSError):
        os.nice(10)  # beside the build, never before it
    with contextlib.suppress(BrokenPipeError, OSError):  # nobody waits for them any more
        out.send({(extract.suffix(rel), sha256(data)): prepare(extract.read(rel, data)) for rel, data in files})
    out.close()


class ProofSession:
    """The proof of one site over many builds (mkdocs serve): a later scan with the same
    fingerprints, withheld URLs and hashes reuses the scanner, so files it passed byte for
    byte at the same path are not read again. The caller holds it; nothing is kept in the
    module.

    read_ahead reads, while the site is being built, files the generator will copy into it
    as they are (a record's PDF annex, an image): the scan then takes the reading of a site
    file with the same name suffix and bytes instead of reading it again. A build calls it
    while the second CPU has little else to do (loading content, making the plan)."""

    def __init__(self) -> None:
        self._identity: str | None = None
        self._scanner: Scanner | None = None
        self._ahead = None  # (worker process, the end of the pipe its readings come down)
        self._prepared: dict[tuple[str, str], Prepared] = {}
        self._scan_ahead: ScanAhead | None = None
        self.passed_ahead = 0  # pages the last scan found passed by the scan ahead

    def read_ahead(self, files: dict[str, bytes]) -> bool:
        """Start reading files (path -> bytes; HTML and Markdown are left to the scan: the site
        holds them rendered, not as they are) in a worker process. False where none can
        start: the scan then reads them itself. A plain process from the fork server and a
        pipe, no thread: the build forks its render-ahead helper only while it has one thread."""
        self._stop_reading_ahead()
        items = [(rel, data) for rel, data in files.items()
                 if extract.suffix(rel) not in (*extract.HTML_SUFFIXES, *extract.MARKDOWN_SUFFIXES)]
        if not items or not start_workers():
            return False
        context = multiprocessing.get_context("forkserver")
        try:
            readings, out = context.Pipe(duplex=False)
            worker = context.Process(target=_read_ahead, args=(items, out), daemon=True)
            worker.start()
            out.close()
        except (OSError, RuntimeError):
            return False
        self._ahead = (worker, readings)
        return True

    def scan_ahead(self, site_dir: str | Path, plan) -> bool:
        """Start scanning, while the site is being built, the pages the generator writes
        into site_dir (page_coming names them): see ScanAhead. False where it cannot start."""
        if self._scan_ahead is not None:
            self._scan_ahead.stop()
        self._scan_ahead = ScanAhead.start(site_dir, plan)
        return self._scan_ahead is not None

    def page_coming(self, rel: str) -> None:
        """The generator is about to write the page at rel (a path in the site folder)."""
        if self._scan_ahead is not None:
            self._scan_ahead.page_coming(rel)

    def discard_ahead(self) -> None:
        """Stop the work ahead nobody will take (a build that failed before its scan)."""
        if self._scan_ahead is not None:
            self._scan_ahead.stop()
            self._scan_ahead = None
        self._stop_reading_ahead()

    def _stop_reading_ahead(self) -> None:
        if self._ahead is not None:
            worker, readings = self._ahead
            readings.close()
            if worker.is_alive():
                worker.terminate()
            worker.join()
            self._ahead = None

    def _take_ahead(self) -> None:
        # Whatever stopped the worker (it died, it could not start), the scan reads the files
        # itself: a reading made ahead only ever saves time. This build's files only.
        self._prepared = {}
        if self._ahead is None:
            return
        _worker_process, readings = self._ahead
        with contextlib.suppress(EOFError, OSError, ValueError):
            self._prepared = readings.recv()
        self._stop_reading_ahead()

    def scan(self, site_dir: str | Path, plan) -> list[Leak]:
        identity = _plan_digest(plan)
        if self._scanner is None or self._identity != identity:
            self._identity = identity
            self._scanner = Scanner(plan.fingerprints, plan.withheld_urls, plan.withheld_hashes)
        self._take_ahead()
        self._scanner.prepared = self._prepared
        self.passed_ahead = 0
        if self._scan_ahead is not None:
            # Pages the scan ahead passed byte for byte at the same path, with this plan's
            # fingerprints, are passed: scan_site hashes every file and skips only those.
            if self._scan_ahead.identity == identity:
                passed = self._scan_ahead.finish()
                self.passed_ahead = len(passed)
                self._scanner.passed.update(passed)
            self._scan_ahead.stop()
            self._scan_ahead = None
        return self._scanner.scan_site(site_dir)


class ScanAhead:
    """The scan of the pages, run while the build makes them: a plain process from the fork
    server with a scanner of the plan's own, told each page's path as the generator hands
    the page over. It reads the page from the site folder once it is written, scans it, and
    in the end sends back (path, sha256) of each page it passed. The scan of the finished
    folder still hashes every file and scans whatever is not byte for byte a page passed
    here (a page written again, changed after, or never reached): a page passed ahead only
    saves reading it twice. Whatever stops the process, the scan does all the work itself.

    The build uses one CPU for most of its time; the scan of its pages (the bulk of the
    proof) runs beside it on the second, instead of after it."""

    SEND_EVERY = 32  # paths sent at a time: few messages, little left to do at the end

    def __init__(self, identity: str, worker, paths, passed) -> None:
        self.identity = identity
        self._worker, self._paths, self._passed = worker, paths, passed
        self._held: list[str] = []  # paths not sent yet (the last one is not written yet)

    @classmethod
    def start(cls, site_dir: str | Path, plan) -> ScanAhead | None:
        if not start_workers():
            return None
        context = multiprocessing.get_context("forkserver")
        try:
            paths_out, paths_in = context.Pipe(duplex=False)
            passed_out, passed_in = context.Pipe(duplex=False)
            worker = context.Process(target=_scan_ahead, daemon=True, args=(
                plan.fingerprints, sorted(plan.withheld_urls), plan.withheld_hashes, str(site_dir), paths_out,
                passed_in))
            worker.start()
            paths_out.close()
            passed_in.close()
        except (OSError, RuntimeError):
            return None
        return cls(_plan_digest(plan), worker, paths_in, passed_out)

    def page_coming(self, rel: str) -> None:
        # The generator writes a page just after handing it over: every path held but this
        # one is on disk by now.
        self._held.append(rel)
        if len(self._held) > self.SEND_EVERY:
            self._send(self._held[:-1])
            self._held = self._held[-1:]

    def _send(self, rels: list[str]) -> None:
        with contextlib.suppress(OSError, ValueError):  # the worker died: the scan does it all
            self._paths.send(rels)

    def finish(self) -> list[tuple[str, str]]:
        """Every page is written: the (path, sha256) of each page passed so far."""
        self._held = []
        with contextlib.suppress(OSError, ValueError):
            self._paths.send(None)
        with contextlib.suppress(EOFError, OSError, ValueError):
            return self._passed.recv()
        return []

    def stop(self) -> None:
        for end in (self._paths, self._passed):
            end.close()
        if self._worker.is_alive():
            self._worker.terminate()
        self._worker.join()


def _scan_ahead(fingerprints, urls, hashes, site: str, paths, passed_out) -> None:
    """In the scan-ahead process: scan each page named down paths once it can be read; when
    told None, stop and send the (path, sha256) of each page passed down passed_out. Pages
    not reached by then are left to the scan of the finished folder, which shares them among
    every CPU rather than one."""
    with contextlib.suppress(OSError):
        os.nice(10)  # the build and its render-ahead helper first: what is not scanned here, the end does
    scanner = Scanner(fingerprints, urls, hashes)
    queue: collections.deque[str] = collections.deque()
    with contextlib.suppress(EOFError, OSError, BrokenPipeError):
        while True:
            # Take every path sent so far, so the build never waits on a full pipe.
            if not queue or paths.poll():
                rels = paths.recv()
                if rels is None:
                    break
                queue.extend(rels)
                continue
            rel = queue.popleft()
            with contextlib.suppress(OSError):
                scanner.scan_file(rel, _read(f"{site}/{rel}"))
        passed_out.send(list(scanner.passed))
    passed_out.close()


def scan_with_plan(site_dir: str | Path, plan, session: ProofSession | None = None) -> list[Leak]:
    """Scan a folder against everything a plan withholds: with a session (held by the
    caller across builds), files already passed are not read again; else a fresh scan."""
    return (session or ProofSession()).scan(site_dir, plan)


def _plan_digest(plan) -> str:
    """What a scanner is made of: every needle, withheld URL and withheld file hash."""
    parts = sorted(f"{f.kind}\0{f.source}\0{f.needle}\0{f.label}" for f in plan.fingerprints)
    parts += sorted("url\0" + u for u in plan.withheld_urls)
    parts += sorted(f"hash\0{h}\0{p}" for h, p in plan.withheld_hashes.items())
    return sha256("\n".join(parts).encode("utf-8", "surrogatepass"))


def withheld_links(rel: str, html_fragment: str, withheld_urls: Iterable[str]) -> list[tuple[str, str]]:
    """(link, withheld URL) for every link in an HTML fragment at site path rel that
    leads to a withheld page. Used by the build to name the page and the target."""
    checker = _link_checker(frozenset(withheld_urls))
    if not checker.urls or not html_fragment.strip():
        return []
    # Parsing is most of the cost, and a link can only lead to a withheld page if the
    # page's own path or the link names the last segment of a withheld URL: look for
    # one in the whole fragment first, entities decoded as the parser would decode them.
    if not checker._names_url_end(rel) and not checker._names_url_end(extract.unescape(html_fragment)):
        return []
    try:
        root = lxml.html.fragment_fromstring(html_fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return []
    return checker.withheld_targets(rel, extract.LINK_VALUES(root))


@functools.lru_cache(maxsize=4)
def _link_checker(withheld_urls: frozenset[str]) -> Scanner:
    """One link checker per set of withheld URLs, not one per page."""
    return Scanner([], withheld_urls)
