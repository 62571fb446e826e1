"""Who may do what with honours: council membership, the units a user nominates for,
the nominations a user may read, whether a ballot's counts may be read, and the actions a
page offers a user."""

from django.core.exceptions import PermissionDenied

from tayho_site import roles

from ..models import Unit
from ..permissions import managed_units
from .models import Nomination


def is_council_member(user) -> bool:
    return user.is_authenticated and roles.in_group(user, roles.EMULATION_COUNCIL)


def nominating_units(user):
    """Units a user may nominate for: all for organisers, else the units they manage."""
    return Unit.objects.all() if roles.is_organiser(user) else managed_units(user)


def visible_nominations(user):
    """Organisers and council members read every nomination; unit officers those of
    their units; nobody else any (the public sees published honours only)."""
    if roles.is_organiser(user) or is_council_member(user):
        return Nomination.objects.all()
    return Nomination.objects.filter(unit__in=managed_units(user))


def require_organiser(user):
    if not roles.is_organiser(user):
        raise PermissionDenied


def may_see_counts(user, nomination) -> bool:
    """Organisers and council members see the counts of an open ballot as it goes; those of
    a secret ballot only once the decision is recorded (a running count, set beside the
    audit log's times, would tell who voted how)."""
    return (roles.is_organiser(user) or is_council_member(user)) and not nomination.counts_sealed


def actions_for(user, nomination, honour=None) -> set:
    """What the signed-in user may do on a nomination's page now."""
    actions = set()
    status = nomination.status
    if (
        is_council_member(user)
        and status == Nomination.Status.VOTING
        and not nomination.voters.filter(member=user).exists()
    ):
        actions.add("vote")
    if roles.is_organiser(user):
        actions |= {
            Nomination.Status.PROPOSED: {"open", "withdraw"},
            Nomination.Status.VOTING: {"decide", "withdraw"},
            Nomination.Status.APPROVED: set() if honour else {"publish"},
        }.get(status, set())
        if honour is not None and honour.revoked_at is None:
            actions.add("revoke")
    elif (
        status == Nomination.Status.PROPOSED
        and nomination.unit_id
        and managed_units(user).filter(pk=nomination.unit_id).exists()
    ):
        actions.add("withdraw")
    return actions
