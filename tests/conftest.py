"""Shared helpers: write a small content tree into tmp_path and build it for real."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

MKDOCS_YML = """\
site_name: Test decisions
site_url: https://decisions.test/
docs_dir: content
site_dir: site
strict: {mkdocs_strict}
theme:
  name: material
  font: false
nav:
  - Home: index.md
  - Decisions: decisions/index.md
not_in_nav: |
  /decisions/**
plugins:
  - search
  - foia:
      strict: {strict}
      announce_deferred: {announce}
      pagefind: {pagefind}
      search_bundle_pages: 1  # one search bundle per year: every search merges bundles
      cache_dir: ""
markdown_extensions:
  - tables
"""


def record_text(reference: str, approved: str, body: str = "The decision text.", /, **fields) -> str:
    """Front matter + body for a record; fields override or add keys (None removes)."""
    meta = {
        "reference": reference,
        "title": f"Decision {reference}",
        "approved": approved,
        "decision_maker": "Deputy Mayor for Policing and Crime",
        "deferred": "false",
        "part2": "false",
    }
    meta.update(fields)
    lines = [f"{k}: {v}" for k, v in meta.items() if v is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + textwrap.dedent(body).strip() + "\n"


def record_path(reference: str, approved: str) -> str:
    from foia.rules.records import slugify

    return f"decisions/{approved[:4]}/{slugify(reference)}.md"


class SiteProject:
    """A throwaway project: content files + mkdocs.yml, built with the real plugin."""

    def __init__(self, root: Path, *, strict: bool = True, announce: bool = False, pagefind: bool = False):
        self.root = root
        self.content = root / "content"
        self.site = root / "site"
        self.content.mkdir(parents=True, exist_ok=True)
        (self.content / "index.md").write_text(
            "---\ntitle: Home\ntemplate: foia/home.html\n---\n\n# Decisions\n\nWelcome.\n", encoding="utf-8"
        )
        self.configure(strict=strict, announce=announce, pagefind=pagefind)

    def configure(self, *, strict: bool = True, announce: bool = False, pagefind: bool = False, extra: str = "",
                  mkdocs_strict: bool = True):
        text = MKDOCS_YML.format(strict=str(strict).lower(), announce=str(announce).lower(),
                                 pagefind=str(pagefind).lower(), mkdocs_strict=str(mkdocs_strict).lower())
        (self.root / "mkdocs.yml").write_text(text + extra, encoding="utf-8")

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def add_record(self, reference: str, approved: str, body: str = "The decision text.", /, **fields) -> Path:
        return self.write(record_path(reference, approved), record_text(reference, approved, body, **fields))

    def build(self, as_of: str, *extra_args: str, check: bool = True) -> subprocess.CompletedProcess:
        env = {**os.environ, "FOIA_AS_OF": as_of, "NO_MKDOCS_2_WARNING": "1"}
        proc = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-f", str(self.root / "mkdocs.yml"), *extra_args],
            cwd=self.root, env=env, capture_output=True, text=True, timeout=600,
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"build failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        return proc

    def site_files(self) -> dict[str, bytes]:
        return {p.relative_to(self.site).as_posix(): p.read_bytes() for p in self.site.rglob("*") if p.is_file()}

    def files_containing(self, needle: str) -> list[str]:
        """Every built file whose bytes (or gzip-unpacked bytes) contain needle, any case."""
        import gzip

        hits = []
        low = needle.casefold().encode()
        for rel, data in self.site_files().items():
            if data[:2] == b"\x1f\x8b":
                with contextlib.suppress(OSError):
                    data = gzip.decompress(data)
            if low in data.decode("utf-8", "replace").casefold().encode():
                hits.append(rel)
        return hits


@pytest.fixture
def project(tmp_path) -> SiteProject:
    return SiteProject(tmp_path / "project")
