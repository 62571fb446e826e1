"""The public accountability figures per unit: received, answered on time or late, open
and overdue, passed on, and the median working days to answer."""

import statistics

from django.utils import timezone

from tayho_site.models import CalendarDay
from tayho_site.workdays import working_days_between

from .models import Referral, ReferralStep, Verdict


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
                "answers": 0,
                "confirmed": 0,
                "reopened": 0,
                "days": [],
            },
        )

    for kind, to_id, to_name, from_id, from_name in ReferralStep.objects.filter(
        kind__in=[ReferralStep.Kind.REFERRED, ReferralStep.Kind.TRANSFERRED, ReferralStep.Kind.ANSWERED]
    ).values_list("kind", "to_unit_id", "to_unit__name", "from_unit_id", "from_unit__name"):
        if kind == ReferralStep.Kind.ANSWERED:
            row(from_id, from_name)["answers"] += 1
            continue
        row(to_id, to_name)["received"] += 1
        if kind == ReferralStep.Kind.TRANSFERRED:
            row(from_id, from_name)["transferred_away"] += 1
    for unit_id, name, resolved in Verdict.objects.values_list("unit_id", "unit__name", "resolved"):
        row(unit_id, name)["confirmed" if resolved else "reopened"] += 1
    for referral in Referral.objects.select_related("unit").only(
        "unit__name", "status", "due_on", "answered_on", "received_on", "reopened_on"
    ):
        current = row(referral.unit_id, referral.unit.name)
        if referral.status == Referral.Status.ANSWERED:
            current["answered_late" if referral.answered_late() else "answered_on_time"] += 1
            current["days"].append(
                working_days_between(referral.clock_started_on, referral.answered_on, days_off, extra)
            )
        else:
            current["open"] += 1
            current["overdue"] += referral.is_overdue(today)
    out = []
    for current in sorted(rows.values(), key=lambda r: (-r["overdue"], -r["transferred_away"], r["unit"])):
        days = current.pop("days")
        current["median_days"] = statistics.median(days) if days else None
        current["waiting"] = current["open"] - current["overdue"]
        current["confirmed_share"] = share(current["confirmed"], current["answers"])
        current["label"] = current["unit"]
        out.append(current)
    return out


def share(part: int, whole: int) -> int | None:
    """`part` of `whole` in whole per cent, None of nothing."""
    return round(100 * part / whole) if whole else None


TOTALLED = (
    "received",
    "answered_on_time",
    "answered_late",
    "open",
    "overdue",
    "waiting",
    "transferred_away",
    "answers",
    "confirmed",
    "reopened",
)


def accountability_summary(today=None) -> dict:
    """The public accountability page: `accountability()` rows and their totals."""
    rows = accountability(today)
    totals = {key: sum(row[key] for row in rows) for key in TOTALLED}
    totals["confirmed_share"] = share(totals["confirmed"], totals["answers"])
    return {"rows": rows, "totals": totals}
