"""Writing record files: front matter in schema order, references, safe file writes.

Shared by ``foia new`` and ``foia import``; every file is checked with
``records.parse_record`` before it is written, so neither command can write a record the
build would reject.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from foia.rules.content import Content, load_content
from foia.rules.ledger import write_atomically
from foia.rules.records import DECISIONS_DIR, FIELDS, Record, RecordError, parse_record, slugify

DEFAULT_PREFIX = "DMPCD"
_REFERENCE = re.compile(r"^\s*([A-Za-z]{2,10})[\s_/-]*((?:19|20)\d{2})[\s_/-]*(\d{1,4})\s*$")


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str):
    # Long text folds (>-) so a reviewer can read the diff; short text stays on one line.
    style = ">" if len(value) > 80 and "\n" not in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def format_record(values: dict[str, Any], body: str) -> str:
    """Front matter (keys in schema order, None left out) + body."""
    meta = {f.name: values[f.name] for f in FIELDS if values.get(f.name) is not None}
    if "tags" in meta:
        meta["tags"] = list(meta["tags"])
        if not meta["tags"]:
            del meta["tags"]
    front = yaml.dump(meta, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=92, default_flow_style=False)
    return f"---\n{front}---\n\n{body.strip()}\n"


def record_path(reference: str, approved: dt.date) -> str:
    """Path relative to the content folder, as records.validate requires."""
    return f"{DECISIONS_DIR}/{approved.year}/{slugify(reference)}.md"


def normalise_reference(text: str) -> str | None:
    """'DMPCD 2015 148' from 'dmpcd-2015-148', 'DMPCD 2015 148 ' and the like; None if not one.
    Numbers get at least three digits, as on MOPAC forms (DMPCD 2016 031)."""
    m = _REFERENCE.match(text)
    if not m:
        return None
    return f"{m.group(1).upper()} {m.group(2)} {int(m.group(3)):03d}"


def references_in_use(docs_dir: str | Path) -> set[str]:
    """Every reference content already claims, including invalid records and Part 2 files
    (by file name), so a new record never reuses one."""
    found: set[str] = set()
    content = load_content(docs_dir)
    found |= {r.reference for r in content.records}
    found |= {p.reference for p in content.part2_files if p.reference}
    decisions = Path(docs_dir) / DECISIONS_DIR
    if decisions.is_dir():
        for file in decisions.rglob("*"):
            ref = normalise_reference(file.name.split(".", 1)[0])
            if ref:
                found.add(ref)
    return found


def next_reference(docs_dir: str | Path, year: int, prefix: str = DEFAULT_PREFIX) -> str:
    """The next free reference of the year: one more than the highest in use."""
    highest = 0
    for ref in references_in_use(docs_dir):
        parts = ref.split()
        if len(parts) == 3 and parts[0].upper() == prefix.upper() and parts[1] == str(year) and parts[2].isdigit():
            highest = max(highest, int(parts[2]))
    return f"{prefix.upper()} {year} {highest + 1:03d}"


def check_record(rel_path: str, text: str) -> tuple[Record | None, list[RecordError]]:
    return parse_record(rel_path, text.encode("utf-8"))


def duplicate_of(docs_dir: str | Path, reference: str, rel_path: str, content: Content | None = None) -> str | None:
    """Path of another record file that already has this reference, if any."""
    content = content if content is not None else load_content(docs_dir)
    for r in content.records:
        if slugify(r.reference) == slugify(reference) and r.path != rel_path:
            return r.path
    for invalid in content.invalid_records:  # a broken record still claims its slugs
        if slugify(reference) in invalid.slugs and invalid.path != rel_path:
            return invalid.path
    return None


def write_record(docs_dir: str | Path, rel_path: str, text: str) -> Path:
    target = Path(docs_dir) / rel_path
    write_atomically(target, text)
    return target
