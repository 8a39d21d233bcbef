"""Serve a built site on 127.0.0.1 and drive Debian's Chromium with Playwright."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from localsite import CHROMIUM, CHROMIUM_ARGS

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def require_chromium() -> None:
    """Skip a browser test module without Debian's chromium, except in CI, where its absence
    is a broken set-up (scripts/test installs it), not a reason to skip."""
    import os

    import pytest

    if not Path(CHROMIUM).is_file():
        if os.environ.get("CI"):
            raise RuntimeError(f"{CHROMIUM} is missing: CI must install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """A headless Debian Chromium browser (Playwright's own download cannot work here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


# ----------------------------------------------------------------------------- sites

PART2_CANARY = "The Part 2 canary is SAFFRON PELICAN FORTY and names the winning bidder."
DEFERRED_CANARY = "The deferred canary is COPPER WOMBAT SIXTY and describes the operation."
DEFERRED_TITLE = "Operation Kestrel covert equipment purchase"
DEFERRED_TAG = "surveillance"  # used by the deferred record alone
CANARY_TEXTS = ("SAFFRON PELICAN FORTY", "COPPER WOMBAT SIXTY")  # the words of the two canaries
BODY_WORD = "heliotrope"  # occurs in one public decision body only
BEFORE, ON = "2016-02-15", "2016-03-01"  # as-of dates around the deferral date

WIDE_TABLE = "| " + " | ".join(f"Column {i}" for i in range(1, 7)) + " |\n" + "|---" * 6 + "|\n" + (
    "| " + " | ".join("A long cell of text that a phone cannot show in one narrow column" for _ in range(6)) + " |\n"
)


def browsing_yml(base: str, *, pagefind: bool) -> str:
    """The test mkdocs.yml as the real site has it: Material's search plugin off, the
    Search and Open data pages in the nav (Search only when Pagefind is on)."""
    text = base.replace("  - search\n", "")
    extra = ("  - Search: search.md\n" if pagefind else "") + "  - Open data: open-data.md\n"
    return text.replace("  - Decisions: decisions/index.md\n", "  - Decisions: decisions/index.md\n" + extra)


def sample(project):
    """Public decisions over three years (one with a Part 2 form and a wide table), and
    a decision deferred until ON whose title, body and only tag are canaries."""
    project.add_record("DMPCD 2015 148", "2015-12-10", "## Recommendation\n\nThe DMPC is asked to approve the bids.",
                       title="'Supporting Innovation bids'", tags="[innovation, grants]",
                       summary="'Approval of the innovation fund bids.'")
    project.add_record("DMPCD 2015 090", "2015-06-01", "The earlier decision of 2015 about the estate.",
                       title="'Estate strategy refresh'", tags="[estates]")
    project.add_record("DMPCD 2016 010", "2016-01-11",
                       f"The public decision funds the {BODY_WORD} community garden grant.\n\n{WIDE_TABLE}",
                       title="'Community garden grant'", tags="[grants]", part2="true",
                       part2_reason="'Commercially sensitive prices.'",
                       decision_maker="'Chief Operating Officer'")
    project.write("decisions/2016/dmpcd-2016-010.part2.md", f"---\nreference: DMPCD 2016 010\n---\n\n{PART2_CANARY}\n")
    project.add_record("DMPCD 2016 020", "2016-02-01", DEFERRED_CANARY, title=f"'{DEFERRED_TITLE}'",
                       tags=f"[{DEFERRED_TAG}]", deferred="true", deferred_reason="'Operational security.'",
                       deferred_until="2016-03-01")
    project.add_record("DMPCD 2014 077", "2014-11-05", "A decision of 2014 on the victims service.",
                       title="'Victims service contract'", tags="[victims]")
    return project


def browsing_project(root: Path, *, announce: bool = False, pagefind: bool = True):
    """A SiteProject configured like the real site (see browsing_yml)."""
    from conftest import SiteProject

    class BrowsingProject(SiteProject):
        def configure(self, *, strict=True, announce=False, pagefind=False, extra=""):
            super().configure(strict=strict, announce=announce, pagefind=pagefind, extra=extra)
            path = self.root / "mkdocs.yml"
            path.write_text(browsing_yml(path.read_text(encoding="utf-8"), pagefind=pagefind), encoding="utf-8")

    return BrowsingProject(root, announce=announce, pagefind=pagefind)


def built_samples(tmp_path_factory, prefix: str) -> dict:
    """The sample site with Pagefind, built once for each as-of date: {date: project}."""
    projects = {}
    for day in (BEFORE, ON):
        project = sample(browsing_project(tmp_path_factory.mktemp(f"{prefix}-{day}")))
        project.build(day)
        projects[day] = project
    return projects
