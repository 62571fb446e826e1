"""The staff side speaks Vietnamese: each role signs in and walks the screens it works
in; any text still in its English original fails the test (tests/support/english.py).
The same walk takes the pictures of the staff guide (docs/guide/)."""

import datetime
import io
from types import SimpleNamespace

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from tayho_site import roles
from tests.e2e.conftest import ARTIFACTS, TEST_PASSWORD, pass_second_step, signed_in
from tests.factories import roles_as_deployed
from tests.markers import transactional_db
from tests.support.english import english_on, where_on

pytestmark = [pytest.mark.e2e, transactional_db]


def _user(username, *groups, **fields):
    user = get_user_model().objects.create_user(username, f"{username}@example.vn", TEST_PASSWORD, **fields)
    user.groups.set([Group.objects.get_or_create(name=name)[0] for name in groups])
    return user


# The walk's moment: what it creates (entries, deadlines, the month under evaluation)
# carries this date, so the guide's pictures do not change with the day the tests run.
GUIDE_MOMENT = datetime.datetime(2026, 3, 16, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))


@pytest.fixture
def guide_moment(settings):
    # The browser keeps its own clock: cookies without an expiry date stay valid
    # whatever day the server believes it is.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    with time_machine.travel(GUIDE_MOMENT, tick=True):
        yield


@pytest.fixture
def district(guide_moment):
    """The demo district, with a contest being judged and one person in each role."""
    from contest.judging import actions as judging_actions
    from contest.judging.models import Criterion, Round
    from contest.models import ContestPage
    from emulation.honours.models import Honour, Nomination
    from emulation.models import Commitment, Person
    from ideas.models import Idea
    from referrals.models import Referral
    from tests.factories import make_entries

    call_command("load_demo", "--no-admin", stdout=io.StringIO())
    roles_as_deployed()
    contest = ContestPage.objects.live().first()
    make_entries(contest, 6)
    organiser = _user("tochuc", roles.ORGANISERS, roles.EDITORS, first_name="Lan", last_name="Nguyễn")
    judge = _user("giamkhao", roles.JUDGES, first_name="Hà")
    now = timezone.now()
    round_ = Round.objects.create(
        call=contest,
        name="Sơ khảo",
        judges_per_item=1,
        seed=5,
        status="scoring",
        scoring_opens_at=now,
        scoring_closes_at=now + datetime.timedelta(days=7),
    )
    Criterion.objects.create(round=round_, name="Ý tưởng", guidance="Mới, khả thi, có ích cho quận.", sort_order=0)
    Criterion.objects.create(round=round_, name="Trình bày", sort_order=1)
    round_.judges.set([judge])
    round_.save()  # a ParentalManyToManyField is stored on save
    judging_actions.add_items(round_, contest.entries.all())
    # Round codes are random: fixed here, so the guide's pictures do not change from run to run.
    codes = ["K7Q-X3M", "R4T-9HW", "C2N-P8F", "M6Y-B3D", "W9E-J4K", "T3H-V7S"]
    for item, code in zip(round_.items.order_by("object_id"), codes, strict=True):
        round_.items.filter(pk=item.pk).update(code=code)
    judging_actions.assign_round(round_, by=organiser)

    referral = Referral.objects.filter(status=Referral.Status.OPEN).first()
    officer = _user("canbo", roles.UNIT_OFFICERS, first_name="Minh")
    Person.objects.create(full_name="Trần Văn Minh", unit=referral.unit, user=officer)
    commitment = Commitment.objects.exclude(supervisor=None).first()
    supervisor = _user("giamsat", roles.SUPERVISORS, first_name="Thu")
    Person.objects.create(full_name="Lê Thị Thu", unit=commitment.supervisor, user=supervisor)
    return SimpleNamespace(
        contest=contest,
        round=round_,
        referral=referral,
        commitment=commitment,
        idea=Idea.objects.order_by("pk").first(),
        nomination=Nomination.objects.order_by("pk").first(),
        honour=Honour.objects.order_by("pk").first(),
        entry=contest.entries.order_by("pk").first(),
        assignment=round_.items.first().assignments.first(),
        organiser=organiser,
        judge=judge,
    )


def walk(page, base, screens, guide_shot):
    """Visits each (name, url, picture) and returns {name: [English texts]} for those
    that still show English; editor tabs are opened one by one. A picture is a name, or
    (name, CSS selector) to picture only that part of the screen."""
    found = {}
    for name, url, picture in screens:
        response = page.goto(base + url)
        assert response.status == 200, f"{name}: {url} answered {response.status}"
        page.wait_for_load_state("networkidle")
        english = english_on(page)
        for tab in page.get_by_role("tab").all():
            if tab.is_visible():
                tab.click()
                english += [text for text in english_on(page) if text not in english]
        if page.get_by_role("tab").count():
            page.get_by_role("tab").first.click()
        if english:
            found[name] = {text: where_on(page, text) for text in english[:5]}
            ARTIFACTS.mkdir(exist_ok=True)  # the whole page, to see the English in its place
            (ARTIFACTS / f"english-{name.replace(' ', '-')}.html").write_text(page.content(), encoding="utf-8")
        if picture:
            guide_shot(page, *((picture,) if isinstance(picture, str) else picture))
    return found


def test_an_organiser_works_in_vietnamese_even_with_an_english_browser(browser, live_server, district, guide_shot):
    from wagtail.models import Page

    home = Page.objects.get(depth=2)
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/admin/login/")
    assert english_on(page) == [], "the sign-in page"
    page.fill("#id_username", "tochuc")
    page.fill("#id_password", TEST_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    pass_second_step(page, "tochuc")
    assert page.locator("html").get_attribute("lang") == "vi"

    screens = [
        ("dashboard", "/admin/", "organiser-dashboard"),
        ("page explorer", f"/admin/pages/{home.pk}/", "page-explorer"),
        ("page editor", f"/admin/pages/{district.contest.pk}/edit/", "page-editor"),
        ("entries", "/admin/entries/", "entries"),
        ("entry", f"/admin/entries/inspect/{district.entry.pk}/", None),
        ("entry statistics", "/admin/entries-statistics/", None),
        ("judging rounds", "/admin/judging-rounds/", "judging-rounds"),
        ("round settings", f"/admin/judging-rounds/edit/{district.round.pk}/", None),
        ("ranking", f"/admin/judging/{district.round.pk}/", "round-ranking"),
        ("assignments", "/admin/judging-assignments/", None),
        ("ideas", "/admin/idea-screening/", "idea-screening"),
        ("idea moderation", f"/admin/ideas/{district.idea.pk}/moderate/", None),
        ("idea record", f"/admin/idea-screening/inspect/{district.idea.pk}/", None),
        ("referrals", "/thi-dua/chuyen-xu-ly/", "referrals"),
        ("referral", f"/thi-dua/chuyen-xu-ly/{district.referral.pk}/", None),
        ("commitments", "/thi-dua/", "commitments"),
        ("evaluation", "/thi-dua/danh-gia/", None),
        ("commitment board", "/thi-dua/bang-theo-doi/", None),
        ("commitment", f"/thi-dua/{district.commitment.pk}/", None),
        ("nominations", "/thi-dua/khen-thuong/", "nominations"),
        ("nomination", f"/thi-dua/khen-thuong/{district.nomination.pk}/", None),
        ("nomination records", "/admin/nomination-records/", None),
        ("honour records", "/admin/honour-records/", None),
        ("nomination record", f"/admin/nomination-records/inspect/{district.nomination.pk}/", None),
        ("honour record", f"/admin/honour-records/inspect/{district.honour.pk}/", None),
        ("images", "/admin/images/", None),
        ("aging pages", "/admin/reports/aging-pages/", None),
        ("audit log", "/admin/audit-log/", None),
        ("account", "/admin/account/", None),
    ]
    found = walk(page, live_server.url, screens, guide_shot)
    context.close()
    assert found == {}


def test_judges_officers_and_supervisors_work_in_vietnamese(browser, live_server, district, guide_shot):
    roles_and_screens = {
        "giamkhao": [
            ("judging queue", "/cham-bai/", "judge-queue"),
            ("scoring", f"/cham-bai/{district.assignment.pk}/", "judge-score"),
        ],
        "canbo": [
            ("officer workspace", "/thi-dua/", ("officer-to-do", "section.my-work")),
            (
                "referral to answer",
                f"/thi-dua/chuyen-xu-ly/{district.referral.pk}/",
                ("referral-answer", "section[aria-labelledby='answer-title']"),
            ),
            ("commitment register", "/thi-dua/dang-ky/", "commitment-register"),
            ("nominate", "/thi-dua/khen-thuong/de-nghi/", "nominate"),
        ],
        "giamsat": [
            (
                "commitment to supervise",
                f"/thi-dua/{district.commitment.pk}/",
                ("supervisor-remark", "section[aria-labelledby='remark-title']"),
            ),
        ],
    }
    found = {}
    for username, screens in roles_and_screens.items():
        context, page = signed_in(browser, live_server, username, screens[0][1])
        found.update(
            {f"{username}: {name}": texts for name, texts in walk(page, live_server.url, screens, guide_shot).items()}
        )
        context.close()
    assert found == {}


def test_the_check_finds_english_left_on_a_page(page, db):
    """The check itself: English originals (exact, with a count, as a label, in a page
    title) are found; their Vietnamese, hidden text and marked machine codes are not."""
    page.set_content(
        "<title>Dashboard</title><main>"
        "<button>Save draft</button><button>Lưu bản nháp</button>"
        "<p>3 pages</p><p>3 trang</p>"
        "<a aria-label='Delete' href='#'>×</a>"
        "<p hidden>Publish</p><code data-english-ok>ideas.idea.submit</code>"
        "<p>Please check the form</p><p>Collapse all</p>"
        "<input type='submit' value='Publish'><input type='submit' value='Xuất bản'>"
        "</main>"
    )
    assert english_on(page) == [
        "Save draft",
        "3 pages",
        "Please check the form",
        "Collapse all",
        "Delete",
        "Publish",
        "Dashboard",
    ]


def test_the_staff_guide_reads_well_on_a_phone(browser, live_server, db, screenshot):
    """The guide's pages: accessible, in Vietnamese, every picture loads, contents links work."""

    from tayho_site import guide
    from tests.support.axe import assert_accessible

    context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + "/huong-dan/")
    for slug in guide.SECTIONS:
        page.get_by_role("navigation", name="Hướng dẫn cho cán bộ").get_by_role(
            "link", name=guide.section(slug).title
        ).click()
        page.wait_for_url(f"**/huong-dan/{slug}/")
        page.wait_for_load_state("networkidle")
        assert english_on(page) == [], slug
        # Pictures load lazily: fetch each one as the phone would when scrolled to it.
        sources = page.evaluate("() => [...document.querySelectorAll('main img')].map(i => i.getAttribute('src'))")
        for source in sources:
            response = page.request.get(live_server.url + source)
            assert response.status == 200 and response.headers["content-type"] == "image/png", source
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), slug
        assert_accessible(page)
    screenshot(page, "staff-guide-phone")
    context.close()
