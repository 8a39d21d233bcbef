"""Small rules shared by the outputs: publication dates and absolute URLs."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urljoin

from ..plan import LONDON
from ..records import Record


def publication_date(record: Record, first_published: dict[str, dt.date]) -> dt.date:
    """The day a record was (or will be taken as) first published: the ledger's date,
    else the later of its approval date and its deferral date."""
    if (day := first_published.get(record.reference)) is not None:
        return day
    return max(record.approved, record.deferred_until or record.approved)


def absolute_url(site_url: str | None, path: str) -> str:
    """Full URL of a site path when site_url is known, else the site-relative path."""
    if not site_url:
        return path
    return urljoin(site_url if site_url.endswith("/") else site_url + "/", path)


def london_midnight(day: dt.date) -> str:
    """RFC 3339 timestamp of the start of a London day (Atom needs date-times)."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=LONDON).isoformat()
