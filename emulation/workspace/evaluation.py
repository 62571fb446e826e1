"""The monthly evaluation in the workspace: officers open their units' months, assess
each cadre against the rubric, set the unit's result and finalise; each cadre assesses
themself; history and distribution charts; a spreadsheet for the records. Objects are
looked up through what the user may see, so another unit's month is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache

from tayho_site.charts import columns, legend, stacked
from tayho_site.exports import add_sheet, new_workbook, workbook_bytes

from .. import evaluation as rules
from .. import permissions, queries
from .. import proposals as registry
from ..actions import monthly, proposals
from ..forms import AssessmentForm, OpenMonthForm, ProposalDecisionForm, UnitResultForm, points_label
from ..models import BAND_CHOICES, CadreRating, MonthProposal, Person

BAND_LABELS = dict(BAND_CHOICES)


@never_cache
@login_required
def evaluation_index(request):
    units = permissions.month_opening_units(request.user)
    form = OpenMonthForm(request.POST or None, units=units) if units.exists() else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                unit_month = monthly.open_month(form.cleaned_data["unit"], form.cleaned_data["month"], by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The month is open for evaluation."))
                return redirect("emulation:month", unit_month.pk)
    months = (
        permissions.evaluation_months(request.user)
        .select_related("unit")
        .annotate(cadres=Count("ratings"), assessed=Count("ratings", filter=~Q(ratings__head_rating="")))
        .order_by("-month", "unit__path")
    )
    own = permissions.own_ratings(request.user).select_related("unit_month__unit").order_by("-unit_month__month")
    return render(
        request,
        "emulation/evaluation_index.html",
        {
            "form": form,
            "months": months,
            "own": own,
            "person": getattr(request.user, "person", None),
        },
        status=400 if form is not None and form.errors else 200,
    )


def _month_or_404(user, pk):
    unit_month = permissions.evaluation_months(user).select_related("unit", "unit__kind").filter(pk=pk).first()
    if unit_month is None:
        raise Http404
    return unit_month


@never_cache
@login_required
def month_detail(request, pk):
    unit_month = _month_or_404(request.user, pk)
    result_form = UnitResultForm(
        request.POST if request.POST.get("action") == "result" else None,
        initial={"unit_result": unit_month.unit_result},
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "result" and result_form.is_valid():
                monthly.set_unit_result(unit_month, result_form.cleaned_data["unit_result"], by=request.user)
                messages.success(request, _("The unit's result is saved."))
                return redirect("emulation:month", unit_month.pk)
            if action == "finalise":
                if request.POST.get("confirm") != "on":
                    raise ValidationError(_("Tick the box to confirm: a finalised month cannot be changed."))
                monthly.finalise(unit_month, by=request.user)
                messages.success(request, _("The month is finalised."))
                return redirect("emulation:month", unit_month.pk)
            if action == "sync":
                changes = monthly.sync_cadres(unit_month, by=request.user)
                messages.success(request, _("Cadres updated: %(added)s added, %(removed)s removed.") % changes)
                return redirect("emulation:month", unit_month.pk)
            if action == "gather":
                found = monthly.gather_proposals(unit_month, by=request.user)
                messages.success(request, _("New proposals found: %(added)s.") % found)
                return redirect("emulation:month", unit_month.pk)
            if action == "decide":
                decided = _decide(request, unit_month)
                if decided is not None:
                    return decided
            elif action not in ("result", "finalise", "sync", "gather"):
                raise PermissionDenied
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("emulation:month", unit_month.pk)
    ratings = list(unit_month.ratings.select_related("person", "person__user").order_by("person__full_name"))
    rubric = queries.rubric_for(unit_month.unit)
    proposed = month_proposals(unit_month, rubric)
    counts = rules.distribution([r.head_rating for r in ratings if r.head_rating])
    history = queries.unit_distribution(unit_month.unit, unit_month.month)
    return render(
        request,
        "emulation/month.html",
        {
            "unit_month": unit_month,
            "can_head": permissions.may_head(request.user, unit_month),
            "ratings": ratings,
            "result_form": result_form,
            "rubric": rubric,
            "proposals": proposed,
            "undecided": sum(1 for p in proposed if p.state == MonthProposal.State.PROPOSED),
            "cadres": [r.person for r in ratings],
            "counts": [{"key": band, "label": BAND_LABELS[band], "count": counts[band]} for band in rules.BANDS],
            "history": history,
            "history_chart": stacked(history, list(reversed(rules.BANDS))),
            "legend": legend(rules.BANDS, BAND_LABELS),
        },
        status=400 if result_form.errors or request.method == "POST" else 200,
    )


def _decide(request, unit_month):
    """The head's decision on one proposal, from the form beside it. A redirect when it
    is recorded; None (the page shown again, with the error) when the input is wrong."""
    form = ProposalDecisionForm(request.POST, people=Person.objects.filter(ratings__unit_month=unit_month))
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return None
    # Only this month's proposals: another month's id is not found.
    proposal = unit_month.proposals.filter(pk=form.cleaned_data["proposal"]).first()
    if proposal is None:
        raise Http404
    proposals.decide(
        proposal,
        form.cleaned_data["decision"],
        by=request.user,
        reason=form.cleaned_data["reason"],
        person=form.cleaned_data["person"],
    )
    if form.cleaned_data["decision"] == proposals.CONFIRM:
        messages.success(request, _("The proposal is confirmed."))
    else:
        messages.success(request, _("The proposal is rejected."))
    return redirect("emulation:month", unit_month.pk)


def month_proposals(unit_month, rubric):
    """The month's proposals, each with its source's label and the rubric's points for
    its manifestation (None when the rubric has no deduction for it)."""
    points = {}
    for deduction in rubric.deductions.all() if rubric else ():
        points.setdefault(deduction.manifestation_id, deduction.points)
    out = sorted(
        unit_month.proposals.select_related("manifestation", "person", "decided_by__person"),
        key=lambda p: (p.state != MonthProposal.State.PROPOSED, p.kind, p.pk),
    )
    for proposal in out:
        proposal.source_label = registry.source_label(proposal.source)
        deduction = proposal.kind == MonthProposal.Kind.DEDUCTION
        proposal.points = points.get(proposal.manifestation_id) if deduction else None
        user = proposal.decided_by
        person = getattr(user, "person", None) if user else None
        proposal.decider = (person.full_name if person else user.get_username()) if user else ""
    return out


@never_cache
@login_required
def assess(request, pk):
    """One cadre's sheet: the cadre's own assessment, or the head's."""
    rating = get_object_or_404(CadreRating.objects.select_related("person", "unit_month__unit__kind"), pk=pk)
    role = permissions.sheet_role(request.user, rating)
    if role is None:
        raise Http404
    rubric = queries.rubric_for(rating.unit_month.unit)
    finalised = rating.unit_month.finalised_at is not None
    detail = getattr(rating, f"{role}_detail")
    if role == permissions.HEAD:  # deductions confirmed from proposals show ticked (and stay)
        enforced = monthly.enforced_deductions(rating.unit_month, rating.person, rubric)
        detail = {**detail, "deductions": sorted({*detail.get("deductions", []), *enforced})}
    form = AssessmentForm(
        None if finalised else (request.POST or None),
        rubric=rubric,
        detail=detail,
        band=getattr(rating, f"{role}_rating"),
    )
    if finalised:  # shown, not changed
        for field in form.fields.values():
            field.disabled = True
        if request.method == "POST":
            messages.error(request, _("This month is finalised; its ratings can no longer change."))
    if request.method == "POST" and not finalised and form.is_valid():
        try:
            rating = monthly.assess(rating, by=request.user, role=role, **form.assessment())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            band = BAND_LABELS[getattr(rating, f"{role}_rating")]
            points = getattr(rating, f"{role}_points")
            messages.success(
                request,
                _("Saved: %(points)s points, “%(band)s”.") % {"points": points_label(points), "band": band}
                if points is not None
                else _("Saved: “%(band)s”.") % {"band": band},
            )
            if role == permissions.HEAD:
                return redirect("emulation:month", rating.unit_month_id)
            return redirect("emulation:evaluation")
    return render(
        request,
        "emulation/assess.html",
        {
            "rating": rating,
            "form": form,
            "role": role,
            "rubric": rubric,
            "finalised": finalised,
            "maximum": rubric.maximum() if rubric else None,
        },
        status=400 if form.errors or (finalised and request.method == "POST") else 200,
    )


@never_cache
@login_required
def person_history(request, pk):
    person = Person.objects.select_related("unit").filter(pk=pk).first()
    if person is None:
        raise Http404
    allowed, within = permissions.history_scope(request.user, person)
    if not allowed:
        raise Http404
    history = queries.person_history(person, timezone.localdate(), within=within)
    # Bar height shows the band (best = tallest); the table beside the chart gives the points.
    height = {band: len(rules.BANDS) - index for index, band in enumerate(rules.BANDS)}
    chart = columns([height.get(h["band"], 0) for h in history], peak=len(rules.BANDS))
    bars = [
        {**bar, **h, "label": BAND_LABELS.get(h["band"], "")} for bar, h in zip(chart["bars"], history, strict=True)
    ]
    return render(
        request,
        "emulation/person_history.html",
        {
            "person": person,
            "history": history,
            "bars": bars,
            "chart_width": chart["width"],
            "legend": legend(rules.BANDS, BAND_LABELS),
        },
    )


@never_cache
@login_required
def month_export(request, pk):
    unit_month = _month_or_404(request.user, pk)
    ratings = unit_month.ratings.select_related("person").order_by("person__full_name")
    workbook = new_workbook()
    add_sheet(
        workbook,
        _("Ratings"),
        [
            _("Full name"),
            _("Position"),
            _("Self-assessment"),
            _("Self-assessed points"),
            _("Head's assessment"),
            _("Head's points"),
            pgettext("assessment", "Comment"),
        ],
        [
            (
                r.person.full_name,
                r.person.position,
                BAND_LABELS.get(r.self_rating, ""),
                float(r.self_points) if r.self_points is not None else None,
                BAND_LABELS.get(r.head_rating, ""),
                float(r.head_points) if r.head_points is not None else None,
                r.head_detail.get("comment", ""),
            )
            for r in ratings
        ],
    )
    add_sheet(
        workbook,
        _("Month"),
        [_("Unit"), _("Month"), _("The unit's own result"), _("Finalised at")],
        [
            (
                unit_month.unit.name,
                f"{unit_month.month:%m/%Y}",
                unit_month.get_unit_result_display(),
                timezone.localtime(unit_month.finalised_at).strftime("%d/%m/%Y %H:%M")
                if unit_month.finalised_at
                else _("Not finalised"),
            )
        ],
    )
    add_sheet(
        workbook,
        _("Proposals"),
        [
            _("Kind"),
            _("Source"),
            _("Title"),
            _("Link to the record"),
            _("Manifestation"),
            _("Cadre concerned"),
            _("Points"),
            _("Decision"),
            _("Reason"),
            _("Decided by"),
            _("Decided at"),
        ],
        [
            (
                p.get_kind_display(),
                p.source_label,
                p.title,
                request.build_absolute_uri(p.url) if p.url else "",
                p.manifestation.text if p.manifestation else "",
                p.person.full_name if p.person else "",
                -float(p.points) if p.points is not None else None,
                p.get_state_display(),
                p.reason,
                p.decider,
                timezone.localtime(p.decided_at).strftime("%d/%m/%Y %H:%M") if p.decided_at else "",
            )
            for p in month_proposals(unit_month, queries.rubric_for(unit_month.unit))
        ],
    )
    response = HttpResponse(
        workbook_bytes(workbook), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="danh-gia-{unit_month.month:%Y-%m}-{unit_month.pk}.xlsx"'
    return response
