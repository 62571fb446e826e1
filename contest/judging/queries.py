"""Reads of judging that pages share: a round's progress and ranking, a judge's queue,
what a judge reads of an item, the call a round judges for, and whether a blind round is
scoring a subject now."""

import posixpath

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from tayho_site.dashboard import WorkItem

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


def compute_ranking(round_: Round, method: str | None = None) -> list[ranking.RankedItem]:
    """The round's ranking from its submitted reviews: one query for all of them."""
    rows = Review.objects.filter(
        assignment__item__round=round_,
        status=Review.Status.SUBMITTED,
        assignment__recused_at__isnull=True,
    ).values_list("assignment__item_id", "assignment__judge_id", "points")
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


def behind_schedule(assigned: int, submitted: int, opens_at, closes_at, now) -> bool:
    """Whether a judge is behind: past the closing time with items unscored, or, while
    the round runs, fewer reviews submitted than the share of the scoring time gone by
    (rounded down: nobody is late in the first hours)."""
    if submitted >= assigned:
        return False
    if now >= closes_at:
        return True
    total = (closes_at - opens_at).total_seconds()
    elapsed = max(0.0, (now - opens_at).total_seconds())
    return total > 0 and submitted < int(assigned * elapsed / total)


def scoring_overview(now=None) -> list[dict]:
    """Every round being scored (essays and ideas alike), for the admin home: its reviews
    submitted out of those assigned, and the judges behind schedule. Two queries, whatever
    the number of rounds, judges and items."""
    now = now or timezone.now()
    rounds = list(
        Round.objects.filter(status=Round.Status.SCORING).select_related("call").order_by("scoring_closes_at")
    )
    per_judge = (
        Assignment.objects.filter(item__round__in=[r.pk for r in rounds], recused_at__isnull=True)
        .values("item__round_id", "judge_id")
        .annotate(assigned=Count("pk"), submitted=Count("pk", filter=Q(review__status=Review.Status.SUBMITTED)))
    )
    rows = {r.pk: {"round": r, "assigned": 0, "submitted": 0, "late": 0} for r in rounds}
    for line in per_judge if rounds else []:
        row = rows[line["item__round_id"]]
        row["assigned"] += line["assigned"]
        row["submitted"] += line["submitted"]
        round_ = row["round"]
        row["late"] += behind_schedule(
            line["assigned"], line["submitted"], round_.scoring_opens_at, round_.scoring_closes_at, now
        )
    return list(rows.values())


def to_do(judge, assignments=None) -> list:
    """A judge's "what is yours to do": per round being scored, the items still to score,
    linking to the first of them, due when scoring closes. No query of its own when the
    judge's queue is given."""
    rounds = {}
    for assignment in judge_queue(judge) if assignments is None else assignments:
        if is_pending(assignment):
            row = rounds.setdefault(assignment.item.round_id, {"first": assignment, "count": 0})
            row["count"] += 1
    items = []
    for row in rounds.values():
        round_ = row["first"].item.round
        label = ngettext(
            "%(count)s item to score in “%(round)s”", "%(count)s items to score in “%(round)s”", row["count"]
        ) % {"count": row["count"], "round": round_.name}
        due = timezone.localtime(round_.scoring_closes_at).date()
        items.append(WorkItem(label, reverse("judging:score", args=[row["first"].pk]), due))
    return sorted(items, key=lambda item: item.due)
