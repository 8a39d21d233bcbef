"""foia import of signed form PDFs: real PDFs made from the seed forms in several layouts,
each imported and compared field by field with the text import of the same seed; scans,
encrypted and damaged PDFs refused; Part 2 forms stored, never linked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pdf_forms import LAYOUTS, encrypted_pdf, form_pdf, scanned_pdf

from conftest import SEEDS
from foia.commands import cli
from foia.commands.importer import import_form, signed_form_link
from foia.commands.importer.pdf import pdf_form_text
from foia.rules.content import load_content

SEED_NAMES = sorted(p.name for p in SEEDS.glob("*.txt"))
FIELDS = ("reference", "title", "approved", "decision_maker", "summary", "deferred", "deferred_reason",
          "deferred_until", "part2", "part2_reason", "tags")
# Page furniture of the layouts (running headers and footers), never record text.
FURNITURE = ["Page 1 of", "Page 2 of", "DMPCD v5", "MOPAC Form v5.1", "OFFICIAL", "Public access to information",
             "Is the publication of this form", "Tick to confirm", "OFFICER APPROVAL", "Signature"]

_cache: dict[tuple[str, str], bytes] = {}


def pdf_of(seed: str, layout: str) -> bytes:
    if (seed, layout) not in _cache:
        _cache[seed, layout] = form_pdf(SEEDS / seed, layout)
    return _cache[seed, layout]


def write_pdf(tmp_path: Path, seed: str, layout: str, name: str | None = None) -> Path:
    path = tmp_path / (name or f"{Path(seed).stem}-{layout}.pdf")
    path.write_bytes(pdf_of(seed, layout))
    return path


def run_import(docs: Path, *args: str) -> int:
    return cli.main(["import", "--content", str(docs), *args])


# ----------------------------------------------------------------------------- same as the text


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("seed", SEED_NAMES)
def test_pdf_import_reads_every_field_as_the_text_import_does(tmp_path, seed, layout):
    text, problems = import_form(SEEDS / seed)
    assert problems == []
    pdf, problems = import_form(write_pdf(tmp_path, seed, layout))
    assert problems == [], [str(p) for p in problems]
    for name in FIELDS:
        assert getattr(pdf.record, name) == getattr(text.record, name), name
    link = signed_form_link(text.record.reference)
    assert pdf.record.body.endswith("\n\n" + link + "\n")
    # Headings, paragraphs, numbered paragraphs and tables (wrapped cells joined, rows split
    # over pages joined, repeated header rows dropped): the same Markdown as the text import.
    assert pdf.record.body.removesuffix(link + "\n").rstrip("\n") + "\n" == text.record.body
    assert pdf.rel_path == text.rel_path


@pytest.mark.parametrize("layout", LAYOUTS)
def test_page_furniture_never_reaches_the_record(tmp_path, layout):
    seed = "DMPCD-2015-148.txt"
    pdf = write_pdf(tmp_path, seed, layout)
    text = pdf_form_text(pdf)
    assert not re.search(r"(?m)^(Page \d+ of \d+|\d+/\d+|\d+)$", text), "page numbers are dropped before parsing"
    assert text.count("REQUEST FOR DMPC DECISION") == 1, "the running header is dropped, the form's own line kept"
    imported, problems = import_form(pdf)
    assert problems == []
    body = imported.record.body
    for words in FURNITURE:
        assert words.casefold() not in body.casefold(), words
    assert len(imported.source) == len(pdf.read_bytes())


def test_the_layouts_differ_as_real_forms_do(tmp_path):
    """The test PDFs are not one layout: page sizes, fonts, page counts and table rules differ."""
    import pypdfium2 as pdfium

    sizes, fonts, pages = set(), set(), set()
    for layout in LAYOUTS:
        pdf = pdfium.PdfDocument(pdf_of("DMPCD-2015-148.txt", layout))
        sizes.add(tuple(round(v) for v in pdf[0].get_size()))
        pages.add(len(pdf))
        fonts.add(pdf_of("DMPCD-2015-148.txt", layout).count(b"/FontFile2") > 0)
        pdf.close()
    assert len(sizes) == 3 and len(pages) >= 2 and min(pages) >= 2 and fonts == {True, False}


# ----------------------------------------------------------------------------- the command


def test_several_pdfs_and_text_forms_at_once(tmp_path, capsys):
    docs = tmp_path / "content"
    forms = [write_pdf(tmp_path, "DMPCD-2015-148.txt", "ruled"), write_pdf(tmp_path, "DMPCD-2016-031.txt", "plain"),
             SEEDS / "DMPCD-2017-088.txt"]
    assert run_import(docs, *map(str, forms)) == 0
    out = capsys.readouterr().out
    assert out.count("Imported ") == 3 and out.count("Signed form copied") == 2
    content = load_content(docs)
    assert content.errors == []
    assert sorted(r.path for r in content.records) == [
        "decisions/2015/dmpcd-2015-148.md", "decisions/2016/dmpcd-2016-031.md", "decisions/2017/dmpcd-2017-088.md"]
    for reference, form in (("dmpcd-2015-148", forms[0]), ("dmpcd-2016-031", forms[1])):
        year = reference.split("-")[1]
        copy = docs / f"decisions/{year}/{reference}.signed-form.pdf"
        assert copy.read_bytes() == form.read_bytes(), "the signed form travels with its record, as signed"
        body = (docs / f"decisions/{year}/{reference}.md").read_text(encoding="utf-8")
        assert body.rstrip().endswith(f"[Signed decision form]({reference}.signed-form.pdf)")
    assert not list((docs / "decisions/2017").glob("*.pdf")), "a text form has no signed PDF to copy"
    assert {a.path for a in content.attachments} == {"decisions/2015/dmpcd-2015-148.signed-form.pdf",
                                                     "decisions/2016/dmpcd-2016-031.signed-form.pdf"}


def test_a_scanned_pdf_is_refused_and_nothing_is_written(tmp_path, capsys):
    docs = tmp_path / "content"
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(scanned_pdf(SEEDS / "DMPCD-2016-031.txt"))
    good = write_pdf(tmp_path, "DMPCD-2017-088.txt", "ruled")
    assert run_import(docs, str(good), str(scan)) == 1
    err = capsys.readouterr().err
    assert "scan.pdf" in err and "no text layer" in err and "ocrmypdf scan.pdf scan-ocr.pdf" in err
    assert "nothing was written" in err
    assert not docs.exists()


def test_a_pdf_with_one_scanned_page_is_refused(tmp_path):
    from pypdfium2 import PdfDocument

    text_pdf = PdfDocument(pdf_of("DMPCD-2017-088.txt", "ruled"))
    text_pdf.import_pages(PdfDocument(scanned_pdf(SEEDS / "DMPCD-2017-088.txt")), [0])
    path = tmp_path / "mixed.pdf"
    text_pdf.save(str(path))
    imported, problems = import_form(path)
    assert imported is None
    assert "page 3 has no text layer" in str(problems[0]) and "ocrmypdf" in str(problems[0])


@pytest.mark.parametrize("user_password", ["secret", ""])
def test_an_encrypted_pdf_is_refused_naming_the_file(tmp_path, capsys, user_password):
    docs = tmp_path / "content"
    locked = tmp_path / "locked-form.pdf"
    locked.write_bytes(encrypted_pdf(SEEDS / "DMPCD-2017-088.txt", user_password=user_password))
    assert run_import(docs, str(locked)) == 1
    err = capsys.readouterr().err
    assert "locked-form.pdf" in err and "encrypted" in err and "nothing was written" in err
    assert not docs.exists()


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty"])
def test_a_damaged_pdf_is_refused_naming_the_file(tmp_path, capsys, damage):
    docs = tmp_path / "content"
    data = pdf_of("DMPCD-2017-088.txt", "ruled")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes({"truncated": data[:400], "garbage": b"%PDF-1.4\n" + bytes(range(256)) * 20,
                        "empty": b""}[damage])
    assert run_import(docs, str(broken), str(SEEDS / "DMPCD-2015-148.txt")) == 1
    err = capsys.readouterr().err
    assert "broken.pdf" in err and "nothing was written" in err
    assert "Traceback" not in err
    assert not docs.exists()


# ----------------------------------------------------------------------------- Part 2 forms

PART2_TEXT = """\
# MOPAC MAYOR OF LONDON OFFICE FOR POLICING AND CRIME

# **PART 2 – CONFIDENTIAL FACTS AND ADVICE TO THE DMPC**

# **REQUEST FOR DMPC DECISION – DMPCD 2016 031**

Title: Body Worn Video – award of contract for the second phase of roll-out

The information in this part of the form is exempt from publication under FOIA section 43.

1. Evaluation

1.1. The preferred bidder, Quokka Lenses Ltd, offered a price of £3,112,450 over four years.

1.2. The second bidder offered £3,390,000 and scored lower on quality.
"""


def part2_form(tmp_path: Path, *, pdf: bool, text: str = PART2_TEXT) -> Path:
    source = tmp_path / "part2-source.txt"
    source.write_text(text, encoding="utf-8")
    if not pdf:
        return source
    path = tmp_path / "DMPCD-2016-031-part2.pdf"
    path.write_bytes(form_pdf(source, "ruled", header="CONFIDENTIAL – PART 2"))
    return path


@pytest.mark.parametrize("pdf", [True, False])
def test_a_part2_form_is_stored_beside_its_record_and_never_linked(tmp_path, capsys, pdf):
    docs = tmp_path / "content"
    part1 = write_pdf(tmp_path, "DMPCD-2016-031.txt", "narrow")
    part2 = part2_form(tmp_path, pdf=pdf)
    assert run_import(docs, str(part1), str(part2)) == 0
    out = capsys.readouterr().out
    stored = docs / f"decisions/2016/dmpcd-2016-031.part2.{'pdf' if pdf else 'md'}"
    assert stored.name in out and "never published" in out
    assert stored.exists()
    if pdf:
        assert stored.read_bytes() == part2.read_bytes()
    content = load_content(docs)
    assert content.errors == []
    assert [p.path for p in content.part2_files] == [str(stored.relative_to(docs))]
    assert not pdf or content.part2_files[0].reference is None
    assert pdf or content.part2_files[0].reference == "DMPCD 2016 031"
    record = content.records[0]
    assert "part2" not in record.body and "Quokka" not in record.body
    assert record.body.rstrip().endswith("[Signed decision form](dmpcd-2016-031.signed-form.pdf)")


def test_a_part2_form_for_an_existing_record_is_stored_alone(tmp_path):
    docs = tmp_path / "content"
    assert run_import(docs, str(SEEDS / "DMPCD-2016-031.txt")) == 0
    assert run_import(docs, str(part2_form(tmp_path, pdf=True))) == 0
    assert (docs / "decisions/2016/dmpcd-2016-031.part2.pdf").exists()
    assert load_content(docs).errors == []


def test_a_part2_form_without_its_record_or_for_a_record_without_part2_is_refused(tmp_path, capsys):
    docs = tmp_path / "content"
    assert run_import(docs, str(part2_form(tmp_path, pdf=True))) == 1
    assert "no record has that reference" in capsys.readouterr().err
    assert not docs.exists()
    text = PART2_TEXT.replace("DMPCD 2016 031", "DMPCD 2017 088")
    assert run_import(docs, str(SEEDS / "DMPCD-2017-088.txt"), str(part2_form(tmp_path, pdf=False, text=text))) == 1
    assert "says there is no Part 2 form" in capsys.readouterr().err
    assert not docs.exists()


@pytest.mark.parametrize("heading", ["PART II – CONFIDENTIAL", "Confidential: Part 2 form", "PART TWO"])
def test_part2_forms_are_recognised_by_any_heading_that_says_so(tmp_path, heading):
    form = part2_form(tmp_path, pdf=False, text=PART2_TEXT.replace("PART 2 – CONFIDENTIAL FACTS AND ADVICE TO THE DMPC",
                                                                    heading))
    imported, problems = import_form(form)
    assert problems == [] and imported.part == 2 and imported.reference == "DMPCD 2016 031"


def test_a_signed_pdf_is_published_only_while_its_record_is(project):
    """The deferred decision's signed form is withheld with it, and its Part 2 PDF never published."""
    form = project.root / "form.pdf"
    form.write_bytes(pdf_of("DMPCD-2016-031.txt", "ruled"))
    part2 = part2_form(project.root, pdf=True)
    assert run_import(project.content, str(form), str(part2)) == 0
    project.build("2016-02-10")
    assert not list(project.site.rglob("*.pdf"))
    project.build("2016-03-01")
    assert [p.relative_to(project.site).as_posix() for p in project.site.rglob("*.pdf")] == [
        "decisions/2016/dmpcd-2016-031.signed-form.pdf"]
    page = (project.site / "decisions/2016/dmpcd-2016-031/index.html").read_text(encoding="utf-8")
    assert "dmpcd-2016-031.signed-form.pdf" in page and "Signed decision form" in page
    assert "dmpcd-2016-031.part2" not in page
    assert project.files_containing("Quokka") == [] and project.files_containing("3,112,450") == []


@pytest.mark.parametrize("seed", SEED_NAMES)
def test_words_placed_one_by_one_without_spaces(tmp_path, seed):
    from pdf_forms import words_pdf

    path = tmp_path / "words.pdf"
    path.write_bytes(words_pdf(SEEDS / seed))
    assert b" " not in b"".join(re.findall(rb"\((.*?)\) Tj", path.read_bytes())), "no space characters are drawn"
    text, _ = import_form(SEEDS / seed)
    pdf, problems = import_form(path)
    assert problems == [], [str(p) for p in problems]
    for name in FIELDS:
        assert getattr(pdf.record, name) == getattr(text.record, name), name
    if seed != "DMPCD-2015-148.txt":  # that one's raw rows are drawn as they come, artefacts and all
        link = signed_form_link(text.record.reference)
        assert pdf.record.body.removesuffix(link + "\n").rstrip("\n") + "\n" == text.record.body


@pytest.mark.parametrize("seed", ["DMPCD-2015-148.txt", "DMPCD-2017-088.txt"])
def test_answers_typed_into_form_fields_are_read(tmp_path, seed):
    from pdf_forms import words_pdf

    path = tmp_path / "filled.pdf"
    path.write_bytes(words_pdf(SEEDS / seed, form_fields=True))
    assert b"/AcroForm" in path.read_bytes()
    text, _ = import_form(SEEDS / seed)
    pdf, problems = import_form(path)
    assert problems == [], [str(p) for p in problems]
    for name in FIELDS:
        assert getattr(pdf.record, name) == getattr(text.record, name), name
    assert pdf.source == path.read_bytes(), "the signed form is copied as it is"


def test_a_pdf_carrying_an_embedded_file_is_refused(tmp_path, capsys):
    from pdf_forms import words_pdf

    docs = tmp_path / "content"
    path = tmp_path / "with-attachment.pdf"
    path.write_bytes(words_pdf(SEEDS / "DMPCD-2017-088.txt", attachment=b"Bidder prices: 3,112,450"))
    assert run_import(docs, str(path)) == 1
    err = capsys.readouterr().err
    assert "with-attachment.pdf" in err and "embedded file" in err
    assert not docs.exists()


def test_a_text_form_keeps_the_link_to_the_signed_pdf_already_beside_its_record(tmp_path):
    docs = tmp_path / "content"
    assert run_import(docs, str(write_pdf(tmp_path, "DMPCD-2017-088.txt", "ruled"))) == 0
    assert run_import(docs, str(SEEDS / "DMPCD-2017-088.txt"), "--force") == 0
    body = (docs / "decisions/2017/dmpcd-2017-088.md").read_text(encoding="utf-8")
    assert body.rstrip().endswith("[Signed decision form](dmpcd-2017-088.signed-form.pdf)")
