"""Working days, for deadlines set "in N working days" (referrals, answers).

Saturdays and Sundays are off; the public holidays the government announces each year
(Tết and the Hùng Kings' day move with the lunar calendar) are kept as data, together
with the Saturdays worked in exchange for a bridged holiday ("làm bù"). The functions
are pure: callers pass the days off and the extra working days."""

import datetime

WEEKEND = (5, 6)  # Saturday, Sunday


def is_working_day(day: datetime.date, days_off=frozenset(), extra_working_days=frozenset()) -> bool:
    if day in extra_working_days:
        return True
    return day.weekday() not in WEEKEND and day not in days_off


def add_working_days(
    start: datetime.date, count: int, days_off=frozenset(), extra_working_days=frozenset()
) -> datetime.date:
    """The date `count` working days after `start` (the day of receipt does not count).
    With count 0, `start` itself, or the next working day if `start` is not one."""
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    if count == 0:
        while not is_working_day(day, days_off, extra_working_days):
            day += datetime.timedelta(days=1)
        return day
    remaining = count
    while remaining:
        day += datetime.timedelta(days=1)
        if is_working_day(day, days_off, extra_working_days):
            remaining -= 1
    return day


def working_days_between(
    start: datetime.date, end: datetime.date, days_off=frozenset(), extra_working_days=frozenset()
) -> int:
    """Working days after `start` up to and including `end` (0 when `end` ≤ `start`):
    how long something took, counted the way its deadline was."""
    if end <= start:
        return 0
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if is_working_day(start + datetime.timedelta(days=offset), days_off, extra_working_days)
    )
