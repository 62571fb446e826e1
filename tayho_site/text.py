"""Text helpers for Vietnamese: folding diacritics for search, counting words."""

import re
import unicodedata

_COMBINING = re.compile(r"[\u0300-\u036f]")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case Vietnamese text without diacritics: "Đùn đẩy" -> "dun day".

    NFD splits a letter from its tone and vowel marks; dropping the combining marks
    leaves the base letter. "đ" is a letter of its own, not a "d" with a mark, so it is
    mapped by hand.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = _COMBINING.sub("", decomposed)
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", unicodedata.normalize("NFC", stripped)).strip().lower()


def word_count(text: str) -> int:
    """Vietnamese words as the contest counts them: syllables separated by spaces."""
    return len([token for token in _SPACES.split(text or "") if any(ch.isalnum() for ch in token)])
