"""The staff guide: the Markdown files of docs/guide/, rendered into the site.

They stay plain files, readable in the repository too; their pictures
(docs/guide/img/) are taken by the browser tests (tests/e2e/test_staff_vietnamese.py)
and served as static files under guide/.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import markdown
from django.conf import settings
from django.http import Http404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.text import slugify
from markdown.extensions.toc import TocExtension

from .sanitize import clean_document_html
from .text import fold

GUIDE_DIR = settings.BASE_DIR / "docs" / "guide"
# The order of the table of contents; the index (README.md) comes first.
SECTIONS = ["to-chuc-cuoc-thi", "cham-bai", "tra-loi-chuyen-xu-ly", "giam-sat", "de-nghi-khen-thuong"]
INDEX = "README"

_IMAGE = re.compile(r'src="img/([\w-]+\.png)"')
_LINK = re.compile(r'href="(README|[\w-]+)\.md(#[\w-]+)?"')


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    html: str


def _anchor(value, separator):
    """Heading anchors without diacritics: "Đăng nhập" → "dang-nhap"."""
    return slugify(fold(value)).replace("-", separator)


def _url(slug):
    return reverse("staff_guide") if slug == INDEX else reverse("staff_guide_section", args=[slug])


def render(text: str) -> tuple[str, str]:
    """(title, HTML) of one guide file: its first heading is the title; pictures point
    to the static files, links to other guide files to their pages."""
    title_match = re.match(r"\s*#\s+(.+)\n", text)
    title = title_match.group(1).strip() if title_match else ""
    body = text[title_match.end() :] if title_match else text
    html = markdown.markdown(body, extensions=["tables", TocExtension(slugify=_anchor)], output_format="html")
    html = _IMAGE.sub(lambda m: f'src="{static("guide/" + m.group(1))}" loading="lazy"', html)
    html = _LINK.sub(lambda m: f'href="{_url(m.group(1))}{m.group(2) or ""}"', html)
    return title, clean_document_html(html)


@lru_cache(maxsize=16)
def _load(slug: str, mtime: float) -> Section:
    title, html = render((GUIDE_DIR / f"{slug}.md").read_text(encoding="utf-8"))
    return Section(slug=slug, title=title, html=html)


def section(slug: str) -> Section:
    if slug != INDEX and slug not in SECTIONS:
        raise Http404
    path = GUIDE_DIR / f"{slug}.md"
    if not path.exists():
        raise Http404
    return _load(slug, path.stat().st_mtime)


def contents() -> list[tuple[str, str]]:
    """(title, URL) of every section, in order."""
    return [(section(slug).title, _url(slug)) for slug in SECTIONS]


def pictures_referenced() -> set[str]:
    """The picture names the guide's files use."""
    names = set()
    for slug in [INDEX, *SECTIONS]:
        names |= set(re.findall(r"\]\(img/([\w-]+)\.png\)", (GUIDE_DIR / f"{slug}.md").read_text(encoding="utf-8")))
    return names
