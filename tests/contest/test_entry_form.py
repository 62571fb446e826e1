import re
import zipfile
from html import unescape

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from contest.models import Entry
from tests.factories import IDENTITY, ContestPageFactory, docx_bytes, entry_form_data

pytestmark = pytest.mark.django_db

TEXT = "Hồ Tây cần một lối đi bộ liền mạch quanh hồ cho người dân và du khách."


@pytest.fixture
def contest(home):
    return ContestPageFactory(parent=home)


@pytest.fixture(autouse=True)
def ward(db):
    from tayho_site.models import Ward

    return Ward.objects.create(name="Phường Tây Hồ")


@pytest.fixture
def form_url(contest):
    return contest.url + "gui-bai/"


def test_form_page_is_vietnamese_and_accessible_without_javascript(client, form_url):
    html = client.get(form_url).content.decode()
    assert "Gửi bài dự thi" in html
    assert 'enctype="multipart/form-data"' in html
    assert '<label for="id_captcha_1">' in html


def test_valid_entry_is_saved_and_the_author_told_to_confirm(
    client, contest, form_url, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("bai viet.docx", docx_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url, entry_form_data(contest, attachment=upload))
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert entry.entrant.phone == "0912345678"
    assert entry.body == f"<p>{TEXT}</p>"
    assert entry.attachment.name.endswith(".docx")
    assert entry.attachment_name == "bai viet.docx"
    with entry.attachment.open("rb") as stored, zipfile.ZipFile(stored) as archive:
        # Judges read the file: the author Word wrote into it must not reach them.
        assert not [name for name in archive.namelist() if name.startswith("docProps/")]
        assert not [name for name in archive.namelist() if IDENTITY.encode() in archive.read(name)]
    sent = client.get(response["Location"]).content.decode()
    assert "minh@example.vn" in sent
    assert mail.outbox[0].to == ["minh@example.vn"]

    confirm = re.search(r"/bai-du-thi/\S+/xac-nhan/\S+/", mail.outbox[0].body).group(0)
    assert client.get(confirm).status_code == 200  # a mail scanner opening the link confirms nothing
    entry.refresh_from_db()
    assert entry.status == Entry.Status.AWAITING_CONFIRMATION
    with django_capture_on_commit_callbacks(execute=True):
        private = client.post(confirm)
    page = client.get(private["Location"]).content.decode()
    assert "KVTH26-0001" in page
    assert "KVTH26-0001" in mail.outbox[1].body


def test_the_private_link_is_shown_once(client, contest, form_url, django_capture_on_commit_callbacks):
    """A ward office's shared computer: the next person to open the "sent" page, or a
    reload, must not find the entry's private link there."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url, entry_form_data(contest))
    token = re.search(r"/bai-du-thi/([^/]+)/", mail.outbox[0].body).group(1)
    first = client.get(response["Location"])
    assert f"/bai-du-thi/{token}/" in first.content.decode()
    assert "no-store" in first["Cache-Control"]
    assert "chỉ hiện một lần" in first.content.decode()
    again = client.get(response["Location"])
    assert again.status_code == 200 and "no-store" in again["Cache-Control"]
    html = again.content.decode()
    assert token not in html and "/bai-du-thi/" not in html and "minh@example.vn" not in html
    assert "chỉ hiện một lần" in html and "thư xác nhận" in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"full_name": ""}, "full_name", "Xin điền mục này"),
        ({"title": "x" * 201}, "title", "nhiều nhất 200 ký tự"),
        ({"body": "Quá ngắn."}, "body", "ít nhất 5"),
        ({"body": " ".join(["chữ"] * 61)}, "body", "nhiều nhất 60"),
        ({"phone": "12345"}, "phone", "số điện thoại Việt Nam"),
        ({"email": "khong-phai-email"}, "email", "địa chỉ thư điện tử hợp lệ"),
        ({"birth_year": "2030"}, "birth_year", "năm sinh"),
        ({"captcha_1": "sai"}, "captcha", "Mã kiểm tra không đúng"),
        ({"personal_data": ""}, "personal_data", "đánh dấu vào ô này"),
        ({"ward": "999999"}, "ward", "Xin chọn một mục trong danh sách"),
        ({"accept_rules": ""}, "accept_rules", "đánh dấu vào ô này"),
        ({"website": "http://spam.example"}, "website", "tự động"),
    ],
)
def test_bad_input_is_refused_with_a_vietnamese_message_and_nothing_saved(
    client, contest, form_url, overrides, field, message
):
    response = client.post(form_url, entry_form_data(contest, **overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bài dự thi của bạn chưa được lưu" in html
    assert message in html
    assert Entry.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bai.pdf", b"MZ\x90\x00 this is a program", "tệp .docx hoặc .pdf thật"),
        ("bai.docx", b"PK\x03\x04 not really a zip", "tệp .docx hoặc .pdf thật"),
        ("anh.pdf", b"\x89PNG\r\n\x1a\n", "tệp .docx hoặc .pdf thật"),
    ],
)
def test_disguised_attachments_are_refused(client, contest, form_url, name, content, message):
    response = client.post(form_url, entry_form_data(contest, attachment=SimpleUploadedFile(name, content)))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Entry.objects.count() == 0


def test_oversize_attachment_is_refused(client, contest, form_url):
    big = SimpleUploadedFile("lon.pdf", b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024))
    response = client.post(form_url, entry_form_data(contest, attachment=big))
    assert response.status_code == 400
    assert "lớn hơn 10 MB" in response.content.decode()
    assert Entry.objects.count() == 0


def test_entry_after_the_deadline_is_refused_whatever_the_browser_shows(client, contest, form_url):
    contest.closes_at = timezone.now() - timezone.timedelta(minutes=1)
    contest.save_revision().publish()
    response = client.post(form_url, entry_form_data(contest))
    assert "không nhận bài" in response.content.decode()
    assert Entry.objects.count() == 0


def test_script_payloads_never_reach_a_page_unescaped(client, contest, form_url, django_capture_on_commit_callbacks):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    data = entry_form_data(
        contest,
        full_name=payload,
        pen_name=payload,
        address=payload,
        occupation=payload,
        title="Tiêu đề " + payload,
        body=TEXT + payload,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url, data)
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert "<script" not in entry.body and "onerror" not in entry.body
    token = re.search(r"/bai-du-thi/([^/]+)/", mail.outbox[0].body).group(1)
    for url in (f"/bai-du-thi/{token}/", f"/bai-du-thi/{token}/tai-ve/", client.get(form_url).request["PATH_INFO"]):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "onerror=alert" not in html


def test_rate_limit_per_email_refuses_and_explains(client, contest, form_url):
    for _ in range(5):
        assert client.post(form_url, entry_form_data(contest)).status_code == 302
    response = client.post(form_url, entry_form_data(contest))
    assert response.status_code == 429
    assert "Quá nhiều lượt gửi" in response.content.decode()
    assert Entry.objects.count() == 5


def test_private_link_of_one_entrant_does_not_open_another_entry(client, contest, form_url):
    client.post(form_url, entry_form_data(contest))
    assert client.get("/bai-du-thi/khong-dung-ma/").status_code == 404
    assert client.get("/bai-du-thi/khong-dung-ma/tai-ve/").status_code == 404
    assert client.post("/bai-du-thi/khong-dung-ma/rut-bai/").status_code == 404


def test_new_captcha_picture_keeps_what_was_typed(client, contest, form_url):
    response = client.post(form_url, entry_form_data(contest, new_captcha="1", title="Giữ nguyên tiêu đề"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Giữ nguyên tiêu đề"' in html
    assert "Bài dự thi của bạn chưa được lưu" not in html
    assert Entry.objects.count() == 0


@pytest.fixture
def sent(client, contest, form_url, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(form_url, entry_form_data(contest))
    token = re.search(r"/bai-du-thi/([^/]+)/", mail.outbox[0].body).group(1)
    return Entry.objects.get(), token


def test_author_edits_the_entry_through_the_private_link(client, contest, sent):
    entry, token = sent
    edit = f"/bai-du-thi/{token}/sua/"
    assert 'value="Lối đi quanh hồ"' in client.get(edit).content.decode()
    bad = client.post(edit, {"category": entry.category_id, "title": "Mới", "body": "Ngắn.", "show_as": "name"})
    assert bad.status_code == 400 and "ít nhất 5" in bad.content.decode()
    response = client.post(
        edit,
        {
            "category": entry.category_id,
            "title": "Tên đã sửa",
            "body": TEXT + " Thêm.",
            "show_as": "anonymous",
            "pen_name": "",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Tên đã sửa" and entry.entrant.show_as == "anonymous"
    assert "Thay đổi của bạn đã được lưu" in client.get(response["Location"]).content.decode()


def test_withdrawal_needs_the_confirmation_box(client, sent):
    entry, token = sent
    client.post(f"/bai-du-thi/{token}/rut-bai/")
    entry.refresh_from_db()
    assert entry.status == Entry.Status.AWAITING_CONFIRMATION
    client.post(f"/bai-du-thi/{token}/rut-bai/", {"confirm": "yes"})
    entry.refresh_from_db()
    assert entry.status == Entry.Status.WITHDRAWN


def test_author_downloads_personal_data_and_erases_it(client, sent):
    entry, token = sent
    data = client.get(f"/bai-du-thi/{token}/du-lieu-ca-nhan/")
    assert data["Content-Disposition"].startswith("attachment")
    assert data.json()["author"]["email"] == "minh@example.vn"
    page = client.get(f"/bai-du-thi/{token}/xoa-du-lieu/").content.decode()
    assert "sẽ bị xóa" in page
    client.post(f"/bai-du-thi/{token}/xoa-du-lieu/")  # no confirmation box: nothing happens
    assert Entry.objects.filter(pk=entry.pk).exists()
    done = client.post(f"/bai-du-thi/{token}/xoa-du-lieu/", {"confirm": "yes"})
    assert "đã được xóa" in done.content.decode()
    assert not Entry.objects.filter(pk=entry.pk).exists()
    assert client.get(f"/bai-du-thi/{token}/").status_code == 404


def test_plain_text_lines_become_paragraphs_and_angle_brackets_stay_text(client, contest, form_url):
    body = "Dòng một có năm chữ.\n\nDòng hai: 3 < 5 và 5 > 3 đúng."
    assert client.post(form_url, entry_form_data(contest, body=body)).status_code == 302
    assert Entry.objects.get().body == "<p>Dòng một có năm chữ.</p><p>Dòng hai: 3 &lt; 5 và 5 &gt; 3 đúng.</p>"


def test_an_unreachable_mail_server_loses_no_entry(
    client, contest, form_url, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": "tests.support.mailers.UnreachableEmailBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url, entry_form_data(contest))
    assert response.status_code == 302
    assert Entry.objects.count() == 1
    sent = client.get(response["Location"]).content.decode()
    assert "Gửi lại đường dẫn" not in sent  # the thanks page itself works
    assert "/bai-du-thi/" in sent  # and gives the private link, from which a new mail can be asked


def open_without_picture(client, form_url, data):
    """Reach the form's alternative to the picture as a visitor does: through the control
    next to the picture (a link to follow, or a button that keeps what was typed)."""
    html = client.get(form_url).content.decode()
    control = re.search(r"<(a|button)\b[^>]*>\s*Không xem được hình\?.*?</\1>", html, re.S)
    assert control, html[html.find("captcha") :][:800]
    tag = control.group(0)
    if control.group(1) == "a":
        return client.get(form_url + unescape(re.search(r'href="([^"]*)"', tag).group(1)))
    name, value = re.search(r'name="([^"]+)" value="([^"]+)"', tag).groups()
    return client.post(form_url, {**data, name: value})


def test_the_alternative_to_the_picture_gives_a_script_no_answer(client, contest, form_url):
    """Whatever stands in for the picture, the page must not hold its answer: a question in
    words is read by a script as easily as by a person."""
    from captcha.models import CaptchaStore

    seen = set(CaptchaStore.objects.values_list("pk", flat=True))
    response = open_without_picture(client, form_url, entry_form_data(contest, title="Giữ nguyên tiêu đề"))
    assert response.status_code == 200
    html = response.content.decode()
    for challenge in CaptchaStore.objects.exclude(pk__in=seen):
        assert challenge.challenge not in html and f">{challenge.response}<" not in html, challenge.challenge
    assert "captcha__image" not in html and 'name="captcha_1"' not in html
    assert "thư điện tử" in html[html.find("Không có hình") :][:300]  # it says what the check is instead
    assert 'value="Giữ nguyên tiêu đề"' in html  # what was typed is kept
    assert Entry.objects.count() == 0


def without_picture(contest, **overrides):
    data = entry_form_data(contest, captcha_mode="email", **overrides)
    del data["captcha_0"], data["captcha_1"]
    return data


def test_without_the_picture_the_emailed_link_is_the_check_under_tighter_limits(
    client, contest, form_url, settings, django_capture_on_commit_callbacks
):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "contest-submit-nopicture-ip": (3, 3600),
        "contest-submit-nopicture-email": (1, 3600),
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(form_url, without_picture(contest)).status_code == 302
    entry = Entry.objects.get()
    assert entry.status == Entry.Status.AWAITING_CONFIRMATION  # held until its author opens the link
    assert mail.outbox[-1].to == ["minh@example.vn"] and "/xac-nhan/" in mail.outbox[-1].body
    assert client.post(form_url, without_picture(contest)).status_code == 429  # that address, again
    # Mistakes cost nothing (nothing saved, no mail): only what would be sent is counted.
    assert client.post(form_url, without_picture(contest, email="sai")).status_code == 400
    assert client.post(form_url, without_picture(contest, email="b@example.vn")).status_code == 302
    refused = client.post(form_url, without_picture(contest, email="c@example.vn"))  # that connection, a fourth time
    assert refused.status_code == 429 and "chưa có gì được lưu" in refused.content.decode()
    assert Entry.objects.count() == 2
    # The picture keeps its own, wider limits; leaving out both the picture and the choice is refused.
    assert client.post(form_url, entry_form_data(contest, email="d@example.vn")).status_code == 302
    unchecked = entry_form_data(contest, email="e@example.vn")
    del unchecked["captcha_0"], unchecked["captcha_1"]
    assert client.post(form_url, unchecked).status_code == 400
    assert Entry.objects.count() == 3


def test_contest_pages_stay_within_the_query_budget(client, contest, form_url, django_assert_max_num_queries):
    for url in (contest.url, form_url, contest.get_parent().url):
        client.get(url)
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200


def test_contest_page_shows_state_countdown_and_rules(client, contest):
    html = client.get(contest.url).content.decode()
    assert "Đang nhận bài" in html
    assert "để gửi bài" in html  # the time left
    assert "Từ 5 đến 60 chữ." in html


def test_a_database_failure_mid_submission_saves_nothing_and_asks_to_try_again(client, contest, form_url, monkeypatch):
    """The connection drops after the entry and its author were written, before the
    consents: the transaction rolls back whole and the entrant reads a 503 telling them
    to send again."""
    from django.db import OperationalError

    from contest.actions import entries

    class LostConnection:
        Kind = entries.EntryConsent.Kind

        def __init__(self, **fields):
            pass

        class objects:  # noqa: N801 - stands in for the manager
            @staticmethod
            def bulk_create(*args, **kwargs):
                raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(entries, "EntryConsent", LostConnection)
    client.raise_request_exception = False
    response = client.post(form_url, entry_form_data(contest))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Hệ thống đang bận trong giây lát" in html and "gửi lại" in html
    assert not Entry.objects.exists()
    from contest.models import Entrant

    assert not Entrant.objects.exists()
