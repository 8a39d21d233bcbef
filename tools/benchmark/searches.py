"""One visitor search in headless Chromium, and the bytes it downloads."""

from __future__ import annotations

import contextlib
import gzip
import re
from dataclasses import dataclass, field
from pathlib import Path

from localsite import CHROMIUM, CHROMIUM_ARGS, serve


@dataclass
class Search:
    query: str
    raw: int = 0  # bytes of the search machinery as served (no server compression)
    gzipped: int = 0  # the same if the server gzips what compresses (JSON, JS)
    requests: int = 0
    results: int = 0
    files: list[str] = field(default_factory=list)


def is_search_file(url: str, kind: str) -> bool:
    path = url.split("?", 1)[0]
    if kind == "plain":
        return "/search/search_index.json" in path or bool(re.search(r"/workers/search\.[^/]*\.js$", path))
    return "/pagefind/" in path or path.endswith("/assets/foia/search.js")


def measure_search(site: Path, kind: str, query: str) -> Search:
    """Load a page in Chromium, run one query as a visitor does, and sum the bytes of
    every search file fetched (index, worker, chunks, fragments), from page load to results."""
    from playwright.sync_api import sync_playwright

    result = Search(query)
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page()
            bodies: list[tuple[str, bytes]] = []

            def on_response(response):
                if is_search_file(response.url, kind):
                    with contextlib.suppress(Exception):
                        bodies.append((response.url, response.body()))

            page.on("response", on_response)
            if kind == "plain":
                page.goto(base, wait_until="networkidle")
                page.click("input.md-search__input")
                page.locator("input.md-search__input").press_sequentially(query, delay=30)
                page.wait_for_selector(".md-search-result__item", timeout=120_000)
                page.wait_for_load_state("networkidle")
                result.results = page.locator(".md-search-result__item").count()
            else:
                page.goto(base + "search/", wait_until="networkidle")
                page.locator("#foia-search-q").press_sequentially(query, delay=30)
                page.press("#foia-search-q", "Enter")
                page.wait_for_selector("#foia-search-results li", timeout=120_000)
                page.wait_for_load_state("networkidle")
                result.results = page.locator("#foia-search-results li").count()
            for url, body in bodies:
                result.requests += 1
                result.raw += len(body)
                result.gzipped += min(len(body), len(gzip.compress(body, 6)))
                result.files.append(url.split("/", 3)[-1])
        finally:
            browser.close()
    return result
