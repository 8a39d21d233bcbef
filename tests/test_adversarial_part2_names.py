"""Route 6: Part 2 names. However a Part 2 file or folder is spelt (p2, pt2, part2prices,
dashes, full-width digits, Roman numerals, "(1)" copies, folders such as P2/ or
"Part 2 – confidential/"), it is never published; and since a document is published only
when its public record's Part 1 links to it, a name the matcher misses publishes nothing
either. A Markdown note in a Part 2 folder needs no front matter."""

from __future__ import annotations

import datetime as dt

import pytest
from adversarial_helpers import assert_absent, assert_refused

from conftest import ROOT, record_text
from foia.rules.content import is_part2_path, load_content
from foia.rules.plan import build_plan

CANARY = "The Part 2 canary is CRIMSON BADGER SIXTY and names the preferred bidder's price."

PART2_NAMES = [
    "x.part2.pdf", "x.Part2.pdf", "x-part-2.docx", "x.part_ii.md", "x.p2.pdf", "x-P2.xlsx", "x.pt2.csv",
    "x_pt-2.txt", "x.part2prices.xlsx", "x.part-ii.pdf", "x part\u20132.pdf", "x part\u20142.pdf",
    "x.part\uff12.pdf", "x.\uff50\uff41\uff52\uff54\uff12.pdf", "x.part2 (1).pdf", "x.part2(1).pdf",
    "x.PART TWO.docx", "x.part\u2161.pdf", "x.part\u00ad2.pdf", "x.pa\u200brt2.pdf", "x.part\u00b2.pdf",
    "x-Part-Two.pdf", "Part 2 prices.xlsx", "x.pt.ii.pdf", "x.p.2.pdf", "x.p\u00e4rt2.pdf", "dmpcd-2016-010part2.pdf",
    "part2/x.md", "PART2/y.pdf", "P2/x.pdf", "Part 2 \u2013 confidential/x.pdf", "part_two/x.pdf", "Part II/x.pdf",
    "pt 2/x.pdf", "part-2-notes/x.pdf", "Part 2/sub/x.csv",
    # Letters from other scripts that look Latin: Cyrillic Р, а and Greek ρ, τ.
    "x.\u0420\u0430rt2.pdf", "\u0420\u0430rt 2/x.pdf", "x.\u03c1art2.pdf", "x.p\u0430r\u0442-2.docx",
]
ORDINARY_NAMES = [
    "map2.png", "step2.png", "part20-tables.md", "part21.pdf", "p21.png", "part-iii.pdf", "Part 3.pdf",
    "appendix-a.pdf", "dmpcd-2016-002.md", "chart2.png", "top2.png", "partition-2.pdf", "departure.pdf",
    "parts.pdf", "2-part.pdf", "pt-2016-001.md", "report-2.pdf", "counterpart.pdf", "Appendix A.pdf",
    "department-2-budget.pdf", "Apartment 2 floor plan.png", "counterpart-2.pdf",
    "\u0440\u0435\u0446\u0435\u043f\u0442 21.pdf", "\u041f\u0430\u0440\u0442 3.pdf",
]


@pytest.mark.parametrize("name", PART2_NAMES)
def test_part2_spellings_are_recognised(name):
    assert is_part2_path(f"decisions/2016/{name}")


@pytest.mark.parametrize("name", ORDINARY_NAMES)
def test_ordinary_names_are_not_taken_for_part2(name):
    assert not is_part2_path(f"decisions/2016/{name}")


def _public_record_with_part2_files(project, names):
    project.add_record("DMPCD 2016 010", "2016-01-11", "The public decision body about a community garden grant.",
                       part2="true", part2_reason="Commercially sensitive prices.")
    for name in names:
        data = f"---\nreference: DMPCD 2016 010\n---\n\n{CANARY}\n" if name.endswith(".md") else CANARY
        project.write(f"decisions/2016/{name}", data.encode("utf-8"))


def test_no_part2_spelling_reaches_the_site(project):
    names = [name.replace("x", "dmpcd-2016-010", 1) if name.startswith("x") else name for name in PART2_NAMES]
    _public_record_with_part2_files(project, names)
    project.build("2016-03-01")
    assert (project.site / "decisions/2016/dmpcd-2016-010/index.html").exists()
    assert_absent(project, "CRIMSON BADGER", "preferred bidder")
    assert [rel for rel in project.site_files() if rel.startswith("decisions/2016/") and "index.html" not in rel] == []


def test_a_part2_file_linked_from_part1_fails_the_build_naming_both(project):
    _public_record_with_part2_files(project, ["dmpcd-2016-010.pt2.pdf"])
    text = (project.content / "decisions/2016/dmpcd-2016-010.md").read_text(encoding="utf-8")
    (project.content / "decisions/2016/dmpcd-2016-010.md").write_text(
        text + "\nThe [price schedule](dmpcd-2016-010.pt2.pdf).\n", encoding="utf-8")
    proc = project.build("2016-03-01", check=False)
    assert_refused(proc, "decisions/2016/dmpcd-2016-010.md: Part 1 links to decisions/2016/dmpcd-2016-010.pt2.pdf, "
                         "a Part 2 file by its name")


@pytest.mark.parametrize("folder", ["part2", "Part 2", "P2", "Part 2 \u2013 confidential", "part_two"])
def test_wrongly_refused_a_note_without_front_matter_in_any_part2_folder_builds(project, folder):
    _public_record_with_part2_files(project, [])
    project.write(f"decisions/2016/{folder}/notes.md", f"Notes for the panel.\n\n{CANARY}\n")
    project.write(f"decisions/2016/{folder}/dmpcd-2016-010.part2.md",
                  f"---\nreference: DMPCD 2016 010\n---\n\n{CANARY}\n")
    project.write(f"decisions/2016/{folder}/prices.xlsx", CANARY.encode())
    project.build("2016-03-01")
    assert_absent(project, "CRIMSON BADGER", "Notes for the panel")


# ------------------------------------------------------------------- the loader, table-driven


def _tree(tmp_path, files: dict[str, str | bytes], *, part2: bool = True):
    d = tmp_path / "decisions" / "2016"
    d.mkdir(parents=True)
    fields = {"part2": "true", "part2_reason": "Prices."} if part2 else {}
    (d / "dmpcd-2016-010.md").write_text(record_text("DMPCD 2016 010", "2016-01-11", "Body.", **fields), encoding="utf-8")
    for rel, data in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return load_content(tmp_path)


@pytest.mark.parametrize(("files", "errors", "warnings"), [
    # a note without front matter, in any Part 2 folder spelling: withheld, no error
    ({"decisions/2016/part2/notes.md": "Notes."}, [], []),
    ({"decisions/2016/Part 2/notes.md": "Notes."}, [], []),
    ({"decisions/2016/P2/notes.md": b"\xff\xfeNotes in UTF-16"}, [], []),
    # a form naming its record, in either folder
    ({"decisions/2016/part2/f.md": "---\nreference: DMPCD 2016 010\n---\nX"}, [], []),
    ({"decisions/2016/Part 2/f.md": "---\nreference: DMPCD 2016 010\n---\nX"}, [], []),
    # a form naming no record, or a reference that is not text: an error on 'reference'
    ({"decisions/2016/Part 2/f.md": "---\nreference: DMPCD 2099 001\n---\nX"},
     ["decisions/2016/Part 2/f.md: key 'reference': Part 2 file: no record has reference 'DMPCD 2099 001'"], []),
    ({"decisions/2016/part2/f.md": "---\nreference: [a]\n---\nX"},
     ["decisions/2016/part2/f.md: key 'reference': must be the reference"], []),
    # broken front matter in a withheld file: a warning, withheld all the same
    ({"decisions/2016/part2/f.md": "---\nreference: [unclosed\n---\nX"}, [], ["decisions/2016/part2/f.md: YAML syntax error"]),
])
def test_part2_files_in_any_folder_are_treated_alike(tmp_path, files, errors, warnings):
    content = _tree(tmp_path, files)
    found = [str(e) for e in content.errors]
    assert len(found) == len(errors) and all(f.startswith(e) for f, e in zip(found, errors, strict=True)), found
    said = [str(w) for w in content.warnings]
    assert len(said) == len(warnings) and all(s.startswith(w) for s, w in zip(said, warnings, strict=True)), said
    assert {p.path for p in content.part2_files} == set(files)
    plan = build_plan(content, dt.date(2016, 3, 1))
    assert set(files) <= plan.withheld_paths and not set(files) & set(plan.staged)


def test_a_part2_file_named_after_a_record_without_part2_is_withheld_with_a_warning(tmp_path):
    content = _tree(tmp_path, {"decisions/2016/dmpcd-2016-010.p2.pdf": b"%PDF"}, part2=False)
    assert content.errors == []
    [warning] = content.warnings
    assert warning.path == "decisions/2016/dmpcd-2016-010.p2.pdf" and "says part2: false" in warning.message


def test_a_part2_file_of_a_public_record_gets_that_record_as_its_own_public_text(tmp_path):
    content = _tree(tmp_path, {"decisions/2016/Part 2 \u2013 confidential/DMPCD 2016 010 prices.csv": b"a,b\n"})
    plan = build_plan(content, dt.date(2016, 3, 1))
    [source] = [s for s in plan.sources if s.kind == "part2"]
    assert source.path == "decisions/2016/Part 2 \u2013 confidential/DMPCD 2016 010 prices.csv"
    assert "DMPCD 2016 010" in source.own_public_text and "Body." in source.own_public_text
    before = build_plan(content, dt.date(2016, 1, 10))  # not yet approved: nothing public to restate
    assert [s.own_public_text for s in before.sources if s.kind == "part2"] == [""]


def _second_wall():
    """The exclude_docs patterns of the project's mkdocs.yml, as MkDocs reads them."""
    import pathspec
    import yaml

    class Loader(yaml.SafeLoader):  # mkdocs.yml may use !ENV and the like: read them as nothing
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    return pathspec.GitIgnoreSpec.from_lines(config["exclude_docs"].splitlines())


@pytest.mark.parametrize("name", PART2_NAMES + ORDINARY_NAMES)
def test_the_exclude_docs_wall_never_withholds_what_the_matcher_publishes(name):
    path = f"decisions/2016/{name}"
    if _second_wall().match_file(path):
        assert is_part2_path(path)


# Spellings only the matcher knows (Unicode folding, dots inside the word, a digit before).
_MATCHER_ONLY = {"x.pt.ii.pdf", "x.p.2.pdf", "dmpcd-2016-010part2.pdf"}


@pytest.mark.parametrize("name", [n for n in PART2_NAMES if n.isascii() and n not in _MATCHER_ONLY])
def test_the_exclude_docs_wall_catches_the_common_spellings(name):
    assert _second_wall().match_file(f"decisions/2016/{name}")
