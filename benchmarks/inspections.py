#!/usr/bin/env python
"""The weekly inspection report at 500 conclusions of 5 remedies: SQL queries and the
median and 95th-percentile time of the staff page, its XLSX and its PDF (WeasyPrint).
Budget: ≤ 20 queries each.

Runs on the current database after `manage.py migrate` (no demo needed): it adds three
units, an organiser, one inspection and the conclusions in a transaction that is rolled
back.

    .venv/bin/python -m benchmarks.inspections [--conclusions 500] [--remedies 5] [--requests 10]
"""

import argparse
import datetime
import sys

from benchmarks.pages import measure

BUDGET = 20


def add_report_data(conclusions, per_conclusion):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from emulation.inspections.models import Conclusion, Inspection, Remedy
    from emulation.models import Person, Unit, UnitKind
    from referrals.models import Referral
    from tayho_site import roles

    today = timezone.localdate()
    kind = UnitKind.objects.create(name="Bench")
    root = Unit.add_root(name="Quận (bench)", kind=kind)
    units = [root.add_child(name=f"Phường {n} (bench)", kind=kind) for n in range(8)]
    user = get_user_model().objects.create_user("bench-organiser", is_superuser=True)
    user.groups.add(Group.objects.get_or_create(name=roles.ORGANISERS)[0])
    Person.objects.create(full_name="Bench", unit=root, user=user)
    inspection = Inspection.objects.create(
        title="Bench", kind="surprise", subject="hours", starts_on=today, ends_on=today, created_by=user
    )
    made = Conclusion.objects.bulk_create(
        Conclusion(inspection=inspection, number=f"{n}/KL", signed_on=today, signer="Chủ tịch")
        for n in range(conclusions)
    )
    content_type = ContentType.objects.get_for_model(Remedy)
    rows = []
    for c, conclusion in enumerate(made):
        for r in range(per_conclusion):
            unit = units[(c + r) % len(units)]
            answered = today - datetime.timedelta(days=1) if r % 2 else None
            rows.append(
                (
                    conclusion,
                    unit,
                    Referral(
                        subject_type=content_type,
                        subject_id="0",
                        title=f"Khắc phục {c}.{r}",
                        original_unit=unit,
                        unit=unit,
                        received_on=today - datetime.timedelta(days=30),
                        working_days=10,
                        due_on=today + datetime.timedelta(days=(c * per_conclusion + r) % 40 - 20),
                        status=Referral.Status.ANSWERED if answered else Referral.Status.OPEN,
                        answered_on=answered,
                    ),
                )
            )
    Referral.objects.bulk_create([referral for _c, _u, referral in rows])
    Remedy.objects.bulk_create(
        Remedy(conclusion=c, unit=u, text=f"Khắc phục {r.title}", referral=r) for c, u, r in rows
    )
    return user


def main():
    from django.conf import settings
    from django.db import connection, transaction
    from django.urls import reverse

    from tests.support.clients import StaffClient

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conclusions", type=int, default=500)
    parser.add_argument("--remedies", type=int, default=5)
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    base = reverse("inspections:weekly")
    urls = {"page": base, "XLSX": f"{base}?format=xlsx", "PDF": f"{base}?format=pdf"}
    print(
        f"database: {connection.vendor}; {args.conclusions} conclusions × {args.remedies} remedies (rolled back); "
        f"{args.requests} requests each"
    )
    print(f"{'weekly report':<14} {'status':>6} {'queries':>8} {'budget':>7} {'median ms':>10} {'p95 ms':>8}")
    over = 0
    with transaction.atomic():
        user = add_report_data(args.conclusions, args.remedies)
        client = StaffClient()  # signed in with the second step passed, as staff are
        client.force_login(user)
        for name, url in urls.items():
            status, queries, median, p95 = measure(client, url, args.requests)
            over += queries > BUDGET or status != 200
            print(f"{name:<14} {status:>6} {queries:>8} {BUDGET:>7} {median:>10.1f} {p95:>8.1f}")
        transaction.set_rollback(True)
    sys.exit(1 if over else 0)


if __name__ == "__main__":
    main()
