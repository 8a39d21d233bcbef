"""The facts of a form, each read by one small function from the classified lines.

Every reader takes the lines (and, where it needs it, what other readers consumed) and
returns a ``Found``: the values it read, the lines it consumed (never body text) and the
problems it met. No reader depends on another having run first, except where its
parameters say so.

- reference: "REQUEST FOR DMPC DECISION – DMPCD 2015 148" (any dashes, spacing, capitals);
- title: the "Title:" line;
- decision maker: the heading of the signing block, the block that holds "The above
  request has my approval" (or "I confirm I have considered ...");
- approval date: the one date in that block, read day-first (10/12/2015, 10 12 2015,
  10 December 2015). The officers' blocks have their own dates, which are not it;
- summary: the first paragraph of the executive summary;
- the confidentiality answers of "Public access to information". An answer that is
  missing, unclear or contradictory is an error naming the question: the importer never
  assumes NO. "Until what date" answered in words ("Not known at this stage", "TBC",
  "N/A", "-") or left blank is no date;
- furniture: the letterhead, the form's own headings, the officers' declarations, the
  FOI boilerplate, page numbers and version lines.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from foia.commands.importer.answers import find_dates, is_no_answer, parse_uk_date, yes_no
from foia.commands.importer.lines import (
    BOILERPLATE,
    EXEC_SUMMARY,
    SIGNATURE_FURNITURE,
    Line,
    inline_html,
    next_text_line,
    says_part2,
    spaces,
)
from foia.commands.newrecord import normalise_reference

Q_DEFERRED = "Is the publication of this form to be deferred?"
Q_DEFERRED_REASON = "If yes, for what reason (deferral)"
Q_UNTIL = "Until what date (if known)"
Q_PART2 = "Is there a part 2 form"
Q_PART2_REASON = "If yes, for what reason (Part 2)"

_REF = r"(?P<ref>[a-z]{2,10}[\s_/\-]*(?:19|20)\d{2}[\s_/\-]*\d{1,4})\b"
_REQUEST = re.compile(r"request\s+for\s+(?:an?\s+)?(?:[a-z]+\s+){0,3}?decision\b[\s:\-#*]*(?:part\s*(?:2|ii|two)\b[\s:\-]*)?" + _REF)
_REFERENCE_LABEL = re.compile(r"^(?:decision\s+)?(?:reference|ref\.?|number|no\.?)\s*[:\-]\s*" + _REF)
_ANY_REFERENCE = re.compile(r"(?<![a-z])" + _REF)
_TITLE = re.compile(r"^title\s*[:\-]\s*(?P<rest>.*)$", re.I)
_APPROVAL = re.compile(r"the\s+above\s+request\s+has\s+my\s+approval")
_CONFIRM = re.compile(r"i\s+confirm\s+(?:that\s+)?i\s+have\s+considered\s+whether\s+or\s+not\s+i\s+have\s+any")


@dataclass(frozen=True)
class Found:
    """What one reader found: values, the lines it consumed, and (question, message) problems."""

    values: dict[str, Any] = field(default_factory=dict)
    lines: frozenset[int] = frozenset()
    problems: tuple[tuple[str | None, str], ...] = ()


def _problem(question: str | None, message: str, lines: frozenset[int] = frozenset()) -> Found:
    return Found(lines=lines, problems=((question, message),))


# ----------------------------------------------------------------------------- header


def read_reference(lines: list[Line], *, anywhere: bool = False) -> Found:
    """The reference, and the letterhead above it. ``anywhere``: a Part 2 form may give its
    reference on any line; the one reference written on it is then taken."""
    refs: dict[str, int] = {}
    used: set[int] = set()
    for line in lines:
        if "request for" not in line.key:
            continue
        m, last = _REQUEST.search(line.key), line.index
        if m is None and (j := next_text_line(lines, line.index)) is not None and j - line.index <= 3:
            m, last = _REQUEST.search(f"{line.key} {lines[j].key}"), j
        if m and (ref := normalise_reference(m.group("ref"))):
            refs.setdefault(ref, line.index)
            used.update(range(line.index, last + 1))
    if not refs:
        for line in lines:
            if (m := _REFERENCE_LABEL.match(line.key)) and (ref := normalise_reference(m.group("ref"))):
                refs.setdefault(ref, line.index)
                used.add(line.index)
    if not refs and anywhere:
        for line in lines:
            for m in _ANY_REFERENCE.finditer(line.key):
                if ref := normalise_reference(m.group("ref")):
                    refs.setdefault(ref, line.index)
    if not refs:
        return _problem("reference", "no 'REQUEST FOR ... DECISION – <reference>' line (e.g. DMPCD 2015 148) was found")
    if len(refs) > 1:
        return _problem("reference", f"the form names more than one reference: {', '.join(refs)}")
    ((ref, i),) = refs.items()
    # The letterhead: headings and marks from the top of the form down to this line.
    used.update(j for j in range(i) if lines[j].blank or lines[j].marked or lines[j].heading or lines[j].stray)
    return Found({"reference": ref}, frozenset(used))


def read_title(lines: list[Line]) -> Found:
    for line in lines:
        if m := _TITLE.match(line.plain):
            used = {line.index}
            parts = [m.group("rest").strip()] if m.group("rest").strip() else []
            # A title the PDF wrapped continues until the next blank line.
            j = line.index + 1 if parts else (next_text_line(lines, line.index) or len(lines))
            while j < len(lines) and lines[j].plain and not lines[j].heading and not lines[j].tabbed and len(parts) < 4:
                parts.append(lines[j].plain)
                used.add(j)
                j += 1
            if not parts:
                return _problem("Title", "the 'Title:' line is empty", frozenset(used))
            return Found({"title": " ".join(parts)}, frozenset(used))
    return _problem("Title", "no 'Title:' line was found")


def read_summary(lines: list[Line], taken: frozenset[int]) -> Found:
    """The first paragraph under the executive summary heading; it stays in the body too.
    ``taken``: lines other readers consumed, where the paragraph cannot run on."""
    for line in lines:
        if EXEC_SUMMARY.match(line.key):
            paragraph: list[str] = []
            for nxt in lines[line.index + 1:]:
                if nxt.blank:
                    if paragraph:
                        break
                    continue
                if nxt.heading or nxt.index in taken or nxt.tabbed:
                    break
                paragraph.append(spaces(inline_html(nxt.raw.replace("**", ""), markdown=False)))
            return Found({"summary": " ".join(paragraph)} if paragraph else {})
    return Found()


# ----------------------------------------------------------------------------- signing block


def read_signing_block(lines: list[Line]) -> Found:
    """Decision maker and approval date, from the block holding the approval words."""
    anchors = [line.index for line in lines if _CONFIRM.search(line.key)]
    approvals = [line.index for line in lines if _APPROVAL.search(line.key)]
    if len(anchors) > 1 or len(approvals) > 1:
        return _problem("decision_maker", "the form has more than one decision maker's signing block")
    if not anchors and not approvals:
        return _problem("decision_maker", "no signing block ('The above request has my approval') was found")
    anchor = min(anchors + approvals)
    head = _signing_head(lines, anchor)
    if head is None:
        return _problem("decision_maker", "no heading naming the decision maker (e.g. 'Deputy Mayor for Policing "
                                          "and Crime') above the signing block")
    end = next((j for j in range(anchor + 1, len(lines)) if lines[j].ends_block), len(lines))
    block = frozenset(range(head, end))
    values = {"decision_maker": re.sub(r"\s*:$", "", lines[head].plain)}

    dates: dict[dt.date, str] = {}
    for j in sorted(block - {head}):
        for written, day in find_dates(lines[j].plain):
            if day is None:
                return Found(values, block, (("approved", f"the decision maker's signature date {written!r} is not a real date"),))
            dates.setdefault(day, written)
    if len(dates) == 1:
        return Found({**values, "approved": next(iter(dates))}, block)
    if dates:
        return Found(values, block, (("approved", f"more than one date in the decision maker's signing block: "
                                                  f"{', '.join(dates.values())}"),))
    undated = [lines[j].plain for j in sorted(block) if lines[j].key.startswith("date")]
    detail = f" (cannot read {undated[0]!r})" if undated and len(undated[0]) > 4 else ""
    return Found(values, block, (("approved", f"no date in the decision maker's signing block{detail}"),))


def _signing_head(lines: list[Line], anchor: int) -> int | None:
    """The line naming the decision maker: the nearest text above the block's first words."""
    for j in range(anchor - 1, -1, -1):
        line = lines[j]
        if line.blank or line.stray or SIGNATURE_FURNITURE.match(line.key):
            continue
        if line.marked or (len(line.plain.split()) <= 14 and not line.plain.rstrip().endswith((".", ";", ","))):
            return j
        return None
    return None


# ----------------------------------------------------------------------------- confidentiality


@dataclass(frozen=True)
class _Asked:
    kind: str  # deferred, deferred_reason, until, part2, part2_reason
    line: int
    answer: str
    lines: frozenset[int]


_QUESTION_NAMES = {"deferred": Q_DEFERRED, "part2": Q_PART2, "until": Q_UNTIL,
                   "deferred_reason": Q_DEFERRED_REASON, "part2_reason": Q_PART2_REASON}


def read_confidentiality(lines: list[Line]) -> Found:
    """The answers of "Public access to information", checked against each other."""
    asked, problems = _questions(lines)
    answers = {a.kind: a.answer for a in asked}
    used = frozenset().union(*(a.lines for a in asked)) if asked else frozenset()
    values: dict[str, Any] = {}

    deferred = _yes_no_answer(answers, "deferred", problems)
    part2 = _yes_no_answer(answers, "part2", problems)
    reason, until = answers.get("deferred_reason"), answers.get("until")
    if deferred is True:
        values["deferred"] = True
        if reason is None or is_no_answer(reason):
            problems.append((Q_DEFERRED_REASON, "publication is deferred (YES) but no reason is given"))
        else:
            values["deferred_reason"] = reason
        if until is None:
            problems.append((Q_UNTIL, "the question is missing; leave the answer blank if the date is not known"))
        elif not is_no_answer(until):
            try:
                values["deferred_until"] = parse_uk_date(until)
            except ValueError as e:
                problems.append((Q_UNTIL, f"unreadable date: {e} (write a date, or 'Not known' if there is none)"))
    elif deferred is False:
        values["deferred"] = False
        if reason is not None and not is_no_answer(reason):
            problems.append((Q_DEFERRED_REASON, f"the answer to '{Q_DEFERRED}' is NO, but a reason is given: {reason!r}"))
        if until is not None and not is_no_answer(until):
            problems.append((Q_UNTIL, f"the answer to '{Q_DEFERRED}' is NO, but a date is given: {until!r}"))
    p2_reason = answers.get("part2_reason")
    if part2 is True:
        values["part2"] = True
        if p2_reason is None or is_no_answer(p2_reason):
            problems.append((Q_PART2_REASON, "there is a Part 2 form (YES) but no reason is given"))
        else:
            values["part2_reason"] = p2_reason
    elif part2 is False:
        values["part2"] = False
        if p2_reason is not None and not is_no_answer(p2_reason):
            problems.append((Q_PART2_REASON, f"the answer to '{Q_PART2}' is NO, but a reason is given: {p2_reason!r}"))
    return Found(values, used, tuple(problems))


def _questions(lines: list[Line]) -> tuple[list[_Asked], list[tuple[str | None, str]]]:
    """Each question found once, with its answer; "If yes, for what reason" belongs to the
    YES/NO question above it."""
    asked: list[_Asked] = []
    problems: list[tuple[str | None, str]] = []
    current = None
    for line in lines:
        if line.question is None:
            continue
        kind, inline = line.question
        if kind == "reason":
            if current is None:
                problems.append(("If yes, for what reason", "appears before either YES/NO question it answers"))
                continue
            kind = f"{current}_reason"
        if any(a.kind == kind for a in asked):
            problems.append((_QUESTION_NAMES[kind], "the question appears twice on the form"))
            continue
        answer, answer_lines = _answer(lines, line.index, inline, free_text=kind not in ("deferred", "part2"))
        asked.append(_Asked(kind, line.index, answer, frozenset({line.index, *answer_lines})))
        if kind in ("deferred", "part2"):
            current = kind
    return asked, problems


def _answer(lines: list[Line], i: int, inline: str, *, free_text: bool) -> tuple[str, list[int]]:
    """The answer on the question's line, or on the lines below it."""
    parts = [inline.strip()] if inline.strip() else []
    if parts and not free_text:
        return parts[0], []
    used: list[int] = []
    for line in lines[i + 1:]:
        if line.blank:
            if parts:
                break
            continue
        if line.question or line.heading or BOILERPLATE.match(line.key) or line.tabbed:
            break
        if not free_text and len(line.plain) > 40:
            break  # a paragraph, not a YES/NO answer
        parts.append(line.plain)
        used.append(line.index)
        if not free_text:
            break
    return " ".join(parts).strip(), used


def _yes_no_answer(answers: dict[str, str], kind: str, problems: list[tuple[str | None, str]]) -> bool | None:
    question = _QUESTION_NAMES[kind]
    if kind not in answers:
        problems.append((question, "the question was not found on the form (the importer never assumes NO)"))
        return None
    text = answers[kind]
    if not text.strip():
        problems.append((question, "no answer (YES or NO) is given (the importer never assumes NO)"))
        return None
    value = yes_no(text)
    if value is None:
        problems.append((question, f"the answer {text.strip()!r} is not a clear YES or NO"))
    return value


# ----------------------------------------------------------------------------- furniture


def read_furniture(lines: list[Line]) -> Found:
    """Lines that are the form, not the decision: its own headings, the officers'
    declarations, the FOI boilerplate, page numbers, version lines and stray marks."""
    used: set[int] = set()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.known in ("part1", "decision_required", "access"):
            used.add(i)
        elif line.known == "declaration":
            used.add(i)
            i += 1
            while i < len(lines) and not lines[i].ends_block:
                used.add(i)
                i += 1
            continue
        elif BOILERPLATE.match(line.key):
            while i < len(lines) and lines[i].plain:
                used.add(i)
                i += 1
            continue
        elif line.furniture or line.stray:
            used.add(i)
        i += 1
    return Found(lines=frozenset(used))


def part2_lines(lines: list[Line]) -> list[Line]:
    """Lines that say the form is, or holds, Part 2."""
    return [line for line in lines if says_part2(line)]


def part1_lines(lines: list[Line]) -> list[Line]:
    return [line for line in lines if line.known == "part1"]
