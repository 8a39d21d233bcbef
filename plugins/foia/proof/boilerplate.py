"""Wording the site itself prints: withheld text that is also template text or reviewed
stock wording proves nothing when found, so it is no fingerprint (see fingerprints.collect).

Never derived from content: wording is stock because a template or a reviewed file says
it, not because other decisions happen to carry it.

Stock wording only ever excuses a needle whose words all occur together inside one stock
piece, and a needle is at least MIN_TITLE_TOKENS words (a sentence needle at least six):
a short template fragment ("Reason:", "Approved") can excuse nothing, and a piece never
joins the next one (each piece is searched on its own)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from foia.proof import extract

# A template tag or expression: what it prints is data, not wording, so it ends a piece.
_JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
_BREAK = "\ue010"  # where a template tag was, in the text (no mark extract.py uses)


_CODE = re.compile(r"<(style|script)\b.*?</\1\s*>", re.S | re.I)


def template_wording(dirs: Iterable[str | os.PathLike]) -> list[str]:
    """The literal text of every HTML template under the folders, read as a browser shows it
    (inline markup joined, so 'There is a <a>Part 2 form</a> for this decision.' is one
    sentence), one piece per run of text between template tags and HTML blocks."""
    pieces: list[str] = []
    for folder in dirs:
        root = Path(folder)
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*.html")):
            text = _CODE.sub(_BREAK, path.read_text(encoding="utf-8", errors="replace"))  # styles and scripts print no wording
            text = _JINJA.sub(_BREAK, text)
            if not text.replace(_BREAK, "").strip():
                continue
            for line in extract.block_lines(text.encode("utf-8")):
                pieces.extend(p.strip() for p in line.split(_BREAK) if p.strip())
    return pieces


def stock_wording_file(path: str | os.PathLike | None) -> list[str]:
    """The reviewed stock-wording file: one stock sentence or paragraph per line ('#'
    starts a comment). An absent file is no stock wording."""
    if not path or not Path(path).is_file():
        return []
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
