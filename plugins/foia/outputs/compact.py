"""Pages without the blank lines and indentation templates leave: a quarter less to send a
visitor on a phone, and a site that stays near plain MkDocs' size (BENCHMARKS.md).

Outside the elements whose white space can show (``pre``, ``textarea``, ``code`` and ``kbd``,
which the theme sets ``pre-wrap``, ``script`` and ``style``), every run of white space that
holds a line break becomes one line break. A browser shows any such run as one space (or
nothing, between blocks), so the page looks and reads exactly as before. A page where an
inline style sets ``white-space`` (a record may ask for ``pre``) is left as it is."""

from __future__ import annotations

import re

__all__ = ["compact_html"]

# Elements whose white space can show: each is kept from its start tag to its end tag (or to
# the end of the page, for one never closed).
_KEPT_START = re.compile(r"<(pre|textarea|code|kbd|script|style)\b", re.I)
_KEPT_END = {tag: re.compile(rf"</{tag}\s*>", re.I) for tag in ("pre", "textarea", "code", "kbd", "script", "style")}
_WHITE_SPACE_STYLE = re.compile(r"style\s*=[^>]*white-space", re.I)
_SPACES = " \t\f\r"


def compact_html(html: str) -> str:
    """html with each white-space run that holds a line break made one line break, except
    inside the elements named above. Idempotent."""
    if "white-space" in html and _WHITE_SPACE_STYLE.search(html):
        return html
    out: list[str] = []
    at = 0
    while (kept := _KEPT_START.search(html, at)) is not None:
        end = _KEPT_END[kept.group(1).lower()].search(html, kept.end())
        stop = end.end() if end is not None else len(html)
        out.append(_compact(html[at:kept.start()]))
        out.append(html[kept.start():stop])
        at = stop
    out.append(_compact(html[at:]))
    return "".join(out)


def _compact(text: str) -> str:
    """Each run of white space holding a line break, one line break (str methods: a regular
    expression tried at every space costs most of a millisecond a page)."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    middle = [line for line in (line.strip(_SPACES) for line in lines[1:-1]) if line]
    return "\n".join([lines[0].rstrip(_SPACES), *middle, lines[-1].lstrip(_SPACES)])
