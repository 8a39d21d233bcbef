"""Outputs rendered from the plan's public records alone: feed, open data, the filter
listing and the search index. No MkDocs here: the plugin starts each year's search index
(SearchIndex) once the year's pages are written, calls write_all, lets the index finish
and move in, then scans the complete site once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from foia.outputs import feed, listing, opendata
from foia.outputs.browse import Browse
from foia.outputs.identity import IdentityError, from_extra
from foia.outputs.search import SearchIndex, SearchIndexError, pages_by_year
from foia.rules import records
from foia.rules.plan import Plan

__all__ = ["IdentityError", "SearchIndex", "SearchIndexError", "pages_by_year", "printed_wording", "write_all"]


def printed_wording(extra: Mapping[str, Any] | None = None, site_name: str = "Decisions") -> list[str]:
    """Wording the outputs print of their own on every site, whatever the content: the field
    descriptions of the schemas, the open data and the data package, and the body's identity.
    Withheld text that is this wording proves nothing when found (see proof.boilerplate)."""
    identity = from_extra(extra, site_name)
    texts: list[str] = [identity.name, identity.short_name, *identity.address, *(link.title for link in identity.links)]
    texts += [c.description for c in opendata.COLUMNS]
    texts += [f["description"] for f in opendata.table_schema()["fields"]]
    texts += [f.description for f in records.FIELDS]
    return [t for t in texts if t and t.strip()]


def write_all(plan: Plan, site_dir: str | Path, *, site_url: str | None, feed_size: int,
              first_published: dict[str, dt.date], site_name: str = "Decisions",
              extra: Mapping[str, Any] | None = None, browse: Browse | None = None) -> list[Path]:
    """Write every plan-derived output into site_dir; returns the files written. extra is
    the config's ``extra`` (the body's identity, under ``body``); browse, when the caller
    already holds the plan's Browse, saves walking the records again."""
    site = Path(site_dir)
    identity = from_extra(extra, site_name)
    return [
        feed.write(plan, site, site_url=site_url, site_name=site_name, size=feed_size,
                   first_published=first_published),
        *opendata.write(plan, site, site_url=site_url, first_published=first_published, identity=identity),
        listing.write(plan, site, browse),
    ]
