"""scripts/benchmark [--sizes 1000,5000] [--work DIR] [--no-search] [--output FILE|-]"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmark import ANALYSIS, ROOT, SIZES
from benchmark.builds import adopt_orphans
from benchmark.report import report, targets
from benchmark.sizes import run_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmark", description="Benchmark plain Material for MkDocs against our site")
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
