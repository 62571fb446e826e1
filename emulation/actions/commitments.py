"""Commitments ("việc mới, việc khó"): register, report progress, remark and verify,
withdraw. Each step checks who may take it, writes the state it leads to and its audit
entry in one transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tayho_site.audit import record

from ..models import Commitment, Milestone, MovementPage, ProgressReport, SupervisorRemark
from ..permissions import require_officer, supervised_units


def register(*, by, movement, unit, title, target, deadline, supervisor, year=None, person=None, public=True):
    require_officer(by, unit)
    if person is not None and not unit.with_descendants().filter(pk=person.unit_id).exists():
        raise ValidationError(_("The person does not belong to this unit."))
    with transaction.atomic():
        commitment = Commitment.objects.create(
            movement=movement,
            unit=unit,
            person=person,
            title=title.strip(),
            target=target.strip(),
            deadline=deadline,
            supervisor=supervisor,
            public=public,
            year=year or deadline.year,
        )
        record("emulation.commitment.register", commitment, actor=by, unit=unit.name, deadline=deadline)
    return commitment


def report_progress(commitment, *, by, percent, narrative, evidence=None, ready_for_verification=False):
    require_officer(by, commitment)
    if commitment.status not in Commitment.OPEN:
        raise ValidationError(_("This commitment is closed; no more reports."))
    if not 0 <= percent <= 100:
        raise ValidationError(_("Progress is a percentage between 0 and 100."))
    with transaction.atomic():
        commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
        report = ProgressReport.objects.create(
            commitment=commitment, percent=percent, narrative=narrative.strip(), evidence=evidence or "", author=by
        )
        commitment.progress = percent
        commitment.status = (
            Commitment.Status.AWAITING_VERIFICATION
            if ready_for_verification or percent == 100
            else Commitment.Status.IN_PROGRESS
        )
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
            commitment.status = (
                Commitment.Status.VERIFIED_DONE if verdict == "verified" else Commitment.Status.NOT_ACHIEVED
            )
            commitment.status_reason = text.strip()
            commitment.save(update_fields=["status", "status_reason", "updated_at"])
        record("emulation.commitment.remark", commitment, actor=by, verdict=verdict or None)
    return note


def withdraw(commitment, *, by, reason):
    require_officer(by, commitment)
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


def movement_for(day):
    """The live movement whose period covers `day` (the latest begun, if several), else the
    latest live movement; None when there is no movement at all."""
    live = MovementPage.objects.live().order_by("-period_start", "-pk")
    covering = (
        live.filter(period_start__lte=day)
        .filter(models.Q(period_end__isnull=True) | models.Q(period_end__gte=day))
        .first()
    )
    return covering or live.first()


def reschedule(commitment, *, by, deadline, reason=""):
    """An open commitment's new deadline (a new plan date for the same task)."""
    require_officer(by, commitment)
    if commitment.status not in Commitment.OPEN:
        raise ValidationError(_("This commitment is closed."))
    with transaction.atomic():
        previous = commitment.deadline
        commitment.deadline = deadline
        commitment.save(update_fields=["deadline", "updated_at"])
        record(
            "emulation.commitment.reschedule",
            commitment,
            actor=by,
            previous=previous,
            deadline=deadline,
            reason=reason.strip() or None,
        )
    return commitment


def check_milestone(commitment, title, due_on, today=None):
    today = today or timezone.localdate()
    if not title.strip():
        raise ValidationError(_("Please name the milestone."))
    if due_on < today:
        raise ValidationError(_("A milestone cannot be due in the past."))
    if due_on > commitment.deadline:
        raise ValidationError(_("A milestone cannot be due after the commitment's deadline."))


def add_milestone(commitment, *, by, title, due_on, today=None):
    require_officer(by, commitment)
    if commitment.status not in Commitment.OPEN:
        raise ValidationError(_("This commitment is closed."))
    check_milestone(commitment, title, due_on, today)
    with transaction.atomic():
        milestone = Milestone.objects.create(commitment=commitment, title=title.strip()[:250], due_on=due_on)
        record("emulation.commitment.milestone", commitment, actor=by, title=milestone.title, due_on=due_on)
    return milestone


def complete_milestone(milestone, *, by, on=None):
    require_officer(by, milestone.commitment)
    if milestone.done_on is not None:
        raise ValidationError(_("This milestone is done already."))
    on = on or timezone.localdate()
    with transaction.atomic():
        milestone.done_on = on
        milestone.save(update_fields=["done_on"])
        record("emulation.commitment.milestone_done", milestone.commitment, actor=by, title=milestone.title, on=on)
    return milestone
