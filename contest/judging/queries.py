"""Reads of judging that pages share: a round's progress and ranking, a judge's queue,
what a judge reads of an item, the call a round judges for, and whether a blind round is
scoring a subject now."""

import posixpath

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from tayho_site.dashboard import WorkItem

from . import certainty as certainty_engine
from . import rank as ranking
from .models import Assignment, Consensus, DiscussionPost, Item, Redaction, Review, Round
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
    only; an attachment is named after that code too. In a blind round the judge reads
    the redacted text, and gets no attachment whose text names the author."""
    card = dict(item.subject.judging_card(blind=item.round.blind))
    card["code"] = item.code
    if item.round.blind:
        redaction = Redaction.objects.filter(item=item).first()
        if redaction is not None and redaction.redacted_at:
            # The organisers blanked the author's name where the text gave it away.
            card["title"] = redaction.title or card.get("title")
            card["body_html"] = redaction.body_html or card.get("body_html")
        if redaction is not None and any(hit.get("field") == "attachment" for hit in redaction.hits):
            # A file is not redacted: one that names its author stays with the organisers.
            card["attachment"] = None
            card["attachment_withheld"] = True
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


def _review_rows(round_: Round):
    """The round's submitted reviews that count: calibration items are never ranked."""
    return Review.objects.filter(
        assignment__item__round=round_,
        assignment__item__calibration=False,
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
        fixed=settled_scores(round_),
    )


def settled_scores(round_: Round) -> dict:
    """{item id: consensus score} of the round."""
    return dict(Consensus.objects.filter(item__round=round_).values_list("item_id", "score"))


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
        settled=settled_scores(round_),
        disagreement_share=round_.disagreement_share,
    )


def judge_queue(judge):
    """A judge's live assignments in rounds being scored, in a stable order, each with its
    review (if any) loaded: one query."""
    return (
        Assignment.objects.filter(judge=judge, recused_at__isnull=True, item__round__status=Round.Status.SCORING)
        .select_related("item__round", "review")
        .order_by("item__round_id", "-item__calibration", "item__code")
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


# --- Discussions of items whose judges disagree

DISCUSSION_STATUSES = (Round.Status.SCORING, Round.Status.CLOSED)
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def item_reviews(item: Item) -> list[Review]:
    """The item's submitted reviews by its live judges, in the order of their assignments
    (which fixes the letters A, B, C)."""
    return list(
        Review.objects.filter(
            assignment__item=item, assignment__recused_at__isnull=True, status=Review.Status.SUBMITTED
        )
        .select_related("assignment")
        .order_by("assignment_id")
    )


def is_disputed(item: Item, reviews: list[Review] | None = None) -> bool:
    """Whether the item's judges disagree beyond the round's threshold (the ranking's flag)."""
    reviews = item_reviews(item) if reviews is None else reviews
    rubric = rubric_of(item.round)
    totals = [ranking.weighted_total(r.points, rubric) for r in reviews]
    return len(totals) > 1 and ranking.disagree(totals, rubric, item.round.disagreement_share)


def in_discussion(item: Item) -> bool:
    """An item goes to a discussion when its judges disagree, and stays there once it
    has begun (a message, a revised score, a consensus), even if they now agree."""
    reviews = item_reviews(item)
    return (
        is_disputed(item, reviews)
        or any(review.revised_at for review in reviews)
        or DiscussionPost.objects.filter(item=item).exists()
        or Consensus.objects.filter(item=item).exists()
    )


def discussion_of(item: Item, viewer) -> dict:
    """What a discussion shows: each judge's scores and comments under a letter, the
    messages under the same letters ("Chair" / "Organisers" for the others), the
    consensus if any. Names never appear."""
    reviews = item_reviews(item)
    letter_of = {review.assignment.judge_id: LETTERS[n % 26] for n, review in enumerate(reviews)}
    criteria = list(item.round.criteria.all())
    rubric = rubric_of(item.round)
    judges = [
        {
            "letter": letter_of[review.assignment.judge_id],
            "me": review.assignment.judge_id == viewer.pk,
            "points": [review.points.get(str(c.pk)) for c in criteria],
            "total": ranking.weighted_total(review.points, rubric),
            "first_total": ranking.weighted_total(review.first_points, rubric) if review.first_points else None,
            "revised": review.revised_at is not None,
            "comment": review.comment,
            "feedback": review.feedback,
            "review": review,
        }
        for review in reviews
    ]
    posts = [
        {
            "letter": letter_of.get(post.author_id),
            "chair": post.author_id == item.round.chair_id,
            "me": post.author_id == viewer.pk,
            "body": post.body,
            "at": post.created_at,
        }
        for post in DiscussionPost.objects.filter(item=item)
    ]
    return {
        "judges": judges,
        "criteria": criteria,
        "posts": posts,
        "consensus": Consensus.objects.filter(item=item).first(),
        "top": ranking.rubric_range(rubric),
        "disputed": is_disputed(item, reviews),
    }


def discussions_for(user) -> list[Item]:
    """Items the user judged, submitted, and whose judges disagree, in rounds being
    scored or closed (not yet published); and for a chair, those of their rounds."""
    items = (
        Item.objects.filter(round__status__in=DISCUSSION_STATUSES)
        .filter(
            models.Q(
                assignments__judge=user,
                assignments__recused_at__isnull=True,
                assignments__review__status=Review.Status.SUBMITTED,
            )
            | models.Q(round__chair=user)
        )
        .select_related("round")
        .distinct()
        .order_by("round_id", "code")
    )
    return [item for item in items if in_discussion(item)]


def round_redactions(round_: Round):
    """The items of a round whose text names its author, with what was found."""
    return Redaction.objects.filter(item__round=round_).exclude(hits=[]).select_related("item").order_by("item__code")


def similar_texts(round_: Round, *, limit: int = 50) -> list[dict]:
    """The round's items whose text is much like another's: another item of the round, a
    subject an earlier round judged, or anything else the callers' models offer for it
    (`judging_corpus`: every entry of the other contests, every idea), with the passages
    they share side by side. The same subject judged twice is not a match."""
    from django.apps import apps

    from . import similarity

    def text_of(item):
        subject = item.subject
        if subject is None:
            return ""
        card = subject.judging_card(blind=True)
        return f"{card.get('title') or ''}\n{card.get('body_html') or ''}"

    ours = list(Item.objects.filter(round=round_).select_related("round").prefetch_related("subject"))
    own_subjects = {(item.content_type_id, item.object_id) for item in ours}
    corpus = {}
    for model in apps.get_models():
        rows = getattr(model, "judging_corpus", None)
        if rows is None:
            continue
        content_type = ContentType.objects.get_for_model(model)
        for row in rows(call_id=round_.call_id):
            key = (content_type.pk, row["pk"])
            if key not in own_subjects:
                corpus[key] = row
    others = {}
    for item in Item.objects.exclude(round=round_).select_related("round").order_by("-round_id"):
        key = (item.content_type_id, item.object_id)
        if key in own_subjects or key in others:
            continue
        # Labelled by the round that judged it; its text from the corpus when there (one
        # query for all), else from its card.
        row = corpus.pop(key, None)
        others[key] = {"label": f"{item.round.name}: {item.code}", "code": item.code, "item": item}
        if row:
            others[key].update(text=row["text"], reference=row["reference"])
    without_text = [other["item"] for other in others.values() if "text" not in other]
    models.prefetch_related_objects(without_text, "subject")
    for other in others.values():
        if "text" not in other:
            other["text"] = text_of(other["item"])
    for key, row in corpus.items():
        others[key] = {
            "label": f"{row['source']}: {row['reference']}",
            "code": row["reference"],
            "reference": row["reference"],
            "text": row["text"],
        }
    texts = {item.pk: text_of(item) for item in ours}
    against = {key: other["text"] for key, other in others.items()}
    by_pk = {item.pk: item for item in ours}
    found = []
    for pair in similarity.similar_pairs(texts, against=against)[:limit]:
        first = by_pk[pair.a]
        if pair.b in by_pk:
            second = by_pk[pair.b]
            other = {"label": second.code, "code": second.code, "item": second, "text": texts[pair.b]}
        else:
            other = others[pair.b]
        if "reference" not in other:
            other["reference"] = getattr(other["item"].subject, "judging_reference", "")
        found.append(
            {
                "item": first,
                "reference": getattr(first.subject, "judging_reference", ""),
                "other_label": other["label"],
                "other_code": other["code"],
                "other_reference": other["reference"],
                "share": pair.share,
                "passages": similarity.passages(texts[pair.a], other["text"])[:5],
            }
        )
    return found


# --- Calibration


def calibration_left(judge, round_id) -> int:
    """How many calibration items of the round the judge has still to submit."""
    return (
        Assignment.objects.filter(judge=judge, item__round_id=round_id, item__calibration=True, recused_at__isnull=True)
        .exclude(review__status=Review.Status.SUBMITTED)
        .count()
    )


def calibration_comparison(assignment: Assignment) -> dict | None:
    """Once a judge has submitted a calibration item: their points per criterion beside
    the panel's mean and range (the submitted reviews so far), and the same for totals."""
    item = assignment.item
    if not item.calibration:
        return None
    reviews = list(
        Review.objects.filter(
            assignment__item=item, assignment__recused_at__isnull=True, status=Review.Status.SUBMITTED
        ).values_list("assignment__judge_id", "points")
    )
    mine = next((points for judge, points in reviews if judge == assignment.judge_id), None)
    if mine is None:
        return None
    rubric = rubric_of(item.round)
    rows = []
    for criterion in item.round.criteria.all():
        values = [float(points.get(str(criterion.pk), 0)) for _, points in reviews]
        rows.append(
            {
                "name": criterion.name,
                "mine": float(mine.get(str(criterion.pk), 0)),
                "mean": sum(values) / len(values),
                "low": min(values),
                "high": max(values),
            }
        )
    totals = [ranking.weighted_total(points, rubric) for _, points in reviews]
    return {
        "rows": rows,
        "mine": ranking.weighted_total(mine, rubric),
        "mean": sum(totals) / len(totals),
        "low": min(totals),
        "high": max(totals),
        "judges": len(reviews),
    }
