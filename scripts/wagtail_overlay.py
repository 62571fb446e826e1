#!/usr/bin/env python
"""Keeps locale_wagtail/, our Vietnamese overlay for the Wagtail admin, in step with Wagtail.

Wagtail ships Vietnamese for only a part of its admin. The overlay (on LOCALE_PATHS,
after our own locale/) holds a translation of every message of the installed Wagtail
apps, following docs/glossary.md; where both exist, the overlay's wins over Wagtail's
own, so one glossary holds across the admin.

After upgrading Wagtail, run `make messages` (which runs this): messages Wagtail added
appear in the overlay with an empty translation for a translator to fill in, messages
it dropped are removed, and the translations kept are compiled. Then
`make translations` shows what is left.
"""

from pathlib import Path

from scripts.pofile import Entry, parse, write
from scripts.translation_coverage import OVERLAY, wagtail_apps

ROOT = Path(__file__).resolve().parent.parent


HEADER = (
    "Project-Id-Version: Tay Ho site, Wagtail admin overlay\n"
    "Language: {language}\n"
    "Language-Team: Vietnamese\n"
    "Last-Translator: Tay Ho site team\n"
    "PO-Revision-Date: 2026-11-30 00:00+0700\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\n"
    "Plural-Forms: nplurals=1; plural=0;\n"
)


def wagtail_messages(domain):
    """The messages of the installed Wagtail apps' English catalogues for one domain, in order."""
    found = {}
    for name, path in wagtail_apps():
        source = path / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
        if not source.exists():
            continue
        for entry in parse(source.read_text(encoding="utf-8")):
            if entry.is_header or entry.obsolete:
                continue
            key = (entry.msgctxt, entry.msgid)
            if key in found:
                found[key].comments.append(f"#. {name}")
                continue
            flags = {flag for flag in entry.flags if flag.endswith("-format")}
            found[key] = Entry(
                msgid=entry.msgid,
                msgid_plural=entry.msgid_plural,
                msgctxt=entry.msgctxt,
                flags=flags,
                comments=[f"#. {name}"],
            )
    return found


def refresh(language="vi", translations=None, overlay=OVERLAY):
    """Rewrites the overlay's catalogues; `translations` maps (domain, msgctxt, msgid) to new text."""
    translations = translations or {}
    counts = {}
    for domain in ("django", "djangojs"):
        po_path = overlay / language / "LC_MESSAGES" / f"{domain}.po"
        kept = {}
        if po_path.exists():
            kept = {(e.msgctxt, e.msgid): e for e in parse(po_path.read_text(encoding="utf-8")) if not e.is_header}
        entries = []
        for key, entry in wagtail_messages(domain).items():
            old = kept.get(key)
            if old is not None and old.translated and "fuzzy" not in old.flags:
                entry.msgstr = dict(old.msgstr)
            new = translations.get((domain, *key))
            if new is not None:
                entry.msgstr = {0: new}
            if not entry.msgstr:
                entry.msgstr = {0: ""}
            entries.append(entry)
        po_path.parent.mkdir(parents=True, exist_ok=True)
        po_path.write_text(write(HEADER.format(language=language), entries), encoding="utf-8")
        counts[domain] = (sum(entry.translated for entry in entries), len(entries))
    return counts


if __name__ == "__main__":
    for domain, (done, total) in refresh().items():
        print(f"{OVERLAY.name}/vi/LC_MESSAGES/{domain}.po: {done}/{total} translated")
