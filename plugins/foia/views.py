"""What the templates see: listings and page data computed from the plan alone."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from .plan import Plan
from .records import DECISIONS_DIR, Record

HOME_LISTED = 25
_YEAR_INDEX = re.compile(rf"^{DECISIONS_DIR}/(\d{{4}})/index\.md$")


@dataclass
class PageView:
    plan: Plan
    record: Record | None = None
    year: int | None = None
    previous: Record | None = None
    next: Record | None = None
    listed: list[Record] = field(default_factory=list)
    first_published: dict[str, dt.date] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return self.plan.years()

    @property
    def announced(self) -> list[Record]:
        return self.plan.announced()

    def published_on(self, record: Record) -> dt.date | None:
        return self.first_published.get(record.reference)


def generated_pages(plan: Plan) -> list[tuple[str, str]]:
    """Listing pages the plugin adds: the decisions index and one page per year."""
    pages = [(f"{DECISIONS_DIR}/index.md", _stub("Decisions", "foia/decisions.html"))]
    for year in plan.years():
        pages.append((f"{DECISIONS_DIR}/{year}/index.md", _stub(f"Decisions {year}", "foia/year.html")))
    return pages


def _stub(title: str, template: str) -> str:
    return f"---\ntitle: {title}\ntemplate: {template}\n---\n"


def page_view(plan: Plan, src_uri: str, record: Record | None,
              first_published: dict[str, dt.date] | None = None) -> PageView:
    view = PageView(plan, record=record, first_published=first_published or {})
    if record is not None:
        same_year = plan.public_in_year(record.year)  # newest first
        i = next((n for n, r in enumerate(same_year) if r.path == record.path), None)
        if i is not None:
            view.next = same_year[i - 1] if i > 0 else None
            view.previous = same_year[i + 1] if i + 1 < len(same_year) else None
    elif (m := _YEAR_INDEX.match(src_uri)) is not None:
        view.year = int(m.group(1))
        view.listed = plan.public_in_year(view.year)
    else:
        view.listed = plan.public[:HOME_LISTED]
    return view


def london_date(value: Any) -> str:
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return "" if value is None else str(value)


def register_filters(env) -> None:
    env.filters["london_date"] = london_date
