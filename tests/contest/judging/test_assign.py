from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contest.judging.assign import AssignmentImpossible, assign


def test_every_item_gets_k_distinct_judges_and_loads_differ_by_at_most_one():
    result = assign(range(41), ["An", "Bình", "Chi", "Dũng", "Giang"], 3, seed=7)
    assert all(len(set(judges)) == 3 for judges in result.judges_of.values())
    loads = result.loads()
    assert sum(loads.values()) == 41 * 3
    assert max(loads.values()) - min(loads.values()) <= 1


def test_conflicts_are_respected():
    conflicts = {("An", 0), ("An", 1), ("Bình", 0)}
    result = assign(range(10), ["An", "Bình", "Chi", "Dũng"], 2, seed=1, conflicts=conflicts)
    for judge, item in conflicts:
        assert judge not in result.judges_of[item]


def test_same_seed_same_assignment_and_another_seed_differs():
    first = assign(range(30), list("abcdef"), 2, seed=42)
    assert first.judges_of == assign(range(30), list("abcdef"), 2, seed=42).judges_of
    assert first.judges_of != assign(range(30), list("abcdef"), 2, seed=43).judges_of


def test_existing_assignments_are_kept_and_only_the_remainder_filled():
    existing = {0: ["a"], 1: ["a", "b"]}
    result = assign(range(4), list("abcd"), 2, seed=3, existing=existing)
    assert result.judges_of[0][0] == "a" and len(result.judges_of[0]) == 2
    assert result.judges_of[1] == ["a", "b"]
    assert (1, "a") not in result.added and (0, "a") not in result.added
    assert len(result.added) == 2 * 4 - 3


def test_impossible_assignment_says_which_items_lack_judges():
    with pytest.raises(AssignmentImpossible) as error:
        assign([1, 2], ["a", "b"], 2, conflicts={("a", 1)})
    assert error.value.shortfalls == {1: 1}


@settings(max_examples=60, deadline=None)
@given(
    items=st.integers(min_value=1, max_value=60),
    judges=st.integers(min_value=3, max_value=9),
    per_item=st.integers(min_value=1, max_value=3),
    seed=st.integers(min_value=0, max_value=10_000),
    conflict_share=st.floats(min_value=0, max_value=0.15),
)
def test_assignment_properties_hold_for_any_panel(items, judges, per_item, seed, conflict_share):
    import random

    panel = [f"j{n}" for n in range(judges)]
    rng = random.Random(seed)
    conflicts = {(j, i) for j in panel for i in range(items) if rng.random() < conflict_share}
    try:
        result = assign(range(items), panel, per_item, seed=seed, conflicts=conflicts)
    except AssignmentImpossible as error:
        # Only when some item really has fewer eligible judges than it needs.
        for item in error.shortfalls:
            assert sum((j, item) not in conflicts for j in panel) < per_item
        return
    for item, assigned in result.judges_of.items():
        assert len(assigned) == per_item == len(set(assigned))
        assert not any((j, item) in conflicts for j in assigned)
    if not conflicts:
        loads = Counter(j for assigned in result.judges_of.values() for j in assigned)
        counts = [loads.get(j, 0) for j in panel]
        assert max(counts) - min(counts) <= 1


def test_one_more_judge_is_the_least_loaded_judge_free_of_conflict():
    from contest.judging.assign import one_more

    judges_of = {"A": ["j1", "j2"], "B": ["j1", "j3"], "C": ["j3", "j4"]}
    assert one_more("A", ["j1", "j2", "j3", "j4"], judges_of) == "j4"  # j3 carries two, j4 one
    assert one_more("A", ["j1", "j2", "j3", "j4"], judges_of, conflicts={("j4", "A")}) == "j3"
    assert one_more("A", ["j1", "j2"], judges_of) is None  # everyone on the panel is on it
    assert one_more("A", ["j1", "j2", "j5"], judges_of) == "j5"  # only the panel counts
