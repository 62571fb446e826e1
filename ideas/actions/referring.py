"""Handing an idea to the unit responsible (through referrals/), and the idea's stage as
the unit answers."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from referrals import actions as referral_actions
from referrals.models import Referral, ReferralStep
from tayho_site.submissions import absolute

from ..models import Idea
from ..queries import referral_of
from .authors import notify_author


def working_days_from(text: str) -> int | None:
    """The working days an organiser typed: None when left empty (the call's default)."""
    text = (text or "").strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= referral_actions.MAX_WORKING_DAYS:
        raise ValidationError(
            _("Give the number of working days as a whole number from 1 to %(max)s.")
            % {"max": referral_actions.MAX_WORKING_DAYS}
        )
    return int(text)


def refer(idea: Idea, *, unit, by, working_days=None, supervisor=None, today=None) -> Referral:
    """Hand a published idea to the unit that must answer, with the call's deadline in
    working days (unless given). The supervising organisation is the one chosen, or else
    the unit above."""
    if supervisor is None and not unit.is_root():
        supervisor = unit.get_parent()
    with transaction.atomic():
        idea = Idea.objects.select_for_update(of=("self",)).select_related("call").get(pk=idea.pk)
        if idea.status != Idea.Status.PUBLISHED:
            raise ValidationError(_("Only a published idea can be referred."))
        current = referral_of(idea)
        if current is not None and current.status == Referral.Status.OPEN:
            raise ValidationError(_("This idea is already with %(unit)s.") % {"unit": current.unit.name})
        referral = referral_actions.refer(
            idea,
            unit=unit,
            by=by,
            title=idea.title,
            supervisor=supervisor,
            today=today,
            working_days=working_days or idea.call.referral_working_days,
        )
        Idea.objects.filter(pk=idea.pk).update(stage=Idea.Stage.REFERRED)
        idea.stage = Idea.Stage.REFERRED
        notify_author(
            idea,
            _("referred to %(unit)s, which must answer by %(date)s")
            % {"unit": unit.name, "date": referral.due_on.strftime("%d/%m/%Y")},
        )
    return referral


STAGE_OF_OUTCOME = {
    Referral.Outcome.ACCEPTED: Idea.Stage.ACCEPTED,
    Referral.Outcome.DONE: Idea.Stage.DONE,
    Referral.Outcome.DECLINED: Idea.Stage.DECLINED,
}


def verdict_path(referral: Referral, answer: ReferralStep) -> str:
    """The signed page where a resident says whether `answer` resolved the idea."""
    return referral_actions.verdict_path(referral, answer)


def referral_changed(idea: Idea, referral: Referral, step: ReferralStep):
    """Called by the referral rules after a transfer, an answer or a resident's verdict:
    the idea's stage follows, and its author is told (after an answer, with the link to
    judge it)."""
    if step.kind == ReferralStep.Kind.ANSWERED:
        Idea.objects.filter(pk=idea.pk).update(stage=STAGE_OF_OUTCOME[referral.outcome])
        idea.stage = STAGE_OF_OUTCOME[referral.outcome]
        message = _("%(unit)s answered: %(outcome)s") % {
            "unit": referral.unit.name,
            "outcome": referral.get_outcome_display(),
        }
        notify_author(idea, message, verdict_link=absolute(None, verdict_path(referral, step)))
    elif step.kind == ReferralStep.Kind.REOPENED:
        Idea.objects.filter(pk=idea.pk).update(stage=Idea.Stage.REFERRED)
        idea.stage = Idea.Stage.REFERRED
        notify_author(
            idea,
            _("reopened: a resident said the answer did not resolve it; %(unit)s must answer again by %(date)s")
            % {"unit": referral.unit.name, "date": referral.due_on.strftime("%d/%m/%Y")},
        )
    elif step.kind == ReferralStep.Kind.CONFIRMED:
        notify_author(
            idea, _("a resident confirmed that the answer of %(unit)s resolved it") % {"unit": referral.unit.name}
        )
    elif step.kind == ReferralStep.Kind.TRANSFERRED:
        notify_author(
            idea, _("transferred from %(from)s to %(to)s") % {"from": step.from_unit.name, "to": step.to_unit.name}
        )
