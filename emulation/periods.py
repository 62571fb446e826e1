"""Months, for the monthly evaluation and for charts over time."""

import datetime


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def months_back(until: datetime.date, count: int) -> list[datetime.date]:
    """The first days of the `count` months ending with `until`'s month, oldest first."""
    month = first_of_month(until)
    out = []
    for _step in range(count):
        out.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return out[::-1]


def last_of_month(month: datetime.date) -> datetime.date:
    return (first_of_month(month) + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
