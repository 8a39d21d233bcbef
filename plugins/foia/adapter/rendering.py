"""Rendering decision pages faster without changing a byte of them: the render cache
(Part 1 HTML), the page cache (whole pages, for a rebuild) and render-ahead (a second CPU).

Each trick sits behind the RenderCache/PageCache/RenderAhead interfaces in cache.py and
ahead.py, whose tests compare their pages with pages built without them. This module only
wires them to the generator's pages."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from foia.adapter.ahead import RenderAhead
from foia.adapter.cache import CacheConfigError, PageCache, RenderCache, digest, stable_json, toc_outline
from foia.rules.records import Record

# Settings the theme's templates read on every page. The render cache's generation covers
# the config file's bytes; these cover what an INHERIT'ed file or another plugin set.
SITE_SETTINGS = ("site_name", "site_url", "site_description", "site_author", "copyright", "repo_url", "repo_name",
                 "edit_uri", "edit_uri_template", "extra", "extra_css", "extra_javascript", "google_analytics")
# Template context keys the page key covers explicitly; any other key is hashed as it is.
_KNOWN_CONTEXT = {"nav", "pages", "base_url", "extra_css", "extra_javascript", "mkdocs_version", "build_date_utc",
                  "config", "page", "foia"}


class PageRendering:
    def __init__(self, cache_root: Path, salt: str, config, template_dirs, get_toc: Callable[[Any], Any]):
        self.render_cache = RenderCache(cache_root, salt, config=config, template_dirs=template_dirs,
                                        get_toc=get_toc, background_writes=True)
        self.page_cache = PageCache(self.render_cache) if self.render_cache.enabled else None
        self.ahead: RenderAhead | None = None
        self.ahead_index: dict[str, int] = {}
        self.pending: dict[str, str] = {}  # src_uri -> page key of a page to store once written
        self.nav_digest: str | None = None

    @property
    def enabled(self) -> bool:
        return self.render_cache.enabled

    # ---------------------------------------------------------------- render ahead

    def start_ahead(self, src_uris: list[str], render: Callable[[int], None]) -> bool:
        """Share the Markdown of the record pages (in build order) with a forked helper."""
        self.ahead_index = {uri: i for i, uri in enumerate(src_uris)}
        self.ahead = RenderAhead(len(src_uris), render)
        if not self.ahead.start():
            self.ahead = None
        return self.ahead is not None

    def stop_ahead(self) -> tuple[int, int] | None:
        """(pages the helper rendered, pages it could have): every page is rendered by now."""
        if self.ahead is None:
            return None
        helped, count = self.ahead.stop(), self.ahead.count
        self.ahead = None
        return helped, count

    # ---------------------------------------------------------------- Part 1 HTML

    def before_render(self, page, markdown: str) -> str:
        if self.ahead is not None:
            self.ahead.reached(self.ahead_index.get(page.file.src_uri, -1))
        return self.render_cache.before_render(page, markdown)

    def after_render(self, page, html: str) -> str:
        return self.render_cache.after_render(page, html)

    # ---------------------------------------------------------------- whole pages

    def cached_page(self, context: dict[str, Any], page, view, record: Record, nav, config) -> str | None:
        """The page as an earlier build wrote it, if every input is the same; else None,
        and the page is stored once written (see stored)."""
        if self.page_cache is None:
            return None
        key = self._page_key(context, page, view, record, nav, config)
        cached = self.page_cache.load(key) if key else None
        if cached is not None:
            self.page_cache.hits += 1
        elif key:
            self.page_cache.misses += 1
            self.pending[page.file.src_uri] = key
        return cached

    def stored(self, page, output: str) -> None:
        key = self.pending.pop(page.file.src_uri, None)
        if key is not None and self.page_cache is not None:
            self.page_cache.store(key, output)

    def _page_key(self, context: dict[str, Any], page, view, record: Record, nav, config) -> str | None:
        """Everything a decision page's templates read (see cache.PageCache), or None when
        some value has no stable form (the page is then rendered, never cached)."""
        assert self.page_cache is not None
        try:
            if self.nav_digest is None:  # once per build: navigation and site-wide settings
                self.nav_digest = digest(stable_json(_nav_outline(nav.items)), _site_settings(config))
            parts: dict[str, str | bytes] = {
                "dest_uri": page.file.dest_uri, "url": page.url, "canonical_url": str(page.canonical_url),
                "edit_url": str(page.edit_url), "title": str(page.title), "meta": stable_json(page.meta),
                "content": page.content or "", "toc": stable_json([toc_outline(t) for t in page.toc]),
                "neighbour_pages": stable_json([getattr(p, "url", None)
                                                for p in (page.previous_page, page.next_page, page.parent)]),
                "site": self.nav_digest, "base_url": str(context["base_url"]),
                "extra_css": stable_json([str(u) for u in context["extra_css"]]),
                "extra_javascript": stable_json([str(u) for u in context["extra_javascript"]]),
                "generator_version": str(context["mkdocs_version"]),
                "record_file": Path(page.file.abs_src_path).read_bytes(),
                "plan_inputs": view.cache_inputs(),  # neighbours, dates, documents: what the plan adds
                "other_context": stable_json({k: v for k, v in context.items() if k not in _KNOWN_CONTEXT}),
            }
        except (CacheConfigError, OSError):
            return None  # no stable form, or the source is gone: render the page
        return self.page_cache.key(*(part for name, value in parts.items() for part in (name, value)))

    # ---------------------------------------------------------------- end

    def summary(self) -> str | None:
        if self.page_cache is None:
            return None
        return f"Page cache: {self.page_cache.hits} decision page(s) reused, {self.page_cache.misses} rendered"

    def flush(self) -> None:
        """Every cache entry of this build on disk."""
        self.render_cache.writer.flush()

    def kill(self) -> None:
        if self.ahead is not None:
            with contextlib.suppress(Exception):
                self.ahead.kill()
            self.ahead = None
        self.flush()


def _site_settings(config) -> str:
    values = {key: config.get(key) for key in SITE_SETTINGS}
    values["theme"] = dict(config.theme)
    values["plugins"] = {name: dict(plugin.config) for name, plugin in config.plugins.items()}
    return stable_json(values)


def _nav_outline(items) -> list:
    return [[type(i).__name__, str(i.title), getattr(i, "url", None), _nav_outline(getattr(i, "children", None) or [])]
            for i in items]
