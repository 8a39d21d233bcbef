"""The text of a file as a reader gets it, one place for every format: the leak scan reads
every output file with it, and the fingerprints of withheld files are made from it.

A reading is a list of lines (each a block of text: a paragraph, a table cell, a list item,
a PDF page, a metadata value), the links (HTML), the members unpacked from it (their
hashes are checked too) and the problems that stopped it. A problem is only ever set for a
document the scan must not pass unread: a damaged or encrypted PDF, a damaged or
encrypted archive, a zip or gzip bomb. Images, unknown binaries and text that does not
parse are read as raw bytes (plus whatever chunks can be read) and never fail.

- HTML as a browser shows it: inline elements join without a space (``Quo<b></b>kka`` is
  one word), block elements and ``<br>`` separate; plus a reading where every text node is
  separate (inline elements spaced by CSS), comments, processing instructions, every
  attribute value, escaped HTML inside attributes, comments and scripts, CSS and
  JavaScript string escapes.
- Markdown (a withheld source) rendered; Markdown in the site both raw and rendered.
- XML and SVG: text and attributes, runs joined (``<tspan>``), and every node separate.
- JSON: every string; CSS and JavaScript: text and escapes; CSV and plain text: as text.
- PDF (pypdfium2): the text layer of every page, the metadata, bookmarks, every annotation's
  text and form field values, attached and embedded files (read in turn), and every
  stream of the file inflated (XMP, scripts, older revisions).
- Office (DOCX, XLSX, PPTX, ODT, ODS, ODP: zip + XML) and any zip: every member read by its
  own format, so comments, headers, footers, notes, properties and shared strings are all
  read; spreadsheet cells by row. gzip: every member.
- Images (PNG, JPEG, GIF, WebP): every chunk but the pixels (text chunks inflated, EXIF,
  XMP, comments), as UTF-8 and UTF-16, and any bytes after the image.
"""

from __future__ import annotations

import base64
import binascii
import bz2
import contextlib
import csv
import ctypes
import html
import io
import json
import lzma
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote_plus, unquote_to_bytes

import lxml.etree
import lxml.html
import markdown

from foia.rules.markup import too_costly

# ----------------------------------------------------------------------------- limits


@dataclass(frozen=True)
class Limits:
    """How much one file may unpack into before it is refused as a bomb."""

    unpacked_bytes: int = 256 * 1024 * 1024  # all members, streams and attachments, nested
    members: int = 20_000  # archive members, PDF pages, attachments and streams, nested
    depth: int = 6  # an archive (or PDF attachment) inside another, this many levels down


LIMITS = Limits()


class TooLarge(Exception):
    """One file unpacks to more than the limits allow."""


class _Budget:
    def __init__(self, limits: Limits):
        self.limits = limits
        self.bytes_left = limits.unpacked_bytes
        self.members_left = limits.members

    def take(self, n_bytes: int, members: int = 1) -> None:
        self.bytes_left -= n_bytes
        self.members_left -= members
        if self.bytes_left < 0:
            raise TooLarge(f"it unpacks to more than {self.limits.unpacked_bytes // (1024 * 1024)} MB")
        if self.members_left < 0:
            raise TooLarge(f"it holds more than {self.limits.members:,} members, pages or streams")


@dataclass
class Reading:
    lines: list[str] = field(default_factory=list)  # the text a reader reads, one block a line
    raw: list[str] = field(default_factory=list)  # what else the bytes say: attributes, streams, chunks (scan only)
    links: list[str] = field(default_factory=list)  # link targets, HTML only
    members: list[tuple[str, bytes]] = field(default_factory=list)  # (name, bytes) of each file unpacked
    problems: list[str] = field(default_factory=list)  # why a document could not be read

    def add(self, other: Reading) -> None:
        self.lines.extend(other.lines)
        self.raw.extend(other.raw)
        self.links.extend(other.links)
        self.members.extend(other.members)
        self.problems.extend(other.problems)

    def text(self) -> str:
        """Everything the scan searches, one piece a line; text a right-to-left override
        shows reversed ('\u202eallikoQ' reads 'Qokilla') read as shown, too."""
        text = "\n".join([*self.lines, *self.raw])
        if _OVERRIDE in text:
            shown = [_OVERRIDDEN.sub(lambda m: m.group(1)[::-1], line) for line in text.split("\n") if _OVERRIDE in line]
            text += "\n" + "\n".join(shown)
        return text


# A right-to-left override (U+202E) shows what follows it reversed, up to the pop (U+202C),
# the next isolate or embedding, or the end of the line.
_OVERRIDE = "\u202e"
_OVERRIDDEN = re.compile("\u202e([^\u202a-\u202e\u2066-\u2069\n\x1e\x1f]*)")


# ----------------------------------------------------------------------------- dispatch

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
XML_SUFFIXES = (".xml", ".svg", ".rss", ".atom", ".xsl", ".xslt", ".kml", ".gpx", ".rdf", ".opf", ".ncx", ".plist",
                ".rels", ".vml")
JSON_SUFFIXES = (".json", ".webmanifest", ".map", ".geojson", ".jsonld")
MARKDOWN_SUFFIXES = (".md", ".markdown")
# Formats whose text cannot be read from their bytes as they are: a file of these kinds in
# the site that cannot be unpacked fails the scan (named); other formats fall back to bytes.
DOCUMENT_SUFFIXES = (".pdf", ".zip", ".gz", ".xz", ".lzma", ".bz2", ".docx", ".docm", ".dotx", ".xlsx", ".xlsm", ".pptx", ".pptm", ".odt",
                     ".ods", ".odp", ".odg", ".epub", ".jar")


def suffix(name: str) -> str:
    """Path(name).suffix.lower(), without making a Path."""
    base = name.rsplit("/", 1)[-1]
    i = base.rfind(".")
    return base[i:].lower() if 0 < i < len(base) - 1 else ""


def read(name: str, data: bytes, *, source: bool = False, links_wanted: Callable[[str], bool] | None = None,
         limits: Limits | None = None) -> Reading:
    """Everything a reader could get from the file named name (its path: the suffix counts,
    the bytes decide first). source=True reads a withheld source (Markdown is rendered);
    links_wanted(every attribute value, joined) says whether an HTML file's links are
    wanted (all links if None)."""
    budget = _Budget(limits or LIMITS)
    try:
        return _read(name, data, 0, budget, source=source, links_wanted=links_wanted)
    except TooLarge as e:
        return Reading(problems=[f"cannot be read: {e} (a zip or gzip bomb?)"])
    except RecursionError:
        return Reading(problems=["cannot be read: nested too deeply"])


def _read(name: str, data: bytes, depth: int, budget: _Budget, *, source: bool = False,
          links_wanted: Callable[[str], bool] | None = None) -> Reading:
    if depth > budget.limits.depth:
        raise TooLarge(f"it nests files more than {budget.limits.depth} levels deep")
    head = data[:8]
    ext = suffix(name)
    if head[:2] == b"\x1f\x8b":
        return _read_gzip(name, data, depth, budget)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n\0")[:5] == b"%PDF-" or (ext == ".pdf" and b"%PDF-" in data[:1024]):
        return _read_pdf(data, depth, budget)
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return _read_zip(data, depth, budget)
    if head.startswith(_XZ_MAGIC) or (head.startswith(_BZ2_MAGIC) and head[3:4].isdigit()):
        return _read_xz_or_bz2(name, data, depth, budget)
    if (kind := next((k for magic, k in _UNREADABLE.items() if head.startswith(magic)), None)) \
            or (kind := "compressed file" if ext in UNREADABLE_SUFFIXES else None):
        return Reading(raw=[_decode(data)], problems=[f"cannot be read: a {kind} (publish it as a zip file instead)"])
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")) or (head[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return _read_image(data)
    if ext in DOCUMENT_SUFFIXES:
        return Reading(raw=[_decode(data)], problems=[f"cannot be read: not a valid {ext[1:].upper()} file"])
    if ext in HTML_SUFFIXES:
        return Reading(lines=block_lines(data)) if source else read_html(data, links_wanted)
    if ext in MARKDOWN_SUFFIXES:
        text = _decode(data)
        if source:
            return markdown_reading(text)
        return Reading(lines=markdown_reading(text).lines, raw=[text, *_escaped_html([text])])
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:5] == b"{\\rtf":
        return _read_rtf(data)
    if ext in XML_SUFFIXES or (ext not in JSON_SUFFIXES and data.lstrip()[:5] == b"<?xml"):
        return _read_xml(data, depth, budget)
    return _read_text(data, ext)


def _decode(data: bytes) -> str:
    """Bytes as text: UTF-32 or UTF-16 by its byte-order mark, else UTF-8 (what does not
    decode is U+FFFD, a separator), and as well UTF-16 or UTF-32 where the zero bytes fall
    as in that encoding without a byte-order mark ("Unicode text" saved by Windows tools)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            with contextlib.suppress(UnicodeDecodeError):
                return data.decode(encoding)
    text = data.decode("utf-8", "replace")
    wide = _wide_text(data)
    return text if wide is None else text + "\n" + wide


_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"),
         (b"\xfe\xff", "utf-16"))


def _wide_text(data: bytes) -> str | None:
    """The text of UTF-16 or UTF-32 without a byte-order mark, told by its zero bytes: in
    Latin text each character's high bytes are zero (UTF-16LE: every odd byte); None when
    the zero bytes do not fall so."""
    sample = data[:4096]
    n = len(sample) // 4 * 4
    if n < 8 or b"\0" not in sample:
        return None
    zeros = [sample[i:n:4].count(0) / (n // 4) for i in range(4)]  # share of zero bytes at each offset mod 4
    if min(zeros[1:]) > 0.9 and zeros[0] < 0.1:
        encoding = "utf-32-le"
    elif min(zeros[:3]) > 0.9 and zeros[3] < 0.1:
        encoding = "utf-32-be"
    elif min(zeros[1], zeros[3]) > 0.4 and max(zeros[0], zeros[2]) < 0.1:
        encoding = "utf-16-le"
    elif min(zeros[0], zeros[2]) > 0.4 and max(zeros[1], zeros[3]) < 0.1:
        encoding = "utf-16-be"
    else:
        return None
    return data[:len(data) // (4 if "32" in encoding else 2) * (4 if "32" in encoding else 2)].decode(
        encoding, "replace")


# ----------------------------------------------------------------------------- text, JSON, CSS, JavaScript

_TAG = re.compile(r"<[^<>]{0,2000}>")
# html.unescape's pattern, but a named reference must start with a letter, as every name in
# html.entities.html5 does: html.unescape leaves the others as they are, so the result is
# the same, without a Python call for each '&' of a binary file read as text.
_CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][^\t\n\f <&#;]{0,31};?)")
# CSS and JavaScript string escapes: \u{51}, \u0051, \x51, \51 (CSS: up to six hex digits
# and one optional space), a line continuation, JavaScript's control characters (\n: a
# separator), and a backslash before any other character (that character).
_ESCAPE = re.compile(r"\\(?:u\{([0-9a-fA-F]{1,6})\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|([0-9a-fA-F]{1,6})"
                     r"(?:\r\n|[ \t\n\r\f])?|(\r\n|[\n\r\f])|([nrtbfv])|(.))", re.S)
# An escape that can change a word (the escapes of quotes, slashes and control characters in
# JSON and scripts cannot): only then is a piece read again with its escapes decoded.
_WORD_ESCAPE = re.compile(r"\\(?![nrtbfv\"'\\/\s])")


def unescape(text: str) -> str:
    """html.unescape(text), faster (see _CHARREF)."""
    return _CHARREF.sub(html._replace_charref, text) if "&" in text else text  # type: ignore[attr-defined]


def _escape_char(m: re.Match) -> str:
    hex_digits = m.group(1) or m.group(2) or m.group(3) or m.group(4)
    if hex_digits is not None:
        code = int(hex_digits, 16)
        return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"
    if m.group(5) is not None:
        return ""  # a line continuation
    if m.group(6) is not None:
        return " "  # \n, \t...: a control character, a separator
    return m.group(7)


def decode_escapes(text: str) -> str:
    """CSS and JavaScript escapes decoded: '\\51 uokka', '\\u0051uokka' and '\\x51uokka' all read
    'Quokka'."""
    return _ESCAPE.sub(_escape_char, text)


def _escaped_html(pieces: Iterable[str]) -> list[str]:
    """Pieces that may hold escaped text read again: CSS and JavaScript escapes decoded,
    HTML entities decoded (twice: feeds escape once, some indexes twice), and tags dropped
    both as nothing (an inline tag splitting a word) and as a space (a block tag)."""
    out = []
    for piece in pieces:
        if "\\" in piece and _WORD_ESCAPE.search(piece):
            piece = decode_escapes(piece)
            out.append(piece)
        if "&" in piece or "<" in piece:
            unescaped = unescape(unescape(piece))
            if "<" in unescaped:
                out.append(_TAG.sub(" ", unescaped))
                out.append(_TAG.sub("", unescaped))
            else:
                out.append(unescaped)
    return out


def _json_strings(value) -> Iterable[str]:
    stack = [value]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for k, v in reversed(value.items()):
                stack.append(v)
                stack.append(str(k))
        elif isinstance(value, list):
            stack.extend(reversed(value))
        elif value is not None:
            yield str(value)


def _read_rtf(data: bytes) -> Reading:
    """An RTF document (what Word saves as "Rich Text"): its text as a reader sees it (control
    words, which Word puts between the words of every run, removed; \\'xx and \\u escapes
    decoded), and the file as it is."""
    from striprtf.striprtf import rtf_to_text

    text = _decode(data)
    try:
        shown = rtf_to_text(text, errors="replace")
    except (ValueError, IndexError, LookupError, RecursionError):
        return Reading(raw=[text], problems=["cannot be read: a damaged RTF file"])
    return Reading(lines=[shown], raw=[text])


def _read_text(data: bytes, ext: str) -> Reading:
    try:
        text = data.decode("utf-8")
        if "\0" in text and (wide := _wide_text(data)) is not None:
            text = wide  # UTF-16 of Latin text is valid UTF-8, a zero byte after every letter
    except UnicodeDecodeError:  # bytes, not text (an index, a font): read as they are
        text = _decode(data)
        if "\ufffd" in text:
            return Reading(lines=[text])
    pieces = [text]
    if ext in JSON_SUFFIXES or text.lstrip()[:1] in ("{", "["):
        with contextlib.suppress(ValueError, RecursionError):
            pieces = list(_json_strings(json.loads(text)))
    if ext == ".csv" or ext == ".tsv":
        with contextlib.suppress(csv.Error):
            pieces.extend(" ".join(row) for row in csv.reader(io.StringIO(text), dialect="excel-tab" if ext == ".tsv"
                                                              else "excel"))
    return Reading(lines=pieces, raw=_escaped_html(pieces))


def plain_paragraphs(text: str) -> list[str]:
    """A plain text as paragraphs: lines joined, blank lines between paragraphs (a
    hard-wrapped sentence stays one sentence)."""
    return [" ".join(p.split()) for p in re.split(r"\n[ \t\r\f\v]*\n", text.replace("\r\n", "\n")) if p.strip()]


# ----------------------------------------------------------------------------- HTML

# Elements a browser lays out as blocks (or draws apart from the text around them, or not at
# all): each separates the text before it from the text after it. Every other element (b,
# span, a, wbr, custom and unknown elements...) is inline: its text joins its neighbours'.
BLOCK_ELEMENTS = frozenset((
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "dir", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "frameset", "frame", "h1", "h2", "h3", "h4", "h5",
    "h6", "head", "header", "hgroup", "hr", "html", "legend", "li", "listing", "main", "menu", "nav", "ol",
    "optgroup", "option", "p", "plaintext", "pre", "search", "section", "summary", "table", "caption", "colgroup",
    "col", "thead", "tbody", "tfoot", "tr", "td", "th", "ul", "xmp", "br", "title", "script", "style", "template",
    "noscript", "iframe", "img", "input", "select", "textarea", "button", "video", "audio", "object", "embed",
    "canvas", "svg", "math", "meta", "link", "rt", "rp", "base", "area", "map", "source", "track", "param"
))
_ALL_TEXT = lxml.etree.XPath("//text()", smart_strings=False)
_COMMENTS = lxml.etree.XPath("//comment()|//processing-instruction()")
_ALL_ATTRIBUTES = lxml.etree.XPath("//@*", smart_strings=False)
LINK_ATTRIBUTES = frozenset({"href", "src", "action", "poster", "data", "cite", "formaction"})
LINK_VALUES = lxml.etree.XPath("|".join(f"//@{name}" for name in sorted(LINK_ATTRIBUTES)), smart_strings=False)
_SRCSETS = lxml.etree.XPath("//@srcset", smart_strings=False)
_HIDDEN_TEXT = lxml.etree.XPath("//comment()|//processing-instruction()|//script//text()|//style//text()",
                                smart_strings=False)
GROUP_ELEMENTS = frozenset(("table", "ul", "ol", "dl", "menu", "dir", "select", "datalist"))
BLOCK = "\x1e"  # between two blocks, in the browser reading (source line breaks are only white space)
GROUP = "\x1f"  # between the cells or items of one table or list, in a line
_INLINE_MARK = "\ue000"  # where an inline element starts or ends, in the browser reading
_GROUP_MARK = "\ue001"  # where a cell or item starts or ends (XSLT output cannot hold U+001F)
_BLOCK_MARK = "\ue002"  # where a block starts or ends
# The text a browser shows, walked in C (libxslt): a line break around every block element,
# a mark around every other element, comments and processing instructions left out. Inside
# a table or list every block is one of its cells or items: a group mark instead.
_BROWSER_TEMPLATES = f"""\
<xsl:template match="{'|'.join(sorted(GROUP_ELEMENTS))}" priority="1"><xsl:text>&#xE002;</xsl:text>\
<xsl:apply-templates mode="group"/><xsl:text>&#xE002;</xsl:text></xsl:template>
<xsl:template match="{'|'.join(sorted(BLOCK_ELEMENTS))}"><xsl:text>&#xE002;</xsl:text><xsl:apply-templates/>\
<xsl:text>&#xE002;</xsl:text></xsl:template>
<xsl:template match="*"><xsl:text>&#xE000;</xsl:text><xsl:apply-templates/><xsl:text>&#xE000;</xsl:text></xsl:template>
<xsl:template match="{'|'.join(sorted(BLOCK_ELEMENTS))}" mode="group"><xsl:text>&#xE001;</xsl:text>\
<xsl:apply-templates mode="group"/><xsl:text>&#xE001;</xsl:text></xsl:template>
<xsl:template match="*" mode="group"><xsl:text>&#xE000;</xsl:text><xsl:apply-templates mode="group"/>\
<xsl:text>&#xE000;</xsl:text></xsl:template>
<xsl:template match="comment()|processing-instruction()"/>
<xsl:template match="comment()|processing-instruction()" mode="group"/>
"""
_STYLESHEET = """\
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="utf-8"/>
{}</xsl:stylesheet>"""
_BROWSER = lxml.etree.XSLT(lxml.etree.fromstring(_STYLESHEET.format(_BROWSER_TEMPLATES)))
# The same for the scan, which needs no blocks or groups told apart: a line break for both.
_SCAN = lxml.etree.XSLT(lxml.etree.fromstring(_STYLESHEET.format(
    _BROWSER_TEMPLATES.replace("&#xE002;", "&#10;").replace("&#xE001;", "&#10;"))))
# A run of marks with a letter or digit on either side (the lookbehind, after the first mark,
# lets the search jump from mark to mark).
_MARKS_IN_A_WORD = re.compile(_INLINE_MARK + "(?<=[^\\W_]" + _INLINE_MARK + ")" + _INLINE_MARK + "*(?=[^\\W_])")


def _parse_html(data: bytes):
    """The document, or None where the parser gave up on part of it (nested more than 2,048
    deep): that part would be missing from every reading."""
    # The site is UTF-8: a page that decodes as UTF-8 is read so even without a charset
    # (libxml2 would take it for Latin-1 and turn look-alike letters into others).
    try:
        data.decode("utf-8")
        parser = lxml.html.HTMLParser(huge_tree=True, encoding="utf-8")
    except UnicodeDecodeError:
        parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        doc = lxml.html.document_fromstring(data, parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return None
    if parser.error_log.filter_from_fatals():
        return None
    return doc


def _browser_text(doc, *, blocks: bool = True) -> tuple[str, str | None]:
    """The text a browser shows, inline elements joined, blocks apart (with blocks: BLOCK
    between them, GROUP between the cells and items of a table or list; else line breaks);
    and, where an inline element's edge falls between two letters, the same text with the
    elements apart (a margin, not a space, may part them on screen); else None."""
    try:
        marked = str((_BROWSER if blocks else _SCAN)(doc))
    except lxml.etree.XSLTApplyError:  # nested too deeply for the walk: every text node apart
        return " ".join(_ALL_TEXT(doc)), None
    if blocks:
        marked = marked.replace(_BLOCK_MARK, BLOCK)
        if _GROUP_MARK in marked:
            marked = marked.replace(_GROUP_MARK, GROUP)
    joined = marked.replace(_INLINE_MARK, "")
    return joined, marked.replace(_INLINE_MARK, " ") if _MARKS_IN_A_WORD.search(marked) else None


def read_html(data: bytes | str, links_wanted: Callable[[str], bool] | None = None, *, nested: int = 0) -> Reading:
    """An HTML document or fragment as a browser shows it (see the module docstring): its
    blocks, inline text joined (and apart where that matters); comments and processing
    instructions; attribute values; and escaped or commented-out HTML, CSS and JavaScript
    escapes read again."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    doc = _parse_html(data)
    if doc is None:
        return _read_text(data, ".html")
    attributes: list[str] = _ALL_ATTRIBUTES(doc)
    all_attributes = "\n".join(attributes)
    hidden = _HIDDEN_TEXT(doc)  # comments, processing instructions, scripts and styles
    comments = [node.text or "" for node in hidden if not isinstance(node, str)]
    scripts = "\n".join(node for node in hidden if isinstance(node, str))
    links: list[str] = []
    if attributes and (links_wanted is None or links_wanted(all_attributes)):
        links = LINK_VALUES(doc)
        for value in _SRCSETS(doc):
            links.extend(item.split()[0] for item in value.split(",") if item.split())
    joined, apart = _browser_text(doc, blocks=False)
    raw = [all_attributes] if apart is None else [all_attributes, apart]
    if "%" in all_attributes or "data:" in all_attributes:
        raw.extend(_in_urls(attributes, nested))
    lines = [joined, *comments]
    # Attribute values, comments, scripts and styles may hold escaped or commented-out HTML,
    # CSS and JavaScript escapes: read those pieces again (most pages' attributes hold none).
    tricky = [p for p in (*comments, scripts) if "&" in p or "<" in p or "\\" in p]
    if "&" in all_attributes or "<" in all_attributes or "\\" in all_attributes:
        tricky += [p for p in attributes if "&" in p or "<" in p or "\\" in p]
    if tricky:
        if nested < 2:  # commented-out or attribute-held HTML, read as HTML (inline tags join)
            for piece in [p for p in tricky if "<" in p and p is not scripts]:
                inner = read_html(piece, nested=nested + 1)
                raw = [*raw, *inner.lines, *inner.raw]
        raw = [*raw, *_escaped_html(tricky)]
    return Reading(lines=lines, raw=raw, links=links)


def _in_urls(attributes: list[str], nested: int) -> list[str]:
    """What URLs in attribute values hold: %-escaped text decoded ('the%20panel', a search or
    mail link), and the contents of data: URLs read by their format."""
    out = []
    for value in attributes:
        if "%" in value:
            out.append(unquote_plus(value))
        if value.lstrip()[:5].lower() == "data:" and "," in value and nested < 2:
            head, _, payload = value.partition(",")
            try:
                data = base64.b64decode(payload, validate=False) if ";base64" in head.lower() else \
                    unquote_to_bytes(payload)
            except (ValueError, binascii.Error):
                continue
            inner = read_html(data, nested=nested + 1) if "html" in head.lower() else read("data", data)
            out.extend([*inner.lines, *inner.raw])
    return out


def markdown_html(text: str) -> str:
    """Markdown as HTML; text Markdown could not render in reasonable time (the rules refuse
    it for publication: rules.markup.too_costly) is read as the plain text it is."""
    if too_costly(text) is not None:
        return "<pre>" + html.escape(text) + "</pre>"
    return markdown.markdown(text, extensions=["tables", "attr_list", "md_in_html", "def_list", "fenced_code"])


def markdown_reading(text: str) -> Reading:
    """Markdown rendered and read as HTML: its blocks, inline text joined, and comments
    (a source's own attributes are no withheld text)."""
    rendered = markdown_html(text)
    if not rendered.strip():
        return Reading()
    return Reading(lines=block_lines(rendered.encode("utf-8", "surrogatepass")))


def block_lines(data: bytes) -> list[str]:
    """The blocks of an HTML document or fragment, inline text joined, and its comments:
    what a reader sees, for making fingerprints."""
    doc = _parse_html(data)
    if doc is None:
        return plain_paragraphs(_TAG.sub(" ", unescape(_decode(data))))
    comments = [node.text or "" for node in _COMMENTS(doc)]
    joined, _ = _browser_text(doc)
    return [line for line in (_clean(t) for t in [*joined.split(BLOCK), *comments]) if line]


def _clean(line: str) -> str:
    """A line with its runs of white space one space; a group's members each so, empty
    members dropped."""
    if GROUP in line:
        return GROUP.join(m for m in (" ".join(part.split()) for part in line.split(GROUP)) if m)
    return " ".join(line.split())


# ----------------------------------------------------------------------------- XML (SVG, feeds, Office parts)

# Elements whose text joins the text around them (runs of a paragraph) outside a paragraph
# element: Office Open XML runs and their parts, OpenDocument spans and links, SVG text spans.
# Every other element starts a new line.
INLINE_XML = frozenset((
    "r", "t", "delText", "instrText", "ins", "del", "hyperlink", "smartTag", "fldSimple", "proofErr",
    "bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd", "rPr", "softHyphen", "noBreakHyphen",
    "lastRenderedPageBreak", "fldChar", "permStart", "permEnd", "ruby", "rubyBase", "rt", "span", "a",
    "soft-page-break", "bookmark", "bookmark-start", "bookmark-end", "reference-mark", "reference-mark-start",
    "reference-mark-end", "change-start", "change-end", "tspan", "textPath",
))
# Paragraphs (Word, PowerPoint and OpenDocument paragraphs and headings, spreadsheet strings,
# SVG text): inside one, every element joins its neighbours (runs, formatting) but a break.
PARAGRAPH_XML = frozenset(("p", "h", "si", "is", "text"))
BREAK_XML = frozenset(("br", "cr", "tab", "s", "line-break", "tab-stop", "note", "note-body", "txbxContent",
                       "footnote", "endnote"))
_XML_PARSER = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                                   remove_comments=False)


def _local(tag) -> str | None:
    if not isinstance(tag, str):
        return None
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


# Elements whose cells, rows or items are one group (GROUP between them in a line): Office
# tables, spreadsheet sheets, OpenDocument lists.
GROUP_XML = frozenset(("tbl", "table", "sheetData", "list"))


def _list_paragraph(el) -> bool:
    """A Word paragraph that is a list item: numbered, or in a list style."""
    if el.find("{*}pPr/{*}numPr") is not None:
        return True
    style = el.find("{*}pPr/{*}pStyle")
    return style is not None and any("list" in v.lower() for v in style.attrib.values())


def xml_lines(root, shared_strings: list[str] | None = None) -> list[str]:
    """An XML tree as lines: each element outside INLINE_XML starts one, runs join; the
    lines inside a table (GROUP_XML) or of consecutive numbered paragraphs (a Word list) are
    one line, GROUP between them. With shared_strings (a spreadsheet's), a cell holding a
    shared string's number reads as the string."""
    lines: list[str] = []
    current: list[str] = []
    group: list[str] = []  # lines of the open table
    depth = 0  # tables open
    numbered: list[str] = []  # consecutive numbered paragraphs
    paragraphs: list[bool] = []  # for each open Word paragraph: is it numbered?
    inside = 0  # paragraphs open

    def close_list() -> None:
        if numbered:
            lines.append(GROUP.join(numbered))
            numbered.clear()

    def flush() -> None:
        if not current:
            return
        line = " ".join("".join(current).split())
        current.clear()
        if not line:
            return
        if depth:
            group.append(line)
        elif paragraphs and paragraphs[-1]:
            numbered.append(line)
        else:
            close_list()
            lines.append(line)

    for event, el in lxml.etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        if event in ("comment", "pi"):
            flush()
            if el.text:
                lines.append(el.text)
            if el.tail:
                current.append(el.tail)
            continue
        local = _local(el.tag)
        separates = local in PARAGRAPH_XML or local in GROUP_XML or (
            local in BREAK_XML if inside else local not in INLINE_XML)
        if event == "start":
            if separates:
                flush()
            if local in PARAGRAPH_XML:
                inside += 1
            if local == "p":
                paragraphs.append(_list_paragraph(el))
            elif local in GROUP_XML:
                close_list()
                depth += 1
            text = el.text
            if shared_strings is not None and local == "v" and text and el.getparent() is not None \
                    and el.getparent().get("t") == "s":
                with contextlib.suppress(ValueError, IndexError):
                    text = shared_strings[int(text)]
            if text:
                current.append(text)
        else:
            if separates:
                flush()
            if local in PARAGRAPH_XML:
                inside -= 1
            if local == "p" and paragraphs:
                paragraphs.pop()
            elif local in GROUP_XML and depth:
                depth -= 1
                if not depth and group:
                    lines.append(GROUP.join(group))
                    group.clear()
            if el.tail:
                current.append(el.tail)
    flush()
    close_list()
    if group:
        lines.append(GROUP.join(group))
    return lines


def _read_xml(data: bytes, depth: int, budget: _Budget, shared_strings: list[str] | None = None) -> Reading:
    """XML text with runs joined, every text node apart, attribute values, comments and
    escaped HTML inside (feeds); raw text if it does not parse."""
    try:
        root = lxml.etree.fromstring(data, _XML_PARSER)
    except (lxml.etree.XMLSyntaxError, ValueError):
        return _read_text(data, ".xml")
    if root is None:
        return _read_text(data, ".xml")
    lines = xml_lines(root, shared_strings)
    nodes = [t for t in root.itertext() if t.strip()]
    attributes = [v for el in root.iter() if isinstance(el.tag, str) for v in el.attrib.values()]
    extra = [" ".join(nodes), *attributes]
    return Reading(lines=lines, raw=extra + _escaped_html([*lines, *extra]))


# ----------------------------------------------------------------------------- gzip and zip


def _read_gzip(name: str, data: bytes, depth: int, budget: _Budget) -> Reading:
    """Every member of a gzip file read by the format of the name without '.gz', and any
    bytes after the last member as they are, so nothing can hide behind the first member."""
    out: list[bytes] = []
    trailing = b""
    rest = data
    while rest:
        if rest[:2] != b"\x1f\x8b":
            trailing = rest
            break
        unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            member = unpacker.decompress(rest, budget.bytes_left + 1)
        except zlib.error:
            if not out:
                return Reading(raw=[_decode(data)], problems=["cannot be read: a damaged gzip file"])
            trailing = rest  # a damaged later member: read as it is
            break
        budget.take(len(member))
        if not unpacker.eof:
            if unpacker.unconsumed_tail:
                raise TooLarge(f"it unpacks to more than {budget.limits.unpacked_bytes // (1024 * 1024)} MB")
            out.append(member)
            trailing = b""
            break
        out.append(member)
        rest = unpacker.unused_data
    return _unpacked(name, (".gz",), out, trailing, depth, budget)


def _unpacked(name: str, suffixes: tuple[str, ...], streams: list[bytes], trailing: bytes, depth: int,
              budget: _Budget) -> Reading:
    """What a compressed file holds, read by the format of its name without the suffix (a
    member of the reading, so its hash is checked too), and any bytes after it as they are."""
    lowered = name.lower()
    inner_name = next((name[:-len(s)] for s in suffixes if lowered.endswith(s)), name + ".unpacked")
    inner = b"".join(streams)
    reading = _read(inner_name, inner, depth + 1, budget)
    reading.members.append((inner_name, inner))
    if trailing:
        reading.raw.append(_decode(trailing))
    return reading


_XZ_MAGIC, _BZ2_MAGIC = b"\xfd7zXZ\x00", b"BZh"
# Compressed or archive formats the scan cannot unpack (no maintained reader in the
# standard library): a file of one of these kinds in the site fails the scan, named.
_UNREADABLE = {b"7z\xbc\xaf\x27\x1c": "7z archive", b"Rar!\x1a\x07": "RAR archive",
               b"\x28\xb5\x2f\xfd": "Zstandard file"}
UNREADABLE_SUFFIXES = (".7z", ".rar", ".zst", ".zstd", ".br", ".cab", ".lz", ".lz4", ".arj", ".lzh", ".z", ".ace")


def _read_xz_or_bz2(name: str, data: bytes, depth: int, budget: _Budget) -> Reading:
    """An .xz/.lzma or .bz2 file: every stream unpacked (within the budget) and read by the
    format of the name without its suffix, and anything after the last stream as it is."""
    kind, suffixes = ("xz", (".xz", ".lzma")) if data.startswith(_XZ_MAGIC) else ("bz2", (".bz2",))
    out: list[bytes] = []
    rest, trailing = data, b""
    while rest:
        unpacker = lzma.LZMADecompressor() if kind == "xz" else bz2.BZ2Decompressor()
        try:
            member = unpacker.decompress(rest, budget.bytes_left + 1)
        except (lzma.LZMAError, OSError, EOFError):
            if not out and name.lower().endswith(suffixes):
                return Reading(raw=[_decode(data)], problems=[f"cannot be read: a damaged {kind} file"])
            if not out:  # a text that happens to start like one ("BZh1...")
                return _read_text(data, suffix(name))
            trailing = rest
            break
        budget.take(len(member))
        out.append(member)
        if not unpacker.eof:
            if not unpacker.needs_input:
                raise TooLarge(f"it unpacks to more than {budget.limits.unpacked_bytes // (1024 * 1024)} MB")
            break  # a stream cut short: what it held is read
        rest = unpacker.unused_data
        if rest and not rest.startswith(_XZ_MAGIC if kind == "xz" else _BZ2_MAGIC):
            trailing = rest.lstrip(b"\0")  # xz pads streams with zero bytes
            break
    return _unpacked(name, suffixes, out, trailing, depth, budget)


def _read_zip(data: bytes, depth: int, budget: _Budget) -> Reading:
    """Every member of a zip file (an Office document is one), by its own format, with its
    name and comment; a spreadsheet's cells by row, shared strings resolved."""
    reading = Reading()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as e:
        return Reading(raw=[_decode(data)], problems=[f"cannot be read: a damaged zip or Office file ({e})"])
    budget.take(0, len(infos))
    if archive.comment:
        reading.raw.append(_decode(archive.comment))
    contents: dict[str, bytes] = {}
    for info in infos:
        reading.raw.append(info.filename)
        if info.comment:
            reading.raw.append(_decode(info.comment))
        if info.is_dir():
            continue
        try:
            with archive.open(info) as member:
                content = member.read(budget.bytes_left + 1)
        except RuntimeError as e:  # encrypted
            reading.problems.append(f"cannot be read: member {info.filename!r} is encrypted ({e})")
            continue
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError) as e:
            reading.problems.append(f"cannot be read: member {info.filename!r} is damaged ({e})")
            continue
        budget.take(len(content), 0)
        contents[info.filename] = content
    shared = _shared_strings(contents)
    for member_name, content in contents.items():
        reading.members.append((member_name, content))
        if shared is not None and member_name.startswith("xl/worksheets/") and member_name.endswith(".xml"):
            reading.add(_read_xml(content, depth + 1, budget, shared_strings=shared))
        else:
            reading.add(_read(member_name, content, depth + 1, budget))
    return reading


def _shared_strings(contents: dict[str, bytes]) -> list[str] | None:
    """A spreadsheet's shared strings, in order, or None if it has none."""
    data = contents.get("xl/sharedStrings.xml")
    if data is None:
        return None
    try:
        root = lxml.etree.fromstring(data, _XML_PARSER)
    except (lxml.etree.XMLSyntaxError, ValueError):
        return None
    if root is None:
        return None
    return ["".join(si.itertext()) for si in root if _local(si.tag) == "si"]


# ----------------------------------------------------------------------------- PDF

_PDF_STREAM = re.compile(rb"stream\r?\n")
_PDF_ANNOTATION_KEYS = ("Contents", "T", "Subj", "V", "TU", "TM", "RC", "NM", "DV", "CA")


def _read_pdf(data: bytes, depth: int, budget: _Budget) -> Reading:
    """A PDF as a reader gets it (see the module docstring); every stream inflated too."""
    import pypdfium2 as pdfium

    reading = Reading()
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        reading.problems.append(f"cannot be read as a PDF ({e}): damaged or encrypted")
    else:
        try:
            _pdf_contents(pdf, reading, depth, budget)
        except pdfium.PdfiumError as e:
            reading.problems.append(f"cannot be read as a PDF ({e})")
        finally:
            pdf.close()
    reading.raw.extend(_pdf_streams(data, budget))
    reading.raw.append(_decode(data))  # dictionaries and strings outside streams, older revisions
    return reading


def _pdf_contents(pdf, reading: Reading, depth: int, budget: _Budget) -> None:
    import pypdfium2.raw as raw

    reading.lines.extend(v for v in pdf.get_metadata_dict(skip_empty=True).values() if isinstance(v, str))
    with contextlib.suppress(Exception):  # a broken outline leaves the rest readable
        reading.lines.extend(item.get_title() for item in pdf.get_toc(max_depth=64))
    n_pages = len(pdf)
    budget.take(0, n_pages)
    for i in range(n_pages):
        page = pdf[i]
        try:
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
            finally:
                textpage.close()
            budget.take(len(text), 0)
            reading.lines.append(text)
            for j in range(raw.FPDFPage_GetAnnotCount(page.raw)):
                annotation = raw.FPDFPage_GetAnnot(page.raw, j)
                if not annotation:
                    continue
                try:
                    reading.lines.extend(_annotation_strings(annotation))
                    attached = raw.FPDFAnnot_GetFileAttachment(annotation)
                    if attached:
                        _pdf_attachment(attached, reading, depth, budget)
                finally:
                    raw.FPDFPage_CloseAnnot(annotation)
        finally:
            page.close()
    count = pdf.count_attachments()
    budget.take(0, count)
    for i in range(count):
        _pdf_attachment(raw.FPDFDoc_GetAttachment(pdf.raw, i), reading, depth, budget)


def _annotation_strings(annotation) -> list[str]:
    import pypdfium2.raw as raw

    found = []
    for key in _PDF_ANNOTATION_KEYS:
        size = raw.FPDFAnnot_GetStringValue(annotation, key.encode(), None, 0)
        if size > 2:
            buffer = ctypes.create_string_buffer(size)
            raw.FPDFAnnot_GetStringValue(annotation, key.encode(), ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR)),
                                         size)
            found.append(buffer.raw[:size - 2].decode("utf-16-le", "replace"))
    return found


def _pdf_attachment(handle, reading: Reading, depth: int, budget: _Budget) -> None:
    """An attached or embedded file: its name, and its contents read by their format."""
    import pypdfium2.raw as raw

    if not handle:
        return
    size = raw.FPDFAttachment_GetName(handle, None, 0)
    name = ""
    if size > 2:
        buffer = ctypes.create_string_buffer(size)
        raw.FPDFAttachment_GetName(handle, ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR)), size)
        name = buffer.raw[:size - 2].decode("utf-16-le", "replace")
        reading.lines.append(name)
    length = ctypes.c_ulong(0)
    if not raw.FPDFAttachment_GetFile(handle, None, 0, ctypes.byref(length)):
        return
    budget.take(length.value)
    buffer = ctypes.create_string_buffer(length.value)
    raw.FPDFAttachment_GetFile(handle, buffer, length.value, ctypes.byref(length))
    content = buffer.raw[:length.value]
    reading.members.append((name or "attachment", content))
    reading.add(_read(name or "attachment", content, depth + 1, budget))


def _pdf_streams(data: bytes, budget: _Budget) -> list[str]:
    """Every stream of the file that inflates, as text: XMP metadata, scripts, text in
    objects no page shows, older revisions' content."""
    lines = []
    for m in _PDF_STREAM.finditer(data):
        start = m.end()
        end = data.find(b"endstream", start)
        if end < 0:
            end = len(data)
        unpacker = zlib.decompressobj()
        try:
            inflated = unpacker.decompress(data[start:end], budget.bytes_left + 1)
        except zlib.error:
            continue
        budget.take(len(inflated))
        if inflated:
            lines.append(_decode(inflated))
            if b"<x:xmpmeta" in inflated or inflated.lstrip()[:5] == b"<?xpa":
                lines.extend(_escaped_html([lines[-1]]))
    return lines


# ----------------------------------------------------------------------------- images


def _read_image(data: bytes) -> Reading:
    """Every part of a PNG, JPEG, GIF or WebP file but its pixels, as text (UTF-8 and
    UTF-16, for EXIF's UTF-16 fields), compressed text chunks inflated, and any bytes after
    the image's end."""
    try:
        if data.startswith(b"\x89PNG"):
            parts = _png_parts(data)
        elif data.startswith(b"\xff\xd8"):
            parts = _jpeg_parts(data)
        elif data.startswith(b"GIF8"):
            parts = _gif_parts(data)
        else:
            parts = _webp_parts(data)
    except (struct.error, IndexError, ValueError, zlib.error):
        parts = [data]  # damaged: every byte, as text
    lines = []
    for part in parts:
        if not part:
            continue
        lines.append(_decode(part))
        if len(part) > 1:
            lines.append(part.decode("utf-16-le", "replace"))
            lines.append(part.decode("utf-16-be", "replace"))
    return Reading(raw=lines + _escaped_html(lines[::3]))


def _png_parts(data: bytes) -> list[bytes]:
    parts = []
    pos = 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IDAT" or kind == b"fdAT":
            continue
        parts.append(kind + b" " + body)
        if kind in (b"zTXt", b"iTXt", b"iCCP"):
            parts.append(_inflate_text_chunk(kind, body))
        if kind == b"IEND":
            break
    parts.append(data[pos:])  # after the end
    return parts


def _inflate_text_chunk(kind: bytes, body: bytes) -> bytes:
    keyword, _, rest = body.partition(b"\0")
    if kind == b"iTXt":
        if len(rest) < 2 or rest[0] != 1:
            return b""
        _, _, rest = rest[2:].partition(b"\0")  # language
        _, _, rest = rest.partition(b"\0")  # translated keyword
    else:
        rest = rest[1:]
    unpacker = zlib.decompressobj()
    with contextlib.suppress(zlib.error):
        return keyword + b" " + unpacker.decompress(rest, 16 * 1024 * 1024)
    return b""


def _jpeg_parts(data: bytes) -> list[bytes]:
    parts = []
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            pos += 1
            continue
        marker = data[pos + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            pos += 1 if marker == 0xFF else 2
            continue
        if marker == 0xD9:  # end of image
            pos += 2
            break
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        segment = data[pos + 4:pos + 2 + length]
        pos += 2 + length
        if marker == 0xDA:  # start of scan: skip the entropy-coded pixels to the next marker
            parts.append(segment)
            while pos + 1 < len(data) and not (data[pos] == 0xFF and data[pos + 1] not in (0x00, *range(0xD0, 0xD8))):
                nxt = data.find(b"\xff", pos + 1)
                pos = nxt if nxt >= 0 else len(data)
            continue
        parts.append(segment)
    parts.append(data[pos:])
    return parts


def _gif_parts(data: bytes) -> list[bytes]:
    parts = [data[:13]]
    flags = data[10]
    pos = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)

    def sub_blocks(at: int) -> tuple[bytes, int]:
        out = []
        while at < len(data) and data[at]:
            out.append(data[at + 1:at + 1 + data[at]])
            at += 1 + data[at]
        return b"".join(out), at + 1

    while pos < len(data):
        kind = data[pos]
        if kind == 0x3B:  # trailer
            pos += 1
            break
        if kind == 0x21:  # extension: comment, plain text, application (XMP), graphic control
            body, pos = sub_blocks(pos + 2)
            parts.append(body)
        elif kind == 0x2C:  # image: descriptor, colour table, pixels (skipped)
            flags = data[pos + 9]
            pos += 10 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0) + 1
            _, pos = sub_blocks(pos)
        else:
            break
    parts.append(data[pos:])
    return parts


def _webp_parts(data: bytes) -> list[bytes]:
    parts = []
    (size,) = struct.unpack("<I", data[4:8])
    end = min(len(data), 8 + size)
    pos = 12
    while pos + 8 <= end:
        kind, length = struct.unpack("<4sI", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 8 + length + (length & 1)
        if kind not in (b"VP8 ", b"VP8L", b"ALPH", b"ANMF"):
            parts.append(kind + b" " + body)
    parts.append(data[end:])
    return parts
