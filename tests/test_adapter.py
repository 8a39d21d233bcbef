"""The MkDocs adapter: the same site from MkDocs and ProperDocs, the staged docs folder,
the typed options, and folders left by a killed build."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, SiteProject

GENERATOR_LINE = re.compile(rb'<meta name="generator" content="[^"]*">')
GENERATORS = ("mkdocs", "properdocs")


def _build(root: Path, generator: str, *args: str, as_of: str = "2026-11-25") -> subprocess.CompletedProcess:
    env = {**os.environ, "FOIA_AS_OF": as_of, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    return subprocess.run([sys.executable, "-m", generator, "build", "-f", str(root / "mkdocs.yml"), *args],
                          cwd=root, env=env, capture_output=True, text=True, timeout=600)


def _sample_project(root: Path) -> Path:
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    if (ROOT / "stock-wording.txt").exists():
        shutil.copy(ROOT / "stock-wording.txt", root / "stock-wording.txt")
    return root


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_mkdocs_and_properdocs_build_the_same_site(tmp_path):
    pytest.importorskip("properdocs")
    sites = {}
    for generator in GENERATORS:
        root = _sample_project(tmp_path / generator)
        proc = _build(root, generator, "--strict")
        assert proc.returncode == 0, proc.stderr
        assert "Leak scan passed" in proc.stderr
        sites[generator] = _files(root / "site")
    mine, theirs = sites["mkdocs"], sites["properdocs"]
    # Pagefind's index files are named by a hash of the pages, which differ in the generator line.
    pages = {rel for rel in mine if not rel.startswith("pagefind/")}
    assert pages == {rel for rel in theirs if not rel.startswith("pagefind/")}
    assert {rel for rel in mine if rel.startswith("pagefind/")}, "a search index was built"
    html = sorted(rel for rel in pages if rel.endswith(".html"))
    assert len(html) > 10
    for rel in sorted(pages):
        a, b = mine[rel], theirs[rel]
        if rel.endswith(".html"):
            assert len(GENERATOR_LINE.findall(a)) == 1, rel
            a, b = GENERATOR_LINE.sub(b"", a), GENERATOR_LINE.sub(b"", b)
        assert a == b, f"{rel} differs between MkDocs and ProperDocs"


@pytest.mark.parametrize("generator", GENERATORS)
def test_a_strict_build_that_fails_on_a_warning_leaves_the_site_untouched(tmp_path, generator):
    if generator == "properdocs":
        pytest.importorskip("properdocs")
    project = SiteProject(tmp_path / "p")
    project.add_record("DMPCD 2016 001", "2016-01-04")
    assert _build(project.root, generator, "--strict").returncode == 0
    before = _files(project.site)
    # A link to a page that does not exist: a warning from the generator itself.
    project.write("about.md", "# About\n\nSee [the missing page](missing.md).\n")
    proc = _build(project.root, generator, "--strict")
    assert proc.returncode != 0
    assert "missing.md" in proc.stderr
    assert _files(project.site) == before, "the failed build changed site/"
    leftovers = [p.name for p in project.root.iterdir() if p.name.startswith((".site-", ".foia-docs-"))]
    assert leftovers == [] or all(p.startswith(".site-old-") for p in leftovers)


def test_as_of_written_unquoted_in_mkdocs_yml_is_a_date(project):
    project.add_record("DMPCD 2016 001", "2016-01-04")
    project.add_record("DMPCD 2016 002", "2016-03-04", "The March decision text.")
    text = (project.root / "mkdocs.yml").read_text().replace('cache_dir: ""', 'cache_dir: ""\n      as_of: 2016-02-01')
    (project.root / "mkdocs.yml").write_text(text)
    env = {k: v for k, v in os.environ.items() if k != "FOIA_AS_OF"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(project.root / "mkdocs.yml")],
                          cwd=project.root, env={**env, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "as of 2016-02-01" in proc.stderr
    assert (project.site / "decisions/2016/dmpcd-2016-001/index.html").exists()
    assert not (project.site / "decisions/2016/dmpcd-2016-002/index.html").exists()


@pytest.mark.parametrize("value, message", [
    ("'2016-02-30'", "not a real date"),  # unquoted, MkDocs' own YAML loader fails first
    ("'01/02/2016'", "YYYY-MM-DD"),
    ("2016-02-01 10:00:00", "date and time"),
    ("[2016]", "YYYY-MM-DD"),
])
def test_a_bad_as_of_option_names_the_option(project, value, message):
    project.add_record("DMPCD 2016 001", "2016-01-04")
    text = (project.root / "mkdocs.yml").read_text().replace('cache_dir: ""', f'cache_dir: ""\n      as_of: {value}')
    (project.root / "mkdocs.yml").write_text(text)
    env = {k: v for k, v in os.environ.items() if k != "FOIA_AS_OF"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(project.root / "mkdocs.yml")],
                          cwd=project.root, env={**env, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode != 0
    assert "as_of" in proc.stderr and message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_generator_reads_only_the_staged_public_files(project):
    """A plugin listed after ours sees the docs folder MkDocs reads: it must hold no
    withheld file, Part 2 file or ledger."""
    project.add_record("DMPCD 2016 001", "2016-01-04", "Public text.", part2="true", part2_reason="Prices.")
    project.add_record("DMPCD 2016 002", "2016-01-05", "Deferred text.", deferred="true", deferred_reason="Why.")
    project.write("decisions/2016/dmpcd-2016-001.part2.md", "---\nreference: DMPCD 2016 001\n---\nSecret.\n")
    project.write("publication-log.yml", "first_published: {}\n")
    hook = project.root / "listing_hook.py"
    hook.write_text(
        "import json, os\n"
        "def on_files(files, config):\n"
        "    found = sorted(os.path.relpath(os.path.join(d, f), config.docs_dir)\n"
        "                   for d, _, names in os.walk(config.docs_dir) for f in names)\n"
        "    open(os.path.join(os.path.dirname(__file__), 'seen.json'), 'w').write(json.dumps(\n"
        "        {'docs_dir': config.docs_dir, 'files': found}))\n"
        "    return files\n")
    text = (project.root / "mkdocs.yml").read_text()
    (project.root / "mkdocs.yml").write_text(text + "hooks:\n  - listing_hook.py\n")
    text = (project.root / "mkdocs.yml").read_text().replace(
        'cache_dir: ""', 'cache_dir: ""\n      ledger: content/publication-log.yml')
    (project.root / "mkdocs.yml").write_text(text)
    project.build("2016-02-01")
    import json

    seen = json.loads((project.root / "seen.json").read_text())
    assert Path(seen["docs_dir"]).resolve() != project.content.resolve()
    assert seen["files"] == ["decisions/2016/dmpcd-2016-001.md", "index.md"]
    assert not Path(seen["docs_dir"]).exists(), "the stage is removed after the build"


def test_folders_of_a_killed_build_are_removed_by_the_next(project):
    project.add_record("DMPCD 2016 001", "2016-01-04")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale_site = project.root / f".site-building-{dead.pid}-abcd1234"
    stale_docs = project.root / f".foia-docs-{dead.pid}-abcd1234"
    for folder in (stale_site, stale_docs):
        (folder / "decisions").mkdir(parents=True)
        (folder / "decisions" / "withheld.html").write_text("old")
    alive = project.root / f".site-building-{os.getpid()}-live0000"  # a build still running
    alive.mkdir()
    project.build("2016-02-01")
    deadline = time.monotonic() + 10  # removed by a detached process
    while (stale_site.exists() or stale_docs.exists()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not stale_site.exists() and not stale_docs.exists()
    assert alive.exists(), "a folder of a build still running is left alone"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def test_serve_uses_the_stage_and_reloads_on_edits_under_content(project):
    project.add_record("DMPCD 2016 001", "2016-01-04", "The first wording of the decision.")
    project.add_record("DMPCD 2016 002", "2016-01-05", "Deferred wording.", deferred="true", deferred_reason="Why.")
    port = _free_port()
    env = {**os.environ, "FOIA_AS_OF": "2016-02-01", "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "-f",
                               str(project.root / "mkdocs.yml")], cwd=project.root, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/decisions/2016/dmpcd-2016-001/"
    try:
        page = _wait_for(lambda: _get(url), lambda text: "first wording" in text)
        assert "first wording" in page
        with pytest.raises(OSError):  # urllib raises HTTPError (an OSError) for the 404
            _get(f"http://127.0.0.1:{port}/decisions/2016/dmpcd-2016-002/")
        project.add_record("DMPCD 2016 001", "2016-01-04", "The second wording of the decision.")
        page = _wait_for(lambda: _get(url), lambda text: "second wording" in text)
        assert "second wording" in page
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    assert not [p for p in project.root.iterdir() if p.name.startswith(".foia-docs-")]


def _wait_for(fetch, ok, timeout: float = 60):
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            last = fetch()
            if ok(last):
                return last
        except OSError:
            pass
        time.sleep(0.3)
    return last


def test_the_sample_site_builds_as_of_a_date_before_every_decision(tmp_path):
    """Nothing the site prints of its own (schema examples, the open data page) may be a
    real reference: as of a day before every decision, each one is withheld."""
    root = _sample_project(tmp_path / "early")
    proc = _build(root, "mkdocs", "--strict", as_of="2010-01-01")
    assert proc.returncode == 0, proc.stderr
    assert "0 decisions public" in proc.stderr
    site = _files(root / "site")
    for record in sorted((root / "content" / "decisions").rglob("*.md")):
        assert not any(rel.startswith(f"decisions/{record.parent.name}/{record.stem}") for rel in site), record
