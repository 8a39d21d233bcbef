"""Cache of each record's rendered Part 1 HTML, keyed by a content hash.

The key covers everything the HTML can depend on: the record file's bytes and the
Markdown handed to the renderer, the page's path, the configuration (the mkdocs.yml
bytes and the Markdown settings as loaded), the templates, the plugin version and the
as-of date. Change any of them and the key changes, so an entry is never stale.

Only pages the plan lets MkDocs render ever reach the cache: a withheld record is
excluded before rendering, so it is neither stored nor served, whatever an older
build stored under its name. A page whose Markdown links anywhere (a link's rendered
URL depends on other files) is rendered fresh every time.

Entries are JSON (HTML, table of contents, anchors), never pickles, so a cache folder
cannot run code. The module does not import MkDocs: pages are duck-typed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

FORMAT = "1"  # bump when the entry layout changes
KEEP_GENERATIONS = 3  # salts (days, versions, configurations) kept on disk
STAND_IN = ""  # what MkDocs renders instead of the Markdown on a hit
TEMPLATES = Path(__file__).parent.parent / "templates"
# MkDocs settings that change how Markdown becomes HTML, hashed as loaded.
RENDER_KEYS = ("markdown_extensions", "mdx_configs", "use_directory_urls", "site_url", "docs_dir", "validation")
# Markdown that links, embeds or writes raw HTML: its HTML depends on other files.
_LINKS = re.compile(r"\]\s*[(\[:]|<\s*[A-Za-z!/?]|\b(?:href|src|srcset)\s*=", re.I)
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


class CacheConfigError(ValueError):
    """The configuration cannot be hashed reliably, so nothing may be cached."""


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))  # length-prefixed: no two part lists collide
        h.update(data)
    return h.hexdigest()


def config_digest(config: Mapping[str, Any] | Any, config_file: str | os.PathLike | None = None) -> str:
    """Hash of the configuration: the config file's bytes and the render settings as
    loaded (an INHERIT'ed or programmatic setting is not in the file)."""
    values = {}
    for key in RENDER_KEYS:
        try:
            values[key] = config[key]
        except (KeyError, TypeError):
            values[key] = getattr(config, key, None)
    text = json.dumps(values, sort_keys=True, default=_stable_repr)
    file_bytes = b""
    path = config_file or _get(config, "config_file_path")
    if path and Path(path).is_file():
        file_bytes = Path(path).read_bytes()
    return digest(text, file_bytes)


def _get(mapping: Any, key: str) -> Any:
    try:
        return mapping[key]
    except (KeyError, TypeError):
        return getattr(mapping, key, None)


def _stable_repr(value: Any) -> Any:
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value, key=repr) if isinstance(value, (set, frozenset)) else list(value)
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    text = repr(value)
    if _ADDRESS.search(text):
        # An object (e.g. an extension instance) whose repr names only its address: two
        # different configurations would look alike, so refuse rather than risk staleness.
        raise CacheConfigError(f"cannot hash configuration value {_ADDRESS.sub('', text)}")
    return text


def templates_digest(dirs: Iterable[str | os.PathLike]) -> str:
    """Hash of every file under the template folders (names and bytes)."""
    parts: list[bytes | str] = []
    for d in dirs:
        root = Path(d)
        parts.append(str(root))
        if root.is_dir():
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                parts += [path.relative_to(root).as_posix(), path.read_bytes()]
    return digest(*parts)


def cacheable(markdown: str) -> bool:
    """Only self-contained Markdown: no links, images, footnotes or raw HTML."""
    return _LINKS.search(markdown) is None


class RenderCache:
    """Rendered Part 1 HTML by content hash, in ``folder/<salt digest>/``.

    The plugin calls before_render with a record page's Markdown and after_render with
    the HTML MkDocs made of whatever before_render returned. Pass ``config`` (the loaded
    MkDocs configuration) so the key covers it; without it the cache stays a
    pass-through, since a change of Markdown settings could not be seen.
    """

    def __init__(self, folder: str | Path | None, salt: str, *, config: Mapping[str, Any] | Any = None,
                 template_dirs: Iterable[str | os.PathLike] = (), get_toc: Callable[[Any], Any] | None = None,
                 background_writes: bool = False):
        # get_toc: the generator's own builder of a table of contents from its outline
        # (mkdocs.structure.toc.get_toc); without it, a page with headings is never served.
        self.get_toc = get_toc
        self.folder = Path(folder) if folder else None
        self.salt = salt
        self.hits = self.misses = self.skipped = 0
        self.disabled_reason: str | None = None
        self._pending: dict[str, tuple[str, dict[str, Any] | None]] = {}
        self.writer = EntryWriter(background=background_writes)
        if self.folder is None:
            self.disabled_reason = "no cache folder"
        elif config is None:
            self.disabled_reason = "no configuration given, so the key could not cover it"
        else:
            try:
                generation = digest(FORMAT, salt, config_digest(config), templates_digest([TEMPLATES, *template_dirs]))
            except (CacheConfigError, OSError) as e:
                self.disabled_reason = str(e)
            else:
                self.dir = self.folder / generation[:32]
                self._open_generation()

    @property
    def enabled(self) -> bool:
        return self.disabled_reason is None

    # ----------------------------------------------------------------- the hooks

    def key(self, page: Any, markdown: str) -> str:
        source = b""
        path = getattr(page.file, "abs_src_path", None)
        if path and Path(path).is_file():
            source = Path(path).read_bytes()
        return digest(self.dir.name, page.file.src_uri, getattr(page.file, "dest_uri", ""), source, markdown)

    def before_render(self, page: Any, markdown: str) -> str:
        """Called with a record page's Markdown; returns a stand-in on a hit."""
        src = page.file.src_uri
        self._pending.pop(src, None)
        if not self.enabled:
            return markdown
        if not cacheable(markdown):
            self.skipped += 1
            return markdown
        key = self.key(page, markdown)
        entry = self._load(key)
        if entry is not None and entry["toc"] and self.get_toc is None:
            entry = None  # its table of contents could not be rebuilt: render afresh
        self._pending[src] = (key, entry)
        if entry is None:
            self.misses += 1
            return markdown
        self.hits += 1
        return STAND_IN

    def after_render(self, page: Any, html: str) -> str:
        """Called with the rendered HTML; returns the HTML to use (the cached one on a hit)."""
        pending = self._pending.pop(page.file.src_uri, None)
        if pending is None:
            return html
        key, entry = pending
        if entry is None:
            self._store(key, page, html)
            return html
        if self.get_toc is not None:
            page.toc = self.get_toc(entry["toc"])
        page.present_anchor_ids = set(entry["anchors"])
        return entry["html"]

    # ----------------------------------------------------------------- storage

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.json"

    def _load(self, key: str) -> dict[str, Any] | None:
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("key") != key or not isinstance(entry.get("html"), str) \
                or not isinstance(entry.get("toc"), list) or not isinstance(entry.get("anchors"), list):
            return None  # a damaged or foreign file is a miss, never served
        return entry

    def _store(self, key: str, page: Any, html: str) -> None:
        entry = {
            "key": key,
            "html": html,
            "toc": [toc_outline(item) for item in (getattr(page, "toc", None) or [])],
            "anchors": sorted(getattr(page, "present_anchor_ids", None) or ()),
        }
        self.writer.write(self._path(key), json.dumps(entry))

    def _open_generation(self) -> None:
        """Create this build's folder and drop all but the most recent generations."""
        with contextlib.suppress(OSError):
            self.dir.mkdir(parents=True, exist_ok=True)
            os.utime(self.dir)
            others = sorted((p for p in self.folder.iterdir() if p.is_dir() and p != self.dir),
                            key=lambda p: p.stat().st_mtime, reverse=True)
            for old in others[KEEP_GENERATIONS - 1:]:
                shutil.rmtree(old, ignore_errors=True)


class EntryWriter:
    """Writes cache entries in a thread beside the build: creating thousands of small files
    is file-system work (about a millisecond each on a busy disk), which the build need not
    wait for. Entries are only read by later builds, or are written where they are read.

    The thread starts with the first entry, after the render-ahead helper is forked (a fork
    copies one thread only). In a forked process (the helper), or with background=False,
    entries are written at once. flush() waits until every entry is on disk and ends the
    thread; a build calls it before it ends."""

    def __init__(self, *, background: bool = True) -> None:
        self._pid = os.getpid()
        self._background = background
        self._queue: queue.SimpleQueue | None = None
        self._thread: threading.Thread | None = None

    def write(self, path: Path, text: str) -> None:
        if not self._background or os.getpid() != self._pid:
            _write(path, text)
            return
        if self._thread is None:
            self._queue = queue.SimpleQueue()
            self._thread = threading.Thread(target=self._run, args=(self._queue,), name="foia-cache-writer", daemon=True)
            self._thread.start()
        assert self._queue is not None
        self._queue.put((path, text))

    @staticmethod
    def _run(entries: queue.SimpleQueue) -> None:
        while (entry := entries.get()) is not None:
            _write(*entry)

    def flush(self) -> None:
        if self._thread is not None and os.getpid() == self._pid:
            assert self._queue is not None
            self._queue.put(None)
            self._thread.join()
            self._thread = self._queue = None


def _write(path: Path, text: str) -> None:
    """Write a cache entry atomically: a reader sees no entry or the whole entry. A cache
    that cannot be written is only slower, so a failure is ignored."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)


def toc_outline(item: Any) -> dict[str, Any]:
    return {"level": item.level, "id": item.id, "name": item.title,
            "children": [toc_outline(c) for c in item.children]}


class PageCache:
    """Whole decision pages as MkDocs wrote them, for a rebuild: the theme's templates
    then run only for the pages whose inputs changed.

    Lives inside a RenderCache generation (so its key already covers the configuration,
    every template file, the plugin version and the as-of date); each page's key adds
    everything the page template reads: the page's address, title, metadata, rendered
    Part 1 HTML and table of contents, the navigation, the record file's bytes, the
    neighbouring decisions linked from the page, its publication date and on-time status,
    and any other value a plugin put in the template context.
    """

    def __init__(self, render_cache: RenderCache):
        self.writer = render_cache.writer
        self.enabled = render_cache.enabled
        self.dir = render_cache.dir / "pages" if self.enabled else None
        self.generation = render_cache.dir.name if self.enabled else ""
        self.hits = self.misses = 0

    def key(self, *parts: bytes | str) -> str:
        return digest(self.generation, "page", *parts)

    def load(self, key: str) -> str | None:
        if self.dir is None:
            return None
        try:
            text = (self.dir / key[:2] / f"{key}.html").read_text(encoding="utf-8")
        except (OSError, ValueError):
            return None
        first, _, html = text.partition("\n")
        return html if first == key else None  # a foreign or damaged file is a miss

    def store(self, key: str, html: str) -> None:
        if self.dir is None:
            return
        # Plain text (the key on the first line, then the page), not JSON: a page is tens
        # of kilobytes and every decision page of a cold build is stored.
        self.writer.write(self.dir / key[:2] / f"{key}.html", key + "\n" + html)


def stable_json(value: Any) -> str:
    """A deterministic text of a template value; CacheConfigError for what has no stable
    form (an object known only by its address, keys that cannot be sorted, a cycle)."""
    try:
        return json.dumps(value, sort_keys=True, default=_stable_repr)
    except (TypeError, ValueError) as e:
        if isinstance(e, CacheConfigError):
            raise
        raise CacheConfigError(f"no stable form: {e}") from None


class FingerprintCache:
    """The proof's fingerprints of the withheld sources, kept between builds: working them
    out (every withheld Markdown rendered, every document read) is a few seconds of each
    build of a large site, and a rebuild nearly always withholds the same files.

    ``collect`` is fingerprints.collect with the same arguments and the same result; a test
    holds the two together. The key covers every argument (each source's path, kind, bytes
    and its decision's own public text and files; the stock wording; whether references are
    announced; the names of the published files) and the proof's own code and reading libraries, so an entry is never stale.
    Entries are JSON. They hold withheld wording, as content/ itself does: the cache folder is
    the project's own and is never published."""

    def __init__(self, folder: str | Path | None, collect: Callable[..., list]):
        self.dir = Path(folder) / "fingerprints" if folder else None
        self._collect = collect
        self.hit = False

    def collect(self, sources, *, stock_wording=(), announce_references: bool = False,
                published_names=()) -> list:
        from foia.proof.fingerprints import Fingerprint

        sources, stock_wording, published_names = list(sources), list(stock_wording), list(published_names)
        arguments = {"stock_wording": stock_wording, "announce_references": announce_references,
                     "published_names": published_names}
        if self.dir is None:
            return self._collect(sources, **arguments)
        parts: list[bytes | str] = [FORMAT, _proof_code_digest(), str(announce_references), str(len(stock_wording)),
                                    *stock_wording, str(len(published_names)), *published_names]
        for s in sources:
            parts += [s.path, s.kind, s.data, s.own_public_text, str(len(s.own_public_files))]
            for path, data in s.own_public_files:
                parts += [path, data]
        key = digest(*parts)
        path = self.dir / key[:2] / f"{key}.json"
        with contextlib.suppress(OSError, ValueError, TypeError):
            entry = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(entry, dict) and entry.get("key") == key and isinstance(entry.get("fingerprints"), list):
                found = [Fingerprint(*item) for item in entry["fingerprints"]]
                if all(isinstance(v, str) for f in found for v in (f.kind, f.source, f.needle, f.label)):
                    self.hit = True
                    return found
        found = self._collect(sources, **arguments)
        _write(path, json.dumps({"key": key, "fingerprints": [[f.kind, f.source, f.needle, f.label] for f in found]}))
        return found


def _proof_code_digest() -> str:
    """The code that works out fingerprints (the proof and the rules packages) and the
    versions of the libraries that read the sources."""
    from importlib import metadata

    package = Path(__file__).parent.parent
    parts: list[bytes | str] = []
    for folder in ("proof", "rules"):
        for path in sorted((package / folder).glob("*.py")):
            parts += [path.name, path.read_bytes()]
    for dist in ("markdown", "lxml", "pypdfium2", "pyicu", "pyyaml"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            parts += [dist, metadata.version(dist)]
    return digest(*parts)
