"""Entrant-facing views: parse the request, call a rule in entries.py, render."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tayho_site import pagetree, submissions

from . import queries
from .actions import entries
from .forms import EntryContentForm, EntryForm
from .models import Entry

SENT_SCOPE = "contest"


@never_cache
def entry_form(request, contest):
    if not contest.is_open():
        return render(request, "contest/entry_closed.html", {"page": contest}, status=200)
    form, fresh = submissions.bound_form(request, EntryForm, contest=contest)
    refusal = None
    if request.method == "POST" and not fresh:
        # Per visitor address and per e-mail address (settings.RATE_LIMITS), shared by all
        # processes through the cache.
        refusal = submissions.refusal(
            request,
            "contest-submit",
            form.cleaned_data["email"] if form.is_valid() else None,
            without_picture=form.without_picture,
        )
        if refusal is None and form.is_valid():
            data = form.cleaned_data
            upload = data.get("attachment")
            try:
                submission = entries.submit_entry(
                    contest,
                    category=data["category"],
                    title=data["title"],
                    body_html=data["body"],
                    entrant=form.entrant_data(),
                    consents=form.consents(),
                    attachment=upload,
                    attachment_name=getattr(form, "attachment_name", ""),
                    request=request,
                )
            except entries.EntryClosed as closed:
                refusal = str(closed)
            else:
                return submissions.remember_sent(
                    redirect(contest.url + contest.reverse_subpage("entry_sent")), SENT_SCOPE, submission.access_token
                )
    status = 200 if request.method != "POST" or fresh else (429 if refusal else 400)
    context = {"page": contest, "form": form, "refusal": refusal}
    if not form.is_bound and not form.initial:
        # The empty form is the same for every visitor of a contest: its fields are drawn
        # once per process while the pages, categories and wards are unchanged.
        context["fields_html"] = pagetree.keep(
            ("contest-entry-fields", contest.pk, get_language(), form.without_picture),
            lambda: render_to_string("contest/includes/entry_fields.html", {"page": contest, "form": form}),
        )
    return render(request, "contest/entry_form.html", context, status=status)


@never_cache
def entry_sent(request, contest):
    token = submissions.sent_token(request, SENT_SCOPE)
    entry = queries.entry_for_token(token) if token else None
    if entry is None or entry.contest_id != contest.pk:
        # Shown already (or never sent from here): the page, without anyone's link.
        return render(request, "contest/entry_sent.html", {"page": contest})
    return submissions.shown_once(
        render(
            request,
            "contest/entry_sent.html",
            {"page": contest, "entry": entry, "private_path": entries.private_path(token)},
        ),
        SENT_SCOPE,
    )


def _entry_or_404(access_token):
    entry = queries.entry_for_token(access_token)
    if entry is None:
        raise Http404
    return entry


@never_cache
def entry_private(request, access_token):
    entry = _entry_or_404(access_token)
    return render(
        request,
        "contest/entry_private.html",
        {
            "entry": entry,
            "contest": entry.contest,
            "access_token": access_token,
            "can_change": entry.can_change(),
        },
    )


@never_cache
def entry_confirm(request, access_token, signature):
    entry = _entry_or_404(access_token)
    problem = submissions.link_problem(entries.check_confirmation, entry, signature)
    if problem is None and request.method == "POST":
        entries.confirm_entry(entry, request=request)
        return redirect("contest:entry_private", access_token=access_token)
    # Confirming takes a button press: mail scanners that open links must not confirm.
    return render(
        request,
        "contest/entry_confirm.html",
        {"entry": entry, "contest": entry.contest, "access_token": access_token, "problem": problem},
        status=400 if problem else 200,
    )


@require_POST
def entry_resend(request, access_token):
    entry = _entry_or_404(access_token)
    if entry.status == Entry.Status.AWAITING_CONFIRMATION:
        submissions.resend_confirmation(
            request,
            scope="contest-resend",
            access_token=access_token,
            email=entry.entrant.email,
            send=lambda: entries.send_confirmation(entry, access_token, request),
        )
    return redirect("contest:entry_private", access_token=access_token)


@require_POST
def entry_withdraw(request, access_token):
    entry = _entry_or_404(access_token)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Please tick the box to confirm the withdrawal."))
        return redirect("contest:entry_private", access_token=access_token)
    try:
        entries.withdraw_entry(entry)
    except entries.EntryClosed as closed:
        messages.error(request, str(closed))
    else:
        messages.success(request, _("Your entry has been withdrawn. It will not be judged."))
    return redirect("contest:entry_private", access_token=access_token)


@never_cache
def entry_download(request, access_token):
    entry = _entry_or_404(access_token)
    if request.GET.get("file") == "attachment":
        if not entry.attachment:
            raise Http404
        return FileResponse(
            entry.attachment.open("rb"),
            as_attachment=True,
            filename=entry.attachment_name or entry.attachment.name.rsplit("/", 1)[-1],
        )
    html = render_to_string("contest/entry_download.html", {"entry": entry, "contest": entry.contest})
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    filename = f"{entry.tracking_code or 'bai-du-thi'}-{slugify(entry.title)[:60] or 'bai'}.html"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
def entry_edit(request, access_token):
    entry = _entry_or_404(access_token)
    contest = entry.contest
    if not entry.can_change():
        messages.error(request, _("This entry can no longer be changed."))
        return redirect("contest:entry_private", access_token=access_token)
    initial = {
        "pen_name": entry.entrant.pen_name,
        "show_as": entry.entrant.show_as,
        "category": entry.category_id,
        "title": entry.title,
        "body": entry.body,
    }
    form = EntryContentForm(request.POST or None, request.FILES or None, initial=initial, contest=contest)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entries.edit_entry(
                entry,
                category=data["category"],
                title=data["title"],
                body_html=data["body"],
                pen_name=data["pen_name"],
                show_as=data["show_as"],
                attachment=data.get("attachment"),
                attachment_name=getattr(form, "attachment_name", ""),
            )
        except entries.EntryClosed as closed:
            messages.error(request, str(closed))
        else:
            messages.success(request, _("Your changes have been saved."))
        return redirect("contest:entry_private", access_token=access_token)
    return render(
        request,
        "contest/entry_edit.html",
        {"entry": entry, "contest": contest, "form": form, "access_token": access_token},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
def entry_personal_data(request, access_token):
    entry = _entry_or_404(access_token)
    response = JsonResponse(entries.export_personal_data(entry), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="du-lieu-ca-nhan.json"'
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def entry_erase(request, access_token):
    entry = _entry_or_404(access_token)
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Please tick the box to confirm the erasure."))
            return redirect("contest:entry_erase", access_token=access_token)
        contest = entry.contest
        outcome = entries.erase_personal_data(entry)
        return render(
            request,
            "tayho_site/erased.html",
            {
                "message": _("Your entry and your personal data have been deleted.")
                if outcome == "deleted"
                else _(
                    "Your name, contact details and attachment have been erased. The text remains, anonymous, as the "
                    "rules provide."
                ),
                "back_url": contest.url,
                "back_label": _("Back to the contest"),
            },
        )
    keeps_text = entries.erasure_outcome(entry) == "anonymised"
    return render(
        request,
        "tayho_site/erase.html",
        {
            "title": entry.title,
            "context_title": entry.contest.title,
            "cancel_url": reverse("contest:entry_private", args=[access_token]),
            "explanation": _(
                "The contest has closed and its rules keep the texts: your name, contact details and "
                "attachment will be erased, and the text will stay without any link to you."
            )
            if keeps_text
            else _("Your entry and everything about you in it will be deleted. It will not be judged."),
        },
    )
