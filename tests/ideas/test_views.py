import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings

from ideas import rules
from ideas.models import Idea, Sector, Support

from .conftest import published, send

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def form_data(sector, **overrides):
    data = {"title": "Ghế đá ven hồ", "problem": "Đoạn ven hồ Trích Sài không có chỗ ngồi cho người già.",
            "proposal": "Đặt mười ghế đá có tựa lưng dưới bóng cây, cách nhau năm mươi mét.",
            "benefit": "Người già có chỗ nghỉ chân khi đi bộ.", "sector": str(sector.pk), "ward": "",
            "place": "Đường Trích Sài", "latitude": "21.0545", "longitude": "105.8232",
            "full_name": "Lê Văn Nam", "email": "nam@example.vn", "phone": "", "show_name": "on",
            "accept_rules": "on", "personal_data": "on", "website": "", "captcha_0": "x", "captcha_1": "PASSED"}
    data.update(overrides)
    return data


def test_a_resident_sends_confirms_and_follows_an_idea(client, call, sector, django_capture_on_commit_callbacks):
    form_url = call.url + "gui-y-tuong/"
    assert "Gửi ý tưởng" in client.get(form_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url, form_data(sector, attachment=SimpleUploadedFile("anh.png", PNG)))
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert (idea.title, idea.author.show_name, idea.attachment_kind) == ("Ghế đá ven hồ", True, "png")
    assert str(idea.latitude) == "21.054500"
    assert "anh" not in idea.attachment.name  # the server names the file
    sent = client.get(response.url).content.decode()
    assert "nam@example.vn" in sent
    confirm = re.search(r"/ho-so-y-tuong/\S+/xac-nhan/\S+/", mail.outbox[0].body).group(0)
    assert client.get(confirm).status_code == 200  # opening the link does not confirm
    assert Idea.objects.get().status == Idea.Status.AWAITING_CONFIRMATION
    private = client.post(confirm, follow=True)
    assert Idea.objects.get().status == Idea.Status.PENDING
    assert "Ghế đá ven hồ" in private.content.decode()
    # Once published, its file is served under the server's name, never sniffed into HTML.
    from ideas import rules

    Idea.objects.filter(pk=idea.pk).update(status=Idea.Status.PUBLISHED)
    download = client.get(f"/ho-so-y-tuong/tep/{idea.pk}/")
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "image/png"
    assert "anh" not in download["Content-Disposition"] and idea.code in download["Content-Disposition"]
    assert rules.published_ideas().filter(pk=idea.pk).exists()


def test_the_private_link_is_shown_once(client, call, sector, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(call.url + "gui-y-tuong/", form_data(sector))
    token = re.search(r"/ho-so-y-tuong/([^/]+)/", mail.outbox[0].body).group(1)
    first = client.get(response.url)
    assert f"/ho-so-y-tuong/{token}/" in first.content.decode()
    assert "no-store" in first["Cache-Control"]
    again = client.get(response.url)
    assert again.status_code == 200 and "no-store" in again["Cache-Control"]
    html = again.content.decode()
    assert token not in html and "/ho-so-y-tuong/" not in html and "nam@example.vn" not in html
    assert "chỉ hiện một lần" in html and "thư xác nhận" in html


def test_bad_input_is_refused_whole_with_reasons(client, call, sector):
    response = client.post(call.url + "gui-y-tuong/", form_data(
        sector, problem="ngắn", latitude="21.05", longitude="", email="khong-phai-email",
        attachment=SimpleUploadedFile("virus.png", b"MZ\x90\x00 not a picture")))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"problem", "longitude", "email", "attachment"} <= set(errors)
    assert not Idea.objects.exists()


def test_the_honeypot_and_a_wrong_captcha_save_nothing(client, call, sector):
    assert client.post(call.url + "gui-y-tuong/", form_data(sector, website="http://spam")).status_code == 400
    assert client.post(call.url + "gui-y-tuong/", form_data(sector, captcha_1="WRONG")).status_code == 400
    assert not Idea.objects.exists()


@override_settings(RATE_LIMITS={"ideas-submit-ip": (100, 3600), "ideas-submit-email": (2, 3600)})
def test_too_many_ideas_from_one_address_are_refused(client, call, sector):
    for _ in range(2):
        assert client.post(call.url + "gui-y-tuong/", form_data(sector)).status_code == 302
    response = client.post(call.url + "gui-y-tuong/", form_data(sector))
    assert response.status_code == 429 and Idea.objects.count() == 2


def test_unpublished_ideas_are_unreachable_by_url(client, index, call, sector):
    hidden = rules.hide(published(call, sector), reason="Không phù hợp", by=None)
    pending = send(call, sector, email="b@example.vn").idea
    rules.confirm_idea(pending)
    spam = send(call, sector, email="c@example.vn").idea
    rules.confirm_idea(spam)
    spam = rules.mark_spam(spam, by=None)
    unconfirmed = send(call, sector, email="e@example.vn").idea
    for idea in (hidden, pending, spam, unconfirmed):
        assert client.get(f"{index.url}{idea.pk}/").status_code == 404
        assert client.get(f"/ho-so-y-tuong/tep/{idea.pk}/").status_code == 404
        assert idea.title not in client.get(index.url).content.decode()
    visible = published(call, sector, email="d@example.vn", title="Ý tưởng công khai")
    assert client.get(f"{index.url}{visible.pk}/").status_code == 200


def test_the_public_page_never_shows_personal_data(client, index, call, sector):
    idea = published(call, sector, show_name=False)
    html = client.get(f"{index.url}{idea.pk}/").content.decode()
    assert "nguoidan@example.vn" not in html and "0912345678" not in html and "Nguyễn Thị Hoa" not in html
    named = published(call, sector, email="x@example.vn", show_name=True)
    assert "Nguyễn Thị Hoa" in client.get(f"{index.url}{named.pk}/").content.decode()


def test_supporting_twice_is_refused(client, index, call, sector, django_capture_on_commit_callbacks):
    idea = published(call, sector)
    url = f"{index.url}{idea.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"email": "ban@example.vn", "captcha_0": "x", "captcha_1": "PASSED"}).status_code == 302
    link = re.search(r"/ho-so-y-tuong/ung-ho/\d+/\S+/", mail.outbox[-1].body).group(0)
    assert client.get(link).status_code == 200 and Idea.objects.get().supporters == 0
    assert client.post(link).status_code == 200 and Idea.objects.get().supporters == 1
    assert client.post(link).status_code == 200 and Idea.objects.get().supporters == 1
    again = client.post(url, {"email": "BAN@example.vn", "captcha_0": "x", "captcha_1": "PASSED"})
    assert again.status_code == 409 and Support.objects.count() == 1
    assert client.post(url, {"email": "khac@example.vn", "captcha_0": "x", "captcha_1": "WRONG"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": "khac@example.vn", "captcha_0": "x", "captcha_1": "PASSED"})
    other = re.search(r"/ho-so-y-tuong/ung-ho/\d+/\S+/", mail.outbox[-1].body).group(0)
    borrowed = link.rsplit("/", 2)[0] + "/" + other.rstrip("/").rsplit("/", 1)[1] + "/"  # another support's token
    assert client.get(borrowed).status_code == 400 and client.post(borrowed).status_code == 400
    forged = link.rstrip("/").rsplit("/", 1)[0] + "/gia-mao/"
    assert client.post(forged).status_code == 400 and Idea.objects.get().supporters == 1


def test_one_click_unsubscribe(call, sector):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)  # as a mail client posts: no form, no cookie
    idea = published(call, sector)
    assert client.get(rules.unsubscribe_path(idea)).status_code == 200  # a scanner opening the link…
    idea.author.refresh_from_db()
    assert idea.author.notify is True  # …changes nothing
    assert client.post(rules.unsubscribe_path(idea), "List-Unsubscribe=One-Click",
                       content_type="application/x-www-form-urlencoded").status_code == 200
    idea.author.refresh_from_db()
    assert idea.author.notify is False
    client.post(rules.unsubscribe_path(idea), {"resume": "yes"})
    idea.author.refresh_from_db()
    assert idea.author.notify is True
    assert client.get(f"/ho-so-y-tuong/huy-nhan-thu/{idea.pk}/gia-mao/").status_code == 404


def _many(call, sector, count):
    for number in range(count):
        published(call, sector, email=f"n{number}@example.vn", title=f"Ý tưởng số {number}")


@pytest.mark.parametrize("path", ["", "?q=y+tuong&sap_xep=nhieu-ung-ho&page=2"])
def test_gallery_queries_do_not_grow_with_the_ideas(client, index, call, sector, path,
                                                    django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _many(call, sector, 14)
    client.get(index.url + path)  # warm the site and page caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(index.url + path).status_code == 200
    _many(call, sector, 30)
    Sector.objects.create(name="Y tế")
    with django_assert_max_num_queries(len(few)):
        assert client.get(index.url + path).status_code == 200


def test_idea_page_and_accountability_queries_are_bounded(client, index, call, sector, tree,
                                                          django_assert_max_num_queries):
    idea = published(call, sector)
    rules.refer(idea, unit=tree["a"], by=None)
    with django_assert_max_num_queries(20):
        assert client.get(f"{index.url}{idea.pk}/").status_code == 200
    client.get(index.url + "trach-nhiem/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(index.url + "trach-nhiem/")
    for number in range(20):
        other = published(call, sector, email=f"m{number}@example.vn")
        rules.refer(other, unit=tree["a" if number % 2 else "b"], by=None)
    with django_assert_max_num_queries(len(few)):
        html = client.get(index.url + "trach-nhiem/").content.decode()
    assert "Phòng A" in html and "Phòng B" in html
    # The chart's coordinates stay numbers an SVG reads, whatever the language's decimal mark.
    heights = re.findall(r'<rect class="acc-[a-z_]+" x="([^"]+)" y="([^"]+)" width="[^"]+" height="([^"]+)"', html)
    assert heights and all(re.fullmatch(r"\d+(\.\d+)?", value) for row in heights for value in row)


def test_the_author_downloads_and_erases_their_data(client, index, call, sector):
    pending = send(call, sector)
    data = client.get(f"/ho-so-y-tuong/{pending.access_token}/du-lieu-ca-nhan/").json()
    assert data["author"]["email"] == "nguoidan@example.vn" and len(data["consents"]) == 2
    assert client.post(f"/ho-so-y-tuong/{pending.access_token}/xoa-du-lieu/").status_code == 302  # no tick
    assert Idea.objects.filter(pk=pending.idea.pk).exists()
    client.post(f"/ho-so-y-tuong/{pending.access_token}/xoa-du-lieu/", {"confirm": "yes"})
    assert not Idea.objects.filter(pk=pending.idea.pk).exists()  # never public: deleted

    submission = send(call, sector, email="b@example.vn", show_name=True)
    rules.confirm_idea(submission.idea)
    idea = rules.publish(submission.idea, by=None)
    assert "giấu tên" in client.get(f"/ho-so-y-tuong/{submission.access_token}/xoa-du-lieu/").content.decode()
    client.post(f"/ho-so-y-tuong/{submission.access_token}/xoa-du-lieu/", {"confirm": "yes"})
    idea.refresh_from_db()
    assert (idea.author.full_name, idea.author.email, idea.author.phone, idea.author.show_name) == ("", "", "", False)
    html = client.get(f"{index.url}{idea.pk}/").content.decode()
    assert idea.title in html and "Nguyễn Thị Hoa" not in html  # still public, anonymous
