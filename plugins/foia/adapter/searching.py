"""The generator's side of the search index: count down each year's decision pages as the
generator writes them, and start that year's Pagefind bundle once all are on disk (see
outputs/search.py for the bundles themselves)."""

from __future__ import annotations

import contextlib

from foia import outputs
from foia.rules.records import Record


class SearchIndexFailed(Exception):
    """Pagefind failed; the message says how (the build stops, nothing is published)."""


@contextlib.contextmanager
def _failure():
    try:
        yield
    except outputs.SearchIndexError as e:
        raise SearchIndexFailed(f"search index: {e}; nothing was published") from None


class SearchBundles:
    def __init__(self, site_dir: str, records: list[Record], *, cache_root, bundle_pages: int):
        # The record pages the generator will write, in its order; counted down by year.
        self.pages_left = outputs.pages_by_year(records)
        self.years_written: list[str] = []
        with _failure():
            self.index: outputs.SearchIndex | None = outputs.SearchIndex(
                site_dir, records, cache_dir=cache_root, bundle_pages=bundle_pages)

    @property
    def names(self) -> list[str]:
        return self.index.names if self.index is not None else []

    def page_written(self, record: Record | None) -> None:
        """Called for each page (with its record, for a record page) before the generator
        writes it, so a year counted down on the previous call has every page on disk by now."""
        if self.index is None:
            return
        with _failure():
            for year in self.years_written:
                self.index.start(year)
            self.years_written = []
            self.index.poll()
        year = str(record.year) if record is not None else None
        if year in self.pages_left:
            self.pages_left[year] -= 1
            if self.pages_left[year] == 0:
                self.years_written.append(year)

    def finish(self) -> str:
        """Index what is left with every CPU, wait, and move the bundles into the site."""
        assert self.index is not None
        with _failure():
            self.index.finish()
        index, self.index = self.index, None
        return f"Search index: {len(index.bundles)} bundle(s), {index.reused} reused from an earlier build"

    def cancel(self) -> None:
        if self.index is not None:
            self.index.cancel()
            self.index = None
