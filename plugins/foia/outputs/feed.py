"""Atom feed (RFC 4287) of the most recently published decisions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lxml import etree

from foia.outputs import documents as docs
from foia.outputs.common import absolute_url, london_midnight
from foia.rules.plan import Plan
from foia.rules.records import Record
from foia.rules.state import publication_date

ATOM = "http://www.w3.org/2005/Atom"
FEED_FILE = "feed.xml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def latest(plan: Plan, first_published: dict[str, dt.date], size: int) -> list[Record]:
    """The size most recently published public records, newest first."""
    key = lambda r: (publication_date(r, first_published), r.approved, r.reference)  # noqa: E731
    return sorted(plan.public, key=key, reverse=True)[:max(size, 0)]


def _id(site_url: str | None, path: str) -> str:
    # An Atom id must be an absolute IRI; without site_url fall back to a stable URN.
    return absolute_url(site_url, path) if site_url else "urn:foia-decisions:" + (path.strip("/") or "site")


def render(plan: Plan, *, site_url: str | None, site_name: str, size: int,
           first_published: dict[str, dt.date]) -> bytes:
    entries = latest(plan, first_published, size)
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    feed.set(XML_LANG, "en")

    def add(parent, tag: str, text: str | None = None, **attrs: str):
        el = etree.SubElement(parent, f"{{{ATOM}}}{tag}", **attrs)
        if text is not None:
            el.text = text
        return el

    add(feed, "id", _id(site_url, FEED_FILE))
    add(feed, "title", f"{site_name}: latest decisions")
    add(feed, "subtitle", f"The {size} most recently published decisions (Part 1), newest first.")
    newest = publication_date(entries[0], first_published) if entries else plan.day
    add(feed, "updated", london_midnight(newest))
    add(feed, "link", rel="self", type="application/atom+xml", href=absolute_url(site_url, FEED_FILE))
    add(feed, "link", rel="alternate", type="text/html", href=absolute_url(site_url, "") or "./")
    author = add(feed, "author")
    add(author, "name", site_name)
    for r in entries:
        published = london_midnight(publication_date(r, first_published))
        entry = add(feed, "entry")
        add(entry, "id", _id(site_url, r.url))
        add(entry, "title", f"{r.reference}: {r.title}")
        add(entry, "published", published)
        add(entry, "updated", published)
        add(entry, "link", rel="alternate", type="text/html", href=absolute_url(site_url, r.url))
        maker = add(entry, "author")
        add(maker, "name", r.decision_maker)
        for document in docs.documents(plan, r):  # each published document, as an enclosure
            add(entry, "link", rel="enclosure", type=docs.media_type(document), length=str(document.size),
                title=docs.label(document), href=docs.url(document, site_url))
        for tag in r.tags:
            add(entry, "category", term=tag)
        summary = r.summary or f"Decision {r.reference}, approved on {r.approved.isoformat()} by {r.decision_maker}."
        add(entry, "summary", summary, type="text")
    return etree.tostring(feed, xml_declaration=True, encoding="utf-8", pretty_print=True)


def write(plan: Plan, site_dir: Path, **kwargs) -> Path:
    path = site_dir / FEED_FILE
    path.write_bytes(render(plan, **kwargs))
    return path
