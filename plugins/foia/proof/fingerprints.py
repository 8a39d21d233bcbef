"""Fingerprints of withheld material, in a form that survives rendering.

Both the fingerprint and the text it is looked for in are reduced to lower-case word
tokens separated by single spaces, so Markdown syntax, HTML tags, entities, smart
quotes, JSON escapes and line breaks cannot hide a match.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick_rs
import lxml.html
import markdown

from foia.proof.normalise import normalise
from foia.rules.records import Record, RecordError, split_front_matter

MIN_SENTENCE_TOKENS = 6  # shorter fragments are too common to prove anything
WINDOW = 8  # long sentences become overlapping 8-word windows...
STRIDE = 4  # ...every 4 words, so any leaked run of 11 or more words is caught
MIN_TITLE_TOKENS = 3

_FRONT_MATTER_BLOCK = re.compile(r"\A---.*?^(?:---|\.\.\.)\s*$", re.S | re.M)
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")
_BLOCKS = ("p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dt", "dd")


@dataclass(frozen=True)
class Fingerprint:
    kind: str  # reference | title | text | part2 | filename
    source: str  # the content file it protects
    needle: str  # normalised tokens, padded with spaces
    label: str  # readable form for the error message

    def describe(self) -> str:
        return f"{self.kind} of {self.source} ({self.label[:80]!r})"


class Needles:
    """Needles, each with a label, all found in one pass over a text (Aho-Corasick, by
    ahocorasick_rs: its contiguous automaton is compact enough to stay in the CPU's cache,
    which makes the scan's search about twice as fast as a node-per-letter trie).

    Needles and texts are compared as UTF-8 bytes, lone surrogates kept ("surrogatepass"):
    the library's str automaton silently drops every pattern from the first one holding a
    lone surrogate (a file name read from a non-UTF-8 disk has them), and its search fails
    on a text holding one. UTF-8 matches exactly where the text matches. Normalised
    text comes as bytes already (normalised_utf8)."""

    def __init__(self, labelled: Iterable[tuple[str, object]]):
        needles: dict[str, object] = {}
        for needle, label in labelled:
            needles.setdefault(needle, label)  # the first label given for a needle is kept
        self.labels = list(needles.values())
        self._search = None
        if needles:
            automaton = ahocorasick_rs.BytesAhoCorasick([n.encode("utf-8", "surrogatepass") for n in needles],
                                                        implementation=ahocorasick_rs.Implementation.ContiguousNFA)
            self._search = automaton.find_matches_as_indexes

    def __len__(self) -> int:
        return len(self.labels)

    def found_in(self, text: str | bytes) -> list:
        """The label of every needle occurrence in text (overlapping ones too), in the
        order the occurrences end."""
        if self._search is None:
            return []
        if isinstance(text, str):
            text = text.encode("utf-8", "surrogatepass")
        labels = self.labels
        return [labels[i] for i, _start, _end in self._search(text, overlapping=True)]

    def any_in(self, text: str | bytes) -> bool:
        if self._search is None:
            return False
        if isinstance(text, str):
            text = text.encode("utf-8", "surrogatepass")
        return bool(self._search(text))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def markdown_text(body: str) -> str:
    """Rendered text of Markdown, block by block, one block a line."""
    html = markdown.markdown(body, extensions=["tables", "attr_list", "md_in_html", "def_list"])
    if not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    lines = []
    for el in root.iter(*_BLOCKS):
        lines.append(" ".join(t.strip() for t in el.itertext() if t.strip()))
    return "\n".join(lines) if lines else " ".join(root.itertext())


def sentences(text: str) -> list[str]:
    """Distinctive needles of a text, normalised: each sentence of 6 to 8 words whole,
    longer ones as overlapping windows, so a truncated excerpt (a search snippet, a
    shortened summary) still matches."""
    needles = []
    for part in _SENTENCE_END.split(text):
        tokens = normalise(part).split()
        if len(tokens) < MIN_SENTENCE_TOKENS:
            continue
        starts = list(range(0, max(len(tokens) - WINDOW, 0) + 1, STRIDE))
        if starts[-1] + WINDOW < len(tokens):
            starts.append(len(tokens) - WINDOW)
        needles.extend(" " + " ".join(tokens[i:i + WINDOW]) + " " for i in starts)
    return needles


@dataclass(frozen=True)
class WithheldSource:
    """One withheld file, as the proof needs it: the plan makes these, collect() reads them."""

    path: str  # the content file it protects (named in a leak)
    kind: str  # "record" (a valid withheld record) | "invalid" (a record with errors) | "part2" | "attachment"
    data: bytes  # the file's bytes; its text is read by format
    record: Record | None = None  # a valid withheld record: its reference, title and fields count too
    # The public Part 1 (text and fields) of the same decision, for a Part 2 file or a withheld
    # document of a public record: wording the decision itself publishes is not a leak.
    own_public_text: str = ""


def collect(sources: Iterable[WithheldSource], *, stock_wording: Iterable[str] = (),
            announce_references: bool = False) -> list[Fingerprint]:
    """Every needle the leak scan must not find.

    A needle is left out only when its wording is (a) in the same decision's own public
    Part 1 (a Part 2 form restating its recommendation) or (b) wording the site itself
    prints or the reviewed stock wording (stock_wording). Never because some other
    content carries it: that is what a paste of withheld text looks like. References and
    file names never drop."""
    found: dict[str, Fingerprint] = {}
    own: dict[str, set[str]] = {}  # needle -> the sources whose own public Part 1 carries it

    def add(kind: str, source: str, text: str, *, as_sentences: bool) -> None:
        if as_sentences:
            for needle in sentences(text):
                found.setdefault(needle, Fingerprint(kind, source, needle, needle.strip()))
        else:
            needle = normalise(text)
            if needle.strip():
                found.setdefault(needle, Fingerprint(kind, source, needle, text))

    sources = list(sources)
    for src in sources:
        name = src.path.rsplit("/", 1)[-1]
        if src.kind in ("part2", "attachment"):
            found.setdefault("file:" + name, Fingerprint("filename", src.path, name.casefold(), name))
        if src.kind == "record" and src.record is not None:
            record = src.record
            if not announce_references:
                add("reference", record.path, record.reference, as_sentences=False)
            if len(normalise(record.title).split()) >= MIN_TITLE_TOKENS:
                add("title", record.path, record.title, as_sentences=False)
            add("text", record.path, markdown_text(record.body), as_sentences=True)
            for extra in (record.summary, record.deferred_reason, record.part2_reason):
                if extra:
                    add("text", record.path, extra, as_sentences=True)
        elif src.kind == "invalid":
            _add_invalid(add, src.path, src.data.decode("utf-8", "replace"))
        elif src.path.lower().endswith((".md", ".markdown")):
            text = src.data.decode("utf-8", "replace")
            add("part2" if src.kind == "part2" else "text", src.path,
                markdown_text(_FRONT_MATTER_BLOCK.sub("", text, count=1)), as_sentences=True)
        if src.own_public_text:
            own[src.path] = set(sentences(src.own_public_text))
    stock = {n for text in stock_wording for n in sentences(text)}
    return [f for k, f in found.items()
            if f.kind in ("reference", "filename") or (k not in stock and k not in own.get(f.source, ()))]


def _add_invalid(add, path: str, text: str) -> None:
    """An invalid record is withheld: fingerprint what it would have published."""
    try:
        meta, body = split_front_matter(path, text)
    except RecordError:
        meta, body = {}, _FRONT_MATTER_BLOCK.sub("", text, count=1)
    add("text", path, markdown_text(body), as_sentences=True)
    for key in ("title", "summary", "deferred_reason", "part2_reason"):
        if isinstance(meta.get(key), str):
            add("text", path, meta[key], as_sentences=True)
    if isinstance(meta.get("title"), str) and len(normalise(meta["title"]).split()) >= MIN_TITLE_TOKENS:
        add("title", path, meta["title"], as_sentences=False)
    if isinstance(meta.get("reference"), str):
        add("reference", path, meta["reference"], as_sentences=False)
