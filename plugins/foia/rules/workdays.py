"""Working days and publication due dates (England and Wales).

A working day is a Monday to Friday that is not an England and Wales bank holiday, as
listed by the ``holidays`` package (which includes the substitute days, e.g. Monday 27 and
Tuesday 28 December 2021 for a Christmas falling on a weekend, and one-off days such as
a state funeral).

Due dates, the comms team's deadline for getting a Part 1 onto the website:

- not deferred: the next working day after the approval date (approved Friday 24
  December 2021, due Wednesday 29 December 2021);
- deferred with a date: the first working day on or after ``deferred_until``, and never
  earlier than the next working day after approval (a deferral can only postpone);
- deferred with no date: no due date ("to be reviewed"), so never overdue.

Publication on the due date itself is on time.

Dates come from ``dates.parse_day``, so lie between 1900 and 2200; a later day given here
is a DateError, never an OverflowError at the end of the calendar.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

from foia.rules.dates import LAST_DAY, DateError
from foia.rules.records import Record

COUNTRY, SUBDIVISION = "GB", "ENG"  # the England and Wales calendar
ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=256)
def _bank_holidays(year: int) -> dict[dt.date, str]:
    return dict(holidays.country_holidays(COUNTRY, subdiv=SUBDIVISION, years=year))


def bank_holiday(day: dt.date) -> str | None:
    """Name of the England and Wales bank holiday on this date, if any."""
    return _bank_holidays(day.year).get(day)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and bank_holiday(day) is None


def next_working_day(day: dt.date) -> dt.date:
    """The first working day strictly after ``day`` (at most LAST_DAY)."""
    if day > LAST_DAY:
        raise DateError("working day after", f"{day.isoformat()}: dates must be on or before {LAST_DAY.isoformat()}")
    day += ONE_DAY
    while not is_working_day(day):
        day += ONE_DAY
    return day


def working_day_on_or_after(day: dt.date) -> dt.date:
    return day if is_working_day(day) else next_working_day(day)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days d with start < d <= end (0 when end <= start): how late, in working days."""
    if end <= start:
        return 0
    weeks, extra = divmod((end - start).days, 7)
    count = weeks * 5 + sum((start + dt.timedelta(days=i)).weekday() < 5 for i in range(1, extra + 1))
    for year in range(start.year, end.year + 1):
        count -= sum(start < day <= end and day.weekday() < 5 for day in _bank_holidays(year))
    return count


def publication_due(record: Record) -> dt.date | None:
    """The date by which the record's Part 1 must be on the website (see module docstring)."""
    after_approval = next_working_day(record.approved)
    if not record.deferred:
        return after_approval
    if record.deferred_until is None:
        return None
    return max(after_approval, working_day_on_or_after(record.deferred_until))
