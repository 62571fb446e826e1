"""Properties of the certainty of ranks (a bootstrap over judges) and of the agreement
figure (Krippendorff's alpha, interval)."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from contest.judging.certainty import agreement, certainty, krippendorff_alpha
from contest.judging.rank import Criterion, Review

RUBRIC = [Criterion("ý tưởng", 10, 2), Criterion("trình bày", 10, 1)]


def reviews_from(qualities, judges=3, noise=0.0, seed=1):
    """Each item's judges score its quality, give or take `noise` (the same draws, scaled)."""
    rng = random.Random(seed)
    found = []
    for item, quality in enumerate(qualities):
        for judge in range(judges):
            deviation = rng.gauss(0, 1)
            found.append(
                Review(item, f"{item}-{judge}", {"ý tưởng": quality + noise * deviation, "trình bày": quality})
            )
    return found


distinct_qualities = st.lists(st.integers(0, 100), min_size=4, max_size=40, unique=True).map(
    lambda values: [v / 10 for v in values]
)


@settings(max_examples=60, deadline=None)
@given(qualities=distinct_qualities, method=st.sampled_from(["mean", "trimmed", "zscore"]), seed=st.integers(0, 99))
def test_identical_judges_give_certain_ranks(qualities, method, seed):
    # Every judge of an item gives the same scores (not the same judge across items,
    # so the z-score keeps the items apart as the totals do).
    reviews = reviews_from(qualities, noise=0.0)
    cutoffs = [1, len(qualities) // 2]
    found = certainty(reviews, RUBRIC, method, cutoffs, resamples=50, seed=seed)
    assert found
    for row in found:
        assert row.low == row.high == row.rank
        assert all(share == 1.0 for share in row.stays.values())


@settings(max_examples=30, deadline=None)
@given(qualities=distinct_qualities, noise=st.floats(0.5, 5), seed=st.integers(0, 99))
def test_noise_never_narrows_the_rank_intervals(qualities, noise, seed):
    cutoffs = [2, len(qualities) // 2]
    calm = certainty(reviews_from(qualities, noise=0.0, seed=seed), RUBRIC, "mean", cutoffs, resamples=60)
    noisy = certainty(reviews_from(qualities, noise=noise, seed=seed), RUBRIC, "mean", cutoffs, resamples=60)
    assert sum(r.high - r.low for r in noisy) >= sum(r.high - r.low for r in calm) == 0


def test_more_noise_widens_the_rank_intervals_and_lowers_the_certainty():
    qualities = [q / 4 for q in range(40)]  # close to one another
    widths, shares = [], []
    for noise in (0.0, 0.5, 2.0, 6.0):
        found = certainty(reviews_from(qualities, noise=noise, seed=7), RUBRIC, "mean", [5, 20], resamples=300, seed=3)
        widths.append(sum(r.high - r.low for r in found))
        shares.append(sum(r.least_certain for r in found) / len(found))
    assert widths == sorted(widths) and widths[0] == 0 < widths[-1]
    assert shares == sorted(shares, reverse=True) and shares[0] == 1.0 > shares[-1]


def test_the_same_seed_gives_the_same_figures():
    reviews = reviews_from([q / 3 for q in range(30)], noise=3, seed=5)
    first = certainty(reviews, RUBRIC, "zscore", [3, 10], resamples=80, seed=42)
    assert first == certainty(reviews, RUBRIC, "zscore", [3, 10], resamples=80, seed=42)


def test_only_items_near_a_cut_off_are_reported_and_a_settled_score_is_not_resampled():
    reviews = reviews_from([q / 2 for q in range(50)], noise=4, seed=2)
    found = certainty(reviews, RUBRIC, "mean", [10], resamples=100, window=3, fixed={40: 75.0})
    assert sorted(r.rank for r in found) == [8, 9, 10, 11, 12, 13]
    assert certainty(reviews, RUBRIC, "mean", [], resamples=10) == []


@settings(max_examples=60, deadline=None)
# Scores as judges give them: to the hundredth (a float a hair above zero, 5e-324, has no
# variation worth the name and alpha is rightly undefined for it).
@given(
    qualities=st.lists(st.floats(0, 30).map(lambda q: round(q, 2)), min_size=2, max_size=30),
    judges=st.integers(2, 6),
)
def test_alpha_is_one_when_judges_agree_perfectly(qualities, judges):
    scores = {item: [quality] * judges for item, quality in enumerate(qualities)}
    alpha = krippendorff_alpha(scores)
    if len(set(qualities)) < 2:
        assert alpha is None  # no variation at all: undefined
    else:
        assert abs(alpha - 1) < 1e-9


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_alpha_is_near_zero_when_judges_score_at_random(seed):
    rng = random.Random(seed)
    scores = {item: [rng.uniform(0, 30) for _ in range(rng.choice([2, 3, 4]))] for item in range(600)}
    assert abs(krippendorff_alpha(scores)) < 0.1


def test_alpha_on_a_textbook_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", interval data
    # of the reliability data example (the last unit, one value, is not pairable): α = 0.849.
    units = [[1, 1, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4], [4, 4, 4, 4],
             [1, 1, 2, 1], [2, 2, 2, 2], [5, 5, 5], [1, 1], [3]]  # fmt: skip
    assert round(krippendorff_alpha(dict(enumerate(units))), 3) == 0.849


def test_agreement_uses_the_weighted_totals():
    reviews = reviews_from([1, 5, 9], noise=0.0)
    assert agreement(reviews, RUBRIC) == 1.0
