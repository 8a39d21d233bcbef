"""The comms team's dashboard: was each decision published on time, as of a London date?

Whether a decision is public on day D is decided by ``plan.is_public`` (the one publication
rule, the predicate ``plan.build_plan`` applies too); when it was first published comes
from the ledger; due dates come from ``workdays``. Ledger entries dated after D are ignored, so the report for any past day is
reproducible from today's files. Decisions approved after D are left out.

State of each decision as of D (first match wins):

``on_time``         in the ledger, first published on or before its due date
``late``            in the ledger, first published after its due date
``to_be_reviewed``  deferred with no date: withheld until someone sets one; never overdue
``deferred``        deferred, release date after D
``overdue``         not in the ledger and its due date is before D
``due``             public on D but not yet in the ledger, due date D or later
                    (the next ``foia publish`` records it)
``invalid``         its file has a problem (or another file claims its reference), so it
                    is withheld until the content is fixed; listed so that a published
                    decision never drops out of the dashboard. A file that cannot be read
                    at all is listed by the reference the ledger gives it, other fields null.

``share_on_time`` = on_time / (on_time + late + overdue): the share published within one
working day of approval (or by the release date, for a deferral), null when nothing has
fallen due.

JSON shape (``foia status --json``), format 1; dates are YYYY-MM-DD or null::

    {
      "format": 1,
      "as_of": "2026-11-25",
      "decisions": [                     # oldest approval first
        {"reference": "DMPCD 2015 148", "title": "...", "path": "decisions/2015/dmpcd-2015-148.md",
         "approved": "2015-12-10", "deferred": false, "deferred_until": null,
         "due": "2015-12-11", "first_published": "2015-12-11", "public": true,
         "state": "on_time", "working_days_late": 0}
      ],
      "deferred": {                      # lists of references
        "releasing_soon": [...],         # release date in the next 14 days (after D, up to D+14)
        "later": [...],                  # release date after D+14
        "to_be_reviewed": [...],         # deferred with no date
        "released_not_published": [...]  # release date on or before D, not in the ledger
      },
      "years": [                         # by approval year, oldest first
        {"year": 2015, "decisions": 1, "published": 1, "on_time": 1, "late": 0, "overdue": 0,
         "due": 0, "deferred": 0, "to_be_reviewed": 0, "share_on_time": 1.0}
      ],
      "totals": {... same keys as a year, without "year" ...},
      "overdue": ["DMPCD 2026 175"],     # references, the alert list
      "problems": ["decisions/2026/x.md: key 'approved': ..."],  # invalid records: never published
      "warnings": ["..."]                # ledger entries that name no record, and the like
    }

``foia status`` exits 1 when ``overdue`` or ``problems`` is not empty (an invalid record
cannot be published, so it will miss its deadline).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from foia.rules.content import Content
from foia.rules.ledger import check_against_records
from foia.rules.plan import is_public
from foia.rules.records import parse_record, slugify
from foia.rules.state import STATES, DecisionStatus, decision_status

FORMAT = 1
SOON_DAYS = 14


@dataclass(frozen=True)
class Unreadable:
    """A record file that cannot be read, which the ledger says was published."""

    reference: str
    path: str
    first_published: dt.date

    def as_json(self) -> dict[str, Any]:
        return {"reference": self.reference, "title": None, "path": self.path, "approved": None, "deferred": None,
                "deferred_until": None, "due": None, "first_published": self.first_published.isoformat(),
                "public": False, "state": "invalid", "working_days_late": None}


@dataclass
class Report:
    as_of: dt.date
    decisions: list[DecisionStatus]
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)

    @property
    def overdue(self) -> list[DecisionStatus]:
        return [d for d in self.decisions if d.state == "overdue"]

    @property
    def failed(self) -> bool:
        return bool(self.overdue or self.problems)

    def deferred_lists(self) -> dict[str, list[DecisionStatus]]:
        soon_end = self.as_of + dt.timedelta(days=SOON_DAYS)
        lists: dict[str, list[DecisionStatus]] = {
            "releasing_soon": [], "later": [], "to_be_reviewed": [], "released_not_published": [],
        }
        for d in self.decisions:
            until = d.record.deferred_until
            if not d.record.deferred:
                continue
            if until is None:
                if d.state == "to_be_reviewed":
                    lists["to_be_reviewed"].append(d)
            elif until > self.as_of:
                lists["releasing_soon" if until <= soon_end else "later"].append(d)
            elif d.first_published is None:
                lists["released_not_published"].append(d)
        for items in lists.values():
            items.sort(key=lambda d: (d.record.deferred_until or d.record.approved, d.record.reference))
        return lists

    def years(self) -> list[dict[str, Any]]:
        years = sorted({d.record.year for d in self.decisions})
        return [{"year": y, **_figures([d for d in self.decisions if d.record.year == y])} for y in years]

    def totals(self) -> dict[str, Any]:
        return _figures(self.decisions)

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "as_of": self.as_of.isoformat(),
            "decisions": [d.as_json() for d in self.decisions] + [u.as_json() for u in self.unreadable],
            "deferred": {k: [d.record.reference for d in v] for k, v in self.deferred_lists().items()},
            "years": self.years(),
            "totals": self.totals(),
            "overdue": [d.record.reference for d in self.overdue],
            "problems": list(self.problems),
            "warnings": list(self.warnings),
        }


def _figures(decisions: list[DecisionStatus]) -> dict[str, Any]:
    counts = {state: sum(d.state == state for d in decisions) for state in STATES}
    fallen_due = counts["on_time"] + counts["late"] + counts["overdue"]
    return {
        "decisions": len(decisions),
        "published": counts["on_time"] + counts["late"],
        **counts,
        "share_on_time": round(counts["on_time"] / fallen_due, 4) if fallen_due else None,
    }


def build_report(content: Content, ledger: dict[str, dt.date], day: dt.date) -> Report:
    # plan.is_public is the one publication rule (build_plan applies the same predicate; the
    # dashboard needs no fingerprints, so it asks the predicate directly).
    records = [r for r in content.records if r.approved <= day]
    decisions = [decision_status(r, is_public(r, day), ledger.get(r.reference), day) for r in records]
    # A file withheld for a problem stays on the list, so no published decision drops out of it.
    unreadable = []
    for path in content.invalid_record_paths:
        record, _ = parse_record(path, content.sources.get(path, b""))
        if record is not None:  # valid alone: another file claims its reference
            if record.approved <= day:
                status = decision_status(record, False, ledger.get(record.reference), day)
                decisions.append(dataclasses.replace(status, state="invalid", working_days_late=None))
            continue
        stem = PurePosixPath(path).name.split(".", 1)[0].lower()
        for reference, published in sorted(ledger.items()):
            if slugify(reference) == stem and published <= day:
                unreadable.append(Unreadable(reference, path, published))
    decisions.sort(key=lambda d: (d.record.approved, d.record.reference, d.record.path))
    report = Report(day, decisions, problems=[str(e) for e in content.errors], unreadable=unreadable)

    report.warnings += [f.message for f in check_against_records(ledger, content.records)]
    for d in decisions:
        r = d.record
        if d.first_published is not None and not d.public and d.state != "invalid":
            report.warnings.append(
                f"{r.reference} was first published on {d.first_published.isoformat()} but is withheld "
                f"as of {day.isoformat()} ({r.path}): check its deferral"
            )
    return report


# ----------------------------------------------------------------------------- text

_LABELS = {
    "on_time": "on time", "late": "LATE", "overdue": "OVERDUE", "due": "due, not yet published",
    "deferred": "deferred", "to_be_reviewed": "deferred, no date (to be reviewed)",
    "invalid": "WITHHELD: content needs fixing",
}


def _day(day: dt.date | None) -> str:
    return day.isoformat() if day else "-"


def render_text(report: Report) -> str:
    out = [f"Publication status as of {report.as_of:%A} {report.as_of.day} {report.as_of:%B %Y} (Europe/London)", ""]
    if report.decisions or report.unreadable:
        out.append(f"{'Reference':<18} {'Approved':<10}  {'Due':<10}  {'Published':<10}  Status")
        for d in report.decisions:
            label = _LABELS[d.state]
            if d.state in ("late", "overdue") and d.working_days_late:
                label += f" by {d.working_days_late} working day{'s' if d.working_days_late != 1 else ''}"
            out.append(
                f"{d.record.reference:<18} {_day(d.record.approved):<10}  {_day(d.due):<10}  "
                f"{_day(d.first_published):<10}  {label}"
            )
        for u in report.unreadable:
            out.append(f"{u.reference:<18} {'-':<10}  {'-':<10}  {_day(u.first_published):<10}  "
                       f"{_LABELS['invalid']} ({u.path})")
    else:
        out.append("No decisions approved on or before this date.")

    lists = report.deferred_lists()
    out += ["", "Deferred decisions"]
    headings = {
        "releasing_soon": f"Releasing in the next {SOON_DAYS} days",
        "later": "Releasing later",
        "to_be_reviewed": "No release date (to be reviewed)",
        "released_not_published": "Release date passed, not yet in the ledger",
    }
    for key, heading in headings.items():
        items = lists[key]
        out.append(f"  {heading}: {'none' if not items else len(items)}")
        for d in items:
            when = f"release {d.record.deferred_until.isoformat()}" if d.record.deferred_until else "no date"
            out.append(f"    {d.record.reference:<18} {when}, approved {d.record.approved.isoformat()}: {d.record.title}")

    out += ["", f"{'Year':<6} {'Decisions':>9} {'Published':>9} {'On time':>7} {'Late':>4} {'Overdue':>7} "
                f"{'Due':>3} {'Deferred':>8} {'No date':>7}  Within 1 working day"]
    for row in [*report.years(), {"year": "Total", **report.totals()}]:
        share = "-" if row["share_on_time"] is None else f"{row['share_on_time']:.0%}"
        out.append(
            f"{row['year']!s:<6} {row['decisions']:>9} {row['published']:>9} {row['on_time']:>7} {row['late']:>4} "
            f"{row['overdue']:>7} {row['due']:>3} {row['deferred']:>8} {row['to_be_reviewed']:>7}  {share}"
        )
    if report.problems:
        out += ["", f"Content needs fixing ({len(report.problems)} problem(s)): these records are withheld until "
                    "fixed"]
        out += [f"  - {p}" for p in report.problems]
    if report.warnings:
        out += ["", "Warnings"] + [f"  - {w}" for w in report.warnings]
    out.append("")
    if report.overdue:
        refs = ", ".join(d.record.reference for d in report.overdue)
        out.append(f"OVERDUE: {len(report.overdue)} decision(s): {refs}")
    else:
        out.append("Nothing overdue.")
    if report.problems:
        out.append(f"CONTENT NEEDS FIXING: {len(report.problems)} problem(s), listed above; the records concerned are "
                   "not published until they are fixed.")
    return "\n".join(out) + "\n"
