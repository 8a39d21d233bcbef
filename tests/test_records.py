"""Schema v1: every bad input is an error naming the file and the key."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import ROOT, record_text
from foia.rules import records
from foia.rules.content import is_part2_path, load_content
from foia.rules.records import parse_record

PATH = "decisions/2016/dmpcd-2016-031.md"


def parse(text: str | bytes, path: str = PATH):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_record(path, data)


def good(**fields) -> str:
    return record_text("DMPCD 2016 031", "2016-02-08", "Part 1 text.", **fields)


def only_error(text, path=PATH):
    record, errors = parse(text, path)
    assert record is None, "a bad record must never parse"
    assert errors, "a bad record must report an error"
    return errors


def test_a_good_record_parses_with_typed_values():
    record, errors = parse(good(deferred="true", deferred_reason="Standstill period.", deferred_until="2016-02-29",
                                part2="true", part2_reason="Prices.", tags="[procurement, video]"))
    assert errors == []
    assert record.approved == dt.date(2016, 2, 8)
    assert record.deferred_until == dt.date(2016, 2, 29)
    assert record.deferred is True and record.part2 is True
    assert record.tags == ("procurement", "video")
    assert record.url == "decisions/2016/dmpcd-2016-031/"
    assert record.body.strip() == "Part 1 text."


@pytest.mark.parametrize("typo", ["defered", "part_2", "Deferred", "deffered_until", "aproved"])
def test_unknown_key_is_an_error_with_a_suggestion(typo):
    errors = only_error(good(**{typo: "true"}))
    [error] = [e for e in errors if e.key == typo]
    assert error.path == PATH
    assert "unknown key" in error.message
    assert str(error).startswith(f"{PATH}: key '{typo}': unknown key")


def test_typo_in_confidentiality_field_does_not_publish():
    # `defered: true` in place of `deferred`: the record has no `deferred` key at all.
    text = good(deferred=None, defered="true", deferred_reason="Sensitive.")
    errors = only_error(text)
    keys = {e.key for e in errors}
    assert {"defered", "deferred"} <= keys
    assert any("did you mean 'deferred'" in e.message for e in errors)


@pytest.mark.parametrize("key", ["reference", "title", "approved", "decision_maker", "deferred", "part2"])
def test_missing_required_key(key):
    errors = only_error(good(**{key: None}))
    assert any(e.key == key and "required" in e.message for e in errors)


@pytest.mark.parametrize(
    ("key", "value", "expect"),
    [
        ("deferred", "yes", "true or false"),
        ("deferred", "'false'", "true or false"),
        ("part2", "NO", "true or false"),
        ("part2", "0", "true or false"),
        ("title", "123", "must be text"),
        ("title", "''", "must not be empty"),
        ("approved", "10/12/2015", "YYYY-MM-DD"),
        ("approved", "2015-12-10T10:00:00", "YYYY-MM-DD"),
        ("tags", "procurement", "list"),
        ("tags", "[a, A]", "same tag twice"),
    ],
)
def test_wrong_type(key, value, expect):
    errors = only_error(good(**{key: value}))
    assert any(e.key == key and expect in e.message for e in errors), errors


@pytest.mark.parametrize("value", ["2015-02-30", "2015-13-01", "2015-00-10"])
def test_impossible_date(value):
    errors = only_error(good(approved=value))
    assert any(e.key == "approved" and "not a real date" in e.message for e in errors)


def test_deferred_until_before_approval():
    errors = only_error(good(deferred="true", deferred_reason="Why.", deferred_until="2016-01-01"))
    assert any(e.key == "deferred_until" and "earlier than the approval date" in e.message for e in errors)


def test_deferred_needs_reason_and_not_deferred_forbids_one():
    errors = only_error(good(deferred="true"))
    assert any(e.key == "deferred_reason" and "required" in e.message for e in errors)
    errors = only_error(good(deferred="false", deferred_reason="Why."))
    assert any(e.key == "deferred_reason" and "only allowed" in e.message for e in errors)
    errors = only_error(good(deferred="false", deferred_until="2016-03-01"))
    assert any(e.key == "deferred_until" and "only allowed" in e.message for e in errors)


def test_part2_needs_reason_and_no_part2_forbids_one():
    errors = only_error(good(part2="true"))
    assert any(e.key == "part2_reason" and "required" in e.message for e in errors)
    errors = only_error(good(part2="false", part2_reason="Prices."))
    assert any(e.key == "part2_reason" for e in errors)


def test_yaml_syntax_error_names_the_file_and_line():
    errors = only_error("---\nreference: DMPCD 2016 031\ntitle: [unclosed\n---\nBody\n")
    assert errors[0].path == PATH
    assert "YAML syntax error" in errors[0].message


def test_duplicate_key_in_front_matter_is_ambiguous():
    text = good() .replace("deferred: false", "deferred: false\ndeferred: true")
    errors = only_error(text)
    assert any("duplicate key 'deferred'" in e.message for e in errors)


def test_empty_file_and_whitespace_file():
    assert "empty" in only_error(b"")[0].message
    assert "empty" in only_error(b"  \n\n")[0].message


def test_non_utf8_bytes():
    data = good().encode("utf-8").replace(b"Part 1 text.", "Caf\xe9 text.".encode("latin-1"))
    [error] = only_error(data)
    assert "not valid UTF-8" in error.message and "line" in error.message


def test_no_front_matter_and_front_matter_not_a_mapping():
    assert "no YAML front matter" in only_error("Just text.\n")[0].message
    assert "mapping" in only_error("---\n- a\n- b\n---\nBody\n")[0].message


def test_empty_body_is_an_error():
    errors = only_error(record_text("DMPCD 2016 031", "2016-02-08", ""))
    assert any("no Part 1 text" in e.message for e in errors)


def test_file_must_live_where_its_reference_and_year_say():
    errors = only_error(good(), path="decisions/2015/dmpcd-2016-031.md")
    assert any(e.key == "reference" and "decisions/2016/dmpcd-2016-031.md" in e.message for e in errors)


def test_all_problems_reported_at_once():
    text = "---\nreference: DMPCD 2016 031\ndefered: true\napproved: 2016-02-30\n---\nBody\n"
    keys = {e.key for e in only_error(text)}
    assert {"defered", "approved", "title", "decision_maker", "deferred", "part2"} <= keys


# --------------------------------------------------------------------- content tree


def test_load_content_classifies_files(tmp_path):
    (tmp_path / "decisions/2016/part2").mkdir(parents=True)
    (tmp_path / "decisions/2016/dmpcd-2016-031.md").write_text(
        good(part2="true", part2_reason="Prices."), encoding="utf-8")
    (tmp_path / "decisions/2016/dmpcd-2016-031.part2.md").write_text(
        "---\nreference: DMPCD 2016 031\n---\nSecret.\n", encoding="utf-8")
    (tmp_path / "decisions/2016/dmpcd-2016-031.part2.pdf").write_bytes(b"%PDF secret")
    (tmp_path / "decisions/2016/part2/anything.docx").write_bytes(b"secret")
    (tmp_path / "decisions/2016/dmpcd-2016-031.appendix.pdf").write_bytes(b"%PDF public")
    (tmp_path / "index.md").write_text("# Home\n", encoding="utf-8")
    content = load_content(tmp_path)
    assert content.errors == []
    assert [r.reference for r in content.records] == ["DMPCD 2016 031"]
    assert sorted(p.path for p in content.part2_files) == [
        "decisions/2016/dmpcd-2016-031.part2.md",
        "decisions/2016/dmpcd-2016-031.part2.pdf",
        "decisions/2016/part2/anything.docx",
    ]
    assert [a.path for a in content.attachments] == ["decisions/2016/dmpcd-2016-031.appendix.pdf"]
    assert content.pages == ["index.md"]


@pytest.mark.parametrize("name", ["x.part2.md", "x.Part2.pdf", "x-part-2.docx", "part2/x.md", "PART2/y.pdf", "x.part_ii.md"])
def test_part2_names_are_recognised_broadly(name):
    assert is_part2_path(f"decisions/2016/{name}")


def test_part2_without_record_or_with_part2_false_is_an_error(tmp_path):
    (tmp_path / "decisions/2016").mkdir(parents=True)
    (tmp_path / "decisions/2016/dmpcd-2016-031.md").write_text(good(), encoding="utf-8")
    (tmp_path / "decisions/2016/dmpcd-2016-031.part2.md").write_text(
        "---\nreference: DMPCD 2016 031\n---\nSecret.\n", encoding="utf-8")
    (tmp_path / "decisions/2016/orphan.part2.md").write_text(
        "---\nreference: DMPCD 2099 001\n---\nSecret.\n", encoding="utf-8")
    errors = [str(e) for e in load_content(tmp_path).errors]
    assert any("dmpcd-2016-031.part2.md" in e and "says part2: false" in e for e in errors)
    assert any("orphan.part2.md" in e and "no record has reference 'DMPCD 2099 001'" in e for e in errors)


def test_duplicate_reference_withholds_both(tmp_path):
    (tmp_path / "decisions/2016").mkdir(parents=True)
    (tmp_path / "decisions/2016/dmpcd-2016-031.md").write_text(good(), encoding="utf-8")
    # Same reference spelt differently, stored under a name that matches its slug.
    other = record_text("dmpcd-2016-031", "2016-02-09", "Other.")
    (tmp_path / "decisions/2016/dmpcd-2016-031x.md").write_text(other, encoding="utf-8")
    content = load_content(tmp_path)
    assert any(e.key == "reference" for e in content.errors)
    (tmp_path / "decisions/2016/dmpcd-2016-031x.md").unlink()
    (tmp_path / "decisions/2017").mkdir()
    (tmp_path / "decisions/2017/dmpcd-2016-031.md").write_text(
        record_text("DMPCD 2016 031", "2017-01-05", "Other."), encoding="utf-8")
    content = load_content(tmp_path)
    dupes = [e for e in content.errors if "duplicate reference" in e.message]
    assert dupes and dupes[0].key == "reference"
    assert content.records == [], "neither of two records with one reference may be published"


def test_a_file_no_record_links_is_a_warning_not_an_error(tmp_path):
    (tmp_path / "decisions/2016").mkdir(parents=True)
    (tmp_path / "decisions/2016/stray.pdf").write_bytes(b"%PDF")
    content = load_content(tmp_path)
    assert content.errors == []
    [warning] = content.warnings
    assert warning.path == "decisions/2016/stray.pdf" and "no record's Part 1 links to this file" in warning.message


def test_duplicates_are_found_by_slug_not_by_message_text(tmp_path):
    (tmp_path / "decisions/2016").mkdir(parents=True)
    (tmp_path / "decisions/2017").mkdir(parents=True)
    (tmp_path / "decisions/2016/dmpcd-2016-031.md").write_text(good(), encoding="utf-8")
    (tmp_path / "decisions/2017/dmpcd-2016-031.md").write_text(
        record_text("DMPCD 2016 031", "2017-01-05", "Other."), encoding="utf-8")
    # A record whose own text mentions "duplicate reference" is no duplicate.
    (tmp_path / "decisions/2016/dmpcd-2016-032.md").write_text(
        record_text("DMPCD 2016 032", "2016-02-08", "A duplicate reference was found in the old register."),
        encoding="utf-8")
    content = load_content(tmp_path)
    assert [r.reference for r in content.records] == ["DMPCD 2016 032"]
    assert sorted(r.path for r in content.invalid_records) == [
        "decisions/2016/dmpcd-2016-031.md", "decisions/2017/dmpcd-2016-031.md"]
    assert {str(e) for e in content.errors} == {
        "decisions/2016/dmpcd-2016-031.md: key 'reference': duplicate reference 'DMPCD 2016 031': also used by "
        "decisions/2017/dmpcd-2016-031.md",
        "decisions/2017/dmpcd-2016-031.md: key 'reference': duplicate reference 'DMPCD 2016 031': also used by "
        "decisions/2016/dmpcd-2016-031.md",
    }


@pytest.mark.parametrize(("path", "slug", "url"), [
    ("decisions/2016/dmpcd-2016-031.md", "dmpcd-2016-031", "decisions/2016/dmpcd-2016-031/"),
    ("decisions/2016/DMPCD 2016 031.md", "dmpcd-2016-031", "decisions/2016/DMPCD 2016 031/"),
    ("decisions/2016/dmpcd-2016-031.draft.md", "dmpcd-2016-031-draft", "decisions/2016/dmpcd-2016-031.draft/"),
])
def test_the_slug_and_url_of_a_record_file_come_from_one_function_each(path, slug, url):
    assert records.file_slug(path) == slug and records.page_url(path) == url


def test_an_invalid_record_keeps_its_reference_and_links(tmp_path):
    (tmp_path / "decisions/2016").mkdir(parents=True)
    (tmp_path / "decisions/2016/dmpcd-2016-031.md").write_text(
        good(deferred="perhaps").replace("Part 1 text.", "See [the annex](annex.pdf)."), encoding="utf-8")
    [invalid] = load_content(tmp_path).invalid_records
    assert invalid.reference == "DMPCD 2016 031" and invalid.slug == "dmpcd-2016-031"
    assert [link.url for link in invalid.links] == ["annex.pdf"]


def test_sample_content_is_valid():
    content = load_content(ROOT / "content")
    assert content.errors == []
    assert len(content.records) >= 5


# --------------------------------------------------------------------- JSON Schema


def test_committed_schema_is_the_generated_one():
    committed = json.loads((ROOT / "schema" / "record.schema.json").read_text(encoding="utf-8"))
    assert committed == records.json_schema(), "regenerate schema/record.schema.json from records.json_schema()"


def _front_matter(text: str) -> dict:
    meta = yaml.safe_load(text.split("---")[1])
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in meta.items()}


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"deferred": "true", "deferred_reason": "Why."},
        {"deferred": "true", "deferred_reason": "Why.", "deferred_until": "2016-03-01"},
        {"part2": "true", "part2_reason": "Prices."},
        {"defered": "true"},
        {"deferred": "true"},
        {"part2": "true"},
        {"deferred": "false", "deferred_until": "2016-03-01"},
        {"title": None},
        {"tags": "[a, a]"},
        {"approved": "10/12/2015"},
    ],
)
def test_schema_and_validator_agree(fields):
    text = good(**fields)
    record, _ = parse(text)
    try:
        jsonschema.validate(_front_matter(text), records.json_schema())
        schema_ok = True
    except jsonschema.ValidationError:
        schema_ok = False
    assert schema_ok == (record is not None)


def test_sample_records_pass_the_schema():
    for path in sorted((ROOT / "content" / "decisions").rglob("*.md")):
        if is_part2_path(path.as_posix()) or path.name == "index.md":
            continue
        jsonschema.validate(_front_matter(path.read_text(encoding="utf-8")), records.json_schema())


def test_paths_are_posix_and_relative(tmp_path):
    (tmp_path / "decisions/2016").mkdir(parents=True)
    (tmp_path / "decisions/2016/dmpcd-2016-031.md").write_text(good(), encoding="utf-8")
    [record] = load_content(Path(tmp_path)).records
    assert record.path == PATH


def test_records_parsed_by_two_processes_are_the_records_parsed_by_one(tmp_path, monkeypatch):
    """parse_records(workers=2) is a speed trick: the same records and the same errors, in
    the same order, as the plain rule (workers=1); and the second process is really used."""
    import foia.rules.content as content_mod
    from conftest import record_text as text_of

    items = []
    for i in range(40):
        ref = f"DMPCD 2016 {i:03d}"
        body = f"Decision {i} about [the annex](dmpcd-2016-{i:03d}-annex.pdf)." if i % 3 else "Plain text."
        text = text_of(ref, "2016-01-11", body)
        if i % 7 == 0:
            text = text.replace("approved: 2016-01-11", "approved: 11/01/2016")  # invalid date
        if i % 11 == 0:
            text += '\n<div hidden>secret</div>\n'  # hiding markup: an error with its line
        items.append((f"decisions/2016/dmpcd-2016-{i:03d}.md", text.encode("utf-8")))
    forked = []
    real = content_mod._parse_forked
    monkeypatch.setattr(content_mod, "_parse_forked", lambda part: forked.append(len(part)) or real(part))
    plain = content_mod.parse_records(items, workers=1)
    fast = content_mod.parse_records(items, workers=2)
    assert forked == [20]
    assert list(fast) == list(plain) == [rel for rel, _ in items]
    for rel in plain:
        (r1, e1), (r2, e2) = plain[rel], fast[rel]
        assert r1 == r2
        assert [(e.path, e.key, e.message) for e in e1] == [(e.path, e.key, e.message) for e in e2]
    assert any(r is None for r, _ in plain.values()) and any(r is not None for r, _ in plain.values())
