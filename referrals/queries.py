"""The public accountability figures per unit: received, answered on time or late, open
and overdue, passed on, passed around, what residents said of the answers, and the
median working days to answer; for all time or one period (a month, a quarter, a year),
and per unit and month for the monthly evaluation."""

import datetime
import re
import statistics
from dataclasses import dataclass

from django.db.models import CharField, Count, F, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from emulation.models import Commitment, Milestone, ProgressReport, Unit
from emulation.permissions import managed_units
from tayho_site.dashboard import WorkItem
from tayho_site.models import CalendarDay
from tayho_site.workdays import working_days_between

from .models import Referral, ReferralStep, Verdict


@dataclass(frozen=True)
class Period:
    """A month, a quarter or a year, named in URLs "2026-11", "2026-q4", "2026"."""

    key: str
    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        year, _sep, part = self.key.partition("-")
        if not part:
            return _("Year %(year)s") % {"year": year}
        if part.startswith("q"):
            return _("Quarter %(quarter)s/%(year)s") % {"quarter": part[1:], "year": year}
        return _("Month %(month)s/%(year)s") % {"month": int(part), "year": year}

    def __contains__(self, day) -> bool:
        return day is not None and self.start <= day <= self.end


PERIOD_KEY = re.compile(r"(?P<year>\d{4})(?:-(?:q(?P<quarter>[1-4])|(?P<month>0[1-9]|1[0-2])))?")


def month_period(year: int, month: int) -> Period:
    start = datetime.date(year, month, 1)
    end = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
    return Period(f"{year}-{month:02d}", start, end)


def parse_period(key: str | None) -> Period | None:
    """The period a URL names, or None (all time) for nothing or nonsense."""
    match = PERIOD_KEY.fullmatch((key or "").strip().lower())
    if match is None or not 2000 <= int(match["year"]) <= 2100:
        return None
    year = int(match["year"])
    if match["month"]:
        return month_period(year, int(match["month"]))
    if match["quarter"]:
        quarter = int(match["quarter"])
        first, last = month_period(year, 3 * quarter - 2), month_period(year, 3 * quarter)
        return Period(f"{year}-q{quarter}", first.start, last.end)
    return Period(str(year), datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def recent_periods(today=None) -> list[Period]:
    """What the page offers to choose: this year and last, their quarters so far, and the
    last twelve months."""
    today = today or timezone.localdate()
    periods = [parse_period(str(today.year)), parse_period(str(today.year - 1))]
    for year in (today.year, today.year - 1):
        last_quarter = (today.month - 1) // 3 + 1 if year == today.year else 4
        periods += [parse_period(f"{year}-q{q}") for q in range(last_quarter, 0, -1)]
    month = datetime.date(today.year, today.month, 1)
    for _n in range(12):
        periods.append(month_period(month.year, month.month))
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return periods


def unit_levels() -> list[int]:
    """The levels of the unit tree (1 the top) that hold units. One query."""
    return sorted(Unit.objects.values_list("depth", flat=True).distinct())


def _in(period, field):
    return {f"{field}__range": (period.start, period.end)} if period else {}


def passed_around_day(step_on, passed_around_on):
    """When a unit's passing on of a passed-around referral counts: the day the referral
    was marked, for the transfers before it; the transfer's own day, for those after."""
    return max(step_on, passed_around_on)


def accountability(today=None, period: Period | None = None, level: int | None = None) -> list[dict]:
    """Per unit that has held a referral (of the tree's `level` only, when given):
    received (first or by transfer), answered (on time / late), open and overdue now,
    transferred away, passed around (the referrals it passed on that were marked so),
    answers given, confirmed and reopened by residents, and the median working days from
    the clock's start to the answer, and its commitments made by accepting an idea that
    are overdue (commitments_overdue()). In a period: what happened in it, and what is open
    now of what was received in it. Five queries, whatever the number of referrals."""
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
                "passed_around": 0,
                "answers": 0,
                "confirmed": 0,
                "reopened": 0,
                "commitments_overdue": 0,
                "days": [],
                "passed": set(),
            },
        )

    steps = ReferralStep.objects.filter(
        kind__in=[ReferralStep.Kind.REFERRED, ReferralStep.Kind.TRANSFERRED, ReferralStep.Kind.ANSWERED]
    ).values_list(
        "kind",
        "on",
        "to_unit_id",
        "to_unit__name",
        "from_unit_id",
        "from_unit__name",
        "referral_id",
        "referral__passed_around_on",
    )
    if period:
        # Transfers before the period count when the referral was marked in it.
        steps = steps.filter(on__lte=period.end)
    for kind, on, to_id, to_name, from_id, from_name, referral_id, passed_around_on in steps:
        if kind == ReferralStep.Kind.TRANSFERRED and passed_around_on is not None:
            if period is None or passed_around_day(on, passed_around_on) in period:
                row(from_id, from_name)["passed"].add(referral_id)
        if period and on not in period:
            continue
        if kind == ReferralStep.Kind.ANSWERED:
            row(from_id, from_name)["answers"] += 1
            continue
        row(to_id, to_name)["received"] += 1
        if kind == ReferralStep.Kind.TRANSFERRED:
            row(from_id, from_name)["transferred_away"] += 1
    for unit_id, name, resolved in Verdict.objects.filter(**_in(period, "given_on")).values_list(
        "unit_id", "unit__name", "resolved"
    ):
        row(unit_id, name)["confirmed" if resolved else "reopened"] += 1
    referrals = Referral.objects.values_list(
        "unit_id", "unit__name", "status", "due_on", "answered_on", "received_on", "reopened_on"
    )
    if period:
        referrals = referrals.filter(**_in(period, "answered_on")) | referrals.filter(
            status=Referral.Status.OPEN, **_in(period, "received_on")
        )
    for unit_id, name, status, due_on, answered_on, received_on, reopened_on in referrals:
        current = row(unit_id, name)
        if status == Referral.Status.ANSWERED:
            current["answered_late" if answered_on > due_on else "answered_on_time"] += 1
            current["days"].append(working_days_between(reopened_on or received_on, answered_on, days_off, extra))
        else:
            current["open"] += 1
            current["overdue"] += due_on < today
    for unit_id, name, count in commitments_overdue(today, period):
        row(unit_id, name)["commitments_overdue"] = count
    if level is not None:
        kept = set(Unit.objects.filter(depth=level).values_list("pk", flat=True))
        rows = {unit_id: current for unit_id, current in rows.items() if unit_id in kept}
    out = []
    for current in sorted(
        rows.values(), key=lambda r: (-r["overdue"], -len(r["passed"]), -r["transferred_away"], r["unit"])
    ):
        days = current.pop("days")
        current["passed_around"] = len(current.pop("passed"))
        current["median_days"] = statistics.median(days) if days else None
        current["waiting"] = current["open"] - current["overdue"]
        current["confirmed_share"] = share(current["confirmed"], current["answers"])
        current["label"] = current["unit"]
        out.append(current)
    return out


def commitments_overdue(today=None, period: Period | None = None):
    """(unit id, unit name, count) of the open commitments that accepted referrals became
    and that are overdue now: past their deadline, or with a milestone due and not done
    (in a period: a deadline or milestone that fell in it). One query."""
    today = today or timezone.localdate()
    late = Q(deadline__lt=today)
    missed = Q(milestones__due_on__lt=today, milestones__done_on__isnull=True)
    if period:
        late &= Q(deadline__range=(period.start, period.end))
        missed &= Q(milestones__due_on__range=(period.start, period.end))
    return (
        Commitment.objects.filter(referrals__isnull=False, status__in=Commitment.OPEN)
        .filter(late | missed)
        .order_by()
        .values_list("unit_id", "unit__name")
        .annotate(count=Count("pk", distinct=True))
    )


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
    "passed_around",
    "answers",
    "confirmed",
    "reopened",
    "commitments_overdue",
)


def accountability_summary(today=None, period: Period | None = None, level: int | None = None) -> dict:
    """The public accountability page: `accountability()` rows and their totals."""
    rows = accountability(today, period=period, level=level)
    totals = {key: sum(row[key] for row in rows) for key in TOTALLED}
    totals["confirmed_share"] = share(totals["confirmed"], totals["answers"])
    return {"rows": rows, "totals": totals}


def monthly_counts(year: int, month: int, today=None) -> dict[int, dict]:
    """What a unit's monthly evaluation reads of its referrals in that month, per unit id:
    overdue (a deadline that fell in the month and was missed: answered after it, or
    still open past it), reopened (answers residents said did not resolve it), passed
    around (referrals it passed on that were marked so, as on the accountability page)
    and confirmed (answers residents confirmed). Three queries."""
    today = today or timezone.localdate()
    period = month_period(year, month)
    counts = {}

    def unit(unit_id):
        return counts.setdefault(unit_id, {"overdue": 0, "reopened": 0, "passed_around": 0, "confirmed": 0})

    for referral in Referral.objects.filter(**_in(period, "due_on"), due_on__lt=today).only(
        "unit_id", "status", "due_on", "answered_on"
    ):
        if referral.status == Referral.Status.OPEN or referral.answered_late():
            unit(referral.unit_id)["overdue"] += 1
    for row in Verdict.objects.filter(**_in(period, "given_on")).values("unit_id", "resolved").annotate(n=Count("pk")):
        unit(row["unit_id"])["confirmed" if row["resolved"] else "reopened"] += row["n"]
    passed = {}
    for unit_id, referral_id, on, passed_around_on in ReferralStep.objects.filter(
        kind=ReferralStep.Kind.TRANSFERRED, referral__passed_around_on__isnull=False, on__lte=period.end
    ).values_list("from_unit_id", "referral_id", "on", "referral__passed_around_on"):
        if passed_around_day(on, passed_around_on) in period:
            passed.setdefault(unit_id, set()).add(referral_id)
    for unit_id, referral_ids in passed.items():
        unit(unit_id)["passed_around"] = len(referral_ids)
    return counts


def accountability_table(rows, totals) -> tuple[list[str], list[list]]:
    """The page's table for a spreadsheet: a header and one row per unit, then the totals."""
    header = [
        _("Unit"),
        _("Received"),
        _("Answered on time"),
        _("Answered late"),
        _("Awaiting an answer"),
        _("Overdue"),
        _("Transferred away"),
        _("Passed around"),
        _("Median working days to answer"),
        _("Answers given"),
        _("Answers confirmed by residents"),
        _("Share confirmed (%)"),
        _("Reopened by residents"),
        _("Commitments overdue"),
    ]
    keys = ["received", "answered_on_time", "answered_late", "open", "overdue", "transferred_away", "passed_around"]
    body = [
        [row["unit"], *(row[key] for key in keys), row["median_days"], row["answers"], row["confirmed"]]
        + [row["confirmed_share"], row["reopened"], row["commitments_overdue"]]
        for row in rows
    ]
    body.append(
        [_("All units"), *(totals[key] for key in keys), None, totals["answers"], totals["confirmed"]]
        + [totals["confirmed_share"], totals["reopened"], totals["commitments_overdue"]]
    )
    return header, body


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


def _milestones_and_reports(commitment):
    """A commitment's milestones and progress reports in one query: (kind, text, day,
    done_on, percent, key, file) rows, "milestone" or "report", `file` the report's
    evidence (empty for a milestone)."""
    fields = ("row_kind", "row_text", "row_day", "row_done", "row_percent", "row_key", "row_file")

    def rows(queryset, kind, text, day, done, percent, file):
        return (
            queryset.annotate(
                row_kind=Value(kind, output_field=CharField()),
                row_text=F(text),
                row_day=F(day),
                row_done=F(done),
                row_percent=percent,
                row_key=F("pk"),
                row_file=file,
            )
            .order_by()
            .values_list(*fields)
        )

    milestones = rows(
        Milestone.objects.filter(commitment=commitment),
        "milestone",
        "title",
        "due_on",
        "done_on",
        Value(0),
        Value("", output_field=CharField()),
    )
    reports = rows(
        ProgressReport.objects.filter(commitment=commitment),
        "report",
        "narrative",
        "date",
        "date",
        F("percent"),
        F("evidence"),
    )
    return milestones.union(reports, all=True).order_by()


PHOTO_EXTENSIONS = (".jpg", ".jpeg", ".png")


def is_progress_photo(name: str) -> bool:
    """Whether a progress report's evidence is a photo, judged from the name the server
    gave it when it checked the file's bytes (`tayho_site.validators.checked_upload`)."""
    return bool(name) and name.lower().endswith(PHOTO_EXTENSIONS)


def public_progress_photo(commitment_id: int, report_id: int):
    """The progress report whose photo the public may see: one of this commitment's
    reports, the commitment public, the evidence a photo. None otherwise. One query."""
    report = ProgressReport.objects.filter(pk=report_id, commitment_id=commitment_id, commitment__public=True).first()
    if report is None or not is_progress_photo(report.evidence.name):
        return None
    return report


def tracking(referral, today=None) -> dict | None:
    """Where the public commitment an accepted referral became stands: its progress,
    status and deadline, its milestones (done, overdue or to come) and its progress
    reports (each with the public address of its photo, if its evidence is one). One
    query when `referral.commitment` is already loaded; None when there is no public
    commitment."""
    commitment = referral.commitment if referral is not None and referral.commitment_id else None
    if commitment is None or not commitment.public:
        return None
    today = today or timezone.localdate()
    is_open = commitment.status in Commitment.OPEN
    milestones, reports = [], []
    for kind, text, day, done_on, percent, key, file in sorted(
        _milestones_and_reports(commitment), key=lambda row: (row[2], row[5])
    ):
        if kind == "milestone":
            milestones.append(
                {
                    "title": text,
                    "due_on": day,
                    "done_on": done_on,
                    "overdue": is_open and done_on is None and day < today,
                }
            )
        else:
            photo = reverse("ideas:progress_photo", args=[commitment.pk, key]) if is_progress_photo(file) else ""
            reports.append({"narrative": text, "date": day, "percent": percent, "photo": photo})
    return {
        "commitment": commitment,
        "overdue": commitment.is_overdue(today),
        "milestones": milestones,
        "missed": sum(1 for milestone in milestones if milestone["overdue"]),
        "reports": reports,
    }


def report_for_token(access_token: str | None):
    """The report a private link opens, or None."""
    from tayho_site.submissions import hash_token

    from .models import BuckReport

    if not access_token:
        return None
    return (
        BuckReport.objects.select_related("office", "entered_by")
        .filter(access_token_hash=hash_token(access_token))
        .first()
    )


def referral_of_report(report):
    """The latest referral of a report, with its unit, or None."""
    from django.contrib.contenttypes.models import ContentType

    return (
        Referral.objects.filter(subject_type=ContentType.objects.get_for_model(report), subject_id=str(report.pk))
        .select_related("unit")
        .order_by("-pk")
        .first()
    )


def published_reports(limit=100):
    """The reports published as an anonymised summary, newest first, each with its latest
    referral (`.referral`, or None): two queries whatever their number."""
    from django.contrib.contenttypes.models import ContentType

    from .models import BuckReport

    reports = list(
        BuckReport.objects.filter(status=BuckReport.Status.PUBLISHED)
        .only("pk", "office_text", "summary", "first_on", "last_on", "screened_at", "status")
        .order_by("-screened_at", "-pk")[:limit]
    )
    referrals = {}
    for referral in (
        Referral.objects.filter(
            subject_type=ContentType.objects.get_for_model(BuckReport), subject_id__in=[str(r.pk) for r in reports]
        )
        .select_related("unit")
        .order_by("pk")
    ):
        referrals[referral.subject_id] = referral
    for report in reports:
        report.referral = referrals.get(str(report.pk))
    return reports


def reports_awaiting_screening() -> int:
    from .models import BuckReport

    return BuckReport.objects.filter(status=BuckReport.Status.PENDING).count()
