"""Residents' reports of passing the buck: the public form, its e-mailed confirmation and
the author's private link."""

import datetime
import re
from unittest import mock

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from referrals import actions
from referrals.forms import MAX_REPORT_DOCUMENT_BYTES
from referrals.models import BuckReport
from tests.factories import pdf_bytes

pytestmark = pytest.mark.django_db
FORM = "/phan-anh/gui/"


def form_data(**overrides):
    today = timezone.localdate()
    data = {
        "office_text": "Bộ phận một cửa phường Nhật Tân",
        "office": "",
        "asked": "Xin cấp bản sao giấy khai sinh cho con.",
        "sent_where": "Một cửa bảo lên phòng Tư pháp, phòng Tư pháp bảo về lại một cửa.",
        "first_on": (today - datetime.timedelta(days=10)).isoformat(),
        "last_on": (today - datetime.timedelta(days=2)).isoformat(),
        "full_name": "Trần Thị Hoa",
        "email": "hoa@example.vn",
        "phone": "",
        "personal_data": "on",
        "website": "",
        "captcha_0": "x",
        "captcha_1": "PASSED",
    }
    data.update(overrides)
    return data


def send(client, committed, **overrides):
    with committed():
        return client.post(FORM, form_data(**overrides))


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_resident_sends_confirms_and_reads_a_report(client, committed, tree):
    assert "Phản ánh" in client.get(FORM).content.decode()
    response = send(client, committed, office=str(tree["a"].pk), document=SimpleUploadedFile("don.pdf", pdf_bytes()))
    assert response.status_code == 302
    report = BuckReport.objects.get()
    assert (report.status, report.office, report.document_kind) == ("awaiting", tree["a"], "pdf")
    assert "don" not in report.document.name
    private = re.search(r"/phan-anh/[^/\s]+/\n", mail.outbox[0].body).group(0).strip()
    assert private in client.get(response.url).content.decode()
    assert private not in client.get(response.url).content.decode()  # shown once
    confirm = re.search(r"/phan-anh/\S+/xac-nhan/\S+/", mail.outbox[0].body).group(0)
    assert client.get(confirm).status_code == 200
    assert BuckReport.objects.get().status == "awaiting"  # opening the link does not confirm
    page = client.post(confirm, follow=True).content.decode()
    assert BuckReport.objects.get().status == "pending"
    assert "phòng Tư pháp bảo về lại" in page
    assert "phòng Tư pháp bảo về lại" in client.get(private).content.decode()


@pytest.mark.parametrize(
    "overrides",
    [
        {"office_text": ""},
        {"asked": ""},
        {"sent_where": ""},
        {"first_on": ""},
        {"last_on": "không phải ngày"},
        {"email": "khong-phai-email"},
        {"personal_data": ""},
        {"captcha_1": "WRONG"},
        {"website": "http://spam"},
    ],
)
def test_a_report_with_a_field_missing_or_wrong_saves_nothing(client, committed, overrides):
    response = send(client, committed, **overrides)
    assert response.status_code == 400
    assert "chưa được lưu" in response.content.decode()
    assert not BuckReport.objects.exists() and not mail.outbox


def test_dates_in_the_wrong_order_or_the_future_are_refused(client, committed):
    today = timezone.localdate()
    later = (today + datetime.timedelta(days=3)).isoformat()
    assert send(client, committed, last_on=later).status_code == 400
    assert (
        send(
            client, committed, first_on=today.isoformat(), last_on=(today - datetime.timedelta(days=5)).isoformat()
        ).status_code
        == 400
    )
    assert not BuckReport.objects.exists()


def test_a_document_too_big_or_not_a_document_is_refused(client, committed):
    fake = SimpleUploadedFile("don.pdf", b"MZ\x90\x00 not a document")
    response = send(client, committed, document=fake)
    assert response.status_code == 400 and not BuckReport.objects.exists()
    big = SimpleUploadedFile("to.pdf", pdf_bytes() + b"0" * MAX_REPORT_DOCUMENT_BYTES)
    response = send(client, committed, document=big)
    assert response.status_code == 400 and "10 MB" in response.content.decode()
    assert not BuckReport.objects.exists()


@override_settings(RATE_LIMITS={"referrals-report-ip": (100, 3600), "referrals-report-email": (2, 3600)})
def test_too_many_reports_from_one_address_are_refused(client, committed):
    for _n in range(2):
        assert send(client, committed).status_code == 302
    response = send(client, committed)
    assert response.status_code == 429 and BuckReport.objects.count() == 2
    assert "chưa có gì được lưu" in response.content.decode()


def test_a_failure_while_saving_keeps_nothing_and_says_so(client, committed):
    with mock.patch.object(actions, "record", side_effect=RuntimeError("database gone")):
        with pytest.raises(RuntimeError):
            send(client, committed, document=SimpleUploadedFile("don.pdf", pdf_bytes()))
    assert not BuckReport.objects.exists() and not mail.outbox


def test_a_private_link_opens_its_own_report_only(client, committed):
    send(client, committed)
    send(client, committed, email="other@example.vn", asked="Việc riêng của người thứ hai ở phường.")
    first, second = mail.outbox[0].body, mail.outbox[1].body
    link = re.search(r"/phan-anh/([^/\s]+)/\n", first)
    assert "Việc riêng của người thứ hai" not in client.get(link.group(0).strip()).content.decode()
    token = link.group(1)
    signature_of_second = re.search(r"/xac-nhan/(\S+)/", second).group(1)
    assert client.post(f"/phan-anh/{token}/xac-nhan/{signature_of_second}/").status_code == 400
    assert client.get("/phan-anh/khong-co-that/").status_code == 404
    assert reverse("reports:form") == FORM


def test_the_author_erases_their_report_from_the_private_link(client, committed):
    send(client, committed, document=SimpleUploadedFile("don.pdf", pdf_bytes()))
    link = re.search(r"/phan-anh/([^/\s]+)/\n", mail.outbox[0].body).group(0).strip()
    assert client.get(link + "xoa-du-lieu/").status_code == 200
    client.post(link + "xoa-du-lieu/", {})  # without the tick, nothing happens
    assert BuckReport.objects.exists()
    client.post(link + "xoa-du-lieu/", {"confirm": "yes"})
    assert not BuckReport.objects.exists()  # never referred: deleted whole
    assert client.get(link).status_code == 404
