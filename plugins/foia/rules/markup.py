"""What a record's Part 1 says in HTML: its comments, its links, and markup that hides text.

A record's Part 1 is published as written, so nothing in it may be invisible to a reader:

- HTML comments (``<!-- ... -->``) are removed from every Markdown file before the
  generator reads it; an unterminated comment is an error naming the line.
- Raw HTML and attribute lists (``{: ... }``) in a record may use only the elements,
  attributes and inline styles listed below: an allowlist, so a way to hide text nobody
  thought of is refused too. Everything else (``hidden``, ``style="display:none"``,
  ``<template>``, ``<script>``, ``<!DOCTYPE>``, ``class`` (the site's style sheets decide
  what a class shows), ``aria-hidden``...) is an error naming the file and the line.
- Links are read from the rendered HTML (``href``, ``src``, ``srcset``), so a file is
  published with a record only when its Part 1 links to it (see plan.py).

Part 1 is rendered here with python-markdown and the extensions a site may enable for it
(tables, attr_list, md_in_html, def_list); only a body that could hold markup or a link
(``<``, ``[`` or ``{``) is rendered at all.
"""

from __future__ import annotations

import html as htmllib
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import lxml.html
import markdown
from lxml import etree

EXTENSIONS = ("tables", "attr_list", "md_in_html", "def_list")

COMMENT_OPEN, COMMENT_CLOSE = "<!--", "-->"

# Elements a Part 1 may use, and the attributes each may carry beyond GLOBAL_ATTRIBUTES.
ALLOWED_ELEMENTS: dict[str, frozenset[str]] = {
    tag: frozenset(attrs) for tag, attrs in {
        "a": {"href", "name", "rel", "target", "hreflang", "download"},
        "img": {"src", "alt", "srcset", "width", "height", "loading"},
        "ol": {"start", "reversed", "type"}, "ul": {"type"}, "li": {"value", "type"},
        "td": {"colspan", "rowspan", "headers"}, "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
        "col": {"span", "width"}, "colgroup": {"span", "width"},
        "time": {"datetime"}, "ins": {"datetime", "cite"}, "del": {"datetime", "cite"},
        "blockquote": {"cite"}, "q": {"cite"}, "details": {"open"},
        **{tag: set() for tag in (
            "abbr", "b", "br", "caption", "cite", "code", "dd", "dfn", "div", "dl", "dt", "em",
            "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "kbd", "mark",
            "p", "pre", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table",
            "tbody", "tfoot", "thead", "tr", "u", "var", "wbr")},
    }.items()
}
GLOBAL_ATTRIBUTES = frozenset({"id", "title", "lang", "style"})
_URL_ATTRIBUTES = ("href", "src")

# Inline styles a Part 1 may set: layout of tables and text that cannot hide it. Colours,
# sizes of text, positions, margins, clipping, opacity and display are all refused.
_LENGTH = r"(?:auto|0|[0-9]+(?:\.[0-9]+)?(?:px|em|rem|%|pt|ch|ex|cm|mm|in))"
ALLOWED_STYLES: dict[str, re.Pattern[str]] = {
    prop: re.compile(value) for prop, value in {
        "text-align": r"left|right|center|justify|start|end",
        "font-weight": r"normal|bold|bolder|lighter|[1-9]00",
        "font-style": r"normal|italic|oblique",
        "text-decoration": r"(?:none|underline|overline|line-through)(?:\s+(?:underline|overline|line-through))*",
        "text-decoration-line": r"(?:none|underline|overline|line-through)(?:\s+(?:underline|overline|line-through))*",
        "vertical-align": r"baseline|top|middle|bottom|sub|super|text-top|text-bottom",
        "white-space": r"normal|nowrap|pre|pre-wrap|pre-line|break-spaces",
        "width": _LENGTH, "min-width": _LENGTH,
    }.items()
}
# Schemes whose "link" is itself content (a script, an inline document or image).
_REFUSED_SCHEMES = ("javascript:", "data:", "vbscript:", "file:")
_ASCII_SPACE_AND_CONTROLS = re.compile(r"[\x00-\x20\x7f]+")
_MAY_HOLD_MARKUP = re.compile(r"[<\[{]")
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
_CONTINUES = re.compile(r"[ \t]|[-*+][ \t]|[0-9]+[.)][ \t]|>|:")
_REFERENCE_DEFINITION = re.compile(r"^[ ]{0,3}\[[^\]\n]*\]:", re.M)
_START_TAG = re.compile(r"<([A-Za-z][^\s/>]*)")


@dataclass(frozen=True)
class Link:
    """One link or embedded file in Part 1, as the rendered page has it."""

    url: str  # as written, entities decoded (not %-decoded)
    text: str  # the link text (for an image: its alt text), whitespace collapsed
    embedded: bool  # an image's src/srcset rather than a link's href


@dataclass(frozen=True)
class Hidden:
    """Markup that can hide text: what it is, and words to find its line by."""

    what: str
    needles: tuple[str, ...]


def strip_comments(text: str, *, keep_lines: bool = False) -> tuple[str, int | None]:
    """Text without HTML comments, and the offset of an unterminated one (else None).

    Removal repeats until no comment opener is left, so pieces that join into a new
    ``<!--`` once a comment is cut out are removed too. Each comment runs to the first
    ``-->`` after its opener, which removes at least what a browser hides. keep_lines:
    leave each comment's line breaks, so lines can still be counted as in the file."""
    if COMMENT_OPEN not in text:
        return text, None
    while (start := text.find(COMMENT_OPEN)) != -1:
        end = text.find(COMMENT_CLOSE, start + len(COMMENT_OPEN))
        if end == -1:
            return text, start
        kept = "\n" * text.count("\n", start, end) if keep_lines else ""
        text = text[:start] + kept + text[end + len(COMMENT_CLOSE):]
    return text, None


# python-markdown's link patterns take time growing with the square of the brackets in one
# block (8,000 '[' in a paragraph: about 15 s; 100,000: most of an hour). No real Part 1
# comes near this many, so a block with more is refused before anything renders it.
MAX_BRACKETS_PER_BLOCK = 1000
_BLOCK_BREAK = re.compile(r"\n[ \t]*\n")


def too_costly(text: str) -> int | None:
    """The line (1-based, in text) of the first block Markdown could not render in
    reasonable time, else None."""
    if text.count("[") <= MAX_BRACKETS_PER_BLOCK:
        return None
    start = 0
    for block in _BLOCK_BREAK.split(text):
        if block.count("[") > MAX_BRACKETS_PER_BLOCK:
            return text.count("\n", 0, text.find(block, start)) + 1
        start += len(block)
    return None


class Renderer:
    """python-markdown with the record extensions, made once and reset between bodies."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=list(EXTENSIONS))

    def html(self, body: str, *, whole: bool = False) -> str:
        """HTML of the parts of a body that can hold markup or a link (markup_parts), or
        of the whole body (whole=True: the plain rule, which a test holds them to); ""
        when nothing in it can."""
        text = body if whole else markup_parts(body)
        if not _MAY_HOLD_MARKUP.search(text) or too_costly(text) is not None:
            return ""  # nothing to find, or refused by the caller (records.clean_body)
        self._md.reset()
        return self._md.convert(text)


def markup_parts(body: str) -> str:
    """The blocks of a body that can hold markup or a link, in order, each with its
    context: a speed trick, since most of a Part 1 is plain paragraphs and rendering it
    all costs milliseconds a record. Blocks are separated by blank lines; a block that
    can continue the one before it (indented, a list item, a quote, a definition, or one
    holding a reference definition) belongs with it, and a group is kept whole when any of
    its blocks holds "<", "[" or "{". Kept in order and
    together, reference links find their definitions and raw HTML its closing tags, so
    the links and markup found are those of the whole body (tested against html(whole=True))."""
    if not _MAY_HOLD_MARKUP.search(body):
        return ""
    groups: list[list[str]] = []
    for block in _BLANK_LINES.split(body):
        # A block continuing what came before (a list, a quote, a definition list; or
        # what a reference definition, taken out as its block is read, leaves) joins too.
        if groups and (_CONTINUES.match(block) or _REFERENCE_DEFINITION.search(block)):
            groups[-1].append(block)
        else:
            groups.append([block])
    return "\n\n".join("\n\n".join(group) for group in groups
                        if any(_MAY_HOLD_MARKUP.search(block) for block in group))


def _fragment(html: str):
    if not html.strip():
        return None
    try:
        return lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return None


def links(html: str) -> list[Link]:
    """Every link (href) and embedded file (src, srcset) in rendered HTML, in order."""
    root = _fragment(html)
    if root is None:
        return []
    found = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if href := el.get("href"):
            text = " ".join("".join(el.itertext()).split())
            if not text:
                text = next((" ".join(img.get("alt", "").split()) for img in el.iter("img")), "")
            found.append(Link(href.strip(), text, False))
        alt = " ".join(el.get("alt", "").split())
        if src := el.get("src"):
            found.append(Link(src.strip(), alt, True))
        for candidate in (el.get("srcset") or "").split(","):
            if url := candidate.strip().split(" ", 1)[0]:
                found.append(Link(url, alt, True))
    return found


def resolve(url: str, page_path: str) -> str | None:
    """The content path a link in ``page_path`` points at, or None when it points at
    another site, an anchor, or outside the content folder. ``%20`` and ``<...>`` forms
    (python-markdown drops the brackets) both give the file's own name."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(posixpath.dirname(page_path), path)
    target = posixpath.normpath(joined)
    if target in (".", "..") or target.startswith("../"):
        return None
    return target


def hidden_markup(html: str) -> list[Hidden]:
    """Everything in rendered Part 1 HTML outside the allowlist (see module docstring)."""
    problems: list[Hidden] = []
    if "<!" in html or "<?" in html:
        # python-markdown escapes a plain "<": these are raw declarations, CDATA or
        # processing instructions, which a browser treats as comments.
        problems.append(Hidden("markup a browser does not show (<!...> or <?...?>)", ("<!", "<?")))
    # Every tag by name, as written: python-markdown escapes a "<" that starts no tag, and
    # the parser below may drop or move some (<html>, <head>, <title>, <body>, <frameset>).
    for name in sorted({m.lower() for m in _START_TAG.findall(html)} - ALLOWED_ELEMENTS.keys()):
        problems.append(Hidden(f"the <{name}> element", (f"<{name}",)))
    root = _fragment(html)
    if root is None:
        return _unique(problems)
    for el in root.iter():
        if not isinstance(el.tag, str):
            problems.append(Hidden("markup a browser does not show (a comment or <?...?>)", ("<!", "<?")))
            continue
        tag = el.tag.lower()
        if el is root:
            continue
        allowed = ALLOWED_ELEMENTS.get(tag)
        if allowed is None:
            problems.append(Hidden(f"the <{tag}> element", (f"<{tag}",)))
            allowed = frozenset()
        for name, value in el.attrib.items():
            name = name.lower()
            if name not in allowed and name not in GLOBAL_ATTRIBUTES:
                problems.append(Hidden(f"the '{name}' attribute on <{tag}>", (name,)))
            elif name == "style":
                problems.extend(_style_problems(tag, value))
            elif name in _URL_ATTRIBUTES or name == "srcset":
                url = _ASCII_SPACE_AND_CONTROLS.sub("", htmllib.unescape(value)).lower()
                if url.startswith(_REFUSED_SCHEMES):
                    problems.append(Hidden(f"a '{url.split(':', 1)[0]}:' address in the '{name}' attribute on <{tag}>",
                                           (url.split(":", 1)[0], name)))
    return _unique(problems)


def _unique(problems: list[Hidden]) -> list[Hidden]:
    return list({p.what: p for p in problems}.values())


def _style_problems(tag: str, value: str) -> list[Hidden]:
    text = htmllib.unescape(value)
    if "\\" in text or "/*" in text:
        return [Hidden(f"a style on <{tag}> with CSS escapes or comments", ("style",))]
    problems = []
    for declaration in text.split(";"):
        if not declaration.strip():
            continue
        prop, _, val = declaration.partition(":")
        prop, val = prop.strip().lower(), " ".join(val.split()).lower()
        rule = ALLOWED_STYLES.get(prop)
        if rule is None or not rule.fullmatch(val):
            shown = f"{prop}: {val}" if val else prop
            problems.append(Hidden(f"the style '{shown}' on <{tag}>", (prop or "style", "style")))
    return problems


def line_of(text: str, needles: tuple[str, ...], fallback: tuple[str, ...] = ("<", "{")) -> int:
    """1-based line of text holding the first of needles (any case), else of a fallback."""
    lines = text.casefold().splitlines()
    for group in (needles, fallback):
        for needle in group:
            needle = needle.casefold()
            for number, line in enumerate(lines, 1):
                if needle in line:
                    return number
    return 1
