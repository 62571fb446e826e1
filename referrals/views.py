"""Referrals in the unit officers' workspace (/thi-dua/chuyen-xu-ly/): the list of what
their units must answer, overdue first, and a referral's page to answer, transfer or
note it. Whatever id is typed, a referral the user may not read is a 404. Also the
public pages of residents' reports of passing the buck (/phan-anh/): the form, the
author's private link and its e-mailed confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tayho_site import submissions

from . import actions, permissions, queries
from .forms import AnswerForm, NoteForm, ReferReportForm, ReportForm, ScreenForm, StaffReportForm, TransferForm
from .models import BuckReport, Referral, Verdict


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


REPORT_SCOPE = "reports"


@never_cache
def report_form(request):
    form, fresh = submissions.bound_form(request, ReportForm)
    refusal = None
    if request.method == "POST" and not fresh:
        valid = form.is_valid()
        refusal = submissions.refusal(
            request,
            "referrals-report",
            form.cleaned_data["email"] if valid else None,
            without_picture=form.without_picture,
        )
        if refusal is None and valid:
            _report, token = actions.submit_report(
                **form.report_data(),
                document=form.cleaned_data["document"],
                document_kind=form.document_kind,
                request=request,
            )
            return submissions.remember_sent(redirect("reports:sent"), REPORT_SCOPE, token)
    status = 200 if request.method != "POST" or fresh else (429 if refusal else 400)
    return render(request, "referrals/report_form.html", {"form": form, "refusal": refusal}, status=status)


@never_cache
def report_sent(request):
    token = submissions.sent_token(request, REPORT_SCOPE)
    report = queries.report_for_token(token)
    if report is None:
        return render(request, "referrals/report_sent.html", {})
    return submissions.shown_once(
        render(
            request,
            "referrals/report_sent.html",
            {"report": report, "private_path": actions.report_private_path(token)},
        ),
        REPORT_SCOPE,
    )


def _report_or_404(access_token):
    report = queries.report_for_token(access_token)
    if report is None:
        raise Http404
    return report


@never_cache
def report_private(request, access_token):
    report = _report_or_404(access_token)
    return render(
        request,
        "referrals/report_private.html",
        {"report": report, "access_token": access_token, "referral": queries.referral_of_report(report)},
    )


@never_cache
def report_confirm(request, access_token, signature):
    report = _report_or_404(access_token)
    problem = submissions.link_problem(actions.check_report_confirmation, report, signature)
    if problem is None and request.method == "POST":
        actions.confirm_report(report)
        messages.success(request, _("Thank you: your report is confirmed. The organisers will read it."))
        return redirect("reports:private", access_token=access_token)
    # A button press confirms: mail scanners that open links must not.
    return render(
        request,
        "referrals/report_confirm.html",
        {"report": report, "access_token": access_token, "problem": problem},
        status=400 if problem else 200,
    )


@never_cache
def report_erase(request, access_token):
    report = _report_or_404(access_token)
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Please tick the box to confirm the erasure."))
            return redirect("reports:erase", access_token=access_token)
        outcome = actions.erase_report_data(report)
        return render(
            request,
            "tayho_site/erased.html",
            {
                "message": _("Your report and your personal data have been deleted.")
                if outcome == "deleted"
                else _("Your name, contact details and document have been erased. The report stays, anonymous."),
                "back_url": reverse("reports:board"),
                "back_label": _("Reports of passing the buck"),
            },
        )
    return render(
        request,
        "tayho_site/erase.html",
        {
            "title": report.public_title,
            "context_title": _("Reports of passing the buck"),
            "cancel_url": actions.report_private_path(access_token),
            "explanation": _("Your report and everything about you in it will be deleted.")
            if actions.report_erasure_outcome(report) == "deleted"
            else _(
                "Your report has been referred to a unit: your name, contact details and document will be erased, "
                "and the report will stay, anonymous, with the unit's answer."
            ),
        },
    )


@require_POST
def report_resend(request, access_token):
    report = _report_or_404(access_token)
    if report.status == report.Status.AWAITING_CONFIRMATION and report.email:
        submissions.resend_confirmation(
            request,
            scope="referrals-report-resend",
            access_token=access_token,
            email=report.email,
            send=lambda: actions.send_report_confirmation(report, access_token, request),
        )
    return redirect("reports:private", access_token=access_token)


def report_board(request):
    """The public list of reports published as anonymised summaries, with the unit each
    was referred to and its answer."""
    return render(request, "referrals/report_board.html", {"reports": queries.published_reports()})


# --- The organisers' screening of reports (/thi-dua/chuyen-xu-ly/phan-anh/).


def _screener(request):
    if not permissions.may_screen_reports(request.user):
        raise PermissionDenied


@never_cache
@login_required
def screening_list(request):
    _screener(request)
    reports = BuckReport.objects.exclude(status=BuckReport.Status.AWAITING_CONFIRMATION).select_related(
        "office", "entered_by"
    )
    return render(
        request,
        "referrals/screening_list.html",
        {
            "pending": [r for r in reports if r.status == BuckReport.Status.PENDING],
            "screened": [r for r in reports if r.status != BuckReport.Status.PENDING][:100],
        },
    )


@never_cache
@login_required
def screening_detail(request, pk):
    _screener(request)
    report = get_object_or_404(
        BuckReport.objects.select_related("office", "entered_by").exclude(
            status=BuckReport.Status.AWAITING_CONFIRMATION
        ),
        pk=pk,
    )
    action = request.POST.get("action") if request.method == "POST" else None
    screen_form = ScreenForm(
        request.POST if action == "screen" else None,
        prefix="screen",
        initial={"summary": report.summary, "reason": report.reason},
    )
    refer_form = ReferReportForm(request.POST if action == "refer" else None, prefix="refer", report=report)
    if request.method == "POST":
        form = {"screen": screen_form, "refer": refer_form}.get(action)
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "screen":
                    actions.screen_report(
                        report,
                        decision=data["decision"],
                        summary=data["summary"],
                        reason=data["reason"],
                        by=request.user,
                    )
                    messages.success(request, _("The decision is recorded; the author reads it on their private page."))
                else:
                    actions.refer_report(report, unit=data["unit"], working_days=data["working_days"], by=request.user)
                    messages.success(request, _("Referred to %(unit)s.") % {"unit": data["unit"].name})
                return redirect("referrals:report", report.pk)
            except ValidationError as error:
                form.add_error(None, error)
    return render(
        request,
        "referrals/screening_detail.html",
        {
            "report": report,
            "referral": queries.referral_of_report(report),
            "screen_form": screen_form,
            "refer_form": refer_form,
        },
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
def screening_document(request, pk):
    _screener(request)
    report = get_object_or_404(BuckReport, pk=pk)
    if not report.document:
        raise Http404
    response = FileResponse(
        report.document.open("rb"),
        as_attachment=True,
        filename=f"{report.code}.{report.document.name.rsplit('.', 1)[-1]}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Ward staff enter a report for a resident who has no e-mail (/…/phan-anh/nhap-ho/).
STAFF_SCOPE = "reports-staff"


@never_cache
@login_required
def staff_entry(request):
    if not permissions.may_enter_for_residents(request.user):
        raise PermissionDenied
    form = StaffReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        _report, token = actions.submit_report(
            **form.report_data(),
            document=form.cleaned_data["document"],
            document_kind=form.document_kind,
            entered_by=request.user,
            request=request,
        )
        return submissions.remember_sent(redirect("referrals:report_entered"), STAFF_SCOPE, token)
    return render(
        request, "referrals/staff_entry.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


@never_cache
@login_required
def staff_entered(request):
    """The private link of the report just entered, shown once, to print or copy for the
    resident; then gone from this computer."""
    if not permissions.may_enter_for_residents(request.user):
        raise PermissionDenied
    token = submissions.sent_token(request, STAFF_SCOPE)
    report = queries.report_for_token(token)
    if report is None or report.entered_by_id != request.user.pk:
        return render(request, "referrals/staff_entered.html", {})
    return submissions.shown_once(
        render(
            request,
            "referrals/staff_entered.html",
            {"report": report, "private_path": actions.report_private_path(token)},
        ),
        STAFF_SCOPE,
    )
