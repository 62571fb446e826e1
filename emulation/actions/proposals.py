"""The head's decisions on a month's proposals (see emulation/proposals.py for where they
come from): each is confirmed or rejected, with a reason, while the month is open.

A confirmed deduction applies the unit rubric's deduction for its manifestation to the
cadre concerned (the head names the cadre when the source could not): through the
head's assessment (`monthly.assess`), so the score, the band and, at finalising, the cap
rule all follow. A confirmed merit stays on the cadre's line of the month and is read by
the honour suggestions (`queries.confirmed_merits`). Every decision is audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tayho_site.audit import record

from ..models import MonthProposal, UnitMonth
from ..permissions import HEAD, may_head
from ..queries import rubric_for
from .monthly import assess

CONFIRM, REJECT = "confirm", "reject"


def rubric_deduction(rubric, manifestation_id):
    """The rubric's deduction for a manifestation (the first, if several), or None."""
    if rubric is None or manifestation_id is None:
        return None
    return next((d for d in rubric.deductions.all() if d.manifestation_id == manifestation_id), None)


def decide(proposal, decision, *, by, reason, person=None) -> MonthProposal:
    """Confirm or reject one proposal. `person` names the cadre concerned when the
    proposal does not (ignored when it does)."""
    unit_month = proposal.unit_month
    if not may_head(by, unit_month):
        raise PermissionDenied
    if decision not in (CONFIRM, REJECT):
        raise ValueError(decision)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the decision."))
    reason = reason[:2000]
    with transaction.atomic():
        unit_month = UnitMonth.objects.select_for_update().get(pk=unit_month.pk)
        if unit_month.finalised_at:
            raise ValidationError(_("This month is finalised; its proposals can no longer be decided."))
        locked = MonthProposal.objects.select_for_update().get(pk=proposal.pk, unit_month=unit_month)
        if locked.state != MonthProposal.State.PROPOSED:
            raise ValidationError(_("This proposal has already been decided."))
        before = {"state": locked.state, "person": locked.person_id}
        rating, deduction = None, None
        if decision == CONFIRM:
            chosen = locked.person_id or getattr(person, "pk", person)
            rating = unit_month.ratings.select_related("person").filter(person_id=chosen).first() if chosen else None
            if rating is None:
                raise ValidationError(_("Choose the cadre concerned, among this month's cadres."))
            if rating.person.user_id is not None and rating.person.user_id == by.pk:
                raise ValidationError(
                    _("Nobody confirms a proposal about themself; an officer of the unit above does.")
                )
            if locked.kind == MonthProposal.Kind.DEDUCTION:
                deduction = rubric_deduction(rubric_for(unit_month.unit), locked.manifestation_id)
                if deduction is None:
                    raise ValidationError(
                        _(
                            "The rubric of this kind of unit has no deduction for this manifestation: add one to "
                            "the rubric, or reject the proposal."
                        )
                    )
            locked.person_id = rating.person_id
        locked.state = MonthProposal.State.CONFIRMED if decision == CONFIRM else MonthProposal.State.REJECTED
        locked.reason = reason
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.save(update_fields=["state", "reason", "decided_by", "decided_at", "person"])
        after = {"state": locked.state, "person": locked.person_id}
        if deduction is not None:
            after["deduction"] = {"id": deduction.pk, "points": str(deduction.points)}
        record(
            f"emulation.proposal.{decision}",
            locked,
            actor=by,
            before=before,
            after=after,
            reason=reason,
            source=locked.source,
            key=locked.source_key,
        )
        detail = rating.head_detail if rating is not None else {}
        if deduction is not None and detail.get("criteria"):
            # Already scored: score again with the deduction (assess adds the confirmed ones).
            assess(
                rating,
                by=by,
                role=HEAD,
                criteria=detail["criteria"],
                deductions=detail.get("deductions", []),
                comment=detail.get("comment", ""),
            )
    return locked


def confirm(proposal, *, by, reason, person=None) -> MonthProposal:
    return decide(proposal, CONFIRM, by=by, reason=reason, person=person)


def reject(proposal, *, by, reason) -> MonthProposal:
    return decide(proposal, REJECT, by=by, reason=reason)
