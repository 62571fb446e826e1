"""Following an idea: a supporter who asks for it receives the idea's status mails (the
unit's answers with the link to judge them) at an address kept for that alone, and stops
them with one click, which erases the address."""

import re

import pytest
from django.core import mail

from ideas.actions import referring, supports
from ideas.models import Support
from referrals import actions as referral_actions
from referrals.models import Referral, ReferralStep
from tayho_site import roles
from tests.factories import member, published_idea

pytestmark = pytest.mark.django_db


def signature_after(prefix, body):
    return re.search(re.escape(prefix) + r"(\d+)/([^/\s]+)/", body)


def support(idea, email, committed, follow):
    with committed():
        support = supports.request_support(idea, email, follow=follow)
    token = signature_after("/ung-ho/", mail.outbox[-1].body).group(2)
    with committed():
        supports.confirm_support(support, token)
    return Support.objects.get(pk=support.pk)


def test_a_follower_receives_the_answer_and_the_verdict_link_then_stops_in_one_click(
    client, call, sector, tree, committed
):
    officer = member("canbo_a", tree["a"], roles.UNIT_OFFICERS)
    idea = published_idea(call, sector)
    quiet = support(idea, "im@example.vn", committed, follow=False)
    follower = support(idea, "Theo.Doi@example.vn ", committed, follow=True)
    assert (quiet.follow_email, quiet.following) == ("", False)  # no address kept without asking
    assert (follower.follow_email, follower.following) == ("Theo.Doi@example.vn", True)
    with committed():
        referral = referring.refer(idea, unit=tree["a"], by=None)
    mail.outbox.clear()
    with committed():
        referral_actions.answer(referral, outcome="done", text="Đã dọn xong", by=officer)
    to_follower = [m for m in mail.outbox if m.to == ["Theo.Doi@example.vn"]]
    assert len(mail.outbox) == 2 and len(to_follower) == 1  # the author and the follower, each alone
    body = to_follower[0].body
    assert "/ho-so-y-tuong/danh-gia/" in body and "im@example.vn" not in str([m.to for m in mail.outbox])
    unsubscribe = to_follower[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = "/" + unsubscribe.split("://", 1)[1].split("/", 1)[1]
    assert (
        client.get(path).status_code == 200 and Support.objects.get(pk=follower.pk).following
    )  # a look changes nothing
    assert client.post(path[:-3] + "xx/").status_code == 404
    assert client.post(path).status_code == 200  # the mail client's one-click POST, no CSRF token
    follower.refresh_from_db()
    assert (follower.follow_email, follower.following, follower.confirmed_at is not None) == ("", False, True)
    mail.outbox.clear()
    with committed():  # the author's verdict: news the follower no longer receives
        step = Referral.objects.get().steps.get(kind=ReferralStep.Kind.ANSWERED)
        referral_actions.give_verdict(step, resolved=True)
    assert mail.outbox and all(m.to != ["Theo.Doi@example.vn"] for m in mail.outbox)


def test_a_supporter_already_counted_follows_from_a_mailed_link(client, call, sector, committed):
    idea = published_idea(call, sector)
    counted = support(idea, "ban@example.vn", committed, follow=False)
    with committed():
        response = client.post(
            f"{idea.call.get_parent().url}{idea.pk}/",
            {"email": "ban@example.vn", "follow": "on", "captcha_0": "x", "captcha_1": "passed"},
        )
    assert response.status_code == 302
    match = signature_after("/theo-doi/", mail.outbox[-1].body)
    assert match and int(match.group(1)) == counted.pk
    path = f"/ho-so-y-tuong/theo-doi/{counted.pk}/{match.group(2)}/"
    assert client.get(path).status_code == 200 and not Support.objects.get(pk=counted.pk).following
    assert client.post(path[:-3] + "xx/").status_code == 400
    assert client.post(path).status_code == 200
    assert Support.objects.get(pk=counted.pk).following
