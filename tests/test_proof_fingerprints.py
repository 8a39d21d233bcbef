"""Fingerprints of every withheld source: every format, tables by row and lists by item,
near copies found by their text, and wording left out only when it is stock or the
decision's own public Part 1."""

from __future__ import annotations

from pathlib import Path

import pytest

import proof_files as make
from foia.proof import boilerplate
from foia.proof.fingerprints import Fingerprint, WithheldSource, collect, text_needles
from foia.proof.normalise import normalise
from foia.proof.scan import Scanner

TEMPLATES = Path(__file__).resolve().parents[1] / "plugins" / "foia" / "templates"
PART2 = "decisions/2016/dmpcd-2016-002.part2"
PRICES = [["Bidder", "Price"], ["Axon Enterprise", "£1,234,567"], ["Capita Secure", "£1,456,000"],
          ["Serco Health", "£2,010,500"]]
SENTENCE = "The evaluation panel scored Kestrel Holdings highest at ninety one points overall."


def found_in(fingerprints: list[Fingerprint], html: str) -> list[str]:
    """The leaks a scan of one page holding html finds."""
    page = f"<!doctype html><html><head><meta charset='utf-8'><title>x</title></head><body>{html}</body></html>"
    return [leak.what for leak in Scanner(fingerprints).scan_file("x/index.html", page.encode())]


def part2(ext: str, data: bytes, *, stock_wording=(), **kwargs) -> list[Fingerprint]:
    return collect([WithheldSource(f"{PART2}.{ext}", "part2", data, **kwargs)], stock_wording=stock_wording)


def markdown_table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    return "\n".join([*lines, *("| " + " | ".join(r) + " |" for r in rows[1:])])


def html_table(rows: list[list[str]]) -> str:
    return "<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows) + "</table>"


# ----------------------------------------------------------------------------- every format


SOURCES = {
    "md": lambda: f"---\nreference: DMPCD 2016 002\n---\n\n{SENTENCE}\n\n{markdown_table(PRICES)}\n".encode(),
    "txt": lambda: (SENTENCE.replace(" Holdings ", "\nHoldings ") + "\n\n" + "\n".join(" ".join(r) for r in PRICES)).encode(),
    "csv": lambda: ("text\n" + f'"{SENTENCE}"\n' + "".join(",".join(f'"{c}"' for c in r) + "\n" for r in PRICES)).encode(),
    "pdf": lambda: make.pdf(SENTENCE, lines=["    ".join(r) for r in PRICES]),
    "docx": lambda: make.docx([SENTENCE], table=PRICES),
    "xlsx": lambda: make.xlsx([[SENTENCE], *PRICES]),
    "pptx": lambda: make.pptx(SENTENCE, table=PRICES),
    "odt": lambda: make.odt([SENTENCE], table=PRICES),
}


@pytest.mark.parametrize("ext", sorted(SOURCES))
def test_every_withheld_format_gives_text_fingerprints(ext):
    fingerprints = part2(ext, SOURCES[ext]())
    assert any(f.kind == "part2" for f in fingerprints), [f.label for f in fingerprints]
    assert found_in(fingerprints, f"<p>Pasted: {SENTENCE}</p>"), "a pasted sentence is found"
    assert found_in(fingerprints, html_table(PRICES[1:])), "a pasted copy of the price table is found"
    assert not found_in(fingerprints, "<p>The evaluation panel met on Tuesday. Axon Enterprise bid.</p>")


@pytest.mark.parametrize(("ext", "copy"), [
    ("pdf", lambda: make.docx([SENTENCE], table=PRICES)),  # converted to Word
    ("pdf", lambda: make.pdf(SENTENCE, title="Re-saved", lines=["    ".join(r) for r in PRICES])),  # re-saved
    ("docx", lambda: make.pdf(SENTENCE.replace("ninety one", "ninety-one"))),  # converted and edited
    ("xlsx", lambda: make.odt([" ".join(r) for r in PRICES])),  # exported to OpenDocument
])
def test_a_near_copy_of_a_withheld_document_is_found_by_its_text_not_its_bytes(tmp_path, ext, copy):
    fingerprints = part2(ext, SOURCES[ext]())
    data = copy()
    site = tmp_path / "site"
    site.mkdir()
    (site / "copy.bin").write_bytes(data)  # known by its bytes, whatever its name
    leaks = Scanner(fingerprints).scan_site(site, workers=1)
    assert leaks and all("contains the part2" in leak.what for leak in leaks)


def test_a_withheld_pdf_that_cannot_be_read_keeps_its_name_and_hash_only():
    """Its text cannot be fingerprinted (encrypted): a copy is still found by its bytes
    (plan.withheld_hashes) and its name; no false needles from its raw bytes."""
    fingerprints = part2("pdf", make.pdf(SENTENCE, user_password="secret"))
    assert [f.kind for f in fingerprints] == ["filename"]


# ----------------------------------------------------------------------------- tables, lists, short pieces


@pytest.mark.parametrize("pasted", [
    html_table(PRICES),
    html_table(PRICES[1:3]),  # two rows of it
    "<ul>" + "".join(f"<li>{a}: {b}</li>" for a, b in PRICES[1:]) + "</ul>",
    "<p>" + "<br>".join(f"{a} {b}" for a, b in PRICES[1:]) + "</p>",
    "<pre>" + markdown_table(PRICES) + "</pre>",  # the Markdown source pasted in a code block
])
def test_a_pasted_price_table_of_short_cells_is_found(pasted):
    fingerprints = part2("md", f"---\nreference: DMPCD 2016 002\n---\n\n{markdown_table(PRICES)}\n".encode())
    assert all(len(normalise(c).split()) < 6 for row in PRICES for c in row), "every cell is short"
    assert found_in(fingerprints, pasted)


def test_a_pasted_bullet_list_of_short_items_is_found():
    items = ["Kestrel covert tasking", "Marlin informant payments", "Juniper vetting review", "Halyard premises"]
    fingerprints = part2("md", ("---\nreference: X\n---\n\n" + "\n".join(f"- {i}" for i in items)).encode())
    assert found_in(fingerprints, "<ol>" + "".join(f"<li>{i}</li>" for i in items[1:]) + "</ol>")
    assert not found_in(fingerprints, "<ol>" + "".join(f"<li>{i}</li>" for i in items[1:3]) + "</ol>"), \
        "fewer than eight words of it: too little to prove a paste"


@pytest.mark.parametrize("cells", [
    [["2019/20", "2020/21"], ["2021/22", "2022/23"]],  # only numbers
    [["Yes", "No"], ["No", "Yes"], ["Yes", "Yes"]],  # common words
    [["Total"], ["£100"]],  # too few words
])
def test_tables_of_numbers_or_common_words_give_no_needle(cells):
    assert text_needles(["\x1f".join(" ".join(r) for r in cells)]) == []


def test_consecutive_headings_are_no_needle():
    """Short blocks join only inside a table or list: the same headings follow each other on
    many decisions."""
    body = "### 10. Issues for consideration\n\n### 11. Financial comments\n\nNone.\n"
    assert part2("md", f"---\nreference: X\n---\n\n{body}".encode()) == [
        Fingerprint("filename", f"{PART2}.md", "dmpcd-2016-002.part2.md", "dmpcd-2016-002.part2.md")]


def test_short_sentences_of_one_paragraph_join():
    fingerprints = part2("md", b"---\nreference: X\n---\n\nBidder: Axon Enterprise. Price: 1,234,567. Score: 91.\n")
    assert found_in(fingerprints, "<p>Bidder: Axon Enterprise. Price: 1,234,567. Score: 91.</p>")


# ----------------------------------------------------------------------------- what drops, and only that


def test_wording_is_left_out_only_when_a_stock_piece_holds_all_of_it():
    stock = ["There is a Part 2 form for this decision. It holds information that is exempt from publication."]
    text = ("There is a Part 2 form for this decision. As agreed there is a Part 2 form for this decision "
            "covering the Kestrel prices.")
    fingerprints = collect([WithheldSource("decisions/2016/x.md", "invalid", text.encode())], stock_wording=stock)
    labels = [f.label for f in fingerprints if f.kind == "text"]
    assert "there is a part 2 form for this decision" not in labels, "stock wording is no needle"
    assert any("kestrel" in label for label in labels), "the withheld wording around it stays"
    # ... and the needles that stay are not found where only the stock sentence is printed.
    assert not found_in(fingerprints, f"<p>{stock[0]}</p>")


def test_a_short_stock_piece_swallows_no_withheld_text():
    """A template piece shorter than a needle can contain none: 'Reason:' or 'Approved' never
    make a withheld sentence stock."""
    stock = ["Reason:", "Approved", "Part 2", "Decision maker"]
    fingerprints = part2("md", f"---\nreference: X\n---\n\nReason: {SENTENCE}\n".encode(), stock_wording=stock)
    assert found_in(fingerprints, f"<p>{SENTENCE}</p>")


def test_a_part2_form_restating_its_own_part1_is_not_a_leak_of_that_wording():
    own = "The Deputy Mayor is asked to approve the Kestrel contract award for the next three years."
    body = f"{own}\n\nThe preferred bidder's day rate of £1,400 is commercially sensitive until signature.\n"
    fingerprints = part2("md", f"---\nreference: X\n---\n\n{body}".encode(), own_public_text=f"Summary.\n{own}")
    assert not found_in(fingerprints, f"<p>{own}</p>"), "its own Part 1 is public"
    assert found_in(fingerprints, "<p>The preferred bidder's day rate of £1,400 is commercially sensitive.</p>")


def test_wording_another_source_excuses_stays_for_the_source_it_does_not():
    """A needle two sources share drops only if each of them is excused: another decision's
    public Part 1 never excuses a withheld record's wording."""
    shared = "The scheme extends the pilot of knife crime prevention work in three boroughs."
    fingerprints = collect([
        WithheldSource(f"{PART2}.md", "part2", f"---\nreference: X\n---\n\n{shared}\n".encode(), own_public_text=shared),
        WithheldSource("decisions/2016/dmpcd-2016-009.md", "invalid", shared.encode()),
    ])
    assert {f.source for f in fingerprints if f.kind == "text"} == {"decisions/2016/dmpcd-2016-009.md"}


def test_references_and_file_names_never_drop():
    fingerprints = collect([WithheldSource("decisions/2016/dmpcd-2016-002.md", "invalid",
                                           b"---\nreference: DMPCD 2016 002\ntitle: Kestrel\n---\nBody.\n"),
                            WithheldSource(f"{PART2}.pdf", "part2", b"x")],
                           stock_wording=["DMPCD 2016 002", "dmpcd-2016-002.part2.pdf"])
    assert {f.kind for f in fingerprints} == {"reference", "filename"}


def test_an_invalid_records_every_text_value_is_fingerprinted_but_the_facts_every_page_shows():
    text = ("---\nreference: DMPCD 2016 007\ntitle: Kestrel tasking for the covert cell team\n"
            "decision_maker: Deputy Mayor for Policing and Crime\nnotes: The informant payments under Kestrel are "
            "logged separately.\napproved: not a date\n---\n\nBody text about the Marlin vetting review here.\n")
    fingerprints = collect([WithheldSource("decisions/2016/dmpcd-2016-007.md", "invalid", text.encode())])
    labels = " | ".join(f.label for f in fingerprints)
    assert "informant payments under kestrel" in labels and "marlin vetting review" in labels
    assert "kestrel tasking for the covert cell team" in labels.lower()
    assert not found_in(fingerprints, "<p>Deputy Mayor for Policing and Crime</p>")


# ----------------------------------------------------------------------------- template wording


def test_template_wording_reads_templates_as_a_browser_shows_them():
    pieces = boilerplate.template_wording([TEMPLATES])
    assert any(p.startswith("There is a Part 2 form for this decision. It holds information") for p in pieces)
    assert "There is no Part 2 form for this decision." in pieces
    assert all("{" not in p and "%}" not in p for p in pieces), "template tags are never wording"


def test_template_wording_splits_at_template_tags_and_joins_inline_markup(tmp_path):
    (tmp_path / "t.html").write_text(
        "<p>There is a <a href='{{ url }}'>Part 2 form</a> for this decision.</p>"
        "<p>Decided by {{ maker }} on {{ date }} after review.</p>{# a comment #}", encoding="utf-8")
    pieces = boilerplate.template_wording([tmp_path])
    assert "There is a Part 2 form for this decision." in pieces
    assert "Decided by" in pieces and "after review." in pieces
    assert not any("Decided by on" in p or "by on" in p for p in pieces)
