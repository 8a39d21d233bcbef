"""What the templates see: listings and page data computed from the plan alone.

Every listing (home, decisions index, year, tag and decision-maker pages) is built here
from the plan's public records, so a withheld record can only reach a template through
``Plan.announced()`` (reference and deferral date, when announce_deferred is on).

The caller (the generator's adapter) makes one SiteViews per build and asks it for each
page's view: the archive's indexes (Browse) are computed once per plan and held there.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from foia.outputs import documents as docs
from foia.outputs import jsonld
from foia.outputs.browse import MAKERS_DIR, TAGS_DIR, Browse, Facet, facet_slug, maker_url, tag_url
from foia.outputs.identity import Identity, from_extra
from foia.outputs.opendata import COLUMNS
from foia.rules.plan import Document, Plan
from foia.rules.records import DECISIONS_DIR, Record
from foia.rules.state import decision_status, publication_date, recorded_publication

__all__ = ["Browse", "Facet", "PageView", "SiteViews", "facet_slug", "register_filters", "wrap_tables"]

HOME_LISTED = 25  # latest decisions on the home page and the decisions index
SEARCH_PAGE = "search.md"
OPEN_DATA_PAGE = "open-data.md"
# The public body's legal pages: generated unless content/ has its own file.
ACCESSIBILITY_PAGE = "accessibility.md"
PRIVACY_PAGE = "privacy.md"
LICENCE_PAGE = "licence.md"
LEGAL_PAGES = {
    ACCESSIBILITY_PAGE: ("Accessibility statement", "foia/accessibility.html"),
    PRIVACY_PAGE: ("Privacy notice", "foia/privacy.html"),
    LICENCE_PAGE: ("Licence and reuse", "foia/licence.html"),
}

_YEAR_INDEX = re.compile(rf"^{DECISIONS_DIR}/(\d{{4}})/index\.md$")
_FACET_PAGE = re.compile(rf"^(?:({TAGS_DIR})|({MAKERS_DIR}))/([a-z0-9-]+)\.md$")


class SiteViews:
    """Everything the templates of one build read, computed once from the plan. The
    caller owns it (one per build), so no state outlives the build."""

    def __init__(self, plan: Plan, first_published: dict[str, dt.date] | None = None, *,
                 extra: dict[str, Any] | None = None, site_name: str = "Decisions", site_url: str | None = None):
        self.plan = plan
        self.first_published = first_published or {}
        self.browse = Browse(plan)
        self.identity: Identity = from_extra(extra, site_name)
        self.site_url = site_url

    def generated_pages(self, *, search: bool = True) -> list[tuple[str, str]]:
        """Pages the plugin adds unless content/ has its own file at the same path: the
        decisions index, one page per year, tag and decision maker, Search, Open data and
        the legal pages."""
        b = self.browse
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
        for src, (title, template) in LEGAL_PAGES.items():
            pages.append((src, _stub(title, template)))
        return pages

    def page_view(self, src_uri: str, record: Record | None) -> PageView:
        view = PageView(self, record=record)
        b, plan = self.browse, self.plan
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
        elif src_uri in LEGAL_PAGES:
            view.kind = src_uri.removesuffix(".md")
        return view


@dataclass
class PageView:
    site: SiteViews
    kind: str = "page"  # home | index | year | tag | maker | decision | search | open-data | accessibility | ...
    record: Record | None = None
    year: int | None = None
    facet: Facet | None = None  # the tag or decision maker of a facet page
    previous: Record | None = None
    next: Record | None = None
    listed: list[Record] = field(default_factory=list)
    total: int = 0  # decisions in this listing's scope (listed may show fewer)

    @property
    def plan(self) -> Plan:
        return self.site.plan

    @property
    def browse(self) -> Browse:
        return self.site.browse

    @property
    def body(self) -> Identity:
        return self.site.identity

    @property
    def day(self) -> dt.date:
        """The build's London date: the day the site's pages were generated and checked."""
        return self.site.plan.day

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
        return COLUMNS

    def published_on(self, record: Record) -> dt.date | None:
        """The first publication date the ledger records (None until it does)."""
        return recorded_publication(record, self.site.first_published)

    def on_time(self, record: Record) -> bool | None:
        """Was the Part 1 published by its due date? None when the ledger does not say."""
        state = decision_status(record, True, self.published_on(record), self.plan.day).state
        return {"on_time": True, "late": False}.get(state)

    def documents(self, record: Record) -> list[Document]:
        return docs.documents(self.plan, record)

    def document_label(self, document: Document) -> str:
        return docs.label(document)

    def document_size(self, document: Document) -> str:
        return docs.size_label(document.size)

    def print_css(self, record: Record, canonical_url: str | None) -> str:
        """@page rules that put the decision's reference and title at the top of every
        printed page and its address and page number at the bottom (decision.js adds the
        print date, which only the reader's browser knows)."""
        url = canonical_url or record.url
        return ("@page{margin:20mm 16mm 20mm 16mm;"
                f"@top-left{{content:{css_string(record.reference + ': ' + record.title)};"
                "font:9pt sans-serif;color:#000;vertical-align:bottom;padding-bottom:3mm}"
                f"@bottom-left{{content:{css_string(url)};font:9pt sans-serif;color:#000;vertical-align:top;"
                "padding-top:3mm}"
                "@bottom-right{content:\"Page \" counter(page) \" of \" counter(pages);font:9pt sans-serif;color:#000;"
                "vertical-align:top;padding-top:3mm}}")

    def description(self, record: Record) -> str:
        """One sentence for listings, link previews and search engines."""
        return record.summary or (f"Decision {record.reference} of the {self.body.name}, approved on "
                                  f"{london_date(record.approved)} by the {record.decision_maker}.")

    def json_ld(self, record: Record) -> str:
        data = jsonld.decision(record, identity=self.body, site_url=self.site.site_url,
                               published=publication_date(record, self.site.first_published),
                               documents=self.documents(record))
        return jsonld.script_text(data)

    def cache_inputs(self) -> str:
        """Every plan-derived value a decision page shows beyond its record file: a page
        cache must key on this, so no cached page outlives a change in any of them."""
        r = self.record
        if r is None:
            return ""
        neighbours = [(n.reference, n.title, n.url) if n is not None else None for n in (self.previous, self.next)]
        return json.dumps([neighbours, str(self.published_on(r)), str(self.on_time(r)),
                           str(publication_date(r, self.site.first_published)),
                           [(d.path, d.name, d.size) for d in self.documents(r)]], ensure_ascii=False)

    def tag_url(self, tag: str) -> str:
        return tag_url(tag)

    def maker_url(self, maker: str) -> str:
        return maker_url(maker)


def _stub(title: str, template: str) -> str:
    # JSON strings are YAML strings: a tag such as "a: b" cannot break the front matter.
    return f"---\ntitle: {json.dumps(title)}\ntemplate: {template}\n---\n"


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


def css_string(text: str) -> str:
    """A CSS string literal holding text, which can neither end the string nor the
    <style> element it sits in (every character but letters, digits and spaces is escaped)."""
    return '"' + "".join(c if (c.isalnum() and c.isascii()) or c == " " else f"\\{ord(c):x} " for c in text) + '"'


def london_date(value: Any) -> str:
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return "" if value is None else str(value)


def register_filters(env) -> None:
    env.filters["london_date"] = london_date
