"""How certain a rank is, and how far the judges agree. Plain data in, plain data out.

**Certainty of ranks: a bootstrap over judges.** The judges who scored an item are a
small sample of the judges who could have scored it. Each resample draws, for every
item, as many reviews as it has from its own reviews, with replacement (a seeded RNG:
the same data and seed give the same figures), scores every item again by the round's
method and ranks them all. Over the resamples, each item near a cut-off (a prize, the
shortlist) gets the share of resamples in which it stays on the same side of the cut-off
as in the real ranking, and the interval of ranks it takes in the middle 95 % of them.

The round's method is recomputed as rank.py defines it: "mean" and "trimmed" from the
resampled totals themselves; for "zscore" each review is standardised once with its
judge's mean and standard deviation over the real data, then resampled (a judge's mean
and spread over dozens of items barely move when one item's judges are redrawn, and the
final rescaling onto the rubric's range is monotone, so it leaves ranks alone).

Speed: an item's resampled score depends on its own reviews only, so for items with at
most four reviews every outcome of the draw is listed once (3 reviews: 27 equally likely
outcomes) and a resample is one random index per item; larger items are drawn directly.

**Agreement: Krippendorff's alpha for interval data**, on the reviews' weighted totals.
Chosen over an intraclass correlation because a round's design is not fully crossed:
each item has its own few judges drawn from the panel, some recuse, some items get one
judge more. ICC(2,k)/ICC(3,k) assume every judge scores every item; ICC(1) allows other
judges per item but not different numbers of them. Alpha takes any number of judges per
item and missing values as they come, and reads plainly: 1 is perfect agreement, 0 is
what judges scoring at random would reach, below 0 is systematic disagreement.
"""

import math
import random
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from itertools import product

from . import rank as ranking

EXACT_UP_TO = 4  # items with at most this many reviews get their outcomes listed
LEVEL = 0.95


@dataclass
class ItemCertainty:
    item: Hashable
    rank: int
    score: float
    low: int  # rank interval over the middle LEVEL of the resamples
    high: int
    stays: dict = field(default_factory=dict)  # cut-off k -> share of resamples on the same side

    @property
    def least_certain(self) -> float:
        return min(self.stays.values()) if self.stays else 1.0


def item_values(reviews: Iterable[ranking.Review], rubric: list[ranking.Criterion], method: str) -> dict:
    """{item: [value, …]} whose method-score is the item's score (up to a monotone map)."""
    by_item = defaultdict(list)
    by_judge = defaultdict(list)
    for review in reviews:
        total = ranking.weighted_total(review.points, rubric)
        by_item[review.item].append((review.judge, total))
        by_judge[review.judge].append(total)
    if method != "zscore":
        return {item: [total for _, total in pairs] for item, pairs in by_item.items()}
    moments = {}
    for judge, totals in by_judge.items():
        mean = sum(totals) / len(totals)
        std = math.sqrt(sum((t - mean) ** 2 for t in totals) / len(totals)) if len(totals) > 1 else 0.0
        moments[judge] = (mean, std)
    return {
        item: [(t - moments[j][0]) / moments[j][1] if moments[j][1] > 1e-12 else 0.0 for j, t in pairs]
        for item, pairs in by_item.items()
    }


def _score(values, method):
    return ranking.trimmed_mean(values) if method == "trimmed" else sum(values) / len(values)


def _outcomes(values, method):
    """Every equally likely resampled score of a small item."""
    return [_score(draw, method) for draw in product(values, repeat=len(values))]


def certainty(
    reviews: Iterable[ranking.Review],
    rubric: list[ranking.Criterion],
    method: str = "mean",
    cutoffs: Iterable[int] = (),
    *,
    resamples: int = 200,
    seed: int = 0,
    window: int = 5,
    fixed: dict | None = None,
) -> list[ItemCertainty]:
    """The items ranked within `window` places of a cut-off (k: the first k are in),
    with their rank interval and, per cut-off, the share of resamples in which they stay
    on their side. `fixed`: {item: value} for items whose score is settled (a consensus
    score): not resampled. Ranks here are by score alone (ties share the better rank)."""
    if method not in ranking.METHODS:
        raise ValueError(f"unknown method {method!r}")
    values = item_values(reviews, rubric, method)
    fixed = fixed or {}
    items = list(values)
    observed = {item: fixed[item] if item in fixed else _score(values[item], method) for item in items}
    if not items:
        return []
    ordered = sorted(items, key=lambda i: (-observed[i], repr(i)))
    scores_sorted = sorted(observed.values())
    rank_of = {item: len(items) - bisect_right(scores_sorted, observed[item]) + 1 for item in items}
    cutoffs = sorted({k for k in cutoffs if 0 < k < len(items)})
    watched = [
        item for position, item in enumerate(ordered, 1) if any(k - window < position <= k + window for k in cutoffs)
    ]
    if not watched:
        return []

    # Only items whose resampled score can reach the watched items' band are drawn: an
    # item always above the band counts the same in every resample, one always below never.
    bounds = {
        item: (observed[item], observed[item]) if item in fixed else (min(values[item]), max(values[item]))
        for item in items
    }
    low_band = min(bounds[item][0] for item in watched)
    high_band = max(bounds[item][1] for item in watched)
    watched_set = set(watched)
    always_above = sum(1 for item in items if item not in watched_set and bounds[item][0] > high_band)
    active = watched + [
        item
        for item in items
        if item not in watched_set and bounds[item][0] <= high_band and bounds[item][1] > low_band
    ]

    rng = random.Random(seed)
    tables, direct = [], []  # (index, outcomes) / (index, values)
    for index, item in enumerate(active):
        if item in fixed or len(values[item]) < 2:
            continue
        if len(values[item]) <= EXACT_UP_TO:
            tables.append((index, _outcomes(values[item], method)))
        else:
            direct.append((index, values[item]))
    base = [observed[item] for item in active]
    ranks = {item: [] for item in watched}
    total = len(active) + always_above
    for _ in range(resamples):
        scores = base[:]
        rand = rng.random
        for index, outcomes in tables:
            scores[index] = outcomes[int(rand() * len(outcomes))]
        for index, own in direct:
            scores[index] = _score(rng.choices(own, k=len(own)), method)
        ordered_scores = sorted(scores)
        for index, item in enumerate(watched):
            ranks[item].append(total - bisect_right(ordered_scores, scores[index]) + 1)

    found = []
    for item in watched:
        drawn = sorted(ranks[item])
        tail = (1 - LEVEL) / 2
        low = drawn[int(tail * (len(drawn) - 1))]
        high = drawn[math.ceil((1 - tail) * (len(drawn) - 1))]
        stays = {}
        for k in cutoffs:
            inside = rank_of[item] <= k
            stays[k] = sum(1 for r in drawn if (r <= k) == inside) / len(drawn)
        found.append(ItemCertainty(item, rank_of[item], observed[item], low, high, stays))
    return found


def krippendorff_alpha(scores_by_item: dict) -> float | None:
    """Krippendorff's alpha, interval metric, for {item: [value, …]} (any number of
    values per item; items with fewer than two are not pairable and left out). None
    when it is undefined (fewer than two pairable values, or all values equal)."""
    n = 0
    s1 = s2 = 0.0
    within = 0.0
    for values in scores_by_item.values():
        m = len(values)
        if m < 2:
            continue
        u1 = sum(values)
        u2 = sum(v * v for v in values)
        # Σ over ordered pairs i≠j of (vi − vj)² = 2(m Σv² − (Σv)²)
        within += 2 * (m * u2 - u1 * u1) / (m - 1)
        n += m
        s1 += u1
        s2 += u2
    if n < 2:
        return None
    observed = within / n
    expected = 2 * (n * s2 - s1 * s1) / (n * (n - 1))
    if expected <= 1e-12 * s2 / n:  # all values equal, up to rounding
        return None
    return 1 - observed / expected


def agreement(reviews: Iterable[ranking.Review], rubric: list[ranking.Criterion]) -> float | None:
    """The round's agreement: alpha on the reviews' weighted totals."""
    return krippendorff_alpha(item_values(reviews, rubric, "mean"))
