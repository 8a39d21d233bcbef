"""The documents published with a decision (the plan decides which: a public record's
Part 1 links them): how a reader sees them ("Signed decision form (PDF, 240 KB)") and
their addresses and media types for the data, the feed and JSON-LD."""

from __future__ import annotations

import mimetypes

from foia.outputs.common import absolute_url
from foia.rules.plan import Document, Plan
from foia.rules.records import Record


def documents(plan: Plan, record: Record) -> list[Document]:
    return list(plan.documents.get(record.path, ()))


def size_label(size: int) -> str:
    """240 KB, 1.3 MB: binary units, as file managers show them; never "0 KB"."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def label(document: Document) -> str:
    return f"{document.name} ({document.kind}, {size_label(document.size)})"


def media_type(document: Document) -> str:
    return mimetypes.guess_type(document.path)[0] or "application/octet-stream"


def url(document: Document, site_url: str | None) -> str:
    return absolute_url(site_url, document.path)
