"""Similar texts among many: which documents share long passages, and which passages.
Plain data in, plain data out; for a round's items against each other and against what
earlier rounds judged (entries of earlier contests, ideas).

Method (Schleimer et al.'s fingerprinting, simplified): a text's words are folded (no
diacritics, đ → d, lower case) and cut into overlapping runs of SHINGLE words; each run
is hashed (from its words' CRC-32, the same on every machine) and only the runs whose
hash falls in one bucket out of SAMPLE are kept as the text's fingerprints. Two texts that share a passage
of a few dozen words share its fingerprints, whatever was changed around it. An inverted
index from fingerprint to texts gives the candidate pairs in one pass; fingerprints that
half the corpus shares (set phrases) are ignored. A pair is reported when the share of
the smaller text's fingerprints found in the other reaches `threshold`; its matching
passages are then found word by word (difflib) for the side-by-side view."""

import difflib
import re
import unicodedata
import zlib
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

SHINGLE = 5
SAMPLE = 8
_WORD = re.compile(r"\w+")
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Pair:
    a: Hashable
    b: Hashable
    share: float  # of the smaller text's fingerprints found in the other
    shared: int


def _fold_table() -> dict:
    """One str.translate table for folding: Latin letters with marks (Vietnamese's
    among them) to their base letter, đ to d, combining marks dropped. Much faster on
    long texts than normalising and filtering them."""
    table = {}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        if base != char:
            table[code] = base
    table.update({ord("đ"): "d", ord("Đ"): "D"})
    table.update(dict.fromkeys(range(0x300, 0x370)))
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).translate(_FOLD).lower()


def _raw_words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", _TAG.sub(" ", text or "")).lower())


_WORD_IDS: dict = {}


def _word_id(word: str) -> int:
    """A word's id: the CRC-32 of its folded form (cached: a corpus has few distinct words)."""
    found = _WORD_IDS.get(word)
    if found is None:
        if len(_WORD_IDS) > 2_000_000:  # a bound on memory; ids stay the same when recomputed
            _WORD_IDS.clear()
        found = _WORD_IDS[word] = zlib.crc32(fold(word).encode())
    return found


def words_of(text: str) -> list[str]:
    return [fold(word) for word in _raw_words(text)]


def fingerprints(text: str) -> set[int]:
    """The text's sampled fingerprints: each run of SHINGLE words hashed from its words'
    ids (a tuple of integers hashes the same in every process), one in SAMPLE kept."""
    ids = [_word_id(word) for word in _raw_words(text)]
    if len(ids) < SHINGLE:
        return {hash(tuple(ids))} if ids else set()
    runs = zip(*(ids[i:] for i in range(SHINGLE)), strict=False)
    return {value for value in map(hash, runs) if value % SAMPLE == 0}


def similar_pairs(
    texts: dict,
    *,
    against: dict | None = None,
    threshold: float = 0.5,
    min_shared: int = 3,
    common: float = 0.5,
) -> list[Pair]:
    """Pairs of similar texts among `texts` ({key: text}), and between `texts` and
    `against` (never within `against`), most similar first."""
    against = against or {}
    prints = {("t", key): fingerprints(text) for key, text in texts.items()}
    prints.update({("a", key): fingerprints(text) for key, text in against.items()})
    index = defaultdict(list)
    for doc, found in prints.items():
        for value in found:
            index[value].append(doc)
    too_common = max(10, int(common * len(prints)))
    counts = Counter()
    for docs in index.values():
        if len(docs) < 2 or len(docs) > too_common:
            continue
        ours = [d for d in docs if d[0] == "t"]
        if not ours:
            continue
        theirs = [d for d in docs if d[0] == "a"]
        for i, first in enumerate(ours):
            for second in ours[i + 1 :]:
                counts[(first, second)] += 1
            for second in theirs:
                counts[(first, second)] += 1
    pairs = []
    for (first, second), shared in counts.items():
        if shared < min_shared:
            continue
        smaller = min(len(prints[first]), len(prints[second])) or 1
        share = shared / smaller
        if share >= threshold:
            pairs.append(Pair(first[1], second[1], min(1.0, share), shared))
    pairs.sort(key=lambda p: (-p.share, -p.shared, repr(p.a), repr(p.b)))
    return pairs


def passages(first: str, second: str, *, shortest: int = 8) -> list[tuple[str, str]]:
    """The passages two texts share (at least `shortest` words), each as written in
    the first and in the second, for a side-by-side view."""
    plain_a, plain_b = _TAG.sub(" ", first or ""), _TAG.sub(" ", second or "")
    spans_a = [(m.start(), m.end()) for m in _WORD.finditer(plain_a)]
    spans_b = [(m.start(), m.end()) for m in _WORD.finditer(plain_b)]
    words_a = [fold(plain_a[s:e]) for s, e in spans_a]
    words_b = [fold(plain_b[s:e]) for s, e in spans_b]
    matcher = difflib.SequenceMatcher(None, words_a, words_b, autojunk=False)
    found = []
    for block in matcher.get_matching_blocks():
        if block.size >= shortest:
            a_start, a_end = spans_a[block.a][0], spans_a[block.a + block.size - 1][1]
            b_start, b_end = spans_b[block.b][0], spans_b[block.b + block.size - 1][1]
            found.append((plain_a[a_start:a_end], plain_b[b_start:b_end]))
    return found


def keys_in(pairs: Iterable[Pair]) -> set:
    return {key for pair in pairs for key in (pair.a, pair.b)}
