"""Publication state of one decision: its due date, first publication date, and whether
it was published on time. The comms team's dashboard and the public pages ask here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from foia.rules.records import Record
from foia.rules.workdays import publication_due, working_days_between

STATES = ("on_time", "late", "overdue", "due", "deferred", "to_be_reviewed")


@dataclass(frozen=True)
class DecisionStatus:
    record: Record
    due: dt.date | None
    first_published: dt.date | None
    public: bool
    state: str
    working_days_late: int | None

    def as_json(self) -> dict[str, Any]:
        r = self.record
        return {
            "reference": r.reference,
            "title": r.title,
            "path": r.path,
            "approved": r.approved.isoformat(),
            "deferred": r.deferred,
            "deferred_until": _iso(r.deferred_until),
            "due": _iso(self.due),
            "first_published": _iso(self.first_published),
            "public": self.public,
            "state": self.state,
            "working_days_late": self.working_days_late,
        }


def decision_status(record: Record, public: bool, first_published: dt.date | None, day: dt.date) -> DecisionStatus:
    """One decision as of ``day``; ``public`` comes from the plan, never recomputed here."""
    due = publication_due(record)
    if first_published is not None and first_published > day:
        first_published = None  # not yet published as of that day
    late_by = None
    if first_published is not None and due is not None:
        state = "on_time" if first_published <= due else "late"
        late_by = working_days_between(due, first_published)
    elif due is None:
        state = "to_be_reviewed"
    elif not public:
        state = "deferred"
    elif due < day:
        state, late_by = "overdue", working_days_between(due, day)
    else:
        state = "due"
    return DecisionStatus(record, due, first_published, public, state, late_by)


def recorded_publication(record: Record, first_published: dict[str, dt.date]) -> dt.date | None:
    """The day the ledger says the record was first published; None until it says so."""
    return first_published.get(record.reference)


def publication_date(record: Record, first_published: dict[str, dt.date]) -> dt.date:
    """The day a record was (or will be taken as) first published: the ledger's date,
    else the later of its approval date and its deferral date."""
    if (day := recorded_publication(record, first_published)) is not None:
        return day
    return max(record.approved, record.deferred_until or record.approved)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
