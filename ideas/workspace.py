"""Staff front-end pages of the idea box: ward staff enter an idea for a resident who has
no e-mail (/ho-so-y-tuong/nhap-ho/), with the resident's consent; the private link is
shown once, to print for the resident."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from referrals.permissions import may_enter_for_residents
from tayho_site import submissions

from . import queries
from .actions import authors
from .forms import StaffIdeaForm

STAFF_SCOPE = "ideas-staff"


def _ward_staff(request):
    if not may_enter_for_residents(request.user):
        raise PermissionDenied


@never_cache
@login_required
def staff_entry(request):
    _ward_staff(request)
    form = StaffIdeaForm(request.POST or None, request.FILES or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            submission = authors.submit_idea(
                form.cleaned_data["call"],
                **form.idea_data(),
                author={**form.author_data(), "notify": bool(form.cleaned_data["email"])},
                consents=form.consents(),
                attachment=form.cleaned_data["attachment"],
                attachment_kind=form.attachment_kind,
                entered_by=request.user,
                request=request,
            )
        except authors.IdeaClosed as closed:
            refusal = str(closed)
        else:
            return submissions.remember_sent(redirect("ideas:staff_entered"), STAFF_SCOPE, submission.access_token)
    return render(
        request,
        "ideas/staff_entry.html",
        {"form": form, "refusal": refusal},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
def staff_entered(request):
    _ward_staff(request)
    token = submissions.sent_token(request, STAFF_SCOPE)
    idea = queries.idea_for_token(token) if token else None
    if idea is None:
        return render(request, "ideas/staff_entered.html", {})
    return submissions.shown_once(
        render(request, "ideas/staff_entered.html", {"idea": idea, "private_path": authors.private_path(token)}),
        STAFF_SCOPE,
    )
