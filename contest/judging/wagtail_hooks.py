"""The organisers' judging screens in the Wagtail admin: rounds (with their rubric and
panel), and a round's page with its progress, assignment, opening, closing and ranking.
Calls (contests, idea calls) plug in through protocols.Call."""

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.views.generic import CreateView, DeleteView, EditView
from wagtail.admin.viewsets.model import ModelViewSet

from tayho_site.adminui import field_column
from tayho_site.audit import record
from tayho_site.dashboard import Line, WaitingWorkPanel

from . import actions, permissions, queries
from .assign import AssignmentImpossible
from .models import Assignment, Item, Review, Round
from .rank import METHODS


def round_runners_only(view):
    """Organisers run rounds, contest and idea rounds alike (the engine's own permission)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not permissions.may_run_rounds(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class RoundViewSet(ModelViewSet):
    model = Round
    icon = "tasks"
    menu_label = gettext_lazy("Judging rounds")
    menu_order = 212
    add_to_admin_menu = True
    list_display = [
        "name",
        TitleColumn(
            "progress",
            label=gettext_lazy("Progress and ranking"),
            url_name="judging_round_detail",
            accessor=lambda round_: gettext_lazy("Open"),
        ),
        "call",
        "status",
        "judges_per_item",
        field_column(Round, "blind"),
        field_column(Round, "scoring_closes_at"),
    ]
    list_filter = ["status", "blind"]
    search_fields = ["name"]


round_viewset = RoundViewSet("judging-rounds")


class _HandAssignmentSave:
    """Saving goes through the rule (checked again under the round's lock, audited); a
    refusal there, as in a race with another organiser, comes back as a form error."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)


class HandAssignmentCreateView(_HandAssignmentSave, CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return actions.assign_by_hand(data["item"], data["judge"], by=self.request.user)


class HandAssignmentEditView(_HandAssignmentSave, EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return actions.change_assignment(self.object, item=data["item"], judge=data["judge"], by=self.request.user)


class HandAssignmentDeleteView(DeleteView):
    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            messages.error(request=self.request, message=" ".join(error.messages))
            return redirect(self.get_success_url())

    def delete_action(self):
        actions.delete_assignment(self.object, by=self.request.user)


class AssignmentViewSet(ModelViewSet):
    """Organisers adjust assignments by hand; "Assign judges" then fills the remainder."""

    model = Assignment
    icon = "user"
    menu_label = gettext_lazy("Assignments")
    menu_order = 213
    add_to_admin_menu = True
    list_display = [
        "item",
        "judge",
        field_column(Assignment, "by_hand"),
        "recused_at",
        field_column(Assignment, "created_at"),
    ]
    list_filter = ["item__round", "judge", "by_hand"]
    search_fields = ["item__code", "judge__username"]
    form_fields = ["item", "judge"]
    add_view_class = HandAssignmentCreateView
    edit_view_class = HandAssignmentEditView
    delete_view_class = HandAssignmentDeleteView

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)

        class HandAssignmentForm(form_class):
            def clean(self):
                """The rules' own checks, shown beside the fields."""
                data = super().clean()
                if data.get("item") and data.get("judge"):
                    current = (
                        Assignment.objects.select_related("item__round").get(pk=self.instance.pk)
                        if self.instance.pk
                        else None
                    )
                    try:
                        actions.check_hand_assignment(data["item"], data["judge"], assignment=current)
                    except ValidationError as error:
                        self.add_error(None, error)
                return data

        return HandAssignmentForm


assignment_viewset = AssignmentViewSet("judging-assignments")


HIT_KINDS = {
    "name": gettext_lazy("Full name"),
    "pen_name": gettext_lazy("Pen name"),
    "phone": gettext_lazy("Phone"),
    "email": gettext_lazy("E-mail"),
    "ward": gettext_lazy("Ward"),
    "workplace": gettext_lazy("Occupation or unit"),
}


def _with_kind_labels(redactions):
    redactions = list(redactions)
    for redaction in redactions:
        for hit in redaction.hits:
            hit["kind"] = HIT_KINDS.get(hit["kind"], hit["kind"])
    return redactions


# An item near a cut-off is uncertain when it stays on its side in fewer resamples.
UNCERTAIN_BELOW = 0.9


def _cutoffs_asked(request) -> list[int]:
    """Cut-offs typed on the round's page ("3, 10"), if any."""
    asked = []
    for part in request.GET.get("cutoffs", "").replace(";", ",").split(","):
        if part.strip().isdigit() and 0 < int(part) < 100_000:
            asked.append(int(part))
    return sorted(set(asked))[:10]


@round_runners_only
def round_detail(request, round_id):
    round_ = get_object_or_404(Round.objects.select_related("call"), pk=round_id)
    judges, incomplete = queries.round_progress(round_)
    method = request.GET.get("method") if request.GET.get("method") in METHODS else round_.method
    ranking = []
    call = queries.call_of(round_)
    if round_.status in (Round.Status.CLOSED, Round.Status.PUBLISHED):
        # The organisers see each item's own code beside the round's: they award prizes to entries.
        items = {item.pk: item for item in Item.objects.filter(round=round_).prefetch_related("subject")}
        prizes = call.judging_decisions() if call is not None else {}
        ranking = [
            {
                "code": items[r.item].code,
                "prize": prizes.get(items[r.item].object_id, ""),
                "reference": getattr(items[r.item].subject, "judging_reference", ""),
                **vars(r),
            }
            for r in queries.compute_ranking(round_, method)
        ]
    certainty, cutoffs, agreement = [], [], round_.agreement
    if round_.status != Round.Status.DRAFT:
        cutoffs = _cutoffs_asked(request) or queries.cutoffs_of(round_)
        codes = dict(Item.objects.filter(round=round_).values_list("pk", "code"))
        certainty = [
            {
                "code": codes.get(row.item, ""),
                "uncertain": row.least_certain < UNCERTAIN_BELOW,
                "shares": [row.stays.get(k) for k in cutoffs],
                **vars(row),
            }
            for row in queries.round_certainty(round_, method, cutoffs)
        ]
        if round_.status == Round.Status.SCORING:
            agreement = queries.round_agreement(round_)
    return render(
        request,
        "judging/admin/round_detail.html",
        {
            "settled_count": sum(1 for row in ranking if row["settled"]),
            "redactions": _with_kind_labels(queries.round_redactions(round_)) if round_.blind else [],
            "calibration_codes": list(
                Item.objects.filter(round=round_, calibration=True).values_list("code", flat=True)
            ),
            "certainty": certainty,
            "cutoffs": cutoffs,
            "agreement": agreement,
            "uncertain_below": int(UNCERTAIN_BELOW * 100),
            "round": round_,
            "judges": judges,
            "items": Item.objects.filter(round=round_).count(),
            "candidates": queries.candidates_for(round_).count(),
            "ranking": ranking,
            "method": method,
            "methods": Round.METHOD_CHOICES,
            "page_title": str(round_),
            "call": call,
            "next_rounds": round_.next_rounds.all(),
            "incomplete": incomplete[:100],
            "incomplete_count": len(incomplete),
            "reviews": Review.objects.filter(assignment__item__round=round_, status=Review.Status.SUBMITTED).count(),
            "assignments": Assignment.objects.filter(item__round=round_, recused_at__isnull=True).count(),
        },
    )


@round_runners_only
def round_similar(request, round_id):
    """The round's items whose text is much like another's, with the passages side by side."""
    round_ = get_object_or_404(Round.objects.select_related("call"), pk=round_id)
    return render(
        request,
        "judging/admin/round_similar.html",
        {"round": round_, "pairs": queries.similar_texts(round_), "page_title": str(round_)},
    )


@round_runners_only
def round_export(request, round_id):
    from django.http import HttpResponse
    from django.utils.text import slugify

    from .exports import scoring_workbook

    round_ = get_object_or_404(Round.objects.select_related("call"), pk=round_id)
    response = HttpResponse(
        scoring_workbook(round_),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="bang-diem-{slugify(round_.name) or round_.pk}.xlsx"'
    record("judging.export", round_, actor=request.user)
    return response


@require_POST
@round_runners_only
def round_action(request, round_id, action):
    round_ = get_object_or_404(Round, pk=round_id)
    try:
        if action == "add-entries":
            added = actions.add_items(round_, queries.candidates_for(round_), by=request.user)
            messages.success(request, _("%(count)s items added to the round.") % {"count": len(added)})
        elif action == "assign":
            added = actions.assign_round(round_, by=request.user)
            messages.success(request, _("%(count)s assignments made.") % {"count": added})
        elif action == "reopen":
            review = get_object_or_404(
                Review,
                assignment__item__round=round_,
                assignment__item__code=request.POST.get("code", "").strip(),
                assignment__judge__username=request.POST.get("judge", "").strip(),
            )
            actions.reopen_review(review, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("The review is open again for its judge."))
        elif action == "remind":
            count = actions.remind_late_judges(
                round_, by=request.user, workspace_url=request.build_absolute_uri("/cham-bai/")
            )
            messages.success(request, _("%(count)s judges reminded.") % {"count": count})
        elif action == "one-more-judge":
            item = get_object_or_404(Item, pk=request.POST.get("item"), round=round_)
            added = actions.add_one_judge(item, by=request.user)
            if added is None:
                messages.error(request, _("No judge of the panel is free to score %(code)s.") % {"code": item.code})
            else:
                judge = added.judge.get_full_name() or added.judge.get_username()
                messages.success(
                    request, _("%(code)s: one more judge, %(judge)s.") % {"code": item.code, "judge": judge}
                )
        elif action == "reopen-scoring":
            actions.reopen_scoring(round_, by=request.user)
            messages.success(request, _("The round is being scored again."))
        elif action == "calibration":
            count = actions.set_calibration(
                round_, request.POST.get("codes", "").replace(";", ",").split(","), by=request.user
            )
            messages.success(request, _("%(count)s calibration items.") % {"count": count})
        elif action == "scan":
            named = actions.scan_round(round_, by=request.user)
            messages.success(request, _("%(count)s items name their author in their text.") % {"count": named})
        elif action == "redact":
            item = get_object_or_404(Item, pk=request.POST.get("item"), round=round_)
            actions.redact_item(item, by=request.user)
            messages.success(
                request, _("%(code)s: judges read the text without the author's name.") % {"code": item.code}
            )
        elif action == "open":
            actions.open_round(round_, by=request.user)
            messages.success(request, _("Scoring is open."))
        elif action == "close":
            actions.close_round(round_, by=request.user)
            messages.success(request, _("The round is closed and ranked."))
        elif action == "award":
            item = get_object_or_404(Item, pk=request.POST.get("item"), round=round_)
            prize = request.POST.get("prize", "").strip()
            call = queries.call_of(round_)
            if call is None:
                raise Http404
            if prize:
                call.judging_award(item.subject, prize, int(request.POST.get("position") or 1), by=request.user)
                messages.success(
                    request,
                    _("%(code)s: %(prize)s.")
                    % {"code": getattr(item.subject, "judging_reference", item.code), "prize": prize},
                )
            else:
                call.judging_withdraw(item.subject, by=request.user)
        elif action == "advance":
            next_round = get_object_or_404(Round, pk=request.POST.get("next_round"), previous=round_)
            moved = actions.advance(
                round_, next_round, int(request.POST.get("count") or round_.advance_count or 0), by=request.user
            )
            messages.success(
                request, _("%(count)s items advance to %(round)s.") % {"count": moved, "round": next_round.name}
            )
        elif action == "publish":
            call = queries.call_of(round_)
            if call is None:
                raise Http404
            told = call.judging_publish(by=request.user)
            actions.mark_published(round_, by=request.user)
            messages.success(request, _("Results published; %(count)s authors are being told.") % {"count": told})
    except AssignmentImpossible as error:
        messages.error(
            request,
            _(
                "%(count)s items cannot get enough judges free of conflict: add judges to the "
                "panel or lower the number of judges per item."
            )
            % {"count": len(error.shortfalls)},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("judging_round_detail", round_id=round_.pk)


@hooks.register("register_admin_viewset")
def register_round_viewset():
    return round_viewset


@hooks.register("register_admin_viewset")
def register_assignment_viewset():
    return assignment_viewset


@hooks.register("register_admin_urls")
def register_round_urls():
    return [
        path("judging/<int:round_id>/", round_detail, name="judging_round_detail"),
        path("judging/<int:round_id>/scores.xlsx", round_export, name="judging_round_export"),
        path("judging/<int:round_id>/similar/", round_similar, name="judging_round_similar"),
        path("judging/<int:round_id>/<slug:action>/", round_action, name="judging_round_action"),
    ]


@hooks.register("construct_homepage_panels")
def rounds_scoring(request, panels):
    """The admin home: each round being scored with its progress and the judges behind
    schedule, for those who run rounds (contest and idea rounds alike)."""
    if not permissions.may_run_rounds(request.user):
        return
    lines = []
    for row in queries.scoring_overview():
        detail = _("%(submitted)s/%(assigned)s reviews submitted") % row
        if row["late"]:
            detail += " · " + (
                ngettext("%(count)s judge behind schedule", "%(count)s judges behind schedule", row["late"])
                % {"count": row["late"]}
            )
        lines.append(
            Line(
                str(row["round"]),
                row["assigned"] - row["submitted"],
                reverse("judging_round_detail", args=[row["round"].pk]),
                detail,
            )
        )
    panels.append(
        WaitingWorkPanel(
            "rounds",
            gettext_lazy("Rounds being scored: reviews still to submit"),
            lines,
            order=51,
            empty=gettext_lazy("Nothing waiting: no round is being scored."),
        )
    )
