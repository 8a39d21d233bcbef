"""Characters with their positions → the lines of a form, as the text importer reads it.

Nothing here knows PDFium: ``pdf.py`` reads each page's characters, rules and images; this
module rebuilds what the eye sees, with no knowledge of the form:

1. **Lines.** PDFium's text order splits a page into fragments (and a fragment that jumps
   to another baseline is split again); fragments on one baseline, within a third of the
   font size, are one visual line, so table cells drawn one after another come together
   and superscripts ("18th") stay in their line. Words part where the PDF has a space,
   or PDFium saw one, or the glyphs are half an em apart.
2. **Cells.** A line is cut into cells at a table rule between two characters, at a gap
   of three ems, or at a gap of one em that is at least twice the line's narrowest word
   space (a justified line stretches all its spaces alike, so it is never cut). A number
   or bullet hung in front of its text ("1.1.", "•") is not a cell.
3. **Page furniture.** Only the margins count: lines within 12% of the top or bottom
   edge, before the first gap of almost two lines. There a line repeated on another page
   at the same height goes (running headers and footers; numbers read as '#', so "Page 2
   of 5" matches "Page 3 of 5"), and so do page numbers, version lines ("DMPCD v5 - Feb
   2014") and protective markings ("OFFICIAL") in any margin line.
4. **Tables.** Lines with cells, and the lines below that keep to their columns (no cell
   across the white space between two columns), form a table; with vertical rules the
   rules are the columns. A row's wrapped lines are joined into one line of tab-separated
   cells: rows end at horizontal rules where the table has them, else at a wider gap than
   a cell's lines have, else where a cell starts that could have gone on in the line
   above. A table continues on the next page, where the header row it repeats is dropped,
   and a row the page break split is joined again.
5. **Text.** A paragraph ends at a gap wider than the usual line spacing, or, set tight,
   where a sentence ends and the next word would have fitted on the line. A line set
   apart, bold or larger than the body text, is marked as a heading (``**...**``, as in
   published text); a heading wrapped over lines is one line; bold words keep their marks;
   a word broken by a hyphen at the end of a line is one word again.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

# ----------------------------------------------------------------------------- characters and lines


@dataclass
class Char:
    text: str
    x0: float
    x1: float
    bottom: float
    top: float
    y: float  # baseline
    size: float
    bold: bool
    space_before: bool  # the PDF has a space (or PDFium saw a word gap) just before it


@dataclass
class Segment:
    """Part of a visual line between two cell boundaries."""

    chars: list[Char]

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @property
    def x1(self) -> float:
        return max(c.x1 for c in self.chars)

    @property
    def bold(self) -> bool:
        return all(c.bold for c in self.chars if c.text.strip())

    def text(self, *, marks: bool = True, whole: bool = False) -> str:
        """The words, with ``**`` around bold runs when ``marks``; a segment bold all through
        is marked only when ``whole`` (a table cell: a bold text line is a heading, or not)."""
        marks = marks and (whole or not self.bold)
        out: list[str] = []
        bold = False
        for i, c in enumerate(self.chars):
            space = i > 0 and (c.space_before or c.x0 - self.chars[i - 1].x1 > 0.5 * max(c.size, self.chars[i - 1].size))
            if marks and c.bold != bold:
                if c.bold:
                    out.append(" **" if space else "**")
                else:
                    out.append("** " if space else "**")
                bold = c.bold
            elif space:
                out.append(" ")
            out.append(c.text)
        if marks and bold:
            out.append("**")
        return re.sub(r"\s+", " ", "".join(out)).replace("****", "").strip()


@dataclass
class VisualLine:
    page: int
    y: float  # baseline
    top: float
    bottom: float
    size: float
    segments: list[Segment]
    columns: list[float] | None = None  # the vertical rules of the table the line is in

    @property
    def x0(self) -> float:
        return self.segments[0].x0

    @property
    def x1(self) -> float:
        return self.segments[-1].x1

    @property
    def bold(self) -> bool:
        return all(s.bold for s in self.segments)

    def text(self) -> str:
        return " ".join(s.text(marks=False) for s in self.segments)

    def shape(self) -> str:
        """The text with every number as '#': a running footer's shape on every page."""
        return re.sub(r"\d+", "#", re.sub(r"\s+", " ", self.text().lower())).strip()


@dataclass
class Rules:
    horizontal: list[tuple[float, float, float]] = field(default_factory=list)  # (y, x0, x1)
    vertical: list[tuple[float, float, float]] = field(default_factory=list)  # (x, y0, y1)

    def vertical_between(self, x0: float, x1: float, y: float) -> float | None:
        for x, y0, y1 in self.vertical:
            if x0 - 1.5 <= x <= x1 + 1.5 and y0 - 1 <= y <= y1 + 1:
                return x
        return None

    def crossing(self, y: float) -> list[float]:
        """x of every vertical rule crossing height y (rules closer than 2 points are one)."""
        xs: list[float] = []
        for x in sorted(x for x, y0, y1 in self.vertical if y0 - 1 <= y <= y1 + 1):
            if not xs or x - xs[-1] > 2:
                xs.append(x)
        return xs

    def horizontal_between(self, low: float, high: float, x0: float, x1: float) -> bool:
        return any(low - 0.5 <= y <= high + 0.5 and xa < x1 and xb > x0 for y, xa, xb in self.horizontal)


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[VisualLine]
    rules: Rules
    images: int
    chars: int
    unmapped: int



def visual_lines(fragments: list[list[Char]], rules: Rules, page: int) -> list[VisualLine]:
    """Fragments on one baseline become one line, cut into cells."""
    placed: list[tuple[float, float, list[Char]]] = []  # (baseline, size, chars)
    for fragment in fragments:
        size = max(c.size for c in fragment)
        normal = [c.y for c in fragment if c.size >= 0.8 * size] or [c.y for c in fragment]
        placed.append((statistics.median(normal), size, fragment))
    placed.sort(key=lambda p: -p[0])
    groups: list[list[tuple[float, float, list[Char]]]] = []
    for item in placed:
        if groups and abs(groups[-1][0][0] - item[0]) <= 0.35 * max(groups[-1][0][1], item[1]):
            groups[-1].append(item)
        else:
            groups.append([item])
    lines = []
    for group in groups:
        chars = sorted((c for _, _, f in group for c in f), key=lambda c: c.x0)
        lines.append(_cut(chars, rules, page))
    return lines


def _cut(chars: list[Char], rules: Rules, page: int) -> VisualLine:
    sizes = Counter(round(c.size, 1) for c in chars)
    size = sizes.most_common(1)[0][0]
    y = statistics.median(c.y for c in chars if round(c.size, 1) == size)
    top, bottom = max(c.top for c in chars), min(c.bottom for c in chars)
    gaps = [b.x0 - a.x1 for a, b in itertools.pairwise(chars)]
    word_gaps = sorted(g for b, g in zip(chars[1:], gaps, strict=False) if b.space_before or g > 0.5 * size)
    smallest = word_gaps[0] if word_gaps else 0.0
    segments = [Segment([chars[0]])]
    mid = (top + bottom) / 2
    for a, b, gap in zip(chars, chars[1:], gaps, strict=False):
        em = max(a.size, b.size)
        rule = rules.vertical_between(a.x1, b.x0, mid) if gap > 0.5 else None
        # A cell gap: a rule, or a gap of three ems, or of one em that is at least twice the
        # line's narrowest word gap (a justified line stretches all its spaces alike).
        wide = gap >= 3 * em or (gap >= em and (len(word_gaps) < 3 or gap >= 2 * smallest))
        if rule is not None or wide:
            segments.append(Segment([b]))
        else:
            segments[-1].chars.append(b)
    line = VisualLine(page, y, top, bottom, size, segments)
    crossing = rules.crossing(mid)
    if len(crossing) >= 3 and crossing[0] <= line.x0 + 1 and crossing[-1] >= line.x1 - 1:
        line.columns = crossing  # a line inside a ruled table: its cells are the table's
    return line


# ----------------------------------------------------------------------------- page furniture

_FURNITURE = re.compile(
    r"^(?:page\s*\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?|[-–]?\s*\d{1,3}\s*[-–]?|\d{1,3}\s*(?:of|/)\s*\d{1,3}"
    r"|(?:[a-z]{2,10}\s+){0,3}v(?:ersion)?\s*\d+(?:\.\d+)?\s*[-–—]?\s*[a-z]+\.?\s+\d{4}"
    r"|official(?:[\s\-–]+sensitive)?|not\s+protectively\s+marked|restricted|protect|unclassified)$"
)


def drop_furniture(pages: list[Page]) -> None:
    """Remove running headers and footers, page numbers and version lines (in place).
    Only lines in a page's margins count: near the top or bottom edge and set apart from
    the text by a gap. There a line repeated on another page at the same height goes, and
    so does any page number, version line or protective marking in it."""
    margins = {page.number: _margin_lines(page) for page in pages}
    shapes: dict[str, list[tuple[int, float]]] = {}
    for page in pages:
        for line in margins[page.number]:
            shapes.setdefault(line.shape(), []).append((page.number, line.y))

    def repeated(line: VisualLine) -> bool:
        return any(n != line.page and abs(y - line.y) <= 3 for n, y in shapes.get(line.shape(), ()))

    for page in pages:
        kept = []
        for line in page.lines:
            if any(line is m for m in margins[page.number]):
                if repeated(line):
                    continue
                line.segments = [s for s in line.segments if not _FURNITURE.match(s.text(marks=False).lower())]
                if not line.segments:
                    continue
            kept.append(line)
        page.lines = kept


def _margin_lines(page: Page) -> list[VisualLine]:
    """Lines in the top and bottom margins: within 12% of the edge, and set apart from the
    text by a gap of at least 1.8 lines."""
    found: list[VisualLine] = []
    top = [line for line in page.lines if line.bottom >= page.height * 0.88]
    bottom = [line for line in page.lines if line.top <= page.height * 0.12][::-1]
    for zone in (top, bottom):
        rest = [line for line in (page.lines if zone is top else page.lines[::-1]) if line not in zone]
        following = [*zone[1:], *rest[:1]]
        for i, line in enumerate(zone):
            below = following[i] if i < len(following) else None
            if below is None or abs(line.y - below.y) >= 1.8 * max(line.size, below.size):
                found += zone[: i + 1]  # the margin ends at the first gap
                break
    return found


# ----------------------------------------------------------------------------- tables and text


@dataclass
class _Table:
    lines: list[VisualLine]
    columns: list[tuple[float, float]]  # each column's left and right edge, left to right
    ruled: bool  # columns from vertical rules
    rules: Rules  # the page's rules, where a row ends


def form_text(pages: list[Page]) -> str:
    """The form as text: one line per visual line, tab-separated table rows, blank lines
    between paragraphs, headings marked."""
    drop_furniture(pages)
    layout = _Layout(pages)
    out: list[str] = []
    previous: VisualLine | None = None
    previous_heading = False
    table: _Table | None = None  # the table being read, which may run on to the next page
    rows: list[list[str]] = []  # its rows so far

    def end_table() -> None:
        nonlocal table
        out.extend("\t".join(row) for row in rows)
        rows.clear()
        table = None

    for page in pages:
        for n, item in enumerate(_items(page.lines, page.rules, carry=table)):
            first = item.lines[0] if isinstance(item, _Table) else item
            if isinstance(item, _Table):
                more = _rows(item)
                if n == 0 and table is not None and _same_columns(table, item):
                    more = [row for row in more if row != rows[0]]  # the header row each page repeats
                    if more and rows and not more[0][0]:
                        # the row the page break split: its first column is already above
                        rows[-1] = [_join(p, c) for p, c in zip(rows[-1], more.pop(0), strict=True)]
                    rows.extend(more)
                else:
                    end_table()
                    if previous is not None and layout.paragraph_break(previous, first, table=True):
                        out.append("")
                    rows.extend(more[:1] + [row for row in more[1:] if row != more[0]])
                table, previous, previous_heading = item, item.lines[-1], False
                continue
            end_table()
            if previous is not None and layout.paragraph_break(previous, first, table=False, lines=page.lines):
                out.append("")
            heading = layout.heading(item, page.lines)
            if heading and previous_heading and out and out[-1] and previous is not None \
                    and layout.wraps_into(previous, item):
                out[-1] = f"{out[-1][:-2]} {item.text()}**"  # one heading, wrapped over lines
            else:
                text = f"**{item.text()}**" if heading else " ".join(s.text() for s in item.segments)
                if not heading and not previous_heading and out and _HYPHEN_END.search(out[-1]) \
                        and "\t" not in out[-1] and (m := _FIRST_WORD.match(text)):
                    # "roll-" at the end of a line, "out" on the next: one word again
                    out[-1] += m.group(1)
                    text = text[m.end():]
                if text:
                    out.append(text)
            previous, previous_heading = item, heading
    end_table()
    return "\n".join(out) + "\n"


class _Layout:
    """What is usual in this PDF: the body text size, the line spacing per size, and the
    right edge of each page's text."""

    def __init__(self, pages: list[Page]):
        sizes: Counter[float] = Counter()
        deltas: dict[float, list[float]] = {}
        self.right: dict[int, float] = {}
        for page in pages:
            self.right[page.number] = max((line.x1 for line in page.lines), default=0.0)
            for line in page.lines:
                sizes[round(line.size, 1)] += sum(len(s.chars) for s in line.segments)
            for a, b in itertools.pairwise(page.lines):
                if abs(a.size - b.size) < 0.2 and a.y - b.y >= 0.9 * a.size:
                    deltas.setdefault(round(a.size, 1), []).append(a.y - b.y)
        self.body_size = sizes.most_common(1)[0][0] if sizes else 10.0
        # The line spacing inside a paragraph: the small end of the spacings seen.
        self.pitches = {size: sorted(d)[len(d) // 5] for size, d in deltas.items() if len(d) >= 3}

    def pitch(self, size: float) -> float:
        return self.pitches.get(round(size, 1), 1.2 * size)

    def paragraph_break(self, above: VisualLine, below: VisualLine, *, table: bool,
                        lines: list[VisualLine] | None = None) -> bool:
        """A blank line between ``above`` and ``below``: a gap wider than the line spacing,
        or (for text set tight) ``above`` ended early: ``below``'s first word would have fitted."""
        if above.page != below.page:
            # A paragraph that runs on to the next page fills its last line there.
            return table or self.heading_like(above) or above.x1 < 0.85 * self.right.get(above.page, above.x1)
        if above.y - below.y > 1.25 * max(self.pitch(above.size), self.pitch(below.size)):
            return True
        if table or lines is None or len(above.segments) > 1 or len(below.segments) > 1:
            return False
        # Set tight, a paragraph ends a sentence early and the next one starts afresh.
        ends = re.search(r"[.:;?!)]\**$", above.text()) is not None
        starts = re.match(r"[\W_]*[A-Z0-9\u2022]", below.text()) is not None
        return ends and starts and \
            above.x1 + 0.3 * above.size + _first_word(below) < _block_right(above, lines) - 0.5 * above.size

    def heading_like(self, line: VisualLine) -> bool:
        return len(line.segments) == 1 and (line.bold or line.size >= 1.15 * self.body_size)

    def heading(self, line: VisualLine, lines: list[VisualLine]) -> bool:
        """Bold or larger than the body text, and set apart: a paragraph gap above and
        below, or a line in the same style (a heading wrapped over lines)."""
        if not self.heading_like(line):
            return False
        i = lines.index(line)
        for j in (i - 1, i + 1):
            if 0 <= j < len(lines):
                other = lines[j]
                close = abs(other.y - line.y) <= 1.25 * max(self.pitch(other.size), self.pitch(line.size))
                same = other.bold == line.bold and abs(other.size - line.size) < 0.2 and len(other.segments) == 1
                if close and not same:
                    return False
        return True

    def wraps_into(self, above: VisualLine, below: VisualLine) -> bool:
        """``below`` continues ``above``: the same style, close below it, and its first word
        would not have fitted at the end of ``above``."""
        if above.page != below.page or above.bold != below.bold or abs(above.size - below.size) >= 0.2:
            return False
        if above.y - below.y > 1.25 * self.pitch(above.size):
            return False
        return above.x1 + 0.3 * above.size + _first_word(below) >= self.right.get(above.page, above.x1) - 1


def _first_word(line: VisualLine) -> float:
    chars = line.segments[0].chars
    end = next((i for i, c in enumerate(chars) if i and c.space_before), len(chars))
    return chars[end - 1].x1 - chars[0].x0


def _block_right(line: VisualLine, lines: list[VisualLine]) -> float:
    """The right edge of the text block around a line: its neighbours that start where it does."""
    i = next(k for k, other in enumerate(lines) if other is line)
    near = [o.x1 for o in lines[max(0, i - 4): i + 5]
            if len(o.segments) == 1 and abs(o.x0 - line.x0) <= line.size]
    return max(near) if len(near) >= 3 else line.x1


def _items(lines: list[VisualLine], rules: Rules, carry: _Table | None = None) -> list[VisualLine | _Table]:
    """The page's lines, with each run of table lines gathered into a table. ``carry``: a
    table that ended the previous page, which the first lines of this page may continue."""
    items: list[VisualLine | _Table] = []
    i = 0
    if carry is not None and lines and (table := _extend(carry, lines, 0, rules, new_page=True)) is not None:
        items.append(table)
        i = len(table.lines)
    while i < len(lines):
        line = lines[i]
        if line.columns:
            table = _ruled_run(lines, i, rules)
        elif _list_item(line):
            # "1.1.", "•" or "(a)" hung in front of its text: one line of text, not a table row
            line.segments[1].chars[0].space_before = True
            line.segments = [Segment(line.segments[0].chars + line.segments[1].chars)]
            items.append(line)
            i += 1
            continue
        elif len(line.segments) >= 2:
            table = _extend(_Table([line], _segment_columns(line), False, rules), lines, i + 1, rules, new_page=False)
        else:
            items.append(line)
            i += 1
            continue
        assert table is not None
        items.append(table)
        i += len(table.lines)
    return items


_LIST_MARKER = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*\.?|\(?[a-z0-9]{1,4}[.)]|[\u2022\u00b7\u25aa\u25cf\u25e6\u2013\-*o\uf0b7])$", re.I)


def _list_item(line: VisualLine) -> bool:
    """A numbered paragraph or bullet set with a hanging indent: a marker, a gap, the text."""
    return len(line.segments) == 2 and not line.columns and \
        _LIST_MARKER.match(line.segments[0].text(marks=False)) is not None


def _ruled_run(lines: list[VisualLine], i: int, rules: Rules) -> _Table:
    """Lines inside one ruled table: the same vertical rules, close together."""
    run = [lines[i]]
    for line in lines[i + 1:]:
        last = run[-1]
        if not (line.columns and last.columns and _same_boundaries(line.columns, last.columns)
                and last.y - line.y <= 4.0 * max(line.size, last.size)):
            break
        run.append(line)
    edges = run[0].columns or []
    return _Table(run, list(itertools.pairwise(edges)), True, rules)


def _segment_columns(line: VisualLine) -> list[tuple[float, float]]:
    return [(s.x0, s.x1) for s in line.segments]


def _extend(table: _Table, lines: list[VisualLine], i: int, rules: Rules, *, new_page: bool,
            start: int | None = None) -> _Table | None:
    """The table grown by the lines from ``i`` on that keep to its columns: a line whose
    words cross the white space between two columns is not part of it."""
    if table.ruled:
        if not new_page or not lines[i].columns:
            return None
        run = _ruled_run(lines, i, rules)
        return run if _same_boundaries([c[0] for c in run.columns], [c[0] for c in table.columns]) else None
    columns = table.columns
    run: list[VisualLine] = [] if new_page else list(table.lines)
    last = None if new_page else run[-1]
    if new_page and i < len(lines) and len(lines[i].segments) < 2 and lines[i].x0 < columns[0][1]:
        return None  # a page that starts in the first column starts with text, not a wrapped cell
    for line in lines[i:]:
        if line.columns:
            break
        if last is not None and last.y - line.y > (3.0 if len(line.segments) >= 2 else 2.2) * max(line.size, last.size):
            break
        fitted = _fit_columns(columns, line)
        if fitted is None:
            break
        columns, last = fitted, line
        run.append(line)
    if not run:
        return None
    return _Table(run, columns, False, rules)


def _fit_columns(columns: list[tuple[float, float]], line: VisualLine) -> list[tuple[float, float]] | None:
    """The columns widened by the line's cells, or None when a cell spans two columns (a
    line of text across the table). A cell whose words start where the next column starts
    is two cells the line's spacing ran together: it is cut there (in place)."""
    size = line.size
    cols = [list(c) for c in columns]
    segments: list[Segment] = []
    pending = list(line.segments)
    while pending:
        segment = pending.pop(0)
        x0, x1 = segment.x0, segment.x1
        touched = [k for k, (a, b) in enumerate(cols) if x0 < b + 0.4 * size and x1 > a - 0.4 * size]
        if len(touched) > 1:
            cut = _cut_at(segment, cols[touched[1]][0], size)
            if cut is None:
                return None
            pending[:0] = cut
            continue
        segments.append(segment)
        if touched:
            k = touched[0]
            cols[k][0], cols[k][1] = min(cols[k][0], x0), max(cols[k][1], x1)
            if (k > 0 and cols[k][0] < cols[k - 1][1] + 0.4 * size) or \
                    (k + 1 < len(cols) and cols[k][1] > cols[k + 1][0] - 0.4 * size):
                return None
        else:  # in the white space between columns: a column the rows so far left empty
            cols.append([x0, x1])
            cols.sort()
    line.segments = segments
    return [(a, b) for a, b in cols]


def _cut_at(segment: Segment, x: float, size: float) -> list[Segment] | None:
    """The segment cut before the word that starts at x (within half an em), if any."""
    chars = segment.chars
    for i in range(1, len(chars)):
        starts_word = chars[i].space_before or chars[i].x0 - chars[i - 1].x1 > 0.25 * size
        if starts_word and abs(chars[i].x0 - x) <= 0.5 * size:
            return [Segment(chars[:i]), Segment(chars[i:])]
    return None


def _same_columns(a: _Table, b: _Table) -> bool:
    return len(a.columns) == len(b.columns) and all(
        abs(x[0] - y[0]) <= 3 or abs(x[1] - y[1]) <= 3 for x, y in zip(a.columns, b.columns, strict=True))


def _same_boundaries(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= 3 for x, y in zip(a, b, strict=True))


def _cells(line: VisualLine, table: _Table) -> list[str]:
    """The line's text in each column of the table."""
    return [Segment(c).text(whole=True) if c else "" for c in _column_chars(table, line)]


def _rows(table: _Table) -> list[list[str]]:
    """One row of cells per table row, a row's wrapped lines joined: rows end at horizontal
    rules when the table has them; else at a wider gap than the lines of a cell have, or,
    where every line is evenly spaced, where a line fills the first column."""
    rows: list[list[str]] = []
    ruled_rows = _has_row_rules(table)
    deltas = [a.y - b.y for a, b in itertools.pairwise(table.lines) if a.page == b.page]
    inner = min(deltas) if deltas else 0.0
    spaced = bool(deltas) and max(deltas) > 1.3 * inner
    previous: VisualLine | None = None
    for line in table.lines:
        cells = _cells(line, table)
        if previous is None:
            new_row = True
        elif ruled_rows:
            new_row = previous.page != line.page or table.rules.horizontal_between(
                line.top, previous.bottom, line.x0, line.x1)
        elif previous.page != line.page:
            new_row = bool(cells[0])
        elif spaced:
            new_row = previous.y - line.y > 1.15 * inner
        else:
            new_row = bool(cells[0]) and not _continues_row(table, previous, line)
        if new_row:
            rows.append(cells)
        else:
            rows[-1] = [_join(p, c) for p, c in zip(rows[-1], cells, strict=True)]
        previous = line
    return rows


def _continues_row(table: _Table, above: VisualLine, below: VisualLine) -> bool:
    """``below`` holds the wrapped ends of ``above``'s cells: every cell of ``below`` is
    under a cell of ``above`` whose line its first word would not have fitted on (before
    the next column). A cell that could have gone on above starts a new row."""
    upper, lower = _column_chars(table, above), _column_chars(table, below)
    for k, chars in enumerate(lower):
        if not chars:
            continue
        if not upper[k]:
            return False  # a cell starts here: table cells start on their row's first line
        if k + 1 < len(table.columns):
            end = next((i for i, c in enumerate(chars) if i and c.space_before), len(chars))
            word = chars[end - 1].x1 - chars[0].x0
            if upper[k][-1].x1 + 0.3 * below.size + word <= table.columns[k + 1][0] - 0.4 * below.size:
                return False
    return True


def _column_chars(table: _Table, line: VisualLine) -> list[list[Char]]:
    chars: list[list[Char]] = [[] for _ in table.columns]
    edges = [a for a, _ in table.columns[1:]]
    for segment in line.segments:
        chars[sum(1 for x in edges if x <= (segment.x0 + segment.x1) / 2)] += segment.chars
    return chars


_HYPHEN_END = re.compile(r"\w-$")
_FIRST_WORD = re.compile(r"(\w\S*)\s*")


def _join(before: str, after: str) -> str:
    """Two lines of a cell: "roll-" and "out" are one word again."""
    if _HYPHEN_END.search(before) and after[:1].isalnum():
        return before + after
    return f"{before} {after}".strip()


def _has_row_rules(table: _Table) -> bool:
    return any(table.rules.horizontal_between(b.top, a.bottom, min(a.x0, b.x0), max(a.x1, b.x1))
               for a, b in itertools.pairwise(table.lines) if a.page == b.page)
