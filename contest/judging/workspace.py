"""The judges' workspace: their queue and the scoring page. A judge reaches only their
own assignments; anything else is a 404, whatever id is typed. Their own items of a
round that is not being scored are refused, with the reason."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import actions, permissions, queries
from .models import Assignment, Item, Review


def _as_input(value):
    """A number as a number input expects it: "7", "7.5" (never the localised "7,0")."""
    if isinstance(value, int | float):
        return format(value, "g")
    return str(value)


def _my_assignment(request, assignment_id):
    try:
        return permissions.assignment_to_read(request.user, assignment_id)
    except Assignment.DoesNotExist:
        raise Http404 from None


def _refusals(view):
    """A refusal (an item of a round not being scored) is a page that says why."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as refusal:
            return render(request, "judging/refused.html", {"reason": str(refusal)}, status=403)

    return wrapped


@never_cache
@login_required
def queue(request):
    assignments = list(queries.judge_queue(request.user))
    pending = [a for a in assignments if queries.is_pending(a)]
    done = [a for a in assignments if not queries.is_pending(a)]
    return render(
        request,
        "judging/queue.html",
        {
            "pending": pending,
            "done": done,
            "discussions": queries.discussions_for(request.user),
            "total": len(assignments),
            "submitted": len(done),
            "my_work": queries.to_do(request.user, assignments),
        },
    )


@never_cache
@login_required
@_refusals
def score(request, assignment_id):
    assignment = _my_assignment(request, assignment_id)
    round_ = assignment.item.round
    review = Review.objects.filter(assignment=assignment).first()
    locked = bool(review and review.status == Review.Status.SUBMITTED)
    errors = {}
    if request.method == "POST" and not locked:
        submit = "submit" in request.POST
        points = {
            key[len("criterion-") :]: value for key, value in request.POST.items() if key.startswith("criterion-")
        }
        try:
            actions.save_review(
                assignment,
                points=points,
                comment=request.POST.get("comment", "")[:5000],
                feedback=request.POST.get("feedback", "")[:5000],
                submit=submit,
                by=request.user,
            )
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        else:
            if submit:
                messages.success(request, _("Review submitted for %(code)s.") % {"code": assignment.item.code})
                following = queries.next_pending(request.user)
                return redirect("judging:score", following.pk) if following else redirect("judging:queue")
            messages.success(request, _("Draft saved."))
            return redirect("judging:score", assignment.pk)
    card = queries.item_card(assignment.item)
    criteria = list(round_.criteria.all())
    values = dict(review.points) if review else {}
    if request.method == "POST" and errors:
        values = {
            key[len("criterion-") :]: value for key, value in request.POST.items() if key.startswith("criterion-")
        }
    rows = [
        {"criterion": c, "value": _as_input(values.get(str(c.pk), "")), "error": errors.get(str(c.pk))}
        for c in criteria
    ]
    progress = queries.judge_queue(request.user).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(review__status=Review.Status.SUBMITTED))
    )
    return render(
        request,
        "judging/score.html",
        {
            "assignment": assignment,
            "round": round_,
            "card": card,
            "rows": rows,
            "review": review,
            "locked": locked,
            "comment": request.POST.get("comment") if errors else (review.comment if review else ""),
            "feedback": request.POST.get("feedback") if errors else (review.feedback if review else ""),
            "errors": errors,
            "general_errors": errors.get("__all__", []),
            "progress": progress,
            "calibration": queries.calibration_comparison(assignment) if locked else None,
        },
        status=400 if errors else 200,
    )


@login_required
@_refusals
def attachment(request, assignment_id):
    assignment = _my_assignment(request, assignment_id)
    card = queries.item_card(assignment.item)
    if not card.get("attachment"):
        raise Http404
    return FileResponse(card["attachment"].open("rb"), as_attachment=True, filename=card["attachment_name"])


@require_POST
@login_required
@_refusals
def recuse(request, assignment_id):
    assignment = _my_assignment(request, assignment_id)
    try:
        actions.recuse(assignment, reason=request.POST.get("reason", ""), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("judging:score", assignment.pk)
    messages.success(
        request, _("You no longer judge %(code)s; it has been given to another judge.") % {"code": assignment.item.code}
    )
    return redirect("judging:queue")


@never_cache
@login_required
def discussion(request, item_id):
    """The discussion of an item whose judges disagree: its judges (as Judge A, B, C),
    the round's chair and the organisers. Any other item is a 404."""
    try:
        item, own = permissions.item_to_discuss(request.user, item_id)
    except Item.DoesNotExist:
        raise Http404 from None
    errors = []
    if request.method == "POST":
        what = request.POST.get("action")
        try:
            if what == "post":
                actions.post_message(item, body=request.POST.get("body", ""), by=request.user)
                messages.success(request, _("Message posted."))
            elif what == "revise" and own is not None:
                points = {
                    key[len("criterion-") :]: value
                    for key, value in request.POST.items()
                    if key.startswith("criterion-")
                }
                actions.revise_review(own, points=points, reason=request.POST.get("reason", ""), by=request.user)
                messages.success(request, _("Your score is revised; your first score is kept."))
            elif what == "consensus":
                actions.record_consensus(
                    item, score=request.POST.get("score", ""), reason=request.POST.get("reason", ""), by=request.user
                )
                messages.success(request, _("The consensus score is recorded; the ranking uses it."))
            else:
                raise PermissionDenied
        except ValidationError as error:
            errors = error.messages
        else:
            return redirect("judging:discussion", item.pk)
    shown = queries.discussion_of(item, request.user)
    mine = next((judge for judge in shown["judges"] if judge["me"]), None)
    return render(
        request,
        "judging/discussion.html",
        {
            "item": item,
            "round": item.round,
            "own": own,
            "mine": mine,
            "may_revise": bool(mine and not mine["revised"]),
            "may_chair": permissions.may_chair(request.user, item.round),
            "errors": errors,
            **shown,
        },
        status=400 if errors else 200,
    )
