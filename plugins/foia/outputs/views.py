"""What the templates see: listings and page data computed from the plan alone.

Every listing (home, decisions index, year, tag and decision-maker pages) is built here
from the plan's public records, so a withheld record can only reach a template through
``Plan.announced()`` (reference and deferral date, when announce_deferred is on).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from foia.rules.plan import Plan
from foia.rules.records import DECISIONS_DIR, Record, slugify
from foia.rules.state import decision_status

HOME_LISTED = 25  # latest decisions on the home page and the decisions index
TAGS_DIR = f"{DECISIONS_DIR}/tags"
MAKERS_DIR = f"{DECISIONS_DIR}/makers"
SEARCH_PAGE = "search.md"
OPEN_DATA_PAGE = "open-data.md"

_YEAR_INDEX = re.compile(rf"^{DECISIONS_DIR}/(\d{{4}})/index\.md$")
_FACET_PAGE = re.compile(rf"^(?:({TAGS_DIR})|({MAKERS_DIR}))/([a-z0-9-]+)\.md$")


@dataclass(frozen=True)
class Facet:
    """One way into the archive: a year, a tag or a decision maker, with its public count."""

    label: str
    slug: str
    url: str
    count: int


def facet_slug(label: str) -> str:
    """URL slug of a tag or decision maker; labels with no letters or digits get a hash."""
    return slugify(label) or "x-" + hashlib.sha256(label.encode()).hexdigest()[:8]


class Browse:
    """Indexes of the plan's public records, computed once per plan (not once per page)."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.by_year: dict[int, list[Record]] = {}
        self.by_tag: dict[str, list[Record]] = {}
        self.by_maker: dict[str, list[Record]] = {}
        tag_labels: dict[str, str] = {}
        maker_labels: dict[str, str] = {}
        for r in plan.public:  # newest first, so every list below is newest first too
            self.by_year.setdefault(r.year, []).append(r)
            for tag in r.tags:
                slug = facet_slug(tag)
                tag_labels.setdefault(slug, tag)
                self.by_tag.setdefault(slug, []).append(r)
            slug = facet_slug(r.decision_maker)
            maker_labels.setdefault(slug, r.decision_maker)
            self.by_maker.setdefault(slug, []).append(r)
        self.years = [Facet(str(y), str(y), f"{DECISIONS_DIR}/{y}/", len(rs))
                      for y, rs in sorted(self.by_year.items(), reverse=True)]
        self.tags = sorted((Facet(tag_labels[s], s, f"{TAGS_DIR}/{s}/", len(rs)) for s, rs in self.by_tag.items()),
                           key=lambda f: f.label.casefold())
        self.makers = sorted((Facet(maker_labels[s], s, f"{MAKERS_DIR}/{s}/", len(rs))
                              for s, rs in self.by_maker.items()), key=lambda f: f.label.casefold())
        self._tag_by_slug = {f.slug: f for f in self.tags}
        self._maker_by_slug = {f.slug: f for f in self.makers}
        self._position: dict[str, tuple[int, int]] = {}
        for year, records in self.by_year.items():
            for i, r in enumerate(records):
                self._position[r.path] = (year, i)

    def tag(self, slug: str) -> Facet | None:
        return self._tag_by_slug.get(slug)

    def maker(self, slug: str) -> Facet | None:
        return self._maker_by_slug.get(slug)

    def neighbours(self, record: Record) -> tuple[Record | None, Record | None]:
        """(previous, next) decision of the same year in approval order: previous is older."""
        if record.path not in self._position:
            return None, None
        year, i = self._position[record.path]
        same_year = self.by_year[year]
        newer = same_year[i - 1] if i > 0 else None
        older = same_year[i + 1] if i + 1 < len(same_year) else None
        return older, newer


_browse_cache: tuple[Plan, Browse] | None = None


def browse(plan: Plan) -> Browse:
    global _browse_cache
    if _browse_cache is None or _browse_cache[0] is not plan:
        _browse_cache = (plan, Browse(plan))
    return _browse_cache[1]


@dataclass
class PageView:
    plan: Plan
    kind: str = "page"  # home | index | year | tag | maker | decision | search | open-data | page
    record: Record | None = None
    year: int | None = None
    facet: Facet | None = None  # the tag or decision maker of a facet page
    previous: Record | None = None
    next: Record | None = None
    listed: list[Record] = field(default_factory=list)
    total: int = 0  # decisions in this listing's scope (listed may show fewer)
    first_published: dict[str, dt.date] = field(default_factory=dict)

    @cached_property
    def browse(self) -> Browse:
        return browse(self.plan)

    @property
    def years(self) -> list[int]:
        return [int(f.slug) for f in self.browse.years]

    @property
    def announced(self) -> list[Record]:
        return self.plan.announced()

    @property
    def filter_preset(self) -> dict[str, str]:
        """The filter values a listing page stands for, so the form opens matching it."""
        return {
            "year": str(self.year) if self.kind == "year" else "",
            "tag": self.facet.slug if self.kind == "tag" and self.facet else "",
            "maker": self.facet.slug if self.kind == "maker" and self.facet else "",
        }

    @property
    def open_data_columns(self):
        from foia.outputs.opendata import COLUMNS  # here, not at the top: outputs imports views

        return COLUMNS

    def published_on(self, record: Record) -> dt.date | None:
        return self.first_published.get(record.reference)

    def on_time(self, record: Record) -> bool | None:
        """Was the Part 1 published by its due date? None when the ledger does not say.
        The rule is the comms team's dashboard's (status.decision_status), not a copy."""
        state = decision_status(record, True, self.published_on(record), self.plan.day).state
        return {"on_time": True, "late": False}.get(state)

    def tag_url(self, tag: str) -> str:
        return f"{TAGS_DIR}/{facet_slug(tag)}/"

    def maker_url(self, maker: str) -> str:
        return f"{MAKERS_DIR}/{facet_slug(maker)}/"


def generated_pages(plan: Plan, *, search: bool = True) -> list[tuple[str, str]]:
    """Pages the plugin adds unless content/ has its own file at the same path: the
    decisions index, one page per year, tag and decision maker, Search and Open data."""
    b = browse(plan)
    pages = [(f"{DECISIONS_DIR}/index.md", _stub("Decisions", "foia/decisions.html"))]
    for f in b.years:
        pages.append((f"{DECISIONS_DIR}/{f.slug}/index.md", _stub(f"Decisions {f.label}", "foia/facet.html")))
    for f in b.tags:
        pages.append((f"{TAGS_DIR}/{f.slug}.md", _stub(f"Decisions tagged {f.label}", "foia/facet.html")))
    for f in b.makers:
        pages.append((f"{MAKERS_DIR}/{f.slug}.md", _stub(f"Decisions by {f.label}", "foia/facet.html")))
    if search:
        pages.append((SEARCH_PAGE, _stub("Search decisions", "foia/search.html")))
    pages.append((OPEN_DATA_PAGE, _stub("Open data", "foia/open-data.html")))
    return pages


def _stub(title: str, template: str) -> str:
    # JSON strings are YAML strings: a tag such as "a: b" cannot break the front matter.
    return f"---\ntitle: {json.dumps(title)}\ntemplate: {template}\n---\n"


def page_view(plan: Plan, src_uri: str, record: Record | None,
              first_published: dict[str, dt.date] | None = None) -> PageView:
    view = PageView(plan, record=record, first_published=first_published or {})
    b = view.browse
    if record is not None:
        view.kind = "decision"
        view.previous, view.next = b.neighbours(record)
    elif src_uri == "index.md":
        view.kind = "home"
        view.listed, view.total = plan.public[:HOME_LISTED], len(plan.public)
    elif src_uri == f"{DECISIONS_DIR}/index.md":
        view.kind = "index"
        view.listed, view.total = plan.public[:HOME_LISTED], len(plan.public)
    elif (m := _YEAR_INDEX.match(src_uri)) is not None:
        view.kind, view.year = "year", int(m.group(1))
        view.listed = b.by_year.get(view.year, [])
        view.total = len(view.listed)
    elif (m := _FACET_PAGE.match(src_uri)) is not None:
        is_tag, slug = m.group(1) is not None, m.group(3)
        view.kind = "tag" if is_tag else "maker"
        view.facet = b.tag(slug) if is_tag else b.maker(slug)
        view.listed = (b.by_tag if is_tag else b.by_maker).get(slug, [])
        view.total = len(view.listed)
    elif src_uri == SEARCH_PAGE:
        view.kind = "search"
    elif src_uri == OPEN_DATA_PAGE:
        view.kind = "open-data"
    return view


# --------------------------------------------------------------------- HTML helpers

_TABLE = re.compile(r"<table\b.*?</table>", re.S | re.I)


def wrap_tables(html: str) -> str:
    """Put each table of a Part 1 text in a labelled, keyboard-scrollable region, so a
    wide table scrolls sideways on a phone instead of overflowing the page."""
    count = 0

    def wrap(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return (f'<div class="foia-table" role="region" tabindex="0" aria-label="Table {count}">'
                f"{m.group(0)}</div>")

    return _TABLE.sub(wrap, html)


def london_date(value: Any) -> str:
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return "" if value is None else str(value)


def register_filters(env) -> None:
    env.filters["london_date"] = london_date
