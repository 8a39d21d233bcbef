"""The shape both sides of the leak scan are compared in: the words a reader sees, one
space between them, so markup, entities, smart quotes, escapes, invisible characters and
look-alike letters cannot hide a match.

The definition is rule(); normalised_utf8 is the same function, faster (tests prove they
agree on arbitrary text)."""

from __future__ import annotations

import functools
import re
import unicodedata

import icu  # PyICU: ICU's UTS #39 spoof checker gives the confusables skeleton

_NON_WORD = re.compile(r"[\W_]+")


def _invisible_characters() -> dict[int, None]:
    """Every format character (general category Cf: soft hyphen, zero-width space and
    joiners, direction marks, word joiner, BOM...) and every other default-ignorable code
    point (variation selectors, Hangul fillers, combining grapheme joiner): a browser
    draws none of them, so a word split by one still reads as one word."""
    ignorable = icu.UnicodeSet("[[:Default_Ignorable_Code_Point:][:Cf:]]")
    drop = [cp for first, last in ignorable.ranges() for cp in range(ord(first), ord(last) + 1)]
    return dict.fromkeys(drop)


INVISIBLE = _invisible_characters()  # code point -> None: a str.translate table that drops them


def _latin_letter_symbols() -> dict[int, str]:
    """Symbols and letters a reader reads as a Latin letter that neither NFKC nor the
    confusables skeleton make one: small capitals ('ᴋᴇꜱᴛʀᴇʟ'), squared and negative
    squared letters ('🅺🅴🆂'), regional indicator letters, and the like; told by their
    Unicode names ('... LATIN ... LETTER K', 'LATIN LETTER SMALL CAPITAL K'), in the
    blocks that hold them."""
    blocks = [(0x0250, 0x02AF), (0x1D00, 0x1DBF), (0x2100, 0x214F), (0x2460, 0x24FF), (0xA720, 0xA7FF),
              (0xAB30, 0xAB6F), (0x1F100, 0x1F1FF)]
    single = re.compile(r"(?:LATIN (?:CAPITAL |SMALL )?(?:LETTER )?(?:SMALL CAPITAL )?|REGIONAL INDICATOR SYMBOL "
                        r"LETTER )([A-Z])")
    table = {}
    for first, last in blocks:
        for cp in range(first, last + 1):
            char = chr(cp)
            if (m := single.search(unicodedata.name(char, ""))) is None or not unicodedata.name(char).endswith(
                    " " + m.group(1)):
                continue
            if not unicodedata.normalize("NFKC", char).isascii():
                table[cp] = m.group(1).lower()
    return table


# What a reader does not see as it is written: invisible characters dropped, Latin letter
# symbols read as the letter.
LATIN_SYMBOLS = _latin_letter_symbols()  # code point -> its Latin letter
_READER = {**INVISIBLE, **LATIN_SYMBOLS}


def _combining_marks() -> dict[int, None]:
    """Non-spacing and enclosing marks (general categories Mn, Me): what is left of them
    after NFKC (no precomposed letter takes them) only decorates the letter before it (an
    underline, a strike-through), so it is dropped and the word reads as one."""
    marks = icu.UnicodeSet("[[:Mn:][:Me:]]")
    return dict.fromkeys(cp for first, last in marks.ranges() for cp in range(ord(first), ord(last) + 1))


MARKS = _combining_marks()
_SPOOF = icu.SpoofChecker()


_LONG_NUMBER = re.compile(r"[0-9]{5,}")


def group_digits(text: str) -> str:
    """Numbers of five digits or more in groups of three from the right, as thousands
    separators group them: '£1234567' reads as '£1,234,567' does ('1 234 567'), as a
    spreadsheet may write the same figure either way. (From five digits: four-digit
    numbers are mostly years, in every page, and would cost the scan time for nothing.)"""
    return _LONG_NUMBER.sub(_grouped, text)


def _grouped(m: re.Match) -> str:
    digits = m.group()
    head = len(digits) % 3
    return " ".join(([digits[:head]] if head else []) + [digits[i:i + 3] for i in range(head, len(digits), 3)])


def words(text: str) -> list[str]:
    """The words of a text as a reader sees them: long numbers grouped by three, invisible
    characters dropped (the letters around them join), Latin letter symbols read as
    letters, NFKC, case-folded, combining marks left over dropped, split at every character
    that is not a letter or digit. Readable: what the scan's messages show."""
    text = group_digits(text)
    text = unicodedata.normalize("NFKC", text.translate(_READER)).casefold().translate(MARKS)
    return [w for w in _NON_WORD.split(text) if w]


def fold_word(word: str) -> str:
    """One word as its Unicode TR39 confusables skeleton (ICU's), NFKC, case-folded, split
    again where the skeleton made a separator: a word with look-alike letters from another
    script becomes the word it imitates ('quоkka' with a Cyrillic о is 'quokka'). The
    skeleton folds ASCII too (0 to o, 1 to l, m to rn), the same on both sides."""
    folded = unicodedata.normalize("NFKC", _SPOOF.getSkeleton(0, word)).casefold().translate(MARKS)
    return " ".join(w for w in _NON_WORD.split(folded) if w)


def rule(text: str) -> str:
    """The definition: ' ' + the folded words of the text, one space between them + ' '."""
    return " " + " ".join(f for w in words(text) if (f := fold_word(w))) + " "


def normalise(text: str) -> str:
    """' word word word ': the shape both sides are compared in (rule, faster)."""
    return normalised_utf8(text).decode("utf-8", "surrogatepass")


# ----------------------------------------------------------------------------- the fast path

# ASCII bytes: each letter and digit becomes its folded form (derived from the rule itself
# below), everything else a space. Bytes of non-ASCII characters are kept for the
# word-by-word path. A folded form longer than one letter ('m' is 'rn', and so is 'M') is
# put in after, by one replace over the whole text.
def _ascii_tables() -> tuple[bytes, bytes, bytes]:
    table = bytearray(c if c >= 128 else 32 for c in range(256))
    longer: dict[bytes, bytes] = {}
    for c in range(128):
        if not chr(c).isalnum():
            continue
        folded = rule(chr(c)).strip()
        if not folded.isascii() or " " in folded or not folded:
            raise RuntimeError(f"normalise: {chr(c)!r} folds to {folded!r}, which the fast path cannot do")
        if len(folded) == 1:
            table[c] = ord(folded)
        else:
            longer[bytes([c])] = folded.encode()
    # Every longer fold is the same one, from one lower-case letter (the upper-case letter is
    # tabled to it): one replace does them all.
    [(letter, target)] = {(bytes([ord(k.decode().lower())]), v) for k, v in longer.items()}
    for source in longer:
        table[source[0]] = letter[0]
    if any(bytes([table[c]]) in target for c in range(128) if chr(c).isalnum() and bytes([table[c]]) == letter):
        raise RuntimeError("normalise: the multi-letter fold feeds itself")
    return bytes(table), letter, target


_ASCII_FOLD, _LONG_LETTER, _LONG_FOLD = _ascii_tables()
# Where the Unicode path's output holds that letter (a look-alike whose skeleton is it), it is
# kept from the replace by a byte no output holds, and put back after.
_KEPT = b"\x01"
_HIGH = bytes(0x80 if c >= 0x80 else 0 for c in range(256))
_SPACES = re.compile(rb"  +")
# The non-ASCII characters commonest in pages (pilcrow, en dash, right quote, pound sign).
# Each can only ever separate words: its NFKC form is itself, has no case, is not
# invisible and is no word character, and it is in no canonical composition, so nothing
# combines with it. So each is the same as a space (tests/test_proof_normalise.py proves
# those properties).
COMMON_SEPARATORS = ("\u00b6", "\u2013", "\u2019", "\u00a3")


@functools.lru_cache(maxsize=1 << 16)
def _unicode_word(word: bytes) -> bytes:
    """rule() of one run of text between ASCII separators that holds a non-ASCII
    character, without its padding. Cached, bounded: the same words recur on every page
    (names, symbols) and the rule is a pure function."""
    return rule(word.decode("utf-8", "surrogatepass"))[1:-1].encode("utf-8", "surrogatepass").replace(
        _LONG_LETTER, _KEPT)


_DIGIT_MASK = bytes(0x39 if 0x30 <= c <= 0x39 else 0x20 for c in range(256))  # ASCII digits to "9", all else " "


def normalised_utf8(text: str) -> bytes:
    """rule(text) as UTF-8 bytes, which is what the scan searches (no decoding).

    ASCII is folded by a byte table, and only the runs between ASCII separators holding a
    non-ASCII character take the Unicode path (the rule itself), each distinct run once:
    the rule never joins such a run to its neighbours across an ASCII space or ASCII
    punctuation (NFKC composes nothing with them into a letter, invisible characters are
    dropped one by one, and the skeleton folds word by word)."""
    # U+FFFD, what undecodable bytes become, is the commonest character of a binary file
    # read as text. Like the common separators, it can only ever separate words, so it is
    # the same as a space; replaced in the str, not as bytes after encoding.
    binary = "\ufffd" in text
    if binary:
        text = text.replace("\ufffd", " ")
    else:
        for separator in COMMON_SEPARATORS:  # each saves a trip through the Unicode path below
            if separator in text:
                text = text.replace(separator, " ")
    data = text.encode("utf-8", "surrogatepass")
    # Long numbers grouped, as words() does first (then every run the loop below takes is
    # grouped already). Looked for in the bytes by a translation and a substring search:
    # scanning the str with the regular expression costs a third of a millisecond a page.
    # The replaces above touch no digit, so grouping after them is grouping before.
    if data.translate(_DIGIT_MASK).find(b"99999") >= 0:
        data = group_digits(text).encode("utf-8", "surrogatepass")
    folded = data.translate(_ASCII_FOLD)
    if not folded.isascii():
        high = folded.translate(_HIGH)  # 0x80 where folded has a non-ASCII byte: found by memchr
        find_high, find_space, rfind_space, unicode_word = high.find, folded.find, folded.rfind, _unicode_word
        pieces: list[bytes] = []
        add = pieces.append
        pos = 0
        i = find_high(b"\x80")
        while i >= 0:
            start = rfind_space(b" ", 0, i) + 1
            end = find_space(b" ", i)
            if end < 0:
                end = len(folded)
            add(folded[pos:start])
            add(unicode_word(data[start:end]))
            pos = end
            i = find_high(b"\x80", end)
        add(folded[pos:])
        folded = b" ".join(pieces)
    folded = folded.replace(_LONG_LETTER, _LONG_FOLD)
    if _KEPT in folded:
        folded = folded.replace(_KEPT, _LONG_LETTER)
    if binary:  # short words between single spaces: split is the faster way to join them
        return b" " + b" ".join(folded.split()) + b" "
    folded = _SPACES.sub(b" ", b" " + folded + b" ")  # runs of spaces (indentation, tags) in one pass
    return folded if folded != b" " else b"  "
