"""Organisers screen ideas: publish, hide with a reason the author reads, mark as spam,
merge a duplicate into another idea with its supporters. Each step is audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from referrals.models import Referral
from tayho_site.audit import record

from ..models import Idea, IdeaEvent, Support
from ..queries import referral_of
from .authors import notify_author

# Which screening decision may follow which. A merged duplicate is final (its supporters
# went to the other idea); a false "spam" can be undone.
MODERATION = {
    Idea.Status.PENDING: {Idea.Status.PUBLISHED, Idea.Status.HIDDEN, Idea.Status.SPAM, Idea.Status.DUPLICATE},
    Idea.Status.PUBLISHED: {Idea.Status.HIDDEN, Idea.Status.SPAM, Idea.Status.DUPLICATE},
    Idea.Status.HIDDEN: {Idea.Status.PUBLISHED, Idea.Status.SPAM, Idea.Status.DUPLICATE},
    Idea.Status.SPAM: {Idea.Status.PUBLISHED, Idea.Status.HIDDEN},
}


def moderation_choices(idea: Idea) -> set:
    """The screening decisions an organiser may take on this idea now."""
    return MODERATION.get(idea.status, set())


def _moderate(idea, status, *, by, reason="", duplicate_of=None):
    with transaction.atomic():
        idea = Idea.objects.select_for_update(of=("self",)).select_related("call").get(pk=idea.pk)
        if idea.status == Idea.Status.AWAITING_CONFIRMATION:
            raise ValidationError(_("The author has not confirmed this idea yet."))
        if status not in moderation_choices(idea):
            raise ValidationError(
                _("This idea is “%(status)s”; that decision does not apply to it.")
                % {"status": idea.get_status_display()}
            )
        open_referral = referral_of(idea)
        if status != Idea.Status.PUBLISHED and open_referral and open_referral.status == Referral.Status.OPEN:
            raise ValidationError(
                _("The idea is with %(unit)s, which must answer first.") % {"unit": open_referral.unit.name}
            )
        previous = idea.status
        idea.status = status
        idea.moderation_reason = reason
        idea.duplicate_of = duplicate_of
        fields = ["status", "moderation_reason", "duplicate_of"]
        if status == Idea.Status.PUBLISHED and idea.published_at is None:
            idea.published_at = timezone.now()
            fields.append("published_at")
            IdeaEvent.objects.create(idea=idea, kind=IdeaEvent.Kind.PUBLISHED)
        idea.save(update_fields=fields)
        record(
            "ideas.idea.moderate",
            idea,
            actor=by,
            summary=f"{previous} → {status}",
            previous=previous,
            status=status,
            reason=reason,
            duplicate_of=duplicate_of.code if duplicate_of else "",
        )
    return idea


def publish(idea: Idea, *, by) -> Idea:
    idea = _moderate(idea, Idea.Status.PUBLISHED, by=by)
    notify_author(idea, _("published in the gallery"))
    return idea


def hide(idea: Idea, *, reason: str, by) -> Idea:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Give the reason: the author will see it."))
    idea = _moderate(idea, Idea.Status.HIDDEN, by=by, reason=reason[:500])
    notify_author(idea, _("not published — %(reason)s") % {"reason": idea.moderation_reason})
    return idea


def mark_spam(idea: Idea, *, by) -> Idea:
    return _moderate(idea, Idea.Status.SPAM, by=by)


def mark_duplicate(idea: Idea, *, of: Idea, by) -> Idea:
    """The idea repeats `of`: it leaves the gallery and its supporters move to `of`,
    each address counted once (a confirmed support wins over a pending one)."""
    with transaction.atomic():
        # Both rows locked, in a fixed order, so a merge and a confirmation never cross.
        list(Idea.objects.select_for_update().filter(pk__in=[idea.pk, of.pk]).order_by("pk"))
        of = Idea.objects.get(pk=of.pk)
        if of.pk == idea.pk or of.status != Idea.Status.PUBLISHED:
            raise ValidationError(_("Choose another idea that is published."))
        idea = _moderate(
            idea,
            Idea.Status.DUPLICATE,
            by=by,
            duplicate_of=of,
            reason=_("The same as idea %(code)s.") % {"code": of.code},
        )
        taken = set(Support.objects.filter(idea=of).values_list("email_hash", flat=True))
        confirmed_here = Support.objects.filter(idea=idea, confirmed_at__isnull=False).values("email_hash")
        Support.objects.filter(idea=of, confirmed_at__isnull=True, email_hash__in=confirmed_here).update(
            confirmed_at=timezone.now()
        )
        Support.objects.filter(idea=idea).exclude(email_hash__in=taken).update(idea=of)
        Support.objects.filter(idea=idea).delete()
        before = of.supporters
        for pk in (idea.pk, of.pk):
            Idea.objects.filter(pk=pk).update(
                supporters=Support.objects.filter(idea_id=pk, confirmed_at__isnull=False).count()
            )
        of.refresh_from_db(fields=["supporters"])
        IdeaEvent.objects.create(idea=of, kind=IdeaEvent.Kind.MERGED, text=idea.code)
        record(
            "ideas.idea.merge", of, actor=by, merged=idea.code, supporters_before=before, supporters_after=of.supporters
        )
    notify_author(idea, _("merged into the same idea %(code)s, which keeps its supporters") % {"code": of.code})
    return idea
