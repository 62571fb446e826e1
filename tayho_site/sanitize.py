"""The one HTML sanitiser of the platform. Every piece of HTML that comes from outside
(entries, ideas, remarks, achievements) goes through here before it is stored.

bleach keeps the text inside a tag it removes, so tags whose content is code
(script, style…) are dropped with their content first.
"""

import re

import bleach

# A small rich-text vocabulary: what the entry form's editor produces.
ALLOWED_TAGS = frozenset({"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "blockquote", "a"})
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

_DANGEROUS_BLOCKS = re.compile(
    r"<(script|style|iframe|object|embed|template|noscript|textarea|svg|math)\b[^>]*>.*?</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)

_BLOCK_BOUNDARY = re.compile(r"</?(p|br|li|ul|ol|blockquote|div|h[1-6]|tr|td|th)\b[^>]*>", re.IGNORECASE)

# Headings and divisions from pasted text become paragraphs rather than run-on words.
_TO_PARAGRAPH_OPEN = re.compile(r"<(h[1-6]|div|section|article)\b[^>]*>", re.IGNORECASE)
_TO_PARAGRAPH_CLOSE = re.compile(r"</(h[1-6]|div|section|article)\s*>", re.IGNORECASE)

_cleaner = bleach.sanitizer.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def _add_rel(attrs, new=False):
    attrs[(None, "rel")] = "nofollow noopener noreferrer"
    return attrs


_linker = bleach.linkifier.Linker(callbacks=[_add_rel], skip_tags={"pre", "code"}, parse_email=False)


_BOLD = re.compile(r"<(/?)b\b[^>]*>", re.IGNORECASE)
_ITALIC = re.compile(r"<(/?)i\b[^>]*>", re.IGNORECASE)
_STARTS_WITH_BLOCK = re.compile(r"^\s*<(p|ul|ol|blockquote)\b", re.IGNORECASE)
_HAS_BLOCK = re.compile(r"<(p|ul|ol|blockquote)\b", re.IGNORECASE)


def clean_html(html: str) -> str:
    """Rich text from a visitor, reduced to the allowed tags; links get rel=nofollow.

    Editors differ (<b> or <strong>, text with or without a paragraph); the result is
    one form: <strong>/<em>, and text that is not in a block is put in a paragraph."""
    if not html:
        return ""
    without_code = _DANGEROUS_BLOCKS.sub("", html)
    without_code = _TO_PARAGRAPH_CLOSE.sub("</p>", _TO_PARAGRAPH_OPEN.sub("<p>", without_code))
    cleaned = _linker.linkify(_cleaner.clean(without_code)).strip()
    cleaned = _ITALIC.sub(r"<\1em>", _BOLD.sub(r"<\1strong>", cleaned))
    if cleaned and not _STARTS_WITH_BLOCK.match(cleaned) and not _HAS_BLOCK.search(cleaned):
        cleaned = f"<p>{cleaned}</p>"
    return cleaned


def strip_html(html: str) -> str:
    """Plain text from HTML: every tag removed, entities kept as text."""
    if not html:
        return ""
    # Block boundaries become spaces so that "<p>một</p><p>hai</p>" stays two words.
    spaced = _BLOCK_BOUNDARY.sub(" ", _DANGEROUS_BLOCKS.sub("", html))
    text = bleach.clean(spaced, tags=set(), strip=True, strip_comments=True)
    # bleach escapes &, < and > in the text it returns.
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return re.sub(r"\s+", " ", text).strip()


# Documents written by the team (the staff guide): a wider vocabulary, still no script.
DOCUMENT_TAGS = ALLOWED_TAGS | {
    "h1",
    "h2",
    "h3",
    "h4",
    "img",
    "figure",
    "figcaption",
    "code",
    "pre",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "kbd",
}
DOCUMENT_ATTRIBUTES = {
    "a": ["href", "title"],
    "img": ["src", "alt", "width", "height", "loading"],
    "h2": ["id"],
    "h3": ["id"],
    "th": ["scope"],
}

_document_cleaner = bleach.sanitizer.Cleaner(
    tags=DOCUMENT_TAGS,
    attributes=DOCUMENT_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def clean_document_html(html: str) -> str:
    """HTML rendered from the project's own documents, reduced to a documentation vocabulary."""
    return _document_cleaner.clean(_DANGEROUS_BLOCKS.sub("", html or "")).strip()
