"""Who may do what in judging. The engine's records are its own models, whoever calls it
(contest, ideas): permissions are named after them, never after a caller's app."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .models import Assignment, Round


def codename(action: str, model) -> str:
    """ "contest.change_round" for ("change", Round): the model's own permission."""
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def may(user, action: str, model) -> bool:
    return bool(user and user.has_perm(codename(action, model)))


def may_run_rounds(user) -> bool:
    """Organisers run rounds (contest and idea rounds alike): open, assign, close, rank,
    advance, publish."""
    return may(user, "change", Round)


def assignment_to_read(judge, assignment_id) -> Assignment:
    """The judge's own live assignment, to read and score. Another judge's, or one the
    judge stepped back from, is Assignment.DoesNotExist (nothing tells it exists); an
    item of a round that is not being scored is refused, with the reason."""
    assignment = Assignment.objects.select_related("item__round", "item__content_type").get(
        pk=assignment_id, judge=judge, recused_at__isnull=True
    )
    if assignment.item.round.status != Round.Status.SCORING:
        raise PermissionDenied(_("This round is no longer being scored (or not yet): its items cannot be opened now."))
    return assignment
