"""The content tree: every file under the docs folder is a record, a Part 2 file, an
attachment, a page, or an error. Nothing is left unclassified."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from foia.rules.records import (
    DECISIONS_DIR,
    Record,
    RecordError,
    decode,
    parse_record,
    slugify,
    split_front_matter,
)

_PART2_NAME = re.compile(r"(?i)(^|[._ -])part[ _-]?(2|ii|two)([._ -]|$)")


@dataclass(frozen=True)
class Part2File:
    """A Part 2 form or attachment: never processed, rendered, copied or linked."""

    path: str
    reference: str | None  # from front matter, for Markdown Part 2 forms
    body: str | None  # text of a Markdown Part 2 form, for the leak scan
    data: bytes  # raw bytes, so the leak scan can find a copy anywhere


@dataclass(frozen=True)
class Attachment:
    """A public file that belongs to a record (``<slug>.<anything>``) and shares its fate."""

    path: str
    owner_slug: str
    data: bytes


@dataclass
class Content:
    records: list[Record] = field(default_factory=list)
    part2_files: list[Part2File] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # other Markdown pages (not records)
    page_texts: dict[str, str] = field(default_factory=dict)  # public by nature: boilerplate
    errors: list[RecordError] = field(default_factory=list)
    # Paths of record files that failed validation: withheld like any other record.
    invalid_record_paths: list[str] = field(default_factory=list)
    invalid_record_texts: dict[str, str] = field(default_factory=dict)
    # Every file that is not a record, Part 2 file, attachment or Markdown page (images and
    # styles outside decisions/, the ledger): path -> bytes.
    assets: dict[str, bytes] = field(default_factory=dict)
    # The bytes of every classified file, by path: what the stage copies for the generator.
    sources: dict[str, bytes] = field(default_factory=dict)





def is_part2_path(path: str) -> bool:
    """Part 2 by name: ``<slug>.part2.<ext>``, or anything inside a folder named part2.
    Matching is deliberately broad (``Part-2``, ``part_ii``...): a false match withholds a
    file, a missed one would publish a confidential form."""
    return any(_PART2_NAME.search(part) for part in PurePosixPath(path).parts)


def is_record_path(path: str) -> bool:
    p = PurePosixPath(path)
    return (
        p.parts[:1] == (DECISIONS_DIR,)
        and p.suffix.lower() in (".md", ".markdown")
        and p.name.lower() not in ("index.md", "readme.md")
        and not is_part2_path(path)
    )


def _ignored(rel: str) -> bool:
    # Mirrors MkDocs' own default exclusions: dot files and templates are never published.
    return any(part.startswith(".") for part in PurePosixPath(rel).parts) or rel.startswith("templates/")


def load_content(docs_dir: str | Path) -> Content:
    """Classify every file under docs_dir: record, Part 2 file, attachment or page."""
    docs = Path(docs_dir)
    content = Content()
    attachment_candidates: list[tuple[str, bytes]] = []
    for file in sorted(p for p in docs.rglob("*") if p.is_file()):
        rel = file.relative_to(docs).as_posix()
        if _ignored(rel):
            continue
        if is_part2_path(rel):
            data = file.read_bytes()
            reference = body = None
            if file.suffix.lower() in (".md", ".markdown"):
                try:
                    meta, body = split_front_matter(rel, decode(rel, data))
                    ref = meta.get("reference")
                    if isinstance(ref, str) and ref.strip():
                        reference = ref.strip()
                    else:
                        content.errors.append(RecordError(rel, "reference", "a Part 2 form must name the reference of its record"))
                except RecordError as e:
                    content.errors.append(e)
                    body = data.decode("utf-8", "replace")
            content.part2_files.append(Part2File(rel, reference, body, data))
        elif is_record_path(rel):
            data = content.sources[rel] = file.read_bytes()
            record, errors = parse_record(rel, data)
            if record:
                content.records.append(record)
            else:
                content.errors.extend(errors)
                content.invalid_record_paths.append(rel)
                content.invalid_record_texts[rel] = data.decode("utf-8", "replace")
        elif rel.lower().endswith((".md", ".markdown")):
            content.pages.append(rel)
            data = content.sources[rel] = file.read_bytes()
            content.page_texts[rel] = data.decode("utf-8", "replace")
        elif rel.startswith(DECISIONS_DIR + "/"):
            data = content.sources[rel] = file.read_bytes()
            attachment_candidates.append((rel, data))
        else:
            content.assets[rel] = content.sources[rel] = file.read_bytes()

    by_slug: dict[str, Record] = {}
    for record in content.records:
        if (other := by_slug.get(record.slug)) is not None:
            content.errors.append(
                RecordError(record.path, "reference", f"duplicate reference {record.reference!r}: also used by {other.path}")
            )
        by_slug.setdefault(record.slug, record)
    duplicates = {e.path for e in content.errors if e.key == "reference" and "duplicate reference" in e.message}
    if duplicates:
        dup_slugs = {r.slug for r in content.records if r.path in duplicates}
        for r in content.records:
            if r.slug in dup_slugs:
                content.invalid_record_paths.append(r.path)
                content.invalid_record_texts[r.path] = r.body
        content.records = [r for r in content.records if r.slug not in dup_slugs]
        for slug in dup_slugs:
            by_slug.pop(slug, None)

    for p2 in content.part2_files:
        _check_part2_owner(p2, by_slug, content)

    invalid_slugs = {PurePosixPath(p).stem.lower() for p in content.invalid_record_paths}
    for rel, data in attachment_candidates:
        stem = PurePosixPath(rel).name.split(".", 1)[0].lower()
        if stem in by_slug or stem in invalid_slugs:
            content.attachments.append(Attachment(rel, stem, data))
        else:
            content.errors.append(
                RecordError(rel, None, "file under decisions/ belongs to no record: name it '<record-slug>.<name>.<ext>'")
            )
    return content


def _check_part2_owner(p2: Part2File, by_slug: dict[str, Record], content: Content) -> None:
    if p2.path.lower().endswith((".md", ".markdown")):
        if p2.reference is None:
            return  # already reported
        owner = by_slug.get(slugify(p2.reference))
        where = "reference"
    else:
        name = PurePosixPath(p2.path).name
        if "/part2/" in f"/{p2.path.lower()}" and not _PART2_NAME.search(name):
            return  # a file inside a part2/ folder: withheld, no naming rule to check
        owner = by_slug.get(name.split(".", 1)[0].lower())
        where = None
    if owner is None:
        if any(slugify(PurePosixPath(p).stem) == slugify(p2.reference or "") for p in content.invalid_record_paths):
            return  # its record is invalid and already reported
        what = f"reference {p2.reference!r}" if p2.reference else "this file name"
        content.errors.append(RecordError(p2.path, where, f"Part 2 file: no record has {what}"))
    elif not owner.part2:
        content.errors.append(
            RecordError(p2.path, where, f"Part 2 file for {owner.reference!r}, but {owner.path} says part2: false")
        )


