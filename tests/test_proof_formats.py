"""The scan reads every output as a reader would: withheld text is found in every format
and every part of a file a reader (or a program) can get at, on folders the scan did not
build. A document it cannot read fails the scan, naming the file."""

from __future__ import annotations

import json

import pytest

import proof_files as make
from foia.proof import extract
from foia.proof.fingerprints import Fingerprint, sentences
from foia.proof.scan import Scanner

SECRET = "The evaluation panel scored Kestrel Holdings highest at ninety one points overall."
SOURCE = "decisions/2016/dmpcd-2016-002.part2.md"


def scanner() -> Scanner:
    return Scanner([Fingerprint("part2", SOURCE, n, n) for n in sentences(SECRET)])


def scan_one(tmp_path, rel: str, data: bytes) -> list:
    site = tmp_path / "site"
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return scanner().scan_site(site, workers=1)


def page(body: str, head: str = "") -> bytes:
    return f"<!doctype html><html><head><meta charset='utf-8'><title>x</title>{head}</head><body>{body}</body></html>".encode()


# Each case: a file of the site (name, bytes) with the secret in one channel of its format.
CASES = {
    # PDF: text layer (compressed and not), every metadata field, annotations, attached and
    # embedded files (read by their own format), XMP.
    "pdf text": ("annex.pdf", lambda: make.pdf(SECRET)),
    "pdf text uncompressed": ("annex.pdf", lambda: make.pdf(SECRET, compress=False)),
    "pdf text over lines": ("annex.pdf", lambda: make.pdf(lines=["The evaluation panel scored Kestrel",
                                                                  "Holdings highest at ninety one points overall."])),
    "pdf title": ("annex.pdf", lambda: make.pdf("Annex", title=SECRET)),
    "pdf author": ("annex.pdf", lambda: make.pdf("Annex", author=SECRET)),
    "pdf subject": ("annex.pdf", lambda: make.pdf("Annex", subject=SECRET)),
    "pdf keywords": ("annex.pdf", lambda: make.pdf("Annex", keywords=SECRET)),
    "pdf creator": ("annex.pdf", lambda: make.pdf("Annex", creator=SECRET)),
    "pdf annotation": ("annex.pdf", lambda: make.pdf("Annex", annotation=SECRET)),
    "pdf embedded text file": ("annex.pdf", lambda: make.pdf("Annex", attachment=("note.txt", SECRET.encode()))),
    "pdf embedded docx": ("annex.pdf", lambda: make.pdf("Annex", attachment=("form.docx", make.docx([SECRET])))),
    "pdf embedded pdf": ("annex.pdf", lambda: make.pdf("Annex", attachment=("inner.pdf", make.pdf(SECRET)))),
    "pdf attached file": ("annex.pdf", lambda: make.pdf("Annex", attached_note=("note.txt", SECRET.encode()))),
    "pdf xmp": ("annex.pdf", lambda: make.pdf("Annex", xmp=make.xmp_packet(SECRET, wrapped=False))),
    # Office documents: body, runs of one word, tables, lists, headers, footers, comments,
    # document properties; spreadsheets' cells and comments; slides and their notes.
    "docx body": ("annex.docx", lambda: make.docx([SECRET])),
    "docx word split in runs": ("annex.docx", lambda: make.docx(split_runs=SECRET)),
    "docx table": ("annex.docx", lambda: make.docx(table=[["The evaluation panel scored", "Kestrel Holdings"],
                                                         ["highest at ninety one", "points overall."]])),
    "docx header": ("annex.docx", lambda: make.docx(["Annex"], header=SECRET)),
    "docx footer": ("annex.docx", lambda: make.docx(["Annex"], footer=SECRET)),
    "docx comment": ("annex.docx", lambda: make.docx(["Annex"], comment=SECRET)),
    "docx title": ("annex.docx", lambda: make.docx(["Annex"], title=SECRET)),
    "xlsx cell": ("annex.xlsx", lambda: make.xlsx([["Annex"], [SECRET]])),
    "xlsx comment": ("annex.xlsx", lambda: make.xlsx([["Annex"]], comment=SECRET)),
    "xlsx title": ("annex.xlsx", lambda: make.xlsx([["Annex"]], title=SECRET)),
    "pptx slide": ("annex.pptx", lambda: make.pptx(SECRET)),
    "pptx notes": ("annex.pptx", lambda: make.pptx("Annex", notes=SECRET)),
    "odt paragraph": ("annex.odt", lambda: make.odt([SECRET])),
    "odt title": ("annex.odt", lambda: make.odt(["Annex"], title=SECRET)),
    # Archives: every member, nested, gzip members.
    "zip member": ("files.zip", lambda: make.zipped({"note.txt": SECRET.encode()})),
    "zip member html": ("files.zip", lambda: make.zipped({"a/page.html": page(f"<p>{SECRET}</p>")})),
    "zip in zip": ("files.zip", lambda: make.nested_zip(3, make.zipped({"note.txt": SECRET.encode()}))),
    "gzip html": ("page.html.gz", lambda: make.gzipped(page(f"<p>{SECRET}</p>"))),
    "gzip pdf": ("annex.pdf.gz", lambda: make.gzipped(make.pdf(SECRET))),
    # Images: text chunks, compressed or not, EXIF (also UTF-16), XMP, comments, bytes after the end.
    "png tEXt": ("logo.png", lambda: make.png([make.png_text("Description", SECRET)])),
    "png zTXt": ("logo.png", lambda: make.png([make.png_ztxt("Description", SECRET)])),
    "png iTXt compressed": ("logo.png", lambda: make.png([make.png_itxt("Description", SECRET)])),
    "png iTXt plain": ("logo.png", lambda: make.png([make.png_itxt("Description", SECRET, compressed=False)])),
    "png after its end": ("logo.png", lambda: make.png() + SECRET.encode()),
    "jpeg comment": ("photo.jpg", lambda: make.jpeg(comment=SECRET)),
    "jpeg exif description": ("photo.jpg", lambda: make.jpeg(description=SECRET)),
    "jpeg exif utf-16 title": ("photo.jpg", lambda: make.jpeg(xp_title=SECRET)),
    "jpeg xmp": ("photo.jpg", lambda: make.jpeg(xmp=make.xmp_packet(SECRET))),
    "gif comment": ("anim.gif", lambda: make.gif(SECRET)),
    "webp xmp": ("photo.webp", lambda: make.webp(xmp=make.xmp_packet(SECRET))),
    "webp exif": ("photo.webp", lambda: make.webp(description=SECRET)),
    # SVG and XML: text, spans that split a word, attributes, comments, escaped HTML in feeds.
    "svg text": ("figure.svg", lambda: f'<svg xmlns="http://www.w3.org/2000/svg"><text>{SECRET}</text></svg>'.encode()),
    "svg tspan split": ("figure.svg", lambda: (
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>The evaluation panel scored Kest<tspan>rel</tspan> '
        b'Holdings highest at ninety one points overall.</text></svg>')),
    "svg attribute": ("figure.svg", lambda: f'<svg xmlns="http://www.w3.org/2000/svg" aria-label="{SECRET}"/>'.encode()),
    "svg comment": ("figure.svg", lambda: f'<svg xmlns="http://www.w3.org/2000/svg"><!-- {SECRET} --></svg>'.encode()),
    "feed escaped html split": ("feed.xml", lambda: (
        b"<feed><entry><content type='html'>&lt;p&gt;The evaluation panel scored Kest&lt;b&gt;&lt;/b&gt;rel "
        b"Holdings highest at ninety one points overall.&lt;/p&gt;</content></entry></feed>")),
    # CSS and JavaScript escapes, JSON escapes.
    "css hex escape": ("assets/x.css", lambda: (
        b'.x::before { content: "The evaluation panel scored \\4b estrel Holdings highest at ninety one points '
        b'overall." }')),
    "js unicode escape": ("assets/x.js", lambda: (
        b'var s = "The evaluation panel scored \\u004Bestrel Holdings highest at ninety one points overall.";')),
    "js hex and braces escapes": ("assets/x.js", lambda: (
        b'var s = "The evaluation panel scored \\x4Bestrel \\u{48}oldings highest at ninety one points overall.";'
        )),
    "json unicode escape": ("data.json", lambda: json.dumps({"t": SECRET.replace("K", "\u212a")}).encode()),
    "csv": ("decisions.csv", lambda: f'reference,text\nX,"{SECRET}"\n'.encode()),
    "utf-16 text": ("notes.txt", lambda: SECRET.encode("utf-16")),
    "markdown emphasis splits a word": ("notes.md", lambda: (
        b"The evaluation panel scored Kest**rel** Holdings highest at ninety one points overall.")),
    # Formats known by their bytes whatever the name says.
    "pdf named txt": ("annex.txt", lambda: make.pdf(SECRET)),
    "docx named bin": ("annex.bin", lambda: make.docx([SECRET])),
    # HTML as a browser shows it: split words, invisible characters, look-alikes, hidden
    # markup, comments, attributes, scripts and styles.
    "html inline split": ("p/index.html", lambda: page(
        "<p>The evaluation panel scored Kest<b></b>rel Holdings highest at ninety one points overall.</p>")),
    "html comment splits a word": ("p/index.html", lambda: page(
        "<p>The evaluation panel scored Kes<!-- x -->trel Holdings highest at ninety one points overall.</p>")),
    "html custom element splits a word": ("p/index.html", lambda: page(
        "<p>The evaluation panel scored Kes<x-y>tr</x-y>el Holdings highest at ninety one points overall.</p>")),
    "html wbr": ("p/index.html", lambda: page(
        "<p>The evaluation panel scored Kes<wbr>trel Holdings highest at ninety one points overall.</p>")),
    "html soft hyphen entity": ("p/index.html", lambda: page(
        "<p>The evaluation panel scored Kes&shy;trel Holdings highest at ninety one points overall.</p>")),
    "html zero width space": ("p/index.html", lambda: page(
        "<p>The evaluation panel scored Kes\u200btrel Holdings highest at ninety one points overall.</p>")),
    "html cyrillic look-alikes": ("p/index.html", lambda: page(
        "<p>The evaluation p\u0430nel sc\u043ered Kestrel H\u043eldings highest at ninety \u043ene points overall.</p>")),
    "html full width": ("p/index.html", lambda: page(
        "<p>The evaluation panel scored \uff2b\uff45\uff53\uff54\uff52\uff45\uff4c Holdings highest at ninety one "
        "points overall.</p>")),
    "html hidden by style": ("p/index.html", lambda: page(f"<p style='display:none'>{SECRET}</p>")),
    "html hidden attribute": ("p/index.html", lambda: page(f"<p hidden>{SECRET}</p>")),
    "html template": ("p/index.html", lambda: page(f"<template><p>{SECRET}</p></template>")),
    "html noscript": ("p/index.html", lambda: page(f"<noscript>{SECRET}</noscript>")),
    "html comment": ("p/index.html", lambda: page(f"<!-- {SECRET} -->")),
    "html title attribute": ("p/index.html", lambda: page(f"<abbr title='{SECRET}'>x</abbr>")),
    "html data attribute": ("p/index.html", lambda: page(f"<div data-note='{SECRET}'></div>")),
    "html srcdoc split": ("p/index.html", lambda: page(
        "<iframe srcdoc='&lt;p&gt;The evaluation panel scored Kes&lt;b&gt;&lt;/b&gt;trel Holdings highest at "
        "ninety one points overall.&lt;/p&gt;'></iframe>")),
    "html style escape": ("p/index.html", lambda: page(
        "<p class='x'></p>", "<style>.x::before{content:'The evaluation panel scored \\4B estrel Holdings highest at "
        "ninety one points overall.'}</style>")),
    "html script escape": ("p/index.html", lambda: page(
        "<script>document.title='The evaluation panel scored \\u004Bestrel Holdings highest at ninety one points "
        "overall.'</script>")),
    "html without a charset": ("p/index.html", lambda: (
        "<html><body><p>The ev\u0430luation p\u0430nel sc\u043ered Kestrel H\u043eldings highest \u0430t ninety "
        "\u043ene p\u043eints \u043everall.</p></body></html>").encode()),
    "html right-to-left override": ("p/index.html", lambda: page(
        "<p>The evaluation panel scored \u202e" + "Kestrel Holdings highest at"[::-1] + "\u202c ninety one points "
        "overall.</p>")),
    "html percent-escaped link": ("p/index.html", lambda: page(
        "<a href='mailto:x@example.org?body=The%20evaluation%20panel%20scored+Kestrel+Holdings%20highest%20at%20"
        "ninety%20one%20points%20overall.'>mail</a>")),
    "html data url": ("p/index.html", lambda: page(
        "<iframe src='data:text/html;base64," + __import__("base64").b64encode(
            b"<p>The evaluation panel scored Kes<b></b>trel Holdings highest at ninety one points overall.</p>").decode()
        + "'></iframe>")),
    "html nested deeper than the parser goes": ("p/index.html", lambda: (
        b"<html><body>" + b"<div>" * 3000 + SECRET.encode() + b"</div>" * 3000 + b"</body></html>")),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_withheld_text_is_found_in_every_channel_of_every_format(tmp_path, case):
    rel, making = CASES[case]
    leaks = scan_one(tmp_path, rel, making())
    assert any("contains the part2 of" in leak.what for leak in leaks), [str(leak) for leak in leaks]
    assert {leak.file for leak in leaks} == {rel}
    assert not any("cannot be read" in leak.what for leak in leaks)


CLEAN = {
    "pdf": ("annex.pdf", lambda: make.pdf("An annex about public things.", title="Public annex", annotation="OK")),
    "docx": ("annex.docx", lambda: make.docx(["A public paragraph."], table=[["a", "b"]], header="Public")),
    "xlsx": ("annex.xlsx", lambda: make.xlsx([["Item", "Cost"], ["Staffing", 100]])),
    "pptx": ("annex.pptx", lambda: make.pptx("Public slide", notes="Public notes")),
    "odt": ("annex.odt", lambda: make.odt(["A public paragraph."], title="Public")),
    "png": ("logo.png", lambda: make.png([make.png_text("Software", "Our own tool")])),
    "jpeg": ("photo.jpg", lambda: make.jpeg(comment="Public photo", description="A public photograph")),
    "zip": ("files.zip", lambda: make.zipped({"a.txt": b"public", "b.pdf": make.pdf("Public")})),
    "html": ("p/index.html", lambda: page("<p>The evaluation panel met.</p><p>Kestrel Holdings is a bidder.</p>")),
}


@pytest.mark.parametrize("case", sorted(CLEAN))
def test_documents_without_withheld_text_pass(tmp_path, case):
    rel, making = CLEAN[case]
    assert scan_one(tmp_path, rel, making()) == []


def test_words_in_separate_blocks_are_not_joined(tmp_path):
    """Blocks, table cells and line breaks separate words as a browser separates them."""
    leaks = scan_one(tmp_path, "p/index.html", page(
        "<p>The evaluation panel scored Kes</p><p>trel Holdings highest at ninety one points overall.</p>"
        "<table><tr><td>The evaluation panel scored Kes</td><td>trel Holdings highest at ninety one points overall."
        "</td></tr></table>The evaluation panel scored Kes<br>trel Holdings highest at ninety one points overall."))
    assert leaks == []


# ----------------------------------------------------------------------------- what cannot be read fails


@pytest.mark.parametrize(("rel", "making", "why"), [
    ("annex.pdf", lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "cannot be read as a PDF"),
    ("annex.pdf", lambda: make.pdf(SECRET, user_password="open-sesame"), "cannot be read as a PDF"),
    ("annex.pdf", lambda: b"not a pdf at all", "not a valid PDF"),
    ("annex.docx", lambda: make.docx(["x"])[:200], "damaged zip"),
    ("files.zip", lambda: b"PK\x03\x04" + bytes(100), "damaged zip"),
    ("sitemap.xml.gz", lambda: b"\x1f\x8b\x08\x00" + bytes(50), "damaged gzip"),
    ("files.zip", lambda: make.nested_zip(12, b"x"), "levels deep"),
])
def test_a_document_the_scan_cannot_read_fails_naming_the_file(tmp_path, rel, making, why):
    leaks = scan_one(tmp_path, rel, making())
    assert leaks and all(leak.file == rel for leak in leaks)
    assert any(why in leak.what and "is not published" in leak.what for leak in leaks), [str(x) for x in leaks]


def test_an_encrypted_pdf_that_opens_without_a_password_is_read(tmp_path):
    """Owner-password-only encryption (copy protection): every reader opens it, so does the scan."""
    leaks = scan_one(tmp_path, "annex.pdf", make.pdf(SECRET, user_password=""))
    assert any("contains the part2 of" in leak.what for leak in leaks)


def test_a_gzip_bomb_is_refused_not_unpacked(tmp_path):
    leaks = scan_one(tmp_path, "page.html.gz", make.gzip_bomb(300))  # 300 MB of zeros, 300 kB packed
    assert [leak.file for leak in leaks] == ["page.html.gz"]
    assert "gzip bomb" in leaks[0].what


@pytest.mark.parametrize("making", [lambda: make.zip_bomb(8), lambda: make.zipped({f"{i}.txt": b"x" for i in range(40)})])
def test_a_zip_bomb_is_refused_by_size_or_member_count(tmp_path, monkeypatch, making):
    monkeypatch.setattr(extract, "LIMITS", extract.Limits(unpacked_bytes=4 * 1024 * 1024, members=30, depth=3))
    leaks = scan_one(tmp_path, "files.zip", making())
    assert [leak.file for leak in leaks] == ["files.zip"] and "zip or gzip bomb" in leaks[0].what


def test_an_image_or_unknown_binary_that_does_not_parse_is_read_as_bytes(tmp_path):
    """Only documents fail when unreadable: a damaged image is read byte by byte."""
    assert scan_one(tmp_path, "logo.png", b"\x89PNG\r\n\x1a\n" + b"\xff" * 40) == []
    assert scan_one(tmp_path, "font.woff2", bytes(range(256)) * 4) == []
    leaks = scan_one(tmp_path, "font.woff2", b"wOF2" + SECRET.encode() + bytes(range(256)))
    assert any("contains the part2 of" in leak.what for leak in leaks)


def test_a_copy_of_a_withheld_file_inside_an_archive_is_found_by_its_bytes(tmp_path):
    from foia.proof.fingerprints import sha256

    withheld = make.pdf("Part 2 form")
    site = tmp_path / "site"
    site.mkdir()
    (site / "files.zip").write_bytes(make.zipped({"renamed.pdf": withheld}))
    (site / "annex.pdf").write_bytes(make.pdf("Annex", attachment=("x.pdf", withheld)))
    leaks = Scanner([], withheld_hashes={sha256(withheld): SOURCE.replace(".md", ".pdf")}).scan_site(site, workers=1)
    assert {(leak.file, "holds a copy of withheld file" in leak.what) for leak in leaks} == {
        ("files.zip", True), ("annex.pdf", True)}
