"""The lines of a form, each classified once: what it says and what kind of line it is.

A form arrives as text (published text, or text rebuilt from a PDF by ``pdf.py``) with
stray marks, tabs, Markdown-ish headings and sections in varying order, so each line is
read for what it says, not where it sits. Every reader in ``fields.py`` and the body
builder in ``body.py`` work from these classified lines and never re-read the text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
SPACES = "\u00a0\u2002\u2003\u2007\u2009\u202f\u200b\ufeff"

QUESTIONS = {
    "deferred": re.compile(r"^is\s+(?:the\s+)?publication\s+of\s+this\s+(?:form|decision|request)\s+(?:to\s+be\s+)?deferred\b\s*\??\s*[:\-]?\s*(?P<rest>.*)$"),
    "part2": re.compile(r"^is\s+there\s+an?\s+part\s*(?:2|ii|two)\b(?:\s+form)?\s*\??\s*[:\-]?\s*(?P<rest>.*)$"),
    "reason": re.compile(r"^if\s+(?:yes|so)\s*,?\s*(?:for\s+)?what\s+(?:is\s+the\s+)?reason\b\s*\??\s*[:\-]?\s*(?P<rest>.*)$"),
    "until": re.compile(r"^until\s+what\s+date\b\s*(?:\(\s*if\s+known\s*\))?\s*\??\s*[:\-]?\s*(?P<rest>.*)$"),
}
EXEC_SUMMARY = re.compile(r"^(?:\d+\.?\s*)?executive\s+summary\s*:?$")
KNOWN_HEADINGS = {
    "part1": re.compile(r"^part\s*(?:i|1|one)\b(?!\s*(?:form)?\s*\?)"),
    "part2": re.compile(r"^part\s*(?:ii|2|two)\b(?!\s*form\s*[?\-:]?\s*(?:yes|no)?$)"),
    "decision_required": re.compile(r"^decision\s+required\b"),
    "access": re.compile(r"^public\s+access\s+to\s+information\b"),
    "declaration": re.compile(
        r"^(?:originating\s+)?officer\s+(?:declaration|approval)s?\b|^tick\s+to\s+confirm\b"
        r"|^(?:chief\s+(?:finance|operating)\s+officer|monitoring\s+officer)\s+(?:approval|declaration)\b"
    ),
    "summary": EXEC_SUMMARY,
    "recommendation": re.compile(r"^recommendations?\s*:?$"),
}
# A heading that says the form is (or holds) Part 2, wherever the words sit in it:
# "PART 2 – CONFIDENTIAL FACTS AND ADVICE", "Confidential – Part II", "REQUEST ... – PART 2 – ...".
PART2_WORDS = re.compile(r"\bpart\s*(?:2|ii|two)\b(?!\s*(?:form|paper|report)?\s*[?\-:]?\s*(?:yes|no)\b)")
BOILERPLATE = re.compile(r"^information\s+in\s+this\s+form\s+is\s+subject\s+to\s+the\s+freedom\s+of\s+information")
# Page furniture: "6", "Page 2", "Page 2 of 5", "- 2 -", "2 / 5", and form version lines
# such as "DMPCD v5 - Feb 2014" or "MOPAC Form v5.1 – February 2014".
FOOTER = re.compile(
    r"^(?:page\s+\d+(?:\s*(?:of|/)\s*\d+)?|-?\s*\d{1,3}\s*-?|\d{1,3}\s*(?:of|/)\s*\d{1,3}"
    r"|(?:[a-z]{2,10}\s+){0,2}v(?:ersion)?\s*\d+(?:\.\d+)?\s*-?\s*[a-z]+\.?\s+\d{4})$"
)
NUMBERED_PARA = re.compile(r"^\d+(?:\.\d+)+\.?\s")
NUMBERED_HEADING = re.compile(r"^\d{1,2}\.\s+[A-Z][^.!?;:]{0,90}$")
COLON_HEADING = re.compile(r"^[A-Z][A-Za-z&/' \-]{2,60}:$")
NOT_COLON_HEADING = re.compile(r"^(?:signature|signed|date|name|position|title|if\s|until\s|tick\s)", re.I)
SIGNATURE_FURNITURE = re.compile(r"^(?:signature|signed|date|name|print\s+name)\b.{0,40}$")


@dataclass(frozen=True)
class Line:
    """One line of the form, read once."""

    index: int
    raw: str
    plain: str  # markup and HTML removed, whitespace collapsed, original capitals
    key: str  # plain, lower case, dashes as '-'
    marked: bool  # a Markdown '#' heading or a line that is bold all through
    question: tuple[str, str] | None  # (which question, the answer written on the line)
    known: str | None  # which of the form's own headings it is
    heading: bool  # reads as a heading in the body
    ends_block: bool  # ends a signing block or an officers' declaration
    stray: bool  # a PDF artefact with nothing to read: '.', '_', a lone bullet
    furniture: bool  # page numbers, form version lines

    @property
    def tabbed(self) -> bool:
        return "\t" in self.raw

    @property
    def blank(self) -> bool:
        return not self.plain


# ----------------------------------------------------------------------------- text helpers


def inline_html(text: str, *, markdown: bool) -> str:
    """Text of the bits of HTML the PDF converter leaves (18<sup>th</sup>, <b>, <ul><li>)."""
    if "<" not in text and "&" not in text:
        return text
    has_items = re.search(r"(?i)<\s*li\b", text) is not None
    text = re.sub(r"(?i)<\s*/?\s*(?:sup|sub|span|u|font)\b[^>]*>", "", text)
    bold, italic = ("**", "*") if markdown else ("", "")
    text = re.sub(r"(?i)<\s*/?\s*(?:b|strong)\s*>", bold, text)
    text = re.sub(r"(?i)<\s*/?\s*(?:i|em)\s*>", italic, text)
    text = re.sub(r"(?i)<\s*li\b[^>]*>", "; ", text)
    text = re.sub(r"(?i)<\s*br\s*/?\s*>|<\s*/?\s*[a-z][^<>]*>", " ", text)
    text = html.unescape(text)
    if has_items:  # list items become one line: "a; b; c"
        text = re.sub(r"\s*;(?:\s*;)*", ";", text).strip().lstrip(";")
        text = re.sub(r"([:;,.!?])\s*;", r"\1", text)
        text = re.sub(r";(?=\S)", "; ", text).rstrip(" ;")
    return text


def spaces(text: str) -> str:
    for ch in SPACES:
        text = text.replace(ch, " ")
    return re.sub(r"\s+", " ", text).strip()


def plain(raw: str) -> str:
    text = inline_html(raw, markdown=False)
    text = re.sub(r"^\s*#+\s*", "", text)
    text = text.replace("**", "").replace("__", "")
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|])", r"\1", text)
    return spaces(text)


def key(text: str) -> str:
    for ch in DASHES:
        text = text.replace(ch, "-")
    return text.lower()


# ----------------------------------------------------------------------------- classification


def classify(text: str) -> list[Line]:
    """Every line of the form, classified."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return [_line(i, raw) for i, raw in enumerate(text.split("\n"))]


def _line(index: int, raw: str) -> Line:
    text = plain(raw)
    k = key(text)
    stripped = raw.strip()
    bold = re.fullmatch(r"(\*\*|__)(.+)\1:?", stripped.replace("\t", " ").strip()) is not None
    marked = (stripped.startswith("#") and bool(text)) or bold
    question = _question(text, k)
    known = _known_heading(text, k, question)
    strong = (marked and question is None and not SIGNATURE_FURNITURE.match(k)) or known is not None
    tabbed = "\t" in raw
    return Line(
        index=index,
        raw=raw,
        plain=text,
        key=k,
        marked=marked,
        question=question,
        known=known,
        heading=_heading(text, k, tabbed=tabbed, question=question, strong=strong),
        ends_block=(
            strong
            or question is not None
            or BOILERPLATE.match(k) is not None
            or (NUMBERED_HEADING.match(text) is not None and not tabbed)
        ),
        stray=bool(text) and len(re.sub(r"[\W_]", "", text)) <= 1 and not tabbed,
        furniture=bool(text) and FOOTER.match(k) is not None,
    )


def _question(text: str, k: str) -> tuple[str, str] | None:
    for name, pattern in QUESTIONS.items():
        if m := pattern.match(k):
            rest = m.group("rest")
            return name, text[len(text) - len(rest):] if rest else ""
    return None


def _known_heading(text: str, k: str, question: tuple[str, str] | None) -> str | None:
    if question or len(text.split()) > 14 or text.endswith("."):
        return None
    for name, pattern in KNOWN_HEADINGS.items():
        if pattern.match(k):
            return name
    return None


def _heading(text: str, k: str, *, tabbed: bool, question: tuple[str, str] | None, strong: bool) -> bool:
    """Any line that reads as a heading in the body."""
    if not text or tabbed or question:
        return False
    if strong:
        return True
    if NUMBERED_HEADING.match(text) or (
        COLON_HEADING.match(text) and len(text.split()) <= 6 and not NOT_COLON_HEADING.match(text)
    ):
        return True
    words = text.split()
    letters = re.sub(r"[^A-Za-z]", "", text)
    return letters.isupper() and len(words) <= 12 and (len(words) >= 2 or len(letters) >= 6) and k not in ("yes", "no")


def says_part2(line: Line) -> bool:
    """A heading-like line that says the form is Part 2 (not the question about one)."""
    if line.question or line.blank or len(line.plain.split()) > 16 or line.plain.endswith("."):
        return False
    return line.known == "part2" or ((line.heading or line.marked) and PART2_WORDS.search(line.key) is not None)


def next_text_line(lines: list[Line], i: int) -> int | None:
    for j in range(i + 1, len(lines)):
        if lines[j].plain:
            return j
    return None
