"""The plan for one London date: what is public, what is withheld, and what the leak
scan must never find. Everything downstream asks the plan; nothing re-reads content."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from foia.proof import fingerprints as fp
from foia.rules.content import Content
from foia.rules.records import Record, RecordError


def is_public(record: Record, day: dt.date) -> bool:
    """The one rule: is this (valid) record's Part 1 public on this London date?"""
    if record.approved > day:
        return False  # not yet signed on that day
    if not record.deferred:
        return True
    return record.deferred_until is not None and record.deferred_until <= day


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


def _public_text(record: Record) -> str:
    fields = record.public_fields()
    return "\n".join([*(str(v) for k, v in fields.items() if isinstance(v, str) and k != "url"), *record.tags, record.body])


def build_plan(content: Content, day: dt.date, *, announce_deferred: bool = False) -> Plan:
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
    plan.fingerprints = fp.collect(
        withheld=withheld,
        invalid_texts=content.invalid_record_texts,
        part2_files=content.part2_files,
        public_texts=[
            *(_public_text(r) for r in public),
            *content.page_texts.values(),
        ],
        announce_references=announce_deferred,
    )
    for item in [*content.part2_files, *(a for a in content.attachments if a.path in plan.withheld_paths)]:
        plan.withheld_hashes[fp.sha256(item.data)] = item.path
    return plan
