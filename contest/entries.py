"""The rules of entering the contest: submit, confirm, withdraw. Views call these."""

import secrets
from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tayho_site.mail import queue_email
from tayho_site.sanitize import clean_html, strip_html
from tayho_site.text import word_count

from .models import ContestPage, Entrant, Entry, EntryConsent, TrackingCodeCounter, hash_token

CONFIRMATION_MAX_AGE = 48 * 60 * 60
CONFIRMATION_SALT = "contest.entry.confirm"


class EntryClosed(Exception):
    """The contest does not take entries now."""


@dataclass
class Submission:
    entry: Entry
    access_token: str  # goes into the private link; the database keeps only its hash


def count_words(html: str) -> int:
    return word_count(strip_html(html))


def confirmation_token(entry: Entry) -> str:
    return signing.dumps({"entry": entry.pk}, salt=CONFIRMATION_SALT)


def confirm_path(entry: Entry, access_token: str) -> str:
    return reverse("contest:entry_confirm", args=[access_token, confirmation_token(entry)])


def private_path(access_token: str) -> str:
    return reverse("contest:entry_private", args=[access_token])


def _absolute(request, path):
    return request.build_absolute_uri(path) if request is not None else path


def send_confirmation(entry: Entry, access_token: str, request=None):
    link = _absolute(request, confirm_path(entry, access_token))
    context = {"entry": entry, "contest": entry.contest, "confirm_link": link,
               "private_link": _absolute(request, private_path(access_token))}
    queue_email(
        entry.entrant.email,
        _("Please confirm your entry to “%(contest)s”") % {"contest": entry.contest.title},
        render_to_string("contest/email/confirm.txt", context),
    )


def submit_entry(contest: ContestPage, *, category, title, body_html, entrant: dict, consents, attachment=None,
                 attachment_name="", request=None, now=None) -> Submission:
    """Save an entry whole, with its author and consents, awaiting e-mail confirmation.

    One transaction: either everything is stored or nothing is. The confirmation
    e-mail is queued only once it has committed.
    """
    now = now or timezone.now()
    if not contest.is_open(now):
        raise EntryClosed(_("This contest is not taking entries now."))
    body = clean_html(body_html)
    access_token = secrets.token_urlsafe(32)
    with transaction.atomic():
        entry = Entry.objects.create(
            contest=contest, category=category, title=strip_html(title)[:200], body=body,
            word_count=count_words(body), attachment=attachment or "", attachment_name=attachment_name[:200],
            access_token_hash=hash_token(access_token),
        )
        Entrant.objects.create(entry=entry, **entrant)
        EntryConsent.objects.bulk_create(
            EntryConsent(entry=entry, kind=kind, policy_version=contest.rules_version, given_at=now)
            for kind in consents
        )
        flag_duplicates(entry)
        send_confirmation(entry, access_token, request)
    return Submission(entry=entry, access_token=access_token)


def flag_duplicates(entry: Entry):
    """More entries than allowed from one e-mail in a category are flagged, not refused."""
    same_author = Entry.objects.filter(
        contest=entry.contest, category=entry.category, entrant__email__iexact=entry.entrant.email,
    ).exclude(status=Entry.Status.WITHDRAWN)
    if same_author.count() > entry.contest.max_entries_per_person:
        entry.flagged_reason = _("More entries from this e-mail in this category than the rules allow.")
        entry.save(update_fields=["flagged_reason"])


def next_tracking_code(contest: ContestPage) -> str:
    """The contest's next code, e.g. KVTH26-0042. The counter row is locked (on
    PostgreSQL) while it is read and increased, so parallel confirmations never share a
    number."""
    counter, _created = TrackingCodeCounter.objects.get_or_create(contest=contest)
    TrackingCodeCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
    number = TrackingCodeCounter.objects.select_for_update().values_list("last_number", flat=True).get(pk=counter.pk)
    return f"{contest.code_prefix}-{number:04d}"


def check_confirmation(entry: Entry, token: str) -> None:
    """Raises signing.SignatureExpired for a link older than 48 hours and
    signing.BadSignature for a forged one or one made for another entry."""
    data = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
    if data.get("entry") != entry.pk:
        raise signing.BadSignature("confirmation link of another entry")


def confirm_entry(entry: Entry, request=None) -> Entry:
    """Give the entry its tracking code (once) and tell the author."""
    with transaction.atomic():
        entry = Entry.objects.select_for_update(of=("self",)).select_related("contest", "entrant").get(pk=entry.pk)
        if entry.status != Entry.Status.AWAITING_CONFIRMATION:
            return entry
        entry.tracking_code = next_tracking_code(entry.contest)
        entry.status = Entry.Status.CONFIRMED
        entry.confirmed_at = timezone.now()
        entry.save(update_fields=["tracking_code", "status", "confirmed_at", "updated_at"])
        queue_email(
            entry.entrant.email,
            _("Your entry has arrived: %(code)s") % {"code": entry.tracking_code},
            render_to_string("contest/email/received.txt", {"entry": entry, "contest": entry.contest}),
        )
    return entry


def withdraw_entry(entry: Entry, now=None) -> Entry:
    now = now or timezone.now()
    if now >= entry.contest.closes_at:
        raise EntryClosed(_("The contest has closed; entries can no longer be withdrawn."))
    with transaction.atomic():
        entry = Entry.objects.select_for_update().get(pk=entry.pk)
        if entry.status in (Entry.Status.AWAITING_CONFIRMATION, Entry.Status.CONFIRMED):
            entry.status = Entry.Status.WITHDRAWN
            entry.withdrawn_at = now
            entry.save(update_fields=["status", "withdrawn_at", "updated_at"])
    return entry


def entry_for_token(access_token: str):
    return (
        Entry.objects.select_related("contest", "category", "entrant")
        .filter(access_token_hash=hash_token(access_token)).first()
    )
