#!/usr/bin/env python
"""Prints how complete our translation catalogues are and fails when one is not.

For each locale/<lang>/LC_MESSAGES/*.po: the share of messages translated, the fuzzy
ones, and whether the compiled .mo matches the .po. With --extract (needs GNU gettext's
xgettext), the strings are first extracted afresh from the code and templates in a
scratch copy, so a string added without a translation is caught too.

    python -m scripts.check_translations [--extract]
"""

import argparse
import gettext
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts.pofile import parse

ROOT = Path(__file__).resolve().parent.parent


SOURCE_DIRS = ["tayho_site", "contest", "ideas", "emulation", "referrals", "templates", "locale"]
LANGUAGES = ["vi"]


def catalogue_report(po_path: Path):
    entries = [e for e in parse(po_path.read_text(encoding="utf-8")) if not e.is_header]
    untranslated = [e.msgid for e in entries if not e.translated]
    fuzzy = [e.msgid for e in entries if e.fuzzy]
    stale = []
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        stale.append("(no .mo file: run make messages)")
    else:
        with mo_path.open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        for entry in entries:
            if not entry.translated or entry.fuzzy:
                continue
            key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
            if entry.msgid_plural is None:
                got = compiled._catalog.get(key)
                expected = entry.msgstr[0]
            else:
                got = compiled._catalog.get((key, 0))
                expected = entry.msgstr[0]
            if got != expected:
                stale.append(entry.msgid)
    return {"total": len(entries), "untranslated": untranslated, "fuzzy": fuzzy, "stale_mo": stale}


def extract_into(scratch: Path):
    """Copy the sources and run makemessages there; returns the scratch locale dir."""
    for name in SOURCE_DIRS + ["manage.py"]:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, scratch / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif source.exists():
            shutil.copy2(source, scratch / name)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tayho_site.settings.dev", "PYTHONPATH": str(scratch)}
    for language in LANGUAGES:
        subprocess.run(
            # Wagtail's own templates we override keep Wagtail's messages: the overlay
            # (locale_wagtail/) translates those.
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "--locale",
                language,
                "--no-obsolete",
                "--verbosity",
                "0",
                "--ignore",
                "templates/wagtailadmin/*",
            ],
            cwd=scratch,
            env=env,
            check=True,
        )
    return scratch / "locale"


def check(extract: bool = False, out=sys.stdout):
    problems = 0
    with tempfile.TemporaryDirectory() as tmp:
        locale_dir = ROOT / "locale"
        if extract:
            if not shutil.which("xgettext"):
                raise SystemExit("--extract needs GNU gettext (Debian: apt-get install gettext)")
            locale_dir = extract_into(Path(tmp))
        for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
            report = catalogue_report(po_path)
            if extract:  # the freshly extracted copy has no .mo; check the committed one
                committed = ROOT / po_path.relative_to(locale_dir.parent)
                report["stale_mo"] = catalogue_report(committed)["stale_mo"] if committed.exists() else []
            done = report["total"] - len(report["untranslated"])
            share = 100.0 * done / report["total"] if report["total"] else 100.0
            name = po_path.relative_to(locale_dir)
            print(
                f"{name}: {done}/{report['total']} translated ({share:.1f} %), "
                f"{len(report['fuzzy'])} fuzzy, .mo {'stale' if report['stale_mo'] else 'current'}",
                file=out,
            )
            for label in ("untranslated", "fuzzy", "stale_mo"):
                for msgid in report[label][:20]:
                    print(f"    {label}: {msgid!r}", file=out)
            problems += len(report["untranslated"]) + len(report["fuzzy"]) + len(report["stale_mo"])
    return problems


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--extract", action="store_true", help="extract strings from the code first")
    args = parser.parse_args()
    sys.exit(1 if check(extract=args.extract) else 0)
