"""Fingerprints of withheld material, in a form that survives rendering.

Both the fingerprint and the text it is looked for in are reduced to lower-case word
tokens separated by single spaces, so Markdown syntax, HTML tags, entities, smart
quotes, JSON escapes and line breaks cannot hide a match.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import ahocorasick
import lxml.html
import markdown

from .records import RecordError, split_front_matter

MIN_SENTENCE_TOKENS = 6  # shorter fragments are too common to prove anything
WINDOW = 8  # long sentences become overlapping 8-word windows...
STRIDE = 4  # ...every 4 words, so any leaked run of 11 or more words is caught
MIN_TITLE_TOKENS = 3

_FRONT_MATTER_BLOCK = re.compile(r"\A---.*?^(?:---|\.\.\.)\s*$", re.S | re.M)
_NON_WORD = re.compile(r"[\W_]+")
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


def normalise(text: str) -> str:
    """' word word word ' in lower case: the shape both sides are compared in."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " " + _NON_WORD.sub(" ", text).strip() + " "


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


def shared_by(needles: Iterable[str], texts: Iterable[str], at_least: int) -> set[str]:
    """The needles that occur in at least `at_least` of the texts (one Aho-Corasick pass)."""
    automaton = ahocorasick.Automaton()
    for needle in needles:
        automaton.add_word(needle, needle)
    if len(automaton) == 0:
        return set()
    automaton.make_automaton()
    counts: dict[str, int] = {}
    for text in texts:
        for needle in {needle for _end, needle in automaton.iter(normalise(text))}:
            counts[needle] = counts.get(needle, 0) + 1
    return {needle for needle, n in counts.items() if n >= at_least}


def collect(*, withheld, invalid_texts: Mapping[str, str], part2_files, public_texts: Iterable[str],
            announce_references: bool) -> list[Fingerprint]:
    """Every needle the leak scan must not find.

    Text that two or more public sources also carry word for word is boilerplate (the
    form's standard sentences) and is dropped, since finding it proves nothing. Text
    that only one public source carries is kept: that is what a paste of Part 2 text
    into a public page looks like, and the scan must stop it. References never drop."""
    found: dict[str, Fingerprint] = {}

    def add(kind: str, source: str, text: str, *, as_sentences: bool) -> None:
        if as_sentences:
            for needle in sentences(text):
                found.setdefault(needle, Fingerprint(kind, source, needle, needle.strip()))
        else:
            needle = normalise(text)
            if needle.strip():
                found.setdefault(needle, Fingerprint(kind, source, needle, text))

    for record in withheld:
        if not announce_references:
            add("reference", record.path, record.reference, as_sentences=False)
        if len(normalise(record.title).split()) >= MIN_TITLE_TOKENS:
            add("title", record.path, record.title, as_sentences=False)
        add("text", record.path, markdown_text(record.body), as_sentences=True)
        for extra in (record.summary, record.deferred_reason, record.part2_reason):
            if extra:
                add("text", record.path, extra, as_sentences=True)
    for path, text in invalid_texts.items():
        _add_invalid(add, path, text)
    for p2 in part2_files:
        name = p2.path.rsplit("/", 1)[-1]
        found.setdefault("file:" + name, Fingerprint("filename", p2.path, name.casefold(), name))
        if p2.body:
            add("part2", p2.path, markdown_text(p2.body), as_sentences=True)
    shared = shared_by((k for k, f in found.items() if f.kind in ("text", "part2", "title")), public_texts, 2)
    return [f for k, f in found.items() if k not in shared]


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
