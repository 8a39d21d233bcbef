"""The content tree: every file under the docs folder is classified or refused.

Walking the folder (links are never followed):

- **Symbolic links** (to a file or a folder, inside or outside the content folder) are
  refused: an error naming the link and its target. Nothing behind a link is read,
  classified or published, whatever the plugin's ``strict`` option says; a record or page
  reached only through a link is simply not there. Put the file itself in the folder.
  Other special files (pipes, sockets, devices) are refused the same way.
- Dot files and folders, and a top-level ``templates/`` folder, are ignored (the
  generator's own defaults); ``private`` paths (the ledger) are the comms team's files,
  neither read nor published.

Each remaining file is, by its path:

- a **Part 2 file**, when any part of its path is named like Part 2 (``is_part2_path``):
  never published, whatever it is;
- under ``decisions/``: a Markdown file is a **record** (valid, or invalid and withheld);
  any other file is a record's possible **document**, published only on a day its record
  is public *and* that record's Part 1 links to it (plan.py);
- elsewhere: a Markdown file is a **page** (HTML comments removed), anything else an
  **asset** (images, styles), published as it is.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import icu  # PyICU: the TR39 confusables skeleton, as the proof uses

from foia.rules import markup
from foia.rules.records import (
    DECISIONS_DIR,
    MAX_RECORD_BYTES,
    Record,
    RecordError,
    file_slug,
    front_matter_end,
    is_markdown,
    parse_record,
    slugify,
    split_front_matter,
)

# Part 2 by name, matched on a path folded by _fold (NFKC, casefold, format characters and
# accents dropped): "part" then any separators then 2 / ii / two; "pt" or "p" likewise at
# the start of a word. Not a longer number (part20, p21), not Part III, not map2 or step2.
# Deliberately broad: a false match only withholds a file.
# At the start of a word (or after a digit): "department 2" and "apartment 2" are not Part 2.
_PART2 = re.compile(r"(?<![a-z])(?:part|pt|p)[^a-z0-9]*(?:2(?![0-9])|ii(?![i0-9])|two(?![a-z0-9]))")
_IGNORED_TOP_FOLDERS = ("templates",)
_PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")  # served as pages, not downloads
_SPOOF = icu.SpoofChecker()


@dataclass(frozen=True)
class Part2File:
    """A Part 2 form or attachment: never processed, rendered, copied or linked."""

    path: str
    reference: str | None  # from front matter, for Markdown Part 2 forms that name one
    body: str | None  # text of a Markdown Part 2 file, for the leak scan
    data: bytes  # raw bytes, so the leak scan can find a copy anywhere


@dataclass(frozen=True)
class Attachment:
    """A file under decisions/ that is neither a record nor Part 2: a record's document,
    published only with a public record whose Part 1 links to it."""

    path: str
    data: bytes


@dataclass(frozen=True)
class InvalidRecord:
    """A record file with errors: withheld like any other record, and its files with it."""

    path: str
    data: bytes
    reference: str | None = None  # its front matter's reference, when that can be read
    links: tuple[markup.Link, ...] = ()

    @property
    def slug(self) -> str:
        return file_slug(self.path)

    @property
    def slugs(self) -> set[str]:
        """Every slug it may claim: its file name's and its reference's."""
        return {self.slug} | ({slugify(self.reference)} if self.reference else set())

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", "replace")


@dataclass
class Content:
    records: list[Record] = field(default_factory=list)
    invalid_records: list[InvalidRecord] = field(default_factory=list)
    part2_files: list[Part2File] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # Markdown pages that are not records
    assets: dict[str, bytes] = field(default_factory=dict)  # other files outside decisions/
    errors: list[RecordError] = field(default_factory=list)
    warnings: list[RecordError] = field(default_factory=list)
    # Files refused outright (links, special files, unreadable or broken pages): never published.
    refused: list[str] = field(default_factory=list)
    # Raw bytes of every record, Part 2 file and attachment, by path (for the proof).
    sources: dict[str, bytes] = field(default_factory=dict)
    # What the generator would read of each publishable file (records and pages without
    # their HTML comments, other files as they are); the plan picks the day's public ones.
    staging: dict[str, bytes] = field(default_factory=dict)
    # Each record's (valid or invalid) links to attachments, in order: path -> [(file, link)].
    attachment_links: dict[str, list[tuple[str, markup.Link]]] = field(default_factory=dict)

    @property
    def invalid_record_paths(self) -> list[str]:
        return [r.path for r in self.invalid_records]

    @property
    def invalid_record_texts(self) -> dict[str, str]:
        return {r.path: r.text for r in self.invalid_records}


def _fold(text: str) -> str:
    """A name as the Part 2 matcher reads it: compatibility forms (full-width, superscript,
    Roman numerals) made plain, any case, no format characters (soft hyphen, zero-width),
    no accents, and letters of other scripts that look like Latin ones (Cyrillic "Р", Greek
    "ρ") read as those."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = unicodedata.normalize("NFKD", text)
    return "".join(_latin_look_alike(c) for c in text if unicodedata.category(c) not in ("Cf", "Mn"))


@functools.cache
def _latin_look_alike(char: str) -> str:
    """The Latin letters a non-ASCII letter is confusable with (its TR39 skeleton, ICU's),
    else the letter itself. Letters only: the skeleton also reads "1" as "l", which would
    make "p21" a Part 2 name."""
    if char.isascii() or not char.isalpha():
        return char
    for form in (char, char.upper()):  # names are case-folded; "т" looks like "T" as "Т"
        skeleton = _SPOOF.getSkeleton(0, form).casefold()
        if skeleton.isascii() and skeleton.isalpha():
            return skeleton
    return char


def is_part2_path(path: str) -> bool:
    """Part 2 by name: a file or any folder above it named like Part 2 (``x.part2.pdf``,
    ``x-P2.docx``, ``Part 2 – confidential/``, ``part_two/``, ``x.part2 (1).pdf``...)."""
    return _PART2.search(_fold(path)) is not None


def is_record_path(path: str) -> bool:
    return PurePosixPath(path).parts[:1] == (DECISIONS_DIR,) and is_markdown(path) and not is_part2_path(path)


def load_content(docs_dir: str | Path, *, private: Iterable[str] = ()) -> Content:
    """Classify every file under docs_dir (see the module docstring). ``private``: paths,
    relative to docs_dir, of the comms team's own files (the ledger), never published."""
    docs = Path(docs_dir)
    content = Content()
    renderer = markup.Renderer()
    skipped = {PurePosixPath(p).as_posix() for p in private}
    files = list(_files(docs, content, skipped))
    parsed = parse_records([(rel, data) for rel, data in files if is_record_path(rel)],
                           workers=2 if len(files) >= PARALLEL_FROM else 1)
    for rel, data in files:
        if is_part2_path(rel):
            content.sources[rel] = data
            content.part2_files.append(_part2_file(rel, data, content))
        elif rel.startswith(DECISIONS_DIR + "/"):
            content.sources[rel] = data
            if is_markdown(rel):
                _add_record(rel, data, parsed[rel], content, renderer)
            else:
                content.attachments.append(Attachment(rel, data))
                content.staging[rel] = data
        elif is_markdown(rel):
            _add_page(rel, data, content)
        else:
            content.assets[rel] = content.staging[rel] = data
    _withhold_duplicates(content)
    _check_part2_owners(content)
    _link_attachments(content)
    return content


def _files(docs: Path, content: Content, skipped: set[str]) -> Iterator[tuple[str, bytes]]:
    """(path, bytes) of every regular file, without following links; links and special
    files are errors. Iterative, so no folder depth can exhaust the stack."""
    folders = [(docs, "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda e: e.name, reverse=True)
        except OSError as e:
            content.errors.append(RecordError(prefix.rstrip("/") or ".", None, f"folder cannot be read: {e.strerror}"))
            continue
        for entry in entries:
            rel = prefix + entry.name
            if rel in skipped or entry.name.startswith(".") or (not prefix and entry.name in _IGNORED_TOP_FOLDERS):
                continue
            if entry.is_symlink():
                content.errors.append(RecordError(rel, None, f"is a symbolic link to {_link_target(entry.path)!r}; links "
                                                             "are refused, and nothing behind one is published: put the "
                                                             "file itself here"))
                content.refused.append(rel)
            elif entry.is_dir(follow_symlinks=False):
                folders.append((Path(entry.path), rel + "/"))
            elif not entry.is_file(follow_symlinks=False):
                content.errors.append(RecordError(rel, None, "is not a regular file or folder (a pipe, socket or device)"))
                content.refused.append(rel)
            else:
                try:
                    data = Path(entry.path).read_bytes()
                except OSError as e:
                    content.errors.append(RecordError(rel, None, f"cannot be read: {e.strerror}"))
                    content.refused.append(rel)
                    continue
                yield rel, data
    content.refused.sort()


def _link_target(path: str) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


Parsed = tuple[Record | None, list[RecordError]]
PARALLEL_FROM = 500  # files from which records are parsed by two processes


def parse_records(items: list[tuple[str, bytes]], *, workers: int = 1) -> dict[str, Parsed]:
    """parse_record of each (path, bytes), by path. workers=2: a forked copy of this
    process parses the second half meanwhile (a speed trick: parsing is most of loading a
    large content folder, and the second CPU is idle then; a test holds it to workers=1).
    Where no fork can be made, or it fails, this process parses everything."""
    half = len(items) // 2 if workers > 1 and _can_fork() else len(items)
    other = _parse_forked(items[half:]) if half < len(items) else None
    renderer = markup.Renderer()
    results = {rel: parse_record(rel, data, renderer) for rel, data in items[:half]}
    results.update(_take_forked(other) or {rel: parse_record(rel, data, renderer) for rel, data in items[half:]})
    return results


def _can_fork() -> bool:
    # A fork copies one thread only: with other threads running (mkdocs serve) it could
    # copy a lock held by one of them.
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _parse_forked(items: list[tuple[str, bytes]]):
    context = multiprocessing.get_context("fork")
    try:
        results, out = context.Pipe(duplex=False)
        worker = context.Process(target=_parse_and_send, args=(items, out), daemon=True)
        worker.start()
        out.close()
    except (OSError, ValueError):
        return None
    return worker, results


def _parse_and_send(items: list[tuple[str, bytes]], out) -> None:
    renderer = markup.Renderer()
    out.send({rel: parse_record(rel, data, renderer) for rel, data in items})
    out.close()


def _take_forked(forked) -> dict[str, Parsed] | None:
    if forked is None:
        return None
    worker, results = forked
    try:
        return results.recv()
    except (EOFError, OSError, ValueError, TypeError, AttributeError):  # it died, or sent what cannot be read
        return None
    finally:
        results.close()
        worker.join()


def _add_record(rel: str, data: bytes, parsed: Parsed, content: Content, renderer: markup.Renderer) -> None:
    record, errors = parsed
    if record is not None:
        content.records.append(record)
        content.staging[rel] = _staged_record(data, record)
        return
    content.errors.extend(errors)
    content.invalid_records.append(_invalid(rel, data, renderer))


def _staged_record(data: bytes, record: Record) -> bytes:
    """The record file as published: its front matter, then its body without comments."""
    text = data.decode("utf-8").removeprefix("\ufeff")
    end = front_matter_end(text)
    return (text[:end] + record.body).encode("utf-8")


def _invalid(rel: str, data: bytes, renderer: markup.Renderer) -> InvalidRecord:
    """What can still be read of a record with errors: its reference and its links (so
    its files are withheld with it)."""
    text = data.decode("utf-8", "replace").removeprefix("\ufeff")
    reference = None
    try:
        meta, body = split_front_matter(rel, text)
        if isinstance(meta.get("reference"), str) and meta["reference"].strip():
            reference = meta["reference"].strip()
    except RecordError:
        end = front_matter_end(text)
        body = text[end:] if end is not None else text
    body = markup.strip_comments(body)[0]
    links: tuple[markup.Link, ...] = ()
    if len(data) <= MAX_RECORD_BYTES and "\x00" not in body:
        links = tuple(markup.links(renderer.html(body)))
    return InvalidRecord(rel, data, reference, links)


def _add_page(rel: str, data: bytes, content: Content) -> None:
    problem = None
    if len(data) > MAX_RECORD_BYTES:
        problem = f"is {len(data):,} bytes; a Markdown page may be at most {MAX_RECORD_BYTES // 1024 // 1024} MiB"
    elif b"\x00" in data:
        problem = "is a binary file, not Markdown text"
    else:
        try:
            text = data.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            problem = f"is not valid UTF-8 (byte {e.start}, line {line}); save the file as UTF-8"
    if problem is None:
        end = front_matter_end(text) or 0
        body, open_at = markup.strip_comments(text[end:])
        kept, kept_at = markup.strip_comments(text[end:], keep_lines=True)  # lines as in the file
        if open_at is not None:
            line = text[:end].count("\n") + (kept[:kept_at] if kept_at is not None else body[:open_at]).count("\n") + 1
            problem = f"line {line}: an HTML comment ('<!--') is never closed with '-->'"
        elif markup.too_costly(body) is not None:
            line = text[:end].count("\n") + (markup.too_costly(kept) or 1)
            problem = (f"line {line}: more than {markup.MAX_BRACKETS_PER_BLOCK:,} '[' in one paragraph; "
                       "Markdown cannot render that in reasonable time")
        else:
            content.pages.append(rel)
            content.staging[rel] = (text[:end] + body).encode("utf-8")
            return
    content.errors.append(RecordError(rel, None, problem + " (the page is not published)"))
    content.refused.append(rel)


def _part2_file(rel: str, data: bytes, content: Content) -> Part2File:
    """A Part 2 file. A Markdown one may name its record in front matter (``reference:``);
    a note without front matter, or in another encoding, is withheld all the same."""
    if not is_markdown(rel):
        return Part2File(rel, None, None, data)
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return Part2File(rel, None, data.decode("utf-8", "replace"), data)
    reference = None
    end = front_matter_end(text)
    if end is not None:
        try:
            meta, _ = split_front_matter(rel, text)
        except RecordError as e:
            content.warnings.append(RecordError(rel, e.key, f"{e.message} (a Part 2 file: withheld all the same)"))
            meta = {}
        ref = meta.get("reference")
        if isinstance(ref, str) and ref.strip():
            reference = ref.strip()
        elif ref is not None:
            content.errors.append(RecordError(rel, "reference", "must be the reference of this Part 2 form's record, "
                                                                f"as text, got {ref!r}"))
    return Part2File(rel, reference, text[end:] if end is not None else text, data)


def _withhold_duplicates(content: Content) -> None:
    """Two records with one reference (one slug): neither is published."""
    by_slug: dict[str, list[Record]] = {}
    for record in content.records:
        by_slug.setdefault(record.slug, []).append(record)
    duplicates = {slug: group for slug, group in by_slug.items() if len(group) > 1}
    if not duplicates:
        return
    for group in duplicates.values():
        for record in group:
            others = ", ".join(r.path for r in group if r is not record)
            content.errors.append(RecordError(record.path, "reference",
                                              f"duplicate reference {record.reference!r}: also used by {others}"))
            data = content.sources[record.path]
            content.invalid_records.append(InvalidRecord(record.path, data, record.reference, record.links))
            content.staging.pop(record.path, None)
    content.records = [r for r in content.records if r.slug not in duplicates]


def owner_by_name(path: str, slugs: Iterable[str]) -> str | None:
    """The record slug a file's name (or a folder above it) starts with, as in
    'dmpcd-2016-031.annex.pdf' or 'DMPCD 2016 031 prices.xlsx'; the longest wins."""
    known = set(slugs)
    best = None
    for part in PurePosixPath(path).parts:
        words = slugify(part).split("-")
        for n in range(1, len(words) + 1):
            candidate = "-".join(words[:n])
            if candidate in known and (best is None or len(candidate) > len(best)):
                best = candidate
    return best


def _check_part2_owners(content: Content) -> None:
    by_slug = {r.slug: r for r in content.records}
    invalid_slugs = {slug for r in content.invalid_records for slug in r.slugs}
    for p2 in content.part2_files:
        if p2.reference is not None:
            owner = by_slug.get(slugify(p2.reference))
            if owner is None:
                if slugify(p2.reference) not in invalid_slugs:  # else its record's errors are reported
                    content.errors.append(RecordError(p2.path, "reference",
                                                      f"Part 2 file: no record has reference {p2.reference!r}"))
            elif not owner.part2:
                content.errors.append(RecordError(p2.path, "reference", f"Part 2 file for {owner.reference!r}, but "
                                                                        f"{owner.path} says part2: false"))
        elif (slug := owner_by_name(p2.path, by_slug)) is not None and not by_slug[slug].part2:
            owner = by_slug[slug]
            content.warnings.append(RecordError(p2.path, None, f"named as a Part 2 file of {owner.reference!r}, but "
                                                               f"{owner.path} says part2: false; the file is not "
                                                               "published (rename it if it is not Part 2)"))


def _link_attachments(content: Content) -> None:
    """Which attachments each record links to; a link to a Part 2 file from a record is an
    error, and an attachment no record links to is named in a warning (never published)."""
    attachments = {a.path for a in content.attachments}
    part2 = {p.path for p in content.part2_files}
    linked: set[str] = set()
    for path, links, valid in [*((r.path, r.links, True) for r in content.records),
                               *((r.path, r.links, False) for r in content.invalid_records)]:
        found = []
        for link in links:
            target = markup.resolve(link.url, path)
            if target in attachments and target.lower().endswith(_PAGE_SUFFIXES):
                linked.add(target)
                content.errors.append(RecordError(target, None, f"is linked from {path}, but an HTML file is not "
                                                                "published as a document: its markup is not checked "
                                                                "and it could replace a page; link a PDF instead"))
            elif target in attachments:
                found.append((target, link))
                linked.add(target)
            elif target in part2 and valid:
                content.errors.append(RecordError(path, None, f"Part 1 links to {target}, a Part 2 file by its name, "
                                                              "which is never published: remove the link, or rename "
                                                              "the file if it is not Part 2"))
        content.attachment_links[path] = found
    for path in sorted(attachments - linked):
        content.warnings.append(RecordError(path, None, "no record's Part 1 links to this file, so it is not "
                                                        "published: link it from its record's Part 1, or remove it"))

