#!/usr/bin/env python
"""Prints the share of messages translated into Vietnamese, per catalogue.

Two parts:

* ours: every catalogue under locale/ (with --extract, the strings are first extracted
  afresh from the code, so a string added without a translation counts as missing);
* Wagtail's: for every installed Wagtail app and each of its catalogues (Python and
  template strings, JavaScript strings), the messages of its English source catalogue,
  and how many of them Vietnamese covers: by Wagtail's own translation alone, then
  together with our overlay in locale_wagtail/.

Exits non-zero when ours is below 100 %, when Wagtail's admin with the overlay is
below --min-wagtail (95 by default), or when a compiled .mo no longer matches its .po.

    python -m scripts.translation_coverage [--extract] [--min-wagtail 95]
"""

import argparse
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from scripts.check_translations import catalogue_report, check
from scripts.pofile import parse

ROOT = Path(__file__).resolve().parent.parent


LANGUAGE = "vi"
OVERLAY = ROOT / "locale_wagtail"


@dataclass
class Coverage:
    app: str
    domain: str
    total: int
    own: int
    with_overlay: int
    missing: list

    @property
    def share(self):
        return 100.0 * self.with_overlay / self.total if self.total else 100.0


def _keys(po_path, translated_only=True):
    if not po_path.exists():
        return set()
    return {
        (entry.msgctxt, entry.msgid)
        for entry in parse(po_path.read_text(encoding="utf-8"))
        if not entry.is_header
        and not entry.obsolete
        and (not translated_only or (entry.translated and not entry.fuzzy))
    }


def wagtail_apps():
    """(name, path) of the installed apps that are Wagtail's."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tayho_site.settings.dev")
    django.setup()
    from django.apps import apps

    return [
        (config.name, Path(config.path))
        for config in apps.get_app_configs()
        if config.name == "wagtail" or config.name.startswith("wagtail.")
    ]


def wagtail_coverage(overlay_dir=OVERLAY, language=LANGUAGE):
    rows = []
    for name, path in wagtail_apps():
        for source in sorted((path / "locale" / "en" / "LC_MESSAGES").glob("*.po")):
            domain = source.stem
            wanted = _keys(source, translated_only=False)
            if not wanted:
                continue
            own = _keys(path / "locale" / language / "LC_MESSAGES" / source.name)
            overlay = _keys(overlay_dir / language / "LC_MESSAGES" / source.name)
            covered = wanted & (own | overlay)
            rows.append(
                Coverage(
                    name,
                    domain,
                    len(wanted),
                    len(wanted & own),
                    len(covered),
                    sorted(msgid for _, msgid in wanted - covered),
                )
            )
    return rows


def overlay_problems(overlay_dir=OVERLAY, language=LANGUAGE):
    problems = []
    for po_path in sorted((overlay_dir / language / "LC_MESSAGES").glob("*.po")):
        report = catalogue_report(po_path)
        problems += [
            f"{po_path.name}: {label}: {msgid!r}" for label in ("fuzzy", "stale_mo") for msgid in report[label]
        ]
    return problems


def main(argv=None, out=sys.stdout):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--extract", action="store_true", help="extract our strings from the code first")
    parser.add_argument("--min-wagtail", type=float, default=95.0, help="lowest acceptable share for Wagtail")
    args = parser.parse_args(argv)

    ours = io.StringIO()
    our_problems = check(extract=args.extract, out=ours)
    print("Ours (locale/):", file=out)
    for line in ours.getvalue().splitlines():
        print("  " + line, file=out)

    rows = wagtail_coverage()
    print(f"\nWagtail's, in Vietnamese: Wagtail's own translation -> with our overlay ({OVERLAY.name}/):", file=out)
    for row in rows:
        print(
            f"  {row.app:28} {row.domain:9} {row.own:5}/{row.total:<5} -> {row.with_overlay:5}/{row.total:<5}"
            f" ({row.share:5.1f} %)",
            file=out,
        )
        for msgid in row.missing[:10]:
            print(f"      missing: {msgid!r}", file=out)
    total = sum(row.total for row in rows)
    own = sum(row.own for row in rows)
    covered = sum(row.with_overlay for row in rows)
    share = 100.0 * covered / total if total else 100.0
    print(f"  {'all Wagtail catalogues':38} {own:5}/{total:<5} -> {covered:5}/{total:<5} ({share:5.1f} %)", file=out)
    stale = overlay_problems()
    for problem in stale:
        print(f"  overlay: {problem}", file=out)

    failed = []
    if our_problems:
        failed.append("our catalogue is not complete (100 % is required)")
    if share < args.min_wagtail:
        failed.append(f"Wagtail's admin is {share:.1f} % Vietnamese, below {args.min_wagtail:g} %")
    if stale:
        failed.append("the overlay's .mo does not match its .po: run make messages")
    for reason in failed:
        print(f"FAILED: {reason}", file=out)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
