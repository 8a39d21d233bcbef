"""Small helpers shared by the outputs: absolute URLs and Atom timestamps."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urljoin

from foia.rules.dates import LONDON


def absolute_url(site_url: str | None, path: str) -> str:
    """Full URL of a site path when site_url is known, else the site-relative path."""
    if not site_url:
        return path
    return urljoin(site_url if site_url.endswith("/") else site_url + "/", path)


def london_midnight(day: dt.date) -> str:
    """RFC 3339 timestamp of the start of a London day (Atom needs date-times)."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=LONDON).isoformat()
