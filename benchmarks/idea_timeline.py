#!/usr/bin/env python
"""An idea's public page with a 20-step timeline: an idea referred, transferred,
accepted with a date by its unit and tracked to done (its public commitment with
milestones and progress reports). SQL queries and the median and 95th-percentile render
time. Budget: ≤ 15 queries.

Runs on the current database (SQLite by default; DATABASE_URL for PostgreSQL), after
`manage.py load_demo`; what it adds is in a transaction that is rolled back.

    .venv/bin/python -m benchmarks.idea_timeline [--reports 10] [--milestones 6] [--requests 20]
"""

import argparse
import datetime
import sys

from benchmarks.pages import measure

BUDGET = 15


def tracked_idea(reports, milestones):
    """A published idea of the demo referred to a unit, transferred once, accepted with a
    plan date 90 days on, with `milestones` milestones (the first one missed) and `reports`
    progress reports."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from emulation.models import Commitment, Milestone, MovementPage, ProgressReport, Unit
    from ideas.models import Idea
    from referrals.models import Referral, ReferralStep

    idea = Idea.objects.filter(status=Idea.Status.PUBLISHED, call__live=True).order_by("pk").first()
    movement = MovementPage.objects.live().first()
    units = list(Unit.objects.order_by("path")[1:3])
    author = get_user_model().objects.order_by("pk").first()
    if idea is None or movement is None or len(units) < 2 or author is None:
        sys.exit("No published idea, movement, units or user: run `manage.py load_demo` first.")
    today = timezone.localdate()
    Referral.objects.filter(subject_type=ContentType.objects.get_for_model(Idea), subject_id=str(idea.pk)).delete()
    commitment = Commitment.objects.create(
        movement=movement,
        year=today.year,
        unit=units[1],
        title=idea.title[:250],
        target="Sẽ làm trong quý tới",
        deadline=today + datetime.timedelta(days=90),
        supervisor=units[0],
        status=Commitment.Status.IN_PROGRESS,
        progress=5 * reports,
    )
    referral = Referral.objects.create(
        subject_type=ContentType.objects.get_for_model(Idea),
        subject_id=str(idea.pk),
        title=idea.title[:250],
        original_unit=units[0],
        unit=units[1],
        received_on=today - datetime.timedelta(days=30),
        working_days=10,
        due_on=today - datetime.timedelta(days=16),
        status=Referral.Status.ANSWERED,
        outcome=Referral.Outcome.ACCEPTED,
        answer="Sẽ làm trong quý tới",
        plan_date=commitment.deadline,
        answered_on=today - datetime.timedelta(days=20),
        transfers=1,
        commitment=commitment,
    )
    for kind, extra in (
        ("referred", {"to_unit": units[0]}),
        ("transferred", {"from_unit": units[0], "to_unit": units[1], "text": "Thuộc thẩm quyền"}),
        ("answered", {"from_unit": units[1], "text": referral.answer}),
    ):
        ReferralStep.objects.create(referral=referral, kind=kind, on=today, **extra)
    Milestone.objects.bulk_create(
        Milestone(commitment=commitment, title=f"Mốc {n + 1}", due_on=today + datetime.timedelta(days=10 * n - 1))
        for n in range(milestones)
    )
    ProgressReport.objects.bulk_create(
        ProgressReport(
            commitment=commitment,
            date=today - datetime.timedelta(days=reports - n),
            percent=5 * (n + 1),
            narrative=f"Báo cáo {n + 1}",
            author=author,
        )
        for n in range(reports)
    )
    return idea


def main():
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=10)
    parser.add_argument("--milestones", type=int, default=6)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    over = 0
    with transaction.atomic():
        idea = tracked_idea(args.reports, args.milestones)
        url = idea.get_absolute_url()
        steps = client.get(url).content.decode().count('class="timeline__step')
        print(f"database: {connection.vendor}; {steps}-step timeline (rolled back); {args.requests} requests")
        print(f"{'idea page':<22} {'status':>6} {'queries':>8} {'budget':>7} {'median ms':>10} {'p95 ms':>8}")
        status, queries, median, p95 = measure(client, url, args.requests)
        over += queries > BUDGET
        print(f"{'tracked to done':<22} {status:>6} {queries:>8} {BUDGET:>7} {median:>10.1f} {p95:>8.1f}")
        transaction.set_rollback(True)
    sys.exit(1 if over else 0)


if __name__ == "__main__":
    main()
