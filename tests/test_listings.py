"""Listings, facets and the decision page: plain functions and real builds."""

from __future__ import annotations

import datetime as dt
import json
import re

import lxml.html
import pytest
import yaml

from browser_helpers import BEFORE, DEFERRED_TAG, DEFERRED_TITLE, ON, browsing_project, sample
from foia.outputs import views
from foia.rules.content import Content
from foia.rules.plan import build_plan
from foia.rules.records import Record, slugify

DECISION_HREF = re.compile(r"decisions/\d{4}/[a-z0-9-]+/?$")


def rec(reference: str, approved: str, *, tags=(), maker="Deputy Mayor") -> Record:
    day = dt.date.fromisoformat(approved)
    return Record(path=f"decisions/{day.year}/{slugify(reference)}.md", reference=reference, title=f"T {reference}",
                  approved=day, decision_maker=maker, deferred=False, part2=False, body="Body.", tags=tuple(tags))


def plan_of(*records: Record, day="2020-01-01"):
    return build_plan(Content(records=list(records)), dt.date.fromisoformat(day))


def site_of(*records: Record, day="2020-01-01") -> views.SiteViews:
    return views.SiteViews(plan_of(*records, day=day))


# ------------------------------------------------------------------ plain functions


def test_facets_count_public_records_only_and_neighbours_stay_in_the_year():
    a = rec("R 1", "2015-03-01", tags=["grants", "Estates & Property"])
    b = rec("R 2", "2015-06-01", tags=["grants"], maker="Chief Operating Officer")
    c = rec("R 3", "2016-01-01", tags=["victims"])
    future = rec("R 4", "2021-01-01", tags=["secret-topic"])  # approved after the day: withheld
    b_ = views.Browse(plan_of(a, b, c, future))
    assert [(f.label, f.count) for f in b_.years] == [("2016", 1), ("2015", 2)]
    assert [(f.label, f.slug, f.count) for f in b_.tags] == [
        ("Estates & Property", "estates-property", 1), ("grants", "grants", 2), ("victims", "victims", 1)]
    assert [f.url for f in b_.makers] == ["decisions/makers/chief-operating-officer/", "decisions/makers/deputy-mayor/"]
    assert b_.neighbours(a) == (None, b)  # (older, newer) within 2015
    assert b_.neighbours(b) == (a, None)
    assert b_.neighbours(c) == (None, None), "2016 has one decision: no link across years"
    assert b_.neighbours(future) == (None, None)


def test_generated_pages_cover_years_tags_makers_search_and_open_data_with_safe_titles():
    plan = plan_of(rec("R 1", "2015-03-01", tags=['a: "quoted" #tag', "£"]))
    pages = dict(views.SiteViews(plan).generated_pages())
    assert set(pages) == {
        "decisions/index.md", "decisions/2015/index.md", "decisions/tags/a-quoted-tag.md",
        f"decisions/tags/{views.facet_slug('£')}.md", "decisions/makers/deputy-mayor.md", "search.md", "open-data.md",
        "accessibility.md", "privacy.md", "licence.md"}
    for text in pages.values():
        meta = yaml.safe_load(text.split("---")[1])
        assert set(meta) == {"title", "template"}
    assert yaml.safe_load(pages["decisions/tags/a-quoted-tag.md"].split("---")[1])["title"] == \
        'Decisions tagged a: "quoted" #tag'
    assert "search.md" not in dict(views.SiteViews(plan).generated_pages(search=False))


def test_page_view_knows_each_kind_of_page():
    a, b = rec("R 1", "2015-03-01", tags=["grants"]), rec("R 2", "2016-06-01")
    site = site_of(a, b)
    assert site.page_view("index.md", None).listed == [b, a]
    year = site.page_view("decisions/2015/index.md", None)
    assert (year.kind, year.listed, year.filter_preset) == ("year", [a], {"year": "2015", "tag": "", "maker": ""})
    tag = site.page_view("decisions/tags/grants.md", None)
    assert (tag.kind, tag.listed, tag.facet.label, tag.filter_preset["tag"]) == ("tag", [a], "grants", "grants")
    maker = site.page_view("decisions/makers/deputy-mayor.md", None)
    assert (maker.kind, maker.listed) == ("maker", [b, a])
    decision = site.page_view(a.path, a)
    assert (decision.kind, decision.previous, decision.next) == ("decision", None, None)
    assert site.page_view("about.md", None).kind == "page"
    assert site.page_view("accessibility.md", None).kind == "accessibility"
    assert site.page_view("index.md", None).browse is site.browse, "one Browse per build, held by its SiteViews"


def test_home_and_index_list_a_bounded_number_of_decisions():
    many = [rec(f"R {i:03}", f"2015-{1 + i % 12:02}-{1 + i % 28:02}") for i in range(views.HOME_LISTED + 10)]
    plan = plan_of(*many)
    site = views.SiteViews(plan)
    for src in ("index.md", "decisions/index.md"):
        view = site.page_view(src, None)
        assert len(view.listed) == views.HOME_LISTED and view.total == len(many)
        assert view.listed == plan.public[:views.HOME_LISTED], "newest first"


def test_wrap_tables_puts_each_table_in_a_focusable_labelled_region():
    html = "<p>x</p><table><tr><td>1</td></tr></table><table>\n<tr><td>2</td></tr></table>"
    doc = lxml.html.fragment_fromstring(views.wrap_tables(html), create_parent="div")
    regions = doc.xpath("div[@role='region']")
    assert [r.get("aria-label") for r in regions] == ["Table 1", "Table 2"]
    assert all(r.get("tabindex") == "0" and r[0].tag == "table" for r in regions)
    assert views.wrap_tables("<p>no table</p>") == "<p>no table</p>"


# ------------------------------------------------------------------ real builds


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("listings")
    project = sample(browsing_project(root / "p", pagefind=False))
    ledger = root / "ledger.yml"
    ledger.write_text('first_published:\n  "DMPCD 2016 010": 2016-01-12\n', encoding="utf-8")
    import os

    os.environ["FOIA_LEDGER"] = str(ledger)
    try:
        project.build(ON)
    finally:
        del os.environ["FOIA_LEDGER"]
    return project


def page(project, rel: str):
    return lxml.html.fromstring((project.site / rel).read_bytes())


def entries(doc) -> list[str]:
    return [" ".join(a.text_content().split()) for a in doc.xpath("//ol[@class='foia-list']/li//a")]


def test_nav_holds_index_pages_never_decisions(site):
    for rel in ("index.html", "decisions/2016/dmpcd-2016-010/index.html", "decisions/2015/index.html"):
        doc = page(site, rel)
        nav_links = doc.xpath("//nav[contains(@class,'md-nav')]//a/@href | //nav[contains(@class,'md-tabs')]//a/@href")
        assert nav_links, rel
        assert not [h for h in nav_links if DECISION_HREF.search(h)], rel
        top = doc.xpath("//nav[contains(@class,'md-nav--primary')]/ul/li/a")
        assert [" ".join(a.text_content().split()) for a in top] == ["Home", "Decisions", "Open data"]


def test_year_page_lists_its_decisions_newest_first_with_their_facts(site):
    doc = page(site, "decisions/2015/index.html")
    assert entries(doc) == ["DMPCD 2015 148 Supporting Innovation bids", "DMPCD 2015 090 Estate strategy refresh"]
    first = doc.xpath("//ol[@class='foia-list']/li")[0]
    text = " ".join(first.text_content().split())
    assert "Approved 10 December 2015 by Deputy Mayor for Policing and Crime" in text
    assert "Approval of the innovation fund bids." in text
    assert first.xpath(".//time/@datetime") == ["2015-12-10"]


def test_tag_and_decision_maker_pages_list_exactly_their_decisions(site):
    assert entries(page(site, "decisions/tags/grants/index.html")) == [
        "DMPCD 2016 010 Community garden grant", "DMPCD 2015 148 Supporting Innovation bids"]
    assert entries(page(site, "decisions/makers/chief-operating-officer/index.html")) == [
        "DMPCD 2016 010 Community garden grant"]
    assert entries(page(site, f"decisions/tags/{DEFERRED_TAG}/index.html")) == [
        f"DMPCD 2016 020 {DEFERRED_TITLE}"]


def test_filter_works_without_javascript_through_browse_links(site):
    doc = page(site, "decisions/index.html")
    form = doc.xpath("//form[@data-foia-filter]")[0]
    assert form.get("hidden") is not None, "the form appears only when its script runs"
    assert form.xpath(".//select[@name='year']/option/@value") == ["", "2016", "2015", "2014"]
    browse = doc.xpath("//div[@class='foia-browse']//a/@href")
    for target in browse:
        assert (site.site / "decisions" / target / "index.html").resolve().is_file(), target
    assert len(browse) == 3 + 5 + 2  # years, topics, decision makers


def test_filter_listing_is_compact_and_matches_the_public_records(site):
    data = json.loads((site.site / "decisions" / "listing.json").read_text(encoding="utf-8"))
    refs = [d[0] for d in data["decisions"]]
    assert refs == ["DMPCD 2016 020", "DMPCD 2016 010", "DMPCD 2015 148", "DMPCD 2015 090", "DMPCD 2014 077"]
    _ref, title, approved, maker, tags, url = data["decisions"][1]
    assert (title, approved, data["makers"][maker]["label"], url) == (
        "Community garden grant", "2016-01-11", "Chief Operating Officer", "decisions/2016/dmpcd-2016-010/")
    assert [data["tags"][t]["slug"] for t in tags] == ["grants"]
    assert "heliotrope" not in json.dumps(data), "no body text"


def test_decision_page_panel_pager_and_tables(site):
    doc = page(site, "decisions/2016/dmpcd-2016-010/index.html")
    panel = {" ".join(dt_.text_content().split()): " ".join(dt_.getnext().text_content().split())
             for dt_ in doc.xpath("//dl[@class='foia-meta']//dt")}
    assert panel == {"Reference": "DMPCD 2016 010", "Decision maker": "Chief Operating Officer",
                     "Approved": "11 January 2016", "Published": "12 January 2016, on time", "Deferral": "Not deferred",
                     "Topics": "grants"}
    part2 = " ".join(doc.xpath("//div[contains(@class,'foia-notice--part2')]")[0].text_content().split())
    assert "There is a Part 2 form" in part2 and "Commercially sensitive prices." in part2
    article = doc.xpath("//article[@data-pagefind-body]")[0]
    assert article.xpath(".//div[@role='region'][@tabindex='0']/table"), "wide table in a scroll region"
    # 2016: 010 (January) then 020 (February, public on ON)
    assert doc.xpath("//nav[@class='foia-pager']//a[@rel='next']/@href") == ["../dmpcd-2016-020/"]
    assert doc.xpath("//nav[@class='foia-pager']//a[@rel='prev']") == []

    deferred = page(site, "decisions/2016/dmpcd-2016-020/index.html")
    notice = " ".join(deferred.xpath("//div[contains(@class,'foia-notice--deferral')]")[0].text_content().split())
    assert notice == "Why publication was deferred Operational security."
    assert "Publication was deferred until 1 March 2016" in deferred.text_content()
    assert deferred.xpath("//nav[@class='foia-pager']//a[@rel='prev']/@href") == ["../dmpcd-2016-010/"]


def test_pages_do_not_embed_the_archive(tmp_path):
    """With many decisions, a decision page links to its neighbours, not to the archive,
    and the home page shows a bounded list."""
    project = browsing_project(tmp_path / "p", pagefind=False)
    count = views.HOME_LISTED + 15
    for i in range(count):
        project.add_record(f"DMPCD 2015 {i:03}", f"2015-{1 + i % 12:02}-{1 + i % 27:02}", f"Decision number {i}.")
    project.build("2016-01-01")
    home = page(project, "index.html")
    assert len(home.xpath("//ol[@class='foia-list']/li")) == views.HOME_LISTED
    for path in list(project.site.glob("decisions/2015/*/index.html"))[:5]:
        links = {h for h in lxml.html.fromstring(path.read_bytes()).xpath("//a/@href") if DECISION_HREF.search(h)}
        assert len(links) <= 2, (path, links)
    year = page(project, "decisions/2015/index.html")
    assert len(year.xpath("//ol[@class='foia-list']/li")) == count, "the year page is the full list for its year"


def test_before_the_date_no_listing_mentions_the_deferred_record(tmp_path):
    project = sample(browsing_project(tmp_path / "p", pagefind=False))
    project.build(BEFORE)
    for rel in ("index.html", "decisions/index.html", "decisions/2016/index.html", "decisions/tags/grants/index.html"):
        text = (project.site / rel).read_text(encoding="utf-8")
        assert "DMPCD 2016 020" not in text and DEFERRED_TITLE not in text, rel
    assert not (project.site / "decisions" / "tags" / DEFERRED_TAG).exists()
    doc = page(project, "decisions/2016/dmpcd-2016-010/index.html")
    assert doc.xpath("//nav[@class='foia-pager']") == [], "no link to the withheld neighbour"
