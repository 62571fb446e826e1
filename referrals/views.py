"""Referrals in the unit officers' workspace (/thi-dua/chuyen-xu-ly/): the list of what
their units must answer, overdue first, and a referral's page to answer, transfer or
note it. Whatever id is typed, a referral the user may not read is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import actions, permissions, queries
from .forms import AnswerForm, NoteForm, TransferForm
from .models import Referral, Verdict


@never_cache
@login_required
def referral_list(request):
    referrals = list(
        permissions.visible_referrals(request.user)
        .select_related("unit", "supervisor")
        .order_by("status", "due_on", "pk")
    )
    today = timezone.localdate()
    return render(
        request,
        "referrals/list.html",
        {
            "open": [r for r in referrals if r.status == Referral.Status.OPEN],
            "answered": [r for r in referrals if r.status == Referral.Status.ANSWERED][:50],
            "overdue": sum(r.is_overdue(today) for r in referrals),
            "my_work": queries.to_do(request.user),
        },
    )


@never_cache
@login_required
def referral_detail(request, pk):
    referral = (
        permissions.visible_referrals(request.user)
        .select_related("unit", "supervisor", "original_unit")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404
    can_act = permissions.may_act(request.user, referral)
    action = request.POST.get("action") if request.method == "POST" else None
    answer_form = AnswerForm(request.POST if action == "answer" else None, prefix="answer")
    transfer_form = TransferForm(request.POST if action == "transfer" else None, prefix="transfer", referral=referral)
    note_form = NoteForm(request.POST if action == "note" else None, prefix="note")
    if request.method == "POST":
        if not can_act or action not in ("answer", "transfer", "note"):
            raise PermissionDenied
        form = {"answer": answer_form, "transfer": transfer_form, "note": note_form}[action]
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "answer":
                    actions.answer(
                        referral,
                        outcome=data["outcome"],
                        text=data["text"],
                        plan_date=data["plan_date"],
                        milestones=data["milestones"],
                        by=request.user,
                    )
                    messages.success(request, _("The answer is recorded and published."))
                elif action == "transfer":
                    actions.transfer(referral, to_unit=data["to_unit"], reason=data["reason"], by=request.user)
                    messages.success(
                        request,
                        _("Transferred to %(unit)s. The deadline is unchanged.") % {"unit": data["to_unit"].name},
                    )
                    return redirect("referrals:list")
                else:
                    actions.add_note(referral, text=data["text"], by=request.user)
                    messages.success(request, _("Note saved."))
                return redirect("referrals:detail", referral.pk)
            except ValidationError as error:
                form.add_error(None, error)
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "subject": referral.subject,
            "can_act": can_act,
            "steps": referral.steps.select_related("from_unit", "to_unit"),
            "verdicts": referral.verdicts.select_related("unit"),
            "notes": permissions.notes_for(referral, request.user),
            "answer_form": answer_form,
            "transfer_form": transfer_form,
            "note_form": note_form,
            "overdue": referral.is_overdue(),
        },
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
def verdict_photo(request, pk):
    """A resident's photo with their verdict: for those who may read the referral."""
    verdict = get_object_or_404(Verdict, pk=pk, referral__in=permissions.visible_referrals(request.user).values("pk"))
    if not verdict.photo:
        raise Http404
    response = FileResponse(
        verdict.photo.open("rb"),
        filename=f"y-kien-{verdict.pk}.{'jpg' if verdict.photo_kind == 'jpeg' else 'png'}",
        content_type="image/jpeg" if verdict.photo_kind == "jpeg" else "image/png",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
