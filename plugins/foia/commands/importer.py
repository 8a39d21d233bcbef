"""Import a signed decision form (published text, as extracted from the PDF) into a record.

The forms arrive with stray marks, tabs, Markdown-ish headings and sections in varying
order, so each fact is found by what it says, not where it sits:

- reference: "REQUEST FOR DMPC DECISION – DMPCD 2015 148" (any dashes, spacing, capitals);
- title: the "Title:" line;
- decision maker: the heading of the signing block, the block that holds "The above
  request has my approval" (or "I confirm I have considered ...");
- approval date: the one date in that block, read day-first (10/12/2015, 10 12 2015,
  10 December 2015). The officers' blocks have their own dates, which are not it;
- summary: the first paragraph of the executive summary;
- the confidentiality answers of "Public access to information". An answer that is
  missing, unclear or contradictory is an error naming the form and the question: the
  importer never assumes NO;
- body: the rest of Part 1 as Markdown, without the letterhead, the signing blocks, the
  "Public access to information" section and the officers' declarations. Tab-separated
  appendix tables become Markdown tables when their rows line up (continuation rows of
  cells split over lines are merged); otherwise each row becomes a list item, so no text
  is lost. One-character stray marks from the PDF (".", "_", "•") and page furniture
  (page numbers, "DMPCD v5 - Feb 2014") are dropped.

A form that holds a Part 2 section is refused: Part 2 is a separate, never-published file.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from foia.commands.newrecord import check_record, format_record, normalise_reference, record_path
from foia.rules.records import Record

Q_DEFERRED = "Is the publication of this form to be deferred?"
Q_DEFERRED_REASON = "If yes, for what reason (deferral)"
Q_UNTIL = "Until what date (if known)"
Q_PART2 = "Is there a part 2 form"
Q_PART2_REASON = "If yes, for what reason (Part 2)"

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_SPACES = "\u00a0\u2002\u2003\u2007\u2009\u202f\u200b\ufeff"
_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PATTERNS = (
    # day-first numbers: 10/12/2015, 10.12.15, 10 - 12 - 2015
    re.compile(r"(?<!\d)(?P<d>\d{1,2})\s*(?P<sep>[/.\-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4}|\d{2})(?!\d)"),
    # 10 12 2015
    re.compile(r"(?<!\d)(?P<d>\d{1,2})\s+(?P<m>\d{1,2})\s+(?P<y>\d{4})(?!\d)"),
    # 10 December 2015, 3rd of March 2017
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mn>{_MONTH})\.?,?\s+(?P<y>\d{{4}})(?!\d)", re.I),
    # December 10, 2015
    re.compile(rf"\b(?P<mn>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)", re.I),
    # 2015-12-10
    re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)"),
)
_NO_ANSWER = {"", "n/a", "na", "none", "nil", "not known", "unknown", "tbc", "tba", "to be confirmed",
              "not applicable", "not yet known"}

_REQUEST = re.compile(
    r"request\s+for\s+(?:an?\s+)?(?:[a-z]+\s+){0,3}?decision\b[\s:\-#*]*"
    r"(?P<ref>[a-z]{2,10}[\s_/\-]*(?:19|20)\d{2}[\s_/\-]*\d{1,4})\b"
)
_REFERENCE_LABEL = re.compile(
    r"^(?:decision\s+)?(?:reference|ref\.?|number|no\.?)\s*[:\-]\s*"
    r"(?P<ref>[a-z]{2,10}[\s_/\-]*(?:19|20)\d{2}[\s_/\-]*\d{1,4})\b"
)
_TITLE = re.compile(r"^title\s*[:\-]\s*(?P<rest>.*)$", re.I)
_EXEC_SUMMARY = re.compile(r"^(?:\d+\.?\s*)?executive\s+summary\s*:?$")
_APPROVAL = re.compile(r"the\s+above\s+request\s+has\s+my\s+approval")
_CONFIRM = re.compile(r"i\s+confirm\s+(?:that\s+)?i\s+have\s+considered\s+whether\s+or\s+not\s+i\s+have\s+any")
_Q = {
    "deferred": re.compile(r"^is\s+(?:the\s+)?publication\s+of\s+this\s+(?:form|decision|request)\s+(?:to\s+be\s+)?deferred\b\s*\??\s*[:\-]?\s*(?P<rest>.*)$"),
    "part2": re.compile(r"^is\s+there\s+an?\s+part\s*(?:2|ii|two)\b(?:\s+form)?\s*\??\s*[:\-]?\s*(?P<rest>.*)$"),
    "reason": re.compile(r"^if\s+(?:yes|so)\s*,?\s*(?:for\s+)?what\s+(?:is\s+the\s+)?reason\b\s*\??\s*[:\-]?\s*(?P<rest>.*)$"),
    "until": re.compile(r"^until\s+what\s+date\b\s*(?:\(\s*if\s+known\s*\))?\s*\??\s*[:\-]?\s*(?P<rest>.*)$"),
}
_KNOWN_HEADINGS = {
    "part1": re.compile(r"^part\s*(?:i|1|one)\b(?!\s*(?:form)?\s*\?)"),
    "part2": re.compile(r"^part\s*(?:ii|2|two)\b(?!\s*form\s*[?\-:]?\s*(?:yes|no)?$)"),
    "decision_required": re.compile(r"^decision\s+required\b"),
    "access": re.compile(r"^public\s+access\s+to\s+information\b"),
    "declaration": re.compile(
        r"^(?:originating\s+)?officer\s+(?:declaration|approval)s?\b|^tick\s+to\s+confirm\b"
        r"|^(?:chief\s+(?:finance|operating)\s+officer|monitoring\s+officer)\s+(?:approval|declaration)\b"
    ),
    "summary": _EXEC_SUMMARY,
    "recommendation": re.compile(r"^recommendations?\s*:?$"),
}
_BOILERPLATE = re.compile(r"^information\s+in\s+this\s+form\s+is\s+subject\s+to\s+the\s+freedom\s+of\s+information")
_FOOTER = re.compile(r"^(?:page\s+\d+(?:\s+of\s+\d+)?|\d{1,3}|[a-z]{2,6}\s*v\s*\d+(?:\.\d+)?\s*-\s*[a-z]+\s+\d{4})$")
_NUMBERED_PARA = re.compile(r"^\d+(?:\.\d+)+\.?\s")
_NUMBERED_HEADING = re.compile(r"^\d{1,2}\.\s+[A-Z][^.!?;:]{0,90}$")
_COLON_HEADING = re.compile(r"^[A-Z][A-Za-z&/' \-]{2,60}:$")
_NOT_COLON_HEADING = re.compile(r"^(?:signature|signed|date|name|position|title|if\s|until\s|tick\s)", re.I)
_BULLET = re.compile(r"^\s*(?:[-*+\u2022\u25aa\u25cf\u25e6]|\u2013)\s+")
_SIGNATURE_FURNITURE = re.compile(r"^(?:signature|signed|date|name|print\s+name)\b.{0,40}$")


@dataclass(frozen=True)
class ImportProblem:
    form: str
    question: str | None  # the form's question or field the problem is about
    message: str

    def __str__(self) -> str:
        where = f"{self.form}: " + (f"{self.question}: " if self.question else "")
        return where + self.message


@dataclass
class ImportedForm:
    form: str
    values: dict[str, Any]
    body: str
    rel_path: str
    text: str  # the record file: front matter + body
    record: Record


@dataclass
class _Line:
    raw: str
    plain: str  # markup and HTML removed, whitespace collapsed, original capitals
    key: str  # plain, lower case, dashes as '-'
    marked: bool  # a Markdown '#' heading or a line that is bold all through


# ---------------------------------------------------------------------------- text helpers


def _inline_html(text: str, *, markdown: bool) -> str:
    """Text of the bits of HTML the PDF converter leaves (18<sup>th</sup>, <b>, <ul><li>)."""
    if "<" not in text and "&" not in text:
        return text
    has_items = re.search(r"(?i)<\s*li\b", text) is not None
    text = re.sub(r"(?i)<\s*/?\s*(?:sup|sub|span|u|font)\b[^>]*>", "", text)
    bold, italic = ("**", "*") if markdown else ("", "")
    text = re.sub(r"(?i)<\s*/?\s*(?:b|strong)\s*>", bold, text)
    text = re.sub(r"(?i)<\s*/?\s*(?:i|em)\s*>", italic, text)
    text = re.sub(r"(?i)<\s*li\b[^>]*>", "; ", text)
    text = re.sub(r"(?i)<\s*br\s*/?\s*>|<\s*/?\s*[a-z][^<>]*>", " ", text)
    text = html.unescape(text)
    if has_items:  # list items become one line: "a; b; c"
        text = re.sub(r"\s*;(?:\s*;)*", ";", text).strip().lstrip(";")
        text = re.sub(r"([:;,.!?])\s*;", r"\1", text)
        text = re.sub(r";(?=\S)", "; ", text).rstrip(" ;")
    return text


def _spaces(text: str) -> str:
    for ch in _SPACES:
        text = text.replace(ch, " ")
    return re.sub(r"\s+", " ", text).strip()


def _plain(raw: str) -> str:
    text = _inline_html(raw, markdown=False)
    text = re.sub(r"^\s*#+\s*", "", text)
    text = text.replace("**", "").replace("__", "")
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|])", r"\1", text)
    return _spaces(text)


def _key(plain: str) -> str:
    for ch in _DASHES:
        plain = plain.replace(ch, "-")
    return plain.lower()


def _make_line(raw: str) -> _Line:
    plain = _plain(raw)
    stripped = raw.strip()
    bold = re.fullmatch(r"(\*\*|__)(.+)\1:?", stripped.replace("\t", " ").strip()) is not None
    return _Line(raw, plain, _key(plain), (stripped.startswith("#") and bool(plain)) or bold)


def _stray(line: _Line) -> bool:
    """A PDF artefact with nothing to read: '.', '_', '\\_m', a lone bullet."""
    return bool(line.plain) and len(re.sub(r"[\W_]", "", line.plain)) <= 1 and "\t" not in line.raw


def _question(line: _Line) -> tuple[str, str] | None:
    for name, pattern in _Q.items():
        if m := pattern.match(line.key):
            return name, line.plain[len(line.plain) - len(m.group("rest")):] if m.group("rest") else ""
    return None


def _known_heading(line: _Line) -> str | None:
    if _question(line) or len(line.plain.split()) > 14 or line.plain.endswith("."):
        return None
    for name, pattern in _KNOWN_HEADINGS.items():
        if pattern.match(line.key):
            return name
    return None


def _strong_heading(line: _Line) -> bool:
    """A heading that ends a furniture block: marked up as one, or a known form heading."""
    return (line.marked and _question(line) is None) or _known_heading(line) is not None


def _ends_block(line: _Line) -> bool:
    """Where a signing block or an officers' declaration ends."""
    return (
        _strong_heading(line)
        or _question(line) is not None
        or _BOILERPLATE.match(line.key) is not None
        or (_NUMBERED_HEADING.match(line.plain) is not None and "\t" not in line.raw)
    )


def _heading(line: _Line) -> bool:
    """Any line that reads as a heading in the body."""
    if not line.plain or "\t" in line.raw or _question(line):
        return False
    if _strong_heading(line):
        return True
    if _NUMBERED_HEADING.match(line.plain) or (
        _COLON_HEADING.match(line.plain) and len(line.plain.split()) <= 6 and not _NOT_COLON_HEADING.match(line.plain)
    ):
        return True
    words = line.plain.split()
    letters = re.sub(r"[^A-Za-z]", "", line.plain)
    return (
        letters.isupper()
        and len(words) <= 12
        and (len(words) >= 2 or len(letters) >= 6)
        and line.key not in ("yes", "no")
    )


# ----------------------------------------------------------------------------- dates


def find_dates(text: str) -> list[tuple[str, dt.date | None]]:
    """Every date spelling in text, read day-first: (as written, date or None if impossible)."""
    text = _spaces(text)
    found: list[tuple[int, int, str, dt.date | None]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e, _, _ in found):
                continue  # already read by an earlier (more specific) spelling
            parts = m.groupdict()
            month = _MONTHS[parts["mn"].lower()] if parts.get("mn") else int(parts["m"])
            year = int(parts["y"])
            if year < 100:
                year += 2000
            try:
                day = dt.date(year, month, int(parts["d"]))
            except ValueError:
                day = None
            found.append((m.start(), m.end(), m.group(0), day))
    return [(written, day) for _, _, written, day in sorted(found)]


def parse_uk_date(text: str) -> dt.date:
    """The one date in text, UK day-first; ValueError saying why not."""
    dates = find_dates(text)
    if not dates:
        raise ValueError(f"no date can be read in {text.strip()!r}")
    if len(dates) > 1:
        raise ValueError(f"more than one date in {text.strip()!r}")
    written, day = dates[0]
    if day is None:
        raise ValueError(f"{written!r} is not a real date")
    return day


def _is_no_answer(text: str) -> bool:
    return re.sub(r"[^\w/ ]", "", text.lower()).strip() in _NO_ANSWER


_CHECKED = r"(?:\u2612|\u2611|\u2714|\u2713|\[\s*[xX]\s*\])"
_UNCHECKED = r"(?:\u2610|\u25a1|\[\s*\])"


def _yes_no(text: str) -> bool | None:
    """True for YES, False for NO (any case, stray marks ignored); None when unclear.
    Tick boxes ('\u2610 YES \u2612 NO') count only when exactly one answer is ticked."""
    key = _key(_plain(text))
    if re.search(_CHECKED + "|" + _UNCHECKED, key):
        ticked = re.findall(_CHECKED + r"\s*(yes|no)\b", key)
        return ticked[0] == "yes" if len(ticked) == 1 else None
    words = re.findall(r"[a-z]+", key)
    if not words or words[0] not in ("yes", "no"):
        return None  # 'N/A', 'Y', 'TBC': unclear, never read as NO
    answer = words[0] == "yes"
    if ("no" if answer else "yes") in words[1:]:
        return None
    return answer


# ------------------------------------------------------------------------------ the form


class _Form:
    def __init__(self, text: str, source: str):
        self.source = source
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
        self.lines = [_make_line(raw) for raw in text.split("\n")]
        self.used: set[int] = set()  # line indexes that are not body text
        self.problems: list[ImportProblem] = []
        self.values: dict[str, Any] = {}

    def problem(self, question: str | None, message: str) -> None:
        self.problems.append(ImportProblem(self.source, question, message))

    def next_text_line(self, i: int) -> int | None:
        for j in range(i + 1, len(self.lines)):
            if self.lines[j].plain:
                return j
        return None

    # -- header ---------------------------------------------------------------------

    def read_reference(self) -> None:
        refs: dict[str, int] = {}
        for i, line in enumerate(self.lines):
            if "request for" not in line.key:
                continue
            m, last = _REQUEST.search(line.key), i
            if m is None and (j := self.next_text_line(i)) is not None and j - i <= 3:
                m, last = _REQUEST.search(f"{line.key} {self.lines[j].key}"), j
            if m and (ref := normalise_reference(m.group("ref"))):
                refs.setdefault(ref, i)
                self.used.update(range(i, last + 1))
        if not refs:
            for i, line in enumerate(self.lines):
                if (m := _REFERENCE_LABEL.match(line.key)) and (ref := normalise_reference(m.group("ref"))):
                    refs.setdefault(ref, i)
                    self.used.add(i)
        if not refs:
            self.problem("reference", "no 'REQUEST FOR ... DECISION – <reference>' line (e.g. DMPCD 2015 148) was found")
            return
        if len(refs) > 1:
            self.problem("reference", f"the form names more than one reference: {', '.join(refs)}")
            return
        ((ref, i),) = refs.items()
        self.values["reference"] = ref
        # The letterhead: headings and marks from the top of the form down to this line.
        for j in range(i):
            line = self.lines[j]
            if not line.plain or line.marked or _heading(line) or _stray(line):
                self.used.add(j)

    def read_title(self) -> None:
        for i, line in enumerate(self.lines):
            if m := _TITLE.match(line.plain):
                self.used.add(i)
                parts = [m.group("rest").strip()] if m.group("rest").strip() else []
                # A title the PDF wrapped continues until the next blank line.
                j = i + 1 if parts else (self.next_text_line(i) or len(self.lines))
                while j < len(self.lines) and self.lines[j].plain and not _heading(self.lines[j]) \
                        and "\t" not in self.lines[j].raw and len(parts) < 4:
                    parts.append(self.lines[j].plain)
                    self.used.add(j)
                    j += 1
                if not parts:
                    self.problem("Title", "the 'Title:' line is empty")
                else:
                    self.values["title"] = " ".join(parts)
                return
        self.problem("Title", "no 'Title:' line was found")

    def read_summary(self) -> None:
        for i, line in enumerate(self.lines):
            if _EXEC_SUMMARY.match(line.key):
                paragraph: list[str] = []
                for j in range(i + 1, len(self.lines)):
                    nxt = self.lines[j]
                    if not nxt.plain:
                        if paragraph:
                            break
                        continue
                    if _heading(nxt) or j in self.used or "\t" in nxt.raw:
                        break
                    paragraph.append(_spaces(_inline_html(nxt.raw.replace("**", ""), markdown=False)))
                if paragraph:
                    self.values["summary"] = " ".join(paragraph)
                return

    # -- signing block ------------------------------------------------------------------

    def read_signing_block(self) -> None:
        anchors = [i for i, line in enumerate(self.lines) if _CONFIRM.search(line.key)]
        approvals = [i for i, line in enumerate(self.lines) if _APPROVAL.search(line.key)]
        if len(anchors) > 1 or len(approvals) > 1:
            self.problem("decision_maker", "the form has more than one decision maker's signing block")
            return
        if not anchors and not approvals:
            self.problem("decision_maker", "no signing block ('The above request has my approval') was found")
            return
        anchor = min(anchors + approvals)
        head = None
        for j in range(anchor - 1, -1, -1):
            line = self.lines[j]
            if not line.plain or _stray(line) or _SIGNATURE_FURNITURE.match(line.key):
                continue
            words = line.plain.split()
            if line.marked or (len(words) <= 14 and not line.plain.rstrip().endswith((".", ";", ","))):
                head = j
            break
        if head is None:
            self.problem(
                "decision_maker",
                "no heading naming the decision maker (e.g. 'Deputy Mayor for Policing and Crime') above the "
                "signing block",
            )
            return
        end = len(self.lines)
        for j in range(anchor + 1, len(self.lines)):
            if _ends_block(self.lines[j]):
                end = j
                break
        block = range(head, end)
        self.used.update(block)
        self.values["decision_maker"] = re.sub(r"\s*:$", "", self.lines[head].plain)
        self.signing_block = block

        dates: dict[dt.date, str] = {}
        for j in block:
            if j == head:
                continue
            for written, day in find_dates(self.lines[j].plain):
                if day is None:
                    self.problem("approved", f"the decision maker's signature date {written!r} is not a real date")
                    return
                dates.setdefault(day, written)
        if not dates:
            undated = [self.lines[j].plain for j in block if self.lines[j].key.startswith("date")]
            detail = f" (cannot read {undated[0]!r})" if undated and len(undated[0]) > 4 else ""
            self.problem("approved", f"no date in the decision maker's signing block{detail}")
        elif len(dates) > 1:
            self.problem("approved", f"more than one date in the decision maker's signing block: {', '.join(dates.values())}")
        else:
            self.values["approved"] = next(iter(dates))

    # -- confidentiality ----------------------------------------------------------------

    def _answer(self, i: int, inline: str, *, free_text: bool) -> str:
        """The answer on the question's line, or on the lines below it."""
        if inline.strip():
            parts, j = [inline.strip()], i + 1
            if not free_text:
                return parts[0]
        else:
            parts, j = [], i + 1
        while j < len(self.lines):
            line = self.lines[j]
            if not line.plain:
                if parts:
                    break
                j += 1
                continue
            if _question(line) or _heading(line) or _BOILERPLATE.match(line.key) or "\t" in line.raw:
                break
            if not free_text and parts:
                break
            if not free_text and len(line.plain) > 40:
                break  # a paragraph, not a YES/NO answer
            parts.append(line.plain)
            self.used.add(j)
            j += 1
            if not free_text:
                break
        return " ".join(parts).strip()

    def read_confidentiality(self) -> None:
        answers: dict[str, str | None] = {}
        current = None
        names = {"deferred": Q_DEFERRED, "part2": Q_PART2, "until": Q_UNTIL}
        for i, line in enumerate(self.lines):
            found = _question(line)
            if not found:
                continue
            kind, inline = found
            self.used.add(i)
            if kind == "reason":
                if current is None:
                    self.problem("If yes, for what reason", "appears before either YES/NO question it answers")
                    continue
                kind = f"{current}_reason"
            if kind in answers:
                question = {"deferred_reason": Q_DEFERRED_REASON, "part2_reason": Q_PART2_REASON}.get(kind, names.get(kind))
                self.problem(question, "the question appears twice on the form")
                continue
            answers[kind] = self._answer(i, inline, free_text=kind != "deferred" and kind != "part2")
            if kind in ("deferred", "part2"):
                current = kind

        deferred = self._yes_no_answer(answers, "deferred", Q_DEFERRED)
        part2 = self._yes_no_answer(answers, "part2", Q_PART2)
        reason = answers.get("deferred_reason")
        until_text = answers.get("until")
        if deferred is True:
            self.values["deferred"] = True
            if reason is None or _is_no_answer(reason):
                self.problem(Q_DEFERRED_REASON, "publication is deferred (YES) but no reason is given")
            else:
                self.values["deferred_reason"] = reason
            if until_text is None:
                self.problem(Q_UNTIL, "the question is missing; leave the answer blank if the date is not known")
            elif not _is_no_answer(until_text):
                try:
                    self.values["deferred_until"] = parse_uk_date(until_text)
                except ValueError as e:
                    self.problem(Q_UNTIL, f"unreadable date: {e}")
        elif deferred is False:
            self.values["deferred"] = False
            if reason is not None and not _is_no_answer(reason):
                self.problem(Q_DEFERRED_REASON, f"the answer to '{Q_DEFERRED}' is NO, but a reason is given: {reason!r}")
            if until_text is not None and not _is_no_answer(until_text):
                self.problem(Q_UNTIL, f"the answer to '{Q_DEFERRED}' is NO, but a date is given: {until_text!r}")
        p2_reason = answers.get("part2_reason")
        if part2 is True:
            self.values["part2"] = True
            if p2_reason is None or _is_no_answer(p2_reason):
                self.problem(Q_PART2_REASON, "there is a Part 2 form (YES) but no reason is given")
            else:
                self.values["part2_reason"] = p2_reason
        elif part2 is False:
            self.values["part2"] = False
            if p2_reason is not None and not _is_no_answer(p2_reason):
                self.problem(Q_PART2_REASON, f"the answer to '{Q_PART2}' is NO, but a reason is given: {p2_reason!r}")

    def _yes_no_answer(self, answers: dict[str, str | None], kind: str, question: str) -> bool | None:
        if kind not in answers:
            self.problem(question, "the question was not found on the form (the importer never assumes NO)")
            return None
        text = answers[kind] or ""
        if not text.strip():
            self.problem(question, "no answer (YES or NO) is given (the importer never assumes NO)")
            return None
        value = _yes_no(text)
        if value is None:
            self.problem(question, f"the answer {text.strip()!r} is not a clear YES or NO")
        return value

    # -- furniture and Part 2 ---------------------------------------------------------

    def mark_furniture(self) -> None:
        i = 0
        while i < len(self.lines):
            line = self.lines[i]
            kind = _known_heading(line)
            if kind == "part2":
                self.problem(None, f"line {i + 1} starts a Part 2 section ({line.plain!r}): Part 2 is never "
                                   "published; import Part 1 only and store the Part 2 form as <slug>.part2.md")
            if kind in ("part1", "decision_required", "access"):
                self.used.add(i)
            elif kind == "declaration":
                self.used.add(i)
                i += 1
                while i < len(self.lines) and not _ends_block(self.lines[i]):
                    self.used.add(i)
                    i += 1
                continue
            elif _BOILERPLATE.match(line.key):
                while i < len(self.lines) and self.lines[i].plain:
                    self.used.add(i)
                    i += 1
                continue
            elif line.plain and (_FOOTER.match(line.key) or _stray(line)):
                self.used.add(i)
            i += 1

    # -- body ---------------------------------------------------------------------------

    def body(self) -> str:
        blocks: list[str] = []
        paragraph: list[str] = []
        items: list[str] = []
        table: list[str] = []  # raw lines (blank lines kept as "")

        def flush() -> None:
            if paragraph:
                blocks.append(" ".join(paragraph))
                paragraph.clear()
            if items:
                blocks.append("\n".join(items))
                items.clear()
            if table:
                blocks.extend(_tables(table))
                table.clear()

        for i, line in enumerate(self.lines):
            if i in self.used:
                if line.plain:
                    flush()
                continue
            if not line.plain:
                if table:
                    table.append("")  # a table may continue after a blank line
                    continue
                flush()
                continue
            if "\t" in line.raw.strip("\t ") or (table and "\t" in line.raw):
                if paragraph or items:
                    flush()
                table.append(line.raw)
                continue
            if table:
                flush()
            if _heading(line):
                flush()
                blocks.append("## " + _heading_text(line))
                continue
            text = _markdown_inline(line.raw)
            bullet = _BULLET.match(text)
            if bullet:
                rest = text[bullet.end():]
                if _NUMBERED_PARA.match(rest):
                    flush()
                    paragraph.append(rest)  # '- 1.1. ...' is a numbered paragraph, not a list
                else:
                    if paragraph:
                        flush()
                    items.append("- " + rest)
                continue
            if items:
                flush()
            if paragraph and _NUMBERED_PARA.match(text):
                flush()  # otherwise, as in Markdown, lines without a blank between are one paragraph
            paragraph.append(_escape_list_number(text) if not paragraph else text)
        flush()
        return "\n\n".join(b for b in blocks if b.strip()) + "\n"


def _heading_text(line: _Line) -> str:
    text = re.sub(r"\s*:\s*$", "", line.plain)
    return _escape_markdown_text(text)


def _escape_markdown_text(text: str) -> str:
    return text.replace("<", "&lt;")


def _markdown_inline(raw: str) -> str:
    text = _inline_html(raw, markdown=True)
    text = _spaces(text.replace("\t", " "))
    return _escape_markdown_text(text)


def _escape_list_number(text: str) -> str:
    # "2. The DMPC ..." would render as a list restarting at 1: keep the form's numbering.
    return re.sub(r"^(\d+)\.(\s)", r"\1\\.\2", text)


# ----------------------------------------------------------------------------- tables


def _cell(text: str) -> str:
    text = _spaces(_inline_html(text, markdown=True))
    return _escape_markdown_text(text).replace("|", "\\|")


def _mark_only(text: str) -> bool:
    return bool(text) and not re.sub(r"[\W_]", "", text)


def _fit(raw: str, width: int) -> list[str] | None:
    """A raw tab row as exactly ``width`` cells, or None if it cannot be lined up.
    Stray one-character first columns ('0', 'D', '•', '') and trailing empty cells are
    PDF artefacts: a row wider than the table loses them, first ones first."""
    cells = [_cell(c) for c in raw.split("\t")]
    cells = ["" if _mark_only(c) else c for c in cells]
    while len(cells) > width and len(re.sub(r"[\W_]", "", cells[0])) <= 1:
        cells.pop(0)
    while len(cells) > width and cells[-1] == "":
        cells.pop()
    return cells if len(cells) == width else None


def _tables(lines: list[str]) -> list[str]:
    """Markdown for a run of tab-separated lines (blank lines kept as ""): tables where the
    rows line up, else one list item per row."""
    rows: list[tuple[bool, str]] = []  # (after a blank line, raw)
    blank = False
    for raw in lines:
        if raw.strip():
            rows.append((blank, raw))
        blank = not raw.strip()
    tables: list[list[list[str]]] = []
    width = 0
    for after_blank, raw in rows:
        if tables:
            cells = _fit(raw, width)
            if cells is not None and not cells[0] and any(cells):
                # a continuation: the PDF split the previous row's cells over lines
                tables[-1][-1] = [f"{p} {c}".strip() for p, c in zip(tables[-1][-1], cells, strict=True)]
                continue
            if cells is not None and any(cells):
                tables[-1].append(cells)
                continue
            if not after_blank:
                return [_as_list([raw for _, raw in rows])]  # rows that do not line up
        header = [c for c in (_cell(x) for x in raw.split("\t")) if c and not _mark_only(c)]
        if len(header) < 2:
            return [_as_list([raw for _, raw in rows])]
        width = len(header)
        tables.append([header])
    out = []
    for table in tables:
        if len(table) < 2:
            out.append(_as_list(["\t".join(table[0])]))
            continue
        lines_md = ["| " + " | ".join(table[0]) + " |", "|" + "---|" * len(table[0])]
        lines_md += ["| " + " | ".join(row) + " |" for row in table[1:]]
        out.append("\n".join(lines_md))
    return out


def _as_list(raws: list[str]) -> str:
    items = []
    for raw in raws:
        cells = [c for c in (_cell(x) for x in raw.split("\t")) if c and not _mark_only(c)]
        if cells:
            items.append("- " + "; ".join(cells).replace("\\|", "|"))
    return "\n".join(items)


# ----------------------------------------------------------------------------- entry points


def parse_form(text: str, source: str) -> tuple[dict[str, Any], str, list[ImportProblem]]:
    """Record values, Markdown body and every problem found in one form's text."""
    form = _Form(text, source)
    form.read_reference()
    form.read_title()
    form.read_signing_block()
    form.read_summary()
    form.read_confidentiality()
    form.mark_furniture()
    body = form.body()
    if not body.strip():
        form.problem(None, "no Part 1 text was found")
    return form.values, body, form.problems


def import_form(path: str | Path) -> tuple[ImportedForm | None, list[ImportProblem]]:
    path = Path(path)
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        return None, [ImportProblem(source, None, f"cannot read the form: {e.strerror}")]
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        return None, [ImportProblem(source, None, f"is not UTF-8 text (byte {e.start}); save the form text as UTF-8")]
    if not text.strip():
        return None, [ImportProblem(source, None, "the form is empty")]
    values, body, problems = parse_form(text, source)
    if problems:
        return None, problems
    rel = record_path(values["reference"], values["approved"])
    record_text = format_record(values, body)
    record, errors = check_record(rel, record_text)
    if errors:
        return None, [ImportProblem(source, e.key, e.message) for e in errors]
    assert record is not None
    return ImportedForm(source, values, body, rel, record_text, record), []
