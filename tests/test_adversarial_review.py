"""Findings of a red-team review (28 Nov 2026), each a real build that failed before its fix:
withheld text the proof missed (combining marks, small capitals and letter symbols, UTF-16
and UTF-32 without a byte-order mark, xz and bz2 files, RTF as Word writes it, prices written
without thousands separators), and legitimate sites the build refused (the same natural
document name in two years, a name inside a longer one, a deferred decision's three-word
title in ordinary prose)."""

from __future__ import annotations

import bz2
import lzma

from conftest import SiteProject

PART2_SENTENCE = "The evaluation panel scored Kestrel Holdings highest at ninety one points overall."
AS_OF = "2016-02-15"


def with_part2(project: SiteProject, part2: bytes | str | None = None, ext: str = "md") -> SiteProject:
    """A public decision with a Part 2 form holding PART2_SENTENCE."""
    project.add_record("DMPCD 2016 010", "2016-01-11", "The public decision funds a community garden.",
                       part2="true", part2_reason="Commercially sensitive prices.")
    if part2 is None:
        part2 = f"---\nreference: DMPCD 2016 010\n---\n\n{PART2_SENTENCE}\n"
    project.write(f"decisions/2016/dmpcd-2016-010.part2.{ext}", part2)
    return project


def leak_refused(project: SiteProject) -> str:
    proc = project.build(AS_OF, check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, "the build passed: the withheld text is published\n" + out[-2000:]
    assert "Traceback" not in out, out[-3000:]
    return out


def builds(project: SiteProject, as_of: str = AS_OF) -> None:
    proc = project.build(as_of, check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, "legitimate content refused:\n" + out[-3000:]


# ------------------------------------------------------------------ leaks: the normaliser


def _marked(text: str, mark: str) -> str:
    return "".join(c + mark if c.isalnum() else c for c in text)


def test_leak_part2_sentence_with_combining_underline_in_a_public_record(project):
    """U+0332 after every letter: reads as the sentence underlined; the normaliser splits
    every letter into its own word."""
    with_part2(project)
    project.add_record("DMPCD 2016 040", "2016-02-03", "As noted: " + _marked(PART2_SENTENCE, "\u0332"))
    leak_refused(project)


def test_leak_part2_sentence_with_combining_strikethrough_in_a_public_record(project):
    with_part2(project)
    project.add_record("DMPCD 2016 040", "2016-02-03", "Struck out: " + _marked(PART2_SENTENCE, "\u0336"))
    leak_refused(project)


SMALL_CAPS = str.maketrans("abcdefghijklmnopqrstuvwxyz",
                           "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡxʏᴢ")


def test_leak_part2_sentence_in_small_capitals_in_a_public_record(project):
    with_part2(project)
    project.add_record("DMPCD 2016 040", "2016-02-03", "Noted: " + PART2_SENTENCE.lower().translate(SMALL_CAPS))
    leak_refused(project)


def _negative_squared(text: str) -> str:
    return "".join(chr(0x1F170 + ord(c) - 97) if "a" <= c <= "z" else c for c in text.lower())


def test_leak_part2_sentence_in_negative_squared_letters_in_a_public_record(project):
    """🅺🅴🆂🆃🆁🅴🅻 reads 'KESTREL'; the normaliser drops these letters entirely."""
    with_part2(project)
    project.add_record("DMPCD 2016 040", "2016-02-03", "Noted: " + _negative_squared(PART2_SENTENCE))
    leak_refused(project)


# ------------------------------------------------------------------ leaks: formats the scan cannot read


def test_leak_published_text_document_in_utf16_without_bom(project):
    """A public record's document saved as 'Unicode text' without a byte-order mark (what
    Notepad and Excel open as text): read as UTF-8, every letter is its own word."""
    with_part2(project)
    project.add_record("DMPCD 2016 040", "2016-02-03", "See [the notes](dmpcd-2016-040-notes.txt).")
    project.write("decisions/2016/dmpcd-2016-040-notes.txt", PART2_SENTENCE.encode("utf-16-le"))
    leak_refused(project)


def test_leak_part2_text_file_in_utf16_without_bom_gives_no_fingerprint(project):
    """A Part 2 text file in UTF-16 without BOM: its text is never fingerprinted, so an
    ordinary paste of it into a public record passes."""
    with_part2(project, PART2_SENTENCE.encode("utf-16-le"), ext="txt")
    project.add_record("DMPCD 2016 040", "2016-02-03", f"As noted: {PART2_SENTENCE}")
    leak_refused(project)


def test_leak_published_text_document_in_utf32_with_bom(project):
    with_part2(project)
    project.add_record("DMPCD 2016 040", "2016-02-03", "See [the notes](dmpcd-2016-040-notes.txt).")
    project.write("decisions/2016/dmpcd-2016-040-notes.txt", PART2_SENTENCE.encode("utf-32"))
    leak_refused(project)


def test_leak_xz_archive_of_part2_text_is_published_unread(project):
    """An .xz (or .bz2) document is neither read nor refused as unreadable: it passes."""
    with_part2(project)
    project.add_record("DMPCD 2016 040", "2016-02-03", "See [the data](dmpcd-2016-040-data.txt.xz).")
    project.write("decisions/2016/dmpcd-2016-040-data.txt.xz", lzma.compress(PART2_SENTENCE.encode()))
    leak_refused(project)


def test_leak_bz2_archive_of_part2_text_is_published_unread(project):
    with_part2(project)
    project.add_record("DMPCD 2016 040", "2016-02-03", "See [the data](dmpcd-2016-040-data.txt.bz2).")
    project.write("decisions/2016/dmpcd-2016-040-data.txt.bz2", bz2.compress(PART2_SENTENCE.encode()))
    leak_refused(project)


# ------------------------------------------------------------------ false alarms


def test_false_alarm_public_document_whose_name_ends_with_a_withheld_documents_name(project):
    """A deferred decision's 'plan.pdf' is withheld; a public decision's 'workforce-plan.pdf'
    is refused because its name contains 'plan.pdf'."""
    project.add_record("DMPCD 2016 001", "2016-01-04", "See [the workforce plan](workforce-plan.pdf).")
    import proof_files
    project.write("decisions/2016/workforce-plan.pdf", proof_files.pdf("The public workforce plan for the year."))
    project.add_record("DMPCD 2017 002", "2017-01-05", "See [the plan](plan.pdf).",
                       deferred="true", deferred_reason="Security.", deferred_until="2017-06-01")
    project.write("decisions/2017/plan.pdf", proof_files.pdf("The deferred operational plan."))
    builds(project, "2017-02-01")


def test_false_alarm_same_natural_document_name_in_two_years(project):
    """'Appendix A.pdf' beside a public 2016 decision and beside a deferred 2017 decision (the
    README's own example of a natural name): the public one is refused."""
    import proof_files
    project.add_record("DMPCD 2016 001", "2016-01-04", "See [Appendix A](<Appendix A.pdf>).")
    project.write("decisions/2016/Appendix A.pdf", proof_files.pdf("Public appendix of the 2016 decision."))
    project.add_record("DMPCD 2017 002", "2017-01-05", "See [Appendix A](<Appendix A.pdf>).",
                       deferred="true", deferred_reason="Security.", deferred_until="2017-06-01")
    project.write("decisions/2017/Appendix A.pdf", proof_files.pdf("Deferred appendix of the 2017 decision."))
    builds(project, "2017-02-01")


def test_false_alarm_short_title_of_a_deferred_decision_in_ordinary_public_prose(project):
    """A deferred decision titled with a common three-word phrase: every public page that
    mentions the phrase is refused."""
    project.add_record("DMPCD 2016 001", "2016-01-04",
                       "The Violence Reduction Unit will receive the grant for youth outreach work.")
    project.add_record("DMPCD 2016 002", "2016-01-05", "Operational detail of a new team.",
                       title="Violence Reduction Unit", deferred="true", deferred_reason="Security.",
                       deferred_until="2016-06-01")
    builds(project)


# ------------------------------------------------------------------ leaks: the same words, written otherwise


PRICES = [["Axon Enterprise", "£1,234,567"], ["Capita Secure", "£1,456,000"], ["Serco Health", "£2,010,500"]]


def test_leak_part2_price_table_pasted_without_thousands_separators(project):
    """The Part 2 prices, pasted with '£1234567' for '£1,234,567' (Excel's default format):
    the same figures, the same bidders, not found."""
    table = "| Bidder | Price |\n|---|---|\n" + "\n".join(f"| {b} | {p} |" for b, p in PRICES)
    with_part2(project, f"---\nreference: DMPCD 2016 010\n---\n\n# Prices\n\n{table}\n")
    pasted = "| Bidder | Price |\n|---|---|\n" + "\n".join(f"| {b} | {p.replace(',', '')} |" for b, p in PRICES)
    project.add_record("DMPCD 2016 040", "2016-02-03", f"Costs considered:\n\n{pasted}")
    leak_refused(project)


def test_leak_part2_form_saved_as_word_rtf_gives_no_usable_fingerprint(project):
    """A Part 2 form saved from Word as RTF: every run carries control words between the
    words, so the fingerprints are of control words and the form's sentence pasted as plain
    text into a public record is not found."""
    runs = PART2_SENTENCE.split(" ")
    body = "".join(f"{{\\rtlch\\fcs1 \\af0 \\ltrch\\fcs0 \\insrsid{9718355 + i} {w} }}" for i, w in enumerate(runs))
    rtf = "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Arial;}}\\pard\\plain " + body + "\\par}"
    with_part2(project, rtf.encode("ascii"), ext="rtf")
    project.add_record("DMPCD 2016 040", "2016-02-03", f"As noted: {PART2_SENTENCE}")
    leak_refused(project)


def test_an_archive_the_proof_cannot_unpack_is_refused_naming_it(project):
    """A 7z archive (or RAR, Zstandard, Brotli...) cannot be read, so cannot be proved clean:
    the build fails, naming the file and saying what to publish instead."""
    project.add_record("DMPCD 2016 040", "2016-02-03", "See [the data](dmpcd-2016-040-data.7z).")
    project.write("decisions/2016/dmpcd-2016-040-data.7z", b"7z\xbc\xaf\x27\x1c" + bytes(40))
    out = leak_refused(project)
    assert "decisions/2016/dmpcd-2016-040-data.7z: cannot be read: a 7z archive (publish it as a zip file instead)" in out


def test_a_withheld_file_named_in_a_public_page_is_still_found_as_a_whole_name(project):
    """The whole-name rule does not hide a real mention: a link or a sentence naming the
    deferred decision's 'plan.pdf' is still a leak."""
    import proof_files
    project.add_record("DMPCD 2017 002", "2017-01-05", "See [the plan](plan.pdf).",
                       deferred="true", deferred_reason="Security.", deferred_until="2017-06-01")
    project.write("decisions/2017/plan.pdf", proof_files.pdf("The deferred operational plan."))
    project.write("about.md", "# About\n\nThe operational file (plan.pdf) is not yet published.\n")
    proc = project.build("2017-02-01", check=False)
    assert proc.returncode != 0 and "about/index.html: names withheld file decisions/2017/plan.pdf" in proc.stderr


def test_damaged_or_look_alike_compressed_files_are_read_or_refused_by_name():
    """A damaged .xz/.bz2 file cannot be proved clean (a problem, which fails the build); a
    text that only starts like one ('BZh1...') is read as text; a second xz stream is read."""
    from foia.proof import extract

    assert extract.read("a.txt.bz2", b"BZh1 broken").problems == ["cannot be read: a damaged bz2 file"]
    assert extract.read("a.txt.xz", b"\xfd7zXZ\x00 broken").problems == ["cannot be read: a damaged xz file"]
    text = extract.read("notes.txt", b"BZh1 is how the form begins, and the rest is text.")
    assert not text.problems and "the rest is text" in text.text()
    two = extract.read("a.txt.xz", lzma.compress(b"first stream") + lzma.compress(PART2_SENTENCE.encode()))
    assert not two.problems and PART2_SENTENCE in two.text()
