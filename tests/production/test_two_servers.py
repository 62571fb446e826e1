"""What must hold when the site runs on more than one app server: sessions, rate limits,
captchas and fresh pages are shared through PostgreSQL and Redis, not kept in a process."""

import io
import re

import pytest
from captcha.models import CaptchaStore
from django.contrib.auth.models import User
from django.core.management import call_command

from tests.markers import transactional_db
from tests.support.twofactor import authenticator_code

pytestmark = [transactional_db, pytest.mark.postgres]


@pytest.fixture
def demo_site(servers, shared_cache):
    call_command("load_demo", "--no-admin", stdout=io.StringIO())
    return servers


def sign_in(browser, server, username, password):
    """The password, then the second step: an administrator's first sign-in pairs an app."""
    page = browser.get(server, "/dang-nhap/")
    response = browser.post(
        server,
        "/dang-nhap/",
        {"csrfmiddlewaretoken": browser.form_token(page.text), "username": username, "password": password},
    )
    assert response.status_code == 302, response.text[:500]
    pairing = browser.get(server, "/tai-khoan/hai-buoc/")
    key = re.search(r'class="two-factor__key">([^<]+)<', pairing.text).group(1)
    done = browser.post(
        server,
        "/tai-khoan/hai-buoc/",
        {"csrfmiddlewaretoken": browser.form_token(pairing.text), "token": authenticator_code(key)},
    )
    assert done.status_code == 200 and "two-factor__codes" in done.text, done.text[:500]


def _entry_form(browser, server, contest_url):
    page = browser.get(server, contest_url + "gui-bai/")
    assert page.status_code == 200
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', page.text).group(1)
    return browser.form_token(page.text), key


def test_captcha_and_rate_limits_are_shared_between_servers(demo_site, browser):
    """The form and its picture come from one server, the answer goes to the other; the
    per-address limit (5 an hour) counts the entries sent to both."""
    from contest.models import ContestPage, Entry
    from tayho_site.models import Ward

    one, two = demo_site
    contest = ContestPage.objects.live().first()
    ward, category = Ward.objects.first(), contest.categories.first()
    statuses = []
    for number in range(6):
        shown_on, sent_to = (one, two) if number % 2 == 0 else (two, one)
        token, key = _entry_form(browser, shown_on, contest.url)
        answer = CaptchaStore.objects.get(hashkey=key).response
        response = browser.post(
            sent_to,
            contest.url + "gui-bai/",
            {
                "csrfmiddlewaretoken": token,
                "ward": ward.pk,
                "full_name": "Trần Văn Minh",
                "pen_name": "",
                "birth_year": "1985",
                "phone": "0912345678",
                "email": "minh@example.vn",
                "address": "Tây Hồ",
                "occupation": "",
                "show_as": "name",
                "category": category.pk,
                "title": f"Bài số {number}",
                "body": " ".join(["Hồ Tây cần một lối đi bộ liền mạch quanh hồ."] * (contest.min_words // 5 + 10)),
                "accept_rules": "on",
                "original_work": "on",
                "personal_data": "on",
                "website": "",
                "captcha_0": key,
                "captcha_1": answer,
            },
        )
        statuses.append(response.status_code)
        assert response.status_code != 400, re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]+)', response.text)
    assert statuses == [302] * 5 + [429]
    assert Entry.objects.filter(entrant__email="minh@example.vn").count() == 5

    # A wrong answer to a picture made by the other server is refused, and saves nothing.
    token, key = _entry_form(browser, one, contest.url)
    response = browser.post(
        two,
        contest.url + "gui-bai/",
        {"csrfmiddlewaretoken": token, "captcha_0": key, "captcha_1": "sai", "email": "khac@example.vn"},
    )
    assert response.status_code == 400
    assert Entry.objects.count() == 5


def within_the_second(fetch, shows_the_change):
    """The first answer that shows the change, asked every 0.1 s; fails if none does
    within a few times the second the servers may trust an old version."""
    import time

    for _ in range(50):
        response = fetch()
        if shows_the_change(response):
            return response
        time.sleep(0.1)
    raise AssertionError("the other server still served the page as it was before the change")


def test_a_session_and_a_change_made_on_one_server_hold_on_the_other(demo_site, browser):
    """An organiser signs in on one server and is signed in on the other; what they hide
    or publish on one is what visitors of the other see within PAGE_CACHE_VERSION_SECONDS
    (1 s: each server process trusts the version it read for that long), though pages are
    cached."""
    from ideas import queries
    from ideas.models import IdeaIndexPage

    one, two = demo_site
    gallery = IdeaIndexPage.objects.get().url
    idea = queries.published_ideas().first()
    visitor = type(browser)()
    assert idea.title in visitor.get(two, gallery).text
    assert visitor.get(two, gallery).headers["X-Cache"] == "hit"

    User.objects.create_superuser("bto", "bto@example.vn", "mat-khau-dai-12")
    sign_in(browser, one, "bto", "mat-khau-dai-12")
    dashboard = browser.get(two, "/admin/")
    assert dashboard.status_code == 200 and "bto" in dashboard.text
    browser.get(one, f"/admin/ideas/{idea.pk}/moderate/")
    hidden = browser.post(one, f"/admin/ideas/{idea.pk}/moderate/hide/", {"reason": "Trùng với ý tưởng khác"})
    assert hidden.status_code == 302
    assert not queries.published_ideas().filter(pk=idea.pk).exists()
    within_the_second(lambda: visitor.get(two, gallery), lambda r: idea.title not in r.text)

    assert browser.post(two, f"/admin/ideas/{idea.pk}/moderate/publish/", {}).status_code == 302
    within_the_second(lambda: visitor.get(one, gallery), lambda r: idea.title in r.text)

    browser.post(two, "/dang-xuat/", {})
    assert browser.get(one, "/admin/").status_code == 302  # signed out on both
