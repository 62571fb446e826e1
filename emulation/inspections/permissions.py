"""Who sees what of inspections: organisers see every inspection; a member of an
inspection's team sees and edits that inspection only; a unit's officers see the findings
against their units (and answer the remedies as referrals). People are never named in
public."""

from django.core.exceptions import PermissionDenied

from emulation.permissions import managed_units
from tayho_site import roles

from .models import Finding, Inspection


def visible_inspections(user):
    if not user.is_authenticated:
        return Inspection.objects.none()
    if roles.is_organiser(user):
        return Inspection.objects.all()
    return Inspection.objects.filter(team=user)


def may_edit(user, inspection) -> bool:
    if not user.is_authenticated:
        return False
    return roles.is_organiser(user) or inspection.team.filter(pk=user.pk).exists()


def require_editor(user, inspection):
    if not may_edit(user, inspection):
        raise PermissionDenied


def may_create(user) -> bool:
    return roles.is_organiser(user)


def may_read_report(user) -> bool:
    """The weekly report is for the organisers (who prepare it for the Standing Committee)."""
    return roles.is_organiser(user)


def unit_findings(user):
    """Findings against the units an officer acts for."""
    return Finding.objects.filter(unit__in=managed_units(user))
