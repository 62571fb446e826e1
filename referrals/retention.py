"""How long the units' private notes on referrals are kept (see tayho_site.retention).

The notes are working notes between officers (they may name or reach the resident
concerned); the public trail of the referral (steps, answer) is the record and stays.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tayho_site import retention

from .models import Referral, ReferralNote, Verdict


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


def register_kinds():
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
