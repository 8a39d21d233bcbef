"""BENCHMARKS.md: the machine, the table, the targets."""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import platform
import statistics
import subprocess
from pathlib import Path

import corpus as corpus_mod
import foia
from benchmark import PACKAGES, QUERIES, ROOT, SCAN_RUNS, TARGETS_AT
from benchmark.sizes import SizeResult


def machine() -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    versions = []
    for name in PACKAGES:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            versions.append(f"{name} {importlib.metadata.version(name)}")
    return [f"{os.cpu_count()} CPUs ({cpu}), {mem / 2**20:.1f} GiB memory, {platform.platform()}",
            f"Python {platform.python_version()}; " + ", ".join(versions)]


def source_note() -> str:
    where = Path(foia.__file__).resolve().parent
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "plugins", "mkdocs.yml"],
                               capture_output=True, text=True, check=True).stdout.split("\n")
        dirty = [line[3:] for line in dirty if line.strip()]
    except (OSError, subprocess.CalledProcessError):
        commit, dirty = "unknown", []
    note = f"commit {commit}" + (f", uncommitted changes in {', '.join(dirty)}" if dirty else "")
    if where != (ROOT / "plugins" / "foia").resolve():
        note += f"; the foia package was imported from {where} (PYTHONPATH), not from the checkout"
    return note


def mb(n: float) -> str:
    return f"{n / 1e6:,.1f} MB"


def kb(n: float) -> str:
    return f"{n / 1e3:,.0f} kB"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "-"


def table(results: list[SizeResult]) -> list[str]:
    head = "| | " + " | ".join(f"plain {r.n:,} | ours {r.n:,} | ours/plain" for r in results) + " |"
    rows = [head, "|---|" + "---:|---:|---:|" * len(results)]

    def row(label, get, fmt, show_ratio=True):
        cells = []
        for r in results:
            a, b = get(r)
            cells += [fmt(a) if a is not None else "-", fmt(b) if b is not None else "-",
                      ratio(b, a) if show_ratio and a and b is not None else ""]
        rows.append(f"| {label} | " + " | ".join(cells) + " |")

    def worst(searches, attr):
        return max((getattr(s, attr) for s in searches), default=None)

    row("build, wall time", lambda r: (r.plain.wall, r.ours.wall), lambda v: f"{v:.1f} s")
    row("build, CPU time (user+sys)", lambda r: (r.plain.cpu, r.ours.cpu), lambda v: f"{v:.1f} s")
    row("peak memory, process tree", lambda r: (r.plain.tree_rss, r.ours.tree_rss), lambda v: f"{v:,.0f} MB")
    row("peak memory, largest process", lambda r: (r.plain.largest_rss, r.ours.largest_rss), lambda v: f"{v:,.0f} MB")
    row("site size", lambda r: (r.plain_size[0], r.ours_size[0]), mb)
    row("files in the site", lambda r: (r.plain_size[1], r.ours_size[1]), lambda v: f"{v:,}")
    row("one search, bytes as served (largest query)", lambda r: (worst(r.plain_search, "raw"),
                                                                  worst(r.ours_search, "raw")), kb)
    row("one search, gzip on the wire (largest query)", lambda r: (worst(r.plain_search, "gzipped"),
                                                                   worst(r.ours_search, "gzipped")), kb)
    row("leak scan inside the cold build (its log)", lambda r: (None, r.ours.scan), lambda v: f"{v:.1f} s", False)
    row("leak scan inside the cold build / the build", lambda r: (None, r.ours.scan and r.ours.scan / r.ours.wall),
        lambda v: f"{v:.1%}", False)
    row(f"leak scan alone, median of {SCAN_RUNS} runs (in-process)", lambda r: (None, statistics.median(r.scan_runs)),
        lambda v: f"{v:.1f} s", False)
    row(f"leak scan alone, fastest and slowest of {SCAN_RUNS}", lambda r: (None, f"{min(r.scan_runs):.1f} to "
                                                                           f"{max(r.scan_runs):.1f} s"), str, False)
    row("rebuild after adding one decision (warm cache)", lambda r: (None, r.rebuild.wall), lambda v: f"{v:.1f} s",
        False)
    row("rebuild / full build", lambda r: (None, r.rebuild.wall / r.ours.wall), lambda v: f"{v:.2f}x", False)
    row("render cache entries after the cold build", lambda r: (None, r.cache_entries), lambda v: f"{v:,}", False)
    row("canaries leaked into (b) / planted", lambda r: (None, f"{len(r.leaked)} / {r.canaries}"), str, False)
    return rows


def targets(results: list[SizeResult]) -> list[tuple[str, str, bool]]:
    r = next((x for x in results if x.n == TARGETS_AT), results[-1])
    out = []

    def check(name, value, ok):
        out.append((f"{name} (at {r.n:,})", value, ok))

    check("our build <= 1.15x plain", ratio(r.ours.wall, r.plain.wall), r.ours.wall <= 1.15 * r.plain.wall)
    check("site size <= 1.1x plain plus its search index", ratio(r.ours_size[0], r.plain_size[0]),
          r.ours_size[0] <= 1.1 * r.plain_size[0])
    # The scan's share of the build it ran in; the runs alone are shown beside it as a check.
    if r.ours.scan is None:
        check("leak scan <= 10% of our build", "not in the build's log", False)
    else:
        check("leak scan <= 10% of our build", f"{r.ours.scan / r.ours.wall:.1%}", r.ours.scan <= 0.1 * r.ours.wall)
    check("peak memory < 2 GB (whole process tree)", f"{r.ours.tree_rss:,.0f} MB", r.ours.tree_rss < 2048)
    if r.ours_search:
        biggest = max(s.raw for s in r.ours_search)
        check("one search <= 1 MB (as served, largest query)", kb(biggest), biggest <= 1_000_000)
    check("rebuild after one added decision <= 0.5x full build", ratio(r.rebuild.wall, r.ours.wall),
          r.rebuild.wall <= 0.5 * r.ours.wall)
    for x in results:
        out.append((f"no canary in any file of (b) (at {x.n:,})", f"{len(x.leaked)} of {x.canaries} leaked",
                    not x.leaked and x.released_seen == x.released))
    return out


def report(results: list[SizeResult], command: str, started: str, load: tuple[str, str], elapsed: float) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Written by `scripts/benchmark` (not run in CI). Do not edit above the Analysis heading: the next run",
        "replaces it.",
        "",
        f"- Command: `{command}`",
        f"- Run: {started} (took {elapsed / 60:.1f} min); load average before {load[0]}, after {load[1]}",
        *(f"- Machine: {m}" for m in machine()),
        f"- Source: {source_note()}",
        f"- Corpus: `scripts/generate-corpus N DIR` (seed 5000), as-of date {corpus_mod.AS_OF.isoformat()};"
        f" queries {', '.join(repr(q) for q in QUERIES)}",
        "",
        "## Results",
        "",
        *table(results),
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "|---|---:|---|",
        *(f"| {name} | {value} | {'pass' if ok else '**fail**'} |" for name, value, ok in targets(results)),
        "",
        "## Method",
        "",
        "- (a) plain: the same content folder, Material for MkDocs with the project's theme and Markdown",
        "  settings, no foia plugin, Material's `search` plugin on, `not_in_nav: /decisions/**`, Part 2 files",
        "  and the records withheld on the as-of date excluded (so both sites publish the same decisions),",
        "  our page templates replaced by stubs that extend `main.html`.",
        "- (b) ours: the project's `mkdocs.yml` as it is at run time, `docs_dir` pointed at the corpus, the",
        "  cache folder (rendered Part 1 HTML, whole pages, search bundles) fresh and empty (cold). Its build",
        "  time includes the render-ahead helper process, every Pagefind run (some while MkDocs still writes",
        "  pages) and the plugin's own leak scans. The replaced site of a rebuild is deleted by a detached",
        "  process after the new one is in place, which is not counted.",
        "- Wall time: from starting `python -m mkdocs build` to its exit. CPU time and the largest process's",
        "  peak memory come from `wait4()` on the build (Pagefind included, as a waited-for child). CPU time",
        "  also counts what the build leaves behind: the leak scan's fork server (with its workers' time)",
        "  ends just after the build, and the benchmark, a child subreaper, waits for it. The",
        "  process-tree peak sums the proportional set size (PSS: shared pages counted once) of the build",
        "  and all its children, sampled every 0.25 s.",
        "- Site size: the bytes of every file in the built folder; the plain site includes its search index.",
        "- One search: the site served by `http.server` on 127.0.0.1, headless Chromium (Playwright)",
        "  opens the page (plain: the home page and Material's search box; ours: /search/), types the query,",
        "  waits for results; every response of the search machinery from page load to results is summed",
        "  (plain: `search/search_index.json` and Material's search worker; ours: everything under",
        "  `/pagefind/` and `assets/foia/search.js`). 'gzip on the wire' assumes the server gzips what",
        "  compresses; Pagefind's index chunks and fragments are already gzip files.",
        "- Leak scan: the target compares the scan inside the cold build of (b), timed by the plugin and",
        "  read from its log ('Leak scan passed: ..., N s'), with that build's wall time. As a check, the",
        "  scan also runs alone, `leakscan.scan_with_plan` on the finished site of (b) in this process with",
        f"  the plan for the as-of date and a fresh scanner each time, {SCAN_RUNS} times (median, fastest, slowest).",
        "- Canaries: every file of (b) is read (gzip members unpacked) and searched for every canary; the",
        "  'released' markers of records whose deferral has ended must be found, proving the search works.",
        "- Rebuild: one public decision added to the corpus (in the newest year, as new decisions are),",
        "  then (b) built again, same as-of date, with the cache folder the cold build left.",
        "",
    ]
    return "\n".join(lines)
