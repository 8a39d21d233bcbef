"""Real files of every format the proof reads, made by maintained writers (fpdf2,
python-docx, openpyxl, python-pptx, Pillow) or, where none writes the part under test, by
the format's own rules (OpenDocument zip, PNG chunks, gzip and zip bombs)."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import struct
import zipfile
import zlib


def pdf(text: str = "", *, title: str = "", author: str = "", subject: str = "", keywords: str = "",
        creator: str = "", annotation: str = "", attachment: tuple[str, bytes] | None = None,
        attached_note: tuple[str, bytes] | None = None, xmp: str = "", compress: bool = True,
        user_password: str | None = None, lines: list[str] | None = None) -> bytes:
    from fpdf import FPDF

    doc = FPDF()
    doc.set_compression(compress)
    doc.set_creation_date(dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    for setter, value in ((doc.set_title, title), (doc.set_author, author), (doc.set_subject, subject),
                          (doc.set_keywords, keywords), (doc.set_creator, creator)):
        if value:
            setter(value)
    if xmp:
        doc.set_xmp_metadata(xmp)
    doc.add_page()
    doc.set_font("helvetica", size=10)
    for line in [*([text] if text else []), *(lines or [])]:
        doc.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    if annotation:
        doc.text_annotation(20, 100, annotation)
    if attachment:
        doc.embed_file(basename=attachment[0], bytes=attachment[1])
    if attached_note:
        doc.file_attachment_annotation(None, x=20, y=120, w=10, h=10, bytes=attached_note[1],
                                       basename=attached_note[0])
    if user_password is not None:
        doc.set_encryption(owner_password="owner-secret", user_password=user_password)
    return bytes(doc.output())


def docx(paragraphs: list[str] = (), *, table: list[list[str]] | None = None, bullets: list[str] = (),
         header: str = "", footer: str = "", title: str = "", comment: str = "", split_runs: str = "") -> bytes:
    import docx as python_docx

    doc = python_docx.Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if split_runs:  # one word in two runs, as Word saves an edited word
        paragraph = doc.add_paragraph()
        half = len(split_runs) // 2
        paragraph.add_run(split_runs[:half])
        paragraph.add_run(split_runs[half:]).bold = True
    for text in bullets:
        doc.add_paragraph(text, style="List Bullet")
    if table:
        grid = doc.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                grid.cell(r, c).text = cell
    if header:
        doc.sections[0].header.paragraphs[0].text = header
    if footer:
        doc.sections[0].footer.paragraphs[0].text = footer
    if title:
        doc.core_properties.title = title
    if comment:
        run = doc.add_paragraph().add_run("Noted.")
        doc.add_comment(run, text=comment, author="Reviewer")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def xlsx(rows: list[list[object]], *, title: str = "", comment: str = "") -> bytes:
    import openpyxl
    from openpyxl.comments import Comment

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if title:
        book.properties.title = title
    if comment:
        sheet["A1"].comment = Comment(comment, "Reviewer")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pptx(slide_text: str, *, notes: str = "", table: list[list[str]] | None = None) -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(6), Inches(2))
    box.text_frame.text = slide_text
    if table:
        grid = slide.shapes.add_table(len(table), len(table[0]), Inches(1), Inches(4), Inches(6), Inches(2)).table
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                grid.cell(r, c).text = cell
    if notes:
        slide.notes_slide.notes_text_frame.text = notes
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def odt(paragraphs: list[str], *, title: str = "", span_split: str = "", table: list[list[str]] | None = None) -> bytes:
    """An OpenDocument text: the zip the format defines (mimetype first, stored), content.xml
    and meta.xml."""
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"')
    body = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
    if table:
        body += "<table:table>" + "".join(
            "<table:table-row>" + "".join(f"<table:table-cell><text:p>{c}</text:p></table:table-cell>" for c in row)
            + "</table:table-row>" for row in table) + "</table:table>"
    if span_split:
        half = len(span_split) // 2
        body += f"<text:p>{span_split[:half]}<text:span>{span_split[half:]}</text:span></text:p>"
    content = f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.3">' \
              f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    meta = f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {ns} office:version="1.3">' \
           f"<office:meta><dc:title>{title}</dc:title></office:meta></office:document-meta>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("meta.xml", meta, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest '
                   'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
    return out.getvalue()


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def zip_bomb(megabytes: int) -> bytes:
    """One member of zeros that inflates to megabytes (about 1,000 to 1)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z, z.open("zeros.txt", "w") as member:
        block = bytes(1024 * 1024)
        for _ in range(megabytes):
            member.write(block)
    return out.getvalue()


def gzip_bomb(megabytes: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1024 * 1024)
    return b"".join([*(compressor.compress(block) for _ in range(megabytes)), compressor.flush()])


def nested_zip(levels: int, inner: bytes) -> bytes:
    data = inner
    for i in range(levels):
        data = zipped({f"level{i}.zip": data})
    return data


def png(text_chunks: list[tuple[bytes, bytes]] = ()) -> bytes:
    """A 1x1 PNG with the given chunks (type, body) before its image data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    pixels = chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    extra = b"".join(chunk(kind, body) for kind, body in text_chunks)
    return b"\x89PNG\r\n\x1a\n" + header + extra + pixels + chunk(b"IEND", b"")


def png_text(keyword: str, text: str) -> tuple[bytes, bytes]:
    return b"tEXt", keyword.encode("latin-1") + b"\0" + text.encode("latin-1")


def png_ztxt(keyword: str, text: str) -> tuple[bytes, bytes]:
    return b"zTXt", keyword.encode("latin-1") + b"\0\0" + zlib.compress(text.encode("latin-1"))


def png_itxt(keyword: str, text: str, *, compressed: bool = True) -> tuple[bytes, bytes]:
    body = zlib.compress(text.encode()) if compressed else text.encode()
    return b"iTXt", keyword.encode("latin-1") + b"\0" + bytes([1 if compressed else 0, 0]) + b"en\0\0" + body


def jpeg(*, comment: str = "", description: str = "", xp_title: str = "", xmp: str = "") -> bytes:
    from PIL import Image

    image = Image.new("RGB", (4, 4), "white")
    exif = Image.Exif()
    if description:
        exif[0x010E] = description  # ImageDescription
    if xp_title:
        exif[0x9C9B] = xp_title.encode("utf-16-le") + b"\0\0"  # XPTitle, UTF-16
    out = io.BytesIO()
    kwargs = {"exif": exif.tobytes()} if description or xp_title else {}
    if comment:
        kwargs["comment"] = comment.encode()
    if xmp:
        kwargs["xmp"] = xmp.encode()
    image.save(out, "JPEG", **kwargs)
    return out.getvalue()


def gif(comment: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("P", (4, 4)).save(out, "GIF", comment=comment.encode())
    return out.getvalue()


def webp(*, xmp: str = "", description: str = "") -> bytes:
    from PIL import Image

    image = Image.new("RGB", (4, 4), "white")
    kwargs = {}
    if xmp:
        kwargs["xmp"] = xmp.encode()
    if description:
        exif = Image.Exif()
        exif[0x010E] = description
        kwargs["exif"] = exif.tobytes()
    out = io.BytesIO()
    image.save(out, "WEBP", **kwargs)
    return out.getvalue()


def xmp_packet(text: str, *, wrapped: bool = True) -> str:
    meta = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            f'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description>{text}</dc:description>'
            '</rdf:Description></rdf:RDF></x:xmpmeta>')
    return f'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>{meta}<?xpacket end="w"?>' if wrapped else meta


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)
