"""Who may do what in judging. The engine's records are its own models, whoever calls it
(contest, ideas): permissions are named after them, never after a caller's app."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from . import queries
from .models import Assignment, Item, Review, Round


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
    if not assignment.item.calibration and queries.calibration_left(judge, assignment.item.round_id):
        raise PermissionDenied(
            _("Score this round's calibration items first: then you see how your scores sit against the panel's.")
        )
    return assignment


def may_chair(user, round_: Round) -> bool:
    """The round's chair records consensus scores; so may the organisers."""
    return bool(user and user.is_authenticated and (user.pk == round_.chair_id or may_run_rounds(user)))


def item_to_discuss(user, item_id) -> tuple[Item, Assignment | None]:
    """An item whose judges disagree, to discuss: for one of its judges who submitted a
    review (with their assignment), for the round's chair or an organiser (None). Anyone
    else, another item, or an item of a round published or not yet scored, is
    Item.DoesNotExist: nothing tells it exists."""
    item = Item.objects.select_related("round").get(pk=item_id, round__status__in=queries.DISCUSSION_STATUSES)
    own = Assignment.objects.filter(
        item=item, judge=user, recused_at__isnull=True, review__status=Review.Status.SUBMITTED
    ).first()
    if own is None and not may_chair(user, item.round):
        raise Item.DoesNotExist
    if not queries.in_discussion(item):
        raise Item.DoesNotExist
    return item, own
