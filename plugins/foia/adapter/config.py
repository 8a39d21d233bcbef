"""Typed options of the foia plugin (``plugins: - foia: {...}`` in mkdocs.yml)."""

from __future__ import annotations

import datetime as dt

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError

from foia.rules.dates import parse_day


class LondonDate(c.BaseConfigOption[dt.date | None]):
    """A London date written YYYY-MM-DD, quoted or not: YAML reads an unquoted date as a
    date, a quoted one as text; both mean the same day. Checked by the one date parser."""

    def run_validation(self, value: object) -> dt.date | None:
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            raise ValidationError(f"must be a date written YYYY-MM-DD, not a date and time ({value})")
        text = value.isoformat() if isinstance(value, dt.date) else value
        if not isinstance(text, str):
            raise ValidationError(f"must be a date written YYYY-MM-DD, got {value!r}")
        try:
            return parse_day(text, "as_of")
        except ValueError as e:
            raise ValidationError(str(e)) from None


class FoiaConfig(Config):
    # Build as of this London date (YYYY-MM-DD); FOIA_AS_OF in the environment wins.
    as_of = LondonDate()
    # Any invalid record or Part 2 problem fails the build, listing every problem at once.
    strict = c.Type(bool, default=True)
    # Listings show the reference and release date of deferred decisions (never title/text).
    announce_deferred = c.Type(bool, default=False)
    # Publication ledger (first publication dates), relative to the mkdocs.yml folder.
    ledger = c.Type(str, default="content/publication-log.yml")
    # Reviewed stock wording, relative to the mkdocs.yml folder: one sentence a line. Withheld
    # text that is stock wording (or template text) is not counted as a leak.
    stock_wording = c.Type(str, default="stock-wording.txt")
    # Where each record's rendered Part 1 HTML is cached between builds ("" turns it off).
    cache_dir = c.Type(str, default=".foia-cache")
    # Build the Pagefind search index, scanned like every other output.
    pagefind = c.Type(bool, default=True)
    # Decision pages per search bundle: consecutive years are grouped from the oldest until a
    # bundle holds this many (smaller: faster rebuilds; larger: fewer downloads per search).
    search_bundle_pages = c.Type(int, default=1500)
    # Number of entries in the Atom feed.
    feed_size = c.Type(int, default=50)
    # Pages without the templates' blank lines and indentation (see outputs/compact.py).
    compact_html = c.Type(bool, default=True)
