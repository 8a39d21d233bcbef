"""The plan for one London date: what is public, what is withheld, and what the leak
scan must never find. Everything downstream asks the plan; nothing re-reads content.

A record's document (a file under decisions/ that is not a record or Part 2) is published
on day D only when a record public on D links to it from its Part 1, and no record withheld
on D does (that is an error naming both). ``Plan.staged`` is then exactly the public bytes:
public records and ordinary pages without their HTML comments, published documents, and
the other files outside decisions/ (images, styles).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from foia.proof import fingerprints as fp
from foia.rules.content import Attachment, Content, is_record_path, owner_by_name
from foia.rules.records import Record, RecordError, page_url, slugify


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
    name: str  # the link text in Part 1 (an image's alt text), else the file name
    size: int  # bytes
    embedded: bool = False  # only shown in Part 1 (an image's src), never linked as a download

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
    # Mistakes that publish less than intended (a file no record links to): log, never fatal.
    warnings: list[RecordError] = field(default_factory=list)
    withheld_paths: set[str] = field(default_factory=set)  # every source file kept out
    fingerprints: list[fp.Fingerprint] = field(default_factory=list)
    withheld_urls: set[str] = field(default_factory=set)
    withheld_hashes: dict[str, str] = field(default_factory=dict)  # sha256 -> source path
    # Every withheld file as the proof reads it (fingerprints are collected from these).
    sources: list[fp.WithheldSource] = field(default_factory=list)
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
               stock_wording: Sequence[str] = (), collect: Callable[..., list[fp.Fingerprint]] = fp.collect) -> Plan:
    """stock_wording: what the site itself prints (template text, site name and description)
    and the reviewed stock-wording file: withheld wording found there is not a leak.
    collect: fingerprints.collect, or a cache of it (the adapter's FingerprintCache)."""
    public = [r for r in content.records if is_public(r, day)]
    withheld = [r for r in content.records if not is_public(r, day)]
    plan = Plan(
        day=day,
        public=_newest_first(public),
        withheld=_newest_first(withheld),
        errors=list(content.errors),
        warnings=list(content.warnings),
        announce_deferred=announce_deferred,
    )
    published, withheld_files = _documents(content, plan)
    plan.withheld_paths = (
        {r.path for r in withheld}
        | set(content.invalid_record_paths)
        | {p.path for p in content.part2_files}
        | {a.path for a in content.attachments if a.path not in published}
        | set(content.refused)
    )
    plan.withheld_urls = {r.url for r in withheld} | {page_url(p) for p in content.invalid_record_paths} | {
        page_url(p) for p in content.refused if is_record_path(p)}
    public_by_slug = {r.slug: r for r in public}

    attachment_data = {a.path: a.data for a in content.attachments}

    def owners_of(path: str, reference: str | None = None, linked_by: Sequence[Record] = ()) -> list[Record]:
        """The public decisions a withheld file belongs to (none when its decision is withheld)."""
        owners = list(linked_by)
        if reference and (owner := public_by_slug.get(slugify(reference))) is not None:
            owners.append(owner)
        if not owners and (slug := owner_by_name(path, public_by_slug)) is not None:
            owners.append(public_by_slug[slug])
        return list(dict.fromkeys(owners))

    def source(path: str, kind: str, data: bytes, owners: list[Record]) -> fp.WithheldSource:
        # The decision's own public Part 1: its page's text and its published documents (the
        # signed form carries the same letterhead and questions as its Part 2 form).
        return fp.WithheldSource(
            path, kind, data, own_public_text="\n".join(public_text(r) for r in owners),
            own_public_files=tuple((d.path, attachment_data[d.path]) for r in owners
                                   for d in plan.documents.get(r.path, ()) if d.path in attachment_data))

    sources = [fp.WithheldSource(r.path, "record", content.sources.get(r.path, b""), record=r) for r in withheld]
    sources += [fp.WithheldSource(r.path, "invalid", r.data) for r in content.invalid_records]
    sources += [source(p.path, "part2", p.data, owners_of(p.path, p.reference)) for p in content.part2_files]
    sources += [source(a.path, "attachment", a.data, owners_of(a.path, linked_by=linkers))
                for a, linkers in withheld_files]
    plan.sources = sources
    published_names = sorted({path.rsplit("/", 1)[-1] for path in [*published, *content.assets]})
    plan.fingerprints = collect(sources, stock_wording=stock_wording, announce_references=announce_deferred,
                                published_names=published_names)
    for item in [*content.part2_files, *(a for a, _ in withheld_files)]:
        plan.withheld_hashes[fp.sha256(item.data)] = item.path
    public_paths = [*(r.path for r in plan.public), *sorted(published), *content.pages, *content.assets]
    # (A Content made in memory, as in some tests, has records but no files to stage.)
    plan.staged = {path: content.staging[path] for path in public_paths if path in content.staging}
    return plan


def _documents(content: Content, plan: Plan) -> tuple[set[str], list[tuple[Attachment, list[Record]]]]:
    """Fill plan.documents; return the published attachments' paths, and the withheld ones
    the proof must look for, each with the public records (if any) that link to it. A file
    nobody links that is a copy of a published document holds nothing withheld: left out."""
    public = {r.path: r for r in plan.public}
    sizes = {a.path: len(a.data) for a in content.attachments}
    linked_public: dict[str, list[Record]] = {}
    linked_withheld: dict[str, list[str]] = {}
    for record_path, links in content.attachment_links.items():
        for target, _link in links:
            if record_path in public:
                linked_public.setdefault(target, []).append(public[record_path])
            else:
                linked_withheld.setdefault(target, []).append(record_path)
    published: set[str] = set()
    withheld: dict[str, tuple[Attachment, list[Record]]] = {}
    # A file named after a withheld record (its slug first) is that record's, whoever links it.
    withheld_slugs = {r.slug: r.path for r in plan.withheld} | {r.slug: r.path for r in content.invalid_records}
    public_slugs = {r.slug for r in plan.public}
    withheld_slugs = {slug: path for slug, path in withheld_slugs.items() if slug not in public_slugs}
    all_slugs = public_slugs | set(withheld_slugs)
    for attachment in content.attachments:
        by_public = list(dict.fromkeys(linked_public.get(attachment.path, [])))
        by_withheld = list(dict.fromkeys(linked_withheld.get(attachment.path, [])))
        owner = owner_by_name(attachment.path, all_slugs) if by_public else None
        named_for = owner if owner in withheld_slugs else None
        if by_public and (by_withheld or named_for):
            other = (f"from {by_withheld[0]}, withheld" if by_withheld
                     else f"is named after {withheld_slugs[named_for]}, withheld")
            plan.errors.append(RecordError(
                attachment.path, None,
                f"is linked from {by_public[0].path}, public on {plan.day.isoformat()}, and {other}: a file "
                "shared by a public and a withheld record is not published; give each record its own copy"))
            withheld[attachment.path] = (attachment, by_public)
        elif by_public:
            published.add(attachment.path)
        else:
            withheld[attachment.path] = (attachment, [])
    unlinked = [a for a, _ in withheld.values() if a.path not in linked_withheld and a.path not in linked_public]
    if unlinked:
        public_hashes = {fp.sha256(a.data) for a in content.attachments if a.path in published}
        for attachment in unlinked:
            if fp.sha256(attachment.data) in public_hashes:
                del withheld[attachment.path]
    for record in plan.public:
        documents: dict[str, Document] = {}
        for target, link in content.attachment_links.get(record.path, []):
            if target not in published:
                continue
            name = link.text or target.rsplit("/", 1)[-1]
            if (known := documents.get(target)) is None:
                documents[target] = Document(target, record.path, name, sizes[target], link.embedded)
            elif known.embedded and not link.embedded:  # linked as well as shown: a document to list
                documents[target] = Document(target, record.path, link.text or known.name, sizes[target], False)
        plan.documents[record.path] = list(documents.values())
    return published, list(withheld.values())
