"""The weekly report for the Standing Committee: per unit, the open conclusions, the
remedies done, done late and overdue, the oldest overdue first. One query for all the
remedies (with their referral, unit and conclusion), then counted in Python."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from referrals.models import Referral

from .models import Remedy, WeeklyReport


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of the day's week."""
    return day - datetime.timedelta(days=day.weekday())


@dataclass
class UnitLine:
    unit: object
    open_conclusions: set = field(default_factory=set)
    done: int = 0
    done_late: int = 0
    open: int = 0
    overdue: int = 0
    oldest_overdue: object = None  # the earliest due date among its overdue remedies

    @property
    def open_conclusion_count(self):
        return len(self.open_conclusions)


def weekly_report(today=None):
    """(lines per unit, oldest overdue first then by name; the overdue remedies, oldest
    first; totals)."""
    today = today or timezone.localdate()
    lines = {}
    overdue = []
    remedies = (
        Remedy.objects.filter(referral__isnull=False)
        .select_related("referral", "referral__unit", "conclusion")
        .only(
            "pk",
            "text",
            "conclusion__id",
            "conclusion__number",
            "conclusion__signed_on",
            "referral__id",
            "referral__status",
            "referral__due_on",
            "referral__answered_on",
            "referral__unit__id",
            "referral__unit__name",
        )
    )
    for remedy in remedies:
        referral = remedy.referral
        unit = referral.unit  # the unit holding it now, as the referrals count it
        line = lines.setdefault(unit.pk, UnitLine(unit))
        if referral.status == Referral.Status.ANSWERED:
            line.done += 1
            if referral.answered_late():
                line.done_late += 1
            continue
        line.open += 1
        line.open_conclusions.add(remedy.conclusion_id)
        if referral.due_on < today:
            line.overdue += 1
            overdue.append(remedy)
            if line.oldest_overdue is None or referral.due_on < line.oldest_overdue:
                line.oldest_overdue = referral.due_on
    ordered = sorted(
        lines.values(),
        key=lambda line: (line.oldest_overdue is None, line.oldest_overdue or today, line.unit.name),
    )
    overdue.sort(key=lambda remedy: (remedy.referral.due_on, remedy.pk))
    totals = {
        "open_conclusions": len(set().union(*(line.open_conclusions for line in ordered))) if ordered else 0,
        "done": sum(line.done for line in ordered),
        "done_late": sum(line.done_late for line in ordered),
        "open": sum(line.open for line in ordered),
        "overdue": sum(line.overdue for line in ordered),
    }
    return ordered, overdue, totals


def previous_report(today):
    """The last report kept from a week before today's."""
    return WeeklyReport.objects.filter(week_of__lt=week_of(today)).order_by("-week_of").first()


def past_reports():
    return WeeklyReport.objects.order_by("-week_of")


@dataclass
class PublicLine:
    unit_name: str
    inspections: int = 0
    findings: int = 0
    remedies: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0


def public_summary(today=None):
    """Per unit, by name only (never people): inspections, findings (failings, not
    exemplary conduct), remedies and how many
    were done on time, done late or are overdue. Units with no inspection are left out."""
    from django.db.models import Count

    from emulation.models import Unit

    from .models import Finding

    today = today or timezone.localdate()
    lines = {
        unit.pk: PublicLine(unit.name, inspections=unit.count)
        for unit in Unit.objects.annotate(count=Count("inspections", distinct=True)).filter(count__gt=0)
    }
    for row in Finding.objects.filter(exemplary=False).values("unit_id").annotate(count=Count("pk")):
        if row["unit_id"] in lines:
            lines[row["unit_id"]].findings = row["count"]
    for remedy in (
        Remedy.objects.filter(referral__isnull=False)
        .select_related("referral")
        .only("unit_id", "referral__status", "referral__due_on", "referral__answered_on")
    ):
        line = lines.get(remedy.unit_id)
        if line is None:
            continue
        referral = remedy.referral
        line.remedies += 1
        if referral.status == Referral.Status.ANSWERED:
            if referral.answered_late():
                line.late += 1
            else:
                line.on_time += 1
        elif referral.due_on < today:
            line.overdue += 1
    return sorted(lines.values(), key=lambda line: line.unit_name)


def review_codes() -> list[str]:
    """The codes of the manifestations that are "passing work around" (the setting
    INSPECTION_REVIEW_CODES; by default the code the referrals use for it)."""
    from django.conf import settings

    return list(getattr(settings, "INSPECTION_REVIEW_CODES", ["day-viec-long-vong"]))


def people_for_review(minimum=None):
    """People named in at least `minimum` findings (settings.INSPECTION_REVIEW_AFTER, 2 by
    default) of passing work around: listed for the organisers to review. Staff only."""
    from django.conf import settings
    from django.db.models import Count, Max, Q

    from emulation.models import Person

    minimum = minimum or getattr(settings, "INSPECTION_REVIEW_AFTER", 2)
    found = Q(inspection_findings__manifestation__code__in=review_codes())
    return (
        Person.objects.annotate(
            repeated=Count("inspection_findings", filter=found, distinct=True),
            last_found=Max("inspection_findings__found_on", filter=found),
        )
        .filter(repeated__gte=minimum)
        .select_related("unit")
        .order_by("-repeated", "-last_found", "full_name")
    )


def overdue_count(today=None) -> int:
    today = today or timezone.localdate()
    return Remedy.objects.filter(referral__status=Referral.Status.OPEN, referral__due_on__lt=today).count()
