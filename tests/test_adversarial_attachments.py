"""Route 10 and attachments by intent: a file under decisions/ is published only when its
record is public on the build date and that record's Part 1 links to it. Natural names
work; a file nobody links is not published (a warning names it); a file linked by a public
and a withheld record is an error naming both; with strict: false a withheld record's
file, however named, is never published."""

from __future__ import annotations

import datetime as dt

import pytest
from adversarial_helpers import assert_absent, assert_refused, non_strict

import proof_files
from conftest import record_text
from foia.rules.content import load_content
from foia.rules.plan import build_plan

ANNEX = b"%PDF-1.4 The deferred annex canary is TEAL HEDGEHOG EIGHTY."


def test_strict_off_a_withheld_records_file_is_never_published_however_named(project):
    non_strict(project)
    project.add_record("DMPCD 2016 001", "2016-01-04", "A public decision with no documents.")
    project.add_record("DMPCD 2016 002", "2016-01-05",
                       "Deferred. See [the annex](Annex for the deferred decision.pdf), [the costs](dmpcd-2016-001.costs.pdf),"
                       " [the map](../maps/route.pdf) and ![a photo](dmpcd-2016-002.photo.png).",
                       deferred="true", deferred_reason="Security.", deferred_until="2016-06-01")
    project.write("decisions/2016/Annex for the deferred decision.pdf", ANNEX)
    project.write("decisions/2016/dmpcd-2016-001.costs.pdf", ANNEX + b" costs")  # named after the public record
    project.write("decisions/maps/route.pdf", ANNEX + b" map")
    project.write("decisions/2016/dmpcd-2016-002.photo.png", ANNEX + b" photo")
    project.write("decisions/2016/stray.pdf", ANNEX + b" stray")  # linked by nobody
    proc = project.build("2016-03-01")
    assert_absent(project, "TEAL HEDGEHOG", "Annex for the deferred", "dmpcd-2016-002", "route.pdf", "stray.pdf")
    assert "decisions/2016/stray.pdf: no record's Part 1 links to this file, so it is not published" in proc.stderr
    assert (project.site / "decisions/2016/dmpcd-2016-001/index.html").exists()


def test_natural_names_are_published_when_linked_and_not_when_not(project):
    project.add_record("DMPCD 2016 101", "2016-01-04",
                       "See the [annex](dmpcd-2016-101-annex.pdf), [Appendix A](<Appendix A.pdf>), "
                       "[Appendix B](Appendix%20B.pdf), [the route][route] and ![the chart](img/chart.png).\n\n"
                       "[route]: ../maps/route.pdf")
    for name in ("decisions/2016/dmpcd-2016-101-annex.pdf", "decisions/2016/Appendix A.pdf",
                 "decisions/2016/Appendix B.pdf", "decisions/maps/route.pdf", "decisions/2016/img/chart.png"):
        project.write(name, proof_files.png() if name.endswith(".png") else proof_files.pdf(f"Public document {name}."))
    project.build("2016-03-01")
    files = project.site_files()
    for name in ("decisions/2016/dmpcd-2016-101-annex.pdf", "decisions/2016/Appendix A.pdf",
                 "decisions/2016/Appendix B.pdf", "decisions/maps/route.pdf", "decisions/2016/img/chart.png"):
        assert name in files, name


def test_a_file_nobody_links_fails_a_strict_mkdocs_build_with_a_warning_naming_it(project):
    project.add_record("DMPCD 2016 101", "2016-01-04", "No links here.")
    project.write("decisions/2016/dmpcd-2016-101.annex.pdf", b"%PDF-1.4 unlinked")
    proc = project.build("2016-03-01", check=False)
    assert_refused(proc, "decisions/2016/dmpcd-2016-101.annex.pdf: no record's Part 1 links to this file")


def test_a_file_linked_by_a_public_and_a_withheld_record_is_an_error_naming_both(project):
    project.add_record("DMPCD 2016 001", "2016-01-04", "See [the shared annex](shared.pdf).")
    project.add_record("DMPCD 2016 002", "2016-01-05", "Also [the shared annex](shared.pdf).",
                       deferred="true", deferred_reason="Security.")
    project.write("decisions/2016/shared.pdf", ANNEX)
    proc = project.build("2016-03-01", check=False)
    assert_refused(proc, "decisions/2016/shared.pdf: is linked from decisions/2016/dmpcd-2016-001.md, public on "
                         "2016-03-01, and from decisions/2016/dmpcd-2016-002.md, withheld")
    non_strict(project)
    project.build("2016-03-01", check=False)
    assert "decisions/2016/shared.pdf" not in project.site_files()


# ------------------------------------------------------------------- the plan, table-driven


def _content(tmp_path, records: dict[str, tuple[str, str, dict]], files: list[str]):
    for reference, (approved, body, fields) in records.items():
        path = tmp_path / "decisions" / approved[:4] / (reference.lower().replace(" ", "-") + ".md")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(record_text(reference, approved, body, **fields), encoding="utf-8")
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"bytes of " + name.encode())
    return load_content(tmp_path)


DEFERRED = {"deferred": "true", "deferred_reason": "Why.", "deferred_until": "2016-06-01"}
D = "decisions/2016/"


@pytest.mark.parametrize(("records", "files", "day", "published", "errors", "warned"), [
    # linked by a public record: published; on a day before approval: not
    ({"A 2016 1": ("2016-01-04", "[x](x.pdf)", {})}, [D + "x.pdf"], "2016-03-01", [D + "x.pdf"], [], []),
    ({"A 2016 1": ("2016-01-04", "[x](x.pdf)", {})}, [D + "x.pdf"], "2016-01-01", [], [], []),
    # deferred: published from its deferral date only
    ({"A 2016 1": ("2016-01-04", "[x](x.pdf)", DEFERRED)}, [D + "x.pdf"], "2016-03-01", [], [], []),
    ({"A 2016 1": ("2016-01-04", "[x](x.pdf)", DEFERRED)}, [D + "x.pdf"], "2016-06-01", [D + "x.pdf"], [], []),
    # nobody links it: never published, a warning whatever the day
    ({"A 2016 1": ("2016-01-04", "text", {})}, [D + "a-2016-1.x.pdf"], "2016-03-01", [], [], [D + "a-2016-1.x.pdf"]),
    # a public and a withheld record link it: an error, not published; both public: published
    ({"A 2016 1": ("2016-01-04", "[x](x.pdf)", {}), "A 2016 2": ("2016-01-05", "[x](x.pdf)", DEFERRED)},
     [D + "x.pdf"], "2016-03-01", [], [D + "x.pdf"], []),
    ({"A 2016 1": ("2016-01-04", "[x](x.pdf)", {}), "A 2016 2": ("2016-01-05", "[x](x.pdf)", DEFERRED)},
     [D + "x.pdf"], "2016-06-01", [D + "x.pdf"], [], []),
    # an invalid record's link withholds the file too
    ({"A 2016 1": ("2016-01-04", "[x](x.pdf)", {}), "A 2016 2": ("2016-01-05", "[x](x.pdf)", {"part2": "maybe"})},
     [D + "x.pdf"], "2016-03-01", [], [D + "x.pdf", D + "a-2016-2.md"], []),
    # links to other sites, anchors and pages are not attachments
    ({"A 2016 1": ("2016-01-04", "[w](https://x.org/x.pdf) [a](#x) [p](../../about.md)", {})}, [D + "x.pdf"],
     "2016-03-01", [], [], [D + "x.pdf"]),
])
def test_publication_by_link(tmp_path, records, files, day, published, errors, warned):
    content = _content(tmp_path, records, files)
    plan = build_plan(content, dt.date.fromisoformat(day))
    assert sorted(p for p in plan.staged if p in files) == sorted(published)
    assert sorted({e.path for e in plan.errors}) == sorted(errors)
    assert [w.path for w in plan.warnings] == warned
    assert set(files) - set(published) <= plan.withheld_paths


def test_documents_are_listed_in_link_order_with_their_link_text(tmp_path):
    body = ("![Route map](maps/route.png)\n\nThe [signed decision form](dmpcd-2016-031-signed-form.pdf), "
            "[Appendix A](<Appendix A.pdf>), [the form again](dmpcd-2016-031-signed-form.pdf) and "
            "[](blank.csv). The [route map as a file](maps/route.png).")
    files = [D + "dmpcd-2016-031-signed-form.pdf", D + "Appendix A.pdf", D + "blank.csv", D + "maps/route.png"]
    content = _content(tmp_path, {"DMPCD 2016 031": ("2016-02-08", body, {})}, files)
    plan = build_plan(content, dt.date(2016, 3, 1))
    documents = plan.documents[D + "dmpcd-2016-031.md"]
    assert [(d.path, d.name, d.embedded) for d in documents] == [
        (D + "maps/route.png", "route map as a file", False),
        (D + "dmpcd-2016-031-signed-form.pdf", "signed decision form", False),
        (D + "Appendix A.pdf", "Appendix A", False),
        (D + "blank.csv", "blank.csv", False),
    ]
    assert documents[0].record_path == D + "dmpcd-2016-031.md"
    assert documents[1].size == len(b"bytes of " + files[0].encode()) and documents[1].kind == "PDF"
    assert plan.warnings == []


def test_withheld_files_are_proof_sources_and_a_stray_copy_of_a_public_one_is_not(tmp_path):
    records = {"A 2016 1": ("2016-01-04", "[x](x.pdf)", {}), "A 2016 2": ("2016-01-05", "[y](y.pdf)", DEFERRED)}
    content = _content(tmp_path, records, [D + "x.pdf", D + "y.pdf", D + "a-2016-1.notes.txt"])
    (tmp_path / D / "x copy.pdf").write_bytes((tmp_path / D / "x.pdf").read_bytes())
    content = load_content(tmp_path)
    plan = build_plan(content, dt.date(2016, 3, 1))
    sources = {s.path: s for s in plan.sources if s.kind == "attachment"}
    assert sorted(sources) == [D + "a-2016-1.notes.txt", D + "y.pdf"]
    assert "A 2016 1" in sources[D + "a-2016-1.notes.txt"].own_public_text  # a withheld file of a public record
    assert sources[D + "y.pdf"].own_public_text == ""
    assert D + "x copy.pdf" in plan.withheld_paths and D + "x copy.pdf" not in plan.staged


def test_a_public_record_cannot_publish_a_file_named_after_a_withheld_one(tmp_path):
    records = {"DMPCD 2016 001": ("2016-01-04", "[their annex](dmpcd-2016-002.annex.pdf) [ours](dmpcd-2016-001-a.pdf)", {}),
               "DMPCD 2016 002": ("2016-01-05", "No links.", DEFERRED)}
    content = _content(tmp_path, records, [D + "dmpcd-2016-002.annex.pdf", D + "dmpcd-2016-001-a.pdf"])
    plan = build_plan(content, dt.date(2016, 3, 1))
    [error] = plan.errors
    assert str(error) == (f"{D}dmpcd-2016-002.annex.pdf: is linked from {D}dmpcd-2016-001.md, public on 2016-03-01, "
                          f"and is named after {D}dmpcd-2016-002.md, withheld: a file shared by a public and a "
                          "withheld record is not published; give each record its own copy")
    assert sorted(p for p in plan.staged if p.endswith(".pdf")) == [D + "dmpcd-2016-001-a.pdf"]
    assert build_plan(content, dt.date(2016, 6, 1)).errors == [], "both public: published"


def test_an_html_file_is_never_a_document(tmp_path):
    records = {"DMPCD 2016 001": ("2016-01-04", "[page](dmpcd-2016-002/index.html) [notes](notes.htm)", {}),
               "DMPCD 2016 002": ("2016-01-05", "Another decision.", {})}
    content = _content(tmp_path, records, [D + "dmpcd-2016-002/index.html", D + "notes.htm"])
    assert sorted(str(e) for e in content.errors) == [
        f"{D}dmpcd-2016-002/index.html: is linked from {D}dmpcd-2016-001.md, but an HTML file is not published as a "
        "document: its markup is not checked and it could replace a page; link a PDF instead",
        f"{D}notes.htm: is linked from {D}dmpcd-2016-001.md, but an HTML file is not published as a document: its "
        "markup is not checked and it could replace a page; link a PDF instead"]
    plan = build_plan(content, dt.date(2016, 3, 1))
    assert not any(p.endswith((".html", ".htm")) for p in plan.staged)
