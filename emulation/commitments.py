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
    return user.groups.filter(name=name).exists()


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


def visible_commitments(user):
    """What a user may read in the workspace: their units' commitments, and the ones
    they supervise."""
    return Commitment.objects.filter(unit__in=managed_units(user)) | Commitment.objects.filter(
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


def board(unit, today=None):
    """A unit's (and its sub-units') commitments sorted into the board's columns."""
    today = today or timezone.localdate()
    columns = {"on_track": [], "late": [], "overdue": [], "unverified": [], "closed": []}
    for commitment in Commitment.objects.filter(unit__in=unit.with_descendants()).select_related("unit"):
        if commitment.status not in Commitment.OPEN:
            columns["closed"].append(commitment)
        elif commitment.is_overdue(today):
            columns["overdue"].append(commitment)
        elif commitment.status == Commitment.Status.AWAITING_VERIFICATION:
            columns["unverified"].append(commitment)
        elif commitment.progress < expected_progress(commitment, today) - 10:
            columns["late"].append(commitment)
        else:
            columns["on_track"].append(commitment)
    return columns


