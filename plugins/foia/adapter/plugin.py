"""The foia plugin: MkDocs' hooks, each handing off in a few lines.

The rules (what is public on the build date), the outputs (listings, feed, open data,
search) and the proof (the leak scan) know no generator; this adapter feeds them the
generator's files and pages and acts on their answers. It reaches MkDocs only through its
public API, so ProperDocs, the maintained fork of MkDocs 1.6, runs it unchanged.

One build, in hook order:
  on_config     plan the day, stage the public files, point the generator at the stages
  on_files      the stage holds only public files; mark record pages, add generated pages
  on_nav        drop nav entries of withheld pages; start rendering ahead
  on_page_*     record pages get their template, cached HTML, and a withheld-link check
  on_post_page  count each year's pages down, so its search bundle starts early
  on_post_build write the plan's outputs, finish the search index, prove, then publish
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from foia import __version__, outputs
from foia.adapter.cache import FingerprintCache
from foia.adapter.config import FoiaConfig
from foia.adapter.rendering import PageRendering
from foia.adapter.searching import SearchBundles, SearchIndexFailed
from foia.adapter.staging import BuildFolders
from foia.adapter.strict import WarningCounter
from foia.outputs import views
from foia.outputs.compact import compact_html
from foia.proof import boilerplate
from foia.proof import scan as leakscan
from foia.proof.fingerprints import collect as fingerprints_of
from foia.rules.content import is_part2_path, load_content
from foia.rules.dates import resolve_as_of
from foia.rules.ledger import LEDGER_ENV, LedgerError, load_first_published
from foia.rules.plan import Plan, build_plan
from foia.rules.records import Record

log = get_plugin_logger(__name__)
PACKAGE = Path(__file__).resolve().parent.parent
TEMPLATES = PACKAGE / "templates"
ASSETS = PACKAGE / "assets"
ASSETS_URI = "assets/foia"  # where the plugin's CSS and JavaScript land in the site
MAX_LISTED = 50  # problems shown in one error message; the rest are counted
# With the theme's own search off (the site searches with Pagefind), nothing loads
# Material's search worker or its lunr language files, and source maps serve only a
# developer's debugger: 2.3 MB in every site, kept out.
_THEME_SEARCH_FILES = ("assets/javascripts/workers/", "assets/javascripts/lunr/")


@dataclass
class Build:
    """Everything one build knows; made afresh in on_config, so nothing outlives a build
    of `mkdocs serve` but the plugin's options."""

    plan: Plan
    records: dict[str, Record]  # record pages by source path
    first_published: dict  # the ledger: reference -> first publication date
    views: views.SiteViews  # what the templates read, computed once from the plan
    folders: BuildFolders | None = None
    warnings: WarningCounter | None = None
    rendering: PageRendering | None = None
    search: SearchBundles | None = None
    link_errors: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)


class FoiaPlugin(BasePlugin[FoiaConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.build: Build | None = None
        # Held across the builds of mkdocs serve: files passed byte for byte are not read again.
        self.proof = leakscan.ProofSession()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command  # `serve` builds into MkDocs' own temporary folder: no swap

    # ------------------------------------------------------------------ set-up

    @event_priority(100)  # first, so every other plugin sees the staged docs and site folders
    def on_config(self, config):
        self._finish()
        warnings = WarningCounter() if config.strict else None
        try:
            self.build = self._plan_build(config)
        except BaseException:
            if warnings is not None:
                warnings.close()
            raise
        self.build.warnings = warnings
        # Before the theme's own folder (after a custom_dir): our main.html adds the feed
        # link and the search form to every page, 404.html included.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(TEMPLATES))
        if self.config.cache_dir:
            salt = "|".join([__version__, self.build.plan.day.isoformat(), Path(config.config_file_path or "").name])
            self.build.rendering = PageRendering(self._project_dir(config) / self.config.cache_dir, salt, config,
                                                 config.theme.dirs, get_toc)
        if len(self.build.plan.public) >= leakscan.PARALLEL_FROM:
            # Each decision is a page and a search fragment, so the leak scan will share the
            # site out among worker processes: start their server now, while pages render,
            # and read the files the site will hold as they are (PDF annexes...) meanwhile.
            leakscan.start_workers()
            self.proof.read_ahead(self.build.plan.staged)
        self.build.folders = BuildFolders(config, self.build.plan.staged, stage_site=self.command != "serve")
        if len(self.build.plan.public) >= leakscan.PARALLEL_FROM:
            # The pages are most of what the proof reads: scan each beside the build as it
            # is written (on_post_page names it), rather than all of them after the build.
            self.proof.scan_ahead(config.site_dir, self.build.plan)
        return config

    def _plan_build(self, config) -> Build:
        """The plan for the build date, the ledger, and every content problem reported."""
        try:
            day = resolve_as_of(self.config.as_of)
        except ValueError as e:
            raise PluginError(f"foia: {e}") from None
        project_dir = self._project_dir(config)
        # LEDGER_ENV lets `foia publish` build against the ledger it is about to commit.
        ledger_path = Path(os.environ.get(LEDGER_ENV) or project_dir / self.config.ledger).resolve()
        docs_dir = Path(config.docs_dir).resolve()
        # Both the configured ledger and the one `foia publish` is about to write are private.
        ledgers = {ledger_path, (project_dir / self.config.ledger).resolve()}
        private = [p.relative_to(docs_dir).as_posix() for p in sorted(ledgers) if p.is_relative_to(docs_dir)]
        content = load_content(docs_dir, private=private)  # the comms team's ledger is never published
        try:  # what the site prints of its own: templates, outputs, names; and the reviewed file
            stock = [*boilerplate.template_wording([TEMPLATES]),
                     *(text for text in (config.site_name, config.site_description) if text),
                     *outputs.printed_wording(config.extra, config.site_name),
                     *boilerplate.stock_wording_file(project_dir / self.config.stock_wording)]
        except outputs.IdentityError as e:
            raise PluginError(f"foia: {config.config_file_path}: {e}") from None
        fingerprints = FingerprintCache(project_dir / self.config.cache_dir if self.config.cache_dir else None,
                                        fingerprints_of)
        plan = build_plan(content, day, announce_deferred=self.config.announce_deferred, stock_wording=stock,
                          collect=fingerprints.collect)
        for warning in plan.warnings:
            log.warning("%s", warning)
        try:
            first_published = load_first_published(ledger_path)
        except LedgerError as e:
            raise PluginError(f"foia: {e}") from None
        try:
            site_views = views.SiteViews(plan, first_published, extra=config.extra, site_name=config.site_name,
                                         site_url=config.site_url)
        except outputs.IdentityError as e:
            raise PluginError(f"foia: {config.config_file_path}: {e}") from None
        if plan.errors:
            self._report_content_errors(plan.errors)
        log.info("foia %s, as of %s (Europe/London): %d decisions public, %d withheld, %d Part 2 files kept out",
                 __version__, day.isoformat(), len(plan.public), len(plan.withheld), len(content.part2_files))
        return Build(plan, {r.path: r for r in content.records}, first_published, site_views)

    def _report_content_errors(self, errors) -> None:
        lines = [str(e) for e in errors]
        if self.config.strict:
            raise PluginError(f"foia: {len(lines)} problem(s) in content; nothing was published:\n"
                              + _listed(lines))
        for line in lines:
            log.warning("%s (not published)", line)

    @staticmethod
    def _project_dir(config) -> Path:
        return Path(config.config_file_path or ".").resolve().parent

    # ------------------------------------------------------------------ files and nav

    @event_priority(-100)  # last, so no other plugin can re-include a withheld file
    def on_files(self, files: Files, *, config) -> Files:
        build = self._build()
        for file in files:
            if is_part2_path(file.src_uri) and file.src_dir == config.docs_dir:
                file.inclusion = InclusionLevel.EXCLUDED  # never staged; a second wall all the same
            elif file.src_uri in build.records:
                file.inclusion = InclusionLevel.NOT_IN_NAV  # the index pages are the nav
        for src_uri, text in build.views.generated_pages(search=self.config.pagefind):
            if files.get_file_from_path(src_uri) is None:
                files.append(File.generated(config, src_uri, content=text, inclusion=InclusionLevel.NOT_IN_NAV))
        for path in sorted(build.plan.withheld_paths):
            # A placeholder with no bytes, so an explicit nav entry to a withheld page is
            # pruned (on_nav) rather than reported missing; after the generated pages, so a
            # withheld file at a listing's path (decisions/index.md) never hides the listing.
            if path.endswith((".md", ".markdown")) and files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content="", inclusion=InclusionLevel.EXCLUDED))
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

    @event_priority(-100)  # last, after any plugin that adds nav entries
    def on_nav(self, nav: Navigation, *, config, files: Files) -> Navigation:
        nav.items = _prune(nav.items)
        nav.pages = [p for p in nav.pages if not p.file.inclusion.is_excluded()]
        # Footer links were set before pruning: relink so none points at a withheld page.
        for i, page in enumerate(nav.pages):
            page.previous_page = nav.pages[i - 1] if i > 0 else None
            page.next_page = nav.pages[i + 1] if i + 1 < len(nav.pages) else None
        self._render_ahead(config, files)
        return nav

    def _record_files(self, files: Files) -> list[File]:
        """The record pages the generator will build, in the order it builds them."""
        records = self._build().records
        return [f for f in files.documentation_pages(inclusion=InclusionLevel.is_included) if f.src_uri in records]

    def _render_ahead(self, config, files: Files) -> None:
        """A forked helper renders record pages from the far end into the render cache while
        the build works from the front (see ahead.py); `serve` runs threads, so never there."""
        rendering = self._build().rendering
        if self.command != "build" or rendering is None or not rendering.enabled:
            return
        pages = self._record_files(files)

        def render(i: int) -> None:  # the generator's own steps for one page, by public API
            file = pages[i]
            page = file.page if file.page is not None else Page(None, file, config)
            page = config.plugins.on_pre_page(page, config=config, files=files)
            page.read_source(config)
            page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
            page.render(config, files)
            page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=files)

        rendering.start_ahead([f.src_uri for f in pages], render)

    # ------------------------------------------------------------------ pages

    def on_page_markdown(self, markdown: str, *, page: Page, config, files: Files) -> str:
        build = self._build()
        if page.file.src_uri in build.records:
            page.meta["template"] = "foia/decision.html"
            if build.rendering is not None:
                return build.rendering.before_render(page, markdown)
        return markdown

    def on_page_content(self, html: str, *, page: Page, config, files: Files) -> str:
        build = self._build()
        if page.file.src_uri in build.records:
            if build.rendering is not None:
                html = build.rendering.after_render(page, html)
            html = views.wrap_tables(html)
        for link, url in leakscan.withheld_links(page.file.dest_uri, html, build.plan.withheld_urls):
            source = next((r.path for r in build.plan.withheld if r.url == url), url)
            build.link_errors.append(f"{page.file.src_uri} links to withheld decision {source} ({link})")
        return html

    @event_priority(-100)  # last, so the page cache key sees what other plugins add
    def on_page_context(self, context: dict[str, Any], *, page: Page, config, nav: Navigation):
        build = self._build()
        record = build.records.get(page.file.src_uri)
        view = build.views.page_view(page.file.src_uri, record)
        context["foia"] = view
        if view.kind == "search":  # the bundles to load, newest first (none without pagefind)
            context["foia_search_bundles"] = build.search.names if build.search is not None else []
        if record is not None and build.rendering is not None:
            cached = build.rendering.cached_page(context, page, view, record, nav, config)
            if cached is not None:
                context["foia_cached_page"] = cached  # foia/decision.html then extends foia/cached.html
        return context

    def on_env(self, env, *, config, files: Files):
        # Runs once every page is rendered and before any is written.
        build = self._build()
        if build.rendering is not None and (helped := build.rendering.stop_ahead()) is not None:
            log.info("Render ahead: %d of %d record pages rendered by a second process", *helped)
        views.register_filters(env)
        if self.config.pagefind:
            with _as_plugin_error(SearchIndexFailed):
                build.search = SearchBundles(config.site_dir, [build.records[f.src_uri] for f in self._record_files(files)],
                                             cache_root=build.rendering and build.rendering.render_cache.folder,
                                             bundle_pages=self.config.search_bundle_pages)
        return env

    def on_post_page(self, output: str, *, page: Page, config) -> str:
        build = self._build()
        if self.config.compact_html:
            output = compact_html(output)
        self.proof.page_coming(page.file.dest_uri)
        if build.rendering is not None:
            build.rendering.stored(page, output)
        if build.search is not None:
            with _as_plugin_error(SearchIndexFailed):
                build.search.page_written(build.records.get(page.file.src_uri))
        return output

    def on_post_template(self, output_content: str, *, template_name: str, config) -> str:
        # The theme's pages that are not documents (404.html) are written through here.
        if self.config.compact_html and template_name.endswith(".html"):
            return compact_html(output_content)
        return output_content

    # ------------------------------------------------------------------ proof and publication

    @event_priority(-100)  # after every other writer, so the proof reads the finished site
    def on_post_build(self, *, config) -> None:
        build = self._build()
        if build.link_errors:
            raise PluginError("foia: a public page links to a withheld page:\n" + _listed(build.link_errors))
        outputs.write_all(build.plan, config.site_dir, site_url=config.site_url, feed_size=self.config.feed_size,
                          first_published=build.first_published, site_name=config.site_name,
                          extra=config.extra, browse=build.views.browse)
        if build.search is not None:
            # Pagefind gets every CPU for what is left, then one scan reads it all: measured
            # faster than scanning the pages while Pagefind finishes.
            with _as_plugin_error(SearchIndexFailed):
                log.info(build.search.finish())
            build.search = None
        if build.rendering is not None:
            build.rendering.flush()  # the cache entries written beside the build
        self._prove(build.plan, config.site_dir)
        if build.rendering is not None and (summary := build.rendering.summary()):
            log.info(summary)
        if build.warnings is not None and (counts := build.warnings.counts()):
            raise PluginError(f"foia: strict mode: {counts} warning(s) logged; site not replaced")
        if build.folders is not None:
            build.folders.publish()
        self._finish()

    def _prove(self, plan: Plan, site_dir: str) -> None:
        started = time.perf_counter()
        leaks = self.proof.scan(site_dir, plan)
        if leaks:
            raise PluginError("foia: leak scan found withheld material in the built site; nothing was published:\n"
                              + _listed([str(leak) for leak in leaks])
                              + f"\nRemove the withheld text from the public file named. Only if it is stock wording"
                              f" every decision may print, add it to {self.config.stock_wording} after review.")
        ahead = f" ({self.proof.passed_ahead} pages scanned beside the build)" if self.proof.passed_ahead else ""
        log.info("Leak scan passed: %d fingerprints, 0 hits, %.1f s%s", len(plan.fingerprints),
                 time.perf_counter() - started, ahead)

    def on_build_error(self, *, error: Exception) -> None:
        self._finish()

    def on_shutdown(self) -> None:
        self._finish()

    def _finish(self) -> None:
        """End the build whichever way it went: helpers stopped, stages removed, the
        generator's configuration pointing at content/ and site/ again."""
        build, self.build = self.build, None
        if build is None:
            return
        self.proof.discard_ahead()  # a reading ahead nobody took (a failed build): its worker stops
        if build.search is not None:
            build.search.cancel()
        if build.rendering is not None:
            build.rendering.kill()
        if build.folders is not None:
            build.folders.close()
        if build.warnings is not None:
            build.warnings.close()

    def _build(self) -> Build:
        if self.build is None:
            raise PluginError("foia: the plugin was not configured (on_config did not run)")
        return self.build


class _as_plugin_error:
    """Turn one kind of failure into the build's error, saying what failed."""

    def __init__(self, kind: type[Exception]):
        self.kind = kind

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, traceback) -> bool:
        if kind is not None and issubclass(kind, self.kind):
            raise PluginError(f"foia: {error}") from None
        return False


def _listed(lines: list[str]) -> str:
    shown = "\n".join(f"  - {line}" for line in lines[:MAX_LISTED])
    return shown + (f"\n  ... and {len(lines) - MAX_LISTED} more" if len(lines) > MAX_LISTED else "")


def _unused_without_theme_search(src_uri: str) -> bool:
    return src_uri.startswith(_THEME_SEARCH_FILES) or (src_uri.startswith("assets/") and src_uri.endswith(".map"))


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
