"""The register as a public body's site: identity configured once, legal pages, the 404
page, documents on the page and in the data, the data package, JSON-LD and link-preview
meta. Plain functions on plans made here, and the project's sample site built for real."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys

import lxml.etree
import lxml.html
import pytest
from test_html import build_sample

import proof_files
from browser_helpers import BEFORE, CANARY_TEXTS, DEFERRED_TITLE, browsing_project, sample
from foia.outputs import documents as docs
from foia.outputs import feed, jsonld, opendata, views
from foia.outputs.identity import OGL_URL, IdentityError, from_extra
from foia.proof import scan as leakscan
from foia.proof.fingerprints import Fingerprint
from foia.proof.normalise import normalise
from foia.rules.content import Content
from foia.rules.plan import Document, build_plan
from foia.rules.records import Record, slugify

ATOM = "{http://www.w3.org/2005/Atom}"
EXTRA = {"body": {"name": "Office of the Police and Crime Commissioner for Testshire", "short_name": "OPCC Testshire",
                  "url": "https://opcc.test/", "logo": "assets/logo.svg",
                  "colours": {"primary": "#123456"},
                  "contact": {"email": "info@opcc.test", "address": ["1 High Street", "Testtown", "TT1 1TT"]},
                  "links": [{"title": "OPCC website", "url": "https://opcc.test/"}]}}


def rec(reference: str, approved: str, **fields) -> Record:
    day = dt.date.fromisoformat(approved)
    fields.setdefault("deferred", False)
    return Record(path=f"decisions/{day.year}/{slugify(reference)}.md", reference=reference,
                  title=f"Title of {reference}", approved=day, decision_maker="Deputy Mayor", part2=False,
                  body="Body.", **fields)


def plan_with_documents():
    public = rec("D 1", "2016-01-10", summary="A summary.", tags=("grants",))
    withheld = rec("D 2", "2016-01-12", deferred=True, deferred_reason="Reason.")  # no date: withheld
    plan = build_plan(Content(records=[public, withheld]), dt.date(2016, 3, 1))
    plan.documents = {
        public.path: [Document("decisions/2016/d-1.signed-form.pdf", public.path, "Signed decision form", 245_760),
                      Document("decisions/2016/d-1.annex.xlsx", public.path, "Annex: costs", 3_300_000)],
        # the plan never lists a withheld record's documents; the outputs must not either
        withheld.path: [Document("decisions/2016/d-2.secret.pdf", withheld.path, "Withheld form", 1000)],
    }
    return plan, public, withheld


# ------------------------------------------------------------------ identity


def test_identity_comes_from_extra_body_and_names_a_bad_key():
    body = from_extra(EXTRA)
    assert (body.name, body.short_name, body.primary_colour, body.address) == (
        "Office of the Police and Crime Commissioner for Testshire", "OPCC Testshire", "#123456",
        ("1 High Street", "Testtown", "TT1 1TT"))
    assert body.links[0].title == "OPCC website"
    assert from_extra({}, "Site").name == "Site", "no body: the site name stands in"
    for bad, key in [({"body": {"short_name": "X"}}, "extra.body.name"),
                     ({"body": {"name": "X", "colours": {"primary": "blue"}}}, "extra.body.colours.primary"),
                     ({"body": {"name": "X", "contact": "me"}}, "extra.body.contact"),
                     ({"body": {"name": "X", "links": [{"title": "t"}]}}, "extra.body.links[0]"),
                     ({"body": {"name": "X", "colour": {}}}, "extra.body.colour")]:
        with pytest.raises(IdentityError, match=re.escape(key)):
            from_extra(bad)


def test_a_bad_identity_fails_the_build_naming_the_key(tmp_path):
    project = browsing_project(tmp_path / "p", pagefind=False)
    project.add_record("DMPCD 2015 001", "2015-01-05")
    yml = project.root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8") + "extra:\n  body:\n    name: X\n    colours: {primary: red}\n",
                   encoding="utf-8")
    proc = project.build("2016-01-01", check=False)
    assert proc.returncode != 0
    assert "extra.body.colours.primary" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


# ------------------------------------------------------------------ documents (plans made here)


def test_documents_are_labelled_for_readers():
    plan, public, _ = plan_with_documents()
    view = views.SiteViews(plan).page_view(public.path, public)
    assert [view.document_label(d) for d in view.documents(public)] == [
        "Signed decision form (PDF, 240 KB)", "Annex: costs (Excel spreadsheet, 3.1 MB)"]
    assert docs.size_label(10) == "1 KB", "never 0 KB"


def test_documents_are_in_the_open_data_the_feed_and_json_ld_and_never_a_withheld_ones():
    plan, public, withheld = plan_with_documents()
    site_url = "https://d.test/"
    table = opendata.rows(plan, site_url=site_url, first_published={})
    assert [r["reference"] for r in table] == ["D 1"]
    assert table[0]["documents"] == ["https://d.test/decisions/2016/d-1.signed-form.pdf",
                                     "https://d.test/decisions/2016/d-1.annex.xlsx"]
    rows = list(csv.DictReader(io.StringIO(opendata.render_csv(table).decode(), newline="")))
    assert rows[0]["documents"] == ("https://d.test/decisions/2016/d-1.signed-form.pdf; "
                                    "https://d.test/decisions/2016/d-1.annex.xlsx")
    root = lxml.etree.fromstring(feed.render(plan, site_url=site_url, site_name="T", size=10, first_published={}))
    enclosures = root.findall(f"{ATOM}entry/{ATOM}link[@rel='enclosure']")
    assert [(e.get("href"), e.get("type"), e.get("length")) for e in enclosures] == [
        ("https://d.test/decisions/2016/d-1.signed-form.pdf", "application/pdf", "245760"),
        ("https://d.test/decisions/2016/d-1.annex.xlsx",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "3300000")]
    item = json.loads(views.SiteViews(plan, site_url=site_url).page_view(public.path, public).json_ld(public))
    assert [m["contentUrl"] for m in item["associatedMedia"]] == [e.get("href") for e in enclosures]
    everything = json.dumps(table) + lxml.etree.tostring(root).decode()
    assert "d-2" not in everything and "Withheld form" not in everything and withheld.reference not in everything


def test_a_real_build_lists_the_documents_a_public_record_links(tmp_path):
    """The decision page, decisions.json/.csv and the feed give a linked document. The plan
    fills plan.documents (rules: a public record's Part 1 links it)."""
    project = browsing_project(tmp_path / "p", pagefind=False)
    pdf = proof_files.pdf("The signed decision form. " * 40)
    project.write("decisions/2016/dmpcd-2016-005.signed-form.pdf", pdf)
    project.add_record("DMPCD 2016 005", "2016-01-05",
                       "The form is attached: [Signed decision form](dmpcd-2016-005.signed-form.pdf).")
    from foia.rules.content import load_content

    plan = build_plan(load_content(project.content), dt.date(2016, 2, 1))
    assert [d.name for d in plan.documents["decisions/2016/dmpcd-2016-005.md"]] == ["Signed decision form"]
    project.build("2016-02-01")
    page = lxml.html.fromstring((project.site / "decisions/2016/dmpcd-2016-005/index.html").read_bytes())
    items = [" ".join(li.text_content().split()) for li in page.xpath("//section[@class='foia-documents']//li")]
    assert items == [f"Signed decision form (PDF, {docs.size_label(len(pdf))})"]
    data = json.loads((project.site / "decisions.json").read_text(encoding="utf-8"))
    assert data["decisions"][0]["documents"] == ["https://decisions.test/decisions/2016/dmpcd-2016-005.signed-form.pdf"]
    assert "dmpcd-2016-005.signed-form.pdf" in (project.site / "decisions.csv").read_text(encoding="utf-8")
    assert 'rel="enclosure"' in (project.site / "feed.xml").read_text(encoding="utf-8")


# ------------------------------------------------------------------ JSON-LD and meta


def test_json_ld_cannot_close_its_script_element():
    r = rec("D 1", "2016-01-10")
    r = Record(**{**r.__dict__, "title": "A </script><script>alert(1)</script> title"})
    text = jsonld.script_text(jsonld.decision(r, identity=from_extra(EXTRA), site_url=None,
                                              published=r.approved, documents=[]))
    assert "<" not in text and json.loads(text)["name"] == r.title
    css = views.css_string('a "quoted" </style> \\ title')
    assert '"' not in css[1:-1] and "<" not in css and "\\" in css


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory):
    return build_sample(tmp_path_factory.mktemp("site"))


def decision_pages(site):
    return sorted(site.glob("decisions/[0-9]*/*/index.html"))


def test_each_decision_page_has_json_ld_and_link_preview_meta(sample_site):
    pages = decision_pages(sample_site)
    assert len(pages) >= 4
    for path in pages:
        doc = lxml.html.fromstring(path.read_bytes())
        ref = doc.xpath("string(//p[@class='foia-decision__ref'])").strip()
        title = doc.xpath("string(//article//h1)").strip()
        url = doc.xpath("string(//link[@rel='canonical']/@href)")
        scripts = doc.xpath("//script[@type='application/ld+json']/text()")
        assert len(scripts) == 1, path
        item = json.loads(scripts[0])
        assert item["@context"] == "https://schema.org" and item["@type"] == "Legislation"
        assert (item["legislationIdentifier"], item["name"], item["url"]) == (ref, title, url)
        approved = doc.xpath("string(//time[@data-pagefind-meta='approved']/@datetime)")
        assert item["legislationDate"] == approved and dt.date.fromisoformat(item["datePublished"]) >= \
            dt.date.fromisoformat(approved)
        assert item["legislationPassedBy"]["jobTitle"] == doc.xpath("string(//a[@data-pagefind-meta='maker'])")
        assert item["publisher"]["name"] == "Mayor's Office for Policing and Crime"
        assert item["license"] == OGL_URL
        meta = {m.get("property") or m.get("name"): m.get("content") for m in doc.xpath("//head/meta")}
        assert meta["og:title"] == meta["twitter:title"] == f"{ref}: {title}"
        assert meta["og:url"] == url and meta["og:type"] == "article" and meta["twitter:card"] == "summary"
        assert meta["og:description"] and meta["og:description"] == meta["twitter:description"]


def test_pages_other_than_decisions_have_no_decision_json_ld(sample_site):
    for rel in ("index.html", "decisions/index.html", "search/index.html", "404.html"):
        assert b"application/ld+json" not in (sample_site / rel).read_bytes(), rel


# ------------------------------------------------------------------ identity, footer, legal pages, 404


def test_every_page_shows_the_body_and_links_the_legal_pages(sample_site):
    for path in sorted(sample_site.rglob("*.html")):
        doc = lxml.html.fromstring(path.read_bytes())
        footer = doc.xpath("//footer[contains(@class,'foia-footer')]")
        assert len(footer) == 1, path
        text = " ".join(footer[0].text_content().split())
        assert "Mayor's Office for Policing and Crime" in text and "enquiries@mopac.london.gov.uk" in text
        assert "Open Government Licence v3.0" in text
        linked = {(path.parent / h / "index.html").resolve() for h in footer[0].xpath(".//a/@href")
                  if not re.match(r"^[a-z]+:", h)}
        if path.name == "404.html":  # served at any depth: its links are from the site root
            linked = {(sample_site / h.lstrip("/") / "index.html").resolve() for h in footer[0].xpath(".//a/@href")
                      if h.startswith("/")}
        for target in ("accessibility", "privacy", "licence", "open-data"):
            assert (sample_site / target / "index.html").resolve() in linked, (path, target)
        assert doc.xpath("//header//a[contains(@class,'md-logo')]/img/@src"), "the body's logo"
        assert "--md-primary-fg-color:#1b365d" in doc.xpath("string(//head/style)"), "the body's colour"


def test_accessibility_statement_has_every_section_and_the_build_date(sample_site):
    doc = lxml.html.fromstring((sample_site / "accessibility/index.html").read_bytes())
    headings = [" ".join(h.text_content().split()) for h in doc.xpath("//article//h2 | //article//h3")]
    for section in ("How accessible this website is", "Feedback and contact information",
                    "Reporting accessibility problems with this website", "Enforcement procedure",
                    "Compliance status", "Non-accessible content", "Preparation of this accessibility statement"):
        assert section in headings, section
    text = " ".join(doc.text_content().split())
    assert "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018" in text
    assert "This website was last tested on 1 December 2026" in text, "the as-of date of the build"
    assert "Equality Advisory and Support Service" in text and "enquiries@mopac.london.gov.uk" in text


def test_licence_page_states_the_open_government_licence(sample_site):
    text = " ".join(lxml.html.fromstring((sample_site / "licence/index.html").read_bytes()).text_content().split())
    assert "Open Government Licence v3.0" in text
    assert "Contains public sector information licensed under the Open Government Licence v3.0." in text
    privacy = (sample_site / "privacy/index.html").read_text(encoding="utf-8")
    assert "sets no cookies" in privacy


def test_404_page_offers_search_and_browsing_and_names_no_decision(sample_site):
    doc = lxml.html.fromstring((sample_site / "404.html").read_bytes())
    text = " ".join(doc.xpath("string(//article)").split())
    assert "appears on this site on its release date" in text
    form = doc.xpath("//article//form[@role='search']")[0]
    assert form.get("action").endswith("search/") and form.xpath(".//input[@name='q']")
    hrefs = doc.xpath("//article//a/@href")
    assert any(h.endswith("decisions/") for h in hrefs)
    assert not re.search(r"DMPCD \d{4} \d+|dmpcd-\d{4}", text + " ".join(hrefs)), "no decision named"


# ------------------------------------------------------------------ data package


def test_datapackage_describes_the_csv_and_is_valid_for_frictionless(sample_site):
    package = json.loads((sample_site / "datapackage.json").read_text(encoding="utf-8"))
    resource = package["resources"][0]
    assert resource["path"] == "decisions.csv" and package["licenses"][0]["name"] == "OGL-UK-3.0"
    fields = resource["schema"]["fields"]
    assert [f["name"] for f in fields] == [c.name for c in opendata.COLUMNS]
    assert resource["schema"]["primaryKey"] == ["reference"]
    by_name = {f["name"]: f for f in fields}
    assert by_name["approved"]["type"] == "date" and by_name["deferred"]["type"] == "boolean"
    assert by_name["reference"]["constraints"] == {"required": True, "unique": True}
    assert "constraints" not in by_name["summary"]
    proc = subprocess.run([str(__import__("pathlib").Path(sys.executable).parent / "frictionless"), "validate",
                           "--json", str(sample_site / "datapackage.json")], capture_output=True, text=True, timeout=300)
    report = json.loads(proc.stdout)
    assert report["valid"] is True, proc.stdout[-3000:]
    assert proc.returncode == 0


def test_frictionless_rejects_a_csv_that_breaks_the_schema(tmp_path, sample_site):
    """The validation above is real: a duplicate reference and a bad date fail it."""
    import shutil

    shutil.copy(sample_site / "datapackage.json", tmp_path / "datapackage.json")
    rows = list(csv.reader(io.StringIO((sample_site / "decisions.csv").read_bytes().decode(), newline="")))
    header, first, *rest = rows
    bad_date = [*rest[0]]
    bad_date[header.index("approved")] = "2016-02-31"
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows([header, first, first, bad_date, *rest[1:]])
    (tmp_path / "decisions.csv").write_bytes(out.getvalue().encode())
    proc = subprocess.run([str(__import__("pathlib").Path(sys.executable).parent / "frictionless"), "validate",
                           "--json", str(tmp_path / "datapackage.json")], capture_output=True, text=True, timeout=300)
    report = json.loads(proc.stdout)
    assert report["valid"] is False
    types = {e["type"] for task in report["tasks"] for e in task["errors"]}
    assert "type-error" in types, types
    assert types & {"primary-key", "unique-error"}, types


# ------------------------------------------------------------------ withheld canaries in the new outputs


@pytest.fixture(scope="module")
def canary_site(tmp_path_factory):
    """The browser sample as of BEFORE, with a body configured: the deferred decision's
    title, text and tag are canaries, and so is the Part 2 form."""
    project = sample(browsing_project(tmp_path_factory.mktemp("canary") / "p", pagefind=False))
    yml = project.root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8") + "extra:\n  body:\n    name: Testshire OPCC\n", encoding="utf-8")
    project.build(BEFORE)
    return project


@pytest.mark.parametrize("rel", ["datapackage.json", "accessibility/index.html", "privacy/index.html",
                                 "licence/index.html", "404.html", "decisions/2016/dmpcd-2016-010/index.html",
                                 "decisions.csv", "decisions.json", "feed.xml"])
def test_new_outputs_carry_no_withheld_canary(canary_site, rel):
    data = (canary_site.site / rel).read_text(encoding="utf-8")
    assert data.strip(), rel
    for needle in (*CANARY_TEXTS, DEFERRED_TITLE, "DMPCD 2016 020", "dmpcd-2016-020"):
        assert needle.casefold() not in data.casefold(), (rel, needle)


def test_the_leak_scan_reads_the_data_package_and_the_json_ld(canary_site):
    """Plant fingerprints of text these outputs do carry: the scan must name each file."""
    planted = [Fingerprint("text", "planted.md", normalise(t), t) for t in
               ("never a Part 2 form, never a decision whose publication is deferred", "Testshire OPCC")]
    hits = {leak.file for leak in leakscan.scan_site(canary_site.site, fingerprints=planted)}
    assert "datapackage.json" in hits
    assert "decisions/2016/dmpcd-2016-010/index.html" in hits, "the JSON-LD publisher"
