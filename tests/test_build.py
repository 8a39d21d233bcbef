"""Real builds through the plugin: what is public appears, what is withheld is absent
from every file of the site, and a failed build changes nothing."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, SiteProject

PART2_CANARY = "The Part 2 canary is AMBER FALCON TWENTY and names the winning bidder."
DEFERRED_CANARY = "The deferred canary is INDIGO WALRUS THIRTY and describes the operation."
DEFERRED_TITLE = "Operation Nightjar covert equipment purchase"


def standard(project: SiteProject) -> SiteProject:
    project.add_record("DMPCD 2016 010", "2016-01-11", "The public decision body mentions a community garden grant.\n\n"
                       "The costs are in [the cost appendix](dmpcd-2016-010.appendix.csv).",
                       part2="true", part2_reason="Commercially sensitive prices.")
    project.write("decisions/2016/dmpcd-2016-010.part2.md",
                  f"---\nreference: DMPCD 2016 010\n---\n\n{PART2_CANARY}\n")
    project.write("decisions/2016/dmpcd-2016-010.part2.pdf", b"%PDF-1.4 confidential annex")
    project.write("decisions/2016/dmpcd-2016-010.appendix.csv", b"item,cost\npublic,1\n")
    project.add_record("DMPCD 2016 020", "2016-02-01", f"{DEFERRED_CANARY}\n\nSee [the annex](dmpcd-2016-020.annex.csv).",
                       title=f"'{DEFERRED_TITLE}'",
                       deferred="true", deferred_reason="Operational security.", deferred_until="2016-03-01")
    project.write("decisions/2016/dmpcd-2016-020.annex.csv", b"secret,annex\n")
    return project


def assert_absent(project: SiteProject, *needles: str):
    for needle in needles:
        assert project.files_containing(needle) == [], f"{needle!r} leaked"


def test_withheld_material_is_in_no_file_before_the_deferral_date(project):
    standard(project).build("2016-02-15")
    files = project.site_files()
    assert "decisions/2016/dmpcd-2016-010/index.html" in files
    assert "search/search_index.json" in files and "sitemap.xml" in files and "404.html" in files
    assert_absent(project, "AMBER FALCON TWENTY", "INDIGO WALRUS THIRTY", DEFERRED_TITLE,
                  "DMPCD 2016 020", "dmpcd-2016-020", "part2.pdf", "secret,annex")
    assert not any("part2" in rel for rel in files)
    assert "decisions/2016/dmpcd-2016-010.appendix.csv" in files, "a public attachment is copied"
    page = files["decisions/2016/dmpcd-2016-010/index.html"].decode()
    assert "There is a Part 2 form" in page and "Commercially sensitive prices." in page


def test_deferred_record_appears_on_its_date_and_part2_never(project):
    standard(project).build("2016-03-01")
    files = project.site_files()
    page = files["decisions/2016/dmpcd-2016-020/index.html"].decode()
    assert "INDIGO WALRUS THIRTY" in page and DEFERRED_TITLE in page
    assert "Publication was deferred until" in page and "1 March 2016" in page
    assert "decisions/2016/dmpcd-2016-020.annex.csv" in files
    assert "dmpcd-2016-020" in files["sitemap.xml"].decode()
    assert "INDIGO WALRUS THIRTY" in files["search/search_index.json"].decode()
    assert DEFERRED_TITLE in files["index.html"].decode(), "home page lists it"
    assert DEFERRED_TITLE in files["decisions/2016/index.html"].decode(), "year page lists it"
    assert_absent(project, "AMBER FALCON TWENTY", "part2.pdf")


def test_a_stale_withheld_page_never_survives_a_later_build(project):
    standard(project)
    project.build("2016-03-01")
    assert (project.site / "decisions/2016/dmpcd-2016-020/index.html").exists()
    project.build("2016-02-15")  # e.g. a deferral date corrected to a later day
    assert not (project.site / "decisions/2016/dmpcd-2016-020").exists()
    assert_absent(project, "INDIGO WALRUS THIRTY")


def test_decision_page_and_stable_url(project):
    project.add_record("DMPCD 2015 148", "2015-12-10", "## Recommendation\n\nThe DMPC is asked to approve.",
                       title="Supporting Innovation", tags="[innovation]")
    project.build("2015-12-11")
    page = (project.site / "decisions/2015/dmpcd-2015-148/index.html").read_text(encoding="utf-8")
    for text in ("DMPCD 2015 148", "Supporting Innovation", "Deputy Mayor for Policing and Crime",
                 "10 December 2015", "Not deferred", "There is no Part 2 form", "The DMPC is asked to approve."):
        assert text in page


def test_listings_are_newest_first(project):
    project.add_record("DMPCD 2016 001", "2016-01-04", title="Oldest decision")
    project.add_record("DMPCD 2016 003", "2016-03-07", title="Newest decision")
    project.add_record("DMPCD 2016 002", "2016-02-01", title="Middle decision")
    project.build("2016-04-01")
    for rel in ("index.html", "decisions/2016/index.html"):
        html = (project.site / rel).read_text(encoding="utf-8")
        positions = [html.index(t) for t in ("Newest decision", "Middle decision", "Oldest decision")]
        assert positions == sorted(positions), rel


def test_explicit_nav_entry_to_a_withheld_page_is_pruned(project):
    standard(project)
    project.configure(extra="")
    yml = (project.root / "mkdocs.yml").read_text()
    yml = yml.replace("  - Decisions: decisions/index.md\n",
                      "  - Decisions: decisions/index.md\n  - Secret: decisions/2016/dmpcd-2016-020.md\n")
    (project.root / "mkdocs.yml").write_text(yml)
    project.build("2016-02-15")
    assert_absent(project, DEFERRED_TITLE, "dmpcd-2016-020", "INDIGO WALRUS")


def test_public_page_linking_to_withheld_page_fails_naming_both(project):
    standard(project)
    project.add_record("DMPCD 2016 030", "2016-02-10", "See [the earlier decision](dmpcd-2016-020.md) for context.")
    proc = project.build("2016-02-15", check=False)
    assert proc.returncode != 0
    assert "decisions/2016/dmpcd-2016-030.md links to withheld decision decisions/2016/dmpcd-2016-020.md" in proc.stderr
    assert not project.site.exists(), "nothing was published"


def test_public_text_quoting_withheld_text_fails_the_leak_scan(project):
    standard(project)
    project.write("about.md", f"# About\n\n{PART2_CANARY}\n")
    proc = project.build("2016-02-15", check=False)
    assert proc.returncode != 0
    assert "leak scan found withheld material" in proc.stderr
    assert "about/index.html" in proc.stderr and "decisions/2016/dmpcd-2016-010.part2.md" in proc.stderr


def test_invalid_records_fail_a_strict_build_listing_every_problem(project):
    standard(project).build("2016-02-15")
    before = project.site_files()
    project.add_record("DMPCD 2016 040", "2016-02-10", defered="true")
    project.add_record("DMPCD 2016 041", "2016-02-11", approved="2016-02-30")
    proc = project.build("2016-02-15", check=False)
    assert proc.returncode != 0
    assert "decisions/2016/dmpcd-2016-040.md: key 'defered': unknown key (did you mean 'deferred'?)" in proc.stderr
    assert "decisions/2016/dmpcd-2016-041.md: key 'approved': is not a real date" in proc.stderr
    assert project.site_files() == before, "a failed build leaves the previous site untouched"
    assert [p.name for p in project.root.iterdir() if p.name.startswith(".site")] == [], "no staging folder left"


def test_non_strict_plugin_withholds_invalid_records_with_a_warning(project):
    project.configure(strict=False, mkdocs_strict=False)
    project.add_record("DMPCD 2016 001", "2016-01-04", "A valid public record body text.")
    project.add_record("DMPCD 2016 002", "2016-01-05", "The invalid canary is OLIVE MARMOT FORTY in this body text.",
                       deferred="perhaps")
    proc = project.build("2016-02-01")
    assert "key 'deferred': must be true or false" in proc.stderr
    assert (project.site / "decisions/2016/dmpcd-2016-001/index.html").exists()
    assert_absent(project, "OLIVE MARMOT FORTY", "dmpcd-2016-002")
    # mkdocs --strict turns that warning into a failure, and the site stays as it was.
    before = project.site_files()
    proc = project.build("2016-02-01", "--strict", check=False)
    assert proc.returncode != 0
    assert project.site_files() == before


def test_bad_as_of_fails_the_build(project):
    project.add_record("DMPCD 2016 001", "2016-01-04")
    proc = project.build("2016-02-30", check=False)
    assert proc.returncode != 0 and "FOIA_AS_OF is not a real date" in proc.stderr


def test_project_content_builds_strict(tmp_path):
    env = {**os.environ, "FOIA_AS_OF": "2026-11-25", "NO_MKDOCS_2_WARNING": "1"}
    # A copy of the project, so the first build starts with no cache (every Pagefind run
    # and cache write happens) and the second replaces its site from a warm cache.
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    site = tmp_path / "site"
    for _build in ("first", "second: replaces the first site"):
        proc = subprocess.run([sys.executable, "-W", "default", "-m", "mkdocs", "build", "--strict", "-f",
                               str(tmp_path / "mkdocs.yml")],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        assert "Warning:" not in proc.stderr, "no Python warning, e.g. a deprecated MkDocs API"
    assert (site / "decisions/2015/dmpcd-2015-148/index.html").exists()
    # The sample canaries of the undated and the future deferral, and of the Part 2 form.
    sample = SiteProject.__new__(SiteProject)
    sample.site = site
    for canary in ("TANGERINE HERON FOURTEEN", "COBALT LANTERN NINETY", "MAGENTA ORCHARD SEVENTEEN"):
        assert sample.files_containing(canary) == [], canary
    # Each heading shows its permalink ("¶"); the search text and excerpts leave it out.
    page = (site / "decisions/2015/dmpcd-2015-148/index.html").read_text(encoding="utf-8")
    assert 'class="headerlink"' in page
    fragments = [gzip.decompress(p.read_bytes()).decode("utf-8") for p in site.glob("pagefind/*/fragment/*")]
    assert any("dmpcd-2015-148" in f for f in fragments)
    assert [f for f in fragments if "\u00b6" in f] == []


@pytest.mark.parametrize("as_of", ["2016-02-15", "2016-03-01"])
def test_every_file_is_free_of_part2_bytes(project, as_of):
    standard(project).build(as_of)
    for rel, data in project.site_files().items():
        assert b"confidential annex" not in data, rel


def test_the_ledger_inside_content_is_never_copied(project):
    project.add_record("DMPCD 2016 001", "2016-01-04")
    project.write("publication-log.yml", "first_published:\n  DMPCD 2016 001: 2016-01-05\n")
    project.configure(extra="")
    yml = (project.root / "mkdocs.yml").read_text().replace("cache_dir: \"\"", "cache_dir: \"\"\n      ledger: content/publication-log.yml")
    (project.root / "mkdocs.yml").write_text(yml)
    project.build("2016-02-01")
    assert not (project.site / "publication-log.yml").exists()
    page = (project.site / "decisions/2016/dmpcd-2016-001/index.html").read_text(encoding="utf-8")
    assert "5 January 2016" in page, "the page shows the ledger's publication date"


def test_decision_page_says_whether_it_was_published_on_time(project):
    # Approved Friday 24 Dec 2021: due Wednesday 29 Dec (27 and 28 are bank holidays).
    project.add_record("DMPCD 2021 300", "2021-12-24", title="On time decision")
    project.add_record("DMPCD 2021 301", "2021-12-24", title="Late decision")
    project.write("publication-log.yml",
                  "first_published:\n  DMPCD 2021 300: 2021-12-29\n  DMPCD 2021 301: 2021-12-30\n")
    yml = (project.root / "mkdocs.yml").read_text().replace('cache_dir: ""', 'cache_dir: ""\n      ledger: content/publication-log.yml')
    (project.root / "mkdocs.yml").write_text(yml)
    project.build("2022-01-10")
    on_time = (project.site / "decisions/2021/dmpcd-2021-300/index.html").read_text(encoding="utf-8")
    late = (project.site / "decisions/2021/dmpcd-2021-301/index.html").read_text(encoding="utf-8")
    assert "29 December 2021</time>, on time" in on_time
    assert "30 December 2021</time>, later than due" in late


def test_the_theme_search_files_are_copied_only_while_the_theme_search_is_on(project):
    """With Material's search on, its worker (and the lunr files it loads) is the site's
    search; with it off, nothing loads them, and they and the source maps stay out."""

    def theme_search_files() -> list[str]:
        return sorted(rel for rel in project.site_files()
                      if rel.startswith(("assets/javascripts/workers/", "assets/javascripts/lunr/"))
                      or rel.endswith(".map"))

    project.add_record("PCD 2020 001", "2020-03-02")
    project.build("2020-03-10")
    assert any(rel.startswith("assets/javascripts/workers/search.") for rel in theme_search_files())

    yml = project.root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("  - search\n", ""), encoding="utf-8")
    project.build("2020-03-10")
    assert theme_search_files() == []
    site = project.site_files()
    assert any(rel.startswith("assets/javascripts/bundle.") for rel in site), "the theme's own script stays"
    assert "decisions/2020/pcd-2020-001/index.html" in site


def test_a_search_index_failure_stops_the_build_and_keeps_the_last_site(project):
    """Pagefind's bundles go to /pagefind/: a content page there is a conflict the build
    names, and the site of the last good build stays as it was."""
    project.configure(pagefind=True)
    project.add_record("PCD 2020 001", "2020-03-02")
    project.build("2020-03-10")
    before = project.site_files()
    assert any(rel.startswith("pagefind/2020/") for rel in before)

    project.write("pagefind/notes.md", "# Notes\n\nA page where the search index goes.\n")
    proc = project.build("2020-03-10", check=False)
    assert proc.returncode != 0
    assert "foia: search index:" in proc.stderr and "pagefind already exists in the site" in proc.stderr
    assert "nothing was published" in proc.stderr
    assert project.site_files() == before
