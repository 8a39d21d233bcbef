"""Wording the site itself prints: withheld text that is also template text or reviewed
stock wording proves nothing when found, so it is no fingerprint (see fingerprints.collect).

Never derived from content: wording is stock because a template or a reviewed file says
it, not because other decisions happen to carry it."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

import lxml.html

# A template tag or expression ends a sentence: what it prints is data, not wording.
_JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)


def template_wording(dirs: Iterable[str | os.PathLike]) -> list[str]:
    """The literal text of every HTML template under the folders, one piece per run of
    text between template tags and HTML blocks."""
    pieces: list[str] = []
    for folder in dirs:
        root = Path(folder)
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*.html")):
            text = _JINJA.sub("\n", path.read_text(encoding="utf-8", errors="replace"))
            if not text.strip():
                continue
            try:
                tree = lxml.html.fragment_fromstring(text, create_parent="div")
            except (lxml.etree.ParserError, ValueError):
                continue
            pieces.extend(t.strip() for t in tree.itertext() if t.strip())
    return pieces


def stock_wording_file(path: str | os.PathLike | None) -> list[str]:
    """The reviewed stock-wording file: one stock sentence or paragraph per line ('#'
    starts a comment). An absent file is no stock wording."""
    if not path or not Path(path).is_file():
        return []
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
