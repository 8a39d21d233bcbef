"""Several forms at once: what each writes where, and nothing unless every form imports.

What ``foia import`` writes, for each form:

- a **Part 1 form** (text or PDF): the record ``decisions/<year>/<slug>.md``. From a PDF, the
  signed form is copied beside it as ``<slug>.signed-form.pdf`` and the last line of the
  Part 1 body links it: ``[Signed decision form](<slug>.signed-form.pdf)``, so it is
  published with the record, when and only when the record is public;
- a **Part 2 form**: stored beside its record as ``<slug>.part2.pdf`` (a PDF, as given) or
  ``<slug>.part2.md`` (text, with ``reference:`` front matter), never linked, never
  published. Its record must exist (on disk or in the same import) and say ``part2: true``.

With ``--force`` an existing record is updated, not overwritten: what editors added is
kept (tags, a summary written by hand, an edited field) unless the form itself changes
that field. "What the form said before" is read from the signed form stored beside the
record when there is one; otherwise the record's own body tells what the form's
executive summary was, so a hand-written summary is recognised. The fields replaced are
reported.

Nothing is written if any form has a problem; the files are staged beside their targets
and moved into place only when all of them are ready.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from foia.commands.importer import (
    ImportedForm,
    form_text,
    import_form,
    part2_name,
    signed_form_link,
    signed_form_name,
)
from foia.commands.importer.form import parse_form
from foia.commands.newrecord import check_record, duplicate_of, format_record
from foia.rules.content import Content, load_content
from foia.rules.records import FIELDS, Record, RecordError, slugify, split_front_matter

# What the form says; every other field (tags) is the editors'.
FORM_FIELDS = ("reference", "title", "approved", "decision_maker", "summary", "deferred", "deferred_reason",
               "deferred_until", "part2", "part2_reason")


@dataclass(frozen=True)
class Write:
    rel_path: str  # in the content folder
    data: bytes
    what: str  # "record", "signed form", "Part 2 form"


@dataclass
class Outcome:
    """One form's result: its files and what to tell the user."""

    form: ImportedForm
    writes: list[Write] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def writes(self) -> list[Write]:
        return [w for o in self.outcomes for w in o.writes]


def plan_import(forms: list[str], docs: Path, *, force: bool = False, dry_run: bool = False) -> ImportPlan:
    plan = ImportPlan()
    imported: list[ImportedForm] = []
    for form in forms:
        result, errors = import_form(form)
        plan.problems += [str(e) for e in errors]
        if result is not None:
            imported.append(result)
    if not imported:
        return plan
    content = load_content(docs)
    claimed: dict[str, str] = {}
    part1 = {f.record.slug: f for f in imported if f.part == 1 and f.record is not None}
    for item in imported:
        outcome = Outcome(item)
        if item.part == 1:
            _plan_record(item, docs, content, outcome, plan.problems, force=force, dry_run=dry_run)
        else:
            _plan_part2(item, docs, content.records, content.invalid_record_paths, part1, outcome, plan.problems,
                        force=force, dry_run=dry_run)
        for write in outcome.writes:
            if (first := claimed.get(write.rel_path)) is not None:
                plan.problems.append(f"{item.form}: {write.rel_path} is also written by {first}")
            claimed.setdefault(write.rel_path, item.form)
        plan.outcomes.append(outcome)
    return plan


# ----------------------------------------------------------------------------- Part 1


def _plan_record(item: ImportedForm, docs: Path, content: Content, outcome: Outcome, problems: list[str], *,
                 force: bool, dry_run: bool) -> None:
    assert item.record is not None and item.rel_path is not None and item.text is not None
    target = docs / item.rel_path
    signed = str(PurePosixPath(item.rel_path).parent / signed_form_name(item.reference))
    if other := duplicate_of(docs, item.reference, item.rel_path, content):
        problems.append(f"{item.form}: reference: {item.reference} is already used by {docs / other}; "
                        "remove that file first")
        return
    text = item.text
    if not item.is_pdf and (docs / signed).exists():
        # A text form for a record whose signed PDF is already beside it: the PDF stays linked.
        item = dataclasses.replace(item, body=item.body.rstrip("\n") + "\n\n" + signed_form_link(item.reference) + "\n")
        text = format_record(item.values, item.body)
    if target.exists():
        if not force and not dry_run:
            problems.append(f"{item.form}: {target} already exists; use --force to update it")
            return
        merged = merge_record(item, target, docs / signed)
        if merged.problems:
            problems += [f"{item.form}: {p}" for p in merged.problems]
            return
        text = merged.text
        outcome.notes.append(merged.summary())
    elif item.is_pdf and (docs / signed).exists() and not force and not dry_run:
        problems.append(f"{item.form}: {docs / signed} already exists; use --force to replace it")
        return
    outcome.writes.append(Write(item.rel_path, text.encode("utf-8"), "record"))
    if item.is_pdf:
        outcome.writes.append(Write(signed, item.source, "signed form"))


@dataclass
class Merged:
    text: str = ""
    replaced: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        replaced = ", ".join(self.replaced) if self.replaced else "nothing (the record already says what the form says)"
        note = f"Replaced from the form: {replaced}."
        if self.kept:
            note += f" Kept as edited: {', '.join(self.kept)}."
        return note


def merge_record(item: ImportedForm, target: Path, previous_form: Path) -> Merged:
    """The record ``item`` makes, keeping what editors changed in ``target``."""
    assert item.rel_path is not None
    merged = Merged()
    try:
        old_values, old_body = _existing(item.rel_path, target)
    except OSError as e:
        return Merged(problems=[f"cannot read the existing record {target} to update it: {e}"])
    except (RecordError, UnicodeDecodeError):
        old_values, old_body = {}, ""  # a broken record: the form replaces it whole
        merged.kept.append("nothing (the existing record could not be read)")
    base = _previous_form(previous_form)
    if base is None:
        base = ({"summary": _summary_in_body(old_body)}, None)
    base_values, base_body = base
    new_values = dict(item.values)
    values: dict[str, Any] = {}
    for name in (f.name for f in FIELDS):
        new, old = new_values.get(name), old_values.get(name)
        if name not in FORM_FIELDS or (name == "summary" and new is None):
            values[name] = old  # the editors' own field
            continue
        if new == old:
            values[name] = new
        elif name in base_values and base_values[name] == new:
            values[name] = old  # edited by hand; the form has not changed it
            merged.kept.append(name)
        else:
            values[name] = new
            merged.replaced.append(name)
    body = item.body
    if old_body.strip() != body.strip():
        if base_body is not None and base_body.strip() == body.strip():
            body = old_body
            merged.kept.append("body")
        else:
            merged.replaced.append("body")
    # The record's facts must agree with each other: an edited deferral is kept whole.
    for group in (("deferred", "deferred_reason", "deferred_until"), ("part2", "part2_reason")):
        if any(name in merged.replaced for name in group):
            for name in group:
                values[name] = new_values.get(name)
                if name in merged.kept:
                    merged.kept.remove(name)
                    merged.replaced.append(name)
    merged.text = format_record(values, body)
    _, errors = check_record(item.rel_path, merged.text)
    merged.problems = [f"the updated record would not be valid: {e}" for e in errors]
    return merged


def _existing(rel: str, target: Path) -> tuple[dict[str, Any], str]:
    """The existing record's values (as the importer's own types) and body."""
    data = target.read_bytes()
    record, _ = check_record(rel, data.decode("utf-8"))
    if record is not None:
        return _values(record), record.body
    meta, body = split_front_matter(rel, data.decode("utf-8").removeprefix("\ufeff"))
    values: dict[str, Any] = {}
    for name, value in meta.items():
        if name == "tags" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            values[name] = list(value)
        elif name == "summary" and isinstance(value, str) and value.strip():
            values[name] = value.strip()
    return values, body


def _values(record: Record) -> dict[str, Any]:
    values = {f.name: getattr(record, f.name) for f in FIELDS}
    values["tags"] = list(record.tags) or None
    return values


def _previous_form(path: Path) -> tuple[dict[str, Any], str] | None:
    """What the signed form stored beside the record says, if it can be read."""
    try:
        data = path.read_bytes()
        parsed = parse_form(form_text(path, data), str(path))
    except Exception:
        return None
    if parsed.problems or parsed.part != 1:
        return None
    body = parsed.body.rstrip("\n") + "\n\n" + signed_form_link(parsed.values["reference"]) + "\n"
    return parsed.values, body


def _summary_in_body(body: str) -> str | None:
    """The executive summary's first paragraph, as the importer reads it into ``summary``."""
    m = re.search(r"(?mi)^## (?:\d+\.?\s*)?executive summary\s*\n+(?P<p>(?:(?!## ).+\n?)+?)(?:\n|\Z)", body)
    if not m:
        return None
    text = m.group("p").replace("**", "").replace("&lt;", "<")
    text = re.sub(r"^(\d+)\\\.", r"\1.", text.strip())
    return re.sub(r"\s+", " ", text).strip() or None


# ----------------------------------------------------------------------------- Part 2


def _plan_part2(item: ImportedForm, docs: Path, records: list[Record], invalid: list[str],
                batch: dict[str, ImportedForm], outcome: Outcome, problems: list[str], *, force: bool,
                dry_run: bool) -> None:
    reference = item.reference
    slug = slugify(reference)
    folder: str | None = None
    says_part2: bool | None = None
    if (own := batch.get(slug)) is not None and own.record is not None and own.rel_path is not None:
        folder, says_part2 = str(PurePosixPath(own.rel_path).parent), own.record.part2
    elif (record := next((r for r in records if r.slug == slug), None)) is not None:
        folder, says_part2 = str(PurePosixPath(record.path).parent), record.part2
    elif (path := next((p for p in invalid if PurePosixPath(p).stem.lower() == slug), None)) is not None:
        folder = str(PurePosixPath(path).parent)  # its record has errors; Part 2 is stored all the same
    if folder is None:
        problems.append(f"{item.form}: is a Part 2 form for {reference}, but no record has that reference: "
                        "import its Part 1 form first, or in the same command")
        return
    if says_part2 is False:
        problems.append(f"{item.form}: is a Part 2 form for {reference}, but its record says there is no Part 2 "
                        "form (part2: false); correct the record or the form first")
        return
    rel = f"{folder}/{part2_name(reference, pdf=item.is_pdf)}"
    if (docs / rel).exists() and not force and not dry_run:
        problems.append(f"{item.form}: {docs / rel} already exists; use --force to replace it")
        return
    data = item.source if item.is_pdf else _part2_markdown(reference, item.source)
    outcome.writes.append(Write(rel, data, "Part 2 form"))


def _part2_markdown(reference: str, source: bytes) -> bytes:
    """The Part 2 form's text as ``<slug>.part2.md``: front matter naming its record, then the text."""
    text = source.decode("utf-8").removeprefix("\ufeff")
    front = yaml.safe_dump({"reference": reference}, allow_unicode=True)
    return f"---\n{front}---\n\n{text.strip()}\n".encode()


# ----------------------------------------------------------------------------- writing


def write_all(docs: Path, writes: list[Write]) -> None:
    """Write every file, or none: each is staged beside its target, then all are moved in."""
    staged: list[tuple[str, Path]] = []
    try:
        for write in writes:
            target = docs / write.rel_path
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            staged.append((tmp, target))
            with os.fdopen(fd, "wb") as f:
                f.write(write.data)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o644)
        for tmp, target in staged:
            os.replace(tmp, target)
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)

