"""One form's text → a Part 1 record's values and body, or a Part 2 form's reference.

``parse_form`` runs the readers of ``fields.py`` on the classified lines, then builds the
body from whatever none of them consumed. Which kind of form it is:

- a **Part 2 form** has a heading that says Part 2 ("PART 2 – CONFIDENTIAL FACTS AND
  ADVICE", "Confidential – Part II", "REQUEST FOR DMPC DECISION – PART 2 – ...") and no
  Part 1 heading. Only its reference is read; it is stored, never published;
- a form with both a Part 1 heading and a Part 2 heading is refused: the Part 2 section
  must be a separate, never-published file;
- anything else is a Part 1 form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from foia.commands.importer.body import build_body
from foia.commands.importer.fields import (
    Found,
    part1_lines,
    part2_lines,
    read_confidentiality,
    read_furniture,
    read_reference,
    read_signing_block,
    read_summary,
    read_title,
)
from foia.commands.importer.lines import classify


@dataclass(frozen=True)
class ImportProblem:
    form: str
    question: str | None  # the form's question or field the problem is about
    message: str

    def __str__(self) -> str:
        where = f"{self.form}: " + (f"{self.question}: " if self.question else "")
        return where + self.message


@dataclass(frozen=True)
class ParsedForm:
    part: int  # 1 or 2
    values: dict[str, Any]  # Part 1: record values; Part 2: {"reference": ...}
    body: str  # Part 1 body in Markdown ("" for Part 2)
    problems: list[ImportProblem]


def parse_form(text: str, source: str) -> ParsedForm:
    """Every value and every problem of one form's text."""
    lines = classify(text)
    part2 = part2_lines(lines)
    if part2 and part1_lines(lines):
        first = part2[0]
        return ParsedForm(1, {}, "", [ImportProblem(
            source, None, f"line {first.index + 1} starts a Part 2 section ({first.plain!r}) in a Part 1 form: Part 2 "
                          "is never published; give the Part 1 and the Part 2 form as separate files")])
    if part2:
        found = read_reference(lines, anywhere=True)
        problems = [ImportProblem(source, q, m) for q, m in found.problems]
        return ParsedForm(2, found.values, "", problems)

    reference = read_reference(lines)
    title = read_title(lines)
    signing = read_signing_block(lines)
    summary = read_summary(lines, taken=reference.lines | title.lines | signing.lines)
    answers = read_confidentiality(lines)
    furniture = read_furniture(lines)
    found: list[Found] = [reference, title, signing, summary, answers, furniture]

    values: dict[str, Any] = {}
    consumed: frozenset[int] = frozenset()
    problems = []
    for f in found:
        values.update(f.values)
        consumed |= f.lines
        problems += [ImportProblem(source, q, m) for q, m in f.problems]
    body = build_body(lines, consumed)
    if not body.strip():
        problems.append(ImportProblem(source, None, "no Part 1 text was found"))
    return ParsedForm(1, values, body, problems)
