"""The organiser signs in and the admin's home lists the waiting work, each line a
working link; a judge and a unit officer land on their "what is yours to do" lists."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from contest.judging import actions as judging_actions
from contest.judging.models import Criterion, Round
from contest.models import Entry
from emulation.actions import monthly
from emulation.models import Person
from referrals import actions as referral_actions
from referrals.models import Referral
from tayho_site import roles
from tests.e2e.conftest import TEST_PASSWORD, signed_in
from tests.factories import ContestPageFactory, make_entries, member, roles_as_deployed
from tests.markers import transactional_db

pytestmark = [pytest.mark.e2e, transactional_db]


@pytest.fixture
def waiting_work(home, tree):
    roles_as_deployed()
    organiser = member("btc", tree["district"], roles.ORGANISERS)
    officer = member("canbo_a", tree["a"], roles.UNIT_OFFICERS)
    judge = get_user_model().objects.create_user("giamkhao", password=TEST_PASSWORD)
    judge.groups.add(Group.objects.get(name=roles.JUDGES))

    contest = ContestPageFactory(parent=home, title="Khát vọng Tây Hồ 2026", slug="khat-vong")
    entries = make_entries(contest, 4)
    Entry.objects.filter(pk=entries[0].pk).update(flagged_reason="Giống một bài đã đăng báo")
    now = timezone.now()
    round_ = Round.objects.create(
        call=contest,
        name="Sơ khảo",
        judges_per_item=1,
        status=Round.Status.SCORING,
        scoring_opens_at=now - datetime.timedelta(days=1),
        scoring_closes_at=now + datetime.timedelta(days=6),
    )
    Criterion.objects.create(round=round_, name="Ý tưởng", sort_order=0)
    round_.judges.set([judge])
    round_.save()
    judging_actions.add_items(round_, entries)
    judging_actions.assign_round(round_, by=organiser)

    subject = Person.objects.create(full_name="Đèn đường ven hồ", unit=tree["district"])
    referral = referral_actions.refer(
        subject, unit=tree["a"], by=organiser, title="Đèn đường ven hồ", supervisor=tree["front"]
    )
    Referral.objects.filter(pk=referral.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=3))
    Person.objects.create(full_name="Lê Văn An", unit=tree["a"])
    month = monthly.open_month(tree["a"], timezone.localdate().replace(day=1), by=officer)
    return {"round": round_, "referral": referral, "month": month}


def test_the_organiser_finds_the_waiting_work_on_the_admin_home(browser, live_server, waiting_work, screenshot):
    context, page = signed_in(browser, live_server, "btc", "/admin/")
    try:
        page.wait_for_url("**/admin/")
        main = page.locator("main")
        for heading in ("Bài dự thi", "Vòng chấm đang chấm", "Ý tưởng được chuyển xử lý", "Đánh giá cán bộ hằng tháng"):
            assert main.get_by_text(heading).first.is_visible(), heading
        flagged = page.locator("#waiting-entries-section").get_by_role(
            "link", name="bài được đánh dấu cần Ban tổ chức xem"
        )
        assert flagged.inner_text().startswith("1")
        screenshot(page, "dashboard-admin-home")

        flagged.click()
        page.wait_for_url("**/admin/entries/?flagged=true")
        assert page.get_by_text("Giống một bài đã đăng báo").first.is_visible()

        page.go_back()
        round_link = page.locator("#waiting-rounds-section").get_by_role("link", name="Khát vọng Tây Hồ 2026 · Sơ khảo")
        assert "0/4 phiếu chấm đã nộp" in page.locator("#waiting-rounds-section").inner_text()
        round_link.click()
        page.wait_for_url(f"**/admin/judging/{waiting_work['round'].pk}/")

        page.go_back()
        page.locator("#waiting-referrals-section").get_by_role("link", name="ý tưởng đã quá hạn trả lời").click()
        page.wait_for_url("**/thi-dua/chuyen-xu-ly/")
        assert page.get_by_text("Đèn đường ven hồ").first.is_visible()

        page.go_back()
        page.locator("#waiting-months-section").get_by_role("link", name="tháng đánh giá của đơn vị chưa chốt").click()
        page.wait_for_url("**/thi-dua/danh-gia/")
        assert page.get_by_role("link", name=waiting_work["month"].month.strftime("%m/%Y")).first.is_visible()
    finally:
        context.close()


def test_a_judge_and_a_unit_officer_land_on_what_is_theirs_to_do(browser, live_server, waiting_work, screenshot):
    context, page = signed_in(browser, live_server, "giamkhao", "/cham-bai/")
    try:
        page.wait_for_url("**/cham-bai/")
        mine = page.locator(".my-work")
        assert mine.get_by_role("heading", name="Việc của bạn").is_visible()
        assert "4 mục cần chấm ở vòng “Sơ khảo”" in mine.inner_text()
        screenshot(page, "dashboard-judge")
        mine.get_by_role("link").first.click()
        page.wait_for_url("**/cham-bai/*/")
        assert page.get_by_label("Ý tưởng").is_visible()
    finally:
        context.close()

    context, page = signed_in(browser, live_server, "canbo_a", "/thi-dua/")
    try:
        page.wait_for_url("**/thi-dua/")
        mine = page.locator(".my-work")
        assert mine.get_by_role("heading", name="Việc của bạn").is_visible()
        assert "Đánh giá và chốt: Phòng A" in mine.inner_text()
        screenshot(page, "dashboard-officer")
        page.goto(live_server.url + "/thi-dua/chuyen-xu-ly/")
        mine = page.locator(".my-work")
        assert "Trả lời: Đèn đường ven hồ" in mine.inner_text() and "Quá hạn" in mine.inner_text()
        mine.get_by_role("link", name="Trả lời: Đèn đường ven hồ").click()
        page.wait_for_url(f"**/thi-dua/chuyen-xu-ly/{waiting_work['referral'].pk}/")
    finally:
        context.close()
