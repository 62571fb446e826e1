import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulation import evaluation as rules
from emulation.evaluation import (
    BANDS,
    COMPLETED,
    EXCELLENT,
    GOOD,
    NOT_COMPLETED,
    UNIT_DONE,
    UNIT_LATE,
    UNIT_NOT_DONE,
    check_cap,
)


def test_a_unit_that_did_its_work_may_rate_everyone_well():
    assert check_cap([EXCELLENT] * 10, UNIT_DONE).ok


def test_a_late_unit_cannot_rate_all_its_cadres_good_and_is_told_how_many_to_change():
    result = check_cap([GOOD] * 10, UNIT_LATE)
    assert not result.ok
    assert (result.allowed, result.at_or_above, result.must_change) == (7, 10, 3)
    message = result.message("Hoàn thành tốt nhiệm vụ")
    assert "tối đa 7/10" in message and "hiện có 10" in message and "điều chỉnh 3 phiếu" in message


@pytest.mark.parametrize(("high", "ok"), [(7, True), (8, False)])
def test_the_boundary_is_exact(high, ok):
    ratings = [GOOD] * high + [COMPLETED] * (10 - high)
    assert check_cap(ratings, UNIT_LATE).ok is ok


def test_ratings_below_the_threshold_do_not_count():
    assert check_cap([COMPLETED] * 5 + [NOT_COMPLETED] * 5, UNIT_NOT_DONE).ok


@pytest.mark.parametrize("cadres", [1, 2, 3])
def test_even_a_tiny_unit_that_falls_short_cannot_rate_everyone_good(cadres):
    # ⌊0.7 × 1⌋ = 0, ⌊0.7 × 3⌋ = 2: never 100 %.
    assert not check_cap([GOOD] * cadres, UNIT_LATE).ok
    assert check_cap([GOOD] * (cadres - 1) + [COMPLETED], UNIT_LATE, {UNIT_LATE: 0.99}).ok


def test_an_empty_unit_and_a_zero_cap():
    assert check_cap([], UNIT_NOT_DONE).ok
    assert check_cap([GOOD], UNIT_NOT_DONE, {UNIT_NOT_DONE: 0}).must_change == 1
    with pytest.raises(ValueError):
        check_cap([GOOD], UNIT_LATE, {UNIT_LATE: 1.5})


def test_the_threshold_band_is_configurable():
    ratings = [EXCELLENT] * 6 + [GOOD] * 4
    assert check_cap(ratings, UNIT_LATE, threshold=EXCELLENT).ok  # 6 excellent ≤ 7
    assert not check_cap(ratings, UNIT_LATE, threshold=GOOD).ok


@settings(max_examples=200, deadline=None)
@given(
    ratings=st.lists(st.sampled_from(BANDS), max_size=40),
    share=st.floats(0, 1),
    result=st.sampled_from([UNIT_DONE, UNIT_LATE, UNIT_NOT_DONE]),
)
def test_changing_exactly_must_change_ratings_is_enough_and_one_fewer_is_not(ratings, share, result):
    cap = {UNIT_DONE: 1.0, UNIT_LATE: share, UNIT_NOT_DONE: share}
    check = check_cap(ratings, result, cap)
    high = [i for i, r in enumerate(ratings) if BANDS.index(r) <= BANDS.index(GOOD)]

    def lowered(count):
        changed = list(ratings)
        for index in high[:count]:
            changed[index] = COMPLETED
        return changed

    assert check_cap(lowered(check.must_change), result, cap).ok
    if check.must_change:
        assert not check_cap(lowered(check.must_change - 1), result, cap).ok
    if result != UNIT_DONE and share < 1 and ratings:
        assert check.allowed < len(ratings)  # never everyone


# --- The rubric's scoring and bands.


def test_score_caps_each_criterion_and_never_goes_below_zero():
    maxima = {"a": 60, "b": 40}
    assert rules.score({"a": 70, "b": 40}, maxima, []) == 100
    assert rules.score({"a": 10, "b": 0}, maxima, [15]) == 0
    assert rules.score({"a": 55.5, "b": 30}, maxima, [5, 2.5]) == 78
    with pytest.raises(ValueError):
        rules.score({"c": 1}, maxima, [])
    with pytest.raises(ValueError):
        rules.score({"a": -1}, maxima, [])


@pytest.mark.parametrize(
    "points, band",
    [
        (100, rules.EXCELLENT),
        (90, rules.EXCELLENT),
        (89.99, rules.GOOD),
        (70, rules.GOOD),
        (69.5, rules.COMPLETED),
        (50, rules.COMPLETED),
        (49.99, rules.NOT_COMPLETED),
        (0, rules.NOT_COMPLETED),
    ],
)
def test_bands_at_their_thresholds(points, band):
    assert rules.band_for(points) == band


def test_thresholds_must_be_in_order():
    with pytest.raises(ValueError):
        rules.band_for(50, {rules.EXCELLENT: 60, rules.GOOD: 70, rules.COMPLETED: 50})


def test_distribution_counts_every_band():
    assert rules.distribution([rules.GOOD, rules.GOOD, rules.COMPLETED]) == {
        rules.EXCELLENT: 0,
        rules.GOOD: 2,
        rules.COMPLETED: 1,
        rules.NOT_COMPLETED: 0,
    }
