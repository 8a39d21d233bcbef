"""Outputs rendered from the plan's public records alone: feed, open data, the filter
listing and the search index. No MkDocs here: the plugin starts each year's search index
(SearchIndex) once the year's pages are written, calls write_all, lets the index finish
and move in, then scans the complete site once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from foia.outputs import feed, listing, opendata
from foia.outputs.search import SearchIndex, SearchIndexError, decision_year
from foia.rules.plan import Plan

__all__ = ["SearchIndex", "SearchIndexError", "decision_year", "write_all"]


def write_all(plan: Plan, site_dir: str | Path, *, site_url: str | None, feed_size: int,
              first_published: dict[str, dt.date], site_name: str = "Decisions") -> list[Path]:
    """Write every plan-derived output into site_dir; returns the files written."""
    site = Path(site_dir)
    return [
        feed.write(plan, site, site_url=site_url, site_name=site_name, size=feed_size,
                   first_published=first_published),
        *opendata.write(plan, site, site_url=site_url, first_published=first_published),
        listing.write(plan, site),
    ]
