"""London dates: today in London, the one ISO date parser, and the build date."""

from __future__ import annotations

import datetime as dt
import os
import re
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
AS_OF_ENV = "FOIA_AS_OF"


def london_today(now: dt.datetime | None = None) -> dt.date:
    now = now or dt.datetime.now(dt.UTC)
    return now.astimezone(LONDON).date()


def parse_day(text: str, source: str) -> dt.date:
    text = text.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(f"{source} must be a date written YYYY-MM-DD, got {text!r}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{source} is not a real date: {text!r}") from None


def resolve_as_of(option: str | dt.date | None, environ: dict[str, str] | None = None) -> dt.date:
    """The build date: FOIA_AS_OF wins over the as_of option, which wins over today."""
    environ = os.environ if environ is None else environ
    if environ.get(AS_OF_ENV, "").strip():
        return parse_day(environ[AS_OF_ENV], AS_OF_ENV)
    if isinstance(option, dt.date):
        return option
    if option:
        return parse_day(str(option), "as_of")
    return london_today()
