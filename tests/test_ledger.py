"""The publication ledger: format, idempotence, and malformed ledgers as clear errors."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from foia.rules.ledger import (
    LedgerError,
    dump_ledger,
    load_first_published,
    parse_ledger,
    with_new_publications,
    write_ledger,
)

D = dt.date


def test_absent_ledger_is_empty(tmp_path):
    assert load_first_published(tmp_path / "publication-log.yml") == {}


def test_written_ledger_reads_back_sorted_with_a_header(tmp_path):
    path = tmp_path / "publication-log.yml"
    entries = {"DMPCD 2017 088": D(2017, 3, 6), "DMPCD 2015 148": D(2015, 12, 11)}
    write_ledger(path, entries)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#") and "foia publish" in text.splitlines()[1]
    assert text.index("DMPCD 2015 148") < text.index("DMPCD 2017 088")
    assert load_first_published(path) == entries
    # Plain YAML tools read it too, with real dates.
    assert yaml.safe_load(text)["first_published"]["DMPCD 2015 148"] == D(2015, 12, 11)
    assert [p.name for p in tmp_path.iterdir()] == ["publication-log.yml"], "no temporary file left behind"


def test_empty_ledger_round_trips():
    assert parse_ledger(dump_ledger({}), "x.yml") == {}


def test_publishing_twice_on_the_same_day_changes_nothing():
    old = {"DMPCD 2015 148": D(2015, 12, 11)}
    first = with_new_publications(old, ["DMPCD 2015 148", "DMPCD 2016 031"], D(2016, 2, 29))
    second = with_new_publications(first, ["DMPCD 2015 148", "DMPCD 2016 031"], D(2016, 2, 29))
    assert first == second == {"DMPCD 2015 148": D(2015, 12, 11), "DMPCD 2016 031": D(2016, 2, 29)}
    assert dump_ledger(first) == dump_ledger(second)


def test_a_later_day_never_changes_an_existing_entry():
    old = {"DMPCD 2016 031": D(2016, 2, 29)}
    new = with_new_publications(old, ["DMPCD 2016 031", "DMPCD 2017 088"], D(2017, 3, 6))
    assert new["DMPCD 2016 031"] == D(2016, 2, 29)
    assert new["DMPCD 2017 088"] == D(2017, 3, 6)
    assert old == {"DMPCD 2016 031": D(2016, 2, 29)}, "the old ledger is not modified in place"


def test_entries_for_decisions_no_longer_public_are_kept():
    old = {"DMPCD 2016 031": D(2016, 2, 29)}
    assert with_new_publications(old, [], D(2017, 1, 1)) == old


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("first_published: {\n", "not valid YAML"),
        ("first_published:\n  \"DMPCD 2015 148\": 2015-12-11\n  \"DMPCD 2015 148\": 2015-12-12\n", "listed twice"),
        ("first_published:\n  \"DMPCD 2015 148\": 2015-13-45\n", "not a real date"),
        ("first_published:\n  \"DMPCD 2015 148\": 11/12/2015\n", "YYYY-MM-DD"),
        ("first_published:\n  \"DMPCD 2015 148\": 20151211\n", "YYYY-MM-DD"),
        ("first_published:\n  \"DMPCD 2015 148\": 2015-12-11 10:00:00\n", "YYYY-MM-DD"),
        ("first_published:\n  \"DMPCD 2015 148\":\n", "YYYY-MM-DD"),
        ("first_published:\n  - DMPCD 2015 148\n", "must map each reference"),
        ("first_published:\n", "must map each reference"),
        ("- DMPCD 2015 148\n", "must be a mapping"),
        ("", "must be a mapping"),
        ("# only a comment\n", "must be a mapping"),
        ("first_publisht:\n  \"DMPCD 2015 148\": 2015-12-11\n", "must be a mapping with the key 'first_published'"),
        ("first_published: {}\nextra: 1\n", "unknown key"),
        ("first_published:\n  2015: 2015-12-11\n", "must be a decision reference"),
    ],
)
def test_malformed_ledger_is_an_error_naming_the_file(tmp_path, text, expected):
    path = tmp_path / "publication-log.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LedgerError) as e:
        load_first_published(path)
    assert str(path) in str(e.value)
    assert expected in str(e.value)
    assert path.read_text(encoding="utf-8") == text, "a malformed ledger is never reset"


def test_ledger_that_is_not_utf8_is_an_error(tmp_path):
    path = tmp_path / "publication-log.yml"
    path.write_bytes(b"first_published:\n  \"DMPCD \xff\": 2015-12-11\n")
    with pytest.raises(LedgerError, match=r"publication-log\.yml"):
        load_first_published(path)


def test_write_replaces_an_existing_ledger(tmp_path):
    path = tmp_path / "publication-log.yml"
    write_ledger(path, {"A 2020 001": D(2020, 1, 2)})
    write_ledger(path, {"A 2020 001": D(2020, 1, 2), "A 2020 002": D(2020, 1, 3)})
    assert load_first_published(path) == {"A 2020 001": D(2020, 1, 2), "A 2020 002": D(2020, 1, 3)}


def test_references_with_quotes_and_non_ascii_round_trip(tmp_path):
    path = tmp_path / "publication-log.yml"
    entries = {'MD "2020" 1': D(2020, 1, 2), "PCD 2020 – 7": D(2020, 1, 3)}
    write_ledger(path, entries)
    assert load_first_published(path) == entries


# ----------------------------------------------------------------------------- only what happened

TODAY = D(2026, 11, 27)


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ('first_published:\n  "DMPCD 2015 148": 2015-12-11\n  "DMPCD 2016 031": 2016-02-30\n', 3, "not a real date"),
        ('# note\nfirst_published:\n  "DMPCD 2015 148": 11/12/2015\n', 3, "YYYY-MM-DD"),
        ('first_published:\n  "DMPCD 2015 148": 2015-12-11\n\n  "DMPCD 2026 201": 2026-11-28\n', 4, "after today"),
        ('first_published:\n  "DMPCD 2099 001": 2099-01-01\n', 2, "after today (2026-11-27"),
    ],
)
def test_a_bad_or_future_entry_is_an_error_naming_its_line(tmp_path, text, line, expected):
    path = tmp_path / "publication-log.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LedgerError) as e:
        load_first_published(path, today=TODAY)
    assert f"{path}: line {line}: entry" in str(e.value)
    assert expected in str(e.value)


def test_an_entry_dated_today_is_fine(tmp_path):
    path = tmp_path / "publication-log.yml"
    write_ledger(path, {"DMPCD 2026 201": TODAY}, today=TODAY)
    assert load_first_published(path, today=TODAY) == {"DMPCD 2026 201": TODAY}


def test_a_publication_after_today_is_never_recorded(tmp_path):
    with pytest.raises(LedgerError, match="after today"):
        with_new_publications({}, ["DMPCD 2026 201"], TODAY + dt.timedelta(days=1), today=TODAY)
    path = tmp_path / "publication-log.yml"
    with pytest.raises(LedgerError, match="DMPCD 2026 202"):
        write_ledger(path, {"DMPCD 2026 201": TODAY, "DMPCD 2026 202": TODAY + dt.timedelta(days=1)}, today=TODAY)
    assert not path.exists()


def test_ledger_against_records_is_one_check():
    from conftest import record_text
    from foia.rules.ledger import check_against_records
    from foia.rules.records import parse_record

    record, _ = parse_record("decisions/2016/dmpcd-2016-031.md",
                             record_text("DMPCD 2016 031", "2016-02-08").encode())
    findings = check_against_records({"DMPCD 2016 031": D(2016, 2, 5), "DMPCD 1999 001": D(2000, 1, 4)}, [record])
    assert [(f.reference, f.fatal) for f in findings] == [("DMPCD 1999 001", False), ("DMPCD 2016 031", True)]
    assert "before its approval date 2016-02-08" in findings[1].message
    assert check_against_records({"DMPCD 2016 031": D(2016, 2, 8)}, [record]) == []
