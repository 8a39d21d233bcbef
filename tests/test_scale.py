"""Output per decision page does not grow with the number of decisions.

Each page embedding the whole archive (a nav of every decision, a listing in a side
panel) makes the site grow with the square of the archive. Build the same 50
decisions alone and among 500 with the project's own configuration, and compare.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import corpus as corpus_mod
from conftest import ROOT

SMALL, LARGE = 50, 500
TOLERANCE = 1.02  # pager links differ a little between neighbours; a nav of 500 adds ~20%


def build(config: Path) -> None:
    env = {**os.environ, "FOIA_AS_OF": corpus_mod.AS_OF.isoformat(), "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config)], cwd=config.parent,
                          env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def page_sizes(site: Path, records: list[str]) -> dict[str, int]:
    return {rel: (site / rel.removesuffix(".md") / "index.html").stat().st_size for rel in records}


def test_decision_page_size_does_not_grow_with_the_number_of_decisions(tmp_path):
    large = corpus_mod.generate(LARGE, tmp_path / "large")
    withheld = set(large.withheld)
    shared = [rel for rel in large.records if rel not in withheld][:: (LARGE // SMALL)][:SMALL]
    small_docs = tmp_path / "small"
    owned = [p for p in large.part2_files if p.rsplit(".part2", 1)[0] + ".md" in shared]
    owned += [d for d, owner in large.document_owner.items() if owner in shared]  # annexes its Part 1 links to
    for rel in ["index.md", "about.md", *shared, *owned]:
        (small_docs / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(large.docs_dir / rel, small_docs / rel)

    sizes = {}
    for name, docs in (("small", small_docs), ("large", large.docs_dir)):
        config = corpus_mod.project_site_config(ROOT, docs, tmp_path / f"site-{name}", tmp_path / f"project-{name}",
                                                pagefind=False, cache_dir="")
        build(config)
        sizes[name] = page_sizes(tmp_path / f"site-{name}", shared)

    small, big = statistics.median(sizes["small"].values()), statistics.median(sizes["large"].values())
    assert big <= small * TOLERANCE, f"median decision page: {small} bytes among {SMALL}, {big} among {LARGE}"
    worst = max(sizes["large"][r] - sizes["small"][r] for r in shared)
    assert worst <= small * 0.05, f"one decision page grew by {worst} bytes with {LARGE - SMALL} more decisions"
