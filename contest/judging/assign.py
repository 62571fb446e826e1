"""Spreading items over a panel of judges.

Every item gets `per_item` judges; no judge gets an item they declared a conflict
with, or the same item twice; the judges' loads differ by at most one whenever the
conflicts allow it. The result depends only on the inputs and the seed, so an
assignment can be re-run and checked. Existing assignments (made by hand, or by an
earlier run) are kept: only the remainder is filled.
"""

import random
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field


class AssignmentImpossible(ValueError):
    """Some item cannot get enough judges (too few judges without a conflict)."""

    def __init__(self, shortfalls):
        self.shortfalls = shortfalls  # {item: how many judges it still lacks}
        super().__init__(f"{len(shortfalls)} item(s) cannot get enough judges")


@dataclass
class Assignment:
    judges_of: dict = field(default_factory=dict)  # item -> [judge, …] (kept, then new)
    added: list = field(default_factory=list)  # [(item, judge)] created by this run

    def loads(self):
        counts = defaultdict(int)
        for judges in self.judges_of.values():
            for judge in judges:
                counts[judge] += 1
        return dict(counts)


def assign(
    items: Iterable[Hashable],
    judges: Iterable[Hashable],
    per_item: int,
    *,
    seed: int = 0,
    conflicts: Iterable[tuple] = (),
    existing: dict | None = None,
) -> Assignment:
    """Assign judges to items; see the module's docstring.

    conflicts: (judge, item) pairs a judge may not score (declared or recused).
    existing: {item: [judge, …]} already assigned; never removed, counted in the loads.
    """
    items = list(dict.fromkeys(items))
    judges = list(dict.fromkeys(judges))
    conflicts = set(conflicts)
    existing = existing or {}
    rng = random.Random(seed)

    judges_of = {item: [j for j in existing.get(item, []) if j in judges] for item in items}
    load = {judge: 0 for judge in judges}
    for assigned in judges_of.values():
        for judge in assigned:
            load[judge] += 1
    # A fixed random order of judges breaks ties in load, so no judge is always first.
    order = {judge: position for position, judge in enumerate(rng.sample(judges, len(judges)))}

    # Items with the fewest eligible judges first: they have the least room to manoeuvre.
    def eligible(item):
        return [j for j in judges if (j, item) not in conflicts and j not in judges_of[item]]

    pending = [item for item in items if len(judges_of[item]) < per_item]
    rng.shuffle(pending)
    pending.sort(key=lambda item: len(eligible(item)))

    added, shortfalls = [], {}
    for item in pending:
        candidates = sorted(eligible(item), key=lambda j: (load[j], order[j]))
        missing = per_item - len(judges_of[item])
        chosen = candidates[:missing]
        for judge in chosen:
            judges_of[item].append(judge)
            load[judge] += 1
            added.append((item, judge))
        if len(chosen) < missing:
            shortfalls[item] = missing - len(chosen)
    if shortfalls:
        raise AssignmentImpossible(shortfalls)

    _balance(judges_of, load, conflicts, added, order)
    return Assignment(judges_of=judges_of, added=added)


def _balance(judges_of, load, conflicts, added, order):
    """Move new assignments from the busiest judges to less busy ones while the gap is
    more than one and a move is allowed (no conflict, not already on the item)."""
    mine = defaultdict(list)  # judge -> items given to them by this run, in order
    for item, judge in added:
        mine[judge].append(item)
    while load:
        top, bottom = max(load.values()), min(load.values())
        if top - bottom <= 1:
            return
        busiest = sorted((j for j in load if load[j] == top), key=order.get)
        idle = sorted((j for j in load if load[j] < top - 1), key=lambda j: (load[j], order[j]))
        move = next(
            (
                (item, giver, taker)
                for giver in busiest
                for taker in idle
                for item in mine[giver]
                if (taker, item) not in conflicts and taker not in judges_of[item]
            ),
            None,
        )
        if move is None:
            return  # the conflicts leave no better spread
        item, giver, taker = move
        judges_of[item][judges_of[item].index(giver)] = taker
        mine[giver].remove(item)
        mine[taker].append(item)
        load[giver] -= 1
        load[taker] += 1
        added[added.index((item, giver))] = (item, taker)


def one_more(
    item: Hashable,
    judges: Iterable[Hashable],
    judges_of: dict,
    *,
    seed: int = 0,
    conflicts: Iterable[tuple] = (),
) -> Hashable | None:
    """One more judge for `item` by the same rules as `assign`: a judge of the panel not
    already on the item and free of conflict with it, the least loaded (loads counted over
    `judges_of`, {item: [judge, …]} of the whole round), ties broken by the seeded order
    `assign` uses. None when no judge is free."""
    judges = list(dict.fromkeys(judges))
    conflicts = set(conflicts)
    order = {judge: position for position, judge in enumerate(random.Random(seed).sample(judges, len(judges)))}
    load = dict.fromkeys(judges, 0)
    for assigned in judges_of.values():
        for judge in assigned:
            if judge in load:
                load[judge] += 1
    taken = set(judges_of.get(item, []))
    eligible = [j for j in judges if j not in taken and (j, item) not in conflicts]
    return min(eligible, key=lambda j: (load[j], order[j]), default=None)
