"""Supporting an idea: once per address, confirmed by a signed e-mailed link; only a
keyed hash of the address is kept, and the keys can be rotated."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tayho_site.audit import record
from tayho_site.mail import queue_email
from tayho_site.submissions import (
    CONFIRMATION_MAX_AGE,
    absolute,
    check_signed,
    email_hashes,
    rekey_email_hash,
    sign,
)

from ..models import Idea, Support
from .authors import public_path

SUPPORT_SALT = "ideas.support.confirm"
FOLLOW_SALT = "ideas.support.follow"


def request_support(idea: Idea, email: str, request=None, follow=False) -> Support:
    """Record a support awaiting confirmation and send the link to `email`. The address
    itself is not kept, unless the supporter asks to follow the idea (`follow`): it is
    then kept for the idea's news, which start once a link mailed to it is opened. An
    address that supports the idea already is told so by e-mail, and only there: to
    whoever asked, every request looks the same (no stranger learns whether an address
    supports an idea)."""
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
    if follow and not support.following:
        Support.objects.filter(pk=support.pk).update(follow_email=email.strip())
        support.follow_email = email.strip()
    context = {"idea": idea, "follow": follow and not support.following}
    if support.confirmed_at:
        subject = _("You already support “%(title)s”")
        context["link"] = absolute(request, public_path(idea))
        if context["follow"]:
            context["follow_link"] = absolute(
                request, reverse("ideas:follow", args=[support.pk, sign(FOLLOW_SALT, support.pk)])
            )
        template = "ideas/email/support_already.txt"
    else:
        subject = _("Confirm your support for “%(title)s”")
        context["link"] = absolute(
            request, reverse("ideas:support_confirm", args=[support.pk, sign(SUPPORT_SALT, support.pk)])
        )
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
            record(
                "ideas.support.rekey",
                ContentType.objects.get_for_model(Support),
                actor_label=actor_label,
                summary=str(len(changed)),
                count=len(changed),
                keys=len(settings.SUPPORTER_HASH_KEYS),
            )
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
        support.following = bool(support.follow_email)  # asked for with the support
        support.save(update_fields=["confirmed_at", "following"])
        Idea.objects.filter(pk=idea.pk).update(supporters=F("supporters") + 1)
    return True


def check_follow_link(support: Support, token: str) -> None:
    check_signed(token, FOLLOW_SALT, support.pk, CONFIRMATION_MAX_AGE)


def start_following(support: Support, token: str) -> bool:
    """A supporter who asked to follow opened the link mailed to the address: the
    idea's news go there from now on. False when there is no address to send them to."""
    check_follow_link(support, token)
    with transaction.atomic():
        support = Support.objects.select_for_update(of=("self",)).select_related("idea").get(pk=support.pk)
        if not support.follow_email or not support.confirmed_at:
            return False
        if not support.following:
            support.following = True
            support.save(update_fields=["following"])
            record("ideas.support.follow", support.idea, actor_label="người ủng hộ (đường dẫn ký)")
    return True
