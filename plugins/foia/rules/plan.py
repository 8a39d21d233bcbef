"""The plan for one London date: what is public, what is withheld, and what the leak
scan must never find. Everything downstream asks the plan; nothing re-reads content."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from foia.proof import fingerprints as fp
from foia.rules.content import Content
from foia.rules.records import Record, RecordError, slugify


def is_public(record: Record, day: dt.date) -> bool:
    """The one rule: is this (valid) record's Part 1 public on this London date?"""
    if record.approved > day:
        return False  # not yet signed on that day
    if not record.deferred:
        return True
    return record.deferred_until is not None and record.deferred_until <= day


@dataclass(frozen=True)
class Document:
    """A file published with a public record because its Part 1 links to it."""

    path: str  # content path, which is also its path in the site
    record_path: str  # the record that links to it
    name: str  # the link text in Part 1, else the file name
    size: int  # bytes

    @property
    def kind(self) -> str:
        """What a reader calls the format: "PDF", "Word document", ... or the extension."""
        ext = self.path.rsplit(".", 1)[-1].lower() if "." in self.path.rsplit("/", 1)[-1] else ""
        return DOCUMENT_KINDS.get(ext, ext.upper() or "file")


DOCUMENT_KINDS = {
    "pdf": "PDF", "doc": "Word document", "docx": "Word document", "odt": "OpenDocument text",
    "xls": "Excel spreadsheet", "xlsx": "Excel spreadsheet", "ods": "OpenDocument spreadsheet",
    "csv": "CSV", "ppt": "PowerPoint presentation", "pptx": "PowerPoint presentation",
    "txt": "text", "png": "PNG image", "jpg": "JPEG image", "jpeg": "JPEG image", "svg": "SVG image",
}


@dataclass
class Plan:
    day: dt.date
    public: list[Record]  # newest first
    withheld: list[Record]
    errors: list[RecordError]
    announce_deferred: bool = False
    withheld_paths: set[str] = field(default_factory=set)  # every source file kept out
    fingerprints: list[fp.Fingerprint] = field(default_factory=list)
    withheld_urls: set[str] = field(default_factory=set)
    withheld_hashes: dict[str, str] = field(default_factory=dict)  # sha256 -> source path
    # What the generator may read for this day: path -> bytes. Nothing withheld is here,
    # so no plugin, theme or extension of the generator can publish a withheld byte.
    staged: dict[str, bytes] = field(default_factory=dict)
    # The published documents of each public record (record path -> documents, in link order).
    documents: dict[str, list[Document]] = field(default_factory=dict)

    def announced(self) -> list[Record]:
        """Withheld decisions whose reference and date may be listed (announce_deferred)."""
        if not self.announce_deferred:
            return []
        return [r for r in self.withheld if r.deferred and r.approved <= self.day]


def _natural(reference: str) -> tuple:
    # "DMPCD 2015 99" before "DMPCD 2015 148": numbers compare as numbers.
    return tuple((0, int(t), "") if t.isdigit() else (1, 0, t.casefold()) for t in re.split(r"(\d+)", reference) if t)


def _newest_first(records: list[Record]) -> list[Record]:
    return sorted(records, key=lambda r: (r.approved, _natural(r.reference)), reverse=True)


def public_text(record: Record) -> str:
    """Everything a record's public page says of it: its public fields and its Part 1."""
    fields = record.public_fields()
    return "\n".join([*(str(v) for k, v in fields.items() if isinstance(v, str) and k != "url"), *record.tags, record.body])


def build_plan(content: Content, day: dt.date, *, announce_deferred: bool = False,
               stock_wording: Sequence[str] = ()) -> Plan:
    """stock_wording: what the site itself prints (template text, site name and description)
    and the reviewed stock-wording file: withheld wording found there is not a leak."""
    public = [r for r in content.records if is_public(r, day)]
    withheld = [r for r in content.records if not is_public(r, day)]
    plan = Plan(
        day=day,
        public=_newest_first(public),
        withheld=_newest_first(withheld),
        errors=list(content.errors),
        announce_deferred=announce_deferred,
    )
    withheld_slugs = {r.slug for r in withheld}
    invalid_stems = {p.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower() for p in content.invalid_record_paths}
    plan.withheld_paths = (
        {r.path for r in withheld}
        | set(content.invalid_record_paths)
        | {p.path for p in content.part2_files}
        | {a.path for a in content.attachments if a.owner_slug in withheld_slugs | invalid_stems}
    )
    plan.withheld_urls = {r.url for r in withheld} | {
        f"{p.rsplit('.', 1)[0]}/" for p in content.invalid_record_paths
    }
    public_by_slug = {r.slug: r for r in public}

    def own_text(path: str, reference: str | None = None) -> str:
        owner = public_by_slug.get(slugify(reference)) if reference else None
        owner = owner or public_by_slug.get(path.rsplit("/", 1)[-1].split(".", 1)[0].lower())
        return public_text(owner) if owner is not None else ""

    sources = [fp.WithheldSource(r.path, "record", content.sources.get(r.path, b""), record=r) for r in withheld]
    sources += [fp.WithheldSource(path, "invalid", content.sources.get(path, text.encode("utf-8")))
                for path, text in content.invalid_record_texts.items()]
    sources += [fp.WithheldSource(p.path, "part2", p.data, own_public_text=own_text(p.path, p.reference))
                for p in content.part2_files]
    sources += [fp.WithheldSource(a.path, "attachment", a.data, own_public_text=own_text(a.path))
                for a in content.attachments if a.path in plan.withheld_paths]
    plan.fingerprints = fp.collect(sources, stock_wording=stock_wording, announce_references=announce_deferred)
    for item in [*content.part2_files, *(a for a in content.attachments if a.path in plan.withheld_paths)]:
        plan.withheld_hashes[fp.sha256(item.data)] = item.path
    plan.staged = {path: data for path, data in content.sources.items() if path not in plan.withheld_paths}
    return plan
