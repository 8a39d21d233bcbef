"""Real signed-form PDFs for the tests, made with ReportLab from the seed forms' text.

A seed form is read into a few block kinds (headings, paragraphs, questions with their
answers, tables) and laid out in one of several layouts that differ the way real forms do:
page size, fonts (standard Type 1 or an embedded TrueType subset), sizes, bold or larger
headings, justified text, ruled / unruled / row-ruled tables with wrapped cells, questions
in a table or in the text, running headers and footers with page numbers and form version
lines, and enough text for a second page (tables split over pages repeat their header).
Tables are laid out from the cells the text import reads (``importer.body.table_rows``),
so the PDF shows the same table the text form describes, cleanly, as a real form would.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from foia.commands.importer.body import table_rows
from foia.commands.importer.lines import classify, plain

_NUMBERED = re.compile(r"^(\d+(?:\.\d+)+\.?)\s+")
_NUMERIC_DATE = re.compile(r"^(Date\s+)?(\d{2})/(\d{2})/(\d{4})$")
LAYOUTS = ("ruled", "plain", "narrow", "tight")


@dataclass
class Block:
    kind: str  # heading, para, qa, table
    text: str = ""  # ReportLab mini-markup for heading/para
    rows: list[list[str]] | None = None  # table rows / question-answer pairs (mini-markup)


def _markup(raw: str) -> str:
    """ReportLab paragraph markup for one seed line: <sup> and <b> kept, Markdown bold as <b>."""
    text = re.sub(r"^\s*#+\s*", "", raw).strip()
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|])", r"\1", text)
    if re.search(r"(?i)<\s*li\b", text):
        text = plain(text.replace("<li>", "; "))
    parts = re.split(r"(?i)(<\s*/?\s*(?:sup|b|strong)\s*>)", text)
    out = []
    for part in parts:
        m = re.fullmatch(r"(?i)<\s*(/?)\s*(sup|b|strong)\s*>", part)
        if m:
            tag = {"sup": "super", "b": "b", "strong": "b"}[m.group(2).lower()]
            out.append(f"<{m.group(1)}{tag}>")
        else:
            out.append(escape(re.sub(r"<[^>]*>", "", part)))
    text = "".join(out)
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)


def _cell_markup(cell: str) -> str:
    """A cell as the text import reads it (Markdown-escaped) back to paragraph markup."""
    text = cell.replace("\\|", "|").replace("&lt;", "<")
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escape(text))


def seed_blocks(text: str) -> list[Block]:
    lines = classify(text)
    raws = text.splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(raws):
        raw, line = raws[i], lines[i]
        if "\t" in raw:
            j = i
            while j < len(raws) and ("\t" in raws[j] or (not raws[j].strip() and j + 1 < len(raws) and "\t" in raws[j + 1])):
                j += 1
            run = raws[i:j]
            tables = table_rows(run)
            if tables is None:
                cells = [[c.strip() for c in r.split("\t")] for r in run if r.strip()]
                width = max(len(r) for r in cells)
                blocks.append(Block("table", rows=[[escape(plain(c)) for c in r + [""] * (width - len(r))] for r in cells]))
            else:
                for table in tables:
                    blocks.append(Block("table", rows=[[_cell_markup(c) for c in row] for row in table]))
            i = j
            continue
        i += 1
        if line.blank or line.furniture or line.stray:
            continue
        if line.question is not None:
            question = line.plain[: len(line.plain) - len(line.question[1])].strip()
            pair = [escape(question), escape(line.question[1].strip())]
            if blocks and blocks[-1].kind == "qa":
                blocks[-1].rows.append(pair)
            else:
                blocks.append(Block("qa", rows=[pair]))
            continue
        stripped = raw.strip()
        if stripped.startswith("- "):
            stripped = stripped[2:]
        if line.marked:
            blocks.append(Block("heading", _markup(stripped).replace("<b>", "").replace("</b>", "")))
        else:
            blocks.append(Block("para", _markup(stripped)))
    return blocks


def form_pdf(seed: Path | str, layout: str = "ruled", *, header: str | None = None) -> bytes:
    """The seed form as a PDF in the given layout."""
    from reportlab.lib import colors, pagesizes
    from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    text = Path(seed).read_text(encoding="utf-8")
    blocks = seed_blocks(text)
    reference = re.search(r"[A-Z]{2,10} \d{4} \d{3}", text).group(0)

    if layout == "plain":
        import reportlab

        fonts = Path(reportlab.__file__).parent / "fonts"
        if "Vera" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("Vera", str(fonts / "Vera.ttf")))
            pdfmetrics.registerFont(TTFont("VeraBd", str(fonts / "VeraBd.ttf")))
            from reportlab.pdfbase.pdfmetrics import registerFontFamily

            registerFontFamily("Vera", normal="Vera", bold="VeraBd", italic="Vera", boldItalic="VeraBd")
        body_font, size, page = "Vera", 9.5, pagesizes.LETTER
        heading = ParagraphStyle("h", fontName="Vera", fontSize=13, leading=16, spaceBefore=8, spaceAfter=6)
        align = TA_JUSTIFY
    elif layout == "tight":  # no space between paragraphs; label/value boxes; dates in words
        body_font, size, page = "Helvetica", 10, pagesizes.A4
        heading = ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=10, leading=12, spaceBefore=3, spaceAfter=0)
        align = TA_LEFT
    elif layout == "narrow":
        body_font, size, page = "Times-Roman", 10, pagesizes.A5
        heading = ParagraphStyle("h", fontName="Times-Bold", fontSize=10.5, leading=13, spaceBefore=6, spaceAfter=4)
        align = TA_LEFT
    else:
        body_font, size, page = "Helvetica", 10, pagesizes.A4
        heading = ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=11, leading=14, spaceBefore=8, spaceAfter=5)
        align = TA_LEFT
    para = ParagraphStyle("p", fontName=body_font, fontSize=size, leading=size * 1.2,
                          spaceAfter=0 if layout == "tight" else size * 0.7, alignment=align)
    hanging = ParagraphStyle("n", parent=para, leftIndent=30, bulletIndent=0, bulletFontName=body_font)
    cell = ParagraphStyle("c", fontName=body_font, fontSize=size - 1, leading=(size - 1) * 1.2)
    width = page[0] - 40 * mm

    def table(rows: list[list[str]], *, qa: bool = False):
        cols = len(rows[0])
        widths = [width * 0.45, width * 0.55] if qa else None
        data = [[Paragraph(c or "", cell) for c in row] for row in rows]
        t = Table(data, colWidths=widths or [width / cols] * cols, repeatRows=0 if qa else 1,
                  splitInRow=1 if layout == "narrow" else 0)
        style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 5),
                 ("RIGHTPADDING", (0, 0), (-1, -1), 5)]
        if layout == "ruled" or (layout == "tight" and not qa):
            style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
        elif layout == "narrow":
            style.append(("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.grey))
            style.append(("LINEABOVE", (0, 0), (-1, 0), 0.5, colors.grey))
        else:
            style += [("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]
        t.setStyle(TableStyle(style))
        return t

    def make_story() -> list:
        story = []
        for block in blocks:
            story.extend(flowables(block))
        return story

    def flowables(block: Block) -> list:
        story: list = []
        if True:
            if layout == "tight" and block.kind in ("heading", "para") and block.text.startswith("Title:"):
                story += [Spacer(1, 4), table([["Title:", block.text.removeprefix("Title:").strip()]], qa=True),
                          Spacer(1, 4)]
            elif block.kind == "heading":
                story.append(Paragraph(block.text, heading))
            elif layout == "tight" and block.kind == "para" and (m := _NUMERIC_DATE.match(block.text)):
                day = dt.date(int(m.group(4)), int(m.group(3)), int(m.group(2)))
                story.append(Paragraph(f"Date: {day.day} {day:%B %Y}", para))
            elif block.kind == "para" and layout == "tight" and (m := _NUMBERED.match(block.text)):
                # a numbered paragraph with a hanging indent, as word processors set them
                story.append(Paragraph(block.text[m.end():], hanging, bulletText=m.group(1)))
            elif block.kind == "para":
                story.append(Paragraph(block.text, para))
            elif block.kind == "qa":
                if layout in ("ruled", "tight"):
                    story += [table(block.rows, qa=True), Spacer(1, 6)]
                else:
                    for question, answer in block.rows:
                        story.append(Paragraph(f"{question} {answer}".strip(), para))
            else:
                story += [table(block.rows), Spacer(1, 8)]
        return story

    running = header if header is not None else f"REQUEST FOR DMPC DECISION – {reference}"

    class Doc(SimpleDocTemplate):
        pages = 0

    def furniture(canvas, doc):
        canvas.saveState()
        total = getattr(doc, "total_pages", 0)
        number = canvas.getPageNumber()
        if layout == "ruled":
            canvas.setFont("Helvetica", 8)
            canvas.drawString(20 * mm, page[1] - 12 * mm, running)
            canvas.drawRightString(page[0] - 20 * mm, page[1] - 12 * mm, "OFFICIAL")
            canvas.drawString(20 * mm, 10 * mm, "DMPCD v5 - Feb 2014")
            canvas.drawRightString(page[0] - 20 * mm, 10 * mm, f"Page {number} of {total}")
        elif layout == "narrow":
            canvas.setFont("Times-Italic", 8)
            canvas.drawCentredString(page[0] / 2, page[1] - 10 * mm, running)
            canvas.drawString(15 * mm, 8 * mm, "MOPAC Form v5.1 – February 2014")
            canvas.drawRightString(page[0] - 15 * mm, 8 * mm, f"{number}/{total}")
        elif layout == "tight":
            canvas.setFont("Helvetica", 7.5)
            canvas.drawString(20 * mm, page[1] - 11 * mm, "OFFICIAL-SENSITIVE")
            canvas.drawRightString(page[0] - 20 * mm, page[1] - 11 * mm, running)
            canvas.drawCentredString(page[0] / 2, 11 * mm, f"- {number} -")
        else:
            canvas.setFont("Vera", 8)
            canvas.drawCentredString(page[0] / 2, 12 * mm, str(number))
        canvas.restoreState()

    def build(total: int) -> tuple[bytes, int]:
        out = io.BytesIO()
        margin = 15 * mm if layout == "narrow" else 20 * mm
        doc = Doc(out, pagesize=page, leftMargin=margin, rightMargin=margin, topMargin=22 * mm, bottomMargin=20 * mm,
                  title=f"Decision form {reference}", author="MOPAC")
        doc.total_pages = total
        doc.build(make_story(), onFirstPage=furniture, onLaterPages=furniture)
        return out.getvalue(), doc.page

    data, pages = build(0)
    data, _ = build(pages)  # now "Page N of M" knows M
    return data


def scanned_pdf(seed: Path | str) -> bytes:
    """An image-only PDF (as a scanner makes): the form drawn as a picture, no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    text = Path(seed).read_text(encoding="utf-8")
    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    y = 60
    for line in text.splitlines()[:60]:
        draw.text((60, y), plain(line)[:110], fill=0)
        y += 26
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
    c.showPage()
    c.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
    c.save()
    return out.getvalue()


def encrypted_pdf(seed: Path | str, *, user_password: str = "secret") -> bytes:
    """The form as a password-protected PDF (empty user password: protected, yet opens)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, encrypt=StandardEncryption(user_password, "owner-secret", canPrint=1))
    y = 800
    for line in Path(seed).read_text(encoding="utf-8").splitlines()[:50]:
        c.drawString(40, y, plain(line)[:100])
        y -= 14
    c.save()
    return out.getvalue()


def words_pdf(seed: Path | str, *, form_fields: bool = False, attachment: bytes | None = None) -> bytes:
    """The form drawn word by word, as some PDF writers do: no space characters at all, each
    word placed where it goes; lines wrapped by length (so hyphenated words break at line
    ends), table rows as columns of wrapped lines, no paragraph spacing, page numbers.
    ``form_fields``: the answers to the form's questions typed into fillable fields.
    ``attachment``: a file embedded in the PDF."""
    import textwrap

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    y = 800.0

    def newline(dy: float = 13) -> None:
        nonlocal y
        y -= dy
        if y < 60:
            c.setFont("Helvetica", 8)
            c.drawString(40, 30, f"Page {c.getPageNumber()}")
            c.showPage()
            y = 800.0

    def words(x: float, text: str, font: str) -> None:
        for word in text.split():
            c.setFont(font, 10)
            c.drawString(x, y, word)
            x += stringWidth(word + " ", font, 10)

    for raw, line in zip(Path(seed).read_text(encoding="utf-8").splitlines(),
                         classify(Path(seed).read_text(encoding="utf-8")), strict=False):
        if line.blank:
            newline(6)
            continue
        if line.furniture or line.stray:
            continue
        font = "Helvetica-Bold" if line.marked else "Helvetica"
        if form_fields and line.question is not None:
            answer = line.question[1].strip()
            words(50, line.plain[: len(line.plain) - len(answer)], font)
            c.acroForm.textfield(name=f"answer{round(y)}p{c.getPageNumber()}",
                                 value=answer, x=380, y=y - 4, width=170, height=14, borderWidth=0, fontSize=10)
            newline()
            continue
        if "\t" in raw:
            cells = [plain(x) for x in raw.split("\t")]
            width = 480 / len(cells)
            wrapped = [textwrap.wrap(cell, max(8, int(width / 5.5))) or [""] for cell in cells]
            for k in range(max(len(w) for w in wrapped)):
                for n, w in enumerate(wrapped):
                    if k < len(w):
                        words(50 + n * width, w[k], font)
                newline()
            continue
        for part in textwrap.wrap(plain(raw), 95):
            words(50, part, font)
            newline()
    c.save()
    data = out.getvalue()
    if attachment is not None:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        pdf.new_attachment("part2-prices.txt").set_data(attachment)
        saved = io.BytesIO()
        pdf.save(saved)
        data = saved.getvalue()
    return data
