"""Reads the movement's pages share: a unit's board of commitments and its history month
by month, a person's evaluation history and a unit's distribution of ratings."""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tayho_site.dashboard import WorkItem

from . import evaluation as rules
from . import permissions
from .models import CadreRating, Commitment, Rubric, UnitMonth
from .periods import last_of_month, months_back


def expected_progress(commitment, today):
    """Where a commitment should be by now if work went evenly from registration to deadline."""
    start = timezone.localtime(commitment.created_at).date()
    total = (commitment.deadline - start).days
    if total <= 0:
        return 100
    return max(0, min(100, round(100 * (today - start).days / total)))


def column(commitment, today, *, status=None, progress=None):
    """Which column of the board a commitment stands in on `today` (given its status and
    progress then, which default to the current ones). A missed milestone makes an open
    commitment overdue when the commitment carries `missed_milestones` (board() counts
    them)."""
    status = commitment.status if status is None else status
    progress = commitment.progress if progress is None else progress
    if status not in Commitment.OPEN:
        return "closed"
    if commitment.deadline < today or getattr(commitment, "missed_milestones", 0):
        return "overdue"
    if status == Commitment.Status.AWAITING_VERIFICATION:
        return "unverified"
    if progress < expected_progress(commitment, today) - 10:
        return "late"
    return "on_track"


BOARD_COLUMNS = ("overdue", "late", "unverified", "on_track", "closed")


def board(unit, today=None):
    """A unit's (and its sub-units') commitments sorted into the board's columns, each
    with the number of its milestones due before `today` and not done."""
    today = today or timezone.localdate()
    columns = {key: [] for key in BOARD_COLUMNS}
    missed = Count("milestones", filter=Q(milestones__due_on__lt=today, milestones__done_on__isnull=True))
    commitments = (
        Commitment.objects.filter(unit__in=unit.with_descendants())
        .select_related("unit")
        .annotate(missed_milestones=missed)
    )
    for commitment in commitments:
        columns[column(commitment, today)].append(commitment)
    return columns


def _state_after(entry, state):
    """The (status, progress) a commitment had after one of its audit entries."""
    status, progress = state
    data = entry.data
    if entry.action == "emulation.commitment.register":
        return Commitment.Status.REGISTERED, 0
    if entry.action == "emulation.commitment.report":
        return data.get("status", status), data.get("percent", progress)
    if entry.action == "emulation.commitment.remark" and data.get("verdict"):
        return (
            Commitment.Status.VERIFIED_DONE if data["verdict"] == "verified" else Commitment.Status.NOT_ACHIEVED
        ), progress
    if entry.action == "emulation.commitment.withdraw":
        return Commitment.Status.WITHDRAWN, progress
    return status, progress


def board_history(unit, today=None, count=12):
    """The board at the end of each of the last `count` months, rebuilt from the audit
    trail (the record of every change), so the chart shows what the board said then."""
    from django.contrib.contenttypes.models import ContentType

    from tayho_site.models import AuditEntry

    today = today or timezone.localdate()
    commitments = list(Commitment.objects.filter(unit__in=unit.with_descendants()))
    events = {}
    for entry in AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(Commitment),
        target_id__in=[str(c.pk) for c in commitments],
        action__startswith="emulation.commitment.",
    ).order_by("at", "pk"):
        events.setdefault(entry.target_id, []).append(entry)
    rows = []
    for month in months_back(today, count):
        end = min(last_of_month(month), today)
        row = {"month": month, **{key: 0 for key in BOARD_COLUMNS}}
        for commitment in commitments:
            if timezone.localtime(commitment.created_at).date() > end:
                continue
            trail = events.get(str(commitment.pk))
            if not trail:  # no recorded changes (e.g. imported): its present state throughout
                state = (commitment.status, commitment.progress)
            else:
                state = (Commitment.Status.REGISTERED, 0)
                for entry in trail:
                    if timezone.localtime(entry.at).date() > end:
                        break
                    state = _state_after(entry, state)
            row[column(commitment, end, status=state[0], progress=state[1])] += 1
        rows.append(row)
    return rows


def rubric_for(unit):
    return Rubric.objects.filter(kind_id=unit.kind_id).prefetch_related("criteria", "deductions").first()


def confirmed_merits(person, period):
    """A cadre's merits confirmed by the head in the months of `period` (first day, last
    day; both included), oldest first: what honour suggestions take into account."""
    from .models import MonthProposal

    start, end = period
    return (
        MonthProposal.objects.filter(
            person=person,
            kind=MonthProposal.Kind.MERIT,
            state=MonthProposal.State.CONFIRMED,
            unit_month__month__gte=start.replace(day=1),
            unit_month__month__lte=end,
        )
        .select_related("unit_month")
        .order_by("unit_month__month", "pk")
    )


def merit_counts(period) -> dict:
    """{person id: how many merits the heads confirmed for them} in the months of
    `period` (first day, last day): `confirmed_merits` for everyone at once."""
    from django.db.models import Count

    from .models import MonthProposal

    start, end = period
    return dict(
        MonthProposal.objects.filter(
            person__isnull=False,
            kind=MonthProposal.Kind.MERIT,
            state=MonthProposal.State.CONFIRMED,
            unit_month__month__gte=start.replace(day=1),
            unit_month__month__lte=end,
        )
        .values("person_id")
        .annotate(count=Count("pk"))
        .values_list("person_id", "count")
    )


def person_history(person, until: datetime.date, count: int = 12, within=None) -> list[dict]:
    """A person's finalised ratings over the `count` months ending with `until`'s month;
    months without a finalised rating are kept, empty, so gaps show. `within` limits the
    ratings to those unit months (what the reader may see: a person who moved to another
    unit keeps their earlier months out of the new unit's sight)."""
    months = months_back(until, count)
    ratings = CadreRating.objects.filter(
        person=person,
        unit_month__finalised_at__isnull=False,
        unit_month__month__gte=months[0],
        unit_month__month__lte=months[-1],
    )
    if within is not None:
        ratings = ratings.filter(unit_month__in=within)
    found = {rating.unit_month.month: rating for rating in ratings.select_related("unit_month")}
    return [
        {
            "month": month,
            "band": found[month].head_rating if month in found else "",
            "points": found[month].head_points if month in found else None,
        }
        for month in months
    ]


def unit_distribution(unit, until: datetime.date, count: int = 12) -> list[dict]:
    """Per month, how many of the unit's cadres were rated in each band (finalised months)."""
    months = months_back(until, count)
    rows = {month: {band: 0 for band in rules.BANDS} for month in months}
    for month, band in (
        CadreRating.objects.filter(
            unit_month__unit=unit,
            unit_month__finalised_at__isnull=False,
            unit_month__month__gte=months[0],
            unit_month__month__lte=months[-1],
        )
        .exclude(head_rating="")
        .values_list("unit_month__month", "head_rating")
    ):
        rows[month][band] += 1
    return [{"month": month, **rows[month]} for month in months]


def months_not_finalised(months) -> int:
    """Of these unit months, how many are still open (not finalised)."""
    return months.filter(finalised_at__isnull=True).count()


SOON = datetime.timedelta(days=30)


def to_do(user, today=None) -> list:
    """The officer's and supervisor's "what is yours to do": commitments of their units
    that need a progress report (overdue, behind schedule or due within 30 days), those
    awaiting their organisation's verification, the months they evaluate and finalise,
    and their own self-assessments. A fixed number of queries."""
    today = today or timezone.localdate()
    items = []
    managed = permissions.managed_units(user)
    reports = Commitment.objects.filter(
        unit__in=managed, status__in=[Commitment.Status.REGISTERED, Commitment.Status.IN_PROGRESS]
    ).select_related("unit")
    for commitment in reports.order_by("deadline", "pk"):
        place = column(commitment, today)
        if place in ("overdue", "late") or commitment.deadline <= today + SOON:
            note = _("Behind schedule") if place == "late" else ""  # overdue: the date says so
            items.append(
                WorkItem(
                    _("Report progress: %(title)s") % {"title": commitment.title},
                    reverse("emulation:commitment", args=[commitment.pk]),
                    commitment.deadline,
                    " · ".join(filter(None, [commitment.unit.name, f"{commitment.progress}%", str(note)])),
                )
            )
    to_verify = Commitment.objects.filter(
        supervisor__in=permissions.supervised_units(user), status=Commitment.Status.AWAITING_VERIFICATION
    ).select_related("unit")
    for commitment in to_verify.order_by("deadline", "pk"):
        items.append(
            WorkItem(
                _("Verify: %(title)s") % {"title": commitment.title},
                reverse("emulation:commitment", args=[commitment.pk]),
                None,
                commitment.unit.name,
            )
        )
    months = (
        UnitMonth.objects.filter(unit__in=permissions.month_opening_units(user), finalised_at__isnull=True)
        .select_related("unit")
        .annotate(cadres=Count("ratings"), assessed=Count("ratings", filter=~Q(ratings__head_rating="")))
        .order_by("month", "unit__path")
    )
    for unit_month in months:
        items.append(
            WorkItem(
                _("Evaluate and finalise: %(unit)s, month %(month)s")
                % {"unit": unit_month.unit.name, "month": f"{unit_month.month:%m/%Y}"},
                reverse("emulation:month", args=[unit_month.pk]),
                None,
                _("%(assessed)s of %(cadres)s cadres assessed")
                % {"assessed": unit_month.assessed, "cadres": unit_month.cadres},
            )
        )
    own = (
        permissions.own_ratings(user)
        .filter(self_rating="", unit_month__finalised_at__isnull=True)
        .select_related("unit_month__unit")
        .order_by("unit_month__month")
    )
    for rating in own:
        items.append(
            WorkItem(
                _("Assess yourself: month %(month)s") % {"month": f"{rating.unit_month.month:%m/%Y}"},
                reverse("emulation:assess", args=[rating.pk]),
                None,
                rating.unit_month.unit.name,
            )
        )
    return items
