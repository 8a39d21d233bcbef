"""Fingerprints of withheld material, in a form that survives rendering and conversion.

Every withheld file is read by its format (proof/extract.py: Markdown rendered, plain text,
CSV, PDF, Office...) into the words a reader sees, and its needles are runs of those words,
normalised (proof/normalise.py) as the scan normalises every output file:

- a sentence of six words or more: whole, or as overlapping windows of eight words every
  four, so any eleven words of it that appear together are found;
- the short cells of a table or items of a list (or short sentences of one paragraph):
  their words joined in reading order, a window of eight from the start of each piece, so
  a pasted price table or bullet list is found though every cell is short.

Every needle has five different words and one word of three letters or more: a row of
years or "Yes / No" cells proves nothing.

A needle is left out only when its wording is stock (template text, the site's name and
description, the reviewed stock-wording file) or in the same decision's own public Part 1;
never because other content carries it. References and file names never drop.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick_rs

from foia.proof import extract
from foia.proof.normalise import fold_word, normalise, normalised_utf8, words
from foia.rules.records import Record, RecordError, split_front_matter

MIN_SENTENCE_TOKENS = 6  # shorter fragments are too common to prove anything
WINDOW = 8  # long sentences become overlapping 8-word windows...
STRIDE = 4  # ...every 4 words, so any leaked run of 11 or more words is caught
# A withheld record's title is a needle from four words: a three-word title is as often a
# name everyone uses ("Violence Reduction Unit"), and a public page that names the unit is
# no leak. The reference is always a needle, and the text's sentences are too.
MIN_TITLE_TOKENS = 4
MIN_DISTINCT = 5  # different words a needle must have...
MIN_LETTERS = 3  # ...one of them with this many letters

_FRONT_MATTER_BLOCK = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n.*?^(?:---|\.\.\.)[ \t]*$", re.S | re.M)
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")
# Front matter keys whose values are facts every public page shows of any decision (the
# decision maker, dates, flags, topics): not withheld wording. The reference has its own
# needle.
_NOT_WORDING = frozenset({"reference", "decision_maker", "approved", "deferred", "deferred_until", "part2", "tags",
                          "template", "schema_version", "search", "hide"})


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

    def found_at(self, text: bytes) -> list[tuple[object, int, int]]:
        """(label, start, end) of every needle occurrence in text (UTF-8 byte offsets)."""
        if self._search is None:
            return []
        labels = self.labels
        return [(labels[i], start, end) for i, start, end in self._search(text, overlapping=True)]

    def any_in(self, text: str | bytes) -> bool:
        if self._search is None:
            return False
        if isinstance(text, str):
            text = text.encode("utf-8", "surrogatepass")
        return bool(self._search(text))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ----------------------------------------------------------------------------- needles of a text


@functools.lru_cache(maxsize=1 << 16)
def _folded(word: str) -> str:
    """fold_word, cached: a vocabulary repeats (bounded; the function is pure)."""
    return fold_word(word)


def _needle(window: list[str]) -> str:
    """The normalised form of a run of words (what normalise gives the same words in any
    text, since the rule folds word by word)."""
    return " " + " ".join(f for w in window if (f := _folded(w))) + " "


def _informative(window: list[str]) -> bool:
    return len(set(window)) >= MIN_DISTINCT and any(sum(c.isalpha() for c in w) >= MIN_LETTERS for w in window)


def _windows(tokens: list[str], starts: Iterable[int], size: int = WINDOW) -> list[list[str]]:
    """The windows of size words from each start (the last one ends at the end)."""
    out = []
    seen = set()
    for start in starts:
        start = max(0, min(start, len(tokens) - size))
        if start not in seen:
            seen.add(start)
            out.append(tokens[start:start + size])
    return out


def text_needles(lines: Iterable[str]) -> list[tuple[str, str]]:
    """(needle, label) for the text of lines (blocks, in reading order): sentences whole or
    in windows; the short pieces of one table or list (a line holding extract.GROUP between
    its cells or items), or the short sentences of one paragraph, joined (see the module
    docstring). Runs never cross from one block to the next: consecutive headings are the
    same on many decisions."""
    found: list[tuple[str, str]] = []
    run: list[str] = []  # words of consecutive short pieces
    run_starts: list[int] = []

    def add(window: list[str]) -> None:
        if len(window) >= MIN_SENTENCE_TOKENS and _informative(window):
            found.append((_needle(window), " ".join(window)))

    def end_run() -> None:
        for window in _windows(run, run_starts):
            add(window)
        run.clear()
        run_starts.clear()

    def piece(text: str) -> None:
        for sentence in _SENTENCE_END.split(text):
            tokens = words(sentence)
            if len(tokens) >= MIN_SENTENCE_TOKENS:
                end_run()
                for window in _windows(tokens, range(0, len(tokens), STRIDE)):
                    add(window)
            elif tokens:
                run_starts.append(len(run))
                run.extend(tokens)

    for line in lines:
        if extract.GROUP in line:
            for member in line.split(extract.GROUP):
                piece(member)
            end_run()
            continue
        for paragraph in extract.plain_paragraphs(line):
            piece(paragraph)
            end_run()
    return found


def sentences(text: str) -> list[str]:
    """The needles of a text (see text_needles)."""
    return [needle for needle, _ in text_needles([text])]


def markdown_text(body: str) -> str:
    """Rendered text of Markdown, block by block, one block a line."""
    return "\n".join(extract.markdown_reading(body).lines)


# ----------------------------------------------------------------------------- withheld sources


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
    # The same decision's published documents (path, bytes): part of its public Part 1 too.
    own_public_files: tuple[tuple[str, bytes], ...] = ()


def collect(sources: Iterable[WithheldSource], *, stock_wording: Iterable[str] = (),
            announce_references: bool = False, published_names: Iterable[str] = ()) -> list[Fingerprint]:
    """Every needle the leak scan must not find.

    A needle is left out only when its wording is (a) in the same decision's own public
    Part 1 (a Part 2 form restating its recommendation) or (b) wording the site itself
    prints or the reviewed stock wording (stock_wording): 'in' means the needle's words
    occur together in that text. Never because some other content carries it: that is
    what a paste of withheld text looks like. References never drop; a withheld file's
    name drops only when the site publishes a file of that very name (published_names:
    'Appendix A.pdf' of a public decision and of a deferred one), since the name then
    says nothing of the withheld file (its bytes and text are fingerprinted apart)."""
    published = {name.casefold() for name in published_names}
    found: dict[str, list[Fingerprint]] = {}  # needle -> one fingerprint per source that has it

    def add(kind: str, source: str, needle: str, label: str) -> None:
        if not needle.strip():
            return
        holders = found.setdefault("file:" + needle if kind == "filename" else needle, [])
        if all(f.source != source for f in holders):
            holders.append(Fingerprint(kind, source, needle, label))

    def add_text(kind: str, source: str, lines: Iterable[str]) -> None:
        for needle, label in text_needles(lines):
            add(kind, source, needle, label)

    own: dict[str, bytes] = {}
    for src in sources:
        name = src.path.rsplit("/", 1)[-1]
        if src.kind in ("part2", "attachment") and name.casefold() not in published:
            add("filename", src.path, name.casefold(), name)
        if src.kind == "record" and src.record is not None:
            record = src.record
            if not announce_references:
                add("reference", record.path, normalise(record.reference), record.reference)
            if len(words(record.title)) >= MIN_TITLE_TOKENS:
                add("title", record.path, normalise(record.title), record.title)
            extra = [record.title, record.summary, record.deferred_reason, record.part2_reason]
            add_text("text", record.path, [*extract.markdown_reading(record.body).lines, *(e for e in extra if e)])
        elif src.kind == "invalid" or (src.kind == "record" and src.record is None):
            _add_invalid(add, add_text, src.path, src.data)
        else:
            kind = "part2" if src.kind == "part2" else "text"
            if extract.suffix(src.path) in extract.MARKDOWN_SUFFIXES:
                meta, body = _front_matter(src.data)
                add_text(kind, src.path, [*extract.markdown_reading(body).lines, *_wording(meta)])
            else:
                add_text(kind, src.path, extract.read(src.path, src.data, source=True).lines)
        own_texts = [src.own_public_text, *(extract.read(path, data).text() for path, data in src.own_public_files)]
        for text in own_texts:
            if text:
                own[src.path] = b"\0".join([own.get(src.path, b""), normalised_utf8(text)])
    return _drop_stock_and_own(found, stock_wording, own)


def _drop_stock_and_own(found: dict[str, list[Fingerprint]], stock_wording: Iterable[str],
                        own: dict[str, bytes]) -> list[Fingerprint]:
    """The fingerprints less those whose wording is stock, or in the own public Part 1 of
    every source that has it. References and file names always stay."""
    droppable = [n for n, holders in found.items() if holders[0].kind not in ("reference", "filename")]
    if not droppable:
        return [holders[0] for holders in found.values()]
    search = Needles((n, n) for n in droppable)
    stock_text = b"\0".join(normalised_utf8(piece) for piece in stock_wording if piece and piece.strip())
    stock = set(search.found_in(stock_text)) if stock_text else set()
    in_own: dict[str, set[str]] = {path: set(search.found_in(text)) for path, text in own.items()}
    kept = []
    for needle, holders in found.items():
        if holders[0].kind in ("reference", "filename"):
            kept.append(holders[0])
            continue
        if needle in stock:
            continue
        unexcused = [f for f in holders if needle not in in_own.get(f.source, ())]
        if unexcused:
            kept.append(unexcused[0])
    return kept


def _front_matter(data: bytes) -> tuple[dict, str]:
    """The front matter (a mapping, or empty) and body of a Markdown file."""
    text = data.decode("utf-8", "replace")
    m = _FRONT_MATTER_BLOCK.match(text)
    if not m:
        return {}, text
    body = text[m.end():]
    block = m.group(0).split("\n", 1)[-1].rsplit("\n", 1)[0]
    try:
        # The rules' own reader: it refuses anchors, aliases and deep nesting before building
        # anything, so a withheld alias bomb costs nothing here either.
        meta, _ = split_front_matter("", text)
    except RecordError:
        return {}, block + "\n" + body  # unreadable front matter: its text is wording too
    return meta, body


def _wording(meta: dict) -> list[str]:
    """Every text value of front matter (nested too) but the facts in _NOT_WORDING."""
    out: list[str] = []
    stack = [v for k, v in meta.items() if str(k) not in _NOT_WORDING]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return out


def _add_invalid(add, add_text, path: str, data: bytes) -> None:
    """An invalid record is withheld: fingerprint what it would have published."""
    meta, body = _front_matter(data)
    title = meta.get("title")
    add_text("text", path, [*extract.markdown_reading(body).lines, *_wording(meta)])
    if isinstance(title, str) and len(words(title)) >= MIN_TITLE_TOKENS:
        add("title", path, normalise(title), title)
    reference = meta.get("reference")
    if isinstance(reference, str) and reference.strip():  # never announced: always a needle
        add("reference", path, normalise(reference), reference)
