"""Benchmark: plain Material for MkDocs against our full site, at 1,000 and 5,000 decisions.

For each size, one synthetic corpus (scripts/generate-corpus) is built twice:
  (a) plain mkdocs-material, no foia plugin, decisions kept out of the nav, Material's
      built-in search on (plain MkDocs plus its search index);
  (b) the project's own mkdocs.yml, read now, pointed at the corpus (cold cache).
Then: one visitor search in headless Chromium against each site, the leak scan timed on
its own, a walk of every file of (b) (gzip unpacked) for the canaries, and a rebuild of
(b) after one decision is added (cache warm). Writes BENCHMARKS.md; not run in CI.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIZES = (1000, 5000)
QUERIES = ("knife crime Camden", "contract")  # a specific query and a broad one
PACKAGES = ("mkdocs", "mkdocs-material", "pagefind", "pagefind_bin", "Markdown", "lxml", "ahocorasick-rs",
            "PyYAML", "playwright")
TARGETS_AT = 5000
SCAN_RUNS = 3  # the leak scan alone is run this many times on the finished site
ANALYSIS = "## Analysis"  # BENCHMARKS.md keeps everything from this heading on
