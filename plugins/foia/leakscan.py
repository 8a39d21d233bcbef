"""The proof: scan a finished site folder for anything withheld.

Reads only the built folder (any generator's), never the content or the build's state:
HTML through lxml (text, comments, every attribute, every link resolved), JSON by its
strings, gzip members unpacked (Pagefind), every other file as text, and every file's
bytes hashed against the withheld files.
"""

from __future__ import annotations

import contextlib
import gzip
import html
import json
import posixpath
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import ahocorasick
import lxml.etree
import lxml.html

from .fingerprints import Fingerprint, normalise, sha256

_BINARY = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2", ".ttf", ".eot", ".wasm", ".pdf", ".zip"}
_LINK_ATTRS = {"href", "src", "action", "poster", "data", "cite", "formaction"}
_TAG = re.compile(r"<[^<>]{0,2000}>")
_MAX_UNPACKED = 256 * 1024 * 1024


@dataclass(frozen=True)
class Leak:
    file: str  # path inside the site folder
    what: str

    def __str__(self) -> str:
        return f"{self.file}: {self.what}"


class Scanner:
    def __init__(self, fingerprints: Iterable[Fingerprint], withheld_urls: Iterable[str] = (),
                 withheld_hashes: dict[str, str] | None = None):
        self.urls = {u.strip("/") for u in withheld_urls if u.strip("/")}
        self.hashes = dict(withheld_hashes or {})
        self.filenames = [f for f in fingerprints if f.kind == "filename"]
        self.automaton = ahocorasick.Automaton()
        needles: dict[str, str] = {}
        for f in fingerprints:
            if f.kind != "filename":
                needles.setdefault(f.needle, f.describe())
        for url in self.urls:
            needles.setdefault(normalise(url), f"URL of withheld page /{url}/")
        for needle, label in needles.items():
            self.automaton.add_word(needle, label)
        self.empty = not needles
        if not self.empty:
            self.automaton.make_automaton()

    # ----------------------------------------------------------------- one file

    def scan_file(self, rel: str, data: bytes) -> list[Leak]:
        leaks: list[Leak] = []
        digest = sha256(data)
        if digest in self.hashes:
            leaks.append(Leak(rel, f"is a copy of withheld file {self.hashes[digest]}"))
        lowered_rel = rel.casefold()
        for f in self.filenames:
            if f.needle in lowered_rel.rsplit("/", 1)[-1]:
                leaks.append(Leak(rel, f"file is named after withheld file {f.source}"))
        for url in self.urls:
            if ("/" + rel).startswith("/" + url + "/") or rel == url:
                leaks.append(Leak(rel, f"is inside the withheld page folder /{url}/"))
        if data[:2] == b"\x1f\x8b":
            inner = _gunzip(data)
            if inner is not None:
                if sha256(inner) in self.hashes:
                    leaks.append(Leak(rel, f"unpacks to a copy of withheld file {self.hashes[sha256(inner)]}"))
                return leaks + self._scan_text(rel, inner, Path(rel).suffix.lower())
        suffix = Path(rel).suffix.lower()
        if suffix in _BINARY:
            return leaks
        return leaks + self._scan_text(rel, data, suffix)

    def _scan_text(self, rel: str, data: bytes, suffix: str) -> list[Leak]:
        leaks: list[Leak] = []
        if suffix in (".html", ".htm"):
            text, links = _html_text(data)
            leaks.extend(self._check_links(rel, links))
        else:
            text = _plain_text(data, suffix)
        lowered = text.casefold()
        for f in self.filenames:
            if f.needle in lowered:
                leaks.append(Leak(rel, f"names withheld file {f.source}"))
        if not self.empty:
            seen = set()
            for _end, label in self.automaton.iter(normalise(text)):
                if label not in seen:
                    seen.add(label)
                    leaks.append(Leak(rel, f"contains the {label}"))
        return leaks

    def _check_links(self, rel: str, links: list[str]) -> list[Leak]:
        return [Leak(rel, f"links to withheld page /{url}/ ({link})") for link, url in self.withheld_targets(rel, links)]

    def withheld_targets(self, rel: str, links: Iterable[str]) -> list[tuple[str, str]]:
        """(link, withheld URL) for each link, written in the file at site path rel,
        that leads to a withheld page."""
        if not self.urls:
            return []
        found = []
        for link in links:
            target = _link_path("/" + rel, link)
            if target is None:
                continue
            for url in self.urls:
                if (target.rstrip("/") + "/").endswith("/" + url + "/") or target.endswith("/" + url + "/index.html"):
                    found.append((link, url + "/"))
        return found

    # ----------------------------------------------------------------- the folder

    def scan_site(self, site_dir: str | Path) -> list[Leak]:
        site = Path(site_dir)
        leaks: list[Leak] = []
        for path in sorted(p for p in site.rglob("*") if p.is_file()):
            leaks.extend(self.scan_file(path.relative_to(site).as_posix(), path.read_bytes()))
        return leaks


def _gunzip(data: bytes) -> bytes | None:
    try:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = d.decompress(data, _MAX_UNPACKED)
        return out
    except (zlib.error, EOFError, gzip.BadGzipFile):
        return None


def _link_path(base: str, link: str) -> str | None:
    link = link.strip()
    if not link or link.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(urljoin("http://site.invalid" + base, link))
    # An absolute URL to any host is compared by its path too.
    path = unquote(parts.path)
    norm = posixpath.normpath(path) if path else "/"
    return norm + ("/" if path.endswith("/") and norm != "/" else "")


def _html_text(data: bytes) -> tuple[str, list[str]]:
    try:
        doc = lxml.html.document_fromstring(data)
    except (lxml.etree.ParserError, ValueError):
        return _plain_text(data, ".html"), []
    parts: list[str] = []
    links: list[str] = []
    for el in doc.iter():
        if el.text:
            parts.append(el.text)
        if el.tail:
            parts.append(el.tail)
        for name, value in el.attrib.items():
            parts.append(value)
            if name in _LINK_ATTRS:
                links.append(value)
            elif name == "srcset":
                links.extend(item.split()[0] for item in value.split(",") if item.split())
    text = " ".join(parts)
    # Text inside attributes or scripts may itself be escaped HTML (e.g. JSON-in-HTML).
    return text + " " + _TAG.sub(" ", html.unescape(text)), links


def _plain_text(data: bytes, suffix: str) -> str:
    text = data.decode("utf-8", "replace")
    pieces = [text]
    if suffix == ".json" or text.lstrip()[:1] in ("{", "["):
        with contextlib.suppress(ValueError):
            pieces = list(_json_strings(json.loads(text)))
    joined = " ".join(pieces)
    # Feeds and indexes carry HTML escaped once or twice: unescape and drop tags.
    unescaped = html.unescape(html.unescape(joined))
    return joined + " " + _TAG.sub(" ", unescaped)


def _json_strings(value) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _json_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _json_strings(v)
    elif value is not None:
        yield str(value)


def scan_site(site_dir: str | Path, *, fingerprints: Iterable[Fingerprint], withheld_urls: Iterable[str] = (),
              withheld_hashes: dict[str, str] | None = None) -> list[Leak]:
    return Scanner(list(fingerprints), withheld_urls, withheld_hashes).scan_site(site_dir)


def scan_with_plan(site_dir: str | Path, plan) -> list[Leak]:
    """Scan a folder against everything a plan withholds."""
    return scan_site(site_dir, fingerprints=plan.fingerprints, withheld_urls=plan.withheld_urls,
                     withheld_hashes=plan.withheld_hashes)


def withheld_links(rel: str, html_fragment: str, withheld_urls: Iterable[str]) -> list[tuple[str, str]]:
    """(link, withheld URL) for every link in an HTML fragment at site path rel that
    leads to a withheld page. Used by the build to name the page and the target."""
    if not html_fragment.strip():
        return []
    try:
        root = lxml.html.fragment_fromstring(html_fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return []
    links = [v for el in root.iter() for k, v in el.attrib.items() if k in _LINK_ATTRS]
    return Scanner([], withheld_urls).withheld_targets(rel, links)
