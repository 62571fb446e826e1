"""Every public page, in each state a resident meets it (forms with errors, empty lists,
closed calls), in Vietnamese at a phone's size (390×844) and a desktop's (1280×900):
no text left in its English original (tests/support/english.py) and no axe-core
violation (tests/support/axe.py). A failure names the page, the size and the check.

The demo site and the extra states are built once for the module and served by one live
server of the module's own; the tests themselves only drive the browser, and each page
is loaded once per size for both checks."""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.support.axe import violations_on
from tests.support.english import english_on, where_on

# The database must exist; each test's own transaction holds nothing (the tests only
# drive the browser), the module's content is committed by `site` and taken away after.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

SIZES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}


# --- The site, built once


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """The demo site with the states the demo lacks, served by a live server of this
    module. Committed outside the tests' transactions (the server's threads must see it);
    afterwards the database is put back as the migrations left it, as Django's
    serialized rollback does."""
    from django.db import connection
    from pytest_django.live_server_helper import LiveServer

    from tests.conftest import ensure_wagtail_tree

    with django_db_blocker.unblock():
        as_migrated = connection.creation.serialize_db_to_string()
        ensure_wagtail_tree()
        call_command("load_demo", "--no-admin", stdout=io.StringIO())
        content = _states()
        server = LiveServer("localhost")
        try:
            yield SimpleNamespace(url=server.url, **content)
        finally:
            server.stop()
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True, reset_sequences=False)
            connection.creation.deserialize_db_from_string(as_migrated)


def _states():
    from django.urls import reverse

    from contest.actions import entries
    from contest.models import ContestIndexPage, ContestPage, EntryConsent
    from emulation.honours.models import Honour, HonourIndexPage
    from emulation.models import MovementPage
    from ideas.actions import authors, supports
    from ideas.models import Idea, IdeaCallPage, IdeaIndexPage, Sector
    from tayho_site.models import NewsIndexPage, NewsPage
    from tayho_site.submissions import sign
    from tests.factories import ContestPageFactory, send_idea

    now = timezone.now()
    contest = ContestPage.objects.live().get(slug="khat-vong-tay-ho")
    closed_contest = ContestPageFactory(
        parent=ContestIndexPage.objects.get(),
        title="Khát vọng Tây Hồ 2025",
        slug="khat-vong-tay-ho-2025",
        opens_at=now - datetime.timedelta(days=90),
        closes_at=now - datetime.timedelta(days=30),
        code_prefix="KVTH25",
    )
    sent = entries.submit_entry(
        contest,
        category=contest.categories.first(),
        title="Lối đi xanh quanh Hồ Tây",
        body_html="<p>Hồ Tây cần một lối đi bộ liền mạch quanh hồ cho người dân và du khách.</p>",
        consents=list(EntryConsent.Kind.values),
        entrant={
            "full_name": "Phạm Thu Hà",
            "pen_name": "",
            "birth_year": 1992,
            "phone": "0987654321",
            "email": "thuha@example.vn",
            "address": "",
            "occupation": "",
            "show_as": "name",
        },
    )
    entries.confirm_entry(sent.entry)
    unconfirmed = entries.submit_entry(
        contest,
        category=contest.categories.first(),
        title="Chợ đêm ven hồ",
        body_html="<p>Một chợ đêm nhỏ, sạch, đúng giờ, cho người dân quanh hồ.</p>",
        consents=list(EntryConsent.Kind.values),
        entrant={
            "full_name": "Lê Văn An",
            "pen_name": "",
            "birth_year": 1980,
            "phone": "0912345678",
            "email": "an@example.vn",
            "address": "",
            "occupation": "",
            "show_as": "name",
        },
    )

    ideas = IdeaIndexPage.objects.live().get()
    standing_box = IdeaCallPage.objects.live().get(slug="hom-thu-y-tuong")
    closed_call = IdeaCallPage(
        title="Ý tưởng cho chợ truyền thống",
        slug="cho-truyen-thong",
        theme="Chợ sạch, văn minh",
        intro="Đợt góp ý tưởng đã kết thúc; kết quả được công bố dưới đây.",
        opens_at=now - datetime.timedelta(days=120),
        closes_at=now - datetime.timedelta(days=60),
        results="<p>Ban Giám khảo chọn ba ý tưởng để các đơn vị thực hiện.</p>",
        results_published_at=now - datetime.timedelta(days=30),
    )
    ideas.add_child(instance=closed_call)
    closed_call.save_revision().publish()
    idea_sent = send_idea(standing_box, Sector.objects.first(), email="hoa@example.vn")

    idea = Idea.objects.filter(status=Idea.Status.PUBLISHED).order_by("pk").first()
    support = supports.request_support(idea, "ungho@example.vn")

    honours = HonourIndexPage.objects.live().get()
    honour = Honour.objects.filter(revoked_at=None).order_by("pk").first()
    return {
        "news_index": NewsIndexPage.objects.live().get().url,
        "news": NewsPage.objects.live().order_by("pk").first().url,
        "contest_index": ContestIndexPage.objects.live().get().url,
        "contest": contest.url,
        "closed_contest": closed_contest.url,
        "entry_private": entries.private_path(sent.access_token),
        "entry_confirm": entries.confirm_path(unconfirmed.entry, unconfirmed.access_token),
        "ideas": ideas.url,
        "idea": ideas.url + f"{idea.pk}/",
        "idea_confirm": authors.confirm_path(idea_sent.idea, idea_sent.access_token),
        "idea_unsubscribe": authors.unsubscribe_path(idea),
        "support_confirm": reverse("ideas:support_confirm", args=[support.pk, sign(supports.SUPPORT_SALT, support.pk)]),
        "call": IdeaCallPage.objects.live().get(slug="ven-ho-tay").url,
        "standing_box": standing_box.url,
        "closed_call": closed_call.url,
        "idea_private": authors.private_path(idea_sent.access_token),
        "movement": MovementPage.objects.live().first().url,
        "honours": honours.url,
        "honour_profile": honours.url + f"{honour.profile_key}/",
        "honour_verify": honours.url + f"xac-minh/{honour.code}/",
        "honour_certificate": honours.url + f"chung-nhan/{honour.code}/",
    }


# --- The pages, each a way to reach it in its state


def _go(page, url, status=200):
    response = page.goto(url)
    assert response.status == status, f"{url} answered {response.status}"


def _submit(page, button):
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def _menu_open(page, s):
    """The home page with the phone's menu opened (a desktop shows the whole menu anyway)."""
    _go(page, s.url + "/")
    button = page.get_by_role("button", name="Danh mục")
    if button.is_visible():
        button.click()
        assert button.get_attribute("aria-expanded") == "true"


def _empty(page, url, items):
    """A list that finds nothing: its empty state."""
    _go(page, url)
    assert page.locator(items).count() == 0, f"{url} lists {items}"


def _with_errors(page, url, button):
    """The form sent empty: its errors shown."""
    _go(page, url)
    _submit(page, button)
    page.get_by_role("alert").first.wait_for()


def _support_requested(page, s):
    _go(page, s.url + s.idea)
    page.locator("[name=email]").fill("nguoiungho@example.vn")
    page.locator("[name=captcha_1]").fill("PASSED")
    _submit(page, "Ủng hộ")
    page.get_by_role("status").first.wait_for()


def _sign_in_refused(page, s):
    _go(page, s.url + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("khongco")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau-123")
    _submit(page, "Đăng nhập")
    page.get_by_role("alert").first.wait_for()


ENTRY_WORDS = " ".join(["Hồ Tây cần một lối đi bộ liền mạch quanh hồ cho người dân và du khách."] * 25)


def _entry_sent(page, s):
    """A resident sends an entry: the page that says what happens next, with the private link."""
    _go(page, s.url + s.contest + "gui-bai/")
    for name, value in {
        "full_name": "Phạm Thu Hà",
        "birth_year": "1992",
        "phone": "0987 654 321",
        "email": "thuha2@example.vn",
        "title": "Lối đi xanh quanh Hồ Tây",
        "captcha_1": "PASSED",
    }.items():
        page.locator(f"[name={name}]").fill(value)
    for name in ("ward", "category"):
        page.locator(f"select[name={name}]").select_option(index=1)
    page.get_by_role("textbox", name="Nội dung bài viết").evaluate(
        "(editor, text) => { editor.innerHTML = '<p>' + text + '</p>'; }", ENTRY_WORDS
    )
    for name in ("accept_rules", "original_work", "personal_data"):
        page.locator(f"[name={name}]").check()
    _submit(page, "Gửi bài")
    assert page.url.endswith("/gui-bai/da-gui/"), page.url
    page.locator("a[href*='/bai-du-thi/']").first.wait_for()


def _idea_sent(page, s):
    """A resident sends an idea: the page that says what happens next, with the private link."""
    _go(page, s.url + s.standing_box + "gui-y-tuong/")
    for name, value in {
        "title": "Ghế đá dưới bóng cây ven hồ",
        "problem": "Người đi bộ quanh hồ không có chỗ ngồi nghỉ dưới bóng mát.",
        "proposal": "Đặt ghế đá dưới các hàng cây lớn, cách nhau ba trăm mét.",
        "benefit": "Người cao tuổi đi bộ được xa hơn, hồ thân thiện hơn.",
        "full_name": "Nguyễn Thị Hoa",
        "email": "hoa2@example.vn",
        "captcha_1": "PASSED",
    }.items():
        page.locator(f"[name={name}]").fill(value)
    page.locator("select[name=sector]").select_option(index=1)
    for name in ("accept_rules", "personal_data"):
        page.locator(f"[name={name}]").check()
    _submit(page, "Gửi ý tưởng")
    assert page.url.endswith("/gui-y-tuong/da-gui/"), page.url
    page.locator("a[href*='/ho-so-y-tuong/']").first.wait_for()


PAGES = {
    "home": lambda page, s: _go(page, s.url + "/"),
    "home, menu open": _menu_open,
    "news index": lambda page, s: _go(page, s.url + s.news_index),
    "news article": lambda page, s: _go(page, s.url + s.news),
    "search with results": lambda page, s: _go(page, s.url + "/tim-kiem/?q=ky+cuong"),
    "search without results": lambda page, s: _empty(page, s.url + "/tim-kiem/?q=khongcogica", ".search-result"),
    "search empty": lambda page, s: _go(page, s.url + "/tim-kiem/"),
    "page not found": lambda page, s: _go(page, s.url + "/khong-co-trang-nay/", 404),
    "about": lambda page, s: _go(page, s.url + "/gioi-thieu/"),
    "contest index": lambda page, s: _go(page, s.url + s.contest_index),
    "contest open": lambda page, s: _go(page, s.url + s.contest),
    "contest closed": lambda page, s: _go(page, s.url + s.closed_contest),
    "entry form": lambda page, s: _go(page, s.url + s.contest + "gui-bai/"),
    "entry form with errors": lambda page, s: _with_errors(page, s.url + s.contest + "gui-bai/", "Gửi bài"),
    "entry form closed": lambda page, s: _go(page, s.url + s.closed_contest + "gui-bai/"),
    "entry sent": _entry_sent,
    "entry sent, seen again": lambda page, s: _go(page, s.url + s.contest + "gui-bai/da-gui/"),
    "entry confirmation": lambda page, s: _go(page, s.url + s.entry_confirm),
    "entry private page": lambda page, s: _go(page, s.url + s.entry_private),
    "entry edit": lambda page, s: _go(page, s.url + s.entry_private + "sua/"),
    "entry erasure": lambda page, s: _go(page, s.url + s.entry_private + "xoa-du-lieu/"),
    "ideas gallery": lambda page, s: _go(page, s.url + s.ideas),
    "ideas gallery empty": lambda page, s: _empty(page, s.url + s.ideas + "?q=khongcogica", ".idea-card"),
    "idea page": lambda page, s: _go(page, s.url + s.idea),
    "support form with errors": lambda page, s: _with_errors(page, s.url + s.idea, "Ủng hộ"),
    "idea call": lambda page, s: _go(page, s.url + s.call),
    "idea call closed": lambda page, s: _go(page, s.url + s.closed_call),
    "idea box": lambda page, s: _go(page, s.url + s.standing_box),
    "idea form": lambda page, s: _go(page, s.url + s.standing_box + "gui-y-tuong/"),
    "idea form with errors": lambda page, s: _with_errors(page, s.url + s.standing_box + "gui-y-tuong/", "Gửi ý tưởng"),
    "idea form closed": lambda page, s: _go(page, s.url + s.closed_call + "gui-y-tuong/"),
    "idea sent": _idea_sent,
    "idea sent, seen again": lambda page, s: _go(page, s.url + s.standing_box + "gui-y-tuong/da-gui/"),
    "idea confirmation": lambda page, s: _go(page, s.url + s.idea_confirm),
    "idea private page": lambda page, s: _go(page, s.url + s.idea_private),
    "idea erasure": lambda page, s: _go(page, s.url + s.idea_private + "xoa-du-lieu/"),
    "idea e-mails stop": lambda page, s: _go(page, s.url + s.idea_unsubscribe),
    "support requested": _support_requested,
    "support confirmation": lambda page, s: _go(page, s.url + s.support_confirm),
    "accountability": lambda page, s: _go(page, s.url + s.ideas + "trach-nhiem/"),
    "movement": lambda page, s: _go(page, s.url + s.movement),
    "honour board": lambda page, s: _go(page, s.url + s.honours),
    "honour board empty search": lambda page, s: _empty(page, s.url + s.honours + "?q=khongcogica", ".honour-card"),
    "honour person": lambda page, s: _go(page, s.url + s.honour_profile),
    "honour verification": lambda page, s: _go(page, s.url + s.honour_verify),
    "honour certificate": lambda page, s: _go(page, s.url + s.honour_certificate),
    "sign-in": lambda page, s: _go(page, s.url + "/dang-nhap/"),
    "sign-in refused": _sign_in_refused,
    "staff guide": lambda page, s: _go(page, s.url + "/huong-dan/"),
}

# The English version of the site: axe only (English is what it should show).
ENGLISH_VERSION = {
    "home in English": lambda page, s: _go(page, s.url + "/en/"),
    "search in English": lambda page, s: _go(page, s.url + "/en/tim-kiem/?q=ky+cuong"),
}

_seen = {}


@pytest.fixture(scope="module")
def seen(site, browser):
    """What each (page, size) shows, looked at once for both checks."""

    def look(name, size):
        if (name, size) not in _seen:
            context = browser.new_context(locale="vi-VN", **SIZES[size])
            page = context.new_page()
            page.set_default_timeout(15_000)
            try:
                {**PAGES, **ENGLISH_VERSION}[name](page, site)
                page.wait_for_load_state("networkidle")
                english = english_on(page) if name in PAGES else []
                _seen[name, size] = {
                    "english": {text: where_on(page, text) for text in english},
                    "axe": violations_on(page),
                }
            finally:
                context.close()
        return _seen[name, size]

    yield look
    _seen.clear()


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("size", SIZES)
def test_no_english(seen, name, size):
    english = seen(name, size)["english"]
    assert not english, "\n".join(f"{text!r} in {places}" for text, places in english.items())


@pytest.mark.parametrize("name", [*PAGES, *ENGLISH_VERSION])
@pytest.mark.parametrize("size", SIZES)
def test_no_axe_violation(seen, name, size):
    violations = seen(name, size)["axe"]
    assert not violations, "\n".join(violations)
