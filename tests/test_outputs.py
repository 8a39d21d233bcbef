"""Feed, open data, sitemap and search index: built for real, read back from site/."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import re
from pathlib import Path

import jsonschema
import lxml.etree
import lxml.html
import pytest

from browser_helpers import (
    BEFORE,
    BODY_WORD,
    DEFERRED_CANARY,
    DEFERRED_TAG,
    DEFERRED_TITLE,
    ON,
    PART2_CANARY,
    browsing_project,
    built_samples,
    sample,
)
from foia.outputs import feed, opendata
from foia.outputs.search import plan_bundles
from foia.proof import scan as leakscan
from foia.proof.fingerprints import Fingerprint
from foia.proof.normalise import normalise
from foia.rules import records
from foia.rules.content import Content
from foia.rules.plan import build_plan
from foia.rules.records import Record

ATOM = "{http://www.w3.org/2005/Atom}"
DECISION_URL = re.compile(r"/decisions/\d{4}/[a-z0-9-]+/$")
CANARY_WORDS = ("SAFFRON PELICAN FORTY", "COPPER WOMBAT SIXTY")
assert CANARY_WORDS[0] in PART2_CANARY and CANARY_WORDS[1] in DEFERRED_CANARY


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample site with Pagefind, built once for each as-of date."""
    return built_samples(tmp_path_factory, "site")


def unpacked(data: bytes) -> str:
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8", "replace")


def fragments(project) -> list[dict]:
    """Pagefind's per-page records (gzip, 'pagefind_dcd' + JSON)."""
    out = []
    for path in sorted((project.site / "pagefind").glob("*/fragment/*.pf_fragment")):
        text = unpacked(path.read_bytes())
        out.append(json.loads(text[text.index("{"):]))
    return out


# ------------------------------------------------------------------ withheld canaries


def test_withheld_canaries_are_in_no_file_before_the_deferral_date(built):
    project = built[BEFORE]
    files = project.site_files()
    outputs = ("feed.xml", "decisions.json", "decisions.csv", "record.schema.json", "decisions.schema.json",
               "decisions/listing.json", "sitemap.xml", "pagefind/2016/pagefind.js", "search/index.html",
               "open-data/index.html", "decisions/index.html", "decisions/2016/index.html", "404.html",
               "datapackage.json", "accessibility/index.html", "privacy/index.html", "licence/index.html")
    for rel in outputs:
        assert rel in files, f"{rel} was not built, so the walk below would prove nothing about it"
    # The public sibling is in every channel the withheld one must be absent from.
    for rel in ("feed.xml", "decisions.json", "decisions.csv", "decisions/listing.json", "decisions/2016/index.html"):
        assert "DMPCD 2016 010" in files[rel].decode()
    assert any(BODY_WORD in f["content"] for f in fragments(project))
    for needle in (*CANARY_WORDS, DEFERRED_TITLE, "DMPCD 2016 020", "dmpcd-2016-020", "Operational security"):
        assert project.files_containing(needle) == [], f"{needle!r} leaked"
    assert not (project.site / "decisions" / "tags" / DEFERRED_TAG).exists()
    assert DEFERRED_TAG not in files["decisions/listing.json"].decode()
    assert not any("part2" in rel for rel in files)


def test_deferred_record_reaches_every_output_on_its_date(built):
    project = built[ON]
    files = {rel: unpacked(data) for rel, data in project.site_files().items()}
    for rel in ("feed.xml", "decisions.json", "decisions.csv", "decisions/listing.json",
                "decisions/index.html", "decisions/2016/index.html", "index.html"):
        assert DEFERRED_TITLE in files[rel], rel
    assert "decisions/2016/dmpcd-2016-020/" in files["sitemap.xml"]
    assert DEFERRED_TITLE in files[f"decisions/tags/{DEFERRED_TAG}/index.html"]
    assert any(CANARY_WORDS[1] in f["content"] for f in fragments(project)), "searchable on its date"
    assert project.files_containing(CANARY_WORDS[0]) == [], "Part 2 is never published"


# ------------------------------------------------------------------ feed


def rec(reference: str, approved: str, **fields) -> Record:
    day = dt.date.fromisoformat(approved)
    for key in ("deferred_until",):
        if isinstance(fields.get(key), str):
            fields[key] = dt.date.fromisoformat(fields[key])
    fields.setdefault("deferred", "deferred_until" in fields)
    if fields["deferred"]:
        fields.setdefault("deferred_reason", "Reason.")
    return Record(path=f"decisions/{day.year}/{records.slugify(reference)}.md", reference=reference,
                  title=f"Title of {reference}", approved=day, decision_maker="Deputy Mayor",
                  part2=False, body="Body.", **fields)


def test_feed_is_newest_first_by_publication_date_and_holds_feed_size_entries():
    late_approved = rec("D 3", "2016-01-20")
    deferred = rec("D 2", "2015-12-01", deferred_until="2016-02-01")  # published on its deferral date
    early = rec("D 1", "2016-01-10")
    never = rec("D 9", "2016-01-05", deferred_until="2016-06-01")  # still withheld on the day
    plan = build_plan(Content(records=[late_approved, deferred, early, never]), dt.date(2016, 3, 1))
    ledger = {"D 1": dt.date(2016, 1, 11), "D 3": dt.date(2016, 1, 21)}
    assert [r.reference for r in feed.latest(plan, ledger, 50)] == ["D 2", "D 3", "D 1"]
    assert [r.reference for r in feed.latest(plan, ledger, 2)] == ["D 2", "D 3"]
    # The ledger's first-publication date wins over approval and deferral dates.
    ledger["D 1"] = dt.date(2016, 2, 20)
    assert [r.reference for r in feed.latest(plan, ledger, 50)] == ["D 1", "D 2", "D 3"]


def assert_valid_atom(xml: bytes) -> lxml.etree._Element:
    """RFC 4287 checks: the required elements, once each; absolute ids; RFC 3339 dates."""
    root = lxml.etree.fromstring(xml)
    assert root.tag == f"{ATOM}feed"

    def one(parent, name):
        found = parent.findall(f"{ATOM}{name}")
        assert len(found) == 1, f"{parent.tag} must have exactly one {name}, has {len(found)}"
        return found[0]

    def is_date(text):
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})", text), text
        dt.datetime.fromisoformat(text)

    for name in ("id", "title", "updated"):
        one(root, name)
    is_date(one(root, "updated").text)
    assert re.match(r"^[a-z][a-z0-9+.-]*:", one(root, "id").text), "id must be an absolute IRI"
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    feed_author = root.find(f"{ATOM}author/{ATOM}name") is not None
    ids = []
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated", "summary"):
            one(entry, name)
        is_date(one(entry, "updated").text)
        assert re.match(r"^[a-z][a-z0-9+.-]*:", one(entry, "id").text)
        ids.append(one(entry, "id").text)
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert feed_author or entry.find(f"{ATOM}author/{ATOM}name") is not None
    assert len(ids) == len(set(ids)), "entry ids are unique"
    return root


def test_built_feed_is_valid_atom_with_absolute_links(built):
    project = built[ON]
    root = assert_valid_atom((project.site / "feed.xml").read_bytes())
    entries = root.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert titles[0] == f"DMPCD 2016 020: {DEFERRED_TITLE}", "published on 1 March 2016, the newest"
    assert len(entries) == 5
    for entry in entries:
        href = entry.find(f"{ATOM}link").get("href")
        assert href.startswith("https://decisions.test/decisions/")
        assert (project.site / href.removeprefix("https://decisions.test/") / "index.html").is_file()


def test_feed_without_site_url_uses_urn_ids_and_site_relative_links():
    plan = build_plan(Content(records=[rec("D 1", "2016-01-10")]), dt.date(2016, 3, 1))
    xml = feed.render(plan, site_url=None, site_name="Test", size=50, first_published={})
    root = assert_valid_atom(xml)
    entry = root.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}id") == "urn:foia-decisions:decisions/2016/d-1"
    assert entry.find(f"{ATOM}link").get("href") == "decisions/2016/d-1/"


def test_every_page_links_the_feed_from_its_head(built):
    project = built[BEFORE]
    pages = sorted(project.site.rglob("*.html"))
    assert any(p.name == "404.html" for p in pages)
    for path in pages:
        doc = lxml.html.fromstring(path.read_bytes())
        links = [link.get("href") for link in doc.xpath("/html/head/link[@type='application/atom+xml']")
                 if link.get("rel", "").split() == ["alternate"]]
        assert len(links) == 1, path
        target = (path.parent / links[0]).resolve() if not links[0].startswith("/") else project.site / links[0][1:]
        assert target == (project.site / "feed.xml").resolve(), (path, links[0])


# ------------------------------------------------------------------ open data


def test_open_data_json_validates_and_csv_has_the_same_rows(built):
    project = built[BEFORE]
    doc = json.loads((project.site / "decisions.json").read_text(encoding="utf-8"))
    schema = json.loads((project.site / "decisions.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(doc, schema)
    refs = [d["reference"] for d in doc["decisions"]]
    assert refs == ["DMPCD 2016 010", "DMPCD 2015 148", "DMPCD 2015 090", "DMPCD 2014 077"], "public only, newest first"
    assert doc["count"] == 4

    rows = list(csv.DictReader(io.StringIO((project.site / "decisions.csv").read_text(encoding="utf-8"), newline="")))
    assert list(rows[0]) == [c.name for c in opendata.COLUMNS] == doc["fields"]
    for row, item in zip(rows, doc["decisions"], strict=True):
        for name, value in item.items():
            expected = ("true" if value else "false") if isinstance(value, bool) else (
                "; ".join(value) if isinstance(value, list) else value or "")
            assert row[name] == expected, (name, row[name], value)
    first = doc["decisions"][0]
    assert first["part2"] is True and first["part2_reason"] == "Commercially sensitive prices."
    assert first["url"] == "https://decisions.test/decisions/2016/dmpcd-2016-010/"
    assert first["published"] == "2016-01-11", "no ledger entry: the approval date"
    assert not any(BODY_WORD in json.dumps(d) for d in doc["decisions"]), "no body text in open data"


def test_open_data_page_documents_every_field_and_links_every_file(built):
    project = built[BEFORE]
    doc = lxml.html.fromstring((project.site / "open-data" / "index.html").read_bytes())
    documented = doc.xpath("//table//td[1]/code/text()")
    assert documented == [c.name for c in opendata.COLUMNS]
    hrefs = {h.rsplit("/", 1)[-1] for h in doc.xpath("//article//a/@href")}
    for name in ("decisions.json", "decisions.csv", "decisions.schema.json", "record.schema.json", "feed.xml",
                 "datapackage.json"):
        assert name in hrefs and (project.site / name).is_file()


def test_published_record_schema_is_the_validators_schema(built):
    published = json.loads((built[BEFORE].site / "record.schema.json").read_text(encoding="utf-8"))
    assert published == records.json_schema()


def test_export_schema_covers_every_column_and_rejects_unknown_keys():
    schema = opendata.export_schema()
    item = schema["properties"]["decisions"]["items"]
    assert list(item["properties"]) == [c.name for c in opendata.COLUMNS]
    row = opendata.row(rec("D 1", "2016-01-10"), site_url=None, first_published={})
    jsonschema.validate({"export_version": 1, "count": 1, "fields": [], "decisions": [row]}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"export_version": 1, "count": 1, "fields": [], "decisions": [{**row, "body": "x"}]},
                            schema)


# ------------------------------------------------------------------ sitemap


@pytest.mark.parametrize("day", [BEFORE, ON])
def test_sitemap_lists_every_published_decision_and_nothing_withheld(built, day):
    project = built[day]
    root = lxml.etree.fromstring((project.site / "sitemap.xml").read_bytes())
    locs = [loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    decision_pages = {loc.removeprefix("https://decisions.test/") for loc in locs if DECISION_URL.search(loc)}
    expected = {f"decisions/{p.parent.parent.name}/{p.parent.name}/"
                for p in project.site.glob("decisions/[0-9]*/*/index.html")}
    assert decision_pages == expected
    assert ("decisions/2016/dmpcd-2016-020/" in decision_pages) is (day == ON)
    assert any(DEFERRED_TAG in loc for loc in locs) is (day == ON), "its tag page too"


# ------------------------------------------------------------------ search index


def test_only_decision_pages_are_indexed_and_material_search_is_off(built):
    project = built[ON]
    urls = sorted(f["url"] for f in fragments(project))
    expected = sorted("/" + p.parent.relative_to(project.site).as_posix() + "/"
                      for p in project.site.glob("decisions/[0-9]*/*/index.html"))
    assert urls == expected and len(urls) == 5
    by_url = {f["url"]: f for f in fragments(project)}
    page = by_url["/decisions/2016/dmpcd-2016-010/"]
    assert page["meta"]["reference"] == "DMPCD 2016 010"
    assert page["meta"]["title"] == "Community garden grant"
    assert page["filters"]["year"] == ["2016"]
    assert "Chief Operating Officer" in page["filters"]["decision maker"]
    assert not (project.site / "search" / "search_index.json").exists()
    assert list(project.site.glob("pagefind/*/pagefind.js")), "a bundle per year"
    assert not list(project.site.glob("pagefind/*/pagefind-ui.js")), "unused Pagefind UI is not shipped"


def test_the_newest_year_is_a_search_bundle_and_older_years_are_grouped_from_the_oldest():
    pages = {"2014": 400, "2015": 700, "2016": 500, "2017": 300, "2018": 0, "2019": 90, "2020": 450}
    assert plan_bundles(pages, 1500) == {"2020": ["2020"], "2017-2019": ["2017", "2019"],
                                         "2014-2016": ["2014", "2015", "2016"]}
    assert list(plan_bundles(pages, 1500)) == ["2020", "2017-2019", "2014-2016"], "newest first"
    assert plan_bundles(pages, 1) == {y: [y] for y in ("2020", "2019", "2017", "2016", "2015", "2014")}
    assert plan_bundles(pages, 10_000) == {"2020": ["2020"], "2014-2019": ["2014", "2015", "2016", "2017", "2019"]}
    assert plan_bundles({"2021": 3}, 1500) == {"2021": ["2021"]}
    assert plan_bundles({}, 1500) == {}
    # New decisions in the newest year touch its bundle alone.
    grown = plan_bundles({**pages, "2020": 5000}, 1500)
    assert {k: v for k, v in grown.items() if k != "2020"} == {k: v for k, v in plan_bundles(pages, 1500).items()
                                                               if k != "2020"}


def test_a_year_whose_pages_did_not_change_reuses_its_search_bundle(tmp_path):
    project = sample(browsing_project(tmp_path / "p"))
    yml = project.root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace('cache_dir: ""', "cache_dir: .foia-cache"), encoding="utf-8")
    first = project.build(BEFORE)
    assert "Search index: 3 bundle(s), 0 reused" in first.stderr
    before = {rel: data for rel, data in project.site_files().items() if rel.startswith("pagefind/")}

    project.add_record("DMPCD 2015 200", "2015-07-01", "A new decision about QUOKKA fencing on the estate.")
    second = project.build(BEFORE)
    assert "Search index: 3 bundle(s), 2 reused" in second.stderr
    after = {rel: data for rel, data in project.site_files().items() if rel.startswith("pagefind/")}
    for year in ("2014", "2016"):
        old = {r: d for r, d in before.items() if r.startswith(f"pagefind/{year}/")}
        assert old and old == {r: d for r, d in after.items() if r.startswith(f"pagefind/{year}/")}
    urls = {f["url"] for f in fragments(project)}
    assert "/decisions/2015/dmpcd-2015-200/" in urls, "the changed year was indexed again"
    assert any("quokka" in f["content"].casefold() for f in fragments(project))


def test_leak_scan_finds_a_canary_inside_pagefind_fragments(built):
    """The scan's view of Pagefind's gzip fragments is real: plant a needle the site does
    contain (a public sentence) and the scan must report the fragment that holds it."""
    project = built[BEFORE]
    sentence = f"The public decision funds the {BODY_WORD} community garden grant."
    planted = Fingerprint("text", "planted.md", normalise(sentence), sentence)
    leaks = leakscan.scan_site(project.site, fingerprints=[planted])
    hit_files = {leak.file for leak in leaks}
    assert any(f.startswith("pagefind/2016/fragment/") for f in hit_files), hit_files
    assert "decisions/2016/dmpcd-2016-010/index.html" in hit_files


def test_a_failed_search_index_fails_the_build_and_keeps_the_old_site(tmp_path, monkeypatch):
    project = sample(browsing_project(tmp_path / "p"))
    project.build(BEFORE)
    before = project.site_files()
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    proc = project.build(ON, check=False)
    assert proc.returncode != 0
    assert "search index" in proc.stdout + proc.stderr
    assert project.site_files() == before
    assert not list(Path(tmp_path / "p").glob(".site-building-*")), "no staging folder is left behind"


# ------------------------------------------------------------------ announce_deferred


def test_announce_deferred_lists_reference_and_date_never_title_or_text(tmp_path):
    project = sample(browsing_project(tmp_path / "p", announce=True))
    project.build(BEFORE)
    index = (project.site / "decisions" / "index.html").read_text(encoding="utf-8")
    doc = lxml.html.fromstring(index)
    announced = [" ".join(li.text_content().split()) for li in doc.xpath("//ul[@class='foia-deferred']/li")]
    assert announced == ["DMPCD 2016 020: to be published on 1 March 2016"]
    for needle in (*CANARY_WORDS, DEFERRED_TITLE, "Operational security", "dmpcd-2016-020"):
        assert project.files_containing(needle) == [], f"{needle!r} leaked"
    data = json.loads((project.site / "decisions.json").read_text(encoding="utf-8"))
    assert "DMPCD 2016 020" not in [d["reference"] for d in data["decisions"]], "open data lists published only"


def test_without_announce_deferred_no_listing_mentions_the_deferral(built):
    index = (built[BEFORE].site / "decisions" / "index.html").read_text(encoding="utf-8")
    assert "foia-deferred" not in index and "Deferred decisions" not in index
