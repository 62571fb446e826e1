import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings

from ideas import queries
from ideas.actions import authors, moderation, referring
from ideas.models import Idea, Sector, Support
from tests.factories import IDENTITY, jpeg_bytes, png_bytes, published_idea, send_idea

pytestmark = pytest.mark.django_db
PNG = png_bytes()


def form_data(sector, **overrides):
    data = {
        "title": "Ghế đá ven hồ",
        "problem": "Đoạn ven hồ Trích Sài không có chỗ ngồi cho người già.",
        "proposal": "Đặt mười ghế đá có tựa lưng dưới bóng cây, cách nhau năm mươi mét.",
        "benefit": "Người già có chỗ nghỉ chân khi đi bộ.",
        "sector": str(sector.pk),
        "ward": "",
        "place": "Đường Trích Sài",
        "latitude": "21.0545",
        "longitude": "105.8232",
        "full_name": "Lê Văn Nam",
        "email": "nam@example.vn",
        "phone": "",
        "show_name": "on",
        "accept_rules": "on",
        "personal_data": "on",
        "website": "",
        "captcha_0": "x",
        "captcha_1": "PASSED",
    }
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

    Idea.objects.filter(pk=idea.pk).update(status=Idea.Status.PUBLISHED)
    download = client.get(f"/ho-so-y-tuong/tep/{idea.pk}/")
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "image/png"
    assert "anh" not in download["Content-Disposition"] and idea.code in download["Content-Disposition"]
    assert queries.published_ideas().filter(pk=idea.pk).exists()


def test_a_photo_sent_with_an_idea_is_stored_without_what_names_or_locates_its_sender(client, call, sector):
    photo = jpeg_bytes(size=(64, 48))
    assert IDENTITY.encode() in photo
    response = client.post(
        call.url + "gui-y-tuong/", form_data(sector, attachment=SimpleUploadedFile("IMG_2031.jpg", photo))
    )
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert idea.attachment_kind == "jpeg" and idea.attachment.name.endswith(".jpg")
    with idea.attachment.open("rb") as stored:
        data = stored.read()
    assert IDENTITY.encode() not in data and b"Exif" not in data and b"xmpmeta" not in data
    from PIL import Image

    with Image.open(idea.attachment.path) as picture:
        assert not picture.getexif() and picture.size == (48, 64)  # turned upright


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
    response = client.post(
        call.url + "gui-y-tuong/",
        form_data(
            sector,
            problem="ngắn",
            latitude="21.05",
            longitude="",
            email="khong-phai-email",
            attachment=SimpleUploadedFile("virus.png", b"MZ\x90\x00 not a picture"),
        ),
    )
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
    hidden = moderation.hide(published_idea(call, sector), reason="Không phù hợp", by=None)
    pending = send_idea(call, sector, email="b@example.vn").idea
    authors.confirm_idea(pending)
    spam = send_idea(call, sector, email="c@example.vn").idea
    authors.confirm_idea(spam)
    spam = moderation.mark_spam(spam, by=None)
    unconfirmed = send_idea(call, sector, email="e@example.vn").idea
    for idea in (hidden, pending, spam, unconfirmed):
        assert client.get(f"{index.url}{idea.pk}/").status_code == 404
        assert client.get(f"/ho-so-y-tuong/tep/{idea.pk}/").status_code == 404
        assert idea.title not in client.get(index.url).content.decode()
    visible = published_idea(call, sector, email="d@example.vn", title="Ý tưởng công khai")
    assert client.get(f"{index.url}{visible.pk}/").status_code == 200


def test_the_public_page_never_shows_personal_data(client, index, call, sector):
    idea = published_idea(call, sector, show_name=False)
    html = client.get(f"{index.url}{idea.pk}/").content.decode()
    assert "nguoidan@example.vn" not in html and "0912345678" not in html and "Nguyễn Thị Hoa" not in html
    named = published_idea(call, sector, email="x@example.vn", show_name=True)
    assert "Nguyễn Thị Hoa" in client.get(f"{index.url}{named.pk}/").content.decode()


def _support(client, url, email, committed, **extra):
    with committed():
        return client.post(url, {"email": email, "captcha_0": "x", "captcha_1": "PASSED", **extra})


def _messages(page):
    return [str(message) for message in page.context["messages"]]


def test_supporting_twice_answers_exactly_like_the_first_time(client, index, call, sector, committed):
    """Whether an address already supports an idea is told to that address only: the page
    answers a second support as it answered the first, and the e-mail says the rest."""
    idea = published_idea(call, sector)
    url = f"{index.url}{idea.pk}/"
    first = _support(client, url, "ban@example.vn", committed)
    first_page = client.get(first["Location"])
    link = re.search(r"/ho-so-y-tuong/ung-ho/\d+/\S+/", mail.outbox[-1].body).group(0)
    assert client.get(link).status_code == 200 and Idea.objects.get().supporters == 0
    assert client.post(link).status_code == 200 and Idea.objects.get().supporters == 1
    assert client.post(link).status_code == 200 and Idea.objects.get().supporters == 1

    again = _support(client, url, "ban@example.vn", committed)
    again_page = client.get(again["Location"])
    assert (again.status_code, again["Location"]) == (first.status_code, first["Location"]) == (302, url)
    assert _messages(again_page) == _messages(first_page) and len(_messages(first_page)) == 1
    assert again_page.status_code == first_page.status_code == 200
    assert Support.objects.count() == 1 and Idea.objects.get().supporters == 1
    told = mail.outbox[-1]
    assert told.to == ["ban@example.vn"]
    assert "Bạn đã ủng hộ ý tưởng này" in told.body and "/ung-ho/" not in told.body

    assert client.post(url, {"email": "khac@example.vn", "captcha_0": "x", "captcha_1": "WRONG"}).status_code == 400
    _support(client, url, "khac@example.vn", committed)
    other = re.search(r"/ho-so-y-tuong/ung-ho/\d+/\S+/", mail.outbox[-1].body).group(0)
    borrowed = link.rsplit("/", 2)[0] + "/" + other.rstrip("/").rsplit("/", 1)[1] + "/"  # another support's token
    assert client.get(borrowed).status_code == 400 and client.post(borrowed).status_code == 400
    forged = link.rstrip("/").rsplit("/", 1)[0] + "/gia-mao/"
    assert client.post(forged).status_code == 400 and Idea.objects.get().supporters == 1


def test_supporting_without_the_picture_waits_for_the_emailed_link(client, index, call, sector, committed):
    """People who cannot see the picture support an idea too: the support form offers the
    same alternative as the other public forms, and the support counts once confirmed."""
    idea = published_idea(call, sector)
    url = f"{index.url}{idea.pk}/"
    assert "Không xem được hình?" in client.get(url).content.decode()
    switched = client.post(url, {"email": "mu@example.vn", "captcha_switch": "email"})
    html = switched.content.decode()
    assert switched.status_code == 200 and "captcha__image" not in html and 'value="mu@example.vn"' in html
    assert not Support.objects.exists()  # switching sends nothing
    response = _support(client, url, "mu@example.vn", committed, captcha_mode="email", captcha_0="", captcha_1="")
    assert response.status_code == 302 and Idea.objects.get().supporters == 0
    link = re.search(r"/ho-so-y-tuong/ung-ho/\d+/\S+/", mail.outbox[-1].body).group(0)
    assert client.post(link).status_code == 200 and Idea.objects.get().supporters == 1


def test_an_idea_sent_without_the_picture_waits_for_its_author(client, call, sector):
    data = form_data(sector, captcha_mode="email")
    del data["captcha_0"], data["captcha_1"]
    assert client.post(call.url + "gui-y-tuong/", data).status_code == 302
    assert Idea.objects.get().status == Idea.Status.AWAITING_CONFIRMATION


def test_one_click_unsubscribe(call, sector):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)  # as a mail client posts: no form, no cookie
    idea = published_idea(call, sector)
    assert client.get(authors.unsubscribe_path(idea)).status_code == 200  # a scanner opening the link…
    idea.author.refresh_from_db()
    assert idea.author.notify is True  # …changes nothing
    assert (
        client.post(
            authors.unsubscribe_path(idea),
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        ).status_code
        == 200
    )
    idea.author.refresh_from_db()
    assert idea.author.notify is False
    client.post(authors.unsubscribe_path(idea), {"resume": "yes"})
    idea.author.refresh_from_db()
    assert idea.author.notify is True
    assert client.get(f"/ho-so-y-tuong/huy-nhan-thu/{idea.pk}/gia-mao/").status_code == 404


def _many(call, sector, count):
    for number in range(count):
        published_idea(call, sector, email=f"n{number}@example.vn", title=f"Ý tưởng số {number}")


@pytest.mark.parametrize("path", ["", "?q=y+tuong&sap_xep=nhieu-ung-ho&page=2"])
def test_gallery_queries_do_not_grow_with_the_ideas(client, index, call, sector, path, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _many(call, sector, 14)
    client.get(index.url + path)  # warm the site and page caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(index.url + path).status_code == 200
    budget = len(few)  # now: the connection keeps only its latest queries
    _many(call, sector, 30)
    Sector.objects.create(name="Y tế")
    client.get(index.url + path)  # a new sector changes the page tree: what it holds is read once again
    with django_assert_max_num_queries(budget):
        assert client.get(index.url + path).status_code == 200


def test_idea_page_and_accountability_queries_are_bounded(
    client, index, call, sector, tree, django_assert_max_num_queries
):
    idea = published_idea(call, sector)
    referring.refer(idea, unit=tree["a"], by=None)
    with django_assert_max_num_queries(20):
        assert client.get(f"{index.url}{idea.pk}/").status_code == 200
    client.get(index.url + "trach-nhiem/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(index.url + "trach-nhiem/")
    for number in range(20):
        other = published_idea(call, sector, email=f"m{number}@example.vn")
        referring.refer(other, unit=tree["a" if number % 2 else "b"], by=None)
    with django_assert_max_num_queries(len(few)):
        html = client.get(index.url + "trach-nhiem/").content.decode()
    assert "Phòng A" in html and "Phòng B" in html
    # The chart's coordinates stay numbers an SVG reads, whatever the language's decimal mark.
    heights = re.findall(r'<rect class="acc-[a-z_]+" x="([^"]+)" y="([^"]+)" width="[^"]+" height="([^"]+)"', html)
    assert heights and all(re.fullmatch(r"\d+(\.\d+)?", value) for row in heights for value in row)


def test_accountability_chart_names_each_unit_with_its_numbers(client, index, call, sector, tree):
    for number in range(3):
        idea = published_idea(call, sector, email=f"n{number}@example.vn")
        referring.refer(idea, unit=tree["a" if number else "b"], by=None)
    html = client.get(index.url + "trach-nhiem/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    chart = html[html.index('class="bar-chart"') : html.index("</figure>")]
    rows = re.findall(r'bar-chart__name">([^<]+)<.*?bar-chart__values">(.*?)</span>\s*</li>', chart, re.S)
    named = {name: re.sub(r"<[^>]+>", "", values).strip() for name, values in rows}
    assert named == {"Phòng A": "Đang chờ, chưa đến hạn: 2", "Phòng B": "Đang chờ, chưa đến hạn: 1"}
    # Every colour in the bars has its entry in the legend.
    legend = set(re.findall(r'chart-legend__swatch (acc-[a-z_]+)"', chart.split("bar-chart__rows")[0]))
    assert set(re.findall(r'<rect class="(acc-[a-z_]+)"', chart)) <= legend


def test_the_author_downloads_and_erases_their_data(client, index, call, sector):
    pending = send_idea(call, sector)
    data = client.get(f"/ho-so-y-tuong/{pending.access_token}/du-lieu-ca-nhan/").json()
    assert data["author"]["email"] == "nguoidan@example.vn" and len(data["consents"]) == 2
    assert client.post(f"/ho-so-y-tuong/{pending.access_token}/xoa-du-lieu/").status_code == 302  # no tick
    assert Idea.objects.filter(pk=pending.idea.pk).exists()
    client.post(f"/ho-so-y-tuong/{pending.access_token}/xoa-du-lieu/", {"confirm": "yes"})
    assert not Idea.objects.filter(pk=pending.idea.pk).exists()  # never public: deleted

    submission = send_idea(call, sector, email="b@example.vn", show_name=True)
    authors.confirm_idea(submission.idea)
    idea = moderation.publish(submission.idea, by=None)
    assert "giấu tên" in client.get(f"/ho-so-y-tuong/{submission.access_token}/xoa-du-lieu/").content.decode()
    client.post(f"/ho-so-y-tuong/{submission.access_token}/xoa-du-lieu/", {"confirm": "yes"})
    idea.refresh_from_db()
    assert (idea.author.full_name, idea.author.email, idea.author.phone, idea.author.show_name) == ("", "", "", False)
    html = client.get(f"{index.url}{idea.pk}/").content.decode()
    assert idea.title in html and "Nguyễn Thị Hoa" not in html  # still public, anonymous
