"""The Part 1 body as Markdown, from the lines no field reader consumed.

Two steps: ``blocks`` groups the lines into headings, paragraphs, lists and tables;
``render`` writes each block. Tab-separated rows become Markdown tables when they line
up (continuation rows of cells split over lines are merged); otherwise each row becomes a
list item, so no text is lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from foia.commands.importer.lines import NUMBERED_PARA, Line, inline_html, spaces

_BULLET = re.compile(r"^\s*(?:[-*+\u2022\u25aa\u25cf\u25e6]|\u2013)\s+")


@dataclass(frozen=True)
class Block:
    kind: str  # heading, paragraph, items, table
    parts: tuple[str, ...]  # heading text, paragraph lines, list items, or raw table rows ("" = blank line)


def build_body(lines: list[Line], consumed: frozenset[int]) -> str:
    return "\n\n".join(text for text in (render(b) for b in blocks(lines, consumed)) if text.strip()) + "\n"


# The block each kind of line belongs to ("start" begins a new paragraph).
_BLOCK_OF = {"text": "paragraph", "start": "paragraph", "item": "items", "table": "table"}


def blocks(lines: list[Line], consumed: frozenset[int]) -> list[Block]:
    """Headings, and runs of paragraph lines, list items and table rows. A blank line
    ends a run, except in a table (a table may continue after a blank line)."""
    out: list[Block] = []
    kind_of_run: str | None = None
    run: list[str] = []
    for kind, text in _line_kinds(lines, consumed):
        block = _BLOCK_OF.get(kind)
        if kind == "blank" and kind_of_run == "table":
            run.append("")
            continue
        if block is not None and block == kind_of_run and kind != "start":
            run.append(text)
            continue
        if kind_of_run is not None and run:
            out.append(Block(kind_of_run, tuple(run)))
        kind_of_run, run = block, ([text] if block else [])
        if kind == "heading":
            out.append(Block("heading", (text,)))
    if kind_of_run is not None and run:
        out.append(Block(kind_of_run, tuple(run)))
    return out


def _line_kinds(lines: list[Line], consumed: frozenset[int]) -> Iterator[tuple[str, str]]:
    """(kind, text) for each line: blank, break (a consumed line), heading, table, item,
    start (of a numbered paragraph) or text."""
    in_table = False
    for line in lines:
        if line.index in consumed:
            kind, text = ("blank", "") if line.blank else ("break", "")
        elif line.blank:
            kind, text = "blank", ""
        elif "\t" in line.raw.strip("\t ") or (in_table and line.tabbed):
            kind, text = "table", line.raw
        elif line.heading:
            kind, text = "heading", _escape(re.sub(r"\s*:\s*$", "", line.plain))
        else:
            kind, text = _text_kind(_markdown_inline(line.raw))
        if kind != "blank":
            in_table = kind == "table"
        yield kind, text


def _text_kind(text: str) -> tuple[str, str]:
    if bullet := _BULLET.match(text):
        rest = text[bullet.end():]
        # '- 1.1. ...' is a numbered paragraph, not a list
        return ("start", rest) if NUMBERED_PARA.match(rest) else ("item", "- " + rest)
    # As in Markdown, lines without a blank between are one paragraph, but a numbered
    # paragraph starts a new one.
    return ("start", text) if NUMBERED_PARA.match(text) else ("text", text)


def render(block: Block) -> str:
    if block.kind == "heading":
        return "## " + block.parts[0]
    if block.kind == "paragraph":
        first, *rest = block.parts
        return " ".join([_escape_list_number(first), *rest])
    if block.kind == "items":
        return "\n".join(block.parts)
    return "\n\n".join(_tables(list(block.parts)))


def _escape(text: str) -> str:
    return text.replace("<", "&lt;")


def _markdown_inline(raw: str) -> str:
    return _escape(spaces(inline_html(raw, markdown=True).replace("\t", " ")))


def _escape_list_number(text: str) -> str:
    # "2. The DMPC ..." would render as a list restarting at 1: keep the form's numbering.
    return re.sub(r"^(\d+)\.(\s)", r"\1\\.\2", text)


# ----------------------------------------------------------------------------- tables


def _cell(text: str) -> str:
    return _escape(spaces(inline_html(text, markdown=True))).replace("|", "\\|")


def _mark_only(text: str) -> bool:
    return bool(text) and not re.sub(r"[\W_]", "", text)


def _fit(raw: str, width: int) -> list[str] | None:
    """A raw tab row as exactly ``width`` cells, or None if it cannot be lined up.
    Stray one-character first columns ('0', 'D', '•', '') and trailing empty cells are
    PDF artefacts: a row wider than the table loses them, first ones first."""
    cells = ["" if _mark_only(c) else c for c in (_cell(x) for x in raw.split("\t"))]
    while len(cells) > width and len(re.sub(r"[\W_]", "", cells[0])) <= 1:
        cells.pop(0)
    while len(cells) > width and cells[-1] == "":
        cells.pop()
    return cells if len(cells) == width else None


def table_rows(lines: list[str]) -> list[list[list[str]]] | None:
    """The tables in a run of tab-separated lines (blank lines kept as ""), each a list of
    rows of cells (header first), or None when the rows do not line up."""
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
                return None  # rows that do not line up
        header = [c for c in (_cell(x) for x in raw.split("\t")) if c and not _mark_only(c)]
        if len(header) < 2:
            return None
        width = len(header)
        tables.append([header])
    return tables


def _tables(lines: list[str]) -> list[str]:
    """Markdown for a run of tab-separated lines: tables where the rows line up, else one
    list item per row."""
    tables = table_rows(lines)
    if tables is None:
        return [_as_list([raw for raw in lines if raw.strip()])]
    out = []
    for table in tables:
        if len(table) < 2:
            out.append(_as_list(["\t".join(table[0])]))
            continue
        rows = ["| " + " | ".join(table[0]) + " |", "|" + "---|" * len(table[0])]
        rows += ["| " + " | ".join(row) + " |" for row in table[1:]]
        out.append("\n".join(rows))
    return out


def _as_list(raws: list[str]) -> str:
    items = []
    for raw in raws:
        cells = [c for c in (_cell(x) for x in raw.split("\t")) if c and not _mark_only(c)]
        if cells:
            items.append("- " + "; ".join(cells).replace("\\|", "|"))
    return "\n".join(items)
