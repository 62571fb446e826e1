"""The rules of the idea box: send and confirm an idea, moderate it, support it, select
it, refer it to the unit that must answer, and tell its author. Views call these; each
change is one transaction with its audit entry."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from contest.judging.services import in_blind_scoring
from referrals import rules as referral_rules
from referrals.models import Referral, ReferralStep
from tayho_site.audit import record
from tayho_site.mail import forget_address, queue_email
from tayho_site.sanitize import strip_html
from tayho_site.submissions import (
    CONFIRMATION_MAX_AGE,
    absolute,
    check_signed,
    email_hashes,
    hash_token,
    new_access_token,
    rekey_email_hash,
    sign,
)
from tayho_site.text import query_words, search_words

from .models import Idea, IdeaAuthor, IdeaCallPage, IdeaConsent, IdeaEvent, Support

AUTHOR = "tác giả (đường dẫn riêng)"
CONFIRM_SALT = "ideas.idea.confirm"
SUPPORT_SALT = "ideas.support.confirm"
UNSUBSCRIBE_SALT = "ideas.author.unsubscribe"
PAGE_SIZE = 12
SORTS = {"moi-nhat": ("-published_at", "-pk"), "nhieu-ung-ho": ("-supporters", "-published_at", "-pk")}


class IdeaClosed(Exception):
    """The call does not take ideas now."""


@dataclass
class Submission:
    idea: Idea
    access_token: str


def _plain(text: str, limit: int) -> str:
    """Text as the author typed it, without markup, paragraphs kept."""
    lines = (" ".join(strip_html(line).split()) for line in (text or "").splitlines())
    return "\n".join(line for line in lines if line)[:limit]


def search_text(idea: Idea) -> str:
    return search_words(" ".join([idea.title, idea.problem, idea.proposal, idea.benefit, idea.place]))


# --- Links and e-mails to the author


def private_path(access_token: str) -> str:
    return reverse("ideas:private", args=[access_token])


def confirm_path(idea: Idea, access_token: str) -> str:
    return reverse("ideas:confirm", args=[access_token, sign(CONFIRM_SALT, idea.pk)])


def check_confirmation(idea: Idea, token: str) -> None:
    check_signed(token, CONFIRM_SALT, idea.pk, CONFIRMATION_MAX_AGE)


def unsubscribe_path(idea: Idea) -> str:
    return reverse("ideas:unsubscribe", args=[idea.pk, sign(UNSUBSCRIBE_SALT, idea.pk)])


def check_unsubscribe(idea: Idea, token: str) -> None:
    check_signed(token, UNSUBSCRIBE_SALT, idea.pk, max_age=None)


def public_path(idea: Idea) -> str:
    index = idea.call.get_parent()
    return index.url + index.specific.reverse_subpage("idea", args=[idea.pk])


def public_author_name(idea: Idea):
    """Who the idea's public page says sent it (their name if they chose to show it), or
    None while a blind judging round scores the idea: a judge who looks the idea up by
    its title must not learn who wrote it."""
    if in_blind_scoring(idea):
        return None
    author = getattr(idea, "author", None)
    return author.shown_name if author else _("A resident (anonymous)")


def send_confirmation(idea: Idea, access_token: str, request=None):
    context = {"idea": idea, "call": idea.call, "confirm_link": absolute(request, confirm_path(idea, access_token)),
               "private_link": absolute(request, private_path(access_token))}
    queue_email(idea.author.email, _("Please confirm your idea “%(title)s”") % {"title": idea.title},
                render_to_string("ideas/email/confirm.txt", context))


def notify_author(idea: Idea, message: str, request=None):
    """Tell the author what happened to their idea, unless they unsubscribed. Every
    message carries a one-click unsubscribe link (also as a List-Unsubscribe header)."""
    author = IdeaAuthor.objects.filter(idea=idea).first()
    if author is None or not author.notify or not author.email:
        return False
    unsubscribe = absolute(request, unsubscribe_path(idea))
    link = absolute(request, public_path(idea)) if idea.is_public else ""
    queue_email(author.email, _("Your idea “%(title)s”: %(message)s") % {"title": idea.title[:80], "message": message},
                render_to_string("ideas/email/status.txt", {"idea": idea, "message": message, "link": link,
                                                            "unsubscribe": unsubscribe}),
                headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    return True


def unsubscribe(idea: Idea, *, subscribed=False):
    """The author stops (or resumes) e-mails about their idea."""
    IdeaAuthor.objects.filter(idea=idea).update(notify=subscribed)
    record("ideas.idea.notify", idea, actor_label=AUTHOR, notify=subscribed)


# --- Sending and confirming


def submit_idea(call: IdeaCallPage, *, title, problem, proposal, benefit, sector, ward=None, place="",
                latitude=None, longitude=None, author: dict, consents, attachment=None, attachment_kind="",
                request=None, now=None) -> Submission:
    """Save an idea whole, with its author and consents, awaiting e-mail confirmation."""
    now = now or timezone.now()
    if not call.is_open(now):
        raise IdeaClosed(_("This call is not taking ideas now."))
    access_token = new_access_token()
    with transaction.atomic():
        idea = Idea(call=call, title=" ".join(_plain(title, 200).split()), problem=_plain(problem, 5000),
                    proposal=_plain(proposal, 10000), benefit=_plain(benefit, 5000), sector=sector, ward=ward,
                    place=_plain(place, 200), latitude=latitude, longitude=longitude,
                    attachment=attachment or "", attachment_kind=attachment_kind if attachment else "",
                    access_token_hash=hash_token(access_token))
        idea.search_folded = search_text(idea)
        idea.save()
        IdeaAuthor.objects.create(idea=idea, **author)
        IdeaConsent.objects.bulk_create(IdeaConsent(idea=idea, kind=kind, policy_version=call.rules_version,
                                                    given_at=now) for kind in consents)
        record("ideas.idea.submit", idea, actor_label=AUTHOR, sector=sector.name)
        send_confirmation(idea, access_token, request)
    return Submission(idea=idea, access_token=access_token)


def idea_for_token(access_token: str):
    return Idea.objects.select_related("call", "sector", "ward", "author").filter(
        access_token_hash=hash_token(access_token)).first()


def confirm_idea(idea: Idea) -> Idea:
    """The author confirmed their address: the idea goes to the organisers' screening."""
    with transaction.atomic():
        idea = Idea.objects.select_for_update(of=("self",)).select_related("call", "author").get(pk=idea.pk)
        if idea.status != Idea.Status.AWAITING_CONFIRMATION:
            return idea
        idea.status = Idea.Status.PENDING
        idea.confirmed_at = timezone.now()
        idea.save(update_fields=["status", "confirmed_at"])
        IdeaEvent.objects.create(idea=idea, kind=IdeaEvent.Kind.RECEIVED)
        record("ideas.idea.confirm", idea, actor_label=AUTHOR)
        notify_author(idea, _("received; the organisers will read it before it is published"))
    return idea


# --- The author's personal data


def export_personal_data(idea: Idea) -> dict:
    """Everything the platform holds about the author of an idea, for the author."""
    author = IdeaAuthor.objects.filter(idea=idea).first()
    return {
        "call": idea.call.title,
        "idea": {"code": idea.code, "title": idea.title, "problem": idea.problem, "proposal": idea.proposal,
                 "benefit": idea.benefit, "sector": idea.sector.name, "ward": idea.ward.name if idea.ward else None,
                 "place": idea.place, "latitude": str(idea.latitude) if idea.latitude is not None else None,
                 "longitude": str(idea.longitude) if idea.longitude is not None else None,
                 "status": idea.status, "stage": idea.stage, "sent_at": idea.created_at.isoformat()},
        "author": {"full_name": author.full_name, "email": author.email, "phone": author.phone,
                   "name_shown": author.show_name, "status_emails": author.notify} if author else None,
        "consents": [{"kind": c.kind, "policy_version": c.policy_version, "given_at": c.given_at.isoformat()}
                     for c in idea.consents.order_by("kind")],
    }


def erasure_outcome(idea: Idea) -> str:
    """"deleted" for an idea never published; "anonymised" once it has been public (its
    text, supporters and referral trail stay, with no link to its author)."""
    return "deleted" if idea.published_at is None else "anonymised"


def erase_personal_data(idea: Idea) -> str:
    """Erase what identifies the author: the idea goes, or stays anonymous with a private
    link that opens nothing any more (`erasure_outcome`). Either way the mails of the
    queue that hold the author's address go too."""
    with transaction.atomic():
        idea = Idea.objects.select_for_update(of=("self",)).get(pk=idea.pk)
        if idea.attachment:
            attachment = idea.attachment
            transaction.on_commit(lambda: attachment.storage.delete(attachment.name))
        author = IdeaAuthor.objects.filter(idea=idea).first()
        mails = forget_address(author.email) if author else 0
        outcome = erasure_outcome(idea)
        record("ideas.idea.erase", idea, actor_label=AUTHOR, outcome=outcome, mails_deleted=mails)
        if outcome == "deleted":
            idea.delete()
            return outcome
        IdeaAuthor.objects.filter(idea=idea).update(full_name="", email="", phone="", show_name=False, notify=False)
        idea.attachment, idea.attachment_kind = "", ""
        idea.access_token_hash = hash_token(new_access_token())  # a link nobody holds
        idea.save(update_fields=["attachment", "attachment_kind", "access_token_hash"])
    return outcome


# --- Moderation


# Which screening decision may follow which. A merged duplicate is final (its supporters
# went to the other idea); a false "spam" can be undone.
MODERATION = {
    Idea.Status.PENDING: {Idea.Status.PUBLISHED, Idea.Status.HIDDEN, Idea.Status.SPAM, Idea.Status.DUPLICATE},
    Idea.Status.PUBLISHED: {Idea.Status.HIDDEN, Idea.Status.SPAM, Idea.Status.DUPLICATE},
    Idea.Status.HIDDEN: {Idea.Status.PUBLISHED, Idea.Status.SPAM, Idea.Status.DUPLICATE},
    Idea.Status.SPAM: {Idea.Status.PUBLISHED, Idea.Status.HIDDEN},
}


def moderation_choices(idea: Idea) -> set:
    """The screening decisions an organiser may take on this idea now."""
    return MODERATION.get(idea.status, set())


def _moderate(idea, status, *, by, reason="", duplicate_of=None):
    with transaction.atomic():
        idea = Idea.objects.select_for_update(of=("self",)).select_related("call").get(pk=idea.pk)
        if idea.status == Idea.Status.AWAITING_CONFIRMATION:
            raise ValidationError(_("The author has not confirmed this idea yet."))
        if status not in moderation_choices(idea):
            raise ValidationError(_("This idea is “%(status)s”; that decision does not apply to it.")
                                  % {"status": idea.get_status_display()})
        open_referral = referral_of(idea)
        if status != Idea.Status.PUBLISHED and open_referral and open_referral.status == Referral.Status.OPEN:
            raise ValidationError(_("The idea is with %(unit)s, which must answer first.")
                                  % {"unit": open_referral.unit.name})
        previous = idea.status
        idea.status = status
        idea.moderation_reason = reason
        idea.duplicate_of = duplicate_of
        fields = ["status", "moderation_reason", "duplicate_of"]
        if status == Idea.Status.PUBLISHED and idea.published_at is None:
            idea.published_at = timezone.now()
            fields.append("published_at")
            IdeaEvent.objects.create(idea=idea, kind=IdeaEvent.Kind.PUBLISHED)
        idea.save(update_fields=fields)
        record("ideas.idea.moderate", idea, actor=by, summary=f"{previous} → {status}", previous=previous,
               status=status, reason=reason, duplicate_of=duplicate_of.code if duplicate_of else "")
    return idea


def publish(idea: Idea, *, by) -> Idea:
    idea = _moderate(idea, Idea.Status.PUBLISHED, by=by)
    notify_author(idea, _("published in the gallery"))
    return idea


def hide(idea: Idea, *, reason: str, by) -> Idea:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Give the reason: the author will see it."))
    idea = _moderate(idea, Idea.Status.HIDDEN, by=by, reason=reason[:500])
    notify_author(idea, _("not published — %(reason)s") % {"reason": idea.moderation_reason})
    return idea


def mark_spam(idea: Idea, *, by) -> Idea:
    return _moderate(idea, Idea.Status.SPAM, by=by)


def idea_by_code(code: str):
    """The idea an organiser names by its code ("YT-0012", "yt-12", "12"), or None."""
    digits = (code or "").strip().upper().removeprefix("YT-").lstrip("0") or "0"
    return Idea.objects.filter(pk=int(digits)).first() if digits.isdigit() else None


def mark_duplicate(idea: Idea, *, of: Idea, by) -> Idea:
    """The idea repeats `of`: it leaves the gallery and its supporters move to `of`,
    each address counted once (a confirmed support wins over a pending one)."""
    with transaction.atomic():
        # Both rows locked, in a fixed order, so a merge and a confirmation never cross.
        list(Idea.objects.select_for_update().filter(pk__in=[idea.pk, of.pk]).order_by("pk"))
        of = Idea.objects.get(pk=of.pk)
        if of.pk == idea.pk or of.status != Idea.Status.PUBLISHED:
            raise ValidationError(_("Choose another idea that is published."))
        idea = _moderate(idea, Idea.Status.DUPLICATE, by=by, duplicate_of=of,
                         reason=_("The same as idea %(code)s.") % {"code": of.code})
        taken = set(Support.objects.filter(idea=of).values_list("email_hash", flat=True))
        confirmed_here = Support.objects.filter(idea=idea, confirmed_at__isnull=False).values("email_hash")
        Support.objects.filter(idea=of, confirmed_at__isnull=True, email_hash__in=confirmed_here) \
            .update(confirmed_at=timezone.now())
        Support.objects.filter(idea=idea).exclude(email_hash__in=taken).update(idea=of)
        Support.objects.filter(idea=idea).delete()
        before = of.supporters
        for pk in (idea.pk, of.pk):
            Idea.objects.filter(pk=pk).update(
                supporters=Support.objects.filter(idea_id=pk, confirmed_at__isnull=False).count())
        of.refresh_from_db(fields=["supporters"])
        IdeaEvent.objects.create(idea=of, kind=IdeaEvent.Kind.MERGED, text=idea.code)
        record("ideas.idea.merge", of, actor=by, merged=idea.code, supporters_before=before,
               supporters_after=of.supporters)
    notify_author(idea, _("merged into the same idea %(code)s, which keeps its supporters") % {"code": of.code})
    return idea


# --- Supporting


def request_support(idea: Idea, email: str, request=None) -> Support:
    """Record a support awaiting confirmation and send the link to `email`. The address
    itself is not kept. An address that supports the idea already is told so by e-mail,
    and only there: to whoever asked, every request looks the same (no stranger learns
    whether an address supports an idea)."""
    if not idea.is_public:
        raise ValidationError(_("This idea cannot be supported."))
    stored = email_hashes(email)  # the current hash first, then those of rows not yet rekeyed
    support = Support.objects.filter(idea=idea, email_hash__in=stored).first()
    if support is None:
        try:
            with transaction.atomic():
                support = Support.objects.create(idea=idea, email_hash=stored[0])
        except IntegrityError:  # the same address, at the same moment
            support = Support.objects.get(idea=idea, email_hash__in=stored)
    context = {"idea": idea}
    if support.confirmed_at:
        subject = _("You already support “%(title)s”")
        context["link"] = absolute(request, public_path(idea))
        template = "ideas/email/support_already.txt"
    else:
        subject = _("Confirm your support for “%(title)s”")
        context["link"] = absolute(request, reverse("ideas:support_confirm",
                                                    args=[support.pk, sign(SUPPORT_SALT, support.pk)]))
        template = "ideas/email/support.txt"
    queue_email(email, subject % {"title": idea.title[:80]}, render_to_string(template, context))
    return support


def rekey_supports(*, actor_label="manage.py rekey_supporters") -> int:
    """After a key was appended to SUPPORTER_HASH_KEYS: every stored address hash taken
    through the keys it has not been through, in one transaction, from the stored values
    alone. Until then supports are found under their older hash too. Returns how many
    changed; a second run finds none."""
    with transaction.atomic():
        changed = []
        for support in Support.objects.select_for_update().only("pk", "email_hash").iterator(chunk_size=2000):
            keyed = rekey_email_hash(support.email_hash)
            if keyed:
                support.email_hash = keyed
                changed.append(support)
        Support.objects.bulk_update(changed, ["email_hash"], batch_size=2000)
        if changed:
            record("ideas.support.rekey", ContentType.objects.get_for_model(Support), actor_label=actor_label,
                   summary=str(len(changed)), count=len(changed), keys=len(settings.SUPPORTER_HASH_KEYS))
    return len(changed)


def check_support_link(support: Support, token: str) -> None:
    """Raises signing.SignatureExpired or signing.BadSignature (also for the link of
    another support)."""
    check_signed(token, SUPPORT_SALT, support.pk, CONFIRMATION_MAX_AGE)


def confirm_support(support: Support, token: str) -> bool:
    """Count the support once. False when it was counted already; a ValidationError
    when the idea is no longer public."""
    check_support_link(support, token)
    with transaction.atomic():
        # The idea first, then the support: the order mark_duplicate locks in too.
        idea = Idea.objects.select_for_update().get(pk=Support.objects.values("idea_id").get(pk=support.pk)["idea_id"])
        if not idea.is_public:
            raise ValidationError(_("This idea cannot be supported."))
        support = Support.objects.select_for_update().get(pk=support.pk)
        if support.confirmed_at:
            return False
        support.confirmed_at = timezone.now()
        support.save(update_fields=["confirmed_at"])
        Idea.objects.filter(pk=idea.pk).update(supporters=F("supporters") + 1)
    return True


# --- Judging decisions and results


def _set_selected(idea: Idea, selected: bool, *, by) -> Idea:
    """The judges' decision, private until the call's results are published."""
    with transaction.atomic():
        idea = Idea.objects.select_for_update(of=("self",)).select_related("call").get(pk=idea.pk)
        if selected and idea.status != Idea.Status.PUBLISHED:
            raise ValidationError(_("Only a published idea can be selected."))
        if (idea.selected_at is not None) == selected:
            return idea
        idea.selected_at = timezone.now() if selected else None
        fields = ["selected_at"]
        if idea.call.results_are_public():  # a change after the results: public at once
            _show_selection(idea, selected)
            fields.append("stage")
        idea.save(update_fields=fields)
        record("ideas.idea.select" if selected else "ideas.idea.unselect", idea, actor=by)
    return idea


def _show_selection(idea: Idea, selected: bool):
    """The stage follows a selection only while nothing later (a referral) has happened."""
    before, after = (Idea.Stage.RECEIVED, Idea.Stage.SELECTED) if selected else \
        (Idea.Stage.SELECTED, Idea.Stage.RECEIVED)
    if idea.stage == before:
        idea.stage = after
    IdeaEvent.objects.create(idea=idea, kind=IdeaEvent.Kind.SELECTED if selected else IdeaEvent.Kind.UNSELECTED)


def select(idea: Idea, *, by) -> Idea:
    return _set_selected(idea, True, by=by)


def unselect(idea: Idea, *, by) -> Idea:
    return _set_selected(idea, False, by=by)


def publish_results(call: IdeaCallPage, *, by) -> int:
    """The call's selected ideas become public and their authors are told, once: an idea
    already shown as selected is not announced again. Returns how many were told."""
    with transaction.atomic():
        call = IdeaCallPage.objects.select_for_update().get(pk=call.pk)
        call.results_published_at = timezone.now()
        call.save_revision(user=by).publish(user=by)
        announced = IdeaEvent.objects.filter(kind=IdeaEvent.Kind.SELECTED).values("idea_id")
        fresh = list(Idea.objects.filter(call=call, status=Idea.Status.PUBLISHED, selected_at__isnull=False)
                     .exclude(pk__in=announced).select_related("call"))
        for idea in fresh:
            _show_selection(idea, True)
            idea.save(update_fields=["stage"])
        record("ideas.call.results", call, actor=by, selected=len(fresh))
        told = sum(bool(notify_author(idea, _("selected by the judges"))) for idea in fresh)
    return told


def selected_ideas(call: IdeaCallPage):
    return Idea.objects.filter(call=call, status=Idea.Status.PUBLISHED, selected_at__isnull=False) \
        .select_related("sector", "ward").order_by("-supporters", "pk")


# --- Referral to the responsible unit


def referral_of(idea: Idea):
    return Referral.objects.filter(subject_type=ContentType.objects.get_for_model(Idea),
                                   subject_id=str(idea.pk)).select_related("unit").order_by("-pk").first()


def working_days_from(text: str) -> int | None:
    """The working days an organiser typed: None when left empty (the call's default)."""
    text = (text or "").strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= referral_rules.MAX_WORKING_DAYS:
        raise ValidationError(_("Give the number of working days as a whole number from 1 to %(max)s.")
                              % {"max": referral_rules.MAX_WORKING_DAYS})
    return int(text)


def refer(idea: Idea, *, unit, by, working_days=None, supervisor=None, today=None) -> Referral:
    """Hand a published idea to the unit that must answer, with the call's deadline in
    working days (unless given). The supervising organisation is the one chosen, or else
    the unit above."""
    if supervisor is None and not unit.is_root():
        supervisor = unit.get_parent()
    with transaction.atomic():
        idea = Idea.objects.select_for_update(of=("self",)).select_related("call").get(pk=idea.pk)
        if idea.status != Idea.Status.PUBLISHED:
            raise ValidationError(_("Only a published idea can be referred."))
        current = referral_of(idea)
        if current is not None and current.status == Referral.Status.OPEN:
            raise ValidationError(_("This idea is already with %(unit)s.") % {"unit": current.unit.name})
        referral = referral_rules.refer(idea, unit=unit, by=by, title=idea.title, supervisor=supervisor, today=today,
                                        working_days=working_days or idea.call.referral_working_days)
        Idea.objects.filter(pk=idea.pk).update(stage=Idea.Stage.REFERRED)
        idea.stage = Idea.Stage.REFERRED
        notify_author(idea, _("referred to %(unit)s, which must answer by %(date)s") % {
            "unit": unit.name, "date": referral.due_on.strftime("%d/%m/%Y")})
    return referral


STAGE_OF_OUTCOME = {Referral.Outcome.ACCEPTED: Idea.Stage.ACCEPTED, Referral.Outcome.DONE: Idea.Stage.DONE,
                    Referral.Outcome.DECLINED: Idea.Stage.DECLINED}


def referral_changed(idea: Idea, referral: Referral, step: ReferralStep):
    """Called by the referral rules after a transfer or an answer: the idea's stage
    follows, and its author is told."""
    if step.kind == ReferralStep.Kind.ANSWERED:
        Idea.objects.filter(pk=idea.pk).update(stage=STAGE_OF_OUTCOME[referral.outcome])
        idea.stage = STAGE_OF_OUTCOME[referral.outcome]
        notify_author(idea, _("%(unit)s answered: %(outcome)s") % {
            "unit": referral.unit.name, "outcome": referral.get_outcome_display()})
    elif step.kind == ReferralStep.Kind.TRANSFERRED:
        notify_author(idea, _("transferred from %(from)s to %(to)s") % {
            "from": step.from_unit.name, "to": step.to_unit.name})


# --- Public reading


def published_ideas():
    return Idea.objects.filter(status=Idea.Status.PUBLISHED)


def gallery(*, index=None, call=None, sector=None, ward=None, stage=None, query="", sort="moi-nhat"):
    """Published ideas of live calls (under `index`, or of one `call`), filtered and
    sorted for the gallery. The query is folded like the stored text, so "ho tay" finds
    "Hồ Tây"."""
    ideas = published_ideas().filter(call__live=True).select_related("sector", "ward")
    if index is not None:
        ideas = ideas.filter(call__path__startswith=index.path)
    if call is not None:
        ideas = ideas.filter(call=call)
    if sector:
        ideas = ideas.filter(sector=sector)
    if ward:
        ideas = ideas.filter(ward=ward)
    if stage:
        ideas = ideas.filter(stage=stage)
    for word in query_words(query):
        ideas = ideas.filter(search_folded__contains=f" {word}")
    return ideas.order_by(*SORTS.get(sort, SORTS["moi-nhat"]))


def timeline(idea: Idea, referral=None) -> list[dict]:
    """Every public step of an idea, oldest first: its own events and each step of its
    referrals (referred, transferred from → to with the reason, answered). Two queries."""
    rows = [{"at": event.at, "kind": event.kind, "label": event.get_kind_display(), "text": event.text}
            for event in idea.events.all()]
    steps = ReferralStep.objects.filter(
        referral__subject_type=ContentType.objects.get_for_model(Idea), referral__subject_id=str(idea.pk),
    ).exclude(kind=ReferralStep.Kind.REMINDED).select_related("from_unit", "to_unit", "referral")
    for step in steps:
        rows.append({"at": step.at, "kind": step.kind, "label": step.get_kind_display(), "text": step.text,
                     "from_unit": step.from_unit.name if step.from_unit else "",
                     "to_unit": step.to_unit.name if step.to_unit else "",
                     "due_on": step.referral.due_on if step.kind == ReferralStep.Kind.REFERRED else None,
                     "outcome": step.referral.get_outcome_display() if step.kind == ReferralStep.Kind.ANSWERED
                     else ""})
    return sorted(rows, key=lambda row: row["at"])


def moderation_queue():
    return Idea.objects.filter(Q(status=Idea.Status.PENDING)).select_related("call", "sector").order_by("created_at")
