"""Route 9: reserved names. A record whose reference slugifies to a name the site uses for
its own pages (a year's listing: index, readme) is an error on 'reference', never a plain
page that replaces the listing; every Markdown file under decisions/ is a record."""

from __future__ import annotations

import datetime as dt

import pytest
from adversarial_helpers import assert_absent, assert_refused, non_strict

from conftest import record_text
from foia.rules.content import load_content
from foia.rules.plan import build_plan
from foia.rules.records import RESERVED_SLUGS, parse_record

CANARY = "The reserved-name canary is VIOLET MONGOOSE NINE in a deferred decision."


@pytest.mark.parametrize("reference", ["Index", "INDEX", "index", "ReadMe", "README", "-Index-"])
def test_a_reserved_slug_is_an_error_on_reference(reference):
    path = "decisions/2016/" + ("readme" if "read" in reference.lower() else "index") + ".md"
    record, errors = parse_record(path, record_text(reference, "2016-02-08").encode())
    assert record is None
    [error] = [e for e in errors if e.key == "reference"]
    assert str(error).startswith(f"{path}: key 'reference': {reference!r} gives the slug ")
    assert "the site keeps for its own pages" in error.message


def test_reserved_slugs_are_the_year_listing_names():
    assert {"index", "readme"} <= RESERVED_SLUGS


@pytest.mark.parametrize("name", ["index.md", "INDEX.md", "readme.md", "README.md", "Index.markdown"])
def test_every_markdown_file_under_decisions_is_a_record(tmp_path, name):
    (tmp_path / "decisions" / "2016").mkdir(parents=True)
    (tmp_path / "decisions" / "2016" / name).write_text(f"# A page\n\n{CANARY}\n", encoding="utf-8")
    content = load_content(tmp_path)
    assert content.pages == [] and [r.path for r in content.invalid_records] == [f"decisions/2016/{name}"]
    plan = build_plan(content, dt.date(2016, 3, 1))
    assert f"decisions/2016/{name}" in plan.withheld_paths and not plan.staged


def _reserved(project):
    project.add_record("DMPCD 2016 001", "2016-01-04", "An ordinary public decision.", title="An ordinary decision")
    project.write("decisions/2016/index.md", record_text("Index", "2016-01-05", CANARY, title="'Deferred index decision'",
                                                         deferred="true", deferred_reason="Security."))
    project.write("decisions/2016/readme.md", record_text("README", "2016-01-06", CANARY))
    project.write("decisions/index.md", f"---\ntitle: Our decisions\n---\n\n{CANARY}\n")
    return project


def test_a_strict_build_names_each_reserved_file_and_key(project):
    proc = _reserved(project).build("2016-03-01", check=False)
    assert_refused(proc, "decisions/2016/index.md: key 'reference': 'Index' gives the slug 'index'",
                   "decisions/2016/readme.md: key 'reference': 'README' gives the slug 'readme'",
                   "decisions/index.md: key 'reference': is required but missing")
    assert not project.site.exists()


def test_with_strict_off_the_listings_stay_the_sites_own(project):
    _reserved(project)
    # (A withheld reference that is one common word, 'Index', is a leak-scan needle found in
    # every page: the proof's matter; here the reserved year listing name is README.)
    (project.content / "decisions/2016/index.md").unlink()
    non_strict(project).build("2016-03-01")
    assert_absent(project, "VIOLET MONGOOSE", "Deferred index decision")
    year = (project.site / "decisions/2016/index.html").read_text(encoding="utf-8")
    assert "An ordinary decision" in year, "the year's listing is the generated one"
    assert "An ordinary decision" in (project.site / "decisions/index.html").read_text(encoding="utf-8")
