"""Issue 10's routes, proof side, as real builds: withheld wording reaches the site through a
careless paste or a determined insider's trick, and the build fails naming the file; the
decisions wrongly refused before build.

Route 1: no circular boilerplate rule. Route 2: short blocks (tables, lists). Route 3: Part 2
files that are not Markdown. Route 4: documents in the site are read. Route 8: split text.
"""

from __future__ import annotations

import pytest

import proof_files as make
from conftest import SiteProject

PART2_SENTENCE = "The evaluation panel scored Kestrel Holdings highest at ninety one points overall."
DEFERRED_PARAGRAPH = ("Operation Marlin moves to its covert phase once the surveillance support team confirms "
                      "readiness in the spring.")
PRICES = [["Bidder", "Price"], ["Axon Enterprise", "£1,234,567"], ["Capita Secure", "£1,456,000"],
          ["Serco Health", "£2,010,500"]]
AS_OF = "2016-02-15"


def decisions(project: SiteProject, *, part2: bytes | str | None = None, part2_ext: str = "md") -> SiteProject:
    """A public decision with a Part 2 form, a deferred decision, and a second public decision."""
    project.add_record("DMPCD 2016 010", "2016-01-11", "The public decision funds a community garden.",
                       part2="true", part2_reason="Commercially sensitive prices.")
    if part2 is None:
        part2 = f"---\nreference: DMPCD 2016 010\n---\n\n{PART2_SENTENCE}\n"
    project.write(f"decisions/2016/dmpcd-2016-010.part2.{part2_ext}", part2)
    project.add_record("DMPCD 2016 020", "2016-02-01", DEFERRED_PARAGRAPH, deferred="true",
                       deferred_reason="Operational security.", deferred_until="2016-03-01")
    project.add_record("DMPCD 2016 030", "2016-02-02", "The second public decision renews the cadet scheme.")
    return project


def refused(project: SiteProject, *files: str) -> str:
    """The build fails on the leak scan, naming each site file."""
    proc = project.build(AS_OF, check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out[-3000:]
    assert "leak scan found withheld material" in out, out[-3000:]
    for rel in files:
        assert f"{rel}: " in out, f"{rel} not named:\n{out[-3000:]}"
    assert not project.site.exists() or not project.files_containing("Kestrel Holdings"), "nothing published"
    return out


def markdown_table(rows):
    return "\n".join(["| " + " | ".join(rows[0]) + " |", "|---|---|", *("| " + " | ".join(r) + " |" for r in rows[1:])])


# ----------------------------------------------------------------------------- route 1: no circular boilerplate


def test_route1_a_deferred_paragraph_pasted_into_an_ordinary_page_fails(project):
    decisions(project).write("about.md", f"# About\n\n{DEFERRED_PARAGRAPH}\n")
    refused(project, "about/index.html")


def test_route1_part2_text_pasted_into_two_public_records_fails_naming_both(project):
    decisions(project)
    project.add_record("DMPCD 2016 040", "2016-02-03", f"First paste. {PART2_SENTENCE}")
    project.add_record("DMPCD 2016 050", "2016-02-04", f"Second paste. {PART2_SENTENCE}")
    refused(project, "decisions/2016/dmpcd-2016-040/index.html", "decisions/2016/dmpcd-2016-050/index.html")


def test_route1_pasted_once_visibly_and_once_into_unrendered_front_matter_fails(project):
    decisions(project)
    project.write("about.md", f"---\ntitle: About\nnotes: \"{PART2_SENTENCE}\"\n---\n\n# About\n\nAbout us.\n")
    project.add_record("DMPCD 2016 040", "2016-02-03", f"Visible paste. {PART2_SENTENCE}")
    refused(project, "decisions/2016/dmpcd-2016-040/index.html")


# ----------------------------------------------------------------------------- route 2: short blocks


def test_route2_a_part2_price_table_pasted_into_a_public_record_fails(project):
    decisions(project, part2=f"---\nreference: DMPCD 2016 010\n---\n\n# Prices\n\n{markdown_table(PRICES)}\n")
    project.add_record("DMPCD 2016 040", "2016-02-03", f"Costs considered:\n\n{markdown_table(PRICES[1:])}")
    refused(project, "decisions/2016/dmpcd-2016-040/index.html")


def test_route2_a_part2_bullet_list_of_short_items_pasted_as_text_fails(project):
    items = ["Kestrel covert tasking", "Marlin informant payments", "Juniper vetting review", "Halyard premises"]
    decisions(project, part2="---\nreference: DMPCD 2016 010\n---\n\n" + "\n".join(f"- {i}" for i in items) + "\n")
    project.add_record("DMPCD 2016 040", "2016-02-03", "Workstreams: " + ", ".join(items) + ".")
    refused(project, "decisions/2016/dmpcd-2016-040/index.html")


# ----------------------------------------------------------------------------- route 3: Part 2 files of any format


@pytest.mark.parametrize(("ext", "data"), [
    ("txt", lambda: PART2_SENTENCE.encode()),
    ("csv", lambda: ("bidder,price\n" + "".join(",".join(r) + "\n" for r in PRICES[1:])).encode()),
    ("pdf", lambda: make.pdf(PART2_SENTENCE)),
    ("docx", lambda: make.docx([PART2_SENTENCE])),
    ("xlsx", lambda: make.xlsx([["Evaluation"], [PART2_SENTENCE]])),
])
def test_route3_text_of_a_part2_file_of_any_format_pasted_into_a_public_record_fails(project, ext, data):
    decisions(project, part2=data(), part2_ext=ext)
    pasted = markdown_table(PRICES[1:]) if ext == "csv" else PART2_SENTENCE
    project.add_record("DMPCD 2016 040", "2016-02-03", f"As noted:\n\n{pasted}")
    refused(project, "decisions/2016/dmpcd-2016-040/index.html")


def test_route3_a_resaved_copy_of_a_part2_pdf_published_as_an_annex_fails_by_its_text(project):
    decisions(project, part2=make.pdf(PART2_SENTENCE, title="Part 2"), part2_ext="pdf")
    project.add_record("DMPCD 2016 040", "2016-02-03", "See [the annex](dmpcd-2016-040.annex.docx).")
    project.write("decisions/2016/dmpcd-2016-040.annex.docx", make.docx(["Annex", PART2_SENTENCE]))
    out = refused(project, "decisions/2016/dmpcd-2016-040.annex.docx")
    assert "copy of withheld file" not in out, "found by its text: its bytes differ"


# ----------------------------------------------------------------------------- route 4: documents in the site are read


@pytest.mark.parametrize(("name", "data"), [
    ("annex.pdf", lambda: make.pdf(DEFERRED_PARAGRAPH)),
    ("annex.pdf", lambda: make.pdf("Annex", subject=DEFERRED_PARAGRAPH)),
    ("annex.pdf", lambda: make.pdf("Annex", annotation=DEFERRED_PARAGRAPH)),
    ("annex.pdf", lambda: make.pdf("Annex", attachment=("note.txt", DEFERRED_PARAGRAPH.encode()))),
    ("annex.docx", lambda: make.docx(["Annex"], comment=DEFERRED_PARAGRAPH)),
    ("annex.xlsx", lambda: make.xlsx([["Annex"], [DEFERRED_PARAGRAPH]])),
    ("annex.pptx", lambda: make.pptx("Annex", notes=DEFERRED_PARAGRAPH)),
    ("annex.odt", lambda: make.odt([DEFERRED_PARAGRAPH])),
    ("figure.svg", lambda: f'<svg xmlns="http://www.w3.org/2000/svg"><text>{DEFERRED_PARAGRAPH}</text></svg>'.encode()),
    ("chart.png", lambda: make.png([make.png_ztxt("Description", DEFERRED_PARAGRAPH)])),
    ("photo.jpg", lambda: make.jpeg(description=DEFERRED_PARAGRAPH)),
])
def test_route4_withheld_text_inside_a_published_document_fails_naming_it(project, name, data):
    decisions(project)
    rel = f"decisions/2016/dmpcd-2016-030.{name}"
    project.add_record("DMPCD 2016 030", "2016-02-02", f"The second public decision. See [the annex]({rel.rsplit('/')[-1]}).")
    project.write(rel, data())
    refused(project, rel)


def test_route4_a_damaged_pdf_in_the_site_fails_naming_it(project):
    decisions(project)
    project.write("assets/report.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 4)
    out = refused(project, "assets/report.pdf")
    assert "cannot be read" in out


# ----------------------------------------------------------------------------- route 8: split text


@pytest.mark.parametrize("written", [
    PART2_SENTENCE.replace("Kestrel", "Kes\u00adtrel").replace("Holdings", "Hol\u00addings"),  # soft hyphens
    PART2_SENTENCE.replace("Kestrel", "Kes\u200btrel").replace("ninety", "nine\u200dty"),  # zero width
    PART2_SENTENCE.replace("Kestrel", "Kes<b></b>trel").replace("points", "po<span></span>ints"),  # inline tags
    PART2_SENTENCE.replace("o", "\u043e").replace("a", "\u0430"),  # Cyrillic look-alikes
    PART2_SENTENCE.replace("Kestrel", "Kes&shy;trel").replace("overall", "over<wbr>all"),  # entities, wbr
])
def test_route8_split_text_in_a_public_record_fails(project, written):
    decisions(project)
    project.add_record("DMPCD 2016 040", "2016-02-03", f"Quoted:\n\n{written}")
    refused(project, "decisions/2016/dmpcd-2016-040/index.html")


@pytest.mark.parametrize(("rel", "text"), [
    ("assets/extra.css", '.note::before { content: "The evaluation panel scored \\4B estrel Holdings highest at '
                         'ninety one points overall."; }'),
    ("assets/extra.js", "var note = 'The evaluation panel scored \\u004Bestrel \\x48oldings highest at ninety one "
                        "points overall.';"),
])
def test_route8_css_and_javascript_escapes_in_a_published_file_fail(project, rel, text):
    decisions(project).write(rel, text)
    refused(project, rel)


# ----------------------------------------------------------------------------- wrongly refused before: these build


def test_a_part2_form_restating_its_own_part1_builds(project):
    recommendation = "The Deputy Mayor is asked to approve the community garden grant of fifty thousand pounds."
    project.add_record("DMPCD 2016 010", "2016-01-11", f"## Recommendation\n\n{recommendation}",
                       part2="true", part2_reason="The Part 2 form contains the bidders' prices, which are sensitive.")
    project.write("decisions/2016/dmpcd-2016-010.part2.md",
                  f"---\nreference: DMPCD 2016 010\n---\n\n# Part 2\n\n{recommendation}\n\nThe Part 2 form contains "
                  "the bidders' prices, which are sensitive.\n\nThe preferred bidder quoted £48,250 in confidence.\n")
    project.build(AS_OF)
    page = (project.site / "decisions/2016/dmpcd-2016-010/index.html").read_text(encoding="utf-8")
    assert recommendation in page
    assert project.files_containing("£48,250") == [], "its own wording is excused, nothing else"


def test_a_deferred_record_holding_the_sites_stock_sentences_builds(project):
    project.configure(extra="site_description: Decisions of the police and crime commissioner, published in full.\n")
    project.add_record("DMPCD 2016 010", "2016-01-11", "A public decision.", part2="true", part2_reason="Prices.")
    project.write("decisions/2016/dmpcd-2016-010.part2.md", "---\nreference: DMPCD 2016 010\n---\n\nPrices.\n")
    project.add_record("DMPCD 2016 011", "2016-01-12", "Another public decision.")
    project.add_record(
        "DMPCD 2016 020", "2016-02-01",
        "There is a Part 2 form for this decision. There is no Part 2 form for this decision.\n\n"
        "Decisions of the police and crime commissioner, published in full.\n\n"
        f"{DEFERRED_PARAGRAPH}", deferred="true", deferred_reason="Operational security.")
    project.build(AS_OF)
    assert project.files_containing("covert phase") == []
