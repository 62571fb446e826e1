"""The rules of entering the contest: submit, confirm, withdraw. Views call these."""

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F, Func, IntegerField, Value
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tayho_site.audit import record
from tayho_site.mail import forget_address, queue_email
from tayho_site.sanitize import clean_html, strip_html
from tayho_site.submissions import CONFIRMATION_MAX_AGE, absolute, check_signed, hash_token, new_access_token, sign
from tayho_site.text import hamming, simhash, word_count

from ..models import ContestPage, Entrant, Entry, EntryConsent, TrackingCodeCounter

CONFIRMATION_SALT = "contest.entry.confirm"
AUTHOR = "tác giả (đường dẫn riêng)"  # who acts when the author uses their private link
# Fingerprints this close (bits out of 64) mark texts as near-identical.
NEAR_DUPLICATE_BITS = 8


class EntryClosed(Exception):
    """The contest does not take entries now."""


@dataclass
class Submission:
    entry: Entry
    access_token: str  # goes into the private link; the database keeps only its hash


def count_words(html: str) -> int:
    return word_count(strip_html(html))


def confirmation_token(entry: Entry) -> str:
    return sign(CONFIRMATION_SALT, entry.pk)


def confirm_path(entry: Entry, access_token: str) -> str:
    return reverse("contest:entry_confirm", args=[access_token, confirmation_token(entry)])


def private_path(access_token: str) -> str:
    return reverse("contest:entry_private", args=[access_token])


def send_confirmation(entry: Entry, access_token: str, request=None):
    link = absolute(request, confirm_path(entry, access_token))
    context = {
        "entry": entry,
        "contest": entry.contest,
        "confirm_link": link,
        "private_link": absolute(request, private_path(access_token)),
    }
    queue_email(
        entry.entrant.email,
        _("Please confirm your entry to “%(contest)s”") % {"contest": entry.contest.title},
        render_to_string("contest/email/confirm.txt", context),
    )


def submit_entry(
    contest: ContestPage,
    *,
    category,
    title,
    body_html,
    entrant: dict,
    consents,
    attachment=None,
    attachment_name="",
    request=None,
    now=None,
) -> Submission:
    """Save an entry whole, with its author and consents, awaiting e-mail confirmation.

    One transaction: either everything is stored or nothing is. The confirmation
    e-mail is queued only once it has committed.
    """
    now = now or timezone.now()
    if not contest.is_open(now):
        raise EntryClosed(_("This contest is not taking entries now."))
    body = clean_html(body_html)
    access_token = new_access_token()
    with transaction.atomic():
        entry = Entry.objects.create(
            contest=contest,
            category=category,
            title=strip_html(title)[:200],
            body=body,
            word_count=count_words(body),
            attachment=attachment or "",
            attachment_name=attachment_name[:200],
            access_token_hash=hash_token(access_token),
            body_simhash=simhash(strip_html(body)),
        )
        Entrant.objects.create(entry=entry, **entrant)
        EntryConsent.objects.bulk_create(
            EntryConsent(entry=entry, kind=kind, policy_version=contest.rules_version, given_at=now)
            for kind in consents
        )
        flag_duplicates(entry)
        record(
            "contest.entry.submit",
            entry,
            actor_label=AUTHOR,
            words=entry.word_count,
            category=entry.category.name,
            flagged=bool(entry.flagged_reason),
        )
        send_confirmation(entry, access_token, request)
    return Submission(entry=entry, access_token=access_token)


def flag_duplicates(entry: Entry):
    """Flags, for the organisers, an entry that exceeds the per-person limit of its
    category or whose text is near-identical to another entry's. Nothing is refused."""
    reasons = []
    live = Entry.objects.filter(contest=entry.contest).exclude(pk=entry.pk).exclude(status=Entry.Status.WITHDRAWN)
    same_author = live.filter(category=entry.category, entrant__email__iexact=entry.entrant.email)
    if same_author.count() + 1 > entry.contest.max_entries_per_person:
        reasons.append(_("More entries from this e-mail in this category than the rules allow."))
    if entry.body_simhash:
        near = _near_duplicate(live.exclude(body_simhash=0), entry.body_simhash)
        if near is not None:
            pk, code = near
            reasons.append(_("Text nearly identical to entry %(entry)s.") % {"entry": code or f"#{pk}"})
    reason = " ".join(str(r) for r in reasons)[:300]
    if reason != entry.flagged_reason:
        entry.flagged_reason = reason
        entry.save(update_fields=["flagged_reason"])


def _near_duplicate(entries, fingerprint):
    """(pk, tracking code) of the first of `entries` whose text's fingerprint is within
    NEAR_DUPLICATE_BITS of `fingerprint`, or None. PostgreSQL counts the differing bits
    itself, so the deadline night's thousandth entry does not read the other 999."""
    entries = entries.order_by("pk")
    if connection.vendor == "postgresql":
        distance = Func(
            F("body_simhash"),
            Value(fingerprint),
            template="bit_count((%(expressions)s)::bit(64))",
            arg_joiner=" # ",
            output_field=IntegerField(),
        )
        return (
            entries.alias(distance=distance)
            .filter(distance__lte=NEAR_DUPLICATE_BITS)
            .values_list("pk", "tracking_code")
            .first()
        )
    for pk, code, other in entries.values_list("pk", "tracking_code", "body_simhash").iterator():
        if hamming(fingerprint, other) <= NEAR_DUPLICATE_BITS:
            return pk, code
    return None


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
    check_signed(token, CONFIRMATION_SALT, entry.pk, CONFIRMATION_MAX_AGE)


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
        record("contest.entry.confirm", entry, actor_label=AUTHOR, tracking_code=entry.tracking_code)
        queue_email(
            entry.entrant.email,
            _("Your entry has arrived: %(code)s") % {"code": entry.tracking_code},
            render_to_string("contest/email/received.txt", {"entry": entry, "contest": entry.contest}),
        )
    return entry


def edit_entry(
    entry: Entry, *, category, title, body_html, pen_name, show_as, attachment=None, attachment_name="", now=None
) -> Entry:
    """The author changes the entry until the closing time; checked and cleaned as when
    it was sent, in one transaction."""
    now = now or timezone.now()
    if not entry.can_change(now):
        if not entry.contest.is_open(now):
            raise EntryClosed(_("The contest has closed; entries can no longer be changed."))
        raise EntryClosed(_("This entry can no longer be changed."))
    body = clean_html(body_html)
    with transaction.atomic():
        entry = Entry.objects.select_for_update(of=("self",)).select_related("entrant", "contest").get(pk=entry.pk)
        entry.category = category
        entry.title = strip_html(title)[:200]
        entry.body = body
        entry.word_count = count_words(body)
        entry.body_simhash = simhash(strip_html(body))
        fields = ["category", "title", "body", "word_count", "body_simhash", "updated_at"]
        if attachment:
            if entry.attachment:
                entry.attachment.delete(save=False)
            entry.attachment = attachment
            entry.attachment_name = attachment_name[:200]
            fields += ["attachment", "attachment_name"]
        entry.save(update_fields=fields)
        entry.entrant.pen_name = pen_name
        entry.entrant.show_as = show_as
        entry.entrant.save(update_fields=["pen_name", "show_as"])
        flag_duplicates(entry)
        record(
            "contest.entry.edit",
            entry,
            actor_label=AUTHOR,
            words=entry.word_count,
            category=entry.category.name,
            attachment_replaced=bool(attachment),
        )
    return entry


def export_personal_data(entry: Entry) -> dict:
    """Everything the platform holds about the author of an entry, for the author."""
    entrant = entry.entrant
    return {
        "contest": entry.contest.title,
        "entry": {
            "tracking_code": entry.tracking_code,
            "title": entry.title,
            "category": entry.category.name,
            "status": entry.status,
            "words": entry.word_count,
            "text_html": entry.body,
            "attachment": entry.attachment_name or None,
            "sent_at": entry.created_at.isoformat(),
            "confirmed_at": entry.confirmed_at.isoformat() if entry.confirmed_at else None,
        },
        "author": {
            "full_name": entrant.full_name,
            "pen_name": entrant.pen_name,
            "birth_year": entrant.birth_year,
            "phone": entrant.phone,
            "email": entrant.email,
            "address": entrant.address,
            "occupation": entrant.occupation,
            "name_shown_with_results": entrant.show_as,
        },
        "consents": [
            {"kind": c.kind, "policy_version": c.policy_version, "given_at": c.given_at.isoformat()}
            for c in entry.consents.order_by("kind")
        ],
    }


def erasure_outcome(entry: Entry, now=None) -> str:
    """What an erasure does: "deleted" before the closing time or when the rules keep no
    texts; "anonymised" (the text stays, without its author) otherwise, and always for a
    prize-winning entry: the published results and the prize decision must stand."""
    now = now or timezone.now()
    if entry.awards.exists():
        return "anonymised"
    if now < entry.contest.closes_at or not entry.contest.keep_text_after_erasure:
        return "deleted"
    return "anonymised"


def erase_personal_data(entry: Entry, now=None) -> str:
    """Erase what identifies the author. Before the closing time, or when the rules do
    not keep texts, the entry goes entirely ("deleted"); otherwise the text stays,
    anonymous ("anonymised"), and the private link opens nothing any more. Either way the
    mails of the queue that hold the author's address go too."""
    now = now or timezone.now()
    with transaction.atomic():
        entry = Entry.objects.select_for_update(of=("self",)).select_related("contest", "entrant").get(pk=entry.pk)
        if entry.attachment:
            attachment = entry.attachment
            transaction.on_commit(lambda: attachment.storage.delete(attachment.name))
        mails = forget_address(entry.entrant.email)
        if erasure_outcome(entry, now) == "deleted":
            record("contest.entry.erase", entry, actor_label=AUTHOR, outcome="deleted", mails_deleted=mails)
            entry.delete()
            return "deleted"
        Entrant.objects.filter(pk=entry.entrant.pk).update(
            full_name="",
            pen_name="",
            birth_year=0,
            phone="",
            email="",
            address="",
            occupation="",
            show_as=Entrant.ShowAs.ANONYMOUS,
        )
        entry.attachment = ""
        entry.attachment_name = ""
        entry.erased_at = now
        entry.access_token_hash = hash_token(new_access_token())  # a link nobody holds
        entry.save(update_fields=["attachment", "attachment_name", "erased_at", "access_token_hash", "updated_at"])
        record("contest.entry.erase", entry, actor_label=AUTHOR, outcome="anonymised", mails_deleted=mails)
        return "anonymised"


def withdraw_entry(entry: Entry, now=None) -> Entry:
    now = now or timezone.now()
    if not entry.contest.is_open(now):
        raise EntryClosed(_("The contest has closed; entries can no longer be withdrawn."))
    with transaction.atomic():
        entry = Entry.objects.select_for_update(of=("self",)).select_related("contest").get(pk=entry.pk)
        if entry.can_change(now):
            entry.status = Entry.Status.WITHDRAWN
            entry.withdrawn_at = now
            entry.save(update_fields=["status", "withdrawn_at", "updated_at"])
            record("contest.entry.withdraw", entry, actor_label=AUTHOR)
    return entry


def change_status(entry: Entry, status: str, *, by, reason: str = "") -> Entry:
    """An organiser sets an entry's status (e.g. disqualifies it, with the reason the
    author will see), audited."""
    with transaction.atomic():
        entry = Entry.objects.select_for_update().get(pk=entry.pk)
        previous = entry.status
        entry.status = status
        entry.disqualification_reason = reason if status == Entry.Status.DISQUALIFIED else ""
        entry.full_clean(exclude=["attachment", "access_token_hash"])
        entry.save(update_fields=["status", "disqualification_reason", "updated_at"])
        record(
            "contest.entry.status",
            entry,
            actor=by,
            summary=f"{previous} → {status}",
            previous=previous,
            status=status,
            reason=entry.disqualification_reason,
        )
    return entry
