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
        ) % {
            "allowed": self.allowed,
            "cadres": self.cadres,
            "band": threshold_label,
            "actual": self.at_or_above,
            "change": self.must_change,
        }


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


# --- The points rubric: criteria with points, deductions, and bands by threshold.

# Default thresholds (points out of 100): at least this many points earns the band.
DEFAULT_BANDS = {EXCELLENT: 90, GOOD: 70, COMPLETED: 50}


def score(criteria: dict, maxima: dict, deductions: list) -> float:
    """Points for a month: each criterion's points, capped at its maximum, minus the
    deductions for the manifestations of violations found; never below zero.

    `criteria` maps a criterion to the points given, `maxima` the same criterion to its
    maximum; an unknown criterion is an error, not silently dropped."""
    unknown = set(criteria) - set(maxima)
    if unknown:
        raise ValueError(f"unknown criteria: {sorted(unknown)}")
    total = 0.0
    for key, points in criteria.items():
        if points < 0:
            raise ValueError("points cannot be negative")
        total += min(float(points), float(maxima[key]))
    total -= sum(float(points) for points in deductions)
    return max(0.0, round(total, 2))


def band_for(points: float, thresholds: dict | None = None) -> str:
    """The band a score earns: the best band whose threshold it reaches."""
    thresholds = DEFAULT_BANDS if thresholds is None else thresholds
    if not thresholds[EXCELLENT] >= thresholds[GOOD] >= thresholds[COMPLETED]:
        raise ValueError("band thresholds must not increase from excellent to completed")
    for band in (EXCELLENT, GOOD, COMPLETED):
        if points >= thresholds[band]:
            return band
    return NOT_COMPLETED


def distribution(ratings: list[str]) -> dict:
    """How many ratings fall in each band, best first (bands with none included)."""
    return {band: sum(1 for rating in ratings if rating == band) for band in BANDS}
