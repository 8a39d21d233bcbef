"""Crashes and runaway builds: every bad input is a clear error naming the file (and the
key or line), never a traceback, a hang or a site of gigabytes. YAML with keys that are
not text, deep nesting, alias bombs, thousands of tags, huge fields and files, binary or
non-UTF-8 Markdown, dates outside 1900-2200 in records and as the build date."""

from __future__ import annotations

import datetime as dt

import pytest
from adversarial_helpers import assert_absent, assert_refused, non_strict

from foia.rules.content import load_content
from foia.rules.dates import LAST_DAY, DateError, check_day, parse_day, resolve_as_of
from foia.rules.records import MAX_FRONT_MATTER_BYTES, MAX_RECORD_BYTES, parse_record

PATH = "decisions/2016/dmpcd-2016-031.md"
HEAD = "---\nreference: DMPCD 2016 031\ntitle: T\napproved: 2016-02-08\ndecision_maker: DMPC\ndeferred: false\npart2: false\n"


def with_front_matter(extra: str, body: str = "Body.") -> bytes:
    return (HEAD + extra + "---\n\n" + body + "\n").encode("utf-8")


def alias_bomb(levels: int = 9) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


CASES = [
    # (front matter lines or whole bytes, the key named (None: none), words of the message)
    ("? [a, b]\n: c\n", None, "front matter line 8: a key must be text"),
    ("tags: [{? [a]: b}]\n", None, "a key must be text"),
    ("? {a: 1}\n: c\n", None, "a key must be text"),
    ("1: x\n", "1", "a key must be text"),
    ("true: x\n", "True", "a key must be text"),
    ("summary: " + "[" * 1000 + "]" * 1000 + "\n", "summary", "nested more than 20 levels deep"),
    ("summary: " + "[" * 40000 + "]" * 40000 + "\n", None, "front matter is larger than 64 KiB"),
    ("summary:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 40)), "summary", "nested more than 20 levels deep"),
    (alias_bomb(), "l0", "YAML anchors (&l0) are not allowed"),
    ("summary: &s text\ntags: [*s]\n", "summary", "YAML anchors (&s) are not allowed"),
    ("x: &x {a: 1}\ny:\n  <<: *x\n", "x", "YAML anchors (&x) are not allowed"),
    ("tags: [" + ", ".join(f"t{i}" for i in range(1000)) + "]\n", "tags", "lists 1000 tags; at most 20 are allowed"),
    ("tags: [" + ", ".join(f"t{i}" for i in range(10_000)) + "]\n", None, "front matter is larger than 64 KiB"),
    ("tags: [" + "t" * 61 + "]\n", "tags", "longer than 60 characters"),
    ("summary: '" + "s" * 5001 + "'\n", "summary", "is 5001 characters long; at most 5000 are allowed"),
    ("summary: '" + "s" * (MAX_FRONT_MATTER_BYTES + 1) + "'\n", None, "front matter is larger than 64 KiB"),
    ("deferred_reason: x\ndeferred_until: 9999-12-31\n", "deferred_until", "must be between 1900-01-01 and 2200-12-31"),
]
REPLACED = [
    # (key: value replaced in HEAD, key, words)
    ("title: T", "title: '" + "t" * 501 + "'", "title", "is 501 characters long; at most 500 are allowed"),
    ("reference: DMPCD 2016 031", "reference: '" + "R" * 61 + "'", "reference", "at most 60 are allowed"),
    ("approved: 2016-02-08", "approved: 9999-12-31", "approved", "must be between 1900-01-01 and 2200-12-31, got '9999-12-31'"),
    ("approved: 2016-02-08", "approved: 1899-12-31", "approved", "must be between 1900-01-01 and 2200-12-31"),
    ("approved: 2016-02-08", "approved: 2201-01-01", "approved", "must be between 1900-01-01 and 2200-12-31"),
    ("approved: 2016-02-08", "approved: \uff12\uff10\uff11\uff16-02-08", "approved", "must be a date written YYYY-MM-DD"),
    ("approved: 2016-02-08", "approved: \u0662\u0660\u0661\u0666-02-08", "approved", "must be a date written YYYY-MM-DD"),
]


@pytest.mark.parametrize(("extra", "key", "words"), CASES)
def test_front_matter_limits_are_errors_naming_file_and_key(extra, key, words):
    record, errors = parse_record(PATH, with_front_matter(extra))
    assert record is None
    matching = [e for e in errors if words in e.message]
    assert matching, [str(e) for e in errors]
    assert matching[0].path == PATH and matching[0].key == key, str(matching[0])


@pytest.mark.parametrize(("old", "new", "key", "words"), REPLACED)
def test_field_limits_are_errors_naming_file_and_key(old, new, key, words):
    record, errors = parse_record(PATH, with_front_matter("").replace(old.encode(), new.encode()))
    assert record is None
    assert any(e.key == key and words in e.message for e in errors), [str(e) for e in errors]


def test_a_record_larger_than_the_limit_is_refused_before_it_is_read():
    data = with_front_matter("", "A long Part 1. " * (MAX_RECORD_BYTES // 15 + 1))
    record, [error] = parse_record(PATH, data)
    assert record is None and str(error).startswith(f"{PATH}: is {len(data):,} bytes; a record may be at most 1 MiB")


def test_a_binary_record_names_the_file():
    record, [error] = parse_record(PATH, with_front_matter("", "\x00\x01\x02 binary"))
    assert record is None and str(error) == f"{PATH}: is a binary file, not Markdown text (a NUL byte on line 10)"


@pytest.mark.parametrize(("text", "source", "words"), [
    ("9999-12-31", "as_of", "as_of must be between 1900-01-01 and 2200-12-31, got '9999-12-31'"),
    ("1899-12-31", "FOIA_AS_OF", "FOIA_AS_OF must be between"),
    ("2016-02-30", "--as-of", "--as-of is not a real date: '2016-02-30'"),
    ("\uff12\uff10\uff11\uff16-02-08", "as_of", "as_of must be a date written YYYY-MM-DD"),
    (" 2016-02-08 ", "as_of", None),
])
def test_the_one_date_parser(text, source, words):
    if words is None:
        assert parse_day(text, source) == dt.date(2016, 2, 8)
        return
    with pytest.raises(DateError) as raised:
        parse_day(text, source)
    assert str(raised.value) == words or str(raised.value).startswith(words)


def test_the_build_date_is_checked_from_every_source():
    with pytest.raises(DateError, match="FOIA_AS_OF must be between"):
        resolve_as_of(None, environ={"FOIA_AS_OF": "9999-12-31"})
    with pytest.raises(DateError, match="as_of must be between"):
        resolve_as_of(dt.date(9999, 12, 31), environ={})
    with pytest.raises(DateError, match="not a date and time"):
        check_day(dt.datetime(2016, 1, 1, 12), "as_of")
    assert resolve_as_of(LAST_DAY, environ={}) == LAST_DAY


@pytest.mark.parametrize(("name", "data", "words"), [
    ("about.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "about.md: is a binary file, not Markdown text"),
    ("notes/old.md", "Caf\xe9".encode("latin-1"), "notes/old.md: is not valid UTF-8 (byte 3, line 1)"),
    ("big.md", b"x" * (MAX_RECORD_BYTES + 1), "big.md: is 1,048,577 bytes; a Markdown page may be at most 1 MiB"),
])
def test_a_page_that_is_not_text_is_an_error_and_never_staged(tmp_path, name, data, words):
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_bytes(data)
    content = load_content(tmp_path)
    [error] = content.errors
    assert str(error).startswith(words)
    assert content.refused == [name] and content.pages == [] and name not in content.staging


# ------------------------------------------------------------------- real builds


def test_a_build_with_every_crash_input_fails_naming_each_file(project):
    bad = {
        "dmpcd-2016-001": "? [a, b]\n: c\n",
        "dmpcd-2016-002": "summary: " + "[" * 1000 + "]" * 1000 + "\n",
        "dmpcd-2016-003": alias_bomb(),
        "dmpcd-2016-004": "tags: [" + ", ".join(f"t{i}" for i in range(1000)) + "]\n",
        "dmpcd-2016-006": "tags: [" + ", ".join(f"t{i}" for i in range(10_000)) + "]\n",
        "dmpcd-2016-005": "summary: " + "[" * 100_000 + "]" * 100_000 + "\n",
    }
    for slug, extra in bad.items():
        reference = slug.upper().replace("-", " ")
        project.write(f"decisions/2016/{slug}.md", with_front_matter(extra).replace(b"DMPCD 2016 031", reference.encode()))
    project.write("about.md", b"\x00\x01binary")
    proc = project.build("2016-03-01", check=False)
    assert_refused(proc,
                   "decisions/2016/dmpcd-2016-001.md: front matter line 8: a key must be text",
                   "decisions/2016/dmpcd-2016-002.md: key 'summary': front matter line 8: nested more than 20 levels deep",
                   "decisions/2016/dmpcd-2016-003.md: key 'l0': front matter line 8: YAML anchors (&l0) are not allowed",
                   "decisions/2016/dmpcd-2016-004.md: key 'tags': lists 1000 tags; at most 20 are allowed",
                   "decisions/2016/dmpcd-2016-005.md: front matter is larger than 64 KiB",
                   "decisions/2016/dmpcd-2016-006.md: front matter is larger than 64 KiB",
                   "about.md: is a binary file, not Markdown text")


def test_with_strict_off_bad_files_are_withheld_and_the_rest_publishes(project):
    non_strict(project)
    project.add_record("DMPCD 2016 010", "2016-01-04", "A good decision.")
    project.write("decisions/2016/dmpcd-2016-011.md", with_front_matter(alias_bomb()).replace(b"2016 031", b"2016 011"))
    project.write("about.md", "Caf\xe9 SEPIA WOMBAT".encode("latin-1"))
    project.build("2016-03-01")
    assert_absent(project, "SEPIA WOMBAT", "dmpcd-2016-011")
    assert (project.site / "decisions/2016/dmpcd-2016-010/index.html").exists()


@pytest.mark.parametrize(("as_of", "words"), [
    ("9999-12-31", "FOIA_AS_OF must be between 1900-01-01 and 2200-12-31, got '9999-12-31'"),
    ("1899-12-31", "FOIA_AS_OF must be between 1900-01-01 and 2200-12-31"),
])
def test_a_build_date_outside_the_range_is_a_clear_error(project, as_of, words):
    project.add_record("DMPCD 2016 010", "2016-01-04")
    assert_refused(project.build(as_of, check=False), words)


def test_an_unquoted_as_of_option_outside_the_range_is_a_clear_error(project):
    project.add_record("DMPCD 2016 010", "2016-01-04")
    yml = project.root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("      cache_dir: \"\"\n", "      cache_dir: \"\"\n      as_of: 9999-12-31\n"),
                   encoding="utf-8")
    proc = project.build("", check=False)
    assert_refused(proc, "as_of must be between 1900-01-01 and 2200-12-31")


def test_a_build_at_the_end_of_the_range_works(project):
    project.add_record("DMPCD 2200 001", "2200-12-31", "The last day a decision can be approved.")
    project.build("2200-12-31")
    assert (project.site / "decisions/2200/dmpcd-2200-001/index.html").exists()
