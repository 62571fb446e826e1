"""The rules of commitments ("việc mới, việc khó"): who may register, report, remark,
verify or withdraw, and the state each step leads to. Every change is audited."""



from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tayho_site import roles
from tayho_site.audit import record

from .models import Commitment, ProgressReport, SupervisorRemark, Unit


def _in_group(user, name):
    """Group membership, read once per request (the user object lives for one request)."""
    names = getattr(user, "_group_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
        user._group_names = names
    return name in names


def managed_units(user):
    """Units an officer may act for: their own unit and every unit below it."""
    person = getattr(user, "person", None)
    if person is None or not _in_group(user, roles.UNIT_OFFICERS):
        return Unit.objects.none()
    return person.unit.with_descendants()


def supervised_units(user):
    """Organisations a supervisor speaks for: their own and those below it."""
    person = getattr(user, "person", None)
    if person is None or not _in_group(user, roles.SUPERVISORS):
        return Unit.objects.none()
    return person.unit.with_descendants()


def is_organiser(user):
    return user.is_superuser or _in_group(user, roles.ORGANISERS)


def overseen_units(user):
    """Units whose boards and commitments a user may read: every unit for organisers,
    otherwise the units they manage."""
    if is_organiser(user):
        return Unit.objects.all()
    return managed_units(user)


def visible_commitments(user):
    """What a user may read in the workspace: their units' commitments (all of them for
    organisers), and the ones they supervise."""
    return Commitment.objects.filter(unit__in=overseen_units(user)) | Commitment.objects.filter(
        supervisor__in=supervised_units(user))


def _require_officer(user, commitment_or_unit):
    unit = commitment_or_unit.unit if isinstance(commitment_or_unit, Commitment) else commitment_or_unit
    if not managed_units(user).filter(pk=unit.pk).exists():
        raise PermissionDenied


def register(*, by, movement, unit, title, target, deadline, supervisor, year=None, person=None, public=True):
    _require_officer(by, unit)
    if person is not None and not unit.with_descendants().filter(pk=person.unit_id).exists():
        raise ValidationError(_("The person does not belong to this unit."))
    with transaction.atomic():
        commitment = Commitment.objects.create(
            movement=movement, unit=unit, person=person, title=title.strip(), target=target.strip(),
            deadline=deadline, supervisor=supervisor, public=public, year=year or deadline.year)
        record("emulation.commitment.register", commitment, actor=by, unit=unit.name, deadline=deadline)
    return commitment


def report_progress(commitment, *, by, percent, narrative, evidence=None, ready_for_verification=False):
    _require_officer(by, commitment)
    if commitment.status not in Commitment.OPEN:
        raise ValidationError(_("This commitment is closed; no more reports."))
    if not 0 <= percent <= 100:
        raise ValidationError(_("Progress is a percentage between 0 and 100."))
    with transaction.atomic():
        commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
        report = ProgressReport.objects.create(commitment=commitment, percent=percent, narrative=narrative.strip(),
                                               evidence=evidence or "", author=by)
        commitment.progress = percent
        commitment.status = (Commitment.Status.AWAITING_VERIFICATION if ready_for_verification or percent == 100
                             else Commitment.Status.IN_PROGRESS)
        commitment.save(update_fields=["progress", "status", "updated_at"])
        record("emulation.commitment.report", commitment, actor=by, percent=percent, status=commitment.status)
    return report


def remark(commitment, *, by, text, verdict=""):
    """A supervisor's remark; with a verdict, the commitment is verified done or not achieved."""
    if not supervised_units(by).filter(pk=commitment.supervisor_id).exists():
        raise PermissionDenied
    if not text.strip():
        raise ValidationError(_("Please write the remark."))
    if verdict and commitment.status not in Commitment.OPEN:
        raise ValidationError(_("This commitment already has a verdict."))
    with transaction.atomic():
        note = SupervisorRemark.objects.create(commitment=commitment, author=by, text=text.strip(), verdict=verdict)
        if verdict:
            commitment.status = (Commitment.Status.VERIFIED_DONE if verdict == "verified"
                                 else Commitment.Status.NOT_ACHIEVED)
            commitment.status_reason = text.strip()
            commitment.save(update_fields=["status", "status_reason", "updated_at"])
        record("emulation.commitment.remark", commitment, actor=by, verdict=verdict or None)
    return note


def withdraw(commitment, *, by, reason):
    _require_officer(by, commitment)
    if not reason.strip():
        raise ValidationError(_("Please give the reason for withdrawing."))
    if commitment.status not in Commitment.OPEN:
        raise ValidationError(_("This commitment is closed."))
    with transaction.atomic():
        commitment.status = Commitment.Status.WITHDRAWN
        commitment.status_reason = reason.strip()
        commitment.save(update_fields=["status", "status_reason", "updated_at"])
        record("emulation.commitment.withdraw", commitment, actor=by, reason=reason.strip())
    return commitment


def expected_progress(commitment, today):
    """Where a commitment should be by now if work went evenly from registration to deadline."""
    start = timezone.localtime(commitment.created_at).date()
    total = (commitment.deadline - start).days
    if total <= 0:
        return 100
    return max(0, min(100, round(100 * (today - start).days / total)))


def column(commitment, today, *, status=None, progress=None):
    """Which column of the board a commitment stands in on `today` (given its status and
    progress then, which default to the current ones)."""
    status = commitment.status if status is None else status
    progress = commitment.progress if progress is None else progress
    if status not in Commitment.OPEN:
        return "closed"
    if commitment.deadline < today:
        return "overdue"
    if status == Commitment.Status.AWAITING_VERIFICATION:
        return "unverified"
    if progress < expected_progress(commitment, today) - 10:
        return "late"
    return "on_track"


BOARD_COLUMNS = ("overdue", "late", "unverified", "on_track", "closed")


def board(unit, today=None):
    """A unit's (and its sub-units') commitments sorted into the board's columns."""
    today = today or timezone.localdate()
    columns = {key: [] for key in BOARD_COLUMNS}
    for commitment in Commitment.objects.filter(unit__in=unit.with_descendants()).select_related("unit"):
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
        return (Commitment.Status.VERIFIED_DONE if data["verdict"] == "verified"
                else Commitment.Status.NOT_ACHIEVED), progress
    if entry.action == "emulation.commitment.withdraw":
        return Commitment.Status.WITHDRAWN, progress
    return status, progress


def board_history(unit, today=None, count=12):
    """The board at the end of each of the last `count` months, rebuilt from the audit
    trail (the record of every change), so the chart shows what the board said then."""
    from django.contrib.contenttypes.models import ContentType

    from tayho_site.audit import AuditEntry

    from .periods import last_of_month, months_back

    today = today or timezone.localdate()
    commitments = list(Commitment.objects.filter(unit__in=unit.with_descendants()))
    events = {}
    for entry in AuditEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(Commitment),
            target_id__in=[str(c.pk) for c in commitments], action__startswith="emulation.commitment.",
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
