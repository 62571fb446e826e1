#!/usr/bin/env python
"""The public accountability page of the units at 10,000 referrals: SQL queries and the
median and 95th-percentile render time, for all time, a year, a quarter and a month,
filtered by level, and as CSV and XLSX downloads. Budget: ≤ 15 queries by period.

Runs on the current database (SQLite by default; DATABASE_URL for PostgreSQL), after
`manage.py load_demo`; the referrals are added in a transaction that is rolled back.

    .venv/bin/python -m benchmarks.accountability [--referrals 10000] [--requests 20]
"""

import argparse
import datetime
import sys

from benchmarks.pages import measure

BUDGET = 15


def add_referrals(count):
    """`count` referrals over the last year between the demo's units: a third
    transferred, one in thirty passed around, half answered, a tenth of the answers
    judged by the resident."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from emulation.models import Unit
    from ideas.models import Idea
    from referrals.models import Referral, ReferralStep, Verdict

    units = list(Unit.objects.order_by("path")[:6])
    if len(units) < 2:
        sys.exit("Fewer than two units: run `manage.py load_demo` first.")
    idea_type = ContentType.objects.get_for_model(Idea)
    today = timezone.localdate()
    for start in range(0, count, 2000):
        numbers = range(start, min(count, start + 2000))
        referrals = Referral.objects.bulk_create(
            Referral(
                subject_type=idea_type,
                subject_id=str(900000 + n),
                title=f"Ý tưởng thử {n}",
                original_unit=units[n % len(units)],
                unit=units[n % len(units)],
                received_on=today - datetime.timedelta(days=n % 360),
                working_days=10,
                due_on=today - datetime.timedelta(days=n % 360 - 14),
                status=Referral.Status.ANSWERED if n % 2 else Referral.Status.OPEN,
                outcome=Referral.Outcome.DONE if n % 2 else "",
                answered_on=today - datetime.timedelta(days=n % 360 - n % 20) if n % 2 else None,
                transfers=1 if n % 3 == 0 else 0,
                passed_around_on=today - datetime.timedelta(days=n % 360) if n % 30 == 0 else None,
            )
            for n in numbers
        )
        steps = []
        for n, referral in zip(numbers, referrals, strict=True):
            steps.append(
                ReferralStep(referral=referral, kind="referred", on=referral.received_on, to_unit=referral.unit)
            )
            if n % 3 == 0:
                steps.append(
                    ReferralStep(
                        referral=referral,
                        kind="transferred",
                        on=referral.received_on,
                        from_unit=units[(n + 1) % len(units)],
                        to_unit=referral.unit,
                    )
                )
            if n % 2:
                steps.append(
                    ReferralStep(referral=referral, kind="answered", on=referral.answered_on, from_unit=referral.unit)
                )
        ReferralStep.objects.bulk_create(steps)
        answers = [step for step in steps if step.kind == "answered"][::10]
        Verdict.objects.bulk_create(
            Verdict(referral=s.referral, answer=s, unit_id=s.from_unit_id, resolved=bool(s.pk % 3), given_on=s.on)
            for s in answers
        )


def main():
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from ideas.models import IdeaIndexPage

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--referrals", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    index = IdeaIndexPage.objects.live().first()
    if index is None:
        sys.exit("No ideas index: run `manage.py load_demo` (or `make run`) first.")
    today = timezone.localdate()
    base = index.url + "trach-nhiem/"
    urls = {
        "all time": base,
        "year": f"{base}?ky={today.year}",
        "quarter": f"{base}?ky={today.year}-q{(today.month - 1) // 3 + 1}",
        "month": f"{base}?ky={today:%Y-%m}",
        "year, level 2": f"{base}?ky={today.year}&cap=2",
        "year as CSV": f"{base}?ky={today.year}&tai=csv",
        "year as XLSX": f"{base}?ky={today.year}&tai=xlsx",
    }
    client = Client()
    print(f"database: {connection.vendor}; {args.referrals} referrals (rolled back); {args.requests} requests each")
    print(f"{'accountability page':<22} {'status':>6} {'queries':>8} {'budget':>7} {'median ms':>10} {'p95 ms':>8}")
    over = 0
    with transaction.atomic():
        add_referrals(args.referrals)
        for name, url in urls.items():
            status, queries, median, p95 = measure(client, url, args.requests)
            over += queries > BUDGET
            print(f"{name:<22} {status:>6} {queries:>8} {BUDGET:>7} {median:>10.1f} {p95:>8.1f}")
        transaction.set_rollback(True)
    sys.exit(1 if over else 0)


if __name__ == "__main__":
    main()
