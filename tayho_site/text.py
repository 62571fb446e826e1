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


_WORD = re.compile(r"\w+", re.UNICODE)
_MASK64 = (1 << 64) - 1


def simhash(text: str) -> int:
    """A 64-bit fingerprint of the text's three-word shingles (Charikar's simhash),
    as a signed integer for a database BigIntegerField. Near-identical texts (a word
    changed here and there, other accents, other spacing) differ in few bits."""
    import hashlib

    words = _WORD.findall(fold(text))
    shingles = [" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))] if words else []
    if not shingles:
        return 0
    weights = [0] * 64
    for shingle in shingles:
        value = int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if value >> bit & 1 else -1
    fingerprint = sum(1 << bit for bit in range(64) if weights[bit] > 0)
    return fingerprint - (1 << 64) if fingerprint >= 1 << 63 else fingerprint


def hamming(a: int, b: int) -> int:
    return bin((a ^ b) & _MASK64).count("1")


def search_words(text: str) -> str:
    """What a record keeps for searching: its folded words, each preceded by a space, so
    a query word matches the start of a word ("ho" finds "hồ", never "thoi")."""
    words = _WORD.findall(fold(text))
    return " " + " ".join(words) + " " if words else ""


def query_words(query: str, limit: int = 8) -> list[str]:
    """The folded words of a search query, as `search_words` stores them (at most `limit`).
    Only letters and digits remain: no quote, bracket, operator, NUL or other control
    character of what a visitor typed ever reaches a database or a full-text index."""
    return _WORD.findall(fold((query or "")[:200]))[:limit]


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def typed_query(text: str, max_length: int = 200) -> str:
    """A search query as a visitor typed it, fit to be shown back: control characters
    (NUL included) become spaces, runs of spaces one, at most `max_length` characters."""
    return _SPACES.sub(" ", _CONTROL.sub(" ", (text or "")[:max_length])).strip()
