#!/usr/bin/env python
"""Time of the certainty of ranks (a bootstrap over judges) and of the agreement figure
(Krippendorff's alpha) on a contest-sized round: N items × J judges × C criteria, with
cut-offs at the prizes and the shortlist; prints seconds per method.

    .venv/bin/python -m benchmarks.certainty [--items 10000] [--judges 3] [--resamples 200]
"""

import argparse
import random
import time


def main():
    from contest.judging.certainty import agreement, certainty
    from contest.judging.rank import Criterion, Review

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--judges", type=int, default=3, help="judges per item")
    parser.add_argument("--panel", type=int, default=12)
    parser.add_argument("--criteria", type=int, default=5)
    parser.add_argument("--resamples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    rubric = [Criterion(f"c{n}", 10, rng.choice([1, 1, 2])) for n in range(args.criteria)]
    panel = [f"judge-{n}" for n in range(args.panel)]
    severity = {judge: rng.uniform(-1.5, 1.5) for judge in panel}
    reviews = []
    for item in range(args.items):
        quality = rng.gauss(6, 1.5)
        for judge in rng.sample(panel, args.judges):
            points = {c.name: min(10, max(0, round(rng.gauss(quality, 1.5) + severity[judge]))) for c in rubric}
            reviews.append(Review(item, judge, points))
    cutoffs = [1, 3, 10, 30, 100]
    print(f"{args.items} items × {args.judges} judges × {args.criteria} criteria; cut-offs {cutoffs}")
    started = time.perf_counter()
    alpha = agreement(reviews, rubric)
    print(f"Krippendorff's alpha {alpha:.3f}: {time.perf_counter() - started:.3f} s")
    for method in ("mean", "trimmed", "zscore"):
        started = time.perf_counter()
        found = certainty(reviews, rubric, method, cutoffs, resamples=args.resamples, seed=args.seed)
        seconds = time.perf_counter() - started
        unsure = sum(1 for row in found if row.least_certain < 0.9)
        print(
            f"certainty by {method:<8} {seconds:.3f} s  ({args.resamples} resamples, {len(found)} items near a "
            f"cut-off, {unsure} of them on their side in under 90 % of resamples)"
        )


if __name__ == "__main__":
    main()
