"""Outputs rendered from the plan's public records alone: feed, open data, the filter
listing and the search index. No MkDocs here: the plugin calls write_all, starts the
search index (IndexRun) while it scans the site, then moves the index in and scans again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..plan import Plan
from . import feed, listing, opendata, search
from .search import IndexRun, SearchIndexError

__all__ = ["IndexRun", "SearchIndexError", "build_search_index", "write_all"]


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


def build_search_index(site_dir: str | Path) -> list[Path]:
    """Index the (already scanned) site for search; returns the files written."""
    return search.build_index(site_dir)
