"""Every change of an inspection: open it, record a finding (evidence through the one
upload check), record a conclusion with its remedies — each remedy referred to its unit
on the referrals' engine. Each checks who may act, is one transaction, and is audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from referrals.actions import DEFAULT_WORKING_DAYS, refer
from tayho_site.audit import record
from tayho_site.validators import checked_upload

from .models import Conclusion, Finding, Inspection, Remedy
from .permissions import may_create, require_editor

UPLOAD_KINDS = ("pdf", "docx", "jpeg", "png")


def open_inspection(*, by, title, kind, subject, units, team, starts_on, ends_on, topic="") -> Inspection:
    if not may_create(by):
        raise PermissionDenied
    if ends_on < starts_on:
        raise ValidationError(_("The inspection cannot end before it starts."))
    if subject == Inspection.Subject.TOPIC and not topic.strip():
        raise ValidationError(_("Name the topic of the inspection."))
    with transaction.atomic():
        inspection = Inspection.objects.create(
            title=title.strip(),
            kind=kind,
            subject=subject,
            topic=topic.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=by,
        )
        inspection.units.set(units)
        inspection.team.set(team)
        record("inspection.open", inspection, actor=by, kind=kind, subject=subject)
    return inspection


def _checked(upload, stem):
    if not upload:
        return None, ""
    cleaned, kind, _original = checked_upload(upload, kinds=UPLOAD_KINDS, stem=stem)
    return cleaned, kind


def add_finding(
    inspection, *, by, unit, manifestation, found_on, text, people=(), evidence=None, exemplary=False
) -> Finding:
    """A failing names the manifestation it is; exemplary conduct names none."""
    require_editor(by, inspection)
    if exemplary:
        manifestation = None
    elif manifestation is None:
        raise ValidationError(_("Name the manifestation found, or mark the finding as exemplary conduct."))
    if not inspection.units.filter(pk=unit.pk).exists():
        raise ValidationError(_("The unit was not among those inspected."))
    people = list(people)
    if any(person.unit_id != unit.pk for person in people):
        raise ValidationError(_("The people named must belong to the unit."))
    if not text.strip():
        raise ValidationError(_("Say what was found."))
    upload, kind = _checked(evidence, "minh-chung")
    with transaction.atomic():
        finding = Finding(
            inspection=inspection,
            unit=unit,
            manifestation=manifestation,
            exemplary=exemplary,
            found_on=found_on,
            text=text.strip(),
            evidence_kind=kind,
            created_by=by,
        )
        if upload:
            finding.evidence = upload
        finding.save()
        finding.people.set(people)
        record(
            "inspection.finding",
            finding,
            actor=by,
            inspection=inspection.pk,
            unit=unit.name,
            people=len(people),
            exemplary=exemplary,
        )
    return finding


def conclude(
    inspection, *, by, number, signed_on, signer, remedies, document=None, working_days=DEFAULT_WORKING_DAYS, today=None
) -> Conclusion:
    """Record a signed conclusion; `remedies` are (unit, text) pairs, each referred to its
    unit, due `working_days` working days from today (the referrals' clock)."""
    require_editor(by, inspection)
    if not number.strip() or not signer.strip():
        raise ValidationError(_("Give the conclusion's number and who signed it."))
    remedies = [(unit, text.strip()) for unit, text in remedies if text.strip()]
    if not remedies:
        raise ValidationError(_("A conclusion requires at least one remedy."))
    upload, kind = _checked(document, "ket-luan")
    with transaction.atomic():
        conclusion = Conclusion(
            inspection=inspection, number=number.strip(), signed_on=signed_on, signer=signer.strip(), document_kind=kind
        )
        if upload:
            conclusion.document = upload
        conclusion.save()
        for unit, text in remedies:
            remedy = Remedy.objects.create(conclusion=conclusion, unit=unit, text=text)
            remedy.referral = refer(
                remedy,
                unit=unit,
                by=by,
                title=_("Remedy of conclusion %(number)s: %(text)s") % {"number": conclusion.number, "text": text},
                working_days=working_days,
                today=today,
            )
            remedy.save(update_fields=["referral"])
        record("inspection.conclude", conclusion, actor=by, inspection=inspection.pk, remedies=len(remedies))
    return conclusion


def issue_weekly_report(*, today=None, site_url="", force=False):
    """On the report's weekday (settings.INSPECTION_REPORT_WEEKDAY, 0 = Monday; any day
    with `force`), keep this week's figures and e-mail the Standing Committee ("Thường
    trực") a summary with links to the page, its PDF and XLSX. Safe to run twice: a week's
    report is kept and sent once. Returns the report, or None when it is not the day."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import timezone

    from tayho_site import roles
    from tayho_site.mail import queue_email

    from . import queries, reports
    from .models import WeeklyReport

    today = today or timezone.localdate()
    if not force and today.weekday() != getattr(settings, "INSPECTION_REPORT_WEEKDAY", 0):
        return None
    lines, overdue, totals = queries.weekly_report(today)
    previous = queries.previous_report(today)
    _per_unit, total_changes = reports.changes(lines, totals, previous.figures if previous else None)
    with transaction.atomic():
        report, _created = WeeklyReport.objects.select_for_update().get_or_create(week_of=queries.week_of(today))
        if report.sent_at:
            return report
        report.figures = reports.figures(lines, totals)
        report.sent_at = timezone.now()
        report.save(update_fields=["figures", "sent_at"])
        addresses = sorted(
            set(
                get_user_model()
                .objects.filter(groups__name=roles.STANDING_COMMITTEE, is_active=True)
                .exclude(email="")
                .values_list("email", flat=True)
            )
        )
        link = site_url.rstrip("/") + reverse("inspections:weekly")
        body = render_to_string(
            "emulation/inspections/email/weekly.txt",
            {
                "totals": totals,
                "changes": total_changes,
                "lines": lines[:20],
                "oldest": overdue[:10],
                "link": link,
                "today": today,
            },
        )
        subject = _("Weekly report on inspection conclusions, week of %(day)s") % {
            "day": report.week_of.strftime("%d/%m/%Y")
        }
        for address in addresses:  # one message each
            queue_email(address, subject, body)
        record("inspection.weekly_report", report, recipients=len(addresses), **totals)
    return report
