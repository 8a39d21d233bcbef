"""schema.org JSON-LD for a decision page: a Legislation item of type "Decision" with its
reference, dates, decision maker, publisher, licence, address and documents."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from foia.outputs import documents as docs
from foia.outputs.common import absolute_url
from foia.outputs.identity import Identity
from foia.rules.plan import Document
from foia.rules.records import Record


def decision(record: Record, *, identity: Identity, site_url: str | None, published: dt.date,
             documents: list[Document]) -> dict[str, Any]:
    item: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "legislationType": "Decision",
        "legislationIdentifier": record.reference,
        "name": record.title,
        "url": absolute_url(site_url, record.url),
        "legislationDate": record.approved.isoformat(),
        "dateCreated": record.approved.isoformat(),
        "datePublished": published.isoformat(),
        "legislationPassedBy": {"@type": "Person", "jobTitle": record.decision_maker,
                                "worksFor": identity.organisation()},
        "publisher": identity.organisation(),
        "inLanguage": "en-GB",
        "isAccessibleForFree": True,
        "license": identity.licence_url,
    }
    if record.summary:
        item["abstract"] = record.summary
    if record.tags:
        item["keywords"] = list(record.tags)
    if documents:
        item["associatedMedia"] = [
            {"@type": "MediaObject", "name": d.name, "contentUrl": docs.url(d, site_url),
             "encodingFormat": docs.media_type(d), "contentSize": docs.size_label(d.size)}
            for d in documents
        ]
    return item


def script_text(data: dict[str, Any]) -> str:
    """JSON for a <script type="application/ld+json"> element: "<" escaped, so no text in
    it can close the element or open a comment."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
