"""Finds interface text still in English on a page the browser shows.

The English originals are the message ids of the catalogues the staff side uses: the
installed Wagtail apps' (their English source catalogues, Python and JavaScript) and
ours. A visible text, a placeholder, a label for assistive technology, a button's value,
a picture's alt text or the page title that is one of those originals (placeholders
such as %(count)s matching anything) is a string left in English, unless a catalogue
deliberately translates it as itself ("URL"). A short list of common English
interface words catches text that is in no catalogue at all.
"""

import re
from functools import lru_cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.utils import translation

from scripts.pofile import parse

# Everything the person can see or hear: text of rendered elements (visually hidden
# text for screen readers included), placeholders, aria-labels, titles, options.
VISIBLE_TEXT_JS = """() => {
  const out = [];
  const skip = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'CODE', 'PRE', 'TEXTAREA']);
  const shown = (el) => el && (el.checkVisibility ? el.checkVisibility() : el.getClientRects().length > 0);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || skip.has(parent.tagName) || parent.closest('[contenteditable="true"], [data-english-ok]')) continue;
    if (parent.tagName !== 'OPTION' && !shown(parent)) continue;
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (text) out.push(text);
  }
  const labelled = '[placeholder], [aria-label], [title], img[alt], input[type=submit], input[type=button]';
  for (const el of document.querySelectorAll(labelled)) {
    if (!shown(el)) continue;
    for (const name of ['placeholder', 'aria-label', 'title', 'alt', 'value']) {
      const value = (el.getAttribute(name) || '').replace(/\\s+/g, ' ').trim();
      if (value) out.push(value);
    }
  }
  out.push(document.title);
  return out;
}"""

ENGLISH_WORDS = re.compile(
    r"\b(the|and|your|you|this|these|with|from|please|are|is|was|has|have|will|cannot|"
    r"edit|delete|save|add|search|page|pages|settings|cancel|publish|published|draft|status|actions|"
    r"filter|sort|show|hide|previous|title|select|choose|upload|help|account|dashboard|reports|images|"
    r"documents|snippets|users|groups|sites|workflows|redirects|collections|view|created|updated|"
    r"yes|more|less|close|open|clear|apply|download|export|submit|sign|log)\b",
    re.IGNORECASE,
)
PYTHON_WORDS = re.compile(r"^(None|True|False)$")  # a value printed as Python would
ALLOWED = re.compile(r"^(Wagtail|Tây Hồ|Khát vọng Tây Hồ|Email|URL|ID|OK|Excel|CSV|XLSX|PDF)$")
_PLACEHOLDER = re.compile(r"%\([A-Za-z0-9_]+\)[sdif]|%[sdif]|\{[A-Za-z0-9_]*\}")


def _catalogues():
    for config in apps.get_app_configs():
        if config.name == "wagtail" or config.name.startswith("wagtail."):
            yield from (Path(config.path) / "locale" / "en" / "LC_MESSAGES").glob("*.po")
    yield from (Path(path) / "vi" / "LC_MESSAGES" / "django.po" for path in settings.LOCALE_PATHS[:1])


def _normal(text):
    return re.sub(r"\s+", " ", text).strip()


def _same_in_both():
    """Messages whose Vietnamese is deliberately the English itself ("URL", "Wagtail"):
    translated in one of our catalogues with the original text."""
    same = set()
    for locale_path in settings.LOCALE_PATHS:
        for po_path in (Path(locale_path) / "vi" / "LC_MESSAGES").glob("*.po"):
            same |= {
                (entry.msgctxt, entry.msgid)
                for entry in parse(po_path.read_text(encoding="utf-8"))
                if not entry.is_header and entry.translated and entry.msgstr[0] == entry.msgid
            }
    return same


def _translator(domain):
    if domain == "djangojs":
        from django.utils.translation.trans_real import DjangoTranslation

        catalogue = DjangoTranslation("vi", domain="djangojs")
        return lambda context, msgid: catalogue.pgettext(context, msgid) if context else catalogue.gettext(msgid)
    return lambda context, msgid: translation.pgettext(context, msgid) if context else translation.gettext(msgid)


@lru_cache(maxsize=1)
def english_originals():
    """(exact strings, one regex for the originals with placeholders). A message counts
    unless its Vietnamese is deliberately the same text; an untranslated one counts too."""
    exact, patterns = set(), []
    same = _same_in_both()
    with translation.override("vi"):
        for po_path in _catalogues():
            translate = _translator(po_path.stem)
            for entry in parse(po_path.read_text(encoding="utf-8")):
                if entry.is_header or not re.search(r"[A-Za-z]{2}", entry.msgid):
                    continue
                vietnamese = translate(entry.msgctxt, entry.msgid)
                if _normal(vietnamese) == _normal(entry.msgid) and (entry.msgctxt, entry.msgid) in same:
                    continue
                for original in filter(None, (entry.msgid, entry.msgid_plural)):
                    # Markup is not visible text: compare the text between tags.
                    for piece in re.split(r"<[^>]+>", original):
                        piece = _normal(piece)
                        if len(re.findall(r"[A-Za-z]", _PLACEHOLDER.sub("", piece))) < 3:
                            continue
                        if _PLACEHOLDER.search(piece):
                            parts = _PLACEHOLDER.split(piece)
                            if sum(len(part.strip(" .:,")) for part in parts) >= 4:
                                patterns.append(".+?".join(re.escape(part) for part in parts))
                        else:
                            exact.add(piece)
    return exact, re.compile("^(?:" + "|".join(sorted(set(patterns))) + ")$")


def english_on(page):
    """The texts on `page` that are still English, each once, in page order."""
    exact, pattern = english_originals()
    found = []
    for text in page.evaluate(VISIBLE_TEXT_JS):
        if ALLOWED.match(text) or text in found:
            continue
        if text in exact or pattern.match(text) or ENGLISH_WORDS.search(text) or PYTHON_WORDS.match(text):
            found.append(text)
    return found


WHERE_JS = """(text) => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.replace(/\\s+/g, ' ').trim() === text);
    const attr = ['placeholder', 'aria-label', 'title', 'alt', 'value'].some(a => el.getAttribute(a) === text);
    if (own || attr) out.push(el.outerHTML.slice(0, 200));
  }
  return out.slice(0, 2);
}"""


def where_on(page, text):
    """Where `text` is on the page (the start of its elements' HTML), for failure reports."""
    places = page.evaluate(WHERE_JS, text)
    if not places and page.title() == text:
        places = ["<title>"]
    return places or ["?"]
