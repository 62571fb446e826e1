"""Reads of entries that pages share: an entry found by its private link, and the
organisers' figures per day, per category, per status."""

import datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from tayho_site.submissions import hash_token

from .models import Entry


def entry_statistics(contest):
    entries = Entry.objects.filter(contest=contest)
    by_day = {
        row["day"]: row["count"]
        for row in entries.annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(count=Count("pk"))
        .order_by("day")
    }
    days = []
    if by_day:
        day, last = min(by_day), max(by_day)
        while day <= last:  # every day of the range, the quiet ones too
            days.append({"day": day, "count": by_day.get(day, 0)})
            day += datetime.timedelta(days=1)
    by_category = list(
        entries.values("category__name").annotate(count=Count("pk")).order_by("-count", "category__name")
    )
    by_ward = list(
        entries.values("entrant__ward__name").annotate(count=Count("pk")).order_by("-count", "entrant__ward__name")
    )
    by_status = {row["status"]: row["count"] for row in entries.values("status").annotate(count=Count("pk"))}
    return {
        "total": sum(by_status.values()),
        "days": days,
        "peak": max((d["count"] for d in days), default=0),
        "by_category": by_category,
        "by_ward": by_ward,
        "by_status": [{"status": label, "count": by_status.get(value, 0)} for value, label in Entry.Status.choices],
        "flagged": entries.exclude(flagged_reason="").count(),
    }


def entry_for_token(access_token: str):
    return (
        Entry.objects.select_related("contest", "category", "entrant")
        .filter(access_token_hash=hash_token(access_token))
        .first()
    )


def entries_needing_attention() -> dict:
    """For the admin home: entries still awaiting their author's e-mail confirmation, and
    entries flagged for the organisers (not yet disqualified or withdrawn). One query."""
    return Entry.objects.aggregate(
        awaiting=Count("pk", filter=Q(status=Entry.Status.AWAITING_CONFIRMATION)),
        flagged=Count(
            "pk",
            filter=~Q(flagged_reason="") & Q(status__in=[Entry.Status.AWAITING_CONFIRMATION, Entry.Status.CONFIRMED]),
        ),
    )
