"""London dates: today in London, the one ISO date parser, and the build date.

Every date the rules read (a record's approval and deferral dates, the build date from
``as_of``, ``FOIA_AS_OF`` or ``--as-of``) is parsed here, and must lie between
``FIRST_DAY`` and ``LAST_DAY``: a typing slip such as 9999-12-31 is a clear error, never an
overflow in the working-day arithmetic years later.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
AS_OF_ENV = "FOIA_AS_OF"
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2200, 12, 31)
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only: \d takes any script's


class DateError(ValueError):
    """A date that is not a real YYYY-MM-DD day in the supported range. ``problem`` says
    what is wrong without naming the source, for messages that name it their own way."""

    def __init__(self, source: str, problem: str):
        self.source = source
        self.problem = problem
        super().__init__(f"{source} {problem}")


def london_today(now: dt.datetime | None = None) -> dt.date:
    now = now or dt.datetime.now(dt.UTC)
    return now.astimezone(LONDON).date()


def parse_day(text: str, source: str) -> dt.date:
    """The one ISO date parser: 'YYYY-MM-DD' (surrounding spaces allowed), a real day,
    between FIRST_DAY and LAST_DAY. Raises DateError naming ``source``."""
    text = text.strip()
    if not _ISO_DAY.fullmatch(text):
        raise DateError(source, f"must be a date written YYYY-MM-DD, got {text!r}")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise DateError(source, f"is not a real date: {text!r}") from None
    return check_day(day, source)


def check_day(day: dt.date, source: str) -> dt.date:
    """The day itself, if it lies in the supported range; else a DateError."""
    if isinstance(day, dt.datetime):
        raise DateError(source, f"must be a date written YYYY-MM-DD, not a date and time ({day})")
    if not FIRST_DAY <= day <= LAST_DAY:
        raise DateError(source, f"must be between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}, "
                                f"got {day.isoformat()!r}")
    return day


def resolve_as_of(option: str | dt.date | None, environ: dict[str, str] | None = None) -> dt.date:
    """The build date: FOIA_AS_OF wins over the as_of option, which wins over today."""
    environ = os.environ if environ is None else environ
    if environ.get(AS_OF_ENV, "").strip():
        return parse_day(environ[AS_OF_ENV], AS_OF_ENV)
    if isinstance(option, dt.date):
        return check_day(option, "as_of")
    if option:
        return parse_day(str(option), "as_of")
    return london_today()
