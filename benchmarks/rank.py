#!/usr/bin/env python
"""Time of the judging engine's two computations on a contest-sized round:
assigning N items to a panel, and ranking N items × J judges × C criteria by each
method. Pure computation on generated data (the engine takes plain rows, as one query
would deliver them); prints seconds per step.

    .venv/bin/python benchmarks/rank.py [--items 10000] [--judges 3] [--panel 12] [--criteria 5]
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from contest.judging.assign import assign  # noqa: E402
from contest.judging.rank import Criterion, Review, rank  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--judges", type=int, default=3, help="judges per item")
    parser.add_argument("--panel", type=int, default=12, help="judges on the panel")
    parser.add_argument("--criteria", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    rubric = [Criterion(f"c{n}", 10, rng.choice([1, 1, 2])) for n in range(args.criteria)]
    panel = [f"judge-{n}" for n in range(args.panel)]
    conflicts = {(rng.choice(panel), rng.randrange(args.items)) for _ in range(args.items // 50)}

    started = time.perf_counter()
    assignment = assign(range(args.items), panel, args.judges, seed=args.seed, conflicts=conflicts)
    assign_seconds = time.perf_counter() - started
    loads = assignment.loads().values()
    print(f"assign {args.items} items × {args.judges} judges over a panel of {args.panel} "
          f"({len(conflicts)} conflicts): {assign_seconds:.3f} s; loads {min(loads)}–{max(loads)}")

    severity = {judge: rng.uniform(-2, 2) for judge in panel}
    reviews = [
        Review(item, judge, {c.name: min(10, max(0, round(rng.gauss(6, 2) + severity[judge]))) for c in rubric})
        for item, judges in assignment.judges_of.items() for judge in judges
    ]
    print(f"{len(reviews)} reviews, {len(reviews) * len(rubric)} scores")
    for method in ("mean", "trimmed", "zscore"):
        started = time.perf_counter()
        ranking = rank(reviews, rubric, method, tie_breakers=[("criterion", "c0"), ("reviews",)])
        seconds = time.perf_counter() - started
        flagged = sum(r.disagreement for r in ranking)
        print(f"rank by {method:<8} {seconds:.3f} s  (top: item {ranking[0].item}, "
              f"{flagged} items flagged for disagreement)")


if __name__ == "__main__":
    main()
