"""Route 5: symbolic links. Links are refused, naming the link and its target; nothing
behind one is read or published, to a file or a folder, inside content/ or outside it."""

from __future__ import annotations

import pytest
from adversarial_helpers import assert_absent, assert_refused, non_strict

from conftest import record_text
from foia.rules.content import load_content
from foia.rules.plan import build_plan

OUTSIDE_CANARY = "The outside canary is SAFFRON KESTREL TWELVE in a file beside the project."
FOLDER_CANARY = "The linked folder canary is PEWTER OTTER FIFTY and was never classified."


def outside_tree(project):
    """Files outside content/: a secret, and a year folder of records and an annex."""
    outside = project.root / "elsewhere"
    (outside / "2016").mkdir(parents=True)
    (outside / "secret.md").write_text(f"# Secret\n\n{OUTSIDE_CANARY}\n", encoding="utf-8")
    (outside / "secret.pdf").write_bytes(b"%PDF-1.4 " + OUTSIDE_CANARY.encode())
    (outside / "2016" / "dmpcd-2016-077.md").write_text(
        record_text("DMPCD 2016 077", "2016-01-06", FOLDER_CANARY, deferred="true", deferred_reason="Security."),
        encoding="utf-8")
    return outside


def linked_project(project):
    outside = outside_tree(project)
    project.add_record("DMPCD 2015 001", "2015-06-01", "A public decision that links [the annex](dmpcd-2015-001-annex.pdf).")
    (project.content / "decisions" / "2016").symlink_to(outside / "2016", target_is_directory=True)
    (project.content / "about.md").symlink_to(outside / "secret.md")
    (project.content / "decisions" / "2015" / "dmpcd-2015-001-annex.pdf").symlink_to(outside / "secret.pdf")
    return project


def test_a_strict_build_refuses_every_link_naming_it_and_its_target(project):
    linked_project(project)
    outside = project.root / "elsewhere"
    proc = project.build("2016-03-01", check=False)
    assert_refused(proc,
                   f"decisions/2016: is a symbolic link to '{outside / '2016'}'",
                   f"about.md: is a symbolic link to '{outside / 'secret.md'}'",
                   f"decisions/2015/dmpcd-2015-001-annex.pdf: is a symbolic link to '{outside / 'secret.pdf'}'")
    assert not project.site.exists(), "nothing was published"


def test_with_strict_off_nothing_behind_a_link_is_published(project):
    non_strict(linked_project(project))
    proc = project.build("2016-03-01")
    assert_absent(project, "SAFFRON KESTREL", "PEWTER OTTER", "dmpcd-2016-077")
    assert "is a symbolic link to" in proc.stderr
    assert (project.site / "decisions/2015/dmpcd-2015-001/index.html").exists(), "the other decisions publish"
    files = project.site_files()
    assert not any(rel.startswith("about") for rel in files)
    assert "decisions/2015/dmpcd-2015-001-annex.pdf" not in files


def test_a_link_inside_content_to_a_part2_form_is_not_a_way_to_publish_it(project):
    non_strict(project)
    project.add_record("DMPCD 2016 010", "2016-01-11", "Prices are in [the price annex](dmpcd-2016-010-prices.pdf).",
                       part2="true", part2_reason="Prices.")
    project.write("decisions/2016/dmpcd-2016-010.part2.md", f"---\nreference: DMPCD 2016 010\n---\n\n{OUTSIDE_CANARY}\n")
    project.write("decisions/2016/dmpcd-2016-010.part2.pdf", b"%PDF-1.4 " + OUTSIDE_CANARY.encode())
    (project.content / "decisions/2016/dmpcd-2016-010-prices.pdf").symlink_to("dmpcd-2016-010.part2.pdf")
    (project.content / "decisions/2016/dmpcd-2016-010-notes.md").symlink_to("dmpcd-2016-010.part2.md")
    (project.content / "prices.md").symlink_to("decisions/2016/dmpcd-2016-010.part2.md")
    project.build("2016-02-01")
    assert_absent(project, "SAFFRON KESTREL")


# ------------------------------------------------------------------- the loader, table-driven


@pytest.mark.parametrize(("link", "target", "is_folder"), [
    ("decisions/2016", "{outside}/2016", True),  # a year folder outside content/
    ("decisions/2017", "2015", True),  # a folder inside content/, relative
    ("notes", "{outside}", True),  # a folder of pages
    ("about.md", "{outside}/secret.md", False),  # a page outside content/
    ("decisions/2015/dmpcd-2015-078.md", "dmpcd-2015-077.md", False),  # a record to another record
    ("logo.png", "{outside}/missing.png", False),  # a dangling link
    ("decisions/2016/annex.pdf", "/etc/hostname", False),  # an absolute path
])
def test_every_kind_of_link_is_an_error_naming_link_and_target(tmp_path, link, target, is_folder):
    outside = tmp_path / "outside"
    (outside / "2016").mkdir(parents=True)
    (outside / "secret.md").write_text(OUTSIDE_CANARY, encoding="utf-8")
    docs = tmp_path / "content"
    (docs / "decisions" / "2015").mkdir(parents=True)
    (docs / "decisions" / "2015" / "dmpcd-2015-077.md").write_text(
        record_text("DMPCD 2015 077", "2015-01-06"), encoding="utf-8")
    where = docs / link
    where.parent.mkdir(parents=True, exist_ok=True)
    target = target.format(outside=outside)
    where.symlink_to(target, target_is_directory=is_folder)

    content = load_content(docs)
    [error] = [e for e in content.errors if e.path == link]
    assert str(error).startswith(f"{link}: is a symbolic link to {target!r}")
    assert link in content.refused
    plan = build_plan(content, __import__("datetime").date(2016, 3, 1))
    assert not any(path == link or path.startswith(link + "/") for path in plan.staged), "nothing behind it is staged"
    assert link in plan.withheld_paths
    assert all(OUTSIDE_CANARY.encode() not in data for data in plan.staged.values())


def test_dot_files_templates_and_private_files_are_never_staged(tmp_path):
    docs = tmp_path / "content"
    (docs / ".git").mkdir(parents=True)
    (docs / ".git" / "config").write_text("secret", encoding="utf-8")
    (docs / ".notes.md").write_text("secret", encoding="utf-8")
    (docs / "templates").mkdir()
    (docs / "templates" / "x.html").write_text("secret", encoding="utf-8")
    (docs / "publication-log.yml").write_text("first_published: {}\n", encoding="utf-8")
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    content = load_content(docs, private=["publication-log.yml"])
    assert content.errors == []
    plan = build_plan(content, __import__("datetime").date(2016, 3, 1))
    assert sorted(plan.staged) == ["index.md"]
