"""The built site in headless Chromium: search, the filter, keyboard use and axe-core.

One site per as-of date is built for the whole module and served on 127.0.0.1."""

from __future__ import annotations

import re

import pytest

from browser_helpers import (
    BEFORE,
    BODY_WORD,
    DEFERRED_TITLE,
    ON,
    WCAG_AA,
    built_samples,
    chromium,
    require_chromium,
)
from localsite import serve

pytestmark = pytest.mark.browser

require_chromium()
DEFERRED_WORDS = "COPPER WOMBAT SIXTY"
PART2_WORDS = "SAFFRON PELICAN FORTY"


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    return {day: project.site for day, project in built_samples(tmp_path_factory, "browser").items()}


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def base(sites):
    with serve(sites[BEFORE]) as url:
        yield url


@pytest.fixture
def page(browser):
    p = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    yield p
    p.close()
    assert errors == [], f"JavaScript errors: {errors}"


def search(page, base: str, query: str) -> tuple[str, list[str]]:
    """Search from the search page; returns the status line and the result texts."""
    page.goto(base + "search/")
    page.fill("#foia-search-q", query)
    page.press("#foia-search-q", "Enter")
    page.wait_for_function("() => /match/.test(document.getElementById('foia-search-status').textContent)")
    page.wait_for_function(
        "() => { const s = document.getElementById('foia-search-status').textContent;"
        " return /^No /.test(s) || document.querySelectorAll('#foia-search-results li').length > 0 }")
    results = [" ".join(t.split()) for t in page.locator("#foia-search-results li").all_inner_texts()]
    return page.inner_text("#foia-search-status"), results


# ------------------------------------------------------------------ search


def test_search_finds_a_word_from_a_decision_body(page, base):
    status, results = search(page, base, BODY_WORD)
    assert status.startswith("1 decision matches")
    assert len(results) == 1 and results[0].startswith("DMPCD 2016 010 Community garden grant")
    assert page.inner_text("#foia-search-results mark").lower() == BODY_WORD
    page.click("#foia-search-results a")
    page.wait_for_url(re.compile(r".*/decisions/2016/dmpcd-2016-010/$"))
    assert "Community garden grant" in page.inner_text("h1")


def test_search_covers_every_year_bundle(page, base, sites):
    """One Pagefind bundle per year; the newest (2016) is loaded and the rest merged in."""
    assert sorted(p.name for p in (sites[BEFORE] / "pagefind").iterdir()) == ["2014", "2015", "2016"]
    _status, results = search(page, base, "estate")
    assert [r for r in results if r.startswith("DMPCD 2015 090")], results
    _status, results = search(page, base, "victims")
    assert [r for r in results if r.startswith("DMPCD 2014 077")], results


@pytest.mark.parametrize("words", ["wombat", "saffron pelican", "kestrel"])
def test_search_for_withheld_words_finds_nothing(page, base, words):
    status, results = search(page, base, words)
    assert status.startswith("No decisions match") and results == []


@pytest.mark.parametrize(("sentence", "distinctive"), [
    (DEFERRED_WORDS, ["copper", "wombat"]),
    (PART2_WORDS, ["saffron", "pelican"]),
    (DEFERRED_TITLE, ["kestrel", "covert"]),
])
def test_no_result_for_a_withheld_sentence_comes_from_withheld_text(page, base, sentence, distinctive):
    """Pagefind also returns loose matches on common words ("forty" ~ "for", "Operation"
    ~ "Operating"): none of them may be the withheld decision or quote its text."""
    _status, results = search(page, base, sentence)
    for text in results:
        assert "DMPCD 2016 020" not in text
        assert not any(word in text.casefold() for word in distinctive), text


def test_the_deferred_decision_is_searchable_on_its_date(page, sites):
    with serve(sites[ON]) as url:
        status, results = search(page, url, DEFERRED_WORDS)
    assert status.startswith("1 decision matches")
    assert results[0].startswith(f"DMPCD 2016 020 {DEFERRED_TITLE}")


def test_header_search_form_leads_to_results(page, base):
    page.goto(base + "decisions/2015/")
    page.fill("#foia-header-q", BODY_WORD)
    page.press("#foia-header-q", "Enter")
    page.wait_for_url(re.compile(r".*/search/\?q=" + BODY_WORD))
    page.wait_for_selector("#foia-search-results li")
    assert page.input_value("#foia-search-q") == BODY_WORD


def test_pages_discover_the_feed_without_downloading_the_sitemap(page, base):
    """Material's script fetches sitemap.xml for links whose rel is exactly "alternate";
    the feed link must not trigger that (about 650 KB per page view at 5,000 decisions)."""
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(base + "search/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in requested if u.endswith("sitemap.xml")], requested
    feeds = page.evaluate("() => [...document.querySelectorAll('link[type=\"application/atom+xml\"]')]"
                          ".filter(l => l.relList.contains('alternate')).map(l => l.href)")
    assert feeds == [base + "feed.xml"]


def test_every_file_a_page_asks_for_is_in_the_site(page, base, sites):
    """The theme's search worker, lunr files and source maps are left out of the site:
    no page, search or filter may ask for them (or for anything else that is missing)."""
    assert not (sites[BEFORE] / "assets/javascripts/workers").exists()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))
    for path in ("", "decisions/", "decisions/2015/", "decisions/2016/dmpcd-2016-010/"):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
    search(page, base, BODY_WORD)
    page.wait_for_load_state("networkidle")
    assert failed == []


# ------------------------------------------------------------------ filter


def listed(page) -> list[str]:
    return [re.match(r"DMPCD \d{4} \d{3}", t.strip()).group(0)
            for t in page.locator("#foia-listing ol.foia-list > li h2, #foia-listing ol.foia-list > li h3")
            .all_inner_texts()]


def test_year_filter_narrows_the_list(page, base):
    page.goto(base + "decisions/")
    assert listed(page) == ["DMPCD 2016 010", "DMPCD 2015 148", "DMPCD 2015 090", "DMPCD 2014 077"]
    assert page.is_visible("form[data-foia-filter]"), "the script reveals the form"
    page.select_option("#foia-filter-year", "2015")
    page.wait_for_function("() => /from 2015/.test(document.getElementById('foia-filter-status').textContent)")
    assert listed(page) == ["DMPCD 2015 148", "DMPCD 2015 090"]
    assert page.url.endswith("?year=2015"), "the filtered view has an address"
    page.select_option("#foia-filter-tag", "grants")
    page.wait_for_function("() => /grants/.test(document.getElementById('foia-filter-status').textContent)")
    assert listed(page) == ["DMPCD 2015 148"]
    page.click("text=Clear filters")
    page.wait_for_function("() => document.getElementById('foia-filter-status').textContent === ''")
    assert listed(page) == ["DMPCD 2016 010", "DMPCD 2015 148", "DMPCD 2015 090", "DMPCD 2014 077"]


def test_filter_address_opens_filtered_and_maker_filter(page, base):
    page.goto(base + "decisions/?maker=chief-operating-officer")
    page.wait_for_function("() => /Chief Operating Officer/.test(document.getElementById('foia-filter-status').textContent)")
    assert listed(page) == ["DMPCD 2016 010"]


def test_without_javascript_the_listings_still_work(browser, base):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "decisions/")
    assert not page.is_visible("form[data-foia-filter]")
    page.click("div.foia-browse a:text-is('2015')")
    page.wait_for_url(re.compile(r".*/decisions/2015/$"))
    assert listed(page) == ["DMPCD 2015 148", "DMPCD 2015 090"]
    context.close()


# ------------------------------------------------------------------ keyboard, phone, print


def focus_path(page, presses: int = 80) -> list[dict]:
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(
            "() => { const e = document.activeElement;"
            " return {id: e.id, tag: e.tagName, href: e.getAttribute('href') || ''} }"))
    return seen


def test_keyboard_reaches_the_search_box_and_a_decision_link(page, base):
    page.goto(base)
    seen = focus_path(page)
    ids = [s["id"] for s in seen]
    assert "foia-header-q" in ids
    decision_links = [s for s in seen if s["tag"] == "A" and re.search(r"decisions/\d{4}/[a-z0-9-]+/$", s["href"])]
    assert decision_links, "a decision link is reachable by Tab"
    assert ids.index("foia-header-q") < seen.index(decision_links[0])
    page.keyboard.press("Shift+Tab")  # and back: focus is not trapped
    page.goto(base + "decisions/")
    assert "foia-filter-year" in [s["id"] for s in focus_path(page)]


def test_on_a_phone_wide_tables_scroll_inside_their_region(browser, base):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(base + "decisions/2016/dmpcd-2016-010/")
    page_width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    region = page.evaluate("() => { const r = document.querySelector('.foia-table'); return [r.scrollWidth, r.clientWidth] }")
    page.close()
    assert page_width[0] <= page_width[1], "the page itself does not scroll sideways"
    assert region[0] > region[1], "the table scrolls within its region"


def test_print_shows_the_decision_without_site_chrome(page, base):
    page.goto(base + "decisions/2016/dmpcd-2016-010/")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-footer", ".foia-pager, .foia-back"):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.is_visible("article.foia-decision h1") and page.is_visible(".foia-panel")


# ------------------------------------------------------------------ axe-core


@pytest.mark.parametrize("path", ["", "decisions/2015/", "decisions/2016/dmpcd-2016-010/", "search/", "404.html",
                                  "decisions/", "open-data/"])
def test_axe_finds_no_wcag_aa_violations(page, base, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(base + path)
    if path == "search/":  # the results, not the empty form
        page.fill("#foia-search-q", "decision")
        page.press("#foia-search-q", "Enter")
        page.wait_for_selector("#foia-search-results li")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
    assert violations == [], violations
    assert results.response["passes"], "axe ran its checks"
