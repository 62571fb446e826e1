"""The monthly evaluation ("đánh giá cán bộ hằng tháng"): a unit's month is opened with
a rating line per cadre; each cadre assesses themself, the head assesses each cadre
against the rubric of the unit's kind, the unit's own result is set, and the month is
finalised — refused, with the reason, when the ratings break the cap or proposals from
other records (overdue referrals, findings…) still await the head's decision. Every
change of a score is audited."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tayho_site.audit import record

from .. import evaluation as rules
from .. import proposals as registry
from ..models import (
    BAND_CHOICES,
    UNIT_RESULT_CHOICES,
    CadreRating,
    EvaluationSettings,
    Manifestation,
    MonthProposal,
    Person,
    UnitMonth,
)
from ..periods import first_of_month
from ..permissions import HEAD, SELF, acts_from_above, is_officer_of, may_head, month_opening_units
from ..queries import rubric_for


def open_month(unit, month: datetime.date, *, by) -> UnitMonth:
    """Open a unit's month with one rating line for each of its active cadres."""
    if not month_opening_units(by).filter(pk=unit.pk).exists():
        raise PermissionDenied
    month = first_of_month(month)
    if month > first_of_month(timezone.localdate()):
        raise ValidationError(_("A month cannot be evaluated before it begins."))
    try:
        with transaction.atomic():
            unit_month = UnitMonth.objects.create(unit=unit, month=month)
            people = Person.objects.filter(unit=unit, active=True)
            CadreRating.objects.bulk_create([CadreRating(unit_month=unit_month, person=p) for p in people])
            record("emulation.month.open", unit_month, actor=by, cadres=len(people))
    except IntegrityError:
        raise ValidationError(_("This unit's evaluation for that month is already open.")) from None
    gather_proposals(unit_month, by=by)
    return unit_month


def gather_proposals(unit_month, *, by=None) -> dict:
    """Ask every registered source for its proposals on this unit's month and store the
    new ones; a proposal already stored (same source and key) is left as it is, decided
    or not, so running this again never duplicates. A finalised month takes none.

    Returns {"added": n, "skipped": n}: skipped are deductions without a manifestation
    (a source that cannot say which one proposes nothing) and unknown kinds."""
    if by is not None and not may_head(by, unit_month):
        raise PermissionDenied
    if unit_month.finalised_at:
        return {"added": 0, "skipped": 0}
    unit = unit_month.unit
    offered = []
    for source in registry.sources():
        for item in source.fn(unit, unit_month.month) or ():
            offered.append((source.name, item))
    manifestations = set(
        Manifestation.objects.filter(
            pk__in={item.manifestation_id for _name, item in offered if item.manifestation_id}
        ).values_list("pk", flat=True)
    )
    skipped = 0
    with transaction.atomic():
        unit_month = UnitMonth.objects.select_for_update().get(pk=unit_month.pk)
        if unit_month.finalised_at:
            return {"added": 0, "skipped": 0}
        existing = set(unit_month.proposals.values_list("source", "source_key"))
        cadres = set(unit_month.ratings.values_list("person_id", flat=True))
        new = {}
        for name, item in offered:
            manifestation_id = item.manifestation_id if item.manifestation_id in manifestations else None
            key = str(item.key)[:120]
            if item.kind not in MonthProposal.Kind.values or (
                item.kind == MonthProposal.Kind.DEDUCTION and manifestation_id is None
            ):
                skipped += 1
                continue
            if (name, key) in existing or (name, key) in new:
                continue
            new[(name, key)] = MonthProposal(
                unit_month=unit_month,
                kind=item.kind,
                manifestation_id=manifestation_id,
                # A cadre who is not on this month's list cannot carry it: the head chooses.
                person_id=item.person_id if item.person_id in cadres else None,
                source=name,
                source_key=key,
                title=str(item.title)[:250],
                url=str(item.url or "")[:500],
            )
        MonthProposal.objects.bulk_create(new.values())
        if new:
            added = {}
            for name, _key in new:
                added[name] = added.get(name, 0) + 1
            record("emulation.month.gather", unit_month, actor=by, added=added, skipped=skipped)
    return {"added": len(new), "skipped": skipped}


def enforced_deductions(unit_month, person, rubric) -> list[str]:
    """The rubric deductions (ids) that confirmed proposals impose on a cadre's month:
    one per manifestation, like a deduction ticked by the head."""
    if rubric is None:
        return []
    manifestations = set(
        MonthProposal.objects.filter(
            unit_month=unit_month,
            person=person,
            kind=MonthProposal.Kind.DEDUCTION,
            state=MonthProposal.State.CONFIRMED,
        ).values_list("manifestation_id", flat=True)
    )
    by_manifestation = {}
    for deduction in rubric.deductions.all():
        by_manifestation.setdefault(deduction.manifestation_id, str(deduction.pk))
    return sorted({by_manifestation[m] for m in manifestations if m in by_manifestation})


def sync_cadres(unit_month, *, by) -> dict:
    """Bring an open month's lines in line with the unit's cadres: a line for each
    active cadre who joined since it was opened, and the lines of people no longer
    active in the unit removed when nobody has assessed them yet (assessed ones stay)."""
    if not may_head(by, unit_month):
        raise PermissionDenied
    with transaction.atomic():
        unit_month = UnitMonth.objects.select_for_update().get(pk=unit_month.pk)
        _require_open(unit_month)
        present = set(unit_month.ratings.values_list("person_id", flat=True))
        joined = list(Person.objects.filter(unit=unit_month.unit_id, active=True).exclude(pk__in=present))
        CadreRating.objects.bulk_create([CadreRating(unit_month=unit_month, person=p) for p in joined])
        gone = unit_month.ratings.exclude(person__unit=unit_month.unit_id, person__active=True).filter(
            self_rating="", head_rating=""
        )
        removed = gone.count()
        gone.delete()
        record("emulation.month.sync", unit_month, actor=by, added=len(joined), removed=removed)
    return {"added": len(joined), "removed": removed}


def _require_open(unit_month):
    if unit_month.finalised_at:
        raise ValidationError(_("This month is finalised; its ratings can no longer change."))


def set_unit_result(unit_month, result, *, by):
    if not may_head(by, unit_month):
        raise PermissionDenied
    _require_open(unit_month)
    if result not in dict(UNIT_RESULT_CHOICES):
        raise ValidationError(_("Choose the unit's result for the month."))
    with transaction.atomic():
        unit_month = UnitMonth.objects.select_for_update().get(pk=unit_month.pk)
        _require_open(unit_month)
        before = unit_month.unit_result
        unit_month.unit_result = result
        unit_month.save(update_fields=["unit_result"])
        record("emulation.month.unit_result", unit_month, actor=by, before=before or None, after=result)
    return unit_month


def assess(rating: CadreRating, *, by, role, criteria=None, deductions=(), band="", comment="") -> CadreRating:
    """Record a self-assessment or the head's assessment of one cadre's month.

    With a rubric for the unit's kind, the points per criterion and the deductions give
    the score and the score gives the band; without one, the band is chosen directly."""
    unit_month = rating.unit_month
    if role == SELF:
        if rating.person.user_id is None or rating.person.user_id != by.pk:
            raise PermissionDenied
    elif role == HEAD:
        if not may_head(by, unit_month):
            raise PermissionDenied
        if rating.person.user_id is not None and rating.person.user_id == by.pk:
            raise ValidationError(
                _("Nobody gives the head's assessment of their own month; an officer of the unit above does.")
            )
        # Officers of a unit do not rate one another: an officer above them does.
        if is_officer_of(rating.person.user, unit_month.unit) and not acts_from_above(by, unit_month.unit):
            raise ValidationError(
                _("An officer of this unit is assessed by an officer of the unit above, not by a colleague.")
            )
    else:
        raise ValueError(role)
    _require_open(unit_month)
    rubric = rubric_for(unit_month.unit)
    points = None
    detail = {"comment": comment.strip()[:2000]}
    if rubric is not None:
        maxima = {str(c.pk): c.max_points for c in rubric.criteria.all()}
        criteria = {str(key): Decimal(str(value)) for key, value in (criteria or {}).items()}
        if set(criteria) != set(maxima):
            raise ValidationError(_("Give points for every criterion."))
        over = [key for key, value in criteria.items() if not 0 <= value <= maxima[key]]
        if over:
            raise ValidationError(_("Points for a criterion must be between 0 and its maximum."))
        known = {str(d.pk): d.points for d in rubric.deductions.all()}
        deductions = {str(d) for d in deductions}
        if role == HEAD:  # what the head confirmed from proposals cannot be unticked
            deductions |= set(enforced_deductions(unit_month, rating.person, rubric))
        deductions = sorted(deductions)
        if not set(deductions) <= set(known):
            raise ValidationError(_("Unknown deduction."))
        points = rules.score(
            {k: float(v) for k, v in criteria.items()},
            {k: float(v) for k, v in maxima.items()},
            [float(known[d]) for d in deductions],
        )
        band = rules.band_for(points, rubric.thresholds())
        detail.update(criteria={k: str(v) for k, v in criteria.items()}, deductions=deductions)
    elif band not in dict(BAND_CHOICES):
        raise ValidationError(_("Choose a rating."))
    with transaction.atomic():
        # Locking the month serialises this change with finalising it.
        _require_open(UnitMonth.objects.select_for_update().get(pk=unit_month.pk))
        locked = CadreRating.objects.select_for_update().get(pk=rating.pk)
        before = {"band": getattr(locked, f"{role}_rating") or None, "points": getattr(locked, f"{role}_points")}
        setattr(locked, f"{role}_rating", band)
        setattr(locked, f"{role}_points", Decimal(str(points)) if points is not None else None)
        setattr(locked, f"{role}_detail", detail)
        locked.save(update_fields=[f"{role}_rating", f"{role}_points", f"{role}_detail"])
        record(
            f"emulation.rating.{role}",
            locked,
            actor=by,
            before=before,
            after={"band": band, "points": points},
            detail=detail,
        )
    return locked


def finalise(unit_month: UnitMonth, *, by, site=None) -> UnitMonth:
    from wagtail.models import Site

    if by is not None and not may_head(by, unit_month):
        raise PermissionDenied
    site = site or Site.objects.get(is_default_site=True)
    policy = EvaluationSettings.for_site(site)
    with transaction.atomic():
        unit_month = UnitMonth.objects.select_for_update().get(pk=unit_month.pk)
        if unit_month.finalised_at:
            raise ValidationError(_("This month is already finalised."))
        undecided = unit_month.proposals.filter(state=MonthProposal.State.PROPOSED).count()
        if undecided:
            raise ValidationError(
                ngettext(
                    "%(count)s proposal for this month still awaits a decision: confirm or reject it, with a "
                    "reason, before finalising.",
                    "%(count)s proposals for this month still await a decision: confirm or reject each, with a "
                    "reason, before finalising.",
                    undecided,
                )
                % {"count": undecided}
            )
        if not unit_month.unit_result:
            raise ValidationError(_("Set the unit's own result for the month before finalising."))
        ratings = list(unit_month.ratings.values_list("head_rating", flat=True))
        if any(not rating for rating in ratings):
            missing = sum(1 for rating in ratings if not rating)
            raise ValidationError(
                _("Every cadre needs the head's assessment before the month is finalised; %(missing)s still have none.")
                % {"missing": missing}
            )
        check = rules.check_cap(ratings, unit_month.unit_result, policy.cap(), policy.threshold)
        if not check.ok:
            raise ValidationError(check.message(str(dict(BAND_CHOICES)[policy.threshold])))
        unit_month.finalised_at = timezone.now()
        unit_month.save(update_fields=["finalised_at"])
        record(
            "emulation.month.finalise",
            unit_month,
            actor=by,
            unit_result=unit_month.unit_result,
            ratings=rules.distribution(ratings),
        )
    return unit_month
