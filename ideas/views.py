"""Public idea pages and the author's private link: parse the request, call an action
(actions/) or a query (queries.py), render. Hidden, unconfirmed and spam ideas are a 404 to everyone but their
author (through the private link)."""

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from referrals import actions as referral_actions
from referrals import queries as referral_queries
from referrals.forms import VerdictForm
from referrals.models import BuckReport, Referral, ReferralStep
from referrals.queries import accountability_summary
from tayho_site import pagetree, submissions
from tayho_site.charts import bars, legend
from tayho_site.exports import spreadsheet_response

from . import queries
from .actions import authors, supports
from .forms import FilterForm, IdeaForm, SupportForm
from .models import Idea, Support

SENT_SCOPE = "ideas"
ACCOUNTABILITY_KEYS = ["answered_on_time", "answered_late", "waiting", "overdue"]


def _gallery_context(request, index, call=None):
    filters = FilterForm(request.GET or None)
    values = filters.values() if request.GET else {}
    ideas = queries.gallery(
        index=index,
        call=call,
        sector=values.get("linh_vuc"),
        ward=values.get("phuong"),
        stage=values.get("tinh_trang"),
        query=values.get("q") or "",
        sort=values.get("sap_xep") or "moi-nhat",
    )
    page_obj = Paginator(ideas, queries.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page_obj": page_obj,
        "ideas": page_obj.object_list,
        "idea_base": index.url,
        "query": values.get("q") or "",
        "filtered": any(values.get(name) for name in ("q", "linh_vuc", "phuong", "tinh_trang")),
    }
    if not any(name in request.GET for name in filters.fields):
        # No filter chosen: the form is the same for every visitor, drawn once per process
        # while the sectors and wards are unchanged.
        context["filters_html"] = pagetree.keep(
            ("idea-filters", get_language()),
            lambda: render_to_string("ideas/includes/filter_fields.html", {"filters": FilterForm()}),
        )
    return context


def gallery(request, index):
    calls = queries.calls_of(index)
    return index.render(request, context_overrides={"calls": calls, **_gallery_context(request, index)})


def call_page(request, call):
    index = call.get_parent().specific
    context = _gallery_context(request, index, call=call)
    if call.results_are_public():
        context["selected"] = queries.selected_ideas(call)
    return call.render(request, context_overrides=context)


def idea_detail(request, index, pk):
    idea = get_object_or_404(
        Idea.objects.select_related("call", "sector", "ward", "author"),
        pk=pk,
        status=Idea.Status.PUBLISHED,
        call__path__startswith=index.path,
    )
    referral = queries.referral_of(idea)
    tracking = referral_queries.tracking(referral)
    form, fresh = submissions.bound_form(request, SupportForm)
    status = 200
    if request.method == "POST" and not fresh:
        problem, status = None, 400
        valid = form.is_valid()
        refusal = submissions.refusal(
            request,
            "ideas-support",
            form.cleaned_data["email"] if valid else None,
            without_picture=form.without_picture,
        )
        if refusal:
            problem, status = refusal, 429
        elif valid:
            try:
                supports.request_support(
                    idea, form.cleaned_data["email"], request=request, follow=form.cleaned_data["follow"]
                )
            except ValidationError as error:
                problem = " ".join(error.messages)
            else:
                # The same answer whether or not the address supports the idea already: the
                # e-mail tells its owner which.
                messages.success(
                    request,
                    _("Almost done: open the link we sent to %(email)s to confirm your support.")
                    % {"email": form.cleaned_data["email"]},
                )
                return redirect(request.path)
        if problem:
            form.add_error(None, problem)
    return render(
        request,
        "ideas/idea_detail.html",
        {
            "page": index,
            "idea": idea,
            "referral": referral,
            "tracking": tracking,
            "timeline": queries.timeline(idea, tracking=tracking),
            "author_name": queries.public_author_name(idea),
            "support_form": form,
            "overdue": bool(referral and referral.is_overdue()),
        },
        status=status,
    )


def accountability(request, index):
    """The units' accountability, for all time or a period (?ky=2026, 2026-q4, 2026-11),
    for the units of one level of the tree (?cap=2), on the page or as a spreadsheet
    (?tai=csv or xlsx)."""
    period = referral_queries.parse_period(request.GET.get("ky"))
    levels = referral_queries.unit_levels()
    level = request.GET.get("cap", "")
    level = int(level) if level.isdigit() and int(level) in levels else None
    summary = accountability_summary(period=period, level=level)
    download = request.GET.get("tai")
    if download in ("csv", "xlsx"):
        header, rows = referral_queries.accountability_table(summary["rows"], summary["totals"])
        name = "trach-nhiem-" + (period.key if period else "tat-ca") + (f"-cap-{level}" if level else "")
        return spreadsheet_response(download, name, _("Accountability"), header, rows)
    labels = {
        "answered_on_time": _("Answered on time"),
        "answered_late": _("Answered late"),
        "waiting": _("Waiting, not yet due"),
        "overdue": _("Overdue"),
    }
    query = request.GET.copy()
    query.pop("tai", None)
    return render(
        request,
        "ideas/accountability.html",
        {
            "page": index,
            "rows": summary["rows"],
            "totals": summary["totals"],
            "bars": bars(summary["rows"], ACCOUNTABILITY_KEYS, labels, name="unit"),
            "legend": legend(ACCOUNTABILITY_KEYS, labels),
            "period": period,
            "periods": referral_queries.recent_periods(),
            "level": level,
            "levels": levels,
            "query": query.urlencode(),
            "max_transfers": settings.REFERRAL_MAX_TRANSFERS,
        },
    )


@never_cache
def idea_form(request, call):
    if not call.is_open():
        return render(request, "ideas/idea_closed.html", {"page": call})
    form, fresh = submissions.bound_form(request, IdeaForm)
    refusal = None
    if request.method == "POST" and not fresh:
        refusal = submissions.refusal(
            request,
            "ideas-submit",
            form.cleaned_data["email"] if form.is_valid() else None,
            without_picture=form.without_picture,
        )
        if refusal is None and form.is_valid():
            try:
                submission = authors.submit_idea(
                    call,
                    **form.idea_data(),
                    author=form.author_data(),
                    consents=form.consents(),
                    attachment=form.cleaned_data["attachment"],
                    attachment_kind=form.attachment_kind,
                    request=request,
                )
            except authors.IdeaClosed as closed:
                refusal = str(closed)
            else:
                return submissions.remember_sent(
                    redirect(call.url + call.reverse_subpage("idea_sent")), SENT_SCOPE, submission.access_token
                )
    status = 200 if request.method != "POST" or fresh else (429 if refusal else 400)
    return render(request, "ideas/idea_form.html", {"page": call, "form": form, "refusal": refusal}, status=status)


@never_cache
def idea_sent(request, call):
    token = submissions.sent_token(request, SENT_SCOPE)
    idea = queries.idea_for_token(token) if token else None
    if idea is None or idea.call_id != call.pk:
        # Shown already (or never sent from here): the page, without anyone's link.
        return render(request, "ideas/idea_sent.html", {"page": call})
    return submissions.shown_once(
        render(
            request, "ideas/idea_sent.html", {"page": call, "idea": idea, "private_path": authors.private_path(token)}
        ),
        SENT_SCOPE,
    )


def progress_photo(request, pk, report_id):
    """The photo sent with a progress report of a public commitment, for everyone: only a
    .jpg or .png (cleaned of EXIF and GPS when it was uploaded) of one of this
    commitment's reports; anything else is not found."""
    from tayho_site.validators import CONTENT_TYPES, file_kind

    report = referral_queries.public_progress_photo(pk, report_id)
    if report is None:
        raise Http404
    file = report.evidence.open("rb")
    kind = file_kind(file)
    if kind not in ("jpeg", "png"):
        file.close()
        raise Http404
    response = FileResponse(
        file, filename=f"tien-do-{report.pk}.{'jpg' if kind == 'jpeg' else 'png'}", content_type=CONTENT_TYPES[kind]
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _idea_or_404(access_token):
    idea = queries.idea_for_token(access_token)
    if idea is None:
        raise Http404
    return idea


@never_cache
def private(request, access_token):
    idea = _idea_or_404(access_token)
    tracking = referral_queries.tracking(queries.referral_of(idea))
    return render(
        request,
        "ideas/private.html",
        {
            "idea": idea,
            "access_token": access_token,
            "timeline": queries.timeline(idea, tracking=tracking),
            "public_path": authors.public_path(idea) if idea.is_public else "",
        },
    )


@never_cache
def confirm(request, access_token, signature):
    idea = _idea_or_404(access_token)
    problem = submissions.link_problem(authors.check_confirmation, idea, signature)
    if problem is None and request.method == "POST":
        authors.confirm_idea(idea)
        messages.success(
            request, _("Thank you: your idea is confirmed. The organisers will read it before it is published.")
        )
        return redirect("ideas:private", access_token=access_token)
    # A button press confirms: mail scanners that open links must not.
    return render(
        request,
        "ideas/confirm.html",
        {"idea": idea, "access_token": access_token, "problem": problem},
        status=400 if problem else 200,
    )


@require_POST
def resend(request, access_token):
    idea = _idea_or_404(access_token)
    if idea.status == Idea.Status.AWAITING_CONFIRMATION:
        submissions.resend_confirmation(
            request,
            scope="ideas-resend",
            access_token=access_token,
            email=idea.author.email,
            send=lambda: authors.send_confirmation(idea, access_token, request),
        )
    return redirect("ideas:private", access_token=access_token)


@never_cache
def personal_data(request, access_token):
    idea = _idea_or_404(access_token)
    response = JsonResponse(authors.export_personal_data(idea), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="du-lieu-ca-nhan.json"'
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def erase(request, access_token):
    idea = _idea_or_404(access_token)
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Please tick the box to confirm the erasure."))
            return redirect("ideas:erase", access_token=access_token)
        index = idea.call.get_parent()
        outcome = authors.erase_personal_data(idea)
        return render(
            request,
            "tayho_site/erased.html",
            {
                "message": _("Your idea and your personal data have been deleted.")
                if outcome == "deleted"
                else _(
                    "Your name, contact details and file have been erased. The idea stays public, anonymous, with its "
                    "answer."
                ),
                "back_url": index.url,
                "back_label": _("Back to the ideas"),
            },
        )
    return render(
        request,
        "tayho_site/erase.html",
        {
            "title": idea.title,
            "context_title": idea.call.title,
            "cancel_url": authors.private_path(access_token),
            "explanation": _("Your idea and everything about you in it will be deleted.")
            if authors.erasure_outcome(idea) == "deleted"
            else _(
                "Your idea has been public: your name, contact details and file will be erased, and the idea "
                "will stay, anonymous, with the answer of the unit it was referred to."
            ),
        },
    )


@csrf_exempt  # the signed link is the proof; mail clients post here without a form (RFC 8058)
@never_cache
def unsubscribe(request, pk, signature):
    """The link in every status e-mail: a button to stop the messages (a mail scanner
    that opens the link changes nothing); the mail client's one-click POST stops them
    directly. Afterwards the page offers to resume them."""
    idea = get_object_or_404(Idea, pk=pk)
    try:
        authors.check_unsubscribe(idea, signature)
    except signing.BadSignature:
        raise Http404 from None
    done = None
    if request.method == "POST":
        done = "resumed" if request.POST.get("resume") == "yes" else "stopped"
        authors.unsubscribe(idea, subscribed=done == "resumed")
    return render(request, "ideas/unsubscribed.html", {"idea": idea, "done": done})


@never_cache
def support_confirm(request, pk, signature):
    support = get_object_or_404(Support.objects.select_related("idea"), pk=pk, idea__status=Idea.Status.PUBLISHED)
    problem = submissions.link_problem(supports.check_support_link, support, signature)
    counted = None
    if problem is None and request.method == "POST":
        try:
            counted = supports.confirm_support(support, signature)
        except ValidationError as error:
            problem = " ".join(error.messages)
    return render(
        request,
        "ideas/support_confirm.html",
        {
            "support": support,
            "idea": support.idea,
            "problem": problem,
            "counted": counted,
            "idea_path": authors.public_path(support.idea),
        },
        status=400 if problem else 200,
    )


def attachment(request, pk):
    """The picture or document of a published idea. Pictures open in the page, documents
    download; the name is the server's, never the uploader's."""
    idea = get_object_or_404(Idea, pk=pk, status=Idea.Status.PUBLISHED)
    if not idea.attachment:
        raise Http404
    content_types = {
        "jpeg": "image/jpeg",
        "png": "image/png",
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    response = FileResponse(
        idea.attachment.open("rb"),
        as_attachment=not idea.is_image,
        filename=f"{idea.code}.{idea.attachment.name.rsplit('.', 1)[-1]}",
        content_type=content_types.get(idea.attachment_kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def private_attachment(request, access_token):
    idea = _idea_or_404(access_token)
    if not idea.attachment:
        raise Http404
    return FileResponse(
        idea.attachment.open("rb"),
        as_attachment=True,
        filename=f"{idea.code}.{idea.attachment.name.rsplit('.', 1)[-1]}",
    )


@never_cache
def verdict(request, pk, answer, signature):
    """The resident's word on a unit's answer to an idea or to a report of passing the
    buck, from the signed link of the e-mail: resolved, or not (the referral goes back to
    the unit). A link opens the page of its own answer only; an expired or forged one,
    nothing."""
    referral = get_object_or_404(
        Referral.objects.select_related("unit", "subject_type"),
        Q(subject_type__app_label="ideas", subject_type__model="idea")
        | Q(subject_type__app_label="referrals", subject_type__model="buckreport"),
        pk=pk,
    )
    if referral.subject_type.model == "idea":
        idea = get_object_or_404(Idea.objects.select_related("call"), pk=int(referral.subject_id))
        subject = {"title": idea.title, "code": idea.code, "is_report": False}
        back = authors.public_path(idea) if idea.is_public else ""
    else:
        report = get_object_or_404(BuckReport, pk=int(referral.subject_id))
        subject = {"title": report.office_text, "code": report.code, "is_report": True}
        back = ""
    step = get_object_or_404(
        ReferralStep.objects.select_related("referral", "from_unit"),
        pk=answer,
        referral=referral,
        kind=ReferralStep.Kind.ANSWERED,
    )
    problem = referral_actions.verdict_link_problem(referral.pk, step.pk, signature)
    if problem:
        return render(request, "ideas/verdict.html", {"subject": subject, "problem": problem}, status=400)
    closed = referral_actions.verdict_refusal(step)
    form, fresh = submissions.bound_form(request, VerdictForm)
    given, refusal, status = None, None, 200
    if closed is None and request.method == "POST" and not fresh:
        status = 400
        refusal = submissions.refusal(request, "referrals-verdict", without_picture=form.without_picture)
        if refusal:
            status = 429
        elif form.is_valid():
            try:
                given = referral_actions.give_verdict(
                    step,
                    resolved=form.cleaned_data["resolved"],
                    comment=form.cleaned_data["comment"],
                    photo=form.cleaned_data["photo"],
                    photo_kind=form.photo_kind,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                status = 200
    return render(
        request,
        "ideas/verdict.html",
        {
            "subject": subject,
            "step": step,
            "form": form,
            "closed": closed,
            "given": given,
            "refusal": refusal,
            "idea_path": back,
        },
        status=status,
    )


@never_cache
def follow(request, pk, signature):
    """The link mailed to a supporter who asked to follow an idea they already support:
    a button starts the idea's news (a mail scanner that opens the link changes nothing)."""
    support = get_object_or_404(Support.objects.select_related("idea"), pk=pk, idea__status=Idea.Status.PUBLISHED)
    problem = submissions.link_problem(supports.check_follow_link, support, signature)
    started = None
    if problem is None and request.method == "POST":
        started = supports.start_following(support, signature)
    return render(
        request,
        "ideas/follow.html",
        {"support": support, "idea": support.idea, "problem": problem, "started": started},
        status=400 if problem else 200,
    )


@csrf_exempt  # the signed link is the proof; mail clients post here without a form (RFC 8058)
@never_cache
def unfollow(request, pk, signature):
    """The link in every e-mail to a follower: a button (or the mail client's one-click
    POST) stops the idea's news and erases the address; the support stays counted."""
    support = get_object_or_404(Support.objects.select_related("idea"), pk=pk)
    try:
        authors.check_unfollow(support, signature)
    except signing.BadSignature:
        raise Http404 from None
    done = False
    if request.method == "POST":
        authors.stop_following(support)
        done = True
    return render(request, "ideas/unfollowed.html", {"idea": support.idea, "done": done})
