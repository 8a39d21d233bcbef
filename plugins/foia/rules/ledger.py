"""The publication ledger: the first date each decision's Part 1 was published.

A YAML file under version control (``content/publication-log.yml`` by default, the
``ledger`` option of the plugin), written only by ``foia publish`` after a build and its
leak scan pass::

    # Publication ledger: ... written by `foia publish` ...
    first_published:
      "DMPCD 2015 148": 2015-12-11

An entry, once written, never changes: it is the evidence that the decision was published
on that day. A malformed ledger (bad YAML, wrong shape, a bad date, a reference listed
twice) is an error naming the file and the line, never silently reset, because a reset
would rewrite history with today's date.

The ledger records only what happened: no entry may be dated after the day it is written
(``with_new_publications`` and ``write_ledger`` refuse one), and an entry dated after
today in London, however it got there, is an error naming its line when the ledger is read.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from foia.rules.dates import london_today, parse_day
from foia.rules.records import Record, strict_yaml

KEY = "first_published"
# `foia publish` builds against the ledger it is about to write: the build reads it from here.
LEDGER_ENV = "FOIA_LEDGER"
HEADER = """\
# Publication ledger: the first date (Europe/London) each decision's Part 1 was published.
# Written by `foia publish` after a successful build and leak scan; do not edit by hand.
# An entry never changes once written. See README.md, "Publishing".
"""


class LedgerError(Exception):
    pass


def parse_ledger(text: str, source: str, *, today: dt.date | None = None) -> dict[str, dt.date]:
    """reference -> first publication date. ``today``: entries after it are errors."""
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
    lines = _entry_lines(text)
    result: dict[str, dt.date] = {}
    for reference, day in entries.items():
        where = f"{source}: line {lines[str(reference)]}" if str(reference) in lines else source
        if not isinstance(reference, str) or not reference.strip():
            raise LedgerError(f"{where}: entry {reference!r}: the key must be a decision reference")
        if not isinstance(day, str):
            raise LedgerError(f"{where}: entry {reference!r}: must be a date written YYYY-MM-DD, got {day!r}")
        try:
            result[reference] = parse_day(day, f"{where}: entry {reference!r}")
        except ValueError as e:
            raise LedgerError(str(e)) from None
        if today is not None and result[reference] > today:
            raise LedgerError(
                f"{where}: entry {reference!r}: {day.strip()} is after today ({today.isoformat()}, Europe/London); "
                "the ledger records only publications that happened: correct or remove this line"
            )
    return result


def _entry_lines(text: str) -> dict[str, int]:
    """The line number of each entry under first_published (for messages)."""
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    for key, value in node.value:
        if key.value == KEY and isinstance(value, yaml.MappingNode):
            return {k.value: k.start_mark.line + 1 for k, _ in value.value if isinstance(k, yaml.ScalarNode)}
    return {}


def load_first_published(path: str | Path, *, today: dt.date | None = None) -> dict[str, dt.date]:
    """reference -> first publication date; an absent file is an empty ledger. An entry
    dated after ``today`` (default: today in London) is an error naming its line."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise LedgerError(f"{path}: cannot read the publication ledger: {e}") from None
    return parse_ledger(text, str(path), today=london_today() if today is None else today)


def dump_ledger(entries: dict[str, dt.date]) -> str:
    lines = [HEADER.rstrip("\n"), f"{KEY}:" + ("" if entries else " {}")]
    for reference in sorted(entries):
        lines.append(f"  {json.dumps(reference, ensure_ascii=False)}: {entries[reference].isoformat()}")
    return "\n".join(lines) + "\n"


def with_new_publications(old: dict[str, dt.date], references: Iterable[str], day: dt.date, *,
                          today: dt.date | None = None) -> dict[str, dt.date]:
    """The ledger after publishing on ``day``: existing entries are kept as they are. A
    publication after ``today`` (default: today in London) has not happened: LedgerError."""
    today = london_today() if today is None else today
    if day > today:
        raise LedgerError(f"cannot record a publication on {day.isoformat()}: it is after today "
                          f"({today.isoformat()}, Europe/London)")
    new = dict(old)
    for reference in references:
        new.setdefault(reference, day)
    return new


def write_ledger(path: str | Path, entries: dict[str, dt.date], *, today: dt.date | None = None) -> None:
    """Replace the ledger in one step, so a reader never sees half a file. An entry after
    ``today`` (default: today in London) is refused: the ledger records only what happened."""
    today = london_today() if today is None else today
    if future := sorted(r for r, day in entries.items() if day > today):
        raise LedgerError(f"{path}: not written: {', '.join(future)} dated after today ({today.isoformat()}, "
                          "Europe/London)")
    write_atomically(Path(path), dump_ledger(entries))


# ----------------------------------------------------------------------------- against the records


@dataclass(frozen=True)
class LedgerFinding:
    """Where the ledger and the records disagree."""

    reference: str
    fatal: bool  # the ledger contradicts a record (published before approval)
    message: str


def check_against_records(ledger: dict[str, dt.date], records: Iterable[Record]) -> list[LedgerFinding]:
    """Entries that name no valid record (a warning: the record may be being fixed) and
    entries dated before their record's approval (an error: one of them is wrong)."""
    by_reference = {r.reference: r for r in records}
    findings = []
    for reference, day in sorted(ledger.items()):
        record = by_reference.get(reference)
        if record is None:
            findings.append(LedgerFinding(reference, False,
                                          f"the ledger lists {reference!r}, but no valid record has that reference"))
        elif day < record.approved:
            findings.append(LedgerFinding(
                reference, True, f"{reference!r}: first published {day.isoformat()} in the ledger, before its "
                                 f"approval date {record.approved.isoformat()} ({record.path})"))
    return findings


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
