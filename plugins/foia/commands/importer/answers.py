"""Reading the answers written on a form: UK dates, YES/NO, and "no answer" in words."""

from __future__ import annotations

import datetime as dt
import re

from foia.commands.importer.lines import key, plain, spaces

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
    # 10 December 2015, 3rd of March 2017, 10-Dec-2015, 10 Dec 15
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+|\s*[-/.]\s*)(?:of\s+)?(?P<mn>{_MONTH})\.?,?(?:\s+|\s*[-/.]\s*)(?P<y>\d{{4}}|\d{{2}})(?!\d)", re.I),
    # December 10, 2015
    re.compile(rf"\b(?P<mn>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)", re.I),
    # 2015-12-10
    re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)"),
)

# Answers that say "no date" or "no reason" in words. Read as no answer, never as a date.
_NOTHING = (
    r"(?:n\s*/?\s*a|none|nil|nothing|no\s+date(?:\s+(?:set|given|yet))?|not\s+applicable|unknown|tbc|tba|tbd"
    r"|to\s+be\s+(?:confirmed|agreed|decided|determined|advised|set|announced)"
    r"|not\s+(?:yet\s+)?(?:known|set|decided|confirmed|agreed|available|applicable))"
    r"(?:\s+(?:yet|at\s+(?:this|the\s+moment|present)(?:\s+(?:stage|time|point))?|as\s+(?:at|of)\s+(?:now|today|yet)))?"
)
_NO_ANSWER = re.compile(rf"^(?:date\s+)?{_NOTHING}(?:\s+(?:or\s+)?{_NOTHING})*$")


def find_dates(text: str) -> list[tuple[str, dt.date | None]]:
    """Every date spelling in text, read day-first: (as written, date or None if impossible)."""
    text = spaces(text)
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


def is_no_answer(text: str) -> bool:
    """Blank, a dash, or words that say there is nothing to give: 'N/A', 'TBC', 'None',
    'Not known at this stage'..."""
    words = re.sub(r"[^\w/ ]", " ", key(plain(text)))
    words = re.sub(r"\s+", " ", words).strip()
    return not words or _NO_ANSWER.match(words) is not None


_CHECKED = r"(?:\u2612|\u2611|\u2714|\u2713|\[\s*[xX]\s*\])"
_UNCHECKED = r"(?:\u2610|\u25a1|\[\s*\])"


def yes_no(text: str) -> bool | None:
    """True for YES, False for NO (any case, stray marks ignored); None when unclear.
    Tick boxes ('\u2610 YES \u2612 NO') count only when exactly one answer is ticked."""
    k = key(plain(text))
    if re.search(_CHECKED + "|" + _UNCHECKED, k):
        ticked = re.findall(_CHECKED + r"\s*(yes|no)\b", k)
        return ticked[0] == "yes" if len(ticked) == 1 else None
    words = re.findall(r"[a-z]+", k)
    if not words or words[0] not in ("yes", "no"):
        return None  # 'N/A', 'Y', 'TBC': unclear, never read as NO
    answer = words[0] == "yes"
    if ("no" if answer else "yes") in words[1:]:
        return None
    return answer
