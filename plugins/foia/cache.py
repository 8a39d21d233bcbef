"""Cache of each record's rendered Part 1 HTML, keyed by a content hash.

Interim pass-through: the scale issue fills this in. The plugin already calls
before_render/after_render around MkDocs' Markdown rendering of record pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class RenderCache:
    def __init__(self, folder: str | Path | None, salt: str):
        self.folder = Path(folder) if folder else None
        self.salt = salt

    def before_render(self, page: Any, markdown: str) -> str:
        """Called with a record page's Markdown; may return a cheaper stand-in on a hit."""
        return markdown

    def after_render(self, page: Any, html: str) -> str:
        """Called with the rendered HTML; returns the HTML to use (the cached one on a hit)."""
        return html
