"""Finding an author's name (and phone, e-mail, ward, school or workplace) in a text a
blind round is about to show its judges, typed with or without Vietnamese diacritics,
and blanking what the organisers choose. Plain data in, plain data out.

Folding: Unicode NFD, combining marks dropped, đ → d, lower case, one character of the
text at a time, so that a place in the folded text is a place in the original: "Nguyen
Van An" and "NGUYỄN VĂN AN" both find "Nguyễn Văn An", and the hit points at the text as
written."""

import html
import io
import re
import unicodedata
import zipfile
from dataclasses import asdict, dataclass

MASK = "[…]"
SHORTEST = 4  # a folded identifier shorter than this finds too much ("An", "Hà")
CONTEXT_WORDS = 6  # words shown either side of a hit
# What an attachment's text may weigh when read for a scan (a cleaned .docx is at most
# 10 MB zipped; a PDF's pages beyond these are not read).
MAX_DOCUMENT_XML = 50 * 1024 * 1024
MAX_PDF_PAGES = 300


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


_TAG = re.compile(r"<[^>]*>")


def _plain(fragment: str, *, cut_head: bool, cut_tail: bool) -> str:
    """A piece of (maybe HTML) text as read: tags dropped, a tag cut at either edge too,
    entities decoded, white space collapsed."""
    if cut_head and ">" in fragment and ("<" not in fragment or fragment.index(">") < fragment.index("<")):
        fragment = fragment[fragment.index(">") + 1 :]
    if cut_tail and "<" in fragment and ">" not in fragment[fragment.rindex("<") :]:
        fragment = fragment[: fragment.rindex("<")]
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def context(text: str, start: int, end: int, words: int = CONTEXT_WORDS) -> tuple[str, str]:
    """The few words before and after text[start:end], as read (no tags), with "…" where
    the text goes on: what the organisers see around a hit."""
    window = words * 40
    before = _plain(text[max(0, start - window) : start], cut_head=True, cut_tail=True)
    after = _plain(text[end : end + window], cut_head=True, cut_tail=True)
    before_words, after_words = before.split(), after.split()
    head = " ".join(before_words[-words:])
    tail = " ".join(after_words[:words])
    if len(before_words) > words or (start > window and head):
        head = "…" + head
    if len(after_words) > words or (end + window < len(text) and tail):
        tail = tail + "…"
    if head and (text[start - 1 : start].isspace() or text[start - 1 : start] == ">"):
        head += " "
    if tail and (text[end : end + 1].isspace() or text[end : end + 1] == "<"):
        tail = " " + tail
    return head, tail


def attachment_text(data: bytes, kind: str) -> str:
    """The text of a cleaned attachment, for a scan: a .docx's words from its
    word/document.xml (paragraphs on lines of their own), a PDF's from pypdf; "" for a
    picture or a file that cannot be read."""
    try:
        if kind == "docx":
            return _docx_text(data)
        if kind == "pdf":
            return _pdf_text(data)
    except Exception:  # noqa: BLE001 - a damaged file names nobody; the scan goes on
        return ""
    return ""


def _docx_text(data: bytes) -> str:
    from defusedxml import ElementTree

    word = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("word/document.xml")
        if info.file_size > MAX_DOCUMENT_XML:
            return ""
        root = ElementTree.fromstring(archive.read(info))
    paragraphs = []
    for paragraph in root.iter(f"{word}p"):
        pieces = []
        for node in paragraph.iter():
            if node.tag == f"{word}t" and node.text:
                pieces.append(node.text)
            elif node.tag in (f"{word}tab", f"{word}br"):
                pieces.append(" ")
        if pieces:
            paragraphs.append("".join(pieces))
    return "\n".join(paragraphs)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = []
    for number, page in enumerate(reader.pages):
        if number >= MAX_PDF_PAGES:
            break
        pages.append(page.extract_text() or "")
    return "\n".join(pages)


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
