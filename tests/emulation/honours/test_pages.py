import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from emulation.honours import actions
from emulation.honours.models import Nomination
from emulation.models import Person
from tests.factories import approve, nominate, pdf_bytes

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def publish(people, person, category, **extra):
    return actions.publish(approve(nominate(people, person, category, **extra), people), by=people["organiser"])


def test_a_unit_officer_nominates_through_the_form_with_evidence(client, people, hero, category):
    client.force_login(people["a"])
    pdf = SimpleUploadedFile("thanh-tich.pdf", pdf_bytes())
    response = client.post(
        reverse("honours:nominate"),
        {
            "person": hero.pk,
            "category": category.pk,
            "year": YEAR,
            "achievements": "Dòng một\nDòng hai",
            "show_position": "on",
            "evidence": pdf,
        },
    )
    nomination = Nomination.objects.get()
    assert response.status_code == 302 and nomination.achievements == "<p>Dòng một</p><p>Dòng hai</p>"
    evidence = nomination.evidence.get()
    assert evidence.name == "thanh-tich.pdf" and "thanh-tich" not in evidence.file.name
    assert client.get(reverse("honours:evidence", args=[nomination.pk, evidence.pk])).status_code == 200
    bad = client.post(
        reverse("honours:nominate"),
        {
            "category": category.pk,
            "year": "abc",
            "achievements": "",
            "evidence": SimpleUploadedFile("x.pdf", b"MZ not a pdf"),
        },
    )
    assert bad.status_code == 400 and Nomination.objects.count() == 1
    assert {"person", "year", "achievements", "evidence"} <= set(bad.context["form"].errors)


def test_another_unit_cannot_reach_a_nomination_or_its_evidence(client, people, hero, category):
    nomination = nominate(people, hero, category)
    client.force_login(people["b"])
    assert client.get(reverse("honours:nomination", args=[nomination.pk])).status_code == 404
    assert client.post(reverse("honours:nomination", args=[nomination.pk]), {"action": "open"}).status_code == 404
    assert client.get(reverse("honours:nominate")).status_code == 200  # for their own unit
    assert hero.full_name not in client.get(reverse("honours:list")).content.decode()


def test_only_council_members_vote_and_organisers_decide_through_the_page(client, people, hero, category):
    nomination = nominate(people, hero, category)
    url = reverse("honours:nomination", args=[nomination.pk])
    client.force_login(people["a"])
    assert client.post(url, {"action": "open"}).status_code == 403
    client.force_login(people["organiser"])
    client.post(url, {"action": "open", "secret": "yes"})
    client.force_login(people["council"][0])
    assert client.post(url, {"action": "decide", "decide-decision_number": "1"}).status_code == 403
    client.post(url, {"action": "vote", "vote-choice": "approve"})
    client.post(url, {"action": "vote", "vote-choice": "reject"})  # a second vote is refused
    nomination.refresh_from_db()
    assert nomination.voters.count() == 1 and (nomination.secret_approve, nomination.secret_reject) == (1, 0)
    page = client.get(url).content.decode()
    assert "1 thành viên đã bỏ phiếu" in page and "Đồng ý 1" not in page  # no running count in secret
    client.force_login(people["a"])
    assert client.post(url, {"action": "vote", "vote-choice": "approve"}).status_code == 403
    assert nomination.voters.count() == 1


def test_unpublished_nominations_are_unreachable_on_the_board(client, people, hero, category, board):
    approve(nominate(people, hero, category), people)  # approved, not yet published
    assert client.get(f"{board.url}p{hero.pk}/").status_code == 404
    assert hero.full_name not in client.get(board.url).content.decode()
    assert client.get(board.url + "api/").json()["count"] == 0


def test_the_board_person_page_feed_and_json_show_only_what_may_be_published(client, people, hero, category, board):
    honour = publish(people, hero, category, show_position=True)
    html = client.get(board.url + "?q=nguyen+van+duc").content.decode()
    assert "Nguyễn Văn Đức" in html and "duc@tayho.vn" not in html
    person = client.get(f"{board.url}{honour.profile_key}/").content.decode()
    assert 'property="og:title"' in person and "Trưởng phòng" in person and "duc@tayho.vn" not in person
    feed = client.get(board.url + "feed/")
    assert feed["Content-Type"].startswith("application/atom+xml") and "Nguyễn Văn Đức" in feed.content.decode()
    data = client.get(board.url + "api/").json()
    assert data["count"] == 1 and data["results"][0]["name"] == "Nguyễn Văn Đức"
    assert "duc@tayho.vn" not in str(data) and honour.code in data["results"][0]["verify_url"]


def test_verification_certificate_and_revocation(client, people, hero, category, board):
    honour = publish(people, hero, category)
    verify = f"{board.url}xac-minh/{honour.code}/"
    assert client.get(verify).status_code == 200
    certificate = client.get(f"{board.url}chung-nhan/{honour.code}/").content.decode()
    assert "<svg" in certificate and verify in certificate
    pdf = client.get(f"{board.url}chung-nhan/{honour.code}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    actions.revoke(honour, by=people["organiser"], reason="Kê khai không trung thực")
    page = client.get(verify).content.decode()
    assert "Đã bị thu hồi" in page and "Kê khai không trung thực" not in page  # the reason stays in the record
    assert client.get(f"{board.url}chung-nhan/{honour.code}/").status_code == 410
    assert client.get(f"{board.url}chung-nhan/{honour.code}/pdf/").status_code == 404
    assert client.get(f"{board.url}xac-minh/khong-co/").status_code == 404


def test_cached_board_is_purged_when_an_honour_is_published_or_revoked(client, people, hero, category, board):
    first = client.get(board.url)
    assert first.status_code == 200 and "Nguyễn Văn Đức" not in first.content.decode()
    assert client.get(board.url)["X-Cache"] == "hit"
    assert client.get(board.url + "?ngau-nhien=1").has_header("X-Cache") is not False  # same page, same entry
    honour = publish(people, hero, category)
    fresh = client.get(board.url)
    assert "Nguyễn Văn Đức" in fresh.content.decode() and not fresh.has_header("X-Cache")
    actions.revoke(honour, by=people["organiser"], reason="Vi phạm kỷ luật")
    assert "Nguyễn Văn Đức" not in client.get(board.url).content.decode()


@pytest.mark.parametrize("query", ["", "?q=nguyen&nam=" + str(YEAR) + "&page=1"])
def test_board_queries_do_not_grow_with_the_honours(
    client, people, hero, category, board, tree, query, django_assert_max_num_queries
):
    from django.core.cache import cache

    publish(people, hero, category)
    client.get(board.url + query)
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        client.get(board.url + query)
    for number in range(12):
        person = Person.objects.create(full_name=f"Nguyễn Văn Số {number}", unit=tree["a"])
        publish(people, person, category)
    cache.clear()
    with django_assert_max_num_queries(len(few)):
        html = client.get(board.url + query).content.decode()
    assert len(re.findall(r'class="honour-card"', html)) == 13


def test_a_person_page_lists_every_honour_across_the_years(client, people, hero, category, board):
    publish(people, hero, category, year=YEAR - 2)
    honour = publish(people, hero, category)
    html = client.get(f"{board.url}{honour.profile_key}/").content.decode()
    assert f"· {YEAR - 2}" in html and f"· {YEAR}" in html
    assert timezone.localdate().strftime("%d/%m/%Y") in html  # the decision's date


def test_photos_appear_only_with_consent_as_responsive_renditions(client, people, hero, category, board, tree):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    hero.photo = Image.objects.create(title="Ảnh", file=get_test_image_file(size=(600, 800)))
    hero.save()
    shy = Person.objects.create(full_name="Trần Văn Kín", unit=tree["a"], photo=hero.photo)
    publish(people, hero, category, show_photo=True)
    publish(people, shy, category, show_photo=False)
    html = client.get(board.url).content.decode()
    cards = html.split('class="honour-card"')
    with_photo = next(card for card in cards if "Nguyễn Văn Đức" in card)
    without = next(card for card in cards if "Trần Văn Kín" in card)
    assert "srcset=" in with_photo and " 2x" not in with_photo and "320w" in with_photo
    assert "<img" not in without


def test_the_home_page_shows_the_newest_honours(client, people, hero, category, board, home):
    home.body = [("recent_honours", {"heading": "Vinh danh", "board": board, "count": 2})]
    home.save_revision().publish()
    assert "Vinh danh" not in client.get(home.url).content.decode()  # nothing published yet: no empty section
    publish(people, hero, category, year=YEAR - 1)
    newest = publish(people, Person.objects.create(full_name="Lê Mới Nhất", unit=hero.unit), category)
    html = client.get(home.url).content.decode()
    assert "Vinh danh" in html and newest.name in html and f"{board.url}{newest.profile_key}/" in html


def test_the_admin_lists_nominations_and_honours_but_never_edits_them(client, people, hero, category):
    from django.contrib.auth import get_user_model

    honour = publish(people, hero, category)
    client.force_login(get_user_model().objects.create_superuser("quantri", password="mat-khau-dai-123"))
    assert "Nguyễn Văn Đức" in client.get("/admin/nomination-records/").content.decode()
    assert client.get("/admin/honour-records/").status_code == 200
    for url in (f"/admin/nomination-records/edit/{honour.nomination_id}/", f"/admin/honour-records/edit/{honour.pk}/"):
        response = client.post(url, {"category": category.pk, "citation": "Sửa lén"})
        assert response.status_code in (302, 403)
    honour.refresh_from_db()
    assert honour.citation != "Sửa lén"


def _inspected(client, nomination):
    """The inspect page's fields as {label: value}."""
    html = client.get(f"/admin/nomination-records/inspect/{nomination.pk}/").content.decode()
    pairs = re.findall(r"<dt>\s*(.*?)\s*</dt>\s*<dd>\s*(.*?)\s*</dd>", html, re.S)
    return {label: re.sub(r"\s+", " ", value) for label, value in pairs}


SECRET_LABELS = ("Số phiếu kín tán thành", "Số phiếu kín không tán thành", "Số phiếu kín không biểu quyết")


def test_the_admin_shows_a_secret_ballots_counts_only_once_the_decision_is_recorded(client, people, hero, category):
    from django.contrib.auth import get_user_model

    nomination = nominate(people, hero, category)
    actions.open_voting(nomination, by=people["organiser"], secret=True)
    superuser = get_user_model().objects.create_superuser("quantri", password="mat-khau-dai-123")
    for index, choice in enumerate(["approve", "approve", "reject"]):
        actions.vote(nomination, member=people["council"][index], choice=choice)
        for user in (people["organiser"], superuser):
            client.force_login(user)
            fields = _inspected(client, nomination)
            assert fields["Bỏ phiếu kín"] == "Có" and fields["Số thành viên hội đồng"] == "5"
            assert fields["Năm"] == str(nomination.year)  # a year, not "2.026"
            assert all(fields[label] == "Giữ kín đến khi ghi quyết định của Hội đồng" for label in SECRET_LABELS)
    listing = client.get("/admin/nomination-records/?ordering=-secret_approve").content.decode()
    assert "Nguyễn Văn Đức" in listing and "Số phiếu kín" not in listing
    actions.decide(nomination, by=people["organiser"], number="12/QĐ", date=timezone.localdate(), signer="Chủ tịch")
    fields = _inspected(client, nomination)
    assert [fields[label] for label in SECRET_LABELS] == ["2", "1", "0"]  # decided: shown as before


def test_an_open_ballots_counts_are_not_hidden_in_the_admin(client, people, hero, category):
    nomination = nominate(people, hero, category)
    actions.open_voting(nomination, by=people["organiser"], secret=False)
    actions.vote(nomination, member=people["council"][0], choice="approve")
    client.force_login(people["organiser"])
    fields = _inspected(client, nomination)
    assert fields["Bỏ phiếu kín"] == "Không" and [fields[label] for label in SECRET_LABELS] == ["0", "0", "0"]


def test_nothing_staff_can_read_during_a_secret_ballot_depends_on_how_a_member_voted(
    people, hero, category, board, caplog
):
    """The same vote cast three ways, each rolled back: every page, listing, export, feed,
    audit entry and log line that an organiser, a superuser, another member or the public
    can read afterwards is the same, to the byte (at a frozen instant)."""
    import logging

    import time_machine
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.test import Client

    from tayho_site.models import AuditEntry
    from tests.support.clients import StaffClient

    nomination = nominate(people, hero, category)
    actions.open_voting(nomination, by=people["organiser"], secret=True)
    actions.vote(nomination, member=people["council"][1], choice="reject")  # someone voted before
    readers = {
        "organiser": people["organiser"],
        "member": people["council"][2],
        "voter": people["council"][0],
        "superuser": get_user_model().objects.create_superuser("quantri", password="mat-khau-dai-123"),
    }
    clients = {}
    for name, user in readers.items():
        clients[name] = StaffClient()
        clients[name].force_login(user)
    anonymous = Client()
    pages = {
        "organiser": [
            "/admin/nomination-records/",
            f"/admin/nomination-records/inspect/{nomination.pk}/",
            "/admin/nomination-records/?ordering=-secret_approve",
            "/admin/nomination-records/?export=csv",
            "/admin/audit-log/",
            "/admin/audit-log/?action=honours.vote",
            reverse("honours:list"),
            reverse("honours:nomination", args=[nomination.pk]),
        ],
        "member": [reverse("honours:list"), reverse("honours:nomination", args=[nomination.pk])],
        "voter": [reverse("honours:nomination", args=[nomination.pk])],
    }
    pages["superuser"] = pages["organiser"] + ["/admin/reports/site-history/"]
    public = [board.url, board.url + "api/", board.url + "feed/"]
    frozen = timezone.now()

    def read(client, url):
        response = client.get(url)  # a fresh CSRF token in each page is no news
        return response.status_code, re.sub(r"\b[A-Za-z0-9]{64}\b", "csrf", b"".join(response).decode())

    def seen_after(choice):
        caplog.clear()
        with transaction.atomic(), time_machine.travel(frozen, tick=False):
            with caplog.at_level(logging.DEBUG):
                response = clients["voter"].post(
                    reverse("honours:nomination", args=[nomination.pk]), {"action": "vote", "vote-choice": choice}
                )
            assert response.status_code == 302
            seen = {(name, url): read(clients[name], url) for name, urls in pages.items() for url in urls}
            seen.update({("public", url): read(anonymous, url) for url in public})
            seen["audit"] = list(
                AuditEntry.objects.for_object(nomination).values_list(
                    "at", "actor_id", "actor_label", "action", "target_label", "summary", "data"
                )
            )
            seen["log"] = [(record.name, record.levelno, record.getMessage()) for record in caplog.records]
            transaction.set_rollback(True)
        return seen

    approve, reject, abstain = seen_after("approve"), seen_after("reject"), seen_after("abstain")
    assert {value[0] for key, value in approve.items() if isinstance(key, tuple)} == {200}
    assert [entry[3] for entry in approve["audit"]] == ["honours.vote"] * 2 + ["honours.voting", "honours.nominate"]
    assert "Bạn đã bỏ phiếu" in approve[("voter", pages["voter"][0])][1]
    assert "2 thành viên đã bỏ phiếu" in approve[("organiser", reverse("honours:nomination", args=[nomination.pk]))][1]
    for key in approve:
        assert approve[key] == reject[key] == abstain[key], key


def test_the_list_opens_on_the_ballots_a_member_has_not_voted_on(client, people, hero, category):
    from emulation.honours.models import Vote

    nomination = nominate(people, hero, category)
    client.force_login(people["organiser"])
    html = client.get(reverse("honours:list")).content.decode()
    assert f"Đưa ra Hội đồng bỏ phiếu: {hero.full_name}" in html
    actions.open_voting(nomination, by=people["organiser"], secret=True)
    member_ = people["council"][0]
    client.force_login(member_)
    html = client.get(reverse("honours:list")).content.decode()
    start = html.index("Việc của bạn")
    assert f"Bỏ phiếu: {hero.full_name}" in html[start:]
    assert reverse("honours:nomination", args=[nomination.pk]) in html[start:]
    actions.vote(nomination, member=member_, choice=Vote.Choice.APPROVE)
    html = client.get(reverse("honours:list")).content.decode()
    assert f"Bỏ phiếu: {hero.full_name}" not in html and "Không có việc nào đang chờ bạn." in html
