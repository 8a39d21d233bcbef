"""The one publication predicate, the build date, and the plan built on them."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import record_text
from foia.proof.normalise import normalise
from foia.rules.content import load_content
from foia.rules.dates import london_today, resolve_as_of
from foia.rules.plan import build_plan, is_public
from foia.rules.records import parse_record

D = dt.date


def rec(approved="2016-02-08", **fields):
    record, errors = parse_record(
        f"decisions/{approved[:4]}/dmpcd-2016-031.md",
        record_text("DMPCD 2016 031", approved, "Body text.", **fields).encode(),
    )
    assert not errors, errors
    return record


def test_not_deferred_is_public_from_its_approval_date():
    r = rec()
    assert not is_public(r, D(2016, 2, 7))
    assert is_public(r, D(2016, 2, 8))
    assert is_public(r, D(2030, 1, 1))


def test_deferred_with_date_is_public_on_and_after_that_date():
    r = rec(deferred="true", deferred_reason="Why.", deferred_until="2016-02-29")
    assert not is_public(r, D(2016, 2, 8))
    assert not is_public(r, D(2016, 2, 28))
    assert is_public(r, D(2016, 2, 29))
    assert is_public(r, D(2016, 3, 1))


def test_deferred_without_date_is_never_public():
    r = rec(deferred="true", deferred_reason="Why.")
    assert not is_public(r, D(2099, 12, 31))


def test_env_wins_over_option_wins_over_today():
    assert resolve_as_of("2016-02-01", environ={"FOIA_AS_OF": "2016-03-01"}) == D(2016, 3, 1)
    assert resolve_as_of("2016-02-01", environ={}) == D(2016, 2, 1)
    assert resolve_as_of(None, environ={"FOIA_AS_OF": " "}) == london_today()


@pytest.mark.parametrize("bad", ["2016-02-30", "01/03/2016", "tomorrow"])
def test_bad_as_of_is_an_error(bad):
    with pytest.raises(ValueError, match="FOIA_AS_OF"):
        resolve_as_of(None, environ={"FOIA_AS_OF": bad})


def test_london_today_crosses_midnight_in_london_not_utc():
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
    assert london_today(dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)) == D(2026, 7, 1)
    # In winter London is on GMT: 23:30 UTC is still the same day.
    assert london_today(dt.datetime(2026, 12, 30, 23, 30, tzinfo=dt.UTC)) == D(2026, 12, 30)


def _content(tmp_path):
    d = tmp_path / "decisions" / "2016"
    d.mkdir(parents=True)
    (d / "dmpcd-2016-001.md").write_text(record_text("DMPCD 2016 001", "2016-01-04", "Public body sentence number one here."), encoding="utf-8")
    (d / "dmpcd-2016-002.md").write_text(
        record_text("DMPCD 2016 002", "2016-01-05", "The deferred canary sentence is WALNUT GLACIER EIGHT for tests.",
                    title="Secret project name for a deferral", deferred="true", deferred_reason="Why.",
                    deferred_until="2016-02-01", part2="true", part2_reason="Prices."),
        encoding="utf-8",
    )
    (d / "dmpcd-2016-002.part2.md").write_text(
        "---\nreference: DMPCD 2016 002\n---\nThe Part 2 canary sentence is OPAL HARBOUR NINE in confidence.\n", encoding="utf-8")
    (d / "dmpcd-2016-002.part2.pdf").write_bytes(b"%PDF-1.4 confidential")
    return load_content(tmp_path)


def test_plan_withholds_and_fingerprints(tmp_path):
    plan = build_plan(_content(tmp_path), D(2016, 1, 20))
    assert [r.reference for r in plan.public] == ["DMPCD 2016 001"]
    assert [r.reference for r in plan.withheld] == ["DMPCD 2016 002"]
    assert plan.withheld_paths == {
        "decisions/2016/dmpcd-2016-002.md",
        "decisions/2016/dmpcd-2016-002.part2.md",
        "decisions/2016/dmpcd-2016-002.part2.pdf",
    }
    assert plan.withheld_urls == {"decisions/2016/dmpcd-2016-002/"}
    needles = {f.needle for f in plan.fingerprints}
    assert normalise("DMPCD 2016 002") in needles
    assert normalise("Secret project name for a deferral") in needles
    assert any("walnut glacier eight" in n for n in needles)
    assert any("opal harbour nine" in n for n in needles)
    assert len(plan.withheld_hashes) == 2


def test_after_the_deferral_date_only_part2_stays_withheld(tmp_path):
    plan = build_plan(_content(tmp_path), D(2016, 2, 1))
    assert [r.reference for r in plan.public] == ["DMPCD 2016 002", "DMPCD 2016 001"]
    assert plan.withheld_urls == set()
    assert not any("walnut" in f.needle for f in plan.fingerprints)
    assert any("opal harbour nine" in f.needle for f in plan.fingerprints)


def test_announce_deferred_allows_the_reference_only(tmp_path):
    plan = build_plan(_content(tmp_path), D(2016, 1, 20), announce_deferred=True)
    needles = {f.needle for f in plan.fingerprints}
    assert normalise("DMPCD 2016 002") not in needles
    assert normalise("Secret project name for a deferral") in needles
    assert [r.reference for r in plan.announced()] == ["DMPCD 2016 002"]


def test_same_day_decisions_sort_by_reference_number(tmp_path):
    d = tmp_path / "decisions" / "2015"
    d.mkdir(parents=True)
    for ref in ("DMPCD 2015 99", "DMPCD 2015 148", "DMPCD 2015 7"):
        (d / f"{ref.lower().replace(' ', '-')}.md").write_text(record_text(ref, "2015-12-10"), encoding="utf-8")
    plan = build_plan(load_content(tmp_path), D(2016, 1, 1))
    assert [r.reference for r in plan.public] == ["DMPCD 2015 148", "DMPCD 2015 99", "DMPCD 2015 7"]


def test_wording_other_content_carries_stays_a_fingerprint_but_stock_wording_does_not(tmp_path):
    """No circular boilerplate rule: withheld wording a public record also carries is still a
    fingerprint (a paste looks just like that); only stock wording and the decision's own
    public Part 1 are left out."""
    shared = "The scheme extends the pilot of knife crime prevention work in three boroughs."
    stock = "Officers have drafted this report in accordance with the scheme of delegation."
    d = tmp_path / "decisions" / "2016"
    d.mkdir(parents=True)
    (d / "dmpcd-2016-001.md").write_text(record_text("DMPCD 2016 001", "2016-01-04", shared), encoding="utf-8")
    (d / "dmpcd-2016-002.md").write_text(
        record_text("DMPCD 2016 002", "2016-01-05", f"{shared}\n\n{stock}\n\nIts own unique wording about the second phase here.",
                    deferred="true", deferred_reason="Why.", part2="true", part2_reason="Prices."),
        encoding="utf-8")
    (d / "dmpcd-2016-002.part2.md").write_text(f"---\nreference: DMPCD 2016 002\n---\n{shared}\n", encoding="utf-8")
    plan = build_plan(load_content(tmp_path), D(2016, 1, 20), stock_wording=[stock])
    kinds = {(f.kind, f.needle) for f in plan.fingerprints}
    window = normalise("the scheme extends the pilot of knife crime")
    assert ("part2", window) in kinds or ("text", window) in kinds
    assert not any(normalise("scheme of delegation").strip() in f.needle for f in plan.fingerprints)
    assert any("second phase" in f.needle for f in plan.fingerprints)


def test_staged_is_exactly_the_public_bytes(tmp_path):
    """Public records and pages without their comments, linked documents of public records,
    other files outside decisions/; never a withheld record, its files, Part 2, a file no
    record links, a private file, or a comment."""
    d = tmp_path / "decisions" / "2016"
    d.mkdir(parents=True)
    public = record_text("DMPCD 2016 001", "2016-01-04", "Public.<!-- note -->\n\nSee [the annex](Annex 1.pdf).")
    (d / "dmpcd-2016-001.md").write_text(public, encoding="utf-8")
    (d / "dmpcd-2016-002.md").write_text(
        record_text("DMPCD 2016 002", "2016-01-05", "Deferred, see [its annex](annex-2.pdf).", deferred="true",
                    deferred_reason="Why.", part2="true", part2_reason="Prices."), encoding="utf-8")
    (d / "Annex 1.pdf").write_bytes(b"%PDF annex 1")
    (d / "annex-2.pdf").write_bytes(b"%PDF annex 2")
    (d / "unlinked.pdf").write_bytes(b"%PDF stray")
    (d / "dmpcd-2016-002.part2.md").write_text("---\nreference: DMPCD 2016 002\n---\nSecret.\n", encoding="utf-8")
    (tmp_path / "about.md").write_text("---\ntitle: About\n---\nAbout us.<!-- draft -->\n", encoding="utf-8")
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "logo.png").write_bytes(b"\x89PNG logo")
    (tmp_path / "publication-log.yml").write_text("first_published: {}\n", encoding="utf-8")
    plan = build_plan(load_content(tmp_path, private=["publication-log.yml"]), D(2016, 3, 1))
    assert plan.staged == {
        "decisions/2016/dmpcd-2016-001.md": public.replace("<!-- note -->", "").encode(),
        "decisions/2016/Annex 1.pdf": b"%PDF annex 1",
        "about.md": b"---\ntitle: About\n---\nAbout us.\n",
        "images/logo.png": b"\x89PNG logo",
    }
    assert plan.withheld_paths == {
        "decisions/2016/dmpcd-2016-002.md", "decisions/2016/annex-2.pdf", "decisions/2016/unlinked.pdf",
        "decisions/2016/dmpcd-2016-002.part2.md",
    }
    assert [(doc.path, doc.name) for doc in plan.documents["decisions/2016/dmpcd-2016-001.md"]] == [
        ("decisions/2016/Annex 1.pdf", "the annex")]
    assert [w.path for w in plan.warnings] == ["decisions/2016/unlinked.pdf"]
    kinds = sorted((s.kind, s.path) for s in plan.sources)
    assert kinds == [("attachment", "decisions/2016/annex-2.pdf"), ("attachment", "decisions/2016/unlinked.pdf"),
                     ("part2", "decisions/2016/dmpcd-2016-002.part2.md"), ("record", "decisions/2016/dmpcd-2016-002.md")]


def test_the_record_date_range_bounds_the_build_date_too():
    with pytest.raises(ValueError, match="FOIA_AS_OF must be between 1900-01-01 and 2200-12-31"):
        resolve_as_of(None, environ={"FOIA_AS_OF": "9999-12-31"})
