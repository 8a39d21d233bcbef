"""Import signed decision forms, as published text or as PDF, into records.

- ``lines``: each line of a form classified once;
- ``answers``: UK dates, YES/NO, and "no answer" in words;
- ``fields``: one small reader per fact of the form (reference, title, signing block,
  summary, confidentiality answers, furniture);
- ``body``: the Part 1 body in Markdown from the lines no reader consumed;
- ``form``: one form's text → its values, body and problems, Part 1 or Part 2;
- ``pdf``: a signed form PDF read with PDFium (refusing scans, encrypted and damaged files);
- ``layout``: its characters, by position, → the same text a text form has (lines, table
  cells, page furniture left out);
- ``batch``: several forms at once: what each writes where, ``--force`` merges, and
  writing nothing unless every form imports cleanly.

A PDF's text goes through exactly the same parser as a text form.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from foia.commands.importer.answers import find_dates, is_no_answer, parse_uk_date
from foia.commands.importer.fields import Q_DEFERRED, Q_DEFERRED_REASON, Q_PART2, Q_PART2_REASON, Q_UNTIL
from foia.commands.importer.form import ImportProblem, ParsedForm, parse_form
from foia.commands.importer.pdf import PdfRefused, pdf_form_text
from foia.commands.newrecord import check_record, format_record, record_path
from foia.rules.records import Record, slugify

__all__ = [
    "Q_DEFERRED",
    "Q_DEFERRED_REASON",
    "Q_PART2",
    "Q_PART2_REASON",
    "Q_UNTIL",
    "ImportProblem",
    "ImportedForm",
    "ParsedForm",
    "find_dates",
    "form_text",
    "import_form",
    "is_no_answer",
    "parse_form",
    "parse_uk_date",
    "signed_form_link",
    "signed_form_name",
]

SIGNED_FORM_LABEL = "Signed decision form"


def signed_form_name(reference: str) -> str:
    """File name of a record's signed Part 1 form, beside the record: ``<slug>.signed-form.pdf``.
    The ``<slug>.`` prefix ties it to its record under either attachment rule (by name, or
    by the Part 1 link)."""
    return f"{slugify(reference)}.signed-form.pdf"


def signed_form_link(reference: str) -> str:
    """The last line of the body of a record imported from a PDF."""
    return f"[{SIGNED_FORM_LABEL}]({signed_form_name(reference)})"


def part2_name(reference: str, *, pdf: bool) -> str:
    return f"{slugify(reference)}.part2.{'pdf' if pdf else 'md'}"


@dataclass(frozen=True)
class ImportedForm:
    form: str  # the path as given
    part: int  # 1: a record; 2: a Part 2 form, stored beside its record
    values: dict[str, Any]
    body: str
    source: bytes  # the file as given
    is_pdf: bool
    rel_path: str | None = None  # Part 1: the record's path in the content folder
    text: str | None = None  # Part 1: the record file (front matter + body)
    record: Record | None = None

    @property
    def reference(self) -> str:
        return self.values["reference"]


def form_text(path: str | Path, data: bytes) -> str:
    """The form's text: decoded text, or the text rebuilt from a PDF. Raises ValueError
    (text) or PdfRefused (PDF) saying why it cannot be read."""
    if is_pdf(path, data):
        return pdf_form_text(path, data)
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        raise ValueError(f"is not UTF-8 text (byte {e.start}); save the form text as UTF-8") from None
    return text


def is_pdf(path: str | Path, data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF") or str(path).lower().endswith(".pdf")


def import_form(path: str | Path) -> tuple[ImportedForm | None, list[ImportProblem]]:
    """One form, read and checked. A Part 1 form gives a valid record (from a PDF, with a
    link to the signed form as the last line of its body); a Part 2 form gives its reference."""
    path = Path(path)
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        return None, [ImportProblem(source, None, f"cannot read the form: {e.strerror}")]
    pdf = is_pdf(path, data)
    try:
        text = form_text(path, data)
    except (ValueError, PdfRefused) as e:
        return None, [ImportProblem(source, None, str(e))]
    if not text.strip():
        return None, [ImportProblem(source, None, "the form is empty")]
    parsed = parse_form(text, source)
    if parsed.problems:
        return None, parsed.problems
    if parsed.part == 2:
        return ImportedForm(source, 2, parsed.values, "", data, pdf), []
    values = parsed.values
    body = parsed.body
    if pdf:
        body = body.rstrip("\n") + "\n\n" + signed_form_link(values["reference"]) + "\n"
    rel = record_path(values["reference"], values["approved"])
    record_text = format_record(values, body)
    record, errors = check_record(rel, record_text)
    if errors:
        return None, [ImportProblem(source, e.key, e.message) for e in errors]
    return ImportedForm(source, 1, values, body, data, pdf, rel, record_text, record), []
