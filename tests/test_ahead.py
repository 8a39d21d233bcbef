"""Render ahead (ahead.py), without MkDocs: the helper works from the far end, stops
where the build is, and its failure never reaches the build."""

from __future__ import annotations

import os
import time

import pytest

from foia.adapter.ahead import MIN_PAGES, RenderAhead

pytestmark = pytest.mark.skipif(not RenderAhead.possible(), reason="needs fork and two CPUs")


def test_the_helper_works_from_the_end_and_stops_before_the_build(tmp_path):
    count = MIN_PAGES * 4

    def render(i: int) -> None:
        (tmp_path / f"{i:04d}").write_text(str(os.getpid()))
        time.sleep(0.002)

    ahead = RenderAhead(count, render)
    assert ahead.start()
    for i in range(count):  # the build: reaches each page in turn until it meets the helper
        ahead.reached(i)
        if (tmp_path / f"{i:04d}").exists():
            break
        time.sleep(0.002)
    met = i
    helped = ahead.stop()
    done = sorted(int(p.name) for p in tmp_path.iterdir())
    assert helped == len(done) > 0
    assert done == list(range(count - helped, count)), "from the far end, without gaps"
    assert min(done) >= met - 1, "never behind the build's position"
    assert {p.read_text() for p in tmp_path.iterdir()} != {str(os.getpid())}, "rendered in another process"


def test_a_helper_that_fails_leaves_the_build_alone(tmp_path):
    def render(i: int) -> None:
        if i == MIN_PAGES * 2 - 3:
            raise RuntimeError("boom")
        (tmp_path / f"{i:04d}").write_text("x")

    ahead = RenderAhead(MIN_PAGES * 2, render)
    assert ahead.start()
    os.waitpid(ahead.pid, 0)  # the failure ends the helper by itself; a timed wait would race a slow machine
    assert ahead.stop() == 2  # two pages, then the failure ended the helper quietly
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{MIN_PAGES * 2 - 2:04d}", f"{MIN_PAGES * 2 - 1:04d}"]


def test_too_few_pages_or_a_stopped_helper_do_nothing():
    assert not RenderAhead(MIN_PAGES - 1, lambda i: None).start()
    ahead = RenderAhead(MIN_PAGES, lambda i: time.sleep(10))
    assert ahead.start()
    ahead.kill()  # a failed build ends the helper at once
    assert ahead.pid is None and ahead.stop() == 0
