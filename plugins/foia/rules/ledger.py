"""The publication ledger: the first date each decision's Part 1 was published.

A YAML file under version control (``content/publication-log.yml`` by default, the
``ledger`` option of the plugin), written only by ``foia publish`` after a build and its
leak scan pass::

    # Publication ledger: ... written by `foia publish` ...
    first_published:
      "DMPCD 2015 148": 2015-12-11

An entry, once written, never changes: it is the evidence that the decision was published
on that day. A malformed ledger (bad YAML, wrong shape, a bad date, a reference listed
twice) is an error naming the file, never silently reset, because a reset would rewrite
history with today's date.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

import yaml

from foia.rules.records import strict_yaml

KEY = "first_published"
# `foia publish` builds against the ledger it is about to write: the build reads it from here.
LEDGER_ENV = "FOIA_LEDGER"
HEADER = """\
# Publication ledger: the first date (Europe/London) each decision's Part 1 was published.
# Written by `foia publish` after a successful build and leak scan; do not edit by hand.
# An entry never changes once written. See README.md, "Publishing".
"""
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class LedgerError(Exception):
    pass


def parse_ledger(text: str, source: str) -> dict[str, dt.date]:
    try:
        data = strict_yaml(text)  # dates stay text, each checked below; a repeated key is an error
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        problem = getattr(e, "problem", None) or str(e)
        raise LedgerError(f"{source}: the publication ledger is not valid YAML{where}: {problem}") from None
    if not isinstance(data, dict) or KEY not in data:
        raise LedgerError(f"{source}: the publication ledger must be a mapping with the key '{KEY}'")
    if unknown := [str(k) for k in data if k != KEY]:
        raise LedgerError(f"{source}: unknown key(s) in the publication ledger: {', '.join(unknown)}")
    entries = data[KEY]
    if not isinstance(entries, dict):
        raise LedgerError(f"{source}: '{KEY}' must map each reference to a date YYYY-MM-DD")
    result: dict[str, dt.date] = {}
    for reference, day in entries.items():
        if not isinstance(reference, str) or not reference.strip():
            raise LedgerError(f"{source}: entry {reference!r}: the key must be a decision reference")
        text_day = day.strip() if isinstance(day, str) else None
        if text_day is None or not _ISO_DATE.match(text_day):
            raise LedgerError(f"{source}: entry {reference!r}: must be a date written YYYY-MM-DD, got {day!r}")
        try:
            result[reference] = dt.date.fromisoformat(text_day)
        except ValueError:
            raise LedgerError(f"{source}: entry {reference!r}: {text_day!r} is not a real date") from None
    return result


def load_first_published(path: str | Path) -> dict[str, dt.date]:
    """reference -> first publication date; an absent file is an empty ledger."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise LedgerError(f"{path}: cannot read the publication ledger: {e}") from None
    return parse_ledger(text, str(path))


def dump_ledger(entries: dict[str, dt.date]) -> str:
    lines = [HEADER.rstrip("\n"), f"{KEY}:" + ("" if entries else " {}")]
    for reference in sorted(entries):
        lines.append(f"  {json.dumps(reference, ensure_ascii=False)}: {entries[reference].isoformat()}")
    return "\n".join(lines) + "\n"


def with_new_publications(old: dict[str, dt.date], references: Iterable[str], day: dt.date) -> dict[str, dt.date]:
    """The ledger after publishing on ``day``: existing entries are kept as they are."""
    new = dict(old)
    for reference in references:
        new.setdefault(reference, day)
    return new


def write_ledger(path: str | Path, entries: dict[str, dt.date]) -> None:
    """Replace the ledger in one step, so a reader never sees half a file."""
    write_atomically(Path(path), dump_ledger(entries))


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
