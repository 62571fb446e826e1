"""Nominations in the workspace (/thi-dua/khen-thuong/): units propose, the council
votes, the organisers put to the vote, record the decision, publish and revoke. A
nomination the user may not read is a 404, whatever id is typed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tayho_site import roles

from . import actions, permissions, queries
from .forms import DecisionForm, NominationForm, PublishForm, RevokeForm, VoteForm, WithdrawForm
from .models import Honour, HonourCategory, Voter


@never_cache
@login_required
def nomination_list(request):
    nominations = permissions.visible_nominations(request.user).select_related("category", "unit")
    council = permissions.is_council_member(request.user)
    voted = set(Voter.objects.filter(member=request.user).values_list("nomination_id", flat=True)) if council else set()
    return render(
        request,
        "emulation/honours/nominations.html",
        {
            "nominations": nominations[:300],
            "can_nominate": permissions.nominating_units(request.user).exists(),
            "council": council,
            "voted": voted,
            "suggestions": queries.suggestions_for(request.user)[:50],
            "categories": HonourCategory.objects.filter(active=True),
            "my_work": queries.to_do(request.user),
        },
    )


@never_cache
@login_required
def nominate(request):
    units = permissions.nominating_units(request.user)
    if not units.exists():
        raise PermissionDenied
    form = NominationForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person, unit = data["person"], data["unit"]
        try:
            nomination = actions.nominate(
                by=request.user,
                category=data["category"],
                year=data["year"],
                achievements_html=data["achievements"],
                person=person,
                unit=unit if person is None else None,
                collective=person is None,
                nominee_name=person.full_name if person else unit.name,
                show_photo=data["show_photo"],
                show_position=data["show_position"],
                evidence=[(data["evidence"], form.evidence_name)] if data.get("evidence") else [],
            )
        except ValidationError as error:
            problems = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
            for field, messages_of_field in problems:
                for message in messages_of_field:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("The nomination is sent to the emulation council."))
            return redirect("honours:nomination", nomination.pk)
    return render(
        request, "emulation/honours/nominate.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


@require_POST
@login_required
def propose(request):
    category_id = request.POST.get("category", "")
    category = HonourCategory.objects.filter(pk=category_id).first() if category_id.isdigit() else None
    try:
        if category is None:
            raise ValidationError(_("Choose a category."))
        nomination = actions.propose_suggestion(request.POST.get("key", ""), by=request.user, category=category)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("honours:list")
    messages.success(request, _("The nomination is sent to the emulation council."))
    return redirect("honours:nomination", nomination.pk)


def _visible(request, pk):
    nomination = (
        permissions.visible_nominations(request.user).select_related("category", "unit", "person").filter(pk=pk).first()
    )
    if nomination is None:
        raise Http404
    return nomination


@never_cache
@login_required
def nomination_detail(request, pk):
    nomination = _visible(request, pk)
    honour = Honour.objects.filter(nomination=nomination).first()
    allowed = permissions.actions_for(request.user, nomination, honour)
    action = request.POST.get("action") if request.method == "POST" else None
    forms = {
        "vote": VoteForm(request.POST if action == "vote" else None, prefix="vote"),
        "decide": DecisionForm(request.POST if action == "decide" else None, prefix="decide"),
        "publish": PublishForm(request.POST if action == "publish" else None, prefix="publish"),
        "revoke": RevokeForm(request.POST if action == "revoke" else None, prefix="revoke"),
        "withdraw": WithdrawForm(request.POST if action == "withdraw" else None, prefix="withdraw"),
    }
    if request.method == "POST":
        if action not in allowed:
            if (
                action == "vote"
                and permissions.is_council_member(request.user)
                and nomination.voters.filter(member=request.user).exists()
            ):
                messages.error(request, _("You have voted on this nomination already; each member votes once."))
                return redirect("honours:nomination", nomination.pk)
            raise PermissionDenied
        form = forms.get(action)
        if form is None or form.is_valid():
            data = form.cleaned_data if form is not None else {}
            try:
                if action == "vote":
                    actions.vote(nomination, member=request.user, choice=data["choice"])
                    messages.success(request, _("Your vote is recorded."))
                elif action == "open":
                    actions.open_voting(nomination, by=request.user, secret=request.POST.get("secret") == "yes")
                    messages.success(request, _("Voting is open to the council."))
                elif action == "decide":
                    nomination = actions.decide(
                        nomination,
                        by=request.user,
                        number=data["decision_number"],
                        date=data["decision_date"],
                        signer=data["decision_signer"],
                    )
                    messages.success(
                        request, _("Decision recorded: %(status)s.") % {"status": nomination.get_status_display()}
                    )
                elif action == "publish":
                    actions.publish(nomination, by=request.user, citation=data["citation"])
                    messages.success(request, _("The honour is on the public board."))
                elif action == "revoke":
                    actions.revoke(honour, by=request.user, reason=data["reason"])
                    messages.success(request, _("The honour is revoked and off the public board."))
                elif action == "withdraw":
                    actions.withdraw(nomination, by=request.user, reason=data["reason"])
                    messages.success(request, _("The nomination is withdrawn."))
                return redirect("honours:nomination", nomination.pk)
            except actions.AlreadyVoted:
                messages.error(request, _("You have voted on this nomination already; each member votes once."))
                return redirect("honours:nomination", nomination.pk)
            except ValidationError as error:
                message = " ".join(error.messages)
                if form is not None:
                    form.add_error(None, message)
                else:
                    messages.error(request, message)
    council = permissions.is_council_member(request.user)
    counts = permissions.may_see_counts(request.user, nomination)
    return render(
        request,
        "emulation/honours/nomination.html",
        {
            "nomination": nomination,
            "honour": honour,
            "actions": allowed,
            "council": council,
            "has_voted": council and nomination.voters.filter(member=request.user).exists(),
            "tally": queries.tally(nomination) if counts else None,
            "open_votes": queries.open_votes(nomination) if counts else [],
            "voters": queries.voters_count(nomination) if council or roles.is_organiser(request.user) else None,
            "evidence": nomination.evidence.all(),
            "forms": forms,
        },
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
def evidence(request, pk, evidence_id):
    nomination = _visible(request, pk)
    item = nomination.evidence.filter(pk=evidence_id).first()
    if item is None or not item.file.storage.exists(item.file.name):
        raise Http404
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)
