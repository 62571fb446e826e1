"""The resident's verdict page (ideas.views.verdict): reached from the signed link in
the e-mail sent after a unit's answer; bad links, second verdicts and bad photos are
refused and nothing is saved."""

import re
import time

import pytest
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile

from ideas.actions import referring
from ideas.models import Idea
from referrals import actions as referral_actions
from referrals.models import Referral, ReferralStep, Verdict
from tayho_site import roles
from tests.factories import jpeg_bytes, member, pdf_bytes, published_idea

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(tree):
    return member("canbo_a", tree["a"], roles.UNIT_OFFICERS)


def answer(idea, tree, officer, committed, text="Đã dọn sạch khu vực"):
    with committed():
        referral = referring.refer(idea, unit=tree["a"], by=None)
    mail.outbox.clear()
    with committed():
        referral_actions.answer(referral, outcome=Referral.Outcome.DONE, text=text, by=officer)
    return Referral.objects.get(pk=referral.pk)


def link_in(message):
    return re.search(r"https?://\S+/ho-so-y-tuong/danh-gia/\S+/", message.body).group(0)


def path_of(link):
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def form(**extra):
    return {"resolved": "yes", "comment": "", "captcha_0": "x", "captcha_1": "passed", **extra}


def test_the_author_is_mailed_a_link_and_says_not_resolved(client, call, sector, tree, officer, committed):
    idea = published_idea(call, sector)
    referral = answer(idea, tree, officer, committed)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nguoidan@example.vn"]
    path = path_of(link_in(mail.outbox[0]))
    page = client.get(path)
    assert page.status_code == 200 and "Đã dọn sạch khu vực" in page.content.decode()
    photo = SimpleUploadedFile("anh.jpg", jpeg_bytes(), content_type="image/jpeg")
    with committed():
        response = client.post(path, form(resolved="no", comment="Rác vẫn còn ở bến thuyền", photo=photo))
    assert response.status_code == 200, response.content.decode()
    referral.refresh_from_db()
    assert (referral.status, referral.reopenings) == (Referral.Status.OPEN, 1)
    verdict = Verdict.objects.get()
    assert verdict.photo_kind == "jpeg" and verdict.photo.name.endswith(".jpg")
    idea.refresh_from_db()
    assert idea.stage == Idea.Stage.REFERRED
    assert len(mail.outbox) == 2 and referral.due_on.strftime("%d/%m/%Y") in mail.outbox[1].subject
    # The staff page of the referral shows the verdict and its photo to the unit.
    client.force_login(officer)
    staff = client.get(f"/thi-dua/chuyen-xu-ly/{referral.pk}/").content.decode()
    assert "Rác vẫn còn ở bến thuyền" in staff
    assert client.get(f"/thi-dua/chuyen-xu-ly/y-kien/{verdict.pk}/anh/").status_code == 200


def test_a_second_verdict_is_refused(client, call, sector, tree, officer, committed):
    idea = published_idea(call, sector)
    answer(idea, tree, officer, committed)
    path = path_of(link_in(mail.outbox[0]))
    assert client.post(path, form()).status_code == 200
    again = client.post(path, form(resolved="no", comment="Đổi ý"))
    assert again.status_code == 200 and 'name="resolved"' not in again.content.decode()
    assert Verdict.objects.count() == 1 and Referral.objects.get().status == Referral.Status.ANSWERED


def test_tampered_and_expired_links_judge_nothing(client, call, sector, tree, officer, committed, monkeypatch):
    idea = published_idea(call, sector)
    answer(idea, tree, officer, committed)
    path = path_of(link_in(mail.outbox[0]))
    assert client.post(path[:-3] + "xx/", form()).status_code == 400
    monkeypatch.setattr(referral_actions, "VERDICT_MAX_AGE", 0)
    time.sleep(1.1)
    response = client.post(path, form())
    assert response.status_code == 400 and not Verdict.objects.exists()


def test_oversized_or_wrong_photos_are_refused_and_nothing_is_saved(client, call, sector, tree, officer, committed):
    idea = published_idea(call, sector)
    answer(idea, tree, officer, committed)
    path = path_of(link_in(mail.outbox[0]))
    big = SimpleUploadedFile("anh.jpg", b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024), content_type="image/jpeg")
    pdf = SimpleUploadedFile("anh.jpg", pdf_bytes(), content_type="image/jpeg")
    long_comment = "x" * 2001
    for data in (form(photo=big), form(photo=pdf), form(comment=long_comment), form(resolved="no"), form(resolved="?")):
        assert client.post(path, data).status_code == 400
    assert not Verdict.objects.exists() and Referral.objects.get().reopenings == 0


def test_one_residents_link_cannot_judge_another_residents_referral(client, call, sector, tree, officer, committed):
    mine = published_idea(call, sector, email="hoa@example.vn")
    theirs = published_idea(call, sector, email="lan@example.vn")
    answer(mine, tree, officer, committed)
    my_link = path_of(link_in(mail.outbox[0]))
    their_referral = answer(theirs, tree, officer, committed)
    their_answer = their_referral.steps.get(kind=ReferralStep.Kind.ANSWERED)
    signature = my_link.rstrip("/").rsplit("/", 1)[1]
    forged = f"/ho-so-y-tuong/danh-gia/{their_referral.pk}/{their_answer.pk}/{signature}/"
    assert client.get(forged).status_code == 400
    assert client.post(forged, form(resolved="no", comment="Phá")).status_code == 400
    their_referral.refresh_from_db()
    assert their_referral.status == Referral.Status.ANSWERED and not Verdict.objects.exists()
    with pytest.raises(signing.BadSignature):
        referral_actions.check_verdict_link(their_referral.pk, their_answer.pk, signature)
