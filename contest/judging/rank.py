"""Aggregating judges' reviews into a ranking. Plain data in, plain data out, one pass
over the reviews: the same stored reviews always give the same ranking.

A review's score is its weighted total: the sum over criteria of weight × points, in
the rubric's range [0, Σ weight × maximum]. Methods:

- "mean": the mean of an item's review scores;
- "trimmed": the same, without the highest and the lowest when the item has at least
  5 reviews;
- "zscore": each judge's scores standardised (minus that judge's mean, over that judge's
  standard deviation), averaged per item, then rescaled linearly onto the rubric's range
  (lowest item 0, highest item the maximum). A severe or a lenient judge then weighs no
  more than any other.

Ties break by the declared rule: a list of ("criterion", name) — the higher mean points
on that criterion wins — and ("reviews",) — more reviews wins; the item's id last, so
that the order is always total.
"""

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

METHODS = ("mean", "trimmed", "zscore")
TRIM_FROM = 5
# Judges disagree strongly when an item's scores spread over more than this share of
# the rubric's range (standard deviation): the default; a round may set its own.
DISAGREEMENT_SHARE = 0.2


@dataclass(frozen=True)
class Criterion:
    name: str
    max_points: float
    weight: float = 1.0


@dataclass(frozen=True)
class Review:
    item: Hashable
    judge: Hashable
    points: dict  # criterion name -> points


@dataclass
class RankedItem:
    item: Hashable
    rank: int
    score: float  # by the chosen method, in the rubric's range
    raw_mean: float  # plain mean of the weighted totals
    normalised: float | None  # z-score mean rescaled (None unless computable)
    spread: float  # standard deviation of the weighted totals
    reviews: int
    disagreement: bool
    settled: bool = False  # scored by a consensus (the chair's), not by the judges' scores


def disagree(totals: list[float], rubric: list[Criterion], share: float = DISAGREEMENT_SHARE) -> bool:
    """Whether an item's judges disagree strongly (the flag of the ranking): the standard
    deviation of their totals above `share` of the rubric's range."""
    top = rubric_range(rubric)
    return bool(top) and _std(totals) > share * top


def weighted_total(points: dict, rubric: list[Criterion]) -> float:
    return sum(c.weight * float(points.get(c.name, 0)) for c in rubric)


def rubric_range(rubric: list[Criterion]) -> float:
    return sum(c.weight * c.max_points for c in rubric)


def _mean(values):
    return sum(values) / len(values)


def _std(values):
    if len(values) < 2:
        return 0.0
    mean = _mean(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


def trimmed_mean(values):
    values = sorted(values)
    if len(values) >= TRIM_FROM:
        values = values[1:-1]
    return _mean(values)


def rank(
    reviews: Iterable[Review],
    rubric: list[Criterion],
    method: str = "mean",
    tie_breakers: Iterable[tuple] = (("reviews",),),
    settled: dict | None = None,
    disagreement_share: float = DISAGREEMENT_SHARE,
) -> list[RankedItem]:
    """`settled`: {item: score} agreed after a discussion (a consensus): that score
    replaces the method's for the item, whatever the method. `disagreement_share`: the
    share of the rubric's range beyond which an item's spread is flagged."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {METHODS}")
    top = rubric_range(rubric)
    totals = defaultdict(list)  # item -> [weighted total, …]
    by_judge = defaultdict(list)  # judge -> [(item, total), …]
    criterion_points = defaultdict(lambda: defaultdict(list))  # item -> criterion -> [points]
    for review in reviews:
        total = weighted_total(review.points, rubric)
        totals[review.item].append(total)
        by_judge[review.judge].append((review.item, total))
        for criterion in rubric:
            criterion_points[review.item][criterion.name].append(float(review.points.get(criterion.name, 0)))

    normalised = _zscore_scores(by_judge, top)
    settled = settled or {}
    results = []
    for item, values in totals.items():
        raw = _mean(values)
        score = {"mean": raw, "trimmed": trimmed_mean(values), "zscore": normalised.get(item, 0.0)}[method]
        if item in settled:
            score = float(settled[item])
        spread = _std(values)
        results.append(
            RankedItem(
                item=item,
                rank=0,
                score=score,
                raw_mean=raw,
                normalised=normalised.get(item),
                spread=spread,
                reviews=len(values),
                disagreement=bool(top) and spread > disagreement_share * top,
                settled=item in settled,
            )
        )

    tie_breakers = list(tie_breakers)

    def sort_key(result):
        key = [-round(result.score, 9)]
        for rule in tie_breakers:
            if rule[0] == "criterion":
                key.append(-round(_mean(criterion_points[result.item][rule[1]]), 9))
            elif rule[0] == "reviews":
                key.append(-result.reviews)
            else:
                raise ValueError(f"unknown tie-break rule {rule!r}")
        key.append(repr(result.item))
        return key

    results.sort(key=sort_key)
    previous_key = None
    for position, result in enumerate(results, start=1):
        # Items that still tie after every rule share a rank (the id only orders them).
        key = sort_key(result)[:-1]
        result.rank = results[position - 2].rank if key == previous_key else position
        previous_key = key
    return results


def _zscore_scores(by_judge, top):
    """Per-judge standardised scores, averaged per item, rescaled onto [0, top]."""
    z_by_item = defaultdict(list)
    for scored in by_judge.values():
        values = [total for _, total in scored]
        mean, std = _mean(values), _std(values)
        for item, total in scored:
            z_by_item[item].append((total - mean) / std if std > 1e-12 else 0.0)
    if not z_by_item:
        return {}
    means = {item: _mean(zs) for item, zs in z_by_item.items()}
    low, high = min(means.values()), max(means.values())
    if high - low < 1e-12:
        return {item: top / 2 for item in means}
    return {item: (z - low) / (high - low) * top for item, z in means.items()}
