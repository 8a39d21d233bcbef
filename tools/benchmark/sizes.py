"""One corpus size: both sites built, searched, scanned, checked for canaries, rebuilt."""

from __future__ import annotations

import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import corpus as corpus_mod
from benchmark import QUERIES, ROOT, SCAN_RUNS
from benchmark.builds import Build, build, site_size, tokens_in_site
from benchmark.searches import Search, measure_search
from foia.proof import scan as leakscan
from foia.rules.content import load_content
from foia.rules.plan import build_plan


@dataclass
class SizeResult:
    n: int
    plain: Build
    ours: Build
    rebuild: Build
    plain_size: tuple[int, int]
    ours_size: tuple[int, int]
    plain_search: list[Search]
    ours_search: list[Search]
    scan_runs: list[float]  # the leak scan alone, each run
    scan_leaks: int
    fingerprints: int
    canaries: int
    leaked: list[str]
    released_seen: int
    released: int
    cache_entries: int
    corpus_mb: float


def run_size(n: int, work: Path, *, searches: bool) -> SizeResult:
    as_of = corpus_mod.AS_OF
    print(f"\n== {n:,} decisions", flush=True)
    t = time.perf_counter()
    corpus = corpus_mod.generate(n, work / "content")
    print(f"corpus: {corpus.bytes_written / 1e6:.1f} MB, {len(corpus.withheld)} withheld, "
          f"{len(corpus.part2_files)} Part 2 forms, {len(corpus.canaries)} canaries ({time.perf_counter() - t:.1f} s)",
          flush=True)
    ours_cfg = corpus_mod.project_site_config(ROOT, corpus.docs_dir, work / "site-ours", work / "ours",
                                              cache_dir=".foia-cache")
    plain_cfg = corpus_mod.plain_site_config(ROOT, corpus, work / "site-plain", work / "plain")

    plain = build(plain_cfg, as_of, work / "plain.log")
    print(f"(a) plain:  {plain.wall:.1f} s", flush=True)
    shutil.rmtree(work / "ours" / ".foia-cache", ignore_errors=True)
    ours = build(ours_cfg, as_of, work / "ours.log")
    print(f"(b) ours:   {ours.wall:.1f} s (cold cache)", flush=True)
    cache_entries = sum(1 for p in (work / "ours" / ".foia-cache").rglob("*.json") if "fingerprints" not in p.parts)

    plain_search = ours_search = []
    if searches:
        plain_search = [measure_search(work / "site-plain", "plain", q) for q in QUERIES]
        ours_search = [measure_search(work / "site-ours", "ours", q) for q in QUERIES]
        for s in [*plain_search, *ours_search]:
            print(f"search {s.query!r}: {s.raw / 1e3:.0f} kB raw, {s.gzipped / 1e3:.0f} kB gzipped, "
                  f"{s.requests} files, {s.results} results", flush=True)

    plan = build_plan(load_content(corpus.docs_dir), as_of, stock_wording=corpus_mod.STOCK_WORDING)
    scan_runs = []
    for _run in range(SCAN_RUNS):
        t = time.perf_counter()
        leaks = leakscan.scan_with_plan(work / "site-ours", plan)  # a fresh scanner, as a build has
        scan_runs.append(time.perf_counter() - t)
    print(f"leak scan alone: {', '.join(f'{s:.2f}' for s in scan_runs)} s, {len(leaks)} hits; "
          f"in the build: {ours.scan} s", flush=True)

    found = tokens_in_site(work / "site-ours", re.compile(rb"(?:canary|released)[0-9a-f]{16}"))
    leaked = sorted(set(corpus.canaries) & found)
    released_seen = len(set(corpus.released) & found)
    print(f"canaries leaked: {len(leaked)} of {len(corpus.canaries)}; released markers found: "
          f"{released_seen} of {len(corpus.released)}", flush=True)
    plain_size, ours_size = site_size(work / "site-plain"), site_size(work / "site-ours")

    corpus_mod.extra_decision(corpus.docs_dir)
    rebuild = build(ours_cfg, as_of, work / "rebuild.log")
    print(f"(b) rebuild after one added decision: {rebuild.wall:.1f} s (warm cache)", flush=True)
    return SizeResult(n, plain, ours, rebuild, plain_size, ours_size, plain_search, ours_search, scan_runs,
                      len(leaks), len(plan.fingerprints), len(corpus.canaries), leaked, released_seen,
                      len(corpus.released), cache_entries, corpus.bytes_written / 1e6)
