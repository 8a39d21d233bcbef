"""A signed form PDF → the form's text, as the text importer reads it.

Why pypdfium2: it binds PDFium, the PDF engine of Chromium, which is maintained with the
browser, reads damaged and unusual files the way readers do, and gives what a layout
needs per character (Unicode text, glyph box, baseline origin, font size, font name and
weight) plus the page's vector objects (table rules) and images; ``layout.py`` turns them
into the form's lines. It ships as one binary wheel with no other dependency. pdfplumber (pdfminer.six) gives the same data in pure
Python but is several times slower and handles broken files less well; pypdf's text
extraction has no layout; PyMuPDF is AGPL.

Answers typed into form fields are read as they print (the fields are flattened in memory).
Refused, with a message that says why and what to do: a file PDFium cannot open
(damaged or not a PDF), an encrypted PDF (even one that opens without a password), a PDF
carrying embedded files (they would be published with it), and a PDF, or a page of one,
whose text is only pictures (a scan without a text layer).
"""

from __future__ import annotations

import ctypes
import re
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from foia.commands.importer.layout import Char, Page, Rules, form_text, visual_lines


class PdfRefused(Exception):
    """The PDF cannot be imported; the message says why and what to do."""


# ----------------------------------------------------------------------------- reading the file


def read_pdf(path: str | Path, data: bytes | None = None) -> list[Page]:
    """Every page's lines and rules; PdfRefused when the file cannot be read as a form."""
    name = Path(path).name
    try:
        pdf = pdfium.PdfDocument(data if data is not None else str(path))
    except pdfium.PdfiumError as e:
        if pdfium_c.FPDF_GetLastError() == pdfium_c.FPDF_ERR_PASSWORD:
            raise PdfRefused(_ENCRYPTED.format(name=name)) from None
        raise PdfRefused(f"cannot be read as a PDF: the file is damaged or is not a PDF ({e}); export or "
                         "save the signed form as PDF again and import the new file") from None
    try:
        if pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw) != -1:
            raise PdfRefused(_ENCRYPTED.format(name=name))
        if len(pdf) == 0:
            raise PdfRefused("has no pages")
        if attached := pdf.count_attachments():
            raise PdfRefused(f"carries {attached} embedded file(s), which would be published with the signed form; "
                             "save a copy without them (e.g. print it to PDF) and import that")
        if pdf.get_formtype() != pdfium_c.FORMTYPE_NONE:
            _flatten_form_fields(pdf)
        pages = [_read_page(pdf, i) for i in range(len(pdf))]
    finally:
        pdf.close()
    _check_text_layer(pages, name)
    return pages


_ENCRYPTED = ("is encrypted (password-protected or restricted), so its text cannot be checked or published; "
              "save an unprotected copy (e.g. `qpdf --decrypt {name} unlocked.pdf`, or print it to PDF) and import that")


def _check_text_layer(pages: list[Page], name: str) -> None:
    stem = re.sub(r"\.pdf$", "", name, flags=re.I)
    how = (f"add a text layer with OCR, e.g. `ocrmypdf {name} {stem}-ocr.pdf`, check the text it reads, "
           f"then import {stem}-ocr.pdf")
    total = sum(p.chars for p in pages)
    if total == 0:
        raise PdfRefused(f"has no text layer: its pages are pictures (a scan); {how}")
    scanned = [p.number for p in pages if p.images and p.chars < 40]
    if scanned:
        listed = ", ".join(str(n) for n in scanned)
        raise PdfRefused(f"page{'s' if len(scanned) > 1 else ''} {listed} {'have' if len(scanned) > 1 else 'has'} "
                         f"no text layer (scanned pages); {how}")
    if sum(p.unmapped for p in pages) > 0.05 * total:
        raise PdfRefused(f"its text cannot be read: its fonts do not say which letters they draw; {how} "
                         "(with --force-ocr)")


def _flatten_form_fields(pdf: pdfium.PdfDocument) -> None:
    """Answers typed into the form's fields become page text, as they look on paper
    (in this in-memory copy only; the file is copied as it is)."""
    pdf.init_forms()
    for i in range(len(pdf)):
        page = pdf[i]
        try:
            page.flatten()
        finally:
            page.close()


def _read_page(pdf: pdfium.PdfDocument, index: int) -> Page:
    page = pdf[index]
    try:
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            chars, fragments, unmapped = _chars(textpage)
        finally:
            textpage.close()
        rules, images = _rules_and_images(page)
    finally:
        page.close()
    lines = visual_lines(fragments, rules, index + 1)
    return Page(index + 1, width, height, lines, rules, images, chars, unmapped)


# Bold by name: Helvetica-Bold, Arial-BoldMT, Calibri,Bold, VeraBd, Foo-Black, Bar-Semibold...
_BOLD_FONT = re.compile(r"bold|black|heavy|demi|bd(?:$|[^a-z])|[-,]b$")


def _chars(textpage: pdfium.PdfTextPage) -> tuple[int, list[list[Char]], int]:
    """(count of visible characters, PDFium's fragments of characters, count without Unicode)."""
    raw = textpage.raw
    fragments: list[list[Char]] = [[]]
    visible = unmapped = 0
    space = False
    ox, oy = ctypes.c_double(), ctypes.c_double()
    name, flags = ctypes.create_string_buffer(256), ctypes.c_int()
    for i in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        if code in (0x0D, 0x0A):
            if fragments[-1]:
                fragments.append([])
            space = False
            continue
        if code in (0x02, 0xFFFE):
            code = 0x2D  # a hyphen at the end of a line: it is printed, so it is read
        ch = chr(code) if code else "\ufffd"
        if ch.isspace():
            space = True
            continue
        if code in (0, 0xFFFD):
            unmapped += 1
        left, bottom, right, top = textpage.get_charbox(i)
        pdfium_c.FPDFText_GetCharOrigin(raw, i, ctypes.byref(ox), ctypes.byref(oy))
        size = pdfium_c.FPDFText_GetFontSize(raw, i) or (top - bottom) or 10.0
        if fragments[-1] and abs(fragments[-1][-1].y - oy.value) > 0.6 * max(size, fragments[-1][-1].size):
            fragments.append([])  # PDFium ran two lines together: a new baseline is a new fragment
        weight = pdfium_c.FPDFText_GetFontWeight(raw, i)
        pdfium_c.FPDFText_GetFontInfo(raw, i, name, len(name), ctypes.byref(flags))
        font = name.value.decode("latin-1", "replace").lower()
        bold = weight >= 600 or bool(_BOLD_FONT.search(font)) or bool(flags.value & (1 << 18))
        fragments[-1].append(Char(ch, left, right, bottom, top, oy.value, size, bold, space))
        visible += 1
        space = False
    return visible, [f for f in fragments if f], unmapped


def _rules_and_images(page: pdfium.PdfPage) -> tuple[Rules, int]:
    rules = Rules()
    images = 0
    for obj in page.get_objects(max_depth=4):
        kind = pdfium_c.FPDFPageObj_GetType(obj.raw)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images += 1
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            _add_rules(obj, rules)
    return rules, images


def _add_rules(obj: pdfium.PdfObject, rules: Rules) -> None:
    """Table rules: thin paths (lines, thin filled boxes), and the edges of stroked rectangles."""
    try:
        left, bottom, right, top = obj.get_bounds()
    except pdfium.PdfiumError:
        return
    w, h = right - left, top - bottom
    if w <= 2.5 and h > 4:
        rules.vertical.append(((left + right) / 2, bottom, top))
    elif h <= 2.5 and w > 4:
        rules.horizontal.append(((bottom + top) / 2, left, right))
    elif w > 4 and h > 4 and _is_stroked_rectangle(obj):
        rules.vertical += [(left, bottom, top), (right, bottom, top)]
        rules.horizontal += [(bottom, left, right), (top, left, right)]


def _is_stroked_rectangle(obj: pdfium.PdfObject) -> bool:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroke)) or not stroke.value:
        return False
    count = pdfium_c.FPDFPath_CountSegments(obj.raw)
    if not 4 <= count <= 6:
        return False
    points = set()
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(count):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj.raw, i)
        if pdfium_c.FPDFPathSegment_GetType(segment) == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            return False
        pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        points.add((round(x.value, 1), round(y.value, 1)))
    xs, ys = {p[0] for p in points}, {p[1] for p in points}
    return len(xs) == 2 and len(ys) == 2


# ----------------------------------------------------------------------------- entry point


def pdf_form_text(path: str | Path, data: bytes | None = None) -> str:
    """The text of a signed form PDF, laid out as the text importer expects."""
    return form_text(read_pdf(path, data))

