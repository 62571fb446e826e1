"""Reads of judging that pages share: a round's progress and ranking, a judge's queue,
what a judge reads of an item, the call a round judges for, and whether a blind round is
scoring a subject now."""

import posixpath

from django.contrib.contenttypes.models import ContentType

from . import certainty as certainty_engine
from . import rank as ranking
from .models import Assignment, Item, Review, Round
from .protocols import Call


def in_blind_scoring(subject) -> bool:
    """Whether a blind round is scoring the subject now: while it is, the subject's public
    pages must not name its author (a judge could look the item up by its title)."""
    return Item.objects.filter(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        round__blind=True,
        round__status=Round.Status.SCORING,
    ).exists()


def item_card(item: Item) -> dict:
    """What a judge reads of an item: its subject's card, labelled with the round's code
    only; an attachment is named after that code too."""
    card = dict(item.subject.judging_card(blind=item.round.blind))
    card["code"] = item.code
    attachment = card.get("attachment")
    card["attachment_name"] = f"{item.code}{posixpath.splitext(attachment.name)[1]}" if attachment else ""
    return card


def round_progress(round_: Round):
    """Per judge (assigned, submitted) and the items that still lack submitted reviews."""
    from django.db.models import Count, Q

    judges = round_.judges.annotate(
        assigned=Count(
            "judging_assignments",
            filter=Q(judging_assignments__item__round=round_, judging_assignments__recused_at__isnull=True),
        ),
        submitted=Count(
            "judging_assignments",
            filter=Q(
                judging_assignments__item__round=round_,
                judging_assignments__recused_at__isnull=True,
                judging_assignments__review__status=Review.Status.SUBMITTED,
            ),
        ),
    ).order_by("username")
    items = (
        Item.objects.filter(round=round_)
        .annotate(
            done=Count(
                "assignments",
                filter=Q(assignments__recused_at__isnull=True, assignments__review__status=Review.Status.SUBMITTED),
            )
        )
        .order_by("done", "code")
        .values("code", "done")
    )
    incomplete = [row for row in items if row["done"] < round_.judges_per_item]
    return judges, incomplete


def rubric_of(round_: Round) -> list[ranking.Criterion]:
    return [ranking.Criterion(str(c.pk), float(c.max_points), float(c.weight)) for c in round_.criteria.all()]


def _review_rows(round_: Round):
    return Review.objects.filter(
        assignment__item__round=round_,
        status=Review.Status.SUBMITTED,
        assignment__recused_at__isnull=True,
    ).values_list("assignment__item_id", "assignment__judge_id", "points")


def round_reviews(round_: Round) -> list[ranking.Review]:
    return [ranking.Review(item, judge, points) for item, judge, points in _review_rows(round_).iterator()]


def round_agreement(round_: Round) -> float | None:
    """Krippendorff's alpha of the round's submitted reviews (certainty.py)."""
    return certainty_engine.agreement(round_reviews(round_), rubric_of(round_))


def cutoffs_of(round_: Round) -> list[int]:
    """Where a rank matters: the shortlist (items that advance) and the number of items
    given a prize or a selection."""
    cutoffs = set()
    if round_.advance_count:
        cutoffs.add(round_.advance_count)
    call = call_of(round_)
    if call is not None:
        decided = set(call.judging_decisions())
        awarded = Item.objects.filter(round=round_, object_id__in=decided).count() if decided else 0
        if awarded:
            cutoffs.add(awarded)
    return sorted(cutoffs)


def round_certainty(round_: Round, method: str | None = None, cutoffs=None, *, resamples: int = 200):
    """The certainty of the ranks near the round's cut-offs (certainty.py), seeded with
    the round's seed so that the page shows the same figures each time."""
    return certainty_engine.certainty(
        round_reviews(round_),
        rubric_of(round_),
        method or round_.method,
        cutoffs_of(round_) if cutoffs is None else cutoffs,
        resamples=resamples,
        seed=round_.seed,
    )


def compute_ranking(round_: Round, method: str | None = None) -> list[ranking.RankedItem]:
    """The round's ranking from its submitted reviews: one query for all of them."""
    rows = _review_rows(round_)
    tie_breakers = [tuple(rule) for rule in (round_.tie_breakers or [["reviews"]])]
    names = {c.name: str(c.pk) for c in round_.criteria.all()}
    tie_breakers = [
        ("criterion", names.get(rule[1], rule[1])) if rule[0] == "criterion" else rule for rule in tie_breakers
    ]
    return ranking.rank(
        (ranking.Review(item, judge, points) for item, judge, points in rows.iterator()),
        rubric_of(round_),
        method or round_.method,
        tie_breakers=tie_breakers,
    )


def judge_queue(judge):
    """A judge's live assignments in rounds being scored, in a stable order, each with its
    review (if any) loaded: one query."""
    return (
        Assignment.objects.filter(judge=judge, recused_at__isnull=True, item__round__status=Round.Status.SCORING)
        .select_related("item__round", "review")
        .order_by("item__round_id", "item__code")
    )


def is_pending(assignment: Assignment) -> bool:
    """Still to score: no review yet, or only a draft."""
    try:
        return assignment.review.status != Review.Status.SUBMITTED
    except Review.DoesNotExist:
        return True


def next_pending(judge):
    return next((a for a in judge_queue(judge) if is_pending(a)), None)


def call_of(round_: Round) -> Call | None:
    """The page a round judges for (a contest, an idea call) when it plugs into the engine
    (protocols.Call); None for a page that does not."""
    call = round_.call.specific
    return call if isinstance(call, Call) else None


def candidates_for(round_: Round):
    """What a round judges: its call's candidates (confirmed entries, published ideas)."""
    call = call_of(round_)
    return call.judging_candidates() if call is not None else Item.objects.none()


def feedback_for(subject, *, statuses=(Round.Status.PUBLISHED,)) -> list[dict]:
    """What the author of `subject` may read of its judging: per round that gives feedback
    to entrants (and whose status is one of `statuses`), the judges' comments for the
    author, unnamed and in no telling order, and the mean points per criterion. Only this
    subject's own reviews: the caller hands over the subject its private link opened."""
    items = (
        Item.objects.filter(
            content_type=ContentType.objects.get_for_model(subject),
            object_id=subject.pk,
            round__feedback_to_entrants=True,
            round__status__in=statuses,
        )
        .select_related("round")
        .order_by("round__position", "round_id")
    )
    found = []
    for item in items:
        reviews = list(
            Review.objects.filter(
                assignment__item=item, assignment__recused_at__isnull=True, status=Review.Status.SUBMITTED
            )
            .order_by("submitted_at", "pk")
            .values_list("points", "feedback")
        )
        if not reviews:
            continue
        criteria = []
        for criterion in item.round.criteria.all():
            values = [float(points[str(criterion.pk)]) for points, _ in reviews if str(criterion.pk) in points]
            if values:
                criteria.append(
                    {"name": criterion.name, "mean": sum(values) / len(values), "max_points": criterion.max_points}
                )
        found.append(
            {
                "round": item.round.name,
                "comments": [text.strip() for _, text in reviews if text.strip()],
                "criteria": criteria,
                "reviews": len(reviews),
            }
        )
    return found
