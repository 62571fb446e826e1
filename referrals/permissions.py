"""Who may read and act on referrals: officers act for the unit holding a referral (and
the units below theirs, emulation.permissions); supervisors read what their organisation
supervises; organisers read everything."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from emulation.permissions import managed_units, supervised_units
from tayho_site import roles

from .models import Referral, ReferralStep


def require_holder(user, referral):
    if not managed_units(user).filter(pk=referral.unit_id).exists():
        raise PermissionDenied


def visible_referrals(user):
    """What a user may read in the workspace: every referral for organisers; otherwise
    those their units hold or once held, and those their organisation supervises."""
    if roles.is_organiser(user):
        return Referral.objects.all()
    units = managed_units(user)
    return Referral.objects.filter(
        Q(unit__in=units)
        | Q(supervisor__in=supervised_units(user))
        | Q(pk__in=ReferralStep.objects.filter(to_unit__in=units).values("referral_id"))
    ).distinct()


def may_act(user, referral) -> bool:
    """Only officers of the unit holding an open referral answer, transfer or note it."""
    return referral.status == Referral.Status.OPEN and managed_units(user).filter(pk=referral.unit_id).exists()


def notes_for(referral, user):
    """The private notes a user may read: those of the units they act for."""
    return referral.notes.filter(unit__in=managed_units(user)).select_related("author")


def may_screen_reports(user) -> bool:
    """Residents' reports of passing the buck are screened and referred by organisers."""
    return roles.is_organiser(user)


def require_screener(user):
    if not may_screen_reports(user):
        raise PermissionDenied


def may_enter_for_residents(user) -> bool:
    """Ward staff (and organisers) enter a report for a resident who has no e-mail."""
    return roles.is_organiser(user) or roles.in_group(user, roles.WARD_STAFF)


def require_ward_staff(user):
    if not may_enter_for_residents(user):
        raise PermissionDenied
