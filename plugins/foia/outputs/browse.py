"""Ways into the archive, computed from the plan's public records alone: by year, by
topic (tag) and by decision maker, with counts and each decision's neighbours. Listings,
the filter's listing.json and the templates all read one Browse per plan."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from foia.rules.plan import Plan
from foia.rules.records import DECISIONS_DIR, Record, slugify

TAGS_DIR = f"{DECISIONS_DIR}/tags"
MAKERS_DIR = f"{DECISIONS_DIR}/makers"


@dataclass(frozen=True)
class Facet:
    """One way into the archive: a year, a tag or a decision maker, with its public count."""

    label: str
    slug: str
    url: str
    count: int


def facet_slug(label: str) -> str:
    """URL slug of a tag or decision maker; labels with no letters or digits get a hash."""
    return slugify(label) or "x-" + hashlib.sha256(label.encode()).hexdigest()[:8]


def tag_url(tag: str) -> str:
    return f"{TAGS_DIR}/{facet_slug(tag)}/"


def maker_url(maker: str) -> str:
    return f"{MAKERS_DIR}/{facet_slug(maker)}/"


class Browse:
    """Indexes of the plan's public records. Build one per plan (it walks every record)."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.by_year: dict[int, list[Record]] = {}
        self.by_tag: dict[str, list[Record]] = {}
        self.by_maker: dict[str, list[Record]] = {}
        tag_labels: dict[str, str] = {}
        maker_labels: dict[str, str] = {}
        for r in plan.public:  # newest first, so every list below is newest first too
            self.by_year.setdefault(r.year, []).append(r)
            for tag in r.tags:
                slug = facet_slug(tag)
                tag_labels.setdefault(slug, tag)
                self.by_tag.setdefault(slug, []).append(r)
            slug = facet_slug(r.decision_maker)
            maker_labels.setdefault(slug, r.decision_maker)
            self.by_maker.setdefault(slug, []).append(r)
        self.years = [Facet(str(y), str(y), f"{DECISIONS_DIR}/{y}/", len(rs))
                      for y, rs in sorted(self.by_year.items(), reverse=True)]
        self.tags = sorted((Facet(tag_labels[s], s, f"{TAGS_DIR}/{s}/", len(rs)) for s, rs in self.by_tag.items()),
                           key=lambda f: f.label.casefold())
        self.makers = sorted((Facet(maker_labels[s], s, f"{MAKERS_DIR}/{s}/", len(rs))
                              for s, rs in self.by_maker.items()), key=lambda f: f.label.casefold())
        self._tag_by_slug = {f.slug: f for f in self.tags}
        self._maker_by_slug = {f.slug: f for f in self.makers}
        self._position: dict[str, tuple[int, int]] = {}
        for year, records in self.by_year.items():
            for i, r in enumerate(records):
                self._position[r.path] = (year, i)

    def tag(self, slug: str) -> Facet | None:
        return self._tag_by_slug.get(slug)

    def maker(self, slug: str) -> Facet | None:
        return self._maker_by_slug.get(slug)

    def neighbours(self, record: Record) -> tuple[Record | None, Record | None]:
        """(previous, next) decision of the same year in approval order: previous is older."""
        if record.path not in self._position:
            return None, None
        year, i = self._position[record.path]
        same_year = self.by_year[year]
        newer = same_year[i - 1] if i > 0 else None
        older = same_year[i + 1] if i + 1 < len(same_year) else None
        return older, newer
