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

import argparse
import contextlib
import ctypes
import datetime as dt
import gzip
import importlib.metadata
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import corpus as corpus_mod
import foia
from foia.proof import scan as leakscan
from foia.rules.content import load_content
from foia.rules.plan import build_plan
from localsite import CHROMIUM, CHROMIUM_ARGS, serve

ROOT = Path(__file__).resolve().parents[1]
SIZES = (1000, 5000)
QUERIES = ("knife crime Camden", "contract")  # a specific query and a broad one
PACKAGES = ("mkdocs", "mkdocs-material", "pagefind", "pagefind_bin", "Markdown", "lxml", "ahocorasick-rs",
            "PyYAML", "playwright")
TARGETS_AT = 5000
SCAN_RUNS = 3  # the leak scan alone is run this many times on the finished site
ANALYSIS = "## Analysis"  # BENCHMARKS.md keeps everything from this heading on


# ----------------------------------------------------------------------------- one build


@dataclass
class Build:
    wall: float
    cpu: float  # user + system of the build and every process it waited for
    largest_rss: float  # MB, the largest single process (wait4)
    tree_rss: float  # MB, the most the whole process tree held at once (sampled)
    log: str

    @property
    def scan(self) -> float | None:
        """Seconds the build's own leak scan took, as its log reports them."""
        found = re.search(r"Leak scan passed: .*?, ([0-9.]+) s", self.log)
        return float(found.group(1)) if found else None


class TreeSampler(threading.Thread):
    """Samples the summed memory (PSS) of a process and its descendants."""

    def __init__(self, pid: int, every: float = 0.25):
        super().__init__(daemon=True)
        self.pid, self.every, self.peak = pid, every, 0
        self.seen: set[int] = set()  # every descendant seen
        self.page = os.sysconf("SC_PAGE_SIZE")
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.wait(self.every):
            with contextlib.suppress(OSError):
                self.peak = max(self.peak, self.sample())

    def sample(self) -> int:
        children: dict[int, list[int]] = {}
        for name in os.listdir("/proc"):
            if name.isdigit():
                with contextlib.suppress(OSError, ValueError, IndexError):
                    stat = Path(f"/proc/{name}/stat").read_text()
                    children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(name))
        total, todo = 0, [self.pid]
        while todo:
            pid = todo.pop()
            with contextlib.suppress(OSError, ValueError, IndexError):
                total += self.memory(pid)
            todo.extend(children.get(pid, []))
            self.seen.update(children.get(pid, []))
        return total

    def memory(self, pid: int) -> int:
        """Proportional set size: pages shared with a forked parent count once overall."""
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * self.page

    def stop(self) -> int:
        self._halt.set()
        self.join()
        return self.peak


def build(config: Path, as_of: dt.date, log: Path, env_extra: dict[str, str] | None = None) -> Build:
    env = {**os.environ, "FOIA_AS_OF": as_of.isoformat(), "NO_MKDOCS_2_WARNING": "1", **(env_extra or {})}
    env.pop("FOIA_LEDGER", None)
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-f", str(config)], cwd=config.parent,
                                env=env, stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    tree = sampler.stop()
    text = log.read_text(encoding="utf-8", errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({config}):\n{text[-4000:]}")
    cpu = usage.ru_utime + usage.ru_stime + reap_left_behind(sampler.seen)
    return Build(wall, cpu, usage.ru_maxrss / 1024, tree / 2**20, text)


PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h


def adopt_orphans() -> None:
    """Become the parent of every process a build leaves behind (Linux), so its CPU time
    can be counted: the leak scan's fork server ends just after the build, and its usage
    holds its workers' time (it waits for them). Without this they go to PID 1, uncounted."""
    try:
        failed = ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0
    except (OSError, AttributeError):
        failed = True
    if failed:
        print("warning: cannot adopt the processes a build leaves behind; CPU time leaves out the "
              "leak scan's workers", file=sys.stderr, flush=True)


def reap_left_behind(pids: set[int], patience: float = 30.0) -> float:
    """CPU seconds of the build's descendants that outlived it and are now ours, once ended."""
    total, waiting = 0.0, set(pids)
    deadline = time.monotonic() + patience
    while waiting and time.monotonic() < deadline:
        for pid in list(waiting):
            try:
                done, _status, usage = os.wait4(pid, os.WNOHANG)
            except ChildProcessError:  # not ours: the build waited for it itself
                waiting.discard(pid)
                continue
            if done:
                total += usage.ru_utime + usage.ru_stime
                waiting.discard(pid)
        if waiting:
            time.sleep(0.05)
    return total


def site_size(site: Path) -> tuple[int, int]:
    files = [p for p in site.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def tokens_in_site(site: Path, pattern: re.Pattern[bytes]) -> set[str]:
    """Every token matching pattern in any file of site, gzip members unpacked."""
    found: set[str] = set()
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            with contextlib.suppress(zlib.error, EOFError, OSError):
                data = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, 512 * 2**20)
        found.update(m.decode() for m in pattern.findall(data.lower()))
    return found


# ----------------------------------------------------------------------------- one search


@dataclass
class Search:
    query: str
    raw: int = 0  # bytes of the search machinery as served (no server compression)
    gzipped: int = 0  # the same if the server gzips what compresses (JSON, JS)
    requests: int = 0
    results: int = 0
    files: list[str] = field(default_factory=list)


def is_search_file(url: str, kind: str) -> bool:
    path = url.split("?", 1)[0]
    if kind == "plain":
        return "/search/search_index.json" in path or bool(re.search(r"/workers/search\.[^/]*\.js$", path))
    return "/pagefind/" in path or path.endswith("/assets/foia/search.js")


def measure_search(site: Path, kind: str, query: str) -> Search:
    """Load a page in Chromium, run one query as a visitor does, and sum the bytes of
    every search file fetched (index, worker, chunks, fragments), from page load to results."""
    from playwright.sync_api import sync_playwright

    result = Search(query)
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page()
            bodies: list[tuple[str, bytes]] = []

            def on_response(response):
                if is_search_file(response.url, kind):
                    with contextlib.suppress(Exception):
                        bodies.append((response.url, response.body()))

            page.on("response", on_response)
            if kind == "plain":
                page.goto(base, wait_until="networkidle")
                page.click("input.md-search__input")
                page.locator("input.md-search__input").press_sequentially(query, delay=30)
                page.wait_for_selector(".md-search-result__item", timeout=120_000)
                page.wait_for_load_state("networkidle")
                result.results = page.locator(".md-search-result__item").count()
            else:
                page.goto(base + "search/", wait_until="networkidle")
                page.locator("#foia-search-q").press_sequentially(query, delay=30)
                page.press("#foia-search-q", "Enter")
                page.wait_for_selector("#foia-search-results li", timeout=120_000)
                page.wait_for_load_state("networkidle")
                result.results = page.locator("#foia-search-results li").count()
            for url, body in bodies:
                result.requests += 1
                result.raw += len(body)
                result.gzipped += min(len(body), len(gzip.compress(body, 6)))
                result.files.append(url.split("/", 3)[-1])
        finally:
            browser.close()
    return result


# ----------------------------------------------------------------------------- one size


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
    cache_entries = sum(1 for _ in (work / "ours" / ".foia-cache").rglob("*.json"))

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


# ----------------------------------------------------------------------------- the report


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmark", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="comma-separated numbers of decisions")
    parser.add_argument("--work", help="working folder (default: a temporary folder, removed afterwards)")
    parser.add_argument("--no-search", action="store_true", help="skip the browser search measurement")
    parser.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"), help="report file ('-' for none)")
    args = parser.parse_args(argv)
    adopt_orphans()
    sizes = [int(s) for s in args.sizes.split(",")]
    command = "scripts/benchmark" + "".join(f" {a}" for a in (argv if argv is not None else sys.argv[1:]))
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load_before = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    t0 = time.perf_counter()
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="foia-benchmark-"))
    try:
        results = []
        for n in sizes:
            folder = work / str(n)
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            results.append(run_size(n, folder, searches=not args.no_search))
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    load_after = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    text = report(results, command, started, (load_before, load_after), time.perf_counter() - t0)
    print("\n" + text)
    if args.output != "-":
        out = Path(args.output)
        kept = ""
        if out.exists() and ANALYSIS in (old := out.read_text(encoding="utf-8")):
            kept = old[old.index(ANALYSIS):]
        out.write_text(text + ("\n" + kept if kept else ""), encoding="utf-8")
        print(f"written to {out}")
    return 0 if all(ok for _, _, ok in targets(results)) else 1


if __name__ == "__main__":
    raise SystemExit(main())
