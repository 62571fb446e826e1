"""Who may do what in the movement: the units an officer acts for or a supervisor speaks
for, whose commitments and evaluation months a user may read, and whose assessment a user
gives on a rating sheet. Group checks that are not about units live in tayho_site.roles."""

from django.core.exceptions import PermissionDenied

from tayho_site import roles

from .models import CadreRating, Commitment, Unit, UnitMonth


def managed_units(user):
    """Units an officer may act for: their own unit and every unit below it."""
    person = getattr(user, "person", None)
    if person is None or not roles.in_group(user, roles.UNIT_OFFICERS):
        return Unit.objects.none()
    return person.unit.with_descendants()


def supervised_units(user):
    """Organisations a supervisor speaks for: their own and those below it."""
    person = getattr(user, "person", None)
    if person is None or not roles.in_group(user, roles.SUPERVISORS):
        return Unit.objects.none()
    return person.unit.with_descendants()


def overseen_units(user):
    """Units whose boards and commitments a user may read: every unit for organisers,
    otherwise the units they manage."""
    if roles.is_organiser(user):
        return Unit.objects.all()
    return managed_units(user)


def visible_commitments(user):
    """What a user may read in the workspace: their units' commitments (all of them for
    organisers), and the ones they supervise."""
    return Commitment.objects.filter(unit__in=overseen_units(user)) | Commitment.objects.filter(
        supervisor__in=supervised_units(user)
    )


def require_officer(user, commitment_or_unit):
    unit = commitment_or_unit.unit if isinstance(commitment_or_unit, Commitment) else commitment_or_unit
    if not managed_units(user).filter(pk=unit.pk).exists():
        raise PermissionDenied


SELF, HEAD = "self", "head"


def may_head(user, unit_month) -> bool:
    """Officers of the unit (or of a unit above it) act as its head for the month; for a
    unit at the top of the tree, with nobody above, the organisers do."""
    if managed_units(user).filter(pk=unit_month.unit_id).exists():
        return True
    return unit_month.unit.is_root() and roles.is_organiser(user)


def acts_from_above(user, unit) -> bool:
    """Whether the user acts for a unit strictly above `unit` (organisers do for a
    top-level unit)."""
    own = getattr(getattr(user, "person", None), "unit", None)
    if own is not None and own.pk != unit.pk and unit.is_descendant_of(own):
        return True
    return unit.is_root() and roles.is_organiser(user)


def is_officer_of(user, unit) -> bool:
    return user is not None and managed_units(user).filter(pk=unit.pk).exists()


def sheet_role(user, rating):
    """Whose assessment a user gives on a rating sheet: their own (SELF), the head's
    (HEAD), or none (None: the sheet is not theirs to see)."""
    if rating.person.user_id is not None and rating.person.user_id == user.pk:
        return SELF
    if may_head(user, rating.unit_month):
        return HEAD
    return None


def history_scope(user, person):
    """(allowed, within): whether a user may read a person's history, and the unit months
    it is limited to (None: all of them, for the person themself). Officers read the
    people of their units, and the months of their units for someone who has moved on."""
    if person.user_id is not None and person.user_id == user.pk:
        return True, None
    within = evaluation_months(user)
    allowed = (
        managed_units(user).filter(pk=person.unit_id).exists() or person.ratings.filter(unit_month__in=within).exists()
    )
    return allowed, within


def evaluated_units(user):
    """Units whose evaluation months a user may read: every unit for organisers and
    superusers, otherwise the units they act for. Reading is not heading: who acts on a
    month is `may_head`."""
    if roles.is_organiser(user):
        return Unit.objects.all()
    return managed_units(user)


def month_opening_units(user):
    """Units whose month a user may open: those they act for, and for organisers the
    units at the top of the tree (they head those, see `may_head`)."""
    units = managed_units(user)
    if roles.is_organiser(user):
        return Unit.objects.filter(pk__in=units.values("pk")) | Unit.objects.filter(depth=1)
    return units


def evaluation_months(user):
    """The months a user may see: their units' months (every unit's for organisers)."""
    return UnitMonth.objects.filter(unit__in=evaluated_units(user))


def own_ratings(user):
    """A cadre's own rating lines (for the self-assessment)."""
    return CadreRating.objects.filter(person__user=user, person__user__isnull=False)
