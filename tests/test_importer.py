"""foia import: every seed form, field by field, and malformed forms as errors naming the question."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from foia.commands import cli
from foia.commands.importer import (
    Q_DEFERRED,
    Q_DEFERRED_REASON,
    Q_PART2,
    Q_PART2_REASON,
    Q_UNTIL,
    find_dates,
    import_form,
    parse_uk_date,
)
from foia.rules.content import load_content
from foia.rules.records import parse_record

SEEDS = Path(__file__).parents[2] / "shared" / "seeds"
D = dt.date
DMPC = "Deputy Mayor for Policing and Crime"

EXPECTED = {
    "DMPCD-2015-148.txt": dict(
        reference="DMPCD 2015 148",
        title="Supporting Innovation – Home Office Innovation Fund applications",
        approved=D(2015, 12, 10), decision_maker=DMPC, deferred=False, deferred_reason=None, deferred_until=None,
        part2=False, part2_reason=None,
        summary_start="The Home Office Innovation bids are due to be submitted online by the end of play on 18th "
                      "December 2015.",
        summary_end="The DMPC has been appraised of the following bid applications.",
    ),
    "DMPCD-2016-031.txt": dict(
        reference="DMPCD 2016 031",
        title="Body Worn Video – award of contract for the second phase of roll-out",
        approved=D(2016, 2, 8), decision_maker=DMPC, deferred=True,
        deferred_reason="Publication before the end of the standstill period and the signature of the contract "
                        "would compromise the procurement.",
        deferred_until=D(2016, 2, 29), part2=True,
        part2_reason="The Part 2 form contains the bidders' prices and the evaluation scores, which are "
                     "commercially sensitive (FOIA section 43).",
        summary_start="The Metropolitan Police Service (MPS) completed the first phase of Body Worn Video",
        summary_end="This paper seeks approval to award the contract to the preferred bidder.",
    ),
    "DMPCD-2017-088.txt": dict(
        reference="DMPCD 2017 088",
        title="London Crime Prevention Fund 2017-21 – allocation to boroughs",
        approved=D(2017, 3, 3), decision_maker=DMPC, deferred=False, deferred_reason=None, deferred_until=None,
        part2=False, part2_reason=None,
        summary_start="The London Crime Prevention Fund (LCPF) supports local crime prevention work",
        summary_end="30% held for co-commissioned pan-London services.",
    ),
}

# Text that is form furniture, never Part 1 body.
FURNITURE = [
    "Public access to information", "Information in this form is subject to", "Is the publication of this form",
    "Until what date", "Is there a part 2 form", "ORIGINATING OFFICER DECLARATION", "OFFICER APPROVAL",
    "I have been consulted about the proposal", "The above request has my approval",
    "personal or prejudicial interest", "Tick to confirm", "REQUEST FOR DMPC DECISION", "Title:",
    "PART I - NON-CONFIDENTIAL", "Signature", "DMPCD v5", "MAYOR OF LONDON OFFICE",
]


def test_every_seed_form_has_expected_fields():
    assert sorted(p.name for p in SEEDS.glob("*.txt")) == sorted(EXPECTED), "a new seed needs its expected fields"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_import_seed_form(name):
    expected = EXPECTED[name]
    imported, problems = import_form(SEEDS / name)
    assert problems == []
    r = imported.record
    for key in ("reference", "title", "approved", "decision_maker", "deferred", "deferred_reason",
                "deferred_until", "part2", "part2_reason"):
        assert getattr(r, key) == expected[key], key
    assert r.summary.startswith(expected["summary_start"]) and r.summary.endswith(expected["summary_end"])
    assert "\n" not in r.summary and "<sup>" not in r.summary
    assert imported.rel_path == f"decisions/{r.approved.year}/{r.slug}.md"
    # The written file is a valid record, found at the path the validator requires.
    again, errors = parse_record(imported.rel_path, imported.text.encode("utf-8"))
    assert errors == [] and again == r

    body = r.body
    for heading in ("## Executive Summary", "## Recommendation", "## 1. Introduction and background",
                    "## 2. Issues for consideration", "## 3. Financial Comments", "## 4. Legal Comments",
                    "## 5. Equality Comments", "## 6. Background/supporting papers"):
        assert f"\n{heading}\n" in f"\n{body}", heading
    assert body.index("## Executive Summary") < body.index("## Recommendation") < body.index("## 1. Introduction")
    for text in FURNITURE:
        assert text.casefold() not in body.casefold(), text
    assert "\t" not in body and "<" not in body
    # Numbered paragraphs are paragraphs of their own, not bullets.
    assert re.search(r"(?m)^1\.1\. ", body) and re.search(r"(?m)^1\.2\. ", body)
    assert not re.search(r"(?m)^- 1\.1\.", body)


def test_appendix_tables_become_markdown_tables():
    body = import_form(SEEDS / "DMPCD-2017-088.txt")[0].record.body
    assert "| Borough | 2017/18 | 2018/19 | 2019/20 | 2020/21 |\n|---|---|---|---|---|\n" in body
    assert "| Westminster | £803,000 | £803,000 | £790,000 | £790,000 |" in body

    body = import_form(SEEDS / "DMPCD-2015-148.txt")[0].record.body
    assert "| Title | Proposal | Total Cost 2016-2018 | Nature of Bid |" in body
    assert "| No. | Title | Explanation |" in body
    rows = [line for line in body.splitlines() if line.startswith("| ")]
    assert all(line.count(" | ") == rows[0].count(" | ") for line in rows[:9]), "first table: 4 columns"
    # A cell split over three PDF lines is one cell again.
    sobriety = next(line for line in rows if "Compulsory Pilot" in line)
    assert "(including Domestic Violence) and how it is implemented" in sobriety
    assert "implementing a delivery model for London" in sobriety
    # Stray marks from the PDF ('0', 'D', '•', '_') are not cells.
    assert not any(re.match(r"\| (0|D|•|_) \|", line) for line in rows)
    assert "| 5 | Digital Contact Centre |" in body
    # HTML lists inside a cell are flattened to text.
    assert "collocation of the following services: Emergency Service Control Room facilities for London;" in body


def test_seed_records_build_into_real_pages(project):
    for name in sorted(EXPECTED):
        imported, problems = import_form(SEEDS / name)
        assert problems == []
        project.write(imported.rel_path, imported.text)
    project.write("decisions/2016/dmpcd-2016-031.part2.md", "---\nreference: DMPCD 2016 031\n---\nPart 2.\n")
    project.build("2017-03-06")
    page = (project.site / "decisions/2015/dmpcd-2015-148/index.html").read_text(encoding="utf-8")
    assert page.count("<table") >= 2 and "<th>Nature of Bid</th>" in page
    assert "Appenidx A: Bid tables" in page
    page = (project.site / "decisions/2017/dmpcd-2017-088/index.html").read_text(encoding="utf-8")
    assert "<td>Barking and Dagenham</td>" in page


# ----------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("10/12/2015", D(2015, 12, 10)),
        ("Date 08/02/2016", D(2016, 2, 8)),
        ("Date 10 12 2015", D(2015, 12, 10)),
        ("10 December 2015", D(2015, 12, 10)),
        ("Date 3 March 2017", D(2017, 3, 3)),
        ("3rd of March 2017", D(2017, 3, 3)),
        ("3 Sept 2017", D(2017, 9, 3)),
        ("December 10, 2015", D(2015, 12, 10)),
        ("10.12.15", D(2015, 12, 10)),
        ("10 - 12 - 2015", D(2015, 12, 10)),
        ("2015-12-10", D(2015, 12, 10)),
        ("1/2/2016", D(2016, 2, 1)),  # day first, never US order
        ("8th February 2016", D(2016, 2, 8)),
        ("08-Feb-2016", D(2016, 2, 8)),
        ("8 Feb 16", D(2016, 2, 8)),
        ("Monday, 8 February 2016", D(2016, 2, 8)),
        ("February 8th, 2016", D(2016, 2, 8)),
    ],
)
def test_uk_dates(text, day):
    assert parse_uk_date(text) == day


@pytest.mark.parametrize("text", ["31/02/2016", "29/02/2015", "13 Smarch 2016", "soon", "10/12/2015 or 11/12/2015"])
def test_unreadable_dates(text):
    with pytest.raises(ValueError):
        parse_uk_date(text)


def test_impossible_date_is_found_but_not_read():
    assert find_dates("Date 31/02/2016") == [("31/02/2016", None)]


# ----------------------------------------------------------------------------- malformed forms


def variant(tmp_path: Path, *replacements: tuple[str, str], seed: str = "DMPCD-2017-088.txt") -> Path:
    text = (SEEDS / seed).read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, f"the seed no longer contains {old!r}"
        text = text.replace(old, new, 1)
    path = tmp_path / f"variant-{seed}"
    path.write_text(text, encoding="utf-8")
    return path


DEFER_NO = "Is the publication of this form to be deferred? NO"
REASON_1 = "If yes, for what reason:\n\nUntil what date (if known):"
UNTIL = "Until what date (if known):\n"
PART2_NO = "Is there a part 2 form – NO"
PART2_REASON = "Is there a part 2 form – NO\n\nIf yes, for what reason:"


def deferred_yes(reason: str = "Release would prejudice the procurement.", until: str = "31/03/2017"):
    return (DEFER_NO, "Is the publication of this form to be deferred? YES"), (
        REASON_1, f"If yes, for what reason: {reason}\n\nUntil what date (if known): {until}")


@pytest.mark.parametrize(
    ("replacements", "question", "message"),
    [
        ([(DEFER_NO, "Is the publication of this form to be deferred?")], Q_DEFERRED, "no answer"),
        ([(DEFER_NO, "")], Q_DEFERRED, "not found"),
        ([(DEFER_NO, "Is the publication of this form to be deferred? MAYBE")], Q_DEFERRED, "not a clear YES or NO"),
        ([(DEFER_NO, "Is the publication of this form to be deferred? YES / NO")], Q_DEFERRED, "not a clear"),
        (list(deferred_yes(reason="")), Q_DEFERRED_REASON, "no reason"),
        (list(deferred_yes(reason="N/A")), Q_DEFERRED_REASON, "no reason"),
        (list(deferred_yes(until="31/02/2017")), Q_UNTIL, "not a real date"),
        (list(deferred_yes(until="after the contract is signed")), Q_UNTIL, "unreadable date"),
        ([deferred_yes()[0], (REASON_1, "If yes, for what reason: Prejudice.")], Q_UNTIL, "missing"),
        ([(REASON_1, "If yes, for what reason: Commercial.\n\nUntil what date (if known):")], Q_DEFERRED_REASON,
         "is NO, but a reason is given"),
        ([(UNTIL, "Until what date (if known): 01/04/2017\n")], Q_UNTIL, "is NO, but a date is given"),
        ([(PART2_NO, "")], Q_PART2, "not found"),
        ([(PART2_NO, "Is there a part 2 form –")], Q_PART2, "no answer"),
        ([(PART2_NO, "Is there a part 2 form – Y/N")], Q_PART2, "not a clear"),
        ([(PART2_NO, "Is there a part 2 form – YES")], Q_PART2_REASON, "no reason"),
        ([(PART2_REASON, "Is there a part 2 form – NO\n\nIf yes, for what reason: Personal data.")], Q_PART2_REASON,
         "is NO, but a reason is given"),
        ([(DEFER_NO, DEFER_NO + "\n\n" + DEFER_NO)], Q_DEFERRED, "appears twice"),
    ],
)
def test_bad_confidentiality_answer_is_an_error_naming_form_and_question(tmp_path, replacements, question, message):
    form = variant(tmp_path, *replacements)
    imported, problems = import_form(form)
    assert imported is None
    assert any(p.question == question and message in p.message for p in problems), [str(p) for p in problems]
    assert all(str(form) in str(p) for p in problems)
    assert any(question in str(p) for p in problems)


def test_answers_in_other_capitals_spacing_and_lines(tmp_path):
    form = variant(
        tmp_path,
        (DEFER_NO, "**is the  Publication of this form to be DEFERRED?**\n\n  yes."),
        (REASON_1, "if yes, for what reason :\n\nThe providers must be told first.\n\nUNTIL WHAT DATE (IF KNOWN):\t1st April 2017"),
        (PART2_NO, "Is there a Part 2 form? Yes"),
        ("#### **ORIGINATING", "If yes, for what reason: Personal information (FOIA section 40).\n\n#### **ORIGINATING"),
    )
    text = form.read_text(encoding="utf-8").replace("Is there a Part 2 form? Yes\n\nIf yes, for what reason:\n", "Is there a Part 2 form? Yes\n")
    form.write_text(text, encoding="utf-8")
    imported, problems = import_form(form)
    assert problems == []
    r = imported.record
    assert r.deferred and r.deferred_reason == "The providers must be told first." and r.deferred_until == D(2017, 4, 1)
    assert r.part2 and r.part2_reason == "Personal information (FOIA section 40)."


@pytest.mark.parametrize(
    ("answer", "deferred"),
    [("NO", False), ("no", False), ("No.", False), ("\u2610 YES \u2612 NO", False), ("[ ] Yes [x] No", False),
     ("\u2612 YES \u2610 NO", None), ("\u2612 YES \u2612 NO", None), ("\u2610 YES \u2610 NO", None), ("YES/NO", None),
     ("Not sure", None), ("N/A", None)],
)
def test_yes_no_answers(tmp_path, answer, deferred):
    form = variant(tmp_path, (DEFER_NO, f"Is the publication of this form to be deferred? {answer}"))
    imported, problems = import_form(form)
    if deferred is None:
        # a ticked YES fails on its missing reason; everything else is unclear
        assert imported is None and any(p.question in (Q_DEFERRED, Q_DEFERRED_REASON) for p in problems)
    else:
        assert problems == [] and imported.record.deferred is deferred


def test_deferred_with_a_blank_date_is_withheld_until_someone_sets_one(tmp_path):
    imported, problems = import_form(variant(tmp_path, *deferred_yes(until="")))
    assert problems == [] and imported.record.deferred and imported.record.deferred_until is None


def test_sections_in_another_order(tmp_path):
    text = (SEEDS / "DMPCD-2016-031.txt").read_text(encoding="utf-8")
    access = text[text.index("# Public access to information"):text.index("#### **ORIGINATING")]
    text = text.replace(access, "")
    text = text.replace("# PART I - NON-CONFIDENTIAL", access + "# PART I - NON-CONFIDENTIAL")
    form = tmp_path / "reordered.txt"
    form.write_text(text, encoding="utf-8")
    imported, problems = import_form(form)
    assert problems == []
    original = import_form(SEEDS / "DMPCD-2016-031.txt")[0].record
    assert imported.record == original.__class__(**{**original.__dict__, "path": imported.record.path})


def test_officer_date_is_not_the_approval_date(tmp_path):
    form = variant(tmp_path, ("Date 3 March 2017", "Date"))
    assert "Date 02/03/2017" in form.read_text(encoding="utf-8"), "the officer's date is still there"
    imported, problems = import_form(form)
    assert imported is None
    assert any(p.question == "approved" and "no date" in p.message for p in problems)


@pytest.mark.parametrize(
    ("replacements", "question", "message"),
    [
        ([("Date 3 March 2017", "Date 31/13/2017")], "approved", "not a real date"),
        ([("Date 3 March 2017", "Date 3 Marchh 2017")], "approved", "no date"),
        ([("Date 3 March 2017", "Date 30 February 2017")], "approved", "not a real date"),
        ([("Date 3 March 2017", "Date 3 March 2017\n\n4 March 2017")], "approved", "more than one date"),
        ([("REQUEST FOR DMPC DECISION – DMPCD 2017 088", "REQUEST FOR DMPC DECISION")], "reference", "no 'REQUEST"),
        ([("# Title: London", "# London")], "Title", "no 'Title:' line"),
        ([("The above request has my approval.", ""), ("I confirm I have considered", "I considered")],
         "decision_maker", "no signing block"),
        ([("#### Recommendation:", "# PART 2 - CONFIDENTIAL FACTS AND ADVICE\n\nSecret.\n\n#### Recommendation:")],
         None, "Part 2 section"),
    ],
)
def test_other_bad_forms(tmp_path, replacements, question, message):
    form = variant(tmp_path, *replacements)
    imported, problems = import_form(form)
    assert imported is None
    assert any(p.question == question and message in p.message for p in problems), [str(p) for p in problems]


def test_text_wrapped_by_the_pdf_is_joined(tmp_path):
    text = (SEEDS / "DMPCD-2016-031.txt").read_text(encoding="utf-8")
    wrapped = []
    for line in text.splitlines():
        while len(line) > 70 and "\t" not in line:
            cut = line.rindex(" ", 0, 70)
            wrapped.append(line[:cut])
            line = line[cut + 1:]
        wrapped.append(line)
    form = tmp_path / "wrapped.txt"
    form.write_text("\n".join(wrapped) + "\n", encoding="utf-8")
    imported, problems = import_form(form)
    assert problems == []
    original = import_form(SEEDS / "DMPCD-2016-031.txt")[0].record
    for key in ("reference", "title", "approved", "decision_maker", "summary", "deferred_reason", "deferred_until",
                "part2_reason"):
        assert getattr(imported.record, key) == getattr(original, key), key
    assert imported.record.body == original.body


def test_windows_line_endings_and_a_plain_signing_heading(tmp_path):
    form = variant(tmp_path, ("#### **Deputy Mayor for Policing and Crime**", "Mayor of London"))
    form.write_bytes(form.read_bytes().replace(b"\n", b"\r\n"))
    imported, problems = import_form(form)
    assert problems == []
    assert imported.record.decision_maker == "Mayor of London"
    assert imported.record.approved == D(2017, 3, 3)
    assert "Mayor of London" not in imported.record.body


def test_reference_with_other_spacing_and_dashes(tmp_path):
    form = variant(tmp_path, ("REQUEST FOR DMPC DECISION – DMPCD 2017 088", "Request for DMPC Decision—DMPCD-2017-88"))
    imported, problems = import_form(form)
    assert problems == [] and imported.record.reference == "DMPCD 2017 088"


def test_non_utf8_and_empty_forms(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"REQUEST FOR DMPC DECISION \x96 DMPCD 2017 088\n")
    assert "not UTF-8" in str(import_form(bad)[1][0])
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    assert "empty" in str(import_form(empty)[1][0])


# ----------------------------------------------------------------------------- the command


def run_import(docs: Path, *args: str) -> int:
    return cli.main(["import", "--content", str(docs), *args])


def test_import_writes_every_seed_as_a_valid_record(tmp_path, capsys):
    docs = tmp_path / "content"
    assert run_import(docs, *sorted(str(p) for p in SEEDS.glob("*.txt"))) == 0
    out = capsys.readouterr().out
    assert "dmpcd-2016-031.part2.md" in out, "reminds the team where the Part 2 form goes"
    content = load_content(docs)
    assert content.errors == []
    assert sorted(r.path for r in content.records) == [
        "decisions/2015/dmpcd-2015-148.md", "decisions/2016/dmpcd-2016-031.md", "decisions/2017/dmpcd-2017-088.md",
    ]


def test_import_refuses_to_overwrite_unless_forced(tmp_path, capsys):
    docs = tmp_path / "content"
    form = str(SEEDS / "DMPCD-2017-088.txt")
    assert run_import(docs, form) == 0
    target = docs / "decisions/2017/dmpcd-2017-088.md"
    target.write_text(target.read_text(encoding="utf-8").replace("allocation to boroughs", "EDITED"), encoding="utf-8")
    capsys.readouterr()
    assert run_import(docs, form) == 1
    assert "already exists" in capsys.readouterr().err
    assert "EDITED" in target.read_text(encoding="utf-8"), "not overwritten"
    assert run_import(docs, form, "--force") == 0
    assert "EDITED" not in target.read_text(encoding="utf-8")


def test_dry_run_prints_and_writes_nothing(tmp_path, capsys):
    docs = tmp_path / "content"
    assert run_import(docs, str(SEEDS / "DMPCD-2016-031.txt"), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "reference: DMPCD 2016 031" in out and "deferred_until: 2016-02-29" in out
    assert not docs.exists()


def test_one_bad_form_means_nothing_is_written(tmp_path, capsys):
    docs = tmp_path / "content"
    bad = variant(tmp_path, (DEFER_NO, "Is the publication of this form to be deferred?"))
    assert run_import(docs, str(SEEDS / "DMPCD-2015-148.txt"), str(bad)) == 1
    err = capsys.readouterr().err
    assert "nothing was written" in err and str(bad) in err and Q_DEFERRED in err
    assert not docs.exists()


def test_a_reference_already_used_elsewhere_is_refused(tmp_path, capsys):
    docs = tmp_path / "content"
    assert run_import(docs, str(SEEDS / "DMPCD-2017-088.txt")) == 0
    # The same reference signed in another year would be a second record with one reference.
    moved = variant(tmp_path, ("Date 3 March 2017", "Date 3 March 2018"), ("Date 02/03/2017", "Date 02/03/2018"))
    assert run_import(docs, str(moved)) == 1
    assert "already used by" in capsys.readouterr().err
    assert not (docs / "decisions/2018").exists()


# ----------------------------------------------------------------------------- answers in words


@pytest.mark.parametrize(
    "until",
    ["Not known at this stage", "TBC", "N/A", "n/a", "None", "-", "–", "", "To be confirmed", "Not yet known",
     "Unknown", "not known at present", "TBC.", "Date not known"],
)
def test_until_answered_in_words_is_no_date(tmp_path, until):
    imported, problems = import_form(variant(tmp_path, *deferred_yes(until=until)))
    assert problems == [], [str(p) for p in problems]
    assert imported.record.deferred and imported.record.deferred_until is None


@pytest.mark.parametrize("until", ["Not known at this stage", "TBC", "-", "N/A"])
def test_until_in_words_with_no_deferral_is_fine(tmp_path, until):
    imported, problems = import_form(variant(tmp_path, (UNTIL, f"Until what date (if known): {until}\n")))
    assert problems == [] and imported.record.deferred is False


@pytest.mark.parametrize("until", ["when the contract is signed", "next spring", "31/02/2017", "soon"])
def test_until_that_is_neither_a_date_nor_no_answer_is_an_error(tmp_path, until):
    imported, problems = import_form(variant(tmp_path, *deferred_yes(until=until)))
    assert imported is None and any(p.question == Q_UNTIL for p in problems)


@pytest.mark.parametrize("answer", ["TBC", "Not known at this stage", "-", "None"])
def test_yes_no_answers_are_still_never_guessed(tmp_path, answer):
    imported, problems = import_form(variant(tmp_path, (DEFER_NO, f"Is the publication of this form to be deferred? {answer}")))
    assert imported is None
    assert any(p.question == Q_DEFERRED and ("not a clear YES or NO" in p.message or "no answer" in p.message)
               for p in problems)


# ----------------------------------------------------------------------------- --force keeps editors' work


def edit(path: Path, *replacements: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def test_force_keeps_tags_and_a_hand_written_summary(tmp_path, capsys):
    docs = tmp_path / "content"
    form = SEEDS / "DMPCD-2017-088.txt"
    assert run_import(docs, str(form)) == 0
    target = docs / "decisions/2017/dmpcd-2017-088.md"
    summary = imported_summary = parse_record("decisions/2017/dmpcd-2017-088.md", target.read_bytes())[0].summary
    edit(target, ("summary: ", "tags: [grants, boroughs]\nsummary: "))
    text = target.read_text(encoding="utf-8")
    start = text.index("summary:")
    end = text.index("\ndeferred:")
    target.write_text(text[:start] + "summary: Money for local crime prevention in every borough." + text[end:],
                      encoding="utf-8")
    capsys.readouterr()
    assert run_import(docs, str(form), "--force") == 0
    out = capsys.readouterr().out
    record = parse_record("decisions/2017/dmpcd-2017-088.md", target.read_bytes())[0]
    assert record.tags == ("grants", "boroughs")
    assert record.summary == "Money for local crime prevention in every borough."
    assert "Replaced from the form: nothing" in out and "summary" in out.split("Kept as edited:")[1]

    # The form changes the executive summary and the title: those are replaced; tags stay.
    changed = variant(tmp_path, (summary[:40], "A new opening. " + summary[:40]),
                      ("# Title: London Crime Prevention Fund 2017-21", "# Title: London Crime Prevention Fund 2017-22"))
    capsys.readouterr()
    assert run_import(docs, str(changed), "--force") == 0
    out = capsys.readouterr().out
    record = parse_record("decisions/2017/dmpcd-2017-088.md", target.read_bytes())[0]
    assert record.tags == ("grants", "boroughs")
    assert record.summary.startswith("A new opening.") and record.title.endswith("2017-22 – allocation to boroughs")
    replaced = out.split("Replaced from the form:")[1].split(".")[0]
    assert "title" in replaced and "summary" in replaced and "body" in replaced and "tags" not in replaced
    assert imported_summary != record.summary


def test_force_keeps_an_edited_field_the_signed_pdf_has_not_changed(tmp_path, capsys):
    from pdf_forms import form_pdf

    docs = tmp_path / "content"
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(form_pdf(SEEDS / "DMPCD-2016-031.txt", "ruled"))
    assert run_import(docs, str(pdf)) == 0
    target = docs / "decisions/2016/dmpcd-2016-031.md"
    edit(target, ("title: Body Worn Video – award", "title: Body-worn video – award"),
         ("4.1. The procurement complies", "4.1. The procurement fully complies"))
    capsys.readouterr()
    assert run_import(docs, str(pdf), "--force") == 0
    out = capsys.readouterr().out
    record = parse_record("decisions/2016/dmpcd-2016-031.md", target.read_bytes())[0]
    assert record.title.startswith("Body-worn video") and "fully complies" in record.body
    assert "Kept as edited: title, body" in out

    # A new signed form that changes the title replaces it (and says so).
    source = variant(tmp_path, ("Body Worn Video – award", "Body Worn Video – revised award"), seed="DMPCD-2016-031.txt")
    pdf.write_bytes(form_pdf(source, "ruled"))
    capsys.readouterr()
    assert run_import(docs, str(pdf), "--force") == 0
    out = capsys.readouterr().out
    record = parse_record("decisions/2016/dmpcd-2016-031.md", target.read_bytes())[0]
    assert record.title.startswith("Body Worn Video – revised award")
    assert "title" in out.split("Replaced from the form:")[1].split(".")[0]
    assert "fully complies" in record.body, "the body the form did not change keeps the edit"
    assert (docs / "decisions/2016/dmpcd-2016-031.signed-form.pdf").read_bytes() == pdf.read_bytes()


def test_force_replaces_a_record_that_cannot_be_read(tmp_path, capsys):
    docs = tmp_path / "content"
    form = str(SEEDS / "DMPCD-2017-088.txt")
    assert run_import(docs, form) == 0
    target = docs / "decisions/2017/dmpcd-2017-088.md"
    target.write_text("---\ntitle: [unclosed\n---\nbroken\n", encoding="utf-8")
    assert run_import(docs, form, "--force") == 0
    assert "could not be read" in capsys.readouterr().out
    assert load_content(docs).errors == []
