"""What a resident does with their idea and is told: sending it, confirming it by the
signed link, the private link, e-mails at each change with a one-click unsubscribe,
downloading and erasing their data."""

from dataclasses import dataclass

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tayho_site.audit import record
from tayho_site.mail import forget_address, queue_email
from tayho_site.sanitize import strip_html
from tayho_site.submissions import (
    CONFIRMATION_MAX_AGE,
    absolute,
    check_signed,
    hash_token,
    new_access_token,
    sign,
)
from tayho_site.text import search_words

from ..models import Idea, IdeaAuthor, IdeaCallPage, IdeaConsent, IdeaEvent, Support

AUTHOR = "tác giả (đường dẫn riêng)"
CONFIRM_SALT = "ideas.idea.confirm"
UNSUBSCRIBE_SALT = "ideas.author.unsubscribe"
UNFOLLOW_SALT = "ideas.follower.unsubscribe"
FOLLOWER = "người theo dõi (đường dẫn ký)"


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


def send_confirmation(idea: Idea, access_token: str, request=None):
    context = {
        "idea": idea,
        "call": idea.call,
        "confirm_link": absolute(request, confirm_path(idea, access_token)),
        "private_link": absolute(request, private_path(access_token)),
    }
    queue_email(
        idea.author.email,
        _("Please confirm your idea “%(title)s”") % {"title": idea.title},
        render_to_string("ideas/email/confirm.txt", context),
    )


def notify_author(idea: Idea, message: str, request=None, verdict_link=""):
    """Tell the author what happened to their idea, unless they unsubscribed. Every
    message carries a one-click unsubscribe link (also as a List-Unsubscribe header);
    after a unit's answer, also the link to say whether it resolved the matter."""
    link = absolute(request, public_path(idea)) if idea.is_public else ""
    notify_followers(idea, message, link, request=request, verdict_link=verdict_link)
    author = IdeaAuthor.objects.filter(idea=idea).first()
    if author is None or not author.notify or not author.email:
        return False
    unsubscribe = absolute(request, unsubscribe_path(idea))
    queue_email(
        author.email,
        _("Your idea “%(title)s”: %(message)s") % {"title": idea.title[:80], "message": message},
        render_to_string(
            "ideas/email/status.txt",
            {"idea": idea, "message": message, "link": link, "unsubscribe": unsubscribe, "verdict_link": verdict_link},
        ),
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    return True


def unfollow_path(support) -> str:
    return reverse("ideas:unfollow", args=[support.pk, sign(UNFOLLOW_SALT, support.pk)])


def check_unfollow(support, token: str) -> None:
    check_signed(token, UNFOLLOW_SALT, support.pk, max_age=None)


def notify_followers(idea: Idea, message: str, link: str, request=None, verdict_link=""):
    """The same news to each supporter who follows the idea, one message each (nobody
    sees the others' addresses), each with its own one-click unsubscribe."""
    for support in Support.objects.filter(idea=idea, following=True).exclude(follow_email="").only("follow_email"):
        unsubscribe = absolute(request, unfollow_path(support))
        queue_email(
            support.follow_email,
            _("The idea you follow, “%(title)s”: %(message)s") % {"title": idea.title[:80], "message": message},
            render_to_string(
                "ideas/email/follower.txt",
                {
                    "idea": idea,
                    "message": message,
                    "link": link,
                    "unsubscribe": unsubscribe,
                    "verdict_link": verdict_link,
                },
            ),
            headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        )


def stop_following(support):
    """A follower stops the idea's news: their address is erased; the support stays counted."""
    Support.objects.filter(pk=support.pk).update(following=False, follow_email="")
    record("ideas.support.unfollow", support.idea, actor_label=FOLLOWER)


def unsubscribe(idea: Idea, *, subscribed=False):
    """The author stops (or resumes) e-mails about their idea."""
    IdeaAuthor.objects.filter(idea=idea).update(notify=subscribed)
    record("ideas.idea.notify", idea, actor_label=AUTHOR, notify=subscribed)


def submit_idea(
    call: IdeaCallPage,
    *,
    title,
    problem,
    proposal,
    benefit,
    sector,
    ward=None,
    place="",
    latitude=None,
    longitude=None,
    author: dict,
    consents,
    attachment=None,
    attachment_kind="",
    request=None,
    now=None,
    entered_by=None,
) -> Submission:
    """Save an idea whole, with its author and consents, awaiting e-mail confirmation; or,
    entered by ward staff (`entered_by`) for a resident who has no e-mail and agreed in
    person, straight to the organisers' screening, the staff member on the audit trail."""
    now = now or timezone.now()
    if entered_by is not None:
        from referrals.permissions import require_ward_staff

        require_ward_staff(entered_by)
    if not call.is_open(now):
        raise IdeaClosed(_("This call is not taking ideas now."))
    access_token = new_access_token()
    with transaction.atomic():
        idea = Idea(
            call=call,
            title=" ".join(_plain(title, 200).split()),
            problem=_plain(problem, 5000),
            proposal=_plain(proposal, 10000),
            benefit=_plain(benefit, 5000),
            sector=sector,
            ward=ward,
            place=_plain(place, 200),
            latitude=latitude,
            longitude=longitude,
            attachment=attachment or "",
            attachment_kind=attachment_kind if attachment else "",
            access_token_hash=hash_token(access_token),
        )
        idea.search_folded = search_text(idea)
        if entered_by is not None:
            idea.status, idea.confirmed_at = Idea.Status.PENDING, now
        idea.save()
        IdeaAuthor.objects.create(idea=idea, **author)
        IdeaConsent.objects.bulk_create(
            IdeaConsent(idea=idea, kind=kind, policy_version=call.rules_version, given_at=now) for kind in consents
        )
        if entered_by is None:
            record("ideas.idea.submit", idea, actor_label=AUTHOR, sector=sector.name)
            send_confirmation(idea, access_token, request)
        else:
            IdeaEvent.objects.create(idea=idea, kind=IdeaEvent.Kind.RECEIVED)
            record("ideas.idea.enter", idea, actor=entered_by, sector=sector.name, consent="resident, in person")
    return Submission(idea=idea, access_token=access_token)


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


def export_personal_data(idea: Idea) -> dict:
    """Everything the platform holds about the author of an idea, for the author."""
    author = IdeaAuthor.objects.filter(idea=idea).first()
    return {
        "call": idea.call.title,
        "idea": {
            "code": idea.code,
            "title": idea.title,
            "problem": idea.problem,
            "proposal": idea.proposal,
            "benefit": idea.benefit,
            "sector": idea.sector.name,
            "ward": idea.ward.name if idea.ward else None,
            "place": idea.place,
            "latitude": str(idea.latitude) if idea.latitude is not None else None,
            "longitude": str(idea.longitude) if idea.longitude is not None else None,
            "status": idea.status,
            "stage": idea.stage,
            "sent_at": idea.created_at.isoformat(),
        },
        "author": {
            "full_name": author.full_name,
            "email": author.email,
            "phone": author.phone,
            "name_shown": author.show_name,
            "status_emails": author.notify,
        }
        if author
        else None,
        "consents": [
            {"kind": c.kind, "policy_version": c.policy_version, "given_at": c.given_at.isoformat()}
            for c in idea.consents.order_by("kind")
        ],
    }


def erasure_outcome(idea: Idea) -> str:
    """ "deleted" for an idea never published; "anonymised" once it has been public (its
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
