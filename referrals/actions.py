"""Every state change of a referral: refer, transfer (the clock keeps running and the
hand-over is counted), answer, note, and the daily reminder of overdue referrals. Each
checks who may act and is one transaction with its audit entry."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emulation.actions import commitments as commitment_actions
from emulation.models import Commitment
from tayho_site import roles
from tayho_site.audit import record
from tayho_site.models import CalendarDay
from tayho_site.sanitize import strip_html
from tayho_site.submissions import check_signed, sign
from tayho_site.workdays import add_working_days, working_days_between

from .models import Referral, ReferralNote, ReferralStep, Verdict
from .permissions import require_holder

DEFAULT_WORKING_DAYS = 10
MAX_WORKING_DAYS = 120


def _require_open(referral):
    if referral.status != Referral.Status.OPEN:
        raise ValidationError(_("This referral has been answered already."))


def _tell_subject(referral, step):
    """The referred record may follow its referral: its `referral_changed(referral, step)`
    is called, in the same transaction, after a transfer or an answer."""
    hook = getattr(referral.subject, "referral_changed", None)
    if hook is not None:
        hook(referral, step)


def refer(subject, *, unit, by, title, working_days=DEFAULT_WORKING_DAYS, supervisor=None, today=None) -> Referral:
    """Hand `subject` to `unit`, due `working_days` working days from today. Organisers
    refer; the permission is checked by the caller (an admin action or view)."""
    if not 1 <= working_days <= MAX_WORKING_DAYS:
        raise ValidationError(_("Give between 1 and %(max)s working days to answer.") % {"max": MAX_WORKING_DAYS})
    today = today or timezone.localdate()
    days_off, extra = CalendarDay.calendar()
    with transaction.atomic():
        referral = Referral.objects.create(
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=str(subject.pk),
            title=title[:250],
            original_unit=unit,
            unit=unit,
            supervisor=supervisor,
            received_on=today,
            working_days=working_days,
            due_on=add_working_days(today, working_days, days_off, extra),
        )
        ReferralStep.objects.create(
            referral=referral, kind=ReferralStep.Kind.REFERRED, on=today, to_unit=unit, actor=by
        )
        record("referral.refer", referral, actor=by, unit=unit.name, due_on=referral.due_on)
    return referral


def transfer(referral, *, to_unit, reason, by, today=None) -> Referral:
    """The holding unit passes the referral on, with a reason everyone can read. The
    deadline does not move. A referral that comes back to a unit that had passed it on,
    or is transferred more than settings.REFERRAL_MAX_TRANSFERS times, is marked as
    passed around from today on."""
    require_holder(by, referral)
    if not reason.strip():
        raise ValidationError(_("Please give the reason for the transfer; it is shown publicly."))
    today = today or timezone.localdate()
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        require_holder(by, referral)  # again, locked: a parallel transfer may have moved it
        _require_open(referral)
        if to_unit.pk == referral.unit_id:
            raise ValidationError(_("The referral is already with this unit."))
        from_unit = referral.unit
        returned = referral.steps.filter(kind=ReferralStep.Kind.TRANSFERRED, from_unit=to_unit).exists()
        referral.unit = to_unit
        referral.transfers += 1
        newly_passed_around = not referral.passed_around and (
            returned or referral.transfers > settings.REFERRAL_MAX_TRANSFERS
        )
        if newly_passed_around:
            referral.passed_around_on = today
        referral.save(update_fields=["unit", "transfers", "passed_around_on"])
        step = ReferralStep.objects.create(
            referral=referral,
            kind=ReferralStep.Kind.TRANSFERRED,
            on=today,
            from_unit=from_unit,
            to_unit=to_unit,
            text=reason.strip(),
            actor=by,
        )
        record(
            "referral.transfer",
            referral,
            actor=by,
            from_unit=from_unit.name,
            to_unit=to_unit.name,
            reason=reason.strip(),
            transfers=referral.transfers,
            passed_around=referral.passed_around,
            came_back=returned,
        )
        _tell_subject(referral, step)
    return referral


def _commit(referral, *, by, plan_date, milestones, today):
    """An accepted answer becomes the unit's public commitment in the movement, due on the
    plan date, with the given milestones: the referral's commitment again (rescheduled) when
    it is still open and still the unit's, otherwise a new one. None without a movement."""
    commitment = referral.commitment
    if commitment is not None and commitment.status in Commitment.OPEN and commitment.unit_id == referral.unit_id:
        commitment_actions.reschedule(commitment, by=by, deadline=plan_date, reason=referral.answer)
    else:
        movement = commitment_actions.movement_for(today)
        if movement is None:
            return None
        commitment = commitment_actions.register(
            by=by,
            movement=movement,
            unit=referral.unit,
            title=referral.title,
            target=referral.answer,
            deadline=plan_date,
            supervisor=referral.supervisor or referral.unit.get_parent() or referral.unit,
        )
    for title, due_on in milestones:
        commitment_actions.add_milestone(commitment, by=by, title=title, due_on=due_on, today=today)
    return commitment


def answer(referral, *, outcome, text, by, plan_date=None, milestones=(), today=None) -> Referral:
    """The holding unit's public answer. Accepted with a plan date, it is also the unit's
    public commitment (emulation), due that date, with optional (title, date) milestones
    between today and the plan date."""
    require_holder(by, referral)
    today = today or timezone.localdate()
    if outcome not in Referral.Outcome.values:
        raise ValidationError(_("Choose the answer."))
    if not text.strip():
        raise ValidationError(_("Please write the answer; it is shown publicly."))
    if outcome == Referral.Outcome.ACCEPTED and plan_date is None:
        raise ValidationError(_("An accepted idea needs the date by which it will be done."))
    if plan_date is not None and plan_date < today:
        raise ValidationError(_("The planned date cannot be in the past."))
    milestones = list(milestones) if outcome == Referral.Outcome.ACCEPTED else []
    for title, due_on in milestones:
        commitment_actions.check_milestone(Commitment(deadline=plan_date), title, due_on, today)
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        require_holder(by, referral)
        _require_open(referral)
        referral.status = Referral.Status.ANSWERED
        referral.outcome = outcome
        referral.answer = text.strip()
        referral.plan_date = plan_date if outcome == Referral.Outcome.ACCEPTED else None
        referral.answered_on = today
        referral.save(update_fields=["status", "outcome", "answer", "plan_date", "answered_on"])
        step = ReferralStep.objects.create(
            referral=referral,
            kind=ReferralStep.Kind.ANSWERED,
            on=today,
            from_unit=referral.unit,
            text=referral.answer,
            actor=by,
        )
        if outcome == Referral.Outcome.ACCEPTED:
            commitment = _commit(referral, by=by, plan_date=plan_date, milestones=milestones, today=today)
            if commitment is not None and commitment.pk != referral.commitment_id:
                referral.commitment = commitment
                referral.save(update_fields=["commitment"])
        record("referral.answer", referral, actor=by, outcome=outcome, late=referral.answered_late())
        _tell_subject(referral, step)
    return referral


def add_note(referral, *, text, by) -> ReferralNote:
    require_holder(by, referral)
    if not text.strip():
        raise ValidationError(_("Please write the note."))
    return ReferralNote.objects.create(referral=referral, unit=referral.unit, author=by, text=text.strip())


def _by_unit(people):
    out = {}
    for person in people:
        address = person.email or person.user.email
        if address:
            out.setdefault(person.unit_id, set()).add(address)
    return out


def remind_overdue(*, site_url="", today=None) -> int:
    """E-mail the officers of each unit holding an overdue referral, and the supervising
    organisation (its supervisors and officers), at most once a day per referral; each
    reminder is a step on the trail (with how many were written to, never who). Returns
    how many referrals were reminded."""
    from django.template.loader import render_to_string
    from django.urls import reverse

    from tayho_site.mail import queue_email

    today = today or timezone.localdate()
    reminded_today = ReferralStep.objects.filter(kind=ReferralStep.Kind.REMINDED, on=today).values("referral_id")
    overdue = list(
        Referral.objects.filter(status=Referral.Status.OPEN, due_on__lt=today)
        .exclude(pk__in=reminded_today)
        .select_related("unit", "supervisor")
    )
    officers = _by_unit(_people([r.unit_id for r in overdue], [roles.UNIT_OFFICERS]))
    supervisors = _by_unit(
        _people([r.supervisor_id for r in overdue if r.supervisor_id], [roles.SUPERVISORS, roles.UNIT_OFFICERS])
    )
    days_off, extra = CalendarDay.calendar()
    for referral in overdue:
        to = sorted(officers.get(referral.unit_id, set()) | supervisors.get(referral.supervisor_id, set()))
        with transaction.atomic():
            ReferralStep.objects.create(
                referral=referral, kind=ReferralStep.Kind.REMINDED, on=today, to_unit=referral.unit, text=str(len(to))
            )
            subject = _("Overdue: “%(title)s” awaits the answer of %(unit)s") % {
                "title": referral.title[:80],
                "unit": referral.unit.name,
            }
            body = render_to_string(
                "referrals/email/overdue.txt",
                {
                    "referral": referral,
                    "link": site_url.rstrip("/") + reverse("referrals:detail", args=[referral.pk]),
                    "late_days": working_days_between(referral.due_on, today, days_off, extra),
                },
            )
            for address in to:  # one message each: nobody sees the others' addresses
                queue_email(address, subject, body)
    return len(overdue)


def _people(unit_ids, groups):
    from emulation.models import Person

    return (
        Person.objects.filter(unit_id__in=unit_ids, active=True, user__groups__name__in=groups, user__is_active=True)
        .select_related("user")
        .distinct()
    )


# --- The resident's verdict on an answer. The link e-mailed to the resident (the idea's
# author, its followers) is signed for one answer of one referral: it judges nothing else,
# and a later answer needs the later link.
VERDICT_SALT = "referrals.verdict"
VERDICT_MAX_AGE = 90 * 24 * 60 * 60
RESIDENT = "người dân (đường dẫn có chữ ký)"


def verdict_token(answer: ReferralStep) -> str:
    return sign(VERDICT_SALT, f"{answer.referral_id}.{answer.pk}")


def check_verdict_link(referral_pk: int, answer_pk: int, token: str) -> None:
    """Raises signing.SignatureExpired for a link older than VERDICT_MAX_AGE and
    signing.BadSignature for a forged one or one made for another answer or referral."""
    check_signed(token, VERDICT_SALT, f"{referral_pk}.{answer_pk}", VERDICT_MAX_AGE)


def verdict_link_problem(referral_pk: int, answer_pk: int, token: str) -> str | None:
    try:
        check_verdict_link(referral_pk, answer_pk, token)
    except signing.SignatureExpired:
        return _("This link has expired. The unit's answer can no longer be judged from it.")
    except signing.BadSignature:
        return _("This link is not valid.")
    return None


def verdict_refusal(answer: ReferralStep) -> str | None:
    """Why this answer can no longer be judged, or None."""
    if Verdict.objects.filter(answer=answer).exists():
        return _("This answer has been judged already. Thank you.")
    latest = (
        ReferralStep.objects.filter(referral_id=answer.referral_id, kind=ReferralStep.Kind.ANSWERED)
        .order_by("-at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if latest != answer.pk or answer.referral.status != Referral.Status.ANSWERED:
        return _("A newer answer has replaced this one; judge it from the link in the latest e-mail.")
    return None


def _plain(text: str, limit: int) -> str:
    lines = (" ".join(strip_html(line).split()) for line in (text or "").splitlines())
    return "\n".join(line for line in lines if line)[:limit]


def give_verdict(answer: ReferralStep, *, resolved: bool, comment="", photo=None, photo_kind="", today=None) -> Verdict:
    """The resident's verdict on `answer` (whose link was checked by the caller): saved
    whole or not at all, once per answer. "Not resolved" reopens the referral with the
    same unit, its working-day clock starting again today, and counts the reopening."""
    today = today or timezone.localdate()
    comment = _plain(comment, 2000)
    if not resolved and not comment:
        raise ValidationError(_("Please say what is still not resolved."))
    days_off, extra = CalendarDay.calendar()
    verdict = None
    try:
        with transaction.atomic():
            referral = Referral.objects.select_for_update().select_related("unit").get(pk=answer.referral_id)
            answer = ReferralStep.objects.select_related("referral").get(pk=answer.pk, referral=referral)
            refusal = verdict_refusal(answer)
            if refusal:
                raise ValidationError(refusal)
            verdict = Verdict.objects.create(
                referral=referral,
                answer=answer,
                unit_id=answer.from_unit_id,
                resolved=resolved,
                comment=comment,
                photo=photo or "",
                photo_kind=photo_kind if photo else "",
                given_on=today,
            )
            if resolved:
                step = ReferralStep.objects.create(
                    referral=referral, kind=ReferralStep.Kind.CONFIRMED, on=today, from_unit_id=answer.from_unit_id
                )
            else:
                referral.status = Referral.Status.OPEN
                referral.outcome, referral.answer, referral.plan_date, referral.answered_on = "", "", None, None
                referral.reopenings += 1
                referral.reopened_on = today
                referral.due_on = add_working_days(today, referral.working_days, days_off, extra)
                referral.save(
                    update_fields=[
                        "status",
                        "outcome",
                        "answer",
                        "plan_date",
                        "answered_on",
                        "reopenings",
                        "reopened_on",
                        "due_on",
                    ]
                )
                step = ReferralStep.objects.create(
                    referral=referral, kind=ReferralStep.Kind.REOPENED, on=today, to_unit=referral.unit
                )
            record(
                "referral.verdict",
                referral,
                actor_label=RESIDENT,
                resolved=resolved,
                unit=referral.unit.name,
                reopenings=referral.reopenings,
                photo=bool(photo),
            )
            _tell_subject(referral, step)
    except Exception:
        # Nothing half-saved: a photo written before the transaction failed goes too.
        if verdict is not None and verdict.photo:
            verdict.photo.storage.delete(verdict.photo.name)
        raise
    return verdict
