#!/usr/bin/env python
"""Time of the judging engine's two computations on a contest-sized round:
assigning N items to a panel, and ranking N items × J judges × C criteria by each
method; prints seconds per step.

Pure computation on generated rows by default. With --database, the round is stored
(in a transaction that is rolled back) and ranked from the database as the site does
it: one query for all reviews; the query count and time are printed. Use it on SQLite
and on PostgreSQL (DATABASE_URL).

    .venv/bin/python benchmarks/rank.py [--items 10000] [--judges 3] [--panel 12] [--criteria 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tayho_bench .venv/bin/python benchmarks/rank.py --database
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main():
    from contest.judging.assign import assign
    from contest.judging.rank import Criterion, Review, rank

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--judges", type=int, default=3, help="judges per item")
    parser.add_argument("--panel", type=int, default=12, help="judges on the panel")
    parser.add_argument("--criteria", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database", action="store_true", help="store the round and rank from the database")
    args = parser.parse_args()
    if args.database:
        return rank_from_database(args)

    rng = random.Random(args.seed)
    rubric = [Criterion(f"c{n}", 10, rng.choice([1, 1, 2])) for n in range(args.criteria)]
    panel = [f"judge-{n}" for n in range(args.panel)]
    conflicts = {(rng.choice(panel), rng.randrange(args.items)) for _ in range(args.items // 50)}

    started = time.perf_counter()
    assignment = assign(range(args.items), panel, args.judges, seed=args.seed, conflicts=conflicts)
    assign_seconds = time.perf_counter() - started
    loads = assignment.loads().values()
    print(
        f"assign {args.items} items × {args.judges} judges over a panel of {args.panel} "
        f"({len(conflicts)} conflicts): {assign_seconds:.3f} s; loads {min(loads)}–{max(loads)}"
    )

    severity = {judge: rng.uniform(-2, 2) for judge in panel}
    reviews = [
        Review(item, judge, {c.name: min(10, max(0, round(rng.gauss(6, 2) + severity[judge]))) for c in rubric})
        for item, judges in assignment.judges_of.items()
        for judge in judges
    ]
    print(f"{len(reviews)} reviews, {len(reviews) * len(rubric)} scores")
    for method in ("mean", "trimmed", "zscore"):
        started = time.perf_counter()
        ranking = rank(reviews, rubric, method, tie_breakers=[("criterion", "c0"), ("reviews",)])
        seconds = time.perf_counter() - started
        flagged = sum(r.disagreement for r in ranking)
        print(
            f"rank by {method:<8} {seconds:.3f} s  (top: item {ranking[0].item}, "
            f"{flagged} items flagged for disagreement)"
        )


def rank_from_database(args):
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tayho_site.settings.dev")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from contest.judging import queries as judging_queries
    from contest.judging.assign import assign
    from contest.judging.models import Assignment, Criterion, Item, Review, Round
    from tayho_site.models import Ward

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(args.seed)
    with transaction.atomic():
        User = get_user_model()
        panel = User.objects.bulk_create([User(username=f"bench-judge-{n}-{args.seed}") for n in range(args.panel)])
        call = Ward.objects.create(name=f"bench-{args.seed}-{time.time()}")  # any record can stand for the call's items
        from wagtail.models import Page

        round_ = Round.objects.create(
            call=Page.objects.first(),
            name="bench",
            judges_per_item=args.judges,
            scoring_opens_at=timezone.now(),
            scoring_closes_at=timezone.now(),
            status=Round.Status.SCORING,
            seed=args.seed,
        )
        criteria = Criterion.objects.bulk_create(
            [
                Criterion(round=round_, name=f"c{n}", max_points=10, weight=rng.choice([1, 2]), sort_order=n)
                for n in range(args.criteria)
            ]
        )
        content_type = ContentType.objects.get_for_model(call)
        items = Item.objects.bulk_create(
            [Item(round=round_, content_type=content_type, object_id=n, code=f"B-{n:05d}") for n in range(args.items)]
        )
        started = time.perf_counter()
        result = assign([item.pk for item in items], [j.pk for j in panel], args.judges, seed=args.seed)
        assignments = Assignment.objects.bulk_create(
            [Assignment(item_id=i, judge_id=j) for i, j in result.added], batch_size=5000
        )
        print(f"assign and store {len(assignments)} assignments: {time.perf_counter() - started:.2f} s")
        Review.objects.bulk_create(
            [
                Review(
                    assignment=a,
                    status=Review.Status.SUBMITTED,
                    points={str(c.pk): rng.randint(0, 10) for c in criteria},
                )
                for a in assignments
            ],
            batch_size=5000,
        )
        if connection.vendor == "postgresql":
            # Fresh rows inside one transaction have no planner statistics yet; autovacuum
            # would gather them on a live database.
            with connection.cursor() as cursor:
                for model in (Item, Assignment, Review):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")
        for method in ("mean", "trimmed", "zscore"):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                ranking = judging_queries.compute_ranking(round_, method)
            query_count = len(queries.captured_queries)
            print(
                f"{connection.vendor}: rank {len(ranking)} items by {method:<8} "
                f"{time.perf_counter() - started:.3f} s, {query_count} queries"
            )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
