"""The normaliser: the one rule (normalise.rule) and its fast path agree on any text, and
the rule joins what a reader sees as one word and folds look-alike letters."""

from __future__ import annotations

import random
import re
import sys
import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from foia.proof import normalise as n
from foia.proof.normalise import COMMON_SEPARATORS, INVISIBLE, normalise, normalised_utf8, rule

# Characters where the fast path and the rule could part ways: compositions, compatibility
# forms, case oddities, invisible characters, look-alikes from other scripts, ASCII letters
# the skeleton folds (0, 1, m), separators the fast path special-cases, lone surrogates.
TRICKY = ["e\u0301", "E\u0301", "<\u0338", "=\u0338", "\u00a0", "\ufb01", "\u00bd", "\u2026", "\uff21", "\u01c5",
          "\u0130", "\u2009", "\u00a3", "\u2013", "\u2019", "\u200b", "\u200c", "\u200d", "\u2060", "K", "\u212b",
          "\u0345", "\u03a3", "\u03c2", "\u1fbc", "\U0001d400", "\u06f1", "\u3000", "\u00ad", "\ufeff", "\u00b6",
          "\ufffd", "\u0f73", "\u2190", "\u1100", "\u1161", "\u0bc6", "\u0bbe", "\u00a8", "\u0323", "\u00df",
          "\u0e01\u0e34", "\u0430", "\u043e", "\u0440", "\u0441", "\u0391", "\u03bf", "\u13aa", "m", "rn", "M", "0",
          "1", "I", "l", "|", "\u3164", "\ufe0f", "\u034f", "\u180b", "\U000e0041", "\u202e", "\u0600", "\ud800",
          "\udce9", "\u2460", "\u33a1", "\u01c3", "\u13b7", "\uab87", "\x01", "\u2028", "\u2029", "\u0085", "\u1e9e", "\u0149", "\U0001f600",
          "\u0332", "\u0336", "\u20dd", "\u1d0b", "\U0001f17a", "\U0001f1f0", "\ua731", "\u0299"]
ALPHABET = [*TRICKY, *"abcXYZ019 _-.,;<=>&/\t\n", "12345", "1,234", "000", "99"]


def text_from(pieces: list[str]) -> str:
    return "".join(pieces)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(ALPHABET), max_size=40).map(text_from))
@example("Quo\u00adkka")
@example("<\u200b\u0338")
@example("m\u0301")
@example("\ud800m")
def test_the_fast_path_is_the_rule_on_tricky_text(text):
    assert normalise(text) == rule(text)
    assert normalised_utf8(text) == rule(text).encode("utf-8", "surrogatepass")


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=60))
def test_the_fast_path_is_the_rule_on_any_text(text):
    assert normalise(text) == rule(text)


def test_the_fast_path_is_the_rule_the_second_time_too():
    """The word cache changes nothing: the same texts, again, give the same answers."""
    rng = random.Random(7)
    texts = ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40))) for _ in range(2000)]
    first = [normalise(t) for t in texts]
    assert [normalise(t) for t in texts] == first == [rule(t) for t in texts]


def test_the_rule_is_short_and_says_what_it_does():
    """The definition a reader can check: long numbers by threes, invisible characters dropped, Latin letter symbols
    read as letters, NFKC, case-folded, combining marks dropped, split at non-word
    characters, each word by its TR39 skeleton (ICU's), NFKC, case-folded, marks dropped."""
    import icu

    from foia.proof.normalise import LATIN_SYMBOLS

    spoof = icu.SpoofChecker()
    marks = icu.UnicodeSet("[[:Mn:][:Me:]]")

    def grouped(digits):
        groups = []
        while len(digits) > 3:
            groups.insert(0, digits[-3:])
            digits = digits[:-3]
        return " ".join([digits, *groups])

    def no_marks(text):
        return "".join(c for c in text if not marks.contains(c))

    def by_hand(text):
        text = re.sub(r"[0-9]{5,}", lambda m: grouped(m.group()), text)  # long numbers by threes
        text = "".join(LATIN_SYMBOLS.get(ord(c), c) for c in text if ord(c) not in INVISIBLE)
        text = no_marks(unicodedata.normalize("NFKC", text).casefold())
        out = []
        for word in re.split(r"[\W_]+", text):
            if word:
                folded = no_marks(unicodedata.normalize("NFKC", spoof.getSkeleton(0, word)).casefold())
                out.extend(w for w in re.split(r"[\W_]+", folded) if w)
        return " " + " ".join(out) + " "

    rng = random.Random(3)
    for _ in range(3000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 20)))
        assert rule(text) == by_hand(text), repr(text)
    assert LATIN_SYMBOLS[0x1D0B] == "k" and LATIN_SYMBOLS[0x1F17A] == "k"  # ᴋ, 🅺
    assert all(len(v) == 1 and v.isascii() and v.isalpha() for v in LATIN_SYMBOLS.values())


@pytest.mark.parametrize(("written", "read"), [
    ("Quo\u00adkka", "quokka"),  # soft hyphen
    ("Quo\u200bkka", "quokka"),  # zero-width space
    ("Quo\u200d\u200ckka", "quokka"),  # joiners
    ("Quo\u2060kka", "quokka"),  # word joiner
    ("Quo\ufeffkka", "quokka"),  # BOM
    ("Quo\u202ekka", "quokka"),  # direction override
    ("Quo\u034fkka", "quokka"),  # combining grapheme joiner (default ignorable, not Cf)
    ("Quo\ufe0fkka", "quokka"),  # variation selector
    ("Quo\u3164kka", "quokka"),  # Hangul filler, a letter no font draws
    ("Quo\U000e0041kka", "quokka"),  # tag character
    ("Qu\u043ekk\u0430", "quokka"),  # Cyrillic o and a
    ("QU\u039fKK\u0391", "quokka"),  # Greek capital omicron and alpha
    ("\uff31\uff55\uff4f\uff4b\uff4b\uff41", "quokka"),  # full width
    ("\U0001d5e4\U0001d602\U0001d5fc\U0001d5f8\U0001d5f8\U0001d5ee", "quokka"),  # mathematical sans-serif bold
    ("QUOKKA", "quokka"),
])
def test_what_a_reader_reads_as_one_word_is_one_word(written, read):
    assert normalise(f"The {written} sentence") == normalise(f"the {read} sentence")


def test_look_alike_folding_is_the_icu_skeleton_word_by_word():
    assert normalise("p\u0430yp\u0430l") == normalise("paypal")  # Cyrillic а
    assert normalise("m") == " rn "  # TR39: m looks like rn; both sides fold the same
    assert normalise("modern") == normalise("rnodern")
    assert normalise("caf\u00e9") != normalise("cafe"), "a visible accent is not a look-alike"


def test_every_format_character_is_invisible():
    """Python's own Cf list (its Unicode version) is inside the set the rule drops."""
    missing = [hex(cp) for cp in range(sys.maxunicode + 1) if unicodedata.category(chr(cp)) == "Cf"
               and cp not in INVISIBLE]
    assert missing == []
    assert 0xAD in INVISIBLE and 0x200B in INVISIBLE and 0x3164 in INVISIBLE and 0xFE0F in INVISIBLE


def test_nfkc_and_case_folding_make_no_invisible_character():
    """What lets the rule drop invisible characters once, before NFKC."""
    made = []
    for cp in range(sys.maxunicode + 1):
        if cp in INVISIBLE or 0xD800 <= cp <= 0xDFFF:
            continue
        if any(ord(c) in INVISIBLE for c in unicodedata.normalize("NFKC", chr(cp)).casefold()):
            made.append(hex(cp))
    assert made == []


def test_the_ascii_table_is_the_rule_letter_by_letter():
    for c in range(128):
        folded = rule(chr(c)).strip()
        assert normalise(chr(c)).strip() == folded, chr(c)
        assert normalise("x" + chr(c) + "y") == rule("x" + chr(c) + "y")
    assert (n._LONG_LETTER, n._LONG_FOLD) == (b"m", b"rn")  # TR39: m looks like rn


def test_the_common_separators_can_only_separate_words():
    """What normalise relies on to turn them into spaces before the Unicode path."""
    in_compositions = set()
    for cp in range(sys.maxunicode + 1):
        decomposition = unicodedata.decomposition(chr(cp))
        if decomposition and not decomposition.startswith("<"):  # canonical: what NFKC composes
            in_compositions.update(chr(int(code, 16)) for code in decomposition.split())
    for ch in [*COMMON_SEPARATORS, "\ufffd"]:
        assert unicodedata.normalize("NFKC", ch) == ch and ch.casefold() == ch, repr(ch)
        assert not re.match(r"\w", ch) and unicodedata.combining(ch) == 0, repr(ch)
        assert ch not in in_compositions and ord(ch) not in INVISIBLE, repr(ch)
    for ch in COMMON_SEPARATORS:
        for text in (f"e{ch}\u0301x", f"{ch}\u0301", f"K{ch}", f"\u1100{ch}\u1161", f"<{ch}\u0338", f"a{ch}b"):
            assert rule(text) == rule(text.replace(ch, " ")), repr(text)
            assert normalise(text) == rule(text), repr(text)


def test_no_canonical_composition_starts_with_an_ascii_character():
    """What the file-name hint relies on: NFKC can change the character before a name
    (nothing composes with an ASCII character that follows it) only at the name's end."""
    for cp in range(sys.maxunicode + 1):
        decomposition = unicodedata.decomposition(chr(cp))
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2:
                assert int(parts[1], 16) >= 0x80, hex(cp)


def test_the_word_cache_is_bounded_and_holds_no_other_state():
    info = n._unicode_word.cache_info()
    assert info.maxsize is not None and info.maxsize <= 1 << 16
    assert not any(isinstance(v, dict) and k.startswith("_WORDS") for k, v in vars(n).items())
