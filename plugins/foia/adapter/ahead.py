"""Render ahead: a forked helper process works through the record pages from the far
end while the build works from the front, so a two-CPU machine shares the Markdown
rendering (MkDocs renders one page at a time).

The helper only fills the render cache. The build reads each entry exactly as it reads
any cache entry, and renders itself whatever is missing, so a helper that is slow, dies
or is never started changes how long the build takes, never what it publishes. It never
writes to the site and its log output is discarded (it renders only pages the build
would render anyway; the build itself logs every warning of its own pages).
"""

from __future__ import annotations

import contextlib
import logging
import mmap
import os
import signal
import struct
import threading
from collections.abc import Callable

MIN_PAGES = 64  # below this, forking costs more than it saves
_SLOTS = struct.Struct("qqq")  # the build's position, stop flag, pages the helper rendered


class RenderAhead:
    def __init__(self, count: int, render: Callable[[int], None]):
        self.count = count
        self.render = render
        self.pid: int | None = None
        self.in_helper = False
        self._shared = mmap.mmap(-1, _SLOTS.size)  # anonymous and shared: survives fork
        _SLOTS.pack_into(self._shared, 0, -1, 0, 0)

    @staticmethod
    def possible() -> bool:
        """Forking is safe only with no other thread alive (mkdocs serve runs a server)."""
        return hasattr(os, "fork") and threading.active_count() == 1 and (os.cpu_count() or 1) > 1

    def start(self) -> bool:
        if self.count < MIN_PAGES or not self.possible():
            return False
        pid = os.fork()
        if pid == 0:  # the helper
            self.in_helper = True
            status = 0
            try:
                logging.disable(logging.CRITICAL)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                for done, i in enumerate(range(self.count - 1, -1, -1), start=1):
                    position, stop, _ = _SLOTS.unpack_from(self._shared, 0)
                    if stop or i <= position:
                        break
                    self.render(i)
                    struct.pack_into("q", self._shared, 16, done)
            except BaseException:  # the build renders whatever is missing
                status = 1
            finally:
                os._exit(status)
        self.pid = pid
        return True

    def reached(self, index: int) -> None:
        """The build is now rendering page ``index``: the helper stops before it."""
        if self.pid is not None and not self.in_helper:
            struct.pack_into("q", self._shared, 0, index)

    def stop(self) -> int:
        """Tell the helper to stop after its current page and wait for it; returns the
        number of pages it rendered."""
        if self.pid is None or self.in_helper:
            return 0
        struct.pack_into("q", self._shared, 8, 1)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self.pid = None
        return _SLOTS.unpack_from(self._shared, 0)[2]

    def kill(self) -> None:
        """On a failed build: end the helper at once."""
        if self.pid is None or self.in_helper:
            return
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        self.pid = None
