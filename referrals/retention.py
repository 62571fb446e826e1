"""How long the units' private notes on referrals are kept (see tayho_site.retention).

The notes are working notes between officers (they may name or reach the resident
concerned); the public trail of the referral (steps, answer) is the record and stays.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tayho_site import retention

from .models import Referral, ReferralNote


def purge_notes(now, days) -> int:
    """Notes of referrals answered longer ago than the period: deleted."""
    answered_before = timezone.localdate(retention.cutoff(now, days))
    notes = ReferralNote.objects.filter(
        referral__status=Referral.Status.ANSWERED, referral__answered_on__lt=answered_before
    )
    return retention.delete_in_batches(notes)


def register_kinds():
    retention.register(
        "referrals.notes",
        "referral_notes",
        purge_notes,
        _("Units' private notes on referrals, counted from the answer: deleted; the public trail and the answer stay."),
        model="referrals.ReferralNote",
    )
