"""The publication ledger: the first date each decision was published.

A YAML file under version control, written only by ``foia publish`` after a build and
its leak scan pass. A malformed ledger is an error, never silently reset.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import yaml


class LedgerError(Exception):
    pass


def load_first_published(path: str | Path) -> dict[str, dt.date]:
    """reference -> first publication date; an absent file is an empty ledger."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise LedgerError(f"{path}: the publication ledger is not valid YAML: {e}") from None
    if data is None:
        return {}
    entries = data.get("first_published") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise LedgerError(f"{path}: the publication ledger must have a 'first_published' mapping")
    result = {}
    for reference, day in entries.items():
        if isinstance(day, str):
            with contextlib.suppress(ValueError):
                day = dt.date.fromisoformat(day)
        if not isinstance(reference, str) or not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            raise LedgerError(f"{path}: entry {reference!r}: must map a reference to a date YYYY-MM-DD")
        result[reference] = day
    return result
