"""The public accountability figures per unit: received, answered on time or late, open
and overdue, passed on, and the median working days to answer."""

import statistics

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from emulation.permissions import managed_units
from tayho_site.dashboard import WorkItem
from tayho_site.models import CalendarDay
from tayho_site.workdays import working_days_between

from .models import Referral, ReferralStep


def accountability(today=None) -> list[dict]:
    """Per unit that has ever held a referral: received (first or by transfer), answered
    (on time / late), open and overdue now, transferred away, and the median working
    days from the referral to its answer. Two queries, whatever the number of referrals."""
    today = today or timezone.localdate()
    days_off, extra = CalendarDay.calendar()
    rows = {}

    def row(unit_id, name):
        return rows.setdefault(
            unit_id,
            {
                "unit_id": unit_id,
                "unit": name,
                "received": 0,
                "answered_on_time": 0,
                "answered_late": 0,
                "overdue": 0,
                "open": 0,
                "transferred_away": 0,
                "days": [],
            },
        )

    for kind, to_id, to_name, from_id, from_name in ReferralStep.objects.filter(
        kind__in=[ReferralStep.Kind.REFERRED, ReferralStep.Kind.TRANSFERRED]
    ).values_list("kind", "to_unit_id", "to_unit__name", "from_unit_id", "from_unit__name"):
        row(to_id, to_name)["received"] += 1
        if kind == ReferralStep.Kind.TRANSFERRED:
            row(from_id, from_name)["transferred_away"] += 1
    for referral in Referral.objects.select_related("unit").only(
        "unit__name", "status", "due_on", "answered_on", "received_on"
    ):
        current = row(referral.unit_id, referral.unit.name)
        if referral.status == Referral.Status.ANSWERED:
            current["answered_late" if referral.answered_late() else "answered_on_time"] += 1
            current["days"].append(working_days_between(referral.received_on, referral.answered_on, days_off, extra))
        else:
            current["open"] += 1
            current["overdue"] += referral.is_overdue(today)
    out = []
    for current in sorted(rows.values(), key=lambda r: (-r["overdue"], -r["transferred_away"], r["unit"])):
        days = current.pop("days")
        current["median_days"] = statistics.median(days) if days else None
        current["waiting"] = current["open"] - current["overdue"]
        current["label"] = current["unit"]
        out.append(current)
    return out


TOTALLED = ("received", "answered_on_time", "answered_late", "open", "overdue", "waiting", "transferred_away")


def accountability_summary(today=None) -> dict:
    """The public accountability page: `accountability()` rows and their totals."""
    rows = accountability(today)
    return {"rows": rows, "totals": {key: sum(row[key] for row in rows) for key in TOTALLED}}


def waiting(referrals, today=None) -> dict:
    """Of these referrals, how many are open and how many of those are overdue. One query."""
    today = today or timezone.localdate()
    return referrals.filter(status=Referral.Status.OPEN).aggregate(
        open=Count("pk", distinct=True), overdue=Count("pk", filter=Q(due_on__lt=today), distinct=True)
    )


def to_do(user) -> list:
    """The unit officer's "what is yours to do": the open referrals held by the units they
    act for, overdue and nearest due first. One query (besides the user's groups)."""
    referrals = Referral.objects.filter(status=Referral.Status.OPEN, unit__in=managed_units(user)).select_related(
        "unit"
    )
    return [
        WorkItem(
            _("Answer: %(title)s") % {"title": referral.title},
            reverse("referrals:detail", args=[referral.pk]),
            referral.due_on,
            referral.unit.name,
        )
        for referral in referrals.order_by("due_on", "pk")
    ]
