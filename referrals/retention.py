"""How long the units' private notes on referrals, residents' verdicts and reports of
passing the buck keep personal data (see tayho_site.retention).

The notes are working notes between officers (they may name or reach the resident
concerned); the public trail of the referral (steps, answer) is the record and stays.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tayho_site import retention

from .models import BuckReport, Referral, ReferralNote, Verdict


def purge_notes(now, days) -> int:
    """Notes of referrals answered longer ago than the period: deleted."""
    answered_before = timezone.localdate(retention.cutoff(now, days))
    notes = ReferralNote.objects.filter(
        referral__status=Referral.Status.ANSWERED, referral__answered_on__lt=answered_before
    )
    return retention.delete_in_batches(notes)


def clear_verdicts(now, days) -> int:
    """Residents' verdicts older than the period: their comment and photo go; whether the
    answer resolved the matter, and when it was said, stay (the public figures)."""
    before = timezone.localdate(retention.cutoff(now, days))
    verdicts = Verdict.objects.filter(given_on__lt=before).exclude(comment="", photo="")

    def apply(pks):
        rows = Verdict.objects.filter(pk__in=pks)
        retention.delete_files(row.photo for row in rows.only("photo"))
        return rows.update(comment="", photo="", photo_kind="")

    return retention.in_batches(verdicts, apply)


def purge_unconfirmed_reports(now, days) -> int:
    """Reports never confirmed from the e-mailed link: deleted whole, with their document."""
    reports = BuckReport.objects.filter(
        status=BuckReport.Status.AWAITING_CONFIRMATION, created_at__lt=retention.cutoff(now, days)
    )
    return retention.delete_in_batches(reports, file_field="document")


def clear_report_authors(now, days) -> int:
    """Reports screened longer ago than the period whose referral, if any, is no longer
    waiting: the author's name, e-mail, phone and document go, and the private link opens
    nothing; the report's text, summary, decision and referral trail stay."""
    from django.contrib.contenttypes.models import ContentType

    from tayho_site.submissions import hash_token, new_access_token

    waiting = Referral.objects.filter(
        subject_type=ContentType.objects.get_for_model(BuckReport), status=Referral.Status.OPEN
    ).values_list("subject_id", flat=True)
    reports = (
        BuckReport.objects.filter(screened_at__lt=retention.cutoff(now, days))
        .exclude(full_name="", email="", phone="", document="")
        .exclude(pk__in=[int(pk) for pk in waiting])
    )

    def apply(pks):
        rows = BuckReport.objects.filter(pk__in=pks)
        retention.delete_files(row.document for row in rows.only("document"))
        for pk in pks:  # a private link nobody holds, one each
            BuckReport.objects.filter(pk=pk).update(access_token_hash=hash_token(new_access_token()))
        return rows.update(full_name="", email="", phone="", document="", document_kind="")

    return retention.in_batches(reports, apply)


def register_kinds():
    retention.register(
        "referrals.unconfirmed_reports",
        "unconfirmed",
        purge_unconfirmed_reports,
        _("Reports of passing the buck never confirmed by e-mail: deleted whole."),
        model="referrals.BuckReport",
    )
    retention.register(
        "referrals.report_authors",
        "report_authors",
        clear_report_authors,
        _(
            "Authors of reports of passing the buck, counted from the screening, no referral waiting: name, "
            "contact details and document deleted; the report, its summary and its referral trail stay."
        ),
        model="referrals.BuckReport",
    )
    retention.register(
        "referrals.notes",
        "referral_notes",
        purge_notes,
        _("Units' private notes on referrals, counted from the answer: deleted; the public trail and the answer stay."),
        model="referrals.ReferralNote",
    )
    retention.register(
        "referrals.verdicts",
        "resident_verdicts",
        clear_verdicts,
        _("Residents' comments and photos on answers, counted from the verdict: deleted; resolved or not stays."),
        model="referrals.Verdict",
    )
