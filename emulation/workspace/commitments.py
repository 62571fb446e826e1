"""The front-end workspace of unit officers and supervisors. Everything is looked up
through what the signed-in user may see; another unit's commitment is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tayho_site.charts import legend, stacked

from .. import boards, permissions, queries
from ..actions import commitments
from ..forms import CommitmentForm, RemarkForm, ReportForm


@never_cache
@login_required
def workspace(request):
    items = (
        permissions.visible_commitments(request.user)
        .select_related("unit", "supervisor")
        .distinct()
        .order_by("deadline")
    )
    return render(
        request,
        "emulation/workspace.html",
        {
            "commitments": items,
            "can_register": permissions.managed_units(request.user).exists(),
            "can_see_board": permissions.overseen_units(request.user).exists(),
            "my_work": queries.to_do(request.user),
        },
    )


@never_cache
@login_required
def unit_board(request):
    """The board of the officer's unit (and the units below): on track, late, overdue,
    awaiting verification, closed."""
    units = permissions.overseen_units(request.user)
    top = units.order_by("depth", "path").first()
    if top is None:
        raise PermissionDenied
    if request.GET.get("don-vi"):
        top = units.filter(pk=request.GET["don-vi"] if request.GET["don-vi"].isdigit() else 0).first()
        if top is None:
            raise Http404
    columns = queries.board(top)
    labels = {
        "overdue": _("Overdue"),
        "late": _("Behind schedule"),
        "unverified": _("Awaiting verification"),
        "on_track": _("On track"),
        "closed": _("Closed"),
    }
    history = queries.board_history(top)
    return render(
        request,
        "emulation/board.html",
        {
            "unit": top,
            "units": [(u.pk, "– " * (u.depth - 1) + u.name) for u in units.order_by("path")],
            "columns": [(key, labels[key], columns[key]) for key in queries.BOARD_COLUMNS],
            "history": history,
            "chart": stacked(history, list(reversed(queries.BOARD_COLUMNS))),
            "legend": legend(queries.BOARD_COLUMNS, labels),
            "sections": boards.sections(top, request.user),
        },
    )


@never_cache
@login_required
def register(request):
    units = permissions.managed_units(request.user)
    if not units.exists():
        raise PermissionDenied
    form = CommitmentForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            commitment = commitments.register(by=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The commitment is registered."))
            return redirect("emulation:commitment", commitment.pk)
    return render(request, "emulation/register.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
@login_required
def commitment_detail(request, pk):
    commitment = permissions.visible_commitments(request.user).filter(pk=pk).distinct().first()
    if commitment is None:
        raise Http404
    is_officer = permissions.managed_units(request.user).filter(pk=commitment.unit_id).exists()
    is_supervisor = permissions.supervised_units(request.user).filter(pk=commitment.supervisor_id).exists()
    report_form = ReportForm(request.POST or None, request.FILES or None, prefix="report") if is_officer else None
    remark_form = RemarkForm(request.POST or None, prefix="remark") if is_supervisor else None
    if request.method == "POST":
        try:
            if "milestone-done" in request.POST:
                done = str(request.POST["milestone-done"])
                milestone = commitment.milestones.filter(pk=int(done) if done.isdigit() else 0).first()
                if milestone is None:
                    raise Http404
                commitments.complete_milestone(milestone, by=request.user)
                messages.success(request, _("Milestone marked as done."))
                return redirect("emulation:commitment", commitment.pk)
            if "report-percent" in request.POST and report_form is not None and report_form.is_valid():
                data = report_form.cleaned_data
                commitments.report_progress(
                    commitment,
                    by=request.user,
                    percent=data["percent"],
                    narrative=data["narrative"],
                    evidence=data.get("evidence"),
                    ready_for_verification=data["ready"],
                )
                messages.success(request, _("Progress reported."))
                return redirect("emulation:commitment", commitment.pk)
            if "remark-text" in request.POST and remark_form is not None and remark_form.is_valid():
                commitments.remark(
                    commitment,
                    by=request.user,
                    text=remark_form.cleaned_data["text"],
                    verdict=remark_form.cleaned_data["verdict"],
                )
                messages.success(request, _("Remark recorded."))
                return redirect("emulation:commitment", commitment.pk)
            if "report-percent" not in request.POST and "remark-text" not in request.POST:
                raise PermissionDenied
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return render(
        request,
        "emulation/commitment.html",
        {
            "commitment": commitment,
            "report_form": report_form,
            "remark_form": remark_form,
            "reports": commitment.reports.select_related("author"),
            "milestones": commitment.milestones.all(),
            "is_officer": is_officer,
            "remarks": commitment.remarks.select_related("author"),
        },
    )


@login_required
def evidence(request, pk, report_id):
    """A report's evidence file, for those who may see the commitment only."""
    from django.http import FileResponse

    commitment = permissions.visible_commitments(request.user).filter(pk=pk).distinct().first()
    report = commitment.reports.filter(pk=report_id).first() if commitment else None
    if report is None or not report.evidence:
        raise Http404
    return FileResponse(
        report.evidence.open("rb"), as_attachment=True, filename=report.evidence.name.rsplit("/", 1)[-1]
    )
