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
from tayho_site.submissions import (
    CONFIRMATION_MAX_AGE,
    absolute,
    check_signed,
    hash_token,
    new_access_token,
    sign,
)
from tayho_site.workdays import add_working_days, working_days_between

from .models import BuckReport, Referral, ReferralNote, ReferralStep, Verdict
from .permissions import require_holder, require_screener, require_ward_staff

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


def verdict_path(referral: Referral, answer: ReferralStep) -> str:
    """The signed page where a resident says whether `answer` resolved what they sent
    (an idea, a report of passing the buck)."""
    from django.urls import reverse

    return reverse("ideas:verdict", args=[referral.pk, answer.pk, verdict_token(answer)])


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


# --- Residents' reports of passing the buck (BuckReport): sent from the public form and
# confirmed by the e-mailed link, or entered by ward staff for a resident without e-mail;
# screened by the organisers, then referred like an idea.
REPORT_AUTHOR = "người phản ánh (đường dẫn riêng)"
REPORT_CONFIRM_SALT = "referrals.report.confirm"


def report_private_path(access_token: str) -> str:
    from django.urls import reverse

    return reverse("reports:private", args=[access_token])


def report_confirm_path(report: BuckReport, access_token: str) -> str:
    from django.urls import reverse

    return reverse("reports:confirm", args=[access_token, sign(REPORT_CONFIRM_SALT, report.pk)])


def check_report_confirmation(report: BuckReport, token: str) -> None:
    check_signed(token, REPORT_CONFIRM_SALT, report.pk, CONFIRMATION_MAX_AGE)


def send_report_confirmation(report: BuckReport, access_token: str, request=None):
    from django.template.loader import render_to_string

    from tayho_site.mail import queue_email

    queue_email(
        report.email,
        _("Please confirm your report %(code)s") % {"code": report.code},
        render_to_string(
            "referrals/email/report_confirm.txt",
            {
                "report": report,
                "confirm_link": absolute(request, report_confirm_path(report, access_token)),
                "private_link": absolute(request, report_private_path(access_token)),
            },
        ),
    )


def submit_report(
    *,
    office,
    office_text,
    asked,
    sent_where,
    first_on,
    last_on,
    full_name,
    email="",
    phone="",
    document=None,
    document_kind="",
    entered_by=None,
    request=None,
    now=None,
) -> tuple[BuckReport, str]:
    """Save a report whole (the consent given now), or nothing. From the public form it
    awaits the e-mailed confirmation; entered by ward staff (`entered_by`, who must say
    the resident agreed) it goes straight to screening, the staff member on the trail.
    Returns the report and its private link's token."""
    now = now or timezone.now()
    if entered_by is not None:
        require_ward_staff(entered_by)
    if entered_by is None and not email:
        raise ValidationError(_("Please give the e-mail address the confirmation link is sent to."))
    access_token = new_access_token()
    report = None
    try:
        with transaction.atomic():
            report = BuckReport.objects.create(
                office=office,
                office_text=" ".join(_plain(office_text, 250).split()),
                asked=_plain(asked, 5000),
                sent_where=_plain(sent_where, 5000),
                first_on=first_on,
                last_on=last_on,
                full_name=" ".join(_plain(full_name, 120).split()),
                email=email,
                phone=phone,
                document=document or "",
                document_kind=document_kind if document else "",
                consent_at=now,
                entered_by=entered_by,
                access_token_hash=hash_token(access_token),
                status=BuckReport.Status.AWAITING_CONFIRMATION if entered_by is None else BuckReport.Status.PENDING,
                confirmed_at=None if entered_by is None else now,
            )
            if entered_by is None:
                record("referrals.report.submit", report, actor_label=REPORT_AUTHOR)
                send_report_confirmation(report, access_token, request)
            else:
                record("referrals.report.enter", report, actor=entered_by, consent="resident, in person")
    except Exception:
        # Nothing half-saved: a document written before the transaction failed goes too.
        if report is not None and report.document:
            report.document.storage.delete(report.document.name)
        raise
    return report, access_token


def confirm_report(report: BuckReport) -> BuckReport:
    """The author confirmed their address: the report goes to the organisers' screening."""
    with transaction.atomic():
        report = BuckReport.objects.select_for_update().get(pk=report.pk)
        if report.status != BuckReport.Status.AWAITING_CONFIRMATION:
            return report
        report.status = BuckReport.Status.PENDING
        report.confirmed_at = timezone.now()
        report.save(update_fields=["status", "confirmed_at"])
        record("referrals.report.confirm", report, actor_label=REPORT_AUTHOR)
    return report


SCREENING = {
    "publish": BuckReport.Status.PUBLISHED,
    "private": BuckReport.Status.PRIVATE,
    "refuse": BuckReport.Status.REFUSED,
}


def screen_report(report: BuckReport, *, decision: str, by, summary="", reason="") -> BuckReport:
    """An organiser screens a confirmed report: publish an anonymised summary (written by
    the organiser, never the resident's own words or name), keep it private, or refuse it
    with a reason the author reads on their private page. A decision may be changed."""
    require_screener(by)
    if decision not in SCREENING:
        raise ValidationError(_("Choose what to do with the report."))
    summary, reason = _plain(summary, 3000), _plain(reason, 2000)
    if decision == "publish" and not summary:
        raise ValidationError(_("Please write the anonymised summary that will be published."))
    if decision == "refuse" and not reason:
        raise ValidationError(_("Please give the reason; the author reads it."))
    with transaction.atomic():
        report = BuckReport.objects.select_for_update().get(pk=report.pk)
        if report.status == BuckReport.Status.AWAITING_CONFIRMATION:
            raise ValidationError(_("The author has not confirmed this report yet."))
        report.status = SCREENING[decision]
        report.summary = summary if decision == "publish" else ""
        report.reason = reason if decision == "refuse" else ""
        report.screened_at = timezone.now()
        report.save(update_fields=["status", "summary", "reason", "screened_at"])
        record("referrals.report.screen", report, actor=by, decision=decision)
        tell_report_author(report, report.get_status_display(), report.reason)
    return report


def refer_report(report: BuckReport, *, unit, by, working_days=DEFAULT_WORKING_DAYS, supervisor=None, today=None):
    """An organiser refers a screened (published or private) report to the unit that
    supervises the office, on the same working-day clock as ideas; it then counts on the
    accountability page like every referral. Its title names the office, never the author."""
    require_screener(by)
    with transaction.atomic():
        report = BuckReport.objects.select_for_update().get(pk=report.pk)
        if report.status not in (BuckReport.Status.PUBLISHED, BuckReport.Status.PRIVATE):
            raise ValidationError(_("Publish the report or keep it private before referring it."))
        if Referral.objects.filter(
            subject_type=ContentType.objects.get_for_model(report), subject_id=str(report.pk)
        ).exists():
            raise ValidationError(_("This report has been referred already."))
        return refer(
            report,
            unit=unit,
            by=by,
            title=str(report.public_title),
            working_days=working_days,
            supervisor=supervisor,
            today=today,
        )


def tell_report_author(report: BuckReport, status, text="", verdict_link=""):
    """E-mail the author (when they gave an address) what happened to their report; the
    details are on their private page. After an answer, `verdict_link` lets them judge it."""
    if not report.email:
        return
    from django.template.loader import render_to_string

    from tayho_site.mail import queue_email

    queue_email(
        report.email,
        _("Your report %(code)s: %(status)s") % {"code": report.code, "status": status},
        render_to_string(
            "referrals/email/report_status.txt",
            {"report": report, "status": status, "text": text, "verdict_link": verdict_link},
        ),
    )


def report_referral_changed(report: BuckReport, referral, step):
    """Called with the referral's own change (same transaction): the author hears of the
    unit's answer, with the signed link to say whether it resolved their report (as an
    idea's author does), and of what their verdict did."""
    from tayho_site.submissions import absolute

    if step.kind == ReferralStep.Kind.ANSWERED:
        tell_report_author(
            report,
            _("%(unit)s answered") % {"unit": referral.unit.name},
            f"{referral.get_outcome_display()}: {referral.answer}",
            verdict_link=absolute(None, verdict_path(referral, step)),
        )
    elif step.kind == ReferralStep.Kind.REOPENED:
        tell_report_author(
            report,
            _("reopened: a resident said the answer did not resolve it; %(unit)s must answer again by %(date)s")
            % {"unit": referral.unit.name, "date": referral.due_on.strftime("%d/%m/%Y")},
        )


def report_erasure_outcome(report: BuckReport) -> str:
    """ "deleted" for a report never referred; "anonymised" once a unit has it (its text,
    summary and referral trail stay, with no link to its author)."""
    referred = Referral.objects.filter(
        subject_type=ContentType.objects.get_for_model(report), subject_id=str(report.pk)
    ).exists()
    return "anonymised" if referred else "deleted"


def erase_report_data(report: BuckReport) -> str:
    """The author erases what identifies them, from their private link; the mails of the
    queue that hold their address go too."""
    from tayho_site.mail import forget_address

    with transaction.atomic():
        report = BuckReport.objects.select_for_update().get(pk=report.pk)
        if report.document:
            document = report.document
            transaction.on_commit(lambda: document.storage.delete(document.name))
        mails = forget_address(report.email) if report.email else 0
        outcome = report_erasure_outcome(report)
        record("referrals.report.erase", report, actor_label=REPORT_AUTHOR, outcome=outcome, mails_deleted=mails)
        if outcome == "deleted":
            report.delete()
            return outcome
        report.full_name, report.email, report.phone = "", "", ""
        report.document, report.document_kind = "", ""
        report.access_token_hash = hash_token(new_access_token())  # a link nobody holds
        report.save(update_fields=["full_name", "email", "phone", "document", "document_kind", "access_token_hash"])
    return outcome
