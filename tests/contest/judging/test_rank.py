import math
import random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from contest.judging.rank import Criterion, Review, rank, trimmed_mean

RUBRIC = [Criterion("ý tưởng", 10, 2), Criterion("khả thi", 10, 1), Criterion("trình bày", 5, 1)]


def review(item, judge, idea, feasible, style):
    return Review(item, judge, {"ý tưởng": idea, "khả thi": feasible, "trình bày": style})


def test_weighted_mean_ranks_by_weighted_totals():
    reviews = [review("A", 1, 8, 5, 3), review("A", 2, 6, 5, 3), review("B", 1, 9, 9, 5), review("B", 2, 9, 9, 5)]
    ranking = rank(reviews, RUBRIC, "mean")
    assert [r.item for r in ranking] == ["B", "A"]
    assert ranking[0].score == 2 * 9 + 9 + 5
    assert ranking[1].score == ((2 * 8 + 5 + 3) + (2 * 6 + 5 + 3)) / 2
    assert ranking[1].spread == 2.0


def test_trimmed_mean_drops_one_highest_and_one_lowest_from_five_reviews():
    assert trimmed_mean([1, 2, 3, 4, 100]) == 3
    assert trimmed_mean([1, 2, 3, 100]) == 26.5  # fewer than five: nothing dropped


def test_zscore_evens_out_a_severe_judge():
    # Judge 1 is severe, judge 2 lenient; each scored their own items in the same order.
    reviews = [review("A", 1, 2, 2, 1), review("B", 1, 4, 4, 2), review("C", 2, 8, 8, 4), review("D", 2, 10, 10, 5)]
    by_mean = [r.item for r in rank(reviews, RUBRIC, "mean")]
    by_z = {r.item: r.score for r in rank(reviews, RUBRIC, "zscore")}
    assert by_mean == ["D", "C", "B", "A"]
    assert math.isclose(by_z["B"], by_z["D"]) and math.isclose(by_z["A"], by_z["C"])


def test_ties_break_by_the_declared_criterion_then_reviews():
    reviews = [review("A", 1, 5, 10, 5), review("B", 1, 10, 0, 5), review("C", 1, 10, 0, 5), review("C", 2, 10, 0, 5)]
    ranking = rank(reviews, RUBRIC, "mean", tie_breakers=[("criterion", "ý tưởng"), ("reviews",)])
    assert [r.item for r in ranking] == ["C", "B", "A"]
    assert [r.rank for r in ranking] == [1, 2, 3]
    untied = rank(reviews[:2], RUBRIC, "mean", tie_breakers=[])
    assert [r.rank for r in untied] == [1, 1]  # a true tie shares the rank


def test_strong_disagreement_is_flagged():
    reviews = [review("A", 1, 0, 0, 0), review("A", 2, 10, 10, 5), review("B", 1, 5, 5, 2), review("B", 2, 6, 5, 2)]
    flags = {r.item: r.disagreement for r in rank(reviews, RUBRIC)}
    assert flags == {"A": True, "B": False}


def test_unknown_method_is_refused():
    with pytest.raises(ValueError):
        rank([], RUBRIC, "median")


panels = st.lists(
    st.tuples(st.integers(0, 10), st.integers(0, 10), st.integers(0, 5)),
    min_size=12,
    max_size=12,
)


@settings(max_examples=80, deadline=None)
@given(scores=panels, scale=st.floats(0.2, 5), shift=st.floats(-5, 5), judge=st.sampled_from([0, 1, 2]))
def test_zscore_scores_ignore_a_judges_scale_and_shift(scores, scale, shift, judge):
    # Three judges each score the same four items.
    reviews = [review(item, j, *scores[j * 4 + item]) for j in range(3) for item in range(4)]
    assume(len({sum(scores[judge * 4 + i]) for i in range(4)}) > 1)  # the judge does not score all alike
    transformed = [
        Review(r.item, r.judge, {k: v * scale + shift for k, v in r.points.items()}) if r.judge == judge else r
        for r in reviews
    ]
    before = {r.item: r.score for r in rank(reviews, RUBRIC, "zscore")}
    after = {r.item: r.score for r in rank(transformed, RUBRIC, "zscore")}
    for item in before:
        assert math.isclose(before[item], after[item], abs_tol=1e-6)


@settings(max_examples=80, deadline=None)
@given(values=st.lists(st.floats(0, 40), min_size=5, max_size=9), extreme=st.floats(41, 10_000))
def test_trimmed_mean_ignores_one_extreme_score(values, extreme):
    # Replacing the highest score by any larger one changes nothing.
    highest = max(values)
    replaced = list(values)
    replaced[replaced.index(highest)] = extreme
    assert math.isclose(trimmed_mean(values), trimmed_mean(replaced), abs_tol=1e-9)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), method=st.sampled_from(["mean", "trimmed", "zscore"]))
def test_ranking_is_reproducible_from_the_stored_reviews_in_any_order(seed, method):
    rng = random.Random(seed)
    reviews = [
        review(item, judge, rng.randint(0, 10), rng.randint(0, 10), rng.randint(0, 5))
        for item in range(15)
        for judge in rng.sample(range(6), 3)
    ]
    first = [(r.item, r.rank, round(r.score, 9)) for r in rank(reviews, RUBRIC, method)]
    rng.shuffle(reviews)
    assert [(r.item, r.rank, round(r.score, 9)) for r in rank(reviews, RUBRIC, method)] == first
