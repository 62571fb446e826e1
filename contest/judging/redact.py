"""Finding an author's name (and phone, e-mail, ward, school or workplace) in a text a
blind round is about to show its judges, typed with or without Vietnamese diacritics,
and blanking what the organisers choose. Plain data in, plain data out.

Folding: Unicode NFD, combining marks dropped, đ → d, lower case, one character of the
text at a time, so that a place in the folded text is a place in the original: "Nguyen
Van An" and "NGUYỄN VĂN AN" both find "Nguyễn Văn An", and the hit points at the text as
written."""

import re
import unicodedata
from dataclasses import asdict, dataclass

MASK = "[…]"
SHORTEST = 4  # a folded identifier shorter than this finds too much ("An", "Hà")


@dataclass(frozen=True)
class Hit:
    kind: str  # "name", "pen_name", "phone", "email", "ward", "workplace"
    value: str  # the identifier looked for
    start: int  # where it is in the original text
    end: int
    found: str  # the text as written there

    def as_dict(self):
        return asdict(self)


def fold_char(char: str) -> str:
    if char in "đĐ":
        return "d"
    decomposed = unicodedata.normalize("NFD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def fold(text: str) -> str:
    return "".join(fold_char(c) for c in text)


def _folded_with_positions(text: str):
    """The folded text and, for each of its characters, the original's index."""
    chars, where = [], []
    for index, char in enumerate(text):
        for folded in fold_char(char):
            chars.append(folded)
            where.append(index)
    return "".join(chars), where


def _pattern(kind: str, value: str) -> re.Pattern | None:
    if kind == "phone":
        digits = re.sub(r"\D", "", value)
        if len(digits) < 6:
            return None
        national = digits[1:] if digits.startswith("0") else digits
        # 0912 345 678, 0912.345.678, +84 912 345 678
        body = r"[\s.\-]?".join(national)
        return re.compile(rf"(?<!\d)(?:0|\+?84[\s.\-]?)?{body}(?!\d)")
    folded = fold(value).strip()
    if len(folded) < SHORTEST:
        return None
    if kind == "email":
        return re.compile(re.escape(folded))
    words = folded.split()
    return re.compile(r"(?<!\w)" + r"[\s\-]+".join(re.escape(w) for w in words) + r"(?!\w)")


def find(text: str, identifiers) -> list[Hit]:
    """Every place `text` names one of `identifiers` ((kind, value) pairs), in order."""
    folded, where = _folded_with_positions(text)
    hits = []
    for kind, value in identifiers:
        if not value:
            continue
        pattern = _pattern(kind, str(value))
        if pattern is None:
            continue
        for match in pattern.finditer(folded):
            if match.end() == match.start():
                continue
            start, end = where[match.start()], where[match.end() - 1] + 1
            hits.append(Hit(kind, str(value), start, end, text[start:end]))
    hits.sort(key=lambda hit: (hit.start, -hit.end))
    return hits


def redact(text: str, hits) -> str:
    """`text` with every hit's span replaced by the mask (overlapping hits merged)."""
    spans = sorted((hit["start"], hit["end"]) if isinstance(hit, dict) else (hit.start, hit.end) for hit in hits)
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces, last = [], 0
    for start, end in merged:
        pieces.append(text[last:start])
        pieces.append(MASK)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)
