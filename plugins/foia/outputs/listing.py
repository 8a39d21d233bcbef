"""The compact listing the decisions filter loads: one line per public decision, no
summary or body text, so filtering 5,000 decisions stays a small download that is
fetched only when a visitor uses the filter."""

from __future__ import annotations

import json
from pathlib import Path

from foia.outputs.browse import Browse, facet_slug
from foia.rules.plan import Plan
from foia.rules.records import DECISIONS_DIR

LISTING_FILE = f"{DECISIONS_DIR}/listing.json"


def render(plan: Plan, browse: Browse | None = None) -> bytes:
    b = browse or Browse(plan)
    makers = [f.slug for f in b.makers]
    maker_index = {slug: i for i, slug in enumerate(makers)}
    tags = [f.slug for f in b.tags]
    tag_index = {slug: i for i, slug in enumerate(tags)}
    doc = {
        "makers": [{"slug": f.slug, "label": f.label} for f in b.makers],
        "tags": [{"slug": f.slug, "label": f.label} for f in b.tags],
        # [reference, title, approval date, maker index, [tag indexes], page URL], newest first
        "decisions": [
            [r.reference, r.title, r.approved.isoformat(), maker_index[facet_slug(r.decision_maker)],
             [tag_index[facet_slug(t)] for t in r.tags], r.url]
            for r in plan.public
        ],
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write(plan: Plan, site_dir: Path, browse: Browse | None = None) -> Path:
    path = site_dir / LISTING_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render(plan, browse))
    return path
