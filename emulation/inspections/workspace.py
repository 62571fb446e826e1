"""Inspections in the workspace (/thi-dua/thanh-tra/): the team's inspections and their
findings, conclusions and remedies; the findings against one's own units; the weekly
report (page and XLSX). An inspection the user may not see is a 404, whatever id is typed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import actions, permissions, queries, reports
from .forms import ConclusionForm, FindingForm, InspectionForm


@never_cache
@login_required
def inspection_list(request):
    inspections = permissions.visible_inspections(request.user).prefetch_related("units")
    return render(
        request,
        "emulation/inspections/list.html",
        {
            "inspections": inspections[:300],
            "may_read_report": permissions.may_read_report(request.user),
            "may_create": permissions.may_create(request.user),
        },
    )


@never_cache
@login_required
def inspection_new(request):
    if not permissions.may_create(request.user):
        raise PermissionDenied
    form = InspectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = actions.open_inspection(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The inspection was opened."))
            return redirect("inspections:detail", pk=inspection.pk)
    return render(request, "emulation/inspections/form.html", {"form": form, "heading": _("Open an inspection")})


@never_cache
@login_required
def conclusion_new(request, pk):
    inspection = get_object_or_404(permissions.visible_inspections(request.user), pk=pk)
    if not permissions.may_edit(request.user, inspection):
        raise PermissionDenied
    form = ConclusionForm(request.POST or None, request.FILES or None, inspection=inspection)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.conclude(
                inspection,
                by=request.user,
                number=data["number"],
                signed_on=data["signed_on"],
                signer=data["signer"],
                document=data["document"],
                working_days=data["working_days"],
                remedies=form.remedies(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The conclusion was recorded and its remedies referred to their units."))
            return redirect("inspections:detail", pk=inspection.pk)
    return render(
        request,
        "emulation/inspections/form.html",
        {"form": form, "heading": _("Record a conclusion"), "inspection": inspection, "files": True},
    )


@never_cache
@login_required
def inspection_detail(request, pk):
    inspection = get_object_or_404(permissions.visible_inspections(request.user), pk=pk)
    editable = permissions.may_edit(request.user, inspection)
    form = None
    if editable:
        form = FindingForm(request.POST or None, request.FILES or None, inspection=inspection)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                actions.add_finding(
                    inspection,
                    by=request.user,
                    unit=data["unit"],
                    manifestation=data["manifestation"],
                    people=data["people"],
                    found_on=data["found_on"],
                    text=data["text"],
                    evidence=data["evidence"],
                    exemplary=data["exemplary"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The finding was recorded."))
                return redirect("inspections:detail", pk=inspection.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "emulation/inspections/detail.html",
        {
            "inspection": inspection,
            "findings": inspection.findings.select_related("unit", "manifestation").prefetch_related("people"),
            "conclusions": inspection.conclusions.prefetch_related("remedies__unit", "remedies__referral"),
            "form": form,
            "editable": editable,
            "today": timezone.localdate(),
        },
    )


@never_cache
@login_required
def my_findings(request):
    findings = (
        permissions.unit_findings(request.user)
        .select_related("unit", "manifestation", "inspection")
        .order_by("-found_on", "-pk")
    )
    return render(request, "emulation/inspections/my_findings.html", {"findings": findings[:300]})


@never_cache
@login_required
def weekly_report(request):
    if not permissions.may_read_report(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    lines, overdue, totals = queries.weekly_report(today)
    if request.GET.get("format") == "xlsx":
        return reports.xlsx_response(lines, today)
    past = list(queries.past_reports()[:12])
    previous = next((report for report in past if report.week_of < queries.week_of(today)), None)
    unit_changes, total_changes = reports.changes(lines, totals, previous.figures if previous else None)
    for line in lines:
        line.change = unit_changes.get(line.unit.pk, {})
    context = {
        "lines": lines,
        "overdue": overdue[:100],
        "totals": totals,
        "today": today,
        "previous": previous,
        "total_changes": total_changes,
        "past": past,
        "review": queries.people_for_review()[:50],
    }
    if request.GET.get("format") == "pdf":
        response = HttpResponse(reports.pdf_bytes(context), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="bao-cao-thanh-tra-{today:%Y-%m-%d}.pdf"'
        return response
    return render(request, "emulation/inspections/weekly.html", context)
