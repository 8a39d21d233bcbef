"""The shape both sides of the leak scan are compared in: lower-case words, one space
between them, so markup, entities, smart quotes and escapes cannot hide a match.

The definition is _normalise_unicode; normalised_utf8 is the same function, faster."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+")
# ASCII bytes: letters lower-cased, digits kept, everything else a space. Bytes of
# non-ASCII characters are kept for the word-by-word path below.
_ASCII_FOLD = bytes(c + 32 if 65 <= c <= 90 else c if c >= 128 or 48 <= c <= 57 or 97 <= c <= 122 else 32
                    for c in range(256))
_HIGH = bytes(0x80 if c >= 0x80 else 0 for c in range(256))
_SPACES = re.compile(rb"  +")
# The non-ASCII characters commonest in pages (pilcrow, en dash, right quote, pound sign).
# Each can only ever separate words: its NFKC form is itself, has no case and is no word
# character, and it is in no canonical composition, so nothing combines with it. So each
# is the same as a space (tests/test_leakscan.py proves those properties).
_COMMON_SEPARATORS = ("\u00b6", "\u2013", "\u2019", "\u00a3")
_WORDS: dict[bytes, bytes] = {}  # a word holding non-ASCII characters -> its normalised form


def _normalise_unicode(text: str) -> str:
    """The definition: NFKC, case-folded, every run of non-word characters one space."""
    return _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def normalise(text: str) -> str:
    """' word word word ' in lower case: the shape both sides are compared in."""
    return normalised_utf8(text).decode("utf-8", "surrogatepass")


def normalised_utf8(text: str) -> bytes:
    """normalise(text) as UTF-8 bytes, which is what the scan searches (no decoding).

    The same result as _normalise_unicode on the whole text, faster: ASCII is folded by
    a byte table, and only the words (runs between ASCII spaces and punctuation) holding
    a non-ASCII character take the Unicode path, each distinct word once: NFKC never
    joins such a word to its neighbours across a space or ASCII punctuation."""
    # U+FFFD, what undecodable bytes become, is the commonest character of a binary file
    # read as text (a Pagefind index). Like the common separators, it can only ever separate
    # words, so it is the same as a space; replaced in the str, not as bytes after encoding.
    binary = "\ufffd" in text
    if binary:
        text = text.replace("\ufffd", " ")
    else:
        for separator in _COMMON_SEPARATORS:  # each saves a trip through the Unicode path below
            if separator in text:
                text = text.replace(separator, " ")
    data = text.encode("utf-8", "surrogatepass")
    folded = data.translate(_ASCII_FOLD)
    if not folded.isascii():
        cache = _WORDS
        if len(cache) > 100_000:
            cache.clear()
        high = folded.translate(_HIGH)  # 0x80 where folded has a non-ASCII byte: found by memchr
        find_high, find_space, rfind_space, get = high.find, folded.find, folded.rfind, cache.get
        pieces: list[bytes] = []
        add = pieces.append
        pos = 0
        i = find_high(b"\x80")
        while i >= 0:
            start = rfind_space(b" ", 0, i) + 1
            end = find_space(b" ", i)
            if end < 0:
                end = len(folded)
            word = data[start:end]
            done = get(word)
            if done is None:
                done = cache[word] = _normalise_unicode(word.decode("utf-8", "surrogatepass")).encode(
                    "utf-8", "surrogatepass")
            add(folded[pos:start])
            add(done)
            pos = end
            i = find_high(b"\x80", end)
        pieces.append(folded[pos:])
        folded = b" ".join(pieces)
    if binary:  # short words between single spaces: split is the faster way to join them
        return b" " + b" ".join(folded.split()) + b" "
    folded = _SPACES.sub(b" ", b" " + folded + b" ")  # runs of spaces (indentation, tags) in one pass
    return folded if folded != b" " else b"  "
