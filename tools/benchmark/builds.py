"""One build, timed and measured: wall and CPU time, memory of the whole process tree."""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import os
import re
import subprocess
import sys
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path


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
