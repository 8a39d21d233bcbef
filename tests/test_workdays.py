"""Working days and due dates against the England and Wales calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from foia.rules.records import Record
from foia.rules.workdays import (
    bank_holiday,
    is_working_day,
    next_working_day,
    publication_due,
    working_day_on_or_after,
    working_days_between,
)

D = dt.date


def record(approved: dt.date, *, deferred: bool = False, until: dt.date | None = None) -> Record:
    return Record(
        path=f"decisions/{approved.year}/test.md", reference="TEST 1", title="T", approved=approved,
        decision_maker="DMPC", deferred=deferred, part2=False, body="x",
        deferred_reason="reason" if deferred else None, deferred_until=until,
    )


@pytest.mark.parametrize(
    ("approved", "due"),
    [
        (D(2023, 6, 1), D(2023, 6, 2)),  # Thursday -> Friday
        (D(2023, 6, 2), D(2023, 6, 5)),  # Friday -> Monday
        (D(2023, 6, 3), D(2023, 6, 5)),  # signed on a Saturday -> Monday
        (D(2023, 6, 4), D(2023, 6, 5)),  # signed on a Sunday -> Monday
        (D(2021, 12, 24), D(2021, 12, 29)),  # Christmas and Boxing Day on a weekend: 27 and 28 substitute
        (D(2020, 12, 24), D(2020, 12, 29)),  # Fri 25 Christmas, Sat 26 Boxing Day, Mon 28 substitute
        (D(2015, 12, 24), D(2015, 12, 29)),  # same pattern in 2015
        (D(2022, 12, 23), D(2022, 12, 28)),  # Sun 25, Mon 26 Boxing Day, Tue 27 substitute Christmas
        (D(2024, 3, 28), D(2024, 4, 2)),  # Maundy Thursday: Good Friday and Easter Monday
        (D(2016, 3, 24), D(2016, 3, 29)),  # Easter 2016
        (D(2024, 8, 23), D(2024, 8, 27)),  # Friday before the late summer bank holiday Monday
        (D(2024, 5, 3), D(2024, 5, 7)),  # Friday before the early May bank holiday Monday
        (D(2020, 5, 7), D(2020, 5, 11)),  # 2020: early May bank holiday moved to Friday 8 May (VE Day)
        (D(2022, 6, 1), D(2022, 6, 6)),  # 2022: Platinum Jubilee Thursday and Friday
        (D(2026, 11, 27), D(2026, 11, 30)),  # St Andrew's Day is a Scottish holiday, not English
        (D(2024, 1, 1), D(2024, 1, 2)),  # 2 January is a holiday in Scotland only
    ],
)
def test_due_date_is_the_next_working_day_after_approval(approved, due):
    assert next_working_day(approved) == due
    assert publication_due(record(approved)) == due


def test_christmas_substitute_days_are_bank_holidays():
    assert bank_holiday(D(2021, 12, 27)) and bank_holiday(D(2021, 12, 28))
    assert not is_working_day(D(2021, 12, 27)) and not is_working_day(D(2021, 12, 28))
    assert is_working_day(D(2021, 12, 29))
    assert bank_holiday(D(2021, 12, 29)) is None


def test_weekends_and_ordinary_days():
    assert is_working_day(D(2026, 11, 25))  # a Wednesday
    assert not is_working_day(D(2026, 11, 28))  # Saturday
    assert not is_working_day(D(2026, 11, 29))  # Sunday
    assert bank_holiday(D(2026, 11, 28)) is None  # a weekend is not a bank holiday


def test_working_day_on_or_after():
    assert working_day_on_or_after(D(2026, 11, 25)) == D(2026, 11, 25)
    assert working_day_on_or_after(D(2026, 11, 28)) == D(2026, 11, 30)
    assert working_day_on_or_after(D(2027, 3, 26)) == D(2027, 3, 30)  # Good Friday, Easter Monday 2027


def test_working_days_between_counts_only_working_days():
    assert working_days_between(D(2021, 12, 24), D(2021, 12, 29)) == 1
    assert working_days_between(D(2021, 12, 29), D(2021, 12, 29)) == 0
    assert working_days_between(D(2021, 12, 29), D(2021, 12, 20)) == 0
    assert working_days_between(D(2026, 11, 20), D(2026, 11, 27)) == 5  # Fri to Fri
    assert working_days_between(D(2021, 12, 20), D(2022, 1, 10)) == 12  # 27, 28 Dec and 3 Jan are holidays


def test_working_days_between_agrees_with_counting_day_by_day():
    start = D(2019, 12, 1)
    for end in (start + dt.timedelta(days=n) for n in range(0, 800, 7)):
        by_day = sum(is_working_day(start + dt.timedelta(days=i)) for i in range(1, (end - start).days + 1))
        assert working_days_between(start, end) == by_day


def test_deferred_due_date_is_the_first_working_day_on_or_after_the_release_date():
    approved = D(2026, 1, 5)
    assert publication_due(record(approved, deferred=True, until=D(2026, 3, 11))) == D(2026, 3, 11)  # a Wednesday
    assert publication_due(record(approved, deferred=True, until=D(2026, 3, 14))) == D(2026, 3, 16)  # Saturday
    assert publication_due(record(approved, deferred=True, until=D(2026, 4, 3))) == D(2026, 4, 7)  # Good Friday


def test_a_deferral_never_brings_the_due_date_forward():
    approved = D(2026, 1, 9)  # a Friday
    assert publication_due(record(approved, deferred=True, until=approved)) == D(2026, 1, 12)


def test_deferred_without_a_date_has_no_due_date():
    assert publication_due(record(D(2026, 1, 5), deferred=True)) is None


def test_no_overflow_at_the_end_of_the_date_range():
    from foia.rules.dates import LAST_DAY, DateError

    last = record(LAST_DAY)
    assert publication_due(last) > LAST_DAY
    assert working_day_on_or_after(LAST_DAY) >= LAST_DAY
    assert working_days_between(D(1900, 1, 1), LAST_DAY) > 0
    with pytest.raises(DateError, match="dates must be on or before 2200-12-31"):
        next_working_day(D(9999, 12, 31))
