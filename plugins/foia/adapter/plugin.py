"""Thin MkDocs hooks that apply the plan. The rules live in plain modules."""

from __future__ import annotations

import contextlib
import logging
import os
import time
from pathlib import Path
from typing import Any

from mkdocs import utils
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from foia import __version__, outputs
from foia.adapter import staging as publish
from foia.adapter.ahead import RenderAhead
from foia.adapter.cache import CacheConfigError, PageCache, RenderCache, digest, stable_json, toc_outline
from foia.adapter.config import FoiaConfig
from foia.outputs import views
from foia.proof import boilerplate
from foia.proof import scan as leakscan
from foia.rules.content import is_part2_path, load_content
from foia.rules.dates import resolve_as_of
from foia.rules.ledger import LEDGER_ENV, LedgerError, load_first_published
from foia.rules.plan import Plan, build_plan
from foia.rules.records import Record

log = get_plugin_logger(__name__)
TEMPLATES = Path(__file__).parent.parent / "templates"
ASSETS = Path(__file__).parent.parent / "assets"
ASSETS_URI = "assets/foia"  # where the plugin's CSS and JavaScript land in the site
MAX_LISTED = 50  # problems shown in one error message; the rest are counted
# With the theme's own search off (the site searches with Pagefind), nothing loads
# Material's search worker or its lunr language files, and source maps serve only a
# developer's debugger: 2.3 MB in every site, kept out.
_THEME_SEARCH_FILES = ("assets/javascripts/workers/", "assets/javascripts/lunr/")


def _unused_without_theme_search(src_uri: str) -> bool:
    return src_uri.startswith(_THEME_SEARCH_FILES) or (src_uri.startswith("assets/") and src_uri.endswith(".map"))


class FoiaPlugin(BasePlugin[FoiaConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        # Held across the builds of mkdocs serve: files passed byte for byte are not read again.
        self.proof = leakscan.ProofSession()
        self._reset()

    def _reset(self) -> None:
        self.plan: Plan | None = None
        self.records_by_path: dict[str, Record] = {}
        self.target_site_dir: str | None = None
        self.staging: Path | None = None
        self.link_errors: list[str] = []
        self.warnings: utils.CountHandler | None = None
        self.first_published: dict = {}
        self.render_cache: RenderCache | None = None
        self.ledger_uri: str | None = None
        self.ahead: RenderAhead | None = None
        self.ahead_index: dict[str, int] = {}
        self.cache_root: Path | None = None
        self.page_cache: PageCache | None = None
        self.page_pending: dict[str, str] = {}
        self.nav_digest: str | None = None
        self.search_index: outputs.SearchIndex | None = None
        self.pages_left: dict[str, int] = {}  # decision pages of each year not yet written
        self.years_written: list[str] = []

    # ------------------------------------------------------------------ set-up

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    @event_priority(100)  # first, so every other plugin sees the staging site_dir
    def on_config(self, config):
        self._reset()
        if config.strict:
            # MkDocs aborts a --strict build only after on_post_build, too late for us:
            # count warnings ourselves so site/ is never replaced by a build that fails.
            self.warnings = utils.CountHandler()
            self.warnings.setLevel(logging.WARNING)
            logging.getLogger("mkdocs").addHandler(self.warnings)
        try:
            day = resolve_as_of(self.config.as_of)
        except ValueError as e:
            raise PluginError(f"foia: {e}") from None
        content = load_content(config.docs_dir)
        project_dir = Path(config.config_file_path or ".").parent
        stock = [*boilerplate.template_wording([TEMPLATES]),
                 *(text for text in (config.site_name, config.site_description) if text),
                 *boilerplate.stock_wording_file(project_dir / self.config.stock_wording)]
        self.plan = build_plan(content, day, announce_deferred=self.config.announce_deferred, stock_wording=stock)
        self.records_by_path = {r.path: r for r in content.records}
        # LEDGER_ENV lets `foia publish` build against the ledger it is about to commit.
        ledger_path = Path(os.environ.get(LEDGER_ENV) or project_dir / self.config.ledger)
        docs_dir = Path(config.docs_dir).resolve()
        if ledger_path.resolve().is_relative_to(docs_dir):
            self.ledger_uri = ledger_path.resolve().relative_to(docs_dir).as_posix()
        try:
            self.first_published = load_first_published(ledger_path)
        except LedgerError as e:
            raise PluginError(f"foia: {e}") from None
        if self.plan.errors:
            self._report_record_errors(self.plan.errors)
        log.info(
            "As of %s (Europe/London): %d decisions public, %d withheld, %d Part 2 files kept out",
            day.isoformat(), len(self.plan.public), len(self.plan.withheld), len(content.part2_files),
        )
        if len(self.plan.public) >= leakscan.PARALLEL_FROM:
            # Each decision is a page and a search fragment, so the leak scan will share the
            # site out among worker processes: start their server now, while pages render,
            # and read the files the site will hold as they are (PDF annexes...) meanwhile.
            leakscan.start_workers()
            self.proof.read_ahead(self.plan.staged)
        # Before the theme's own folder (after a custom_dir): our main.html adds the feed
        # link and the search form to every page, 404.html included.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(TEMPLATES))
        if self.config.cache_dir:
            self.cache_root = project_dir / self.config.cache_dir
            salt = "|".join([__version__, day.isoformat(), Path(config.config_file_path or "").name])
            self.render_cache = RenderCache(self.cache_root, salt, config=config,
                                            template_dirs=config.theme.dirs)
            if self.render_cache.enabled:
                self.page_cache = PageCache(self.render_cache)
        if self.command != "serve":
            self.target_site_dir = config.site_dir
            self.staging = publish.make_staging(config.site_dir)
            config.site_dir = str(self.staging)
        return config

    def _report_record_errors(self, errors) -> None:
        lines = [str(e) for e in errors]
        if self.config.strict:
            shown = "\n  - ".join(lines[:MAX_LISTED])
            more = f"\n  ... and {len(lines) - MAX_LISTED} more" if len(lines) > MAX_LISTED else ""
            raise PluginError(
                f"foia: {len(lines)} problem(s) in content; nothing was published:\n  - {shown}{more}"
            )
        for line in lines:
            log.warning("%s (record withheld)", line)

    # ------------------------------------------------------------------ files and nav

    @event_priority(-100)  # last, so no other plugin can re-include a withheld file
    def on_files(self, files: Files, *, config) -> Files:
        plan = self._plan()
        for file in files:
            if file.src_uri in plan.withheld_paths or is_part2_path(file.src_uri) or file.src_uri == self.ledger_uri:
                file.inclusion = InclusionLevel.EXCLUDED  # the ledger is the comms team's, not the public's
            elif file.src_uri in self.records_by_path:
                file.inclusion = InclusionLevel.NOT_IN_NAV  # the index pages are the nav
        for src_uri, text in views.generated_pages(plan, search=self.config.pagefind):
            if files.get_file_from_path(src_uri) is None:
                files.append(File.generated(config, src_uri, content=text, inclusion=InclusionLevel.NOT_IN_NAV))
        for asset in sorted(p for p in ASSETS.rglob("*") if p.is_file()):
            uri = f"{ASSETS_URI}/{asset.relative_to(ASSETS).as_posix()}"
            if files.get_file_from_path(uri) is None:
                files.append(File.generated(config, uri, abs_src_path=str(asset)))
        if not any(name in config.plugins for name in ("search", "material/search")):
            theme_dirs = set(config.theme.dirs)
            for file in files:
                if file.src_dir in theme_dirs and _unused_without_theme_search(file.src_uri):
                    file.inclusion = InclusionLevel.EXCLUDED
        return files

    @event_priority(-100)
    def on_nav(self, nav: Navigation, *, config, files: Files) -> Navigation:
        nav.items = _prune(nav.items)
        nav.pages = [p for p in nav.pages if not p.file.inclusion.is_excluded()]
        # Footer links were set before pruning: relink so none points at a withheld page.
        for i, page in enumerate(nav.pages):
            page.previous_page = nav.pages[i - 1] if i > 0 else None
            page.next_page = nav.pages[i + 1] if i + 1 < len(nav.pages) else None
        self._start_render_ahead(config, files)
        return nav

    def _record_files(self, files: Files) -> list[File]:
        """The record pages MkDocs will build, in the order it builds them."""
        return [f for f in files.documentation_pages(inclusion=InclusionLevel.is_included)
                if f.src_uri in self.records_by_path]

    def _start_render_ahead(self, config, files: Files) -> None:
        """Share the Markdown rendering of record pages with a second CPU (see ahead.py)."""
        if self.command != "build" or self.render_cache is None or not self.render_cache.enabled:
            return
        try:  # MkDocs' own per-page step, so the helper renders exactly as the build would
            from mkdocs.commands.build import _populate_page
        except ImportError:  # pragma: no cover - another generator: the build renders alone
            return
        pages = self._record_files(files)
        self.ahead_index = {f.src_uri: i for i, f in enumerate(pages)}

        def render(i: int) -> None:
            file = pages[i]
            page = file.page if file.page is not None else Page(None, file, config)
            _populate_page(page, config, files)

        self.ahead = RenderAhead(len(pages), render)
        if not self.ahead.start():
            self.ahead = None

    # ------------------------------------------------------------------ pages

    def on_page_markdown(self, markdown: str, *, page: Page, config, files: Files) -> str:
        record = self.records_by_path.get(page.file.src_uri)
        if record is not None:
            page.meta["template"] = "foia/decision.html"
            if self.ahead is not None:
                self.ahead.reached(self.ahead_index.get(page.file.src_uri, -1))
            if self.render_cache is not None:
                return self.render_cache.before_render(page, markdown)
        return markdown

    def on_page_content(self, html: str, *, page: Page, config, files: Files) -> str:
        plan = self._plan()
        if page.file.src_uri in self.records_by_path:
            if self.render_cache is not None:
                html = self.render_cache.after_render(page, html)
            html = views.wrap_tables(html)
        if plan.withheld_urls:
            rel = page.file.dest_uri
            for link, url in leakscan.withheld_links(rel, html, plan.withheld_urls):
                source = next((r.path for r in plan.withheld if r.url == url), url)
                self.link_errors.append(f"{page.file.src_uri} links to withheld decision {source} ({link})")
        return html

    @event_priority(-100)  # last, so the page cache key sees what other plugins add
    def on_page_context(self, context: dict[str, Any], *, page: Page, config, nav: Navigation):
        record = self.records_by_path.get(page.file.src_uri)
        view = views.page_view(self._plan(), page.file.src_uri, record, self.first_published)
        context["foia"] = view
        if view.kind == "search":  # the bundles to load, newest first (none without pagefind)
            context["foia_search_bundles"] = self.search_index.names if self.search_index is not None else []
        if record is not None and self.page_cache is not None:
            key = self._page_key(context, page, view, record, nav, config)
            cached = self.page_cache.load(key) if key else None
            if cached is not None:
                self.page_cache.hits += 1
                context["foia_cached_page"] = cached  # foia/decision.html then extends foia/cached.html
            elif key:
                self.page_cache.misses += 1
                self.page_pending[page.file.src_uri] = key
        return context

    def _page_key(self, context: dict[str, Any], page: Page, view, record: Record, nav: Navigation,
                  config) -> str | None:
        """Everything a decision page's templates read (see cache.PageCache), or None
        when some value has no stable form (the page is then rendered, never cached)."""
        known = {"nav", "pages", "base_url", "extra_css", "extra_javascript", "mkdocs_version", "build_date_utc",
                 "config", "page", "foia"}
        try:
            if self.nav_digest is None:  # once per build: navigation and site-wide settings
                self.nav_digest = digest(stable_json(_nav_outline(nav.items)), _site_settings(config))
            neighbours = [(n.reference, n.title, n.url) if n is not None else None for n in (view.previous, view.next)]
            return self.page_cache.key(
                page.file.dest_uri, page.url, str(page.canonical_url), str(page.edit_url), str(page.title),
                stable_json(page.meta), page.content or "", stable_json([toc_outline(t) for t in page.toc]),
                stable_json([getattr(p, "url", None) for p in (page.previous_page, page.next_page, page.parent)]),
                self.nav_digest, str(context["base_url"]), stable_json([str(u) for u in context["extra_css"]]),
                stable_json([str(u) for u in context["extra_javascript"]]), str(context["mkdocs_version"]),
                Path(page.file.abs_src_path).read_bytes(), stable_json(neighbours),
                str(view.published_on(record)), str(view.on_time(record)),
                stable_json({k: v for k, v in context.items() if k not in known}),
            )
        except (CacheConfigError, OSError, TypeError, ValueError):
            return None

    def on_env(self, env, *, config, files: Files):
        if self.ahead is not None:  # every page is rendered by now
            helped = self.ahead.stop()
            log.info("Render ahead: %d of %d record pages rendered by a second process", helped, self.ahead.count)
            self.ahead = None
        views.register_filters(env)
        if self.config.pagefind:
            self._start_search_index(config, files)
        return env

    def _start_search_index(self, config, files: Files) -> None:
        """Each year's search bundle is built as soon as its pages are written (see
        outputs/search.py), so Pagefind works while MkDocs writes the later years."""
        self.pages_left = {}
        for file in self._record_files(files):
            if year := outputs.decision_year(file.dest_uri):
                self.pages_left[year] = self.pages_left.get(year, 0) + 1
        with _search_index_failure():
            self.search_index = outputs.SearchIndex(config.site_dir, self.pages_left, cache_dir=self.cache_root,
                                                    bundle_pages=self.config.search_bundle_pages)

    def on_post_page(self, output: str, *, page: Page, config) -> str:
        key = self.page_pending.pop(page.file.src_uri, None)
        if key is not None and self.page_cache is not None:
            self.page_cache.store(key, output)
        if self.search_index is not None:
            with _search_index_failure():
                # MkDocs writes a page after this hook: a year counted down on the previous
                # call has every page on disk by now.
                for year in self.years_written:
                    self.search_index.start(year)
                self.years_written = []
                self.search_index.poll()
            year = outputs.decision_year(page.file.dest_uri)
            if year in self.pages_left and page.file.src_uri in self.records_by_path:
                self.pages_left[year] -= 1
                if self.pages_left[year] == 0:
                    self.years_written.append(year)
        return output

    # ------------------------------------------------------------------ proof and publication

    @event_priority(-100)  # after the search plugin and every other writer
    def on_post_build(self, *, config) -> None:
        plan = self._plan()
        if self.link_errors:
            raise PluginError("foia: a public page links to a withheld page:\n  - " + "\n  - ".join(self.link_errors))
        outputs.write_all(plan, config.site_dir, site_url=config.site_url, feed_size=self.config.feed_size,
                          first_published=self.first_published, site_name=config.site_name)
        index, self.search_index = self.search_index, None
        try:
            if index is not None:
                # Pagefind gets every CPU for what is left, then one scan reads it all: measured
                # faster than scanning the pages while Pagefind finishes (they share the CPUs,
                # and the bundles then need a second pass).
                with _search_index_failure():
                    index.finish()
                log.info("Search index: %d bundle(s), %d reused from an earlier build", len(index.bundles),
                         index.reused)
                index = None
            self._prove(plan, config.site_dir)  # the complete site, search bundles included
        finally:
            if index is not None:
                index.cancel()
        if self.page_cache is not None:
            log.info("Page cache: %d decision page(s) reused, %d rendered", self.page_cache.hits, self.page_cache.misses)
        if self.warnings is not None and (counts := self.warnings.get_counts()):
            raise PluginError(f"foia: strict mode: {counts} warning(s) logged; site not replaced")
        if self.staging is not None and self.target_site_dir is not None:
            publish.promote(self.staging, self.target_site_dir)
            config.site_dir = self.target_site_dir
            self.staging = None
        self._finish()

    def _prove(self, plan: Plan, site_dir: str) -> None:
        started = time.perf_counter()
        leaks = self.proof.scan(site_dir, plan)
        if leaks:
            shown = "\n  - ".join(str(leak) for leak in leaks[:MAX_LISTED])
            more = f"\n  ... and {len(leaks) - MAX_LISTED} more" if len(leaks) > MAX_LISTED else ""
            raise PluginError(
                f"foia: leak scan found withheld material in the built site; nothing was published:\n  - {shown}{more}"
            )
        log.info("Leak scan passed: %d fingerprints, 0 hits, %.1f s", len(plan.fingerprints),
                 time.perf_counter() - started)

    def on_build_error(self, *, error: Exception) -> None:
        self._finish()

    def on_shutdown(self) -> None:
        self._finish()

    def _finish(self) -> None:
        if self.search_index is not None:
            self.search_index.cancel()
            self.search_index = None
        if self.ahead is not None:
            self.ahead.kill()
            self.ahead = None
        publish.discard(self.staging)
        self.staging = None
        if self.warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self.warnings)
            self.warnings = None

    def _plan(self) -> Plan:
        if self.plan is None:
            raise PluginError("foia: the plugin was not configured (on_config did not run)")
        return self.plan


# Settings the theme's templates read on every page. The render cache's generation covers
# the config file's bytes; these cover what an INHERIT'ed file or another plugin set.
SITE_SETTINGS = ("site_name", "site_url", "site_description", "site_author", "copyright", "repo_url", "repo_name",
                 "edit_uri", "edit_uri_template", "extra", "extra_css", "extra_javascript", "google_analytics")


@contextlib.contextmanager
def _search_index_failure():
    """A failed Pagefind run stops the build, saying so (the staging folder is discarded)."""
    try:
        yield
    except outputs.SearchIndexError as e:
        raise PluginError(f"foia: search index: {e}; nothing was published") from None


def _site_settings(config) -> str:
    values = {key: config.get(key) for key in SITE_SETTINGS}
    values["theme"] = dict(config.theme)
    values["plugins"] = {name: dict(plugin.config) for name, plugin in config.plugins.items()}
    return stable_json(values)


def _nav_outline(items) -> list:
    return [[type(i).__name__, str(i.title), getattr(i, "url", None), _nav_outline(getattr(i, "children", None) or [])]
            for i in items]


def _prune(items):
    """Drop nav entries that point at withheld files, and sections left empty."""
    kept = []
    for item in items:
        if isinstance(item, Section):
            item.children = _prune(item.children)
            if not item.children:
                continue
        elif isinstance(item, Page) and item.file.inclusion.is_excluded():
            continue
        kept.append(item)
    return kept


