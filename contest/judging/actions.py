"""Every state change of judging: items join a round, scoring opens, assignments are
made (automatically or by hand), judges save, submit or step back, organisers reopen,
close, advance and publish. Each checks who may act and is one transaction with its audit
entry."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tayho_site.audit import record
from tayho_site.mail import queue_email

from . import assign as assigning
from . import permissions
from . import rank as ranking
from . import redact as redacting
from .models import (
    Assignment,
    Conflict,
    Consensus,
    DiscussionPost,
    Item,
    Redaction,
    Review,
    Round,
    new_item_code,
)
from .protocols import Subject
from .queries import compute_ranking, round_agreement
from .queries import rubric_of as queries_rubric


def add_items(round_: Round, subjects: Iterable[Subject], *, by=None) -> list[Item]:
    """Put things to judge into a round, each under a random code drawn for this round
    (never the subject's own code, which anyone can look up). With `by`, the addition
    is audited."""
    subjects = list(subjects)
    if not subjects:
        return []
    content_type = ContentType.objects.get_for_model(subjects[0])
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        existing = set(Item.objects.filter(round=round_, content_type=content_type).values_list("object_id", flat=True))
        codes = set(Item.objects.filter(round=round_).values_list("code", flat=True))
        fresh = []
        for subject in subjects:
            if subject.pk in existing:
                continue
            existing.add(subject.pk)
            code = new_item_code()
            while code in codes:
                code = new_item_code()
            codes.add(code)
            fresh.append(Item(round=round_, content_type=content_type, object_id=subject.pk, code=code))
        items = Item.objects.bulk_create(fresh)
        if by is not None:
            record("judging.items", round_, actor=by, added=len(items))
    return items


def open_round(round_: Round, *, by) -> Round:
    """Scoring starts: judges see their queues."""
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        if round_.status != Round.Status.DRAFT:
            raise ValidationError(_("Only a round being prepared can be opened."))
        round_.status = Round.Status.SCORING
        round_.save(update_fields=["status"])
        record("judging.open", round_, actor=by)
    return round_


def mark_published(round_: Round, *, by) -> Round:
    """The round's results are public."""
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        if round_.status not in (Round.Status.CLOSED, Round.Status.PUBLISHED):
            raise ValidationError(_("Close the round before publishing its results."))
        round_.status = Round.Status.PUBLISHED
        round_.save(update_fields=["status"])
        record("judging.published", round_, actor=by)
    return round_


def assign_round(round_: Round, *, by) -> int:
    """Give every item its judges, keeping what is assigned; returns how many were added."""
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        judges = list(round_.judges.order_by("pk").values_list("pk", flat=True))
        items = list(Item.objects.filter(round=round_).order_by("pk").values_list("pk", flat=True))
        existing = {}
        for item_id, judge_id in Assignment.objects.filter(item__round=round_, recused_at__isnull=True).values_list(
            "item_id", "judge_id"
        ):
            existing.setdefault(item_id, []).append(judge_id)
        conflicts = set(Conflict.objects.filter(item__round=round_).values_list("judge_id", "item_id"))
        # A recused judge is never given the item again.
        conflicts |= set(
            Assignment.objects.filter(item__round=round_, recused_at__isnull=False).values_list("judge_id", "item_id")
        )
        result = assigning.assign(
            items, judges, round_.judges_per_item, seed=round_.seed, conflicts=conflicts, existing=existing
        )
        # Every judge of the panel scores the calibration items (unless in conflict).
        added = list(result.added)
        for item in Item.objects.filter(round=round_, calibration=True).values_list("pk", flat=True):
            for judge in judges:
                if judge not in result.judges_of.get(item, []) and (judge, item) not in conflicts:
                    added.append((item, judge))
        Assignment.objects.bulk_create(
            [Assignment(item_id=item, judge_id=judge) for item, judge in added], ignore_conflicts=True
        )
        record(
            "judging.assign",
            round_,
            actor=by,
            summary=f"+{len(added)}",
            added=len(added),
            loads={str(k): v for k, v in result.loads().items()},
            seed=round_.seed,
        )
    return len(added)


def recuse(assignment: Assignment, *, reason: str, by) -> Assignment | None:
    """The judge steps back from an item (with a reason); the item goes to another judge.
    Only while the round is scoring and the judge's review is not submitted: a submitted
    score is locked and stays in the ranking. Returns the new assignment, or None when
    no judge is free of conflict."""
    if by.pk != assignment.judge_id:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Please give the reason for stepping back."))
    with transaction.atomic():
        # The round's lock orders this against closing the round.
        round_status = Round.objects.select_for_update().only("status").get(pk=assignment.item.round_id).status
        assignment = Assignment.objects.select_for_update().select_related("item__round").get(pk=assignment.pk)
        if assignment.recused_at:
            return None
        if round_status != Round.Status.SCORING:
            raise ValidationError(_("You can step back from an item only while its round is being scored."))
        if Review.objects.filter(assignment=assignment, status=Review.Status.SUBMITTED).exists():
            raise ValidationError(
                _(
                    "Your review of this item has been submitted and is locked: you can no "
                    "longer step back from it. Ask the organisers if something is wrong."
                )
            )
        assignment.recused_at = timezone.now()
        assignment.save(update_fields=["recused_at"])
        Conflict.objects.get_or_create(
            item=assignment.item, judge_id=assignment.judge_id, defaults={"reason": reason.strip()}
        )
        record("judging.recuse", assignment.item, actor=by, summary=reason.strip()[:200])
        round_ = assignment.item.round
        taken = set(Assignment.objects.filter(item=assignment.item).values_list("judge_id", flat=True))
        blocked = set(Conflict.objects.filter(item=assignment.item).values_list("judge_id", flat=True))
        loads = {}
        for judge_id in round_.judges.values_list("pk", flat=True):
            if judge_id not in taken and judge_id not in blocked:
                loads[judge_id] = Assignment.objects.filter(
                    item__round=round_, judge_id=judge_id, recused_at__isnull=True
                ).count()
        if not loads:
            return None
        replacement = min(loads, key=lambda judge_id: (loads[judge_id], judge_id))
        new = Assignment.objects.create(item=assignment.item, judge_id=replacement)
        record("judging.reassign", assignment.item, actor=by, judge=replacement)
        return new


def clean_points(round_: Round, points: dict, *, complete: bool) -> dict:
    """{criterion id: points} checked against the rubric; all criteria when complete."""
    cleaned, errors = {}, {}
    for criterion in round_.criteria.all():
        value = points.get(str(criterion.pk), points.get(criterion.pk))
        if value in (None, ""):
            if complete:
                errors[str(criterion.pk)] = _("Score every criterion before submitting.")
            continue
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            errors[str(criterion.pk)] = _("Enter a number.")
            continue
        if not 0 <= number <= criterion.max_points:
            errors[str(criterion.pk)] = _("Between 0 and %(max)s.") % {"max": criterion.max_points}
            continue
        cleaned[str(criterion.pk)] = float(number)
    if errors:
        raise ValidationError(errors)
    return cleaned


def save_review(
    assignment: Assignment, *, points: dict, comment: str, submit: bool, by, feedback: str | None = None
) -> Review:
    """A judge saves a draft or submits; a submitted review is locked. `comment` is the
    judge's note to the organisers; `feedback`, a comment for the author (None keeps it)."""
    if by.pk != assignment.judge_id:
        raise PermissionDenied
    round_ = assignment.item.round
    if round_.status != Round.Status.SCORING or assignment.recused_at:
        raise ValidationError(_("This item cannot be scored now."))
    with transaction.atomic():
        review, _created = Review.objects.select_for_update().get_or_create(assignment=assignment)
        if review.status == Review.Status.SUBMITTED:
            raise ValidationError(_("This review has been submitted and is locked."))
        before = dict(review.points)
        review.points = clean_points(round_, points, complete=submit)
        review.comment = comment
        if feedback is not None:
            review.feedback = feedback[:5000]
        if submit:
            review.status = Review.Status.SUBMITTED
            review.submitted_at = timezone.now()
        review.save()
        record(
            "judging.review.submit" if submit else "judging.review.save",
            assignment.item,
            actor=by,
            before=before,
            after=review.points,
        )
    return review


def reopen_review(review: Review, *, by, reason: str) -> Review:
    """An organiser unlocks a submitted review (audited)."""
    if not permissions.may(by, "change", Review):
        raise PermissionDenied
    with transaction.atomic():
        review = Review.objects.select_for_update().select_related("assignment__item__round").get(pk=review.pk)
        if review.assignment.item.round.status != Round.Status.SCORING:
            # Its judge could no longer score it: the reopened review would just leave the ranking.
            raise ValidationError(_("A review can be reopened only while its round is being scored."))
        review.status = Review.Status.DRAFT
        review.submitted_at = None
        review.save(update_fields=["status", "submitted_at", "updated_at"])
        record(
            "judging.review.reopen",
            review.assignment.item,
            actor=by,
            summary=reason[:200],
            judge=review.assignment.judge_id,
        )
    return review


def close_round(round_: Round, *, by) -> list[ranking.RankedItem]:
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        round_.status = Round.Status.CLOSED
        round_.closed_at = timezone.now()
        round_.save(update_fields=["status", "closed_at"])
        results = compute_ranking(round_)
        round_.agreement = round_agreement(round_)
        round_.save(update_fields=["agreement"])
        record(
            "judging.close",
            round_,
            actor=by,
            method=round_.method,
            top=[{"item": r.item, "rank": r.rank, "score": round(r.score, 4)} for r in results[:20]],
        )
    return results


def advance(round_: Round, next_round: Round, count: int, *, by) -> int:
    """The top `count` items of a closed round go on to the next round (same subjects,
    new panel, new assignments)."""
    round_ = Round.objects.get(pk=round_.pk)
    if round_.status not in (Round.Status.CLOSED, Round.Status.PUBLISHED):
        raise ValidationError(_("Close the round before choosing what advances."))
    top = [r.item for r in compute_ranking(round_)[:count]]
    items = Item.objects.filter(pk__in=top).select_related("content_type")
    with transaction.atomic():
        created = add_items(next_round, [item.subject for item in items])
        record("judging.advance", round_, actor=by, next_round=next_round.pk, count=len(created))
    return len(created)


def remind_late_judges(round_: Round, *, by, workspace_url: str = "/cham-bai/") -> int:
    """E-mail each judge who still has items to score in the round; returns how many."""
    from django.db.models import Count, Q
    from django.template.loader import render_to_string

    pending = (
        round_.judges.annotate(
            left=Count(
                "judging_assignments",
                filter=Q(
                    judging_assignments__item__round=round_,
                    judging_assignments__recused_at__isnull=True,
                )
                & ~Q(judging_assignments__review__status=Review.Status.SUBMITTED),
            )
        )
        .filter(left__gt=0)
        .exclude(email="")
    )
    reminded = 0
    with transaction.atomic():
        for judge in pending:
            queue_email(
                judge.email,
                _("Reminder: %(count)s items left to score in “%(round)s”")
                % {"count": judge.left, "round": round_.name},
                render_to_string(
                    "judging/email/reminder.txt",
                    {"judge": judge, "round": round_, "left": judge.left, "url": workspace_url},
                ),
            )
            reminded += 1
        record("judging.remind", round_, actor=by, judges=reminded)
    return reminded


def remind_rounds_closing_soon(*, within_days: int = 3, site_url: str = "", now=None) -> dict:
    """The daily job: in every round being scored that closes within `within_days`, remind
    the judges who are behind — once a day per round (a reminder the organisers sent by
    hand today counts). Returns {round: judges reminded}."""
    from tayho_site.models import AuditEntry

    now = now or timezone.now()
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    rounds = Round.objects.filter(
        status=Round.Status.SCORING,
        scoring_closes_at__gt=now,
        scoring_closes_at__lte=now + datetime.timedelta(days=within_days),
    )
    reminded_today = set(
        AuditEntry.objects.filter(action="judging.remind", at__gte=today).values_list("target_id", flat=True)
    )
    url = site_url.rstrip("/") + "/cham-bai/"
    return {
        round_: remind_late_judges(round_, by=None, workspace_url=url)
        for round_ in rounds
        if str(round_.pk) not in reminded_today
    }


def _lock_round(round_id) -> Round:
    """Hand assignments of a round, one at a time (and never while it is being closed)."""
    return Round.objects.select_for_update().get(pk=round_id)


def check_hand_assignment(item: Item, judge, *, assignment: Assignment | None = None) -> None:
    """Why `judge` may not be given `item` by hand (or an existing assignment moved to
    them): ValidationError with the reasons, per form field."""
    if assignment is not None and assignment.pk and (assignment.item_id, assignment.judge_id) == (item.pk, judge.pk):
        return  # nothing changes
    round_ = item.round
    rounds = [round_] if assignment is None or not assignment.pk else [round_, assignment.item.round]
    if any(r.status not in (Round.Status.DRAFT, Round.Status.SCORING) for r in rounds):
        raise ValidationError(_("This round is closed: its assignments can no longer change."))
    if assignment is not None and assignment.pk:
        if Review.objects.filter(assignment=assignment).exists():
            raise ValidationError(
                _(
                    "This judge already has a review of the item (a draft or submitted): the "
                    "assignment can no longer move to another judge or item."
                )
            )
        if assignment.recused_at:
            raise ValidationError(_("The judge stepped back from this item: make a new assignment instead."))
    errors = []
    if not round_.judges.filter(pk=judge.pk).exists():
        errors.append(
            _("%(judge)s is not on the panel of the round “%(round)s”: add them to the panel first.")
            % {"judge": judge.get_full_name() or judge.get_username(), "round": round_.name}
        )
    if Conflict.objects.filter(item=item, judge=judge).exists():
        errors.append(
            _("%(judge)s has declared a conflict of interest with this item.")
            % {"judge": judge.get_full_name() or judge.get_username()}
        )
    if Assignment.objects.filter(item=item, judge=judge).exclude(pk=getattr(assignment, "pk", None)).exists():
        errors.append(_("This judge is already assigned this item."))
    if errors:
        raise ValidationError({"judge": errors})


def assign_by_hand(item: Item, judge, *, by) -> Assignment:
    """An organiser gives an item to a judge of the panel who declared no conflict with it."""
    if not permissions.may(by, "add", Assignment):
        raise PermissionDenied
    with transaction.atomic():
        _lock_round(item.round_id)
        item = Item.objects.select_related("round").get(pk=item.pk)
        check_hand_assignment(item, judge)
        assignment = Assignment.objects.create(item=item, judge=judge, by_hand=True)
        record("judging.assign.hand", item, actor=by, judge=judge.pk)
    return assignment


def change_assignment(assignment: Assignment, *, item: Item, judge, by) -> Assignment:
    """An organiser moves an assignment to another judge (or item), as long as its judge
    has no review of it: a review stays with the judge who wrote it."""
    if not permissions.may(by, "change", Assignment):
        raise PermissionDenied
    with transaction.atomic():
        _lock_round(item.round_id)
        item = Item.objects.select_related("round").get(pk=item.pk)
        assignment = Assignment.objects.select_for_update().select_related("item__round").get(pk=assignment.pk)
        if (assignment.item_id, assignment.judge_id) == (item.pk, judge.pk):
            return assignment
        check_hand_assignment(item, judge, assignment=assignment)
        before = {"item": assignment.item_id, "judge": assignment.judge_id}
        assignment.item, assignment.judge, assignment.by_hand = item, judge, True
        assignment.save(update_fields=["item", "judge", "by_hand"])
        record("judging.assign.hand", item, actor=by, before=before, judge=judge.pk)
    return assignment


def delete_assignment(assignment: Assignment, *, by) -> None:
    """An organiser takes an item back from a judge who has not started on it: a review,
    even a draft, is never deleted with its assignment."""
    if not permissions.may(by, "delete", Assignment):
        raise PermissionDenied
    with transaction.atomic():
        _lock_round(assignment.item.round_id)
        assignment = Assignment.objects.select_for_update().select_related("item__round").get(pk=assignment.pk)
        if Review.objects.filter(assignment=assignment).exists():
            raise ValidationError(
                _(
                    "This judge already has a review of the item (a draft or submitted): the "
                    "assignment cannot be deleted."
                )
            )
        record("judging.assign.delete", assignment.item, actor=by, judge=assignment.judge_id)
        assignment.delete()


def reopen_scoring(round_: Round, *, by) -> Round:
    """A closed round (results not published) is scored again: to give uncertain items
    one more judge, say. Closing it again ranks it afresh."""
    if not permissions.may_run_rounds(by):
        raise PermissionDenied
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        if round_.status != Round.Status.CLOSED:
            raise ValidationError(_("Only a closed round whose results are not published can be scored again."))
        round_.status = Round.Status.SCORING
        round_.save(update_fields=["status"])
        record("judging.reopen_scoring", round_, actor=by)
    return round_


def add_one_judge(item: Item, *, by) -> Assignment | None:
    """One more judge for an item whose rank is uncertain, by the assignment's rules
    (panel, conflicts and recusals, the least loaded judge). Returns None when no judge
    of the panel is free."""
    if not permissions.may(by, "add", Assignment):
        raise PermissionDenied
    with transaction.atomic():
        round_ = _lock_round(item.round_id)
        if round_.status != Round.Status.SCORING:
            raise ValidationError(_("One more judge can be given only while the round is being scored."))
        judges_of = {}
        for item_id, judge_id in Assignment.objects.filter(item__round=round_, recused_at__isnull=True).values_list(
            "item_id", "judge_id"
        ):
            judges_of.setdefault(item_id, []).append(judge_id)
        conflicts = set(Conflict.objects.filter(item__round=round_).values_list("judge_id", "item_id"))
        # A recused judge is never given the item again.
        conflicts |= set(
            Assignment.objects.filter(item__round=round_, recused_at__isnull=False).values_list("judge_id", "item_id")
        )
        judge = assigning.one_more(
            item.pk,
            round_.judges.order_by("pk").values_list("pk", flat=True),
            judges_of,
            seed=round_.seed,
            conflicts=conflicts,
        )
        if judge is None:
            return None
        assignment = Assignment.objects.create(item=item, judge_id=judge, by_hand=True)
        record("judging.assign.one_more", item, actor=by, judge=judge)
    return assignment


# --- Discussions of items whose judges disagree, and consensus


def post_message(item: Item, *, body: str, by) -> DiscussionPost:
    """A judge of the item, its round's chair or an organiser writes in the discussion."""
    item, _own = _discussable(item, by)
    body = body.strip()
    if not body:
        raise ValidationError(_("Write a message first."))
    with transaction.atomic():
        post = DiscussionPost.objects.create(item=item, author=by, body=body[:3000])
        record("judging.discussion.post", item, actor=by)
    return post


def revise_review(assignment: Assignment, *, points: dict, reason: str, by) -> Review:
    """After the discussion, a judge may revise their submitted score once: the first
    points are kept, the change audited with its reason."""
    item, own = _discussable(assignment.item, by)
    if own is None or own.pk != assignment.pk:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Please give the reason for revising your score."))
    with transaction.atomic():
        _lock_round(item.round_id)
        review = Review.objects.select_for_update().get(assignment=assignment)
        if review.first_points is not None:
            raise ValidationError(_("You have revised this score once already."))
        cleaned = clean_points(item.round, points, complete=True)
        review.first_points = dict(review.points)
        review.points = cleaned
        review.revised_at = timezone.now()
        review.save(update_fields=["first_points", "points", "revised_at", "updated_at"])
        record(
            "judging.review.revise",
            item,
            actor=by,
            summary=reason.strip()[:200],
            before=review.first_points,
            after=cleaned,
        )
    return review


def record_consensus(item: Item, *, score, reason: str, by) -> Consensus:
    """The round's chair (or an organiser) records the consensus score of an item under
    discussion, with the reason: the ranking uses it."""
    item, _own = _discussable(item, by)
    if not permissions.may_chair(by, item.round):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Please give the reason for the consensus score."))
    top = ranking.rubric_range(queries_rubric(item.round))
    try:
        value = float(Decimal(str(score).replace(",", ".")))
    except ArithmeticError:
        raise ValidationError(_("Enter a number.")) from None
    if not 0 <= value <= top:
        raise ValidationError(_("Between 0 and %(max)s.") % {"max": f"{top:g}"})
    with transaction.atomic():
        _lock_round(item.round_id)
        before = Consensus.objects.filter(item=item).values_list("score", flat=True).first()
        consensus, _created = Consensus.objects.update_or_create(
            item=item, defaults={"score": value, "reason": reason.strip()[:3000], "decided_by": by}
        )
        record("judging.consensus", item, actor=by, summary=reason.strip()[:200], before=before, after=value)
    return consensus


def _discussable(item: Item, user):
    try:
        return permissions.item_to_discuss(user, item.pk)
    except Item.DoesNotExist:
        raise PermissionDenied from None


# --- No names in blind texts


def scan_round(round_: Round, *, by) -> int:
    """Look for each item's author (name, pen name, phone, e-mail, ward, workplace) in
    the text its judges will read, its attachment's text included; keep the hits (with
    the words around them) for the organisers. A redaction already
    made stays. Returns how many items name their author."""
    if not permissions.may_run_rounds(by):
        raise PermissionDenied
    named = 0
    with transaction.atomic():
        round_ = _lock_round(round_.pk)
        for item in Item.objects.filter(round=round_).select_related("content_type"):
            subject = item.subject
            identifiers = getattr(subject, "judging_identifiers", None)
            if subject is None or identifiers is None:
                continue
            card = subject.judging_card(blind=True)
            found = _scan_card(card, identifiers())
            if found:
                named += 1
            if found or Redaction.objects.filter(item=item).exists():
                Redaction.objects.update_or_create(item=item, defaults={"hits": found})
        record("judging.scan", round_, actor=by, named=named)
    return named


def _hits(field: str, text: str, identifiers) -> list[dict]:
    found = []
    for hit in redacting.find(text, identifiers):
        before, after = redacting.context(text, hit.start, hit.end)
        found.append({"field": field, **hit.as_dict(), "before": before, "after": after})
    return found


def _attachment_text(attachment) -> str:
    """The text of the item's cleaned attachment (a .docx or a PDF; a picture has none)."""
    name = getattr(attachment, "name", "") or ""
    kind = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if kind not in ("docx", "pdf"):
        return ""
    try:
        with attachment.open("rb") as handle:
            data = handle.read()
    except OSError:
        return ""
    return redacting.attachment_text(data, kind)


def _scan_card(card: dict, identifiers) -> list[dict]:
    """Every hit in what the judges would read: the title, the text and the attachment's
    text, each with the words around it."""
    found = []
    for field in ("title", "body_html"):
        found += _hits(field, str(card.get(field) or ""), identifiers)
    if card.get("attachment"):
        found += _hits("attachment", _attachment_text(card["attachment"]), identifiers)
    return found


def redact_item(item: Item, *, by) -> Redaction:
    """Blank every hit of the scan in the text the item's judges read; the original stays."""
    if not permissions.may_run_rounds(by):
        raise PermissionDenied
    with transaction.atomic():
        redaction = Redaction.objects.select_for_update().select_related("item").get(item=item)
        subject = item.subject
        card, identifiers = subject.judging_card(blind=True), subject.judging_identifiers()
        for field in ("title", "body_html"):
            # Found afresh: the text may have changed since the scan.
            text = str(card.get(field) or "")
            hits = redacting.find(text, identifiers)
            setattr(redaction, field, redacting.redact(text, hits) if hits else "")
        redaction.hits = _scan_card(card, identifiers)
        redaction.redacted_by, redaction.redacted_at = by, timezone.now()
        redaction.save()
        record("judging.redact", item, actor=by, hits=len(redaction.hits))
    return redaction


def set_calibration(round_: Round, codes, *, by) -> int:
    """The round's calibration items, by their codes (while the round is being prepared):
    every judge scores them first; they are not ranked. Returns how many there are."""
    if not permissions.may_run_rounds(by):
        raise PermissionDenied
    codes = {code.strip().upper() for code in codes if code.strip()}
    with transaction.atomic():
        round_ = _lock_round(round_.pk)
        if round_.status != Round.Status.DRAFT:
            raise ValidationError(_("Calibration items are chosen while the round is being prepared."))
        unknown = codes - set(Item.objects.filter(round=round_, code__in=codes).values_list("code", flat=True))
        if unknown:
            raise ValidationError(
                _("No item of this round has the code %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
            )
        Item.objects.filter(round=round_).exclude(code__in=codes).update(calibration=False)
        count = Item.objects.filter(round=round_, code__in=codes).update(calibration=True)
        record("judging.calibration", round_, actor=by, codes=sorted(codes))
    return count
