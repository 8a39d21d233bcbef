"""Outputs rendered from the plan's public records alone (feeds, open data, search).

Interim: the public-browsing issue fills these in; the plugin already calls them in the
right order (write_all before the leak scan, build_search_index after it).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..plan import Plan


def write_all(plan: Plan, site_dir: str | Path, *, site_url: str | None, feed_size: int,
              first_published: dict[str, dt.date]) -> list[Path]:
    """Write every plan-derived output into site_dir; returns the files written."""
    return []


def build_search_index(site_dir: str | Path) -> list[Path]:
    """Index the (already scanned) site for search; returns the files written."""
    return []
