"""The photos sent with the progress reports of an accepted idea's public commitment:
thumbnails on the idea's timeline and the author's private page, each served to everyone
only when the commitment is public, the evidence a photo and the report the commitment's."""

import pytest
from django.urls import reverse

from emulation.actions import commitments as commitment_actions
from tayho_site.validators import checked_upload
from tests.factories import jpeg_bytes, pdf_bytes, png_bytes
from tests.ideas.test_tracking import movement, tracked_idea  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def evidence(data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload, _kind, _name = checked_upload(
        SimpleUploadedFile(name, data), kinds={"pdf", "docx", "jpeg", "png"}, stem="minh-chung"
    )
    return upload


def report_with(commitment, officer, data, name):
    return commitment_actions.report_progress(
        commitment, by=officer, percent=40, narrative="Đã nạo vét 200 m", evidence=evidence(data, name)
    )


def photo_url(report):
    return reverse("ideas:progress_photo", args=[report.commitment_id, report.pk])


def test_a_public_commitments_photo_is_served_to_everyone_as_an_image(client, call, sector, tree, movement):  # noqa: F811
    idea, referral, officer = tracked_idea(call, sector, tree)
    report = report_with(referral.commitment, officer, jpeg_bytes(), "IMG_0001.jpg")
    response = client.get(photo_url(report))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")
    png = report_with(referral.commitment, officer, png_bytes(), "anh.png")
    assert client.get(photo_url(png))["Content-Type"] == "image/png"


def test_the_idea_page_and_the_private_page_show_the_thumbnails(client, call, sector, tree, movement):  # noqa: F811
    idea, referral, officer = tracked_idea(call, sector, tree)
    report = report_with(referral.commitment, officer, jpeg_bytes(), "IMG_0001.jpg")
    html = client.get(idea.get_absolute_url()).content.decode()
    assert f'src="{photo_url(report)}"' in html
    assert "alt=" in html and "Đã nạo vét 200 m" in html


def test_a_pdf_evidence_is_not_served(client, call, sector, tree, movement):  # noqa: F811
    idea, referral, officer = tracked_idea(call, sector, tree)
    report = report_with(referral.commitment, officer, pdf_bytes(), "bien-ban.pdf")
    assert client.get(photo_url(report)).status_code == 404
    assert photo_url(report) not in client.get(idea.get_absolute_url()).content.decode()


def test_a_photo_of_a_commitment_not_public_is_not_served(client, call, sector, tree, movement):  # noqa: F811
    idea, referral, officer = tracked_idea(call, sector, tree)
    report = report_with(referral.commitment, officer, jpeg_bytes(), "IMG_0001.jpg")
    referral.commitment.public = False
    referral.commitment.save(update_fields=["public"])
    assert client.get(photo_url(report)).status_code == 404


def test_a_report_of_another_commitment_is_not_served_through_this_one(client, call, sector, tree, movement):  # noqa: F811
    idea, referral, officer = tracked_idea(call, sector, tree)
    report = report_with(referral.commitment, officer, jpeg_bytes(), "IMG_0001.jpg")
    other = referral.commitment
    other.pk = None
    other.save()
    assert client.get(reverse("ideas:progress_photo", args=[other.pk, report.pk])).status_code == 404
    assert client.get(reverse("ideas:progress_photo", args=[report.commitment_id, report.pk + 1])).status_code == 404


def test_the_authors_private_page_shows_the_thumbnail_too(client, call, sector, tree, movement):  # noqa: F811
    import datetime

    from django.utils import timezone

    from ideas.actions import authors, moderation, referring
    from referrals import actions as referral_actions
    from referrals.models import Referral
    from tayho_site import roles
    from tests.factories import member, send_idea

    officer = member("cb_a", tree["a"], roles.UNIT_OFFICERS)
    submission = send_idea(call, sector, email="tac.gia@example.vn")
    authors.confirm_idea(submission.idea)
    idea = moderation.publish(submission.idea, by=None)
    referral = referral_actions.answer(
        referring.refer(idea, unit=tree["a"], by=None),
        outcome=Referral.Outcome.ACCEPTED,
        text="Sẽ làm",
        by=officer,
        plan_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    report = report_with(referral.commitment, officer, png_bytes(), "anh.png")
    html = client.get(f"/ho-so-y-tuong/{submission.access_token}/").content.decode()
    assert f'src="{photo_url(report)}"' in html
