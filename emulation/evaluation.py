"""The district's rule for monthly ratings: a unit whose own result falls short cannot
rate (almost) all its cadres "completed well" or better.

The cap is configurable: for each unit result, the largest share of the unit's cadres
that may be rated at or above a threshold band. Finalising a month that breaks it is
refused, saying how many ratings must change. Plain functions, tested at the edges.
"""

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

# Rating bands, best first.
EXCELLENT, GOOD, COMPLETED, NOT_COMPLETED = "excellent", "good", "completed", "not_completed"
BANDS = [EXCELLENT, GOOD, COMPLETED, NOT_COMPLETED]

# The unit's own result for the month.
UNIT_DONE, UNIT_LATE, UNIT_NOT_DONE = "done", "late", "not_done"

# Default policy: share of cadres that may be rated GOOD or better, per unit result.
DEFAULT_CAP = {UNIT_DONE: 1.0, UNIT_LATE: 0.7, UNIT_NOT_DONE: 0.5}


@dataclass(frozen=True)
class CapCheck:
    ok: bool
    cadres: int
    at_or_above: int  # ratings at or above the threshold band
    allowed: int
    must_change: int  # how many of those ratings must go below the threshold

    def message(self, threshold_label: str) -> str:
        if self.ok:
            return ""
        return _(
            "The unit's own result this month allows at most %(allowed)s of its %(cadres)s cadres to be rated "
            "“%(band)s” or better; %(actual)s are. Change %(change)s of those ratings before finalising."
        ) % {"allowed": self.allowed, "cadres": self.cadres, "band": threshold_label,
             "actual": self.at_or_above, "change": self.must_change}


def at_or_above(rating: str, threshold: str = GOOD) -> bool:
    return BANDS.index(rating) <= BANDS.index(threshold)


def check_cap(ratings: list[str], unit_result: str, cap: dict | None = None, threshold: str = GOOD) -> CapCheck:
    """Whether the month's ratings respect the cap for the unit's result.

    allowed = ⌊share × cadres⌋: with a share below 1, a unit that falls short can never
    have all its cadres at or above the threshold — the district's rule — however small."""
    cap = DEFAULT_CAP if cap is None else cap
    share = cap[unit_result]
    if not 0 <= share <= 1:
        raise ValueError("a cap is a share between 0 and 1")
    cadres = len(ratings)
    high = sum(at_or_above(rating, threshold) for rating in ratings)
    # A tiny epsilon keeps 0.7 × 10 at 7 despite binary floating point.
    allowed = cadres if share >= 1 else math.floor(share * cadres + 1e-9)
    if share < 1 and cadres and allowed == cadres:
        allowed = cadres - 1
    must_change = max(0, high - allowed)
    return CapCheck(ok=must_change == 0, cadres=cadres, at_or_above=high, allowed=allowed, must_change=must_change)
