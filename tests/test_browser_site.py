"""The register in headless Chromium: exact search (and its fast rule against the plain
one), search filters, the 404 page, the legal pages under axe, the print layout read back
from a PDF, the phone layout, and no request leaving 127.0.0.1."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from browser_helpers import WCAG_AA, browsing_project, chromium, require_chromium
from localsite import serve

pytestmark = pytest.mark.browser

require_chromium()
AS_OF = "2017-06-01"
WITHHELD = "DMPCD 2017 099"
LONG_TABLE = "| Item | Cost | Notes |\n|---|---|---|\n" + "".join(
    f"| Line {i} of the costs | £{i},000 | A note on line {i} that takes a little room in the cell |\n" for i in range(1, 90))
BODY = {"name": "Office of the Police and Crime Commissioner for Testshire", "short": "OPCC Testshire"}


def exact_project(root: Path):
    """Decisions over two years (one search bundle each) built to trip a search engine
    that substitutes shorter prefixes or stems words."""
    project = browsing_project(root)
    yml = project.root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8") + (
        f"extra:\n  body:\n    name: {BODY['name']}\n    short_name: {BODY['short']}\n"
        "    colours: {primary: '#1b365d'}\n    contact: {email: info@opcc.test, address: [1 High Street, Testtown]}\n"),
        encoding="utf-8")
    project.add_record("DMPCD 2016 001", "2016-03-01",
                       "The innovation fund will support covert surveillance reviews in the county.",
                       title="'Innovation fund awards'", tags="[innovation]", summary="'Innovation fund.'")
    project.add_record("DMPCD 2017 002", "2017-01-10",
                       "Grants in the borough, covering the costs of youth clubs.", title="'Youth club grants'",
                       tags="[grants]", decision_maker="'Chief Operating Officer'")
    project.add_record("DMPCD 2017 003", "2017-02-10",
                       "An innovative approach to e-mail contact with victims.", title="'Victim contact pilot'",
                       tags="[victims]")
    project.add_record("DMPCD 2017 004", "2017-03-10",
                       "## Recommendation\n\nApprove the costs below.\n\n" + LONG_TABLE
                       + "\nThe final sentence of the Part 1 text is here.", title="'Estate costs for the year'",
                       tags="[estates]")
    project.add_record(WITHHELD, "2017-04-10", "Covert innovation withheld body text.",
                       title="'Withheld covert innovation'", deferred="true", deferred_reason="'Security.'")
    project.build(AS_OF)
    return project


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return exact_project(tmp_path_factory.mktemp("exact") / "p").site


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def base(site):
    with serve(site) as url:
        yield url


@pytest.fixture
def page(browser, base):
    """A page whose every request is checked: none may leave 127.0.0.1."""
    p = browser.new_page(viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    errors: list[str] = []

    def route(r):
        if r.request.url.startswith(base) or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    p.route("**/*", route)
    p.on("pageerror", lambda e: errors.append(str(e)))
    yield p
    p.close()
    assert outside == [], f"requests left 127.0.0.1: {outside}"
    assert errors == [], f"JavaScript errors: {errors}"


def search(page, base: str, query: str = "", *, verify: str | None = None, **filters) -> list[str]:
    params = "&".join(f"{k}={v}" for k, v in filters.items())
    page.goto(base + "search/" + (f"?{params}" if params else ""))
    if verify:
        page.evaluate(f"() => document.querySelector('form[data-foia-search]').setAttribute('data-verify', '{verify}')")
    page.fill("#foia-search-q", query)
    page.press("#foia-search-q", "Enter")
    page.wait_for_function("() => /match/.test(document.getElementById('foia-search-status').textContent)")
    return [re.match(r"DMPCD \d{4} \d{3}", " ".join(t.split())).group(0)
            for t in page.locator("#foia-search-results li h2").all_inner_texts()]


# ------------------------------------------------------------------ exact search


@pytest.mark.parametrize(("query", "expected"), [
    ("innovation", ["DMPCD 2016 001"]),  # not 2017 002, which only has "in"; not "innovative"
    ("innov", ["DMPCD 2016 001", "DMPCD 2017 003"]),  # a prefix the visitor typed
    ("covert surveillance", ["DMPCD 2016 001"]),  # never "covering"
    ("covert", ["DMPCD 2016 001"]),
    ("covering", ["DMPCD 2017 002"]),
    ("cover", ["DMPCD 2016 001", "DMPCD 2017 002"]),
    ("email", ["DMPCD 2017 003"]),  # "e-mail" counts whole
    ("mail victims", ["DMPCD 2017 003"]),  # and by its parts; "victims" in the text
    ("DMPCD 2017 002", ["DMPCD 2017 002"]),  # the reference
    ("youth club grants", ["DMPCD 2017 002"]),  # the title
    ("innovation youth", []),  # every word must match
    ("withheld", []),
])
def test_search_returns_only_decisions_with_every_word_or_its_typed_prefix(page, base, query, expected):
    assert sorted(search(page, base, query)) == expected


@pytest.mark.parametrize("query", ["innovation", "innov", "covert surveillance", "in", "cover", "the", "costs line",
                                   "zzz", "grant", "e mail", "line 8"])
def test_the_one_result_per_bundle_rule_agrees_with_checking_every_result(page, base, query):
    assert sorted(search(page, base, query)) == sorted(search(page, base, query, verify="every"))


def test_snippets_come_from_the_part_1_text_not_the_panel(page, base):
    search(page, base, "youth")
    excerpt = page.inner_text("#foia-search-results .foia-entry__excerpt")
    assert "youth clubs" in excerpt.lower()
    search(page, base, "chief")  # the decision maker: a match in metadata, not in Part 1
    excerpt = page.inner_text("#foia-search-results .foia-entry__excerpt")
    assert "Grants in the borough" in excerpt, "the snippet is the start of Part 1"
    assert "Decision maker" not in excerpt and "Part 2" not in excerpt


def test_search_filters_by_year_topic_and_decision_maker(page, base):
    assert sorted(search(page, base, "the")) == ["DMPCD 2016 001", "DMPCD 2017 002", "DMPCD 2017 004"]
    assert sorted(search(page, base, "the", year="2017")) == ["DMPCD 2017 002", "DMPCD 2017 004"]
    assert search(page, base, "the", tag="estates") == ["DMPCD 2017 004"]
    assert search(page, base, "the", maker="chief-operating-officer") == ["DMPCD 2017 002"]
    assert "tag=estates" not in page.url and "maker=chief-operating-officer" in page.url
    assert search(page, base, "the", year="2016", maker="chief-operating-officer") == []


# ------------------------------------------------------------------ 404


def test_404_page_searches_and_browses_and_names_no_withheld_decision(page, base, site):
    response = page.goto(base + "decisions/2017/dmpcd-2017-099/")
    assert response.status == 404
    text = page.inner_text("article")
    assert "release date" in text and WITHHELD not in page.content() and "Withheld covert" not in page.content()
    page.fill("#foia-404-q", "innovation")
    page.press("#foia-404-q", "Enter")
    page.wait_for_url(re.compile(r".*/search/\?q=innovation"))
    page.wait_for_function("() => /match/.test(document.getElementById('foia-search-status').textContent)")
    assert page.locator("#foia-search-results li").count() == 1
    page.goto(base + "nowhere/at/all/")
    page.click("article a:text('All decisions')")
    page.wait_for_url(re.compile(r".*/decisions/$"))


# ------------------------------------------------------------------ axe on every page type


@pytest.mark.parametrize("path", ["", "decisions/", "decisions/2017/", "decisions/tags/grants/",
                                  "decisions/makers/chief-operating-officer/", "decisions/2017/dmpcd-2017-004/",
                                  "search/", "open-data/", "accessibility/", "privacy/", "licence/", "404.html"])
def test_axe_finds_no_violations_on_any_page_type(page, base, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(base + path)
    if path == "search/":
        page.fill("#foia-search-q", "the")
        page.press("#foia-search-q", "Enter")
        page.wait_for_selector("#foia-search-results li")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
    assert violations == [], violations
    assert results.response["passes"]


# ------------------------------------------------------------------ print


def pdf_pages(pdf: bytes) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(io.BytesIO(pdf))
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def test_a_printed_decision_has_its_reference_title_address_and_date_on_every_page(page, base):
    page.goto(base + "decisions/2017/dmpcd-2017-004/")
    page.wait_for_load_state("networkidle")
    texts = pdf_pages(page.pdf(format="A4"))
    assert len(texts) >= 2, "the long table takes more than one page"
    for i, text in enumerate(texts, 1):
        flat = " ".join(text.split())
        assert "DMPCD 2017 004: Estate costs for the year" in flat, i
        assert "https://decisions.test/decisions/2017/dmpcd-2017-004/" in flat, i
        assert re.search(r"Printed \d{1,2} [A-Z][a-z]+ \d{4}, page \d+ of \d+", flat), (i, flat[-200:])
        assert "Previous decision" not in flat and "Contact" not in flat, "no site chrome"
    last = " ".join(texts[-1].split())
    assert "The final sentence of the Part 1 text is here." in last, "no near-empty last page of chrome"


def test_printed_table_rows_do_not_split_across_pages(page, base):
    page.goto(base + "decisions/2017/dmpcd-2017-004/")
    page.emulate_media(media="print")
    rule = page.evaluate("() => getComputedStyle(document.querySelector('article table tbody tr')).breakInside")
    assert rule == "avoid"
    texts = pdf_pages(page.pdf(format="A4"))
    for i in range(1, 90):  # each row's three cells are on one page
        cells = (f"Line {i} of the costs", f"A note on line {i} that")
        pages = [n for n, t in enumerate(texts) if any(c in " ".join(t.split()) for c in cells)]
        assert len(set(pages)) == 1, (i, pages)


# ------------------------------------------------------------------ phone


def test_on_a_phone_a_wide_table_shows_it_scrolls_and_the_title_leaves_room(browser, base):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(base + "decisions/2017/dmpcd-2017-004/")
    page.wait_for_selector(".foia-table__hint")
    hint = page.locator(".foia-table__hint").first
    assert hint.is_visible() and "scroll" in hint.inner_text()
    region = page.locator(".foia-table").first
    assert region.get_attribute("aria-describedby") == hint.get_attribute("id")
    title = page.locator("article h1").bounding_box()
    panel = page.locator(".foia-panel").bounding_box()
    page.close()
    assert title["height"] < 844 * 0.3, "the title is at most a third of the first screen"
    assert panel["y"] < 844, "the decision's facts start on the first screen"
