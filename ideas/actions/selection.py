"""What an idea round selects, and the call's published results."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tayho_site.audit import record

from ..models import Idea, IdeaCallPage, IdeaEvent
from .authors import notify_author


def _set_selected(idea: Idea, selected: bool, *, by) -> Idea:
    """The judges' decision, private until the call's results are published."""
    with transaction.atomic():
        idea = Idea.objects.select_for_update(of=("self",)).select_related("call").get(pk=idea.pk)
        if selected and idea.status != Idea.Status.PUBLISHED:
            raise ValidationError(_("Only a published idea can be selected."))
        if (idea.selected_at is not None) == selected:
            return idea
        idea.selected_at = timezone.now() if selected else None
        fields = ["selected_at"]
        if idea.call.results_are_public():  # a change after the results: public at once
            _show_selection(idea, selected)
            fields.append("stage")
        idea.save(update_fields=fields)
        record("ideas.idea.select" if selected else "ideas.idea.unselect", idea, actor=by)
    return idea


def _show_selection(idea: Idea, selected: bool):
    """The stage follows a selection only while nothing later (a referral) has happened."""
    before, after = (
        (Idea.Stage.RECEIVED, Idea.Stage.SELECTED) if selected else (Idea.Stage.SELECTED, Idea.Stage.RECEIVED)
    )
    if idea.stage == before:
        idea.stage = after
    IdeaEvent.objects.create(idea=idea, kind=IdeaEvent.Kind.SELECTED if selected else IdeaEvent.Kind.UNSELECTED)


def select(idea: Idea, *, by) -> Idea:
    return _set_selected(idea, True, by=by)


def unselect(idea: Idea, *, by) -> Idea:
    return _set_selected(idea, False, by=by)


def publish_results(call: IdeaCallPage, *, by) -> int:
    """The call's selected ideas become public and their authors are told, once: an idea
    already shown as selected is not announced again. Returns how many were told."""
    with transaction.atomic():
        call = IdeaCallPage.objects.select_for_update().get(pk=call.pk)
        call.results_published_at = timezone.now()
        call.save_revision(user=by).publish(user=by)
        announced = IdeaEvent.objects.filter(kind=IdeaEvent.Kind.SELECTED).values("idea_id")
        fresh = list(
            Idea.objects.filter(call=call, status=Idea.Status.PUBLISHED, selected_at__isnull=False)
            .exclude(pk__in=announced)
            .select_related("call")
        )
        for idea in fresh:
            _show_selection(idea, True)
            idea.save(update_fields=["stage"])
        record("ideas.call.results", call, actor=by, selected=len(fresh))
        told = sum(bool(notify_author(idea, _("selected by the judges"))) for idea in fresh)
    return told
