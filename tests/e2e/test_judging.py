import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from contest.judging import actions as judging_actions
from contest.judging.models import Assignment, Criterion, Review, Round
from tests.e2e.conftest import pass_second_step
from tests.factories import ContestPageFactory, make_entries, points_for
from tests.markers import transactional_db

pytestmark = [pytest.mark.e2e, transactional_db]
PASSWORD = "mat-khau-dai-123"


@pytest.fixture
def judging_round(home):
    contest = ContestPageFactory(parent=home, title="Khát vọng Tây Hồ 2026", slug="khat-vong")
    make_entries(contest, 8)
    User = get_user_model()
    first = User.objects.create_user("giamkhao1", password=PASSWORD, first_name="Hà")
    second = User.objects.create_user("giamkhao2", password=PASSWORD)
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
    round_.judges.set([first, second])
    round_.save()
    judging_actions.add_items(round_, contest.entries.all())
    judging_actions.assign_round(round_, by=first)
    return round_, first, second


def sign_in(page, url, username):
    page.goto(url)
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()
    pass_second_step(page, username)


def test_judge_scores_and_recuses_then_the_organiser_publishes_results(page, live_server, judging_round, screenshot):
    round_, first, second = judging_round
    sign_in(page, live_server.url + "/cham-bai/", "giamkhao1")
    page.wait_for_url("**/cham-bai/")
    assert "0 / 4" in page.locator("main").inner_text()
    page.locator(".judging-list a").first.click()

    # First item: a draft, then submitted; the page moves on to the next item.
    page.get_by_label("Ý tưởng").fill("7")
    assert "Mới, khả thi" in page.locator("main").inner_text()  # guidance beside the input
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu bản nháp").click()
    assert "Đã lưu bản nháp" in page.get_by_role("status").first.inner_text()
    assert page.get_by_label("Ý tưởng").input_value() == "7"  # the draft is shown as saved
    page.get_by_label("Trình bày").fill("8")
    with page.expect_navigation():
        page.get_by_role("button", name="Nộp và chuyển bài tiếp theo").click()
    for idea, style in ((9, 9), (4, 5)):
        assert "Đã nộp phiếu chấm" in page.get_by_role("status").first.inner_text()
        page.get_by_label("Ý tưởng").fill(str(idea))
        page.get_by_label("Trình bày").fill(str(style))
        with page.expect_navigation():
            page.get_by_role("button", name="Nộp và chuyển bài tiếp theo").click()
    screenshot(page, "judging-score-page")
    assert "Tác giả" not in page.locator("main").inner_text()  # blind: no author anywhere
    page.get_by_text("Rút khỏi việc chấm bài này").click()
    page.get_by_label("Lý do").fill("Tác giả là người thân của tôi")
    with page.expect_navigation():
        page.get_by_role("button", name="Rút khỏi chấm bài này").click()
    page.wait_for_url("**/cham-bai/")
    assert "3 / 3" in page.locator("main").inner_text()

    # The second judge's reviews, including the item handed over.
    for assignment in Assignment.objects.filter(judge=second, recused_at__isnull=True):
        judging_actions.save_review(assignment, points=points_for(round_, 6, 6), comment="", submit=True, by=second)

    # The organiser closes the round, ranks, awards the top entry and publishes.
    get_user_model().objects.create_superuser("bantochuc", "btc@example.vn", PASSWORD)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "bantochuc")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    pass_second_step(page, "bantochuc")
    page.wait_for_url("**/admin/")
    page.goto(f"{live_server.url}/admin/judging/{round_.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Đóng vòng và xếp hạng").click()
    page.wait_for_selector("table >> text=Hạng")
    first_prize = page.locator("input[name='prize']").first
    first_prize.fill("Giải Đặc biệt")
    with page.expect_navigation():
        page.locator("form:has(input[name='prize'])").first.get_by_role("button", name="Lưu").click()
    assert page.locator("input[name='prize']").first.input_value() == "Giải Đặc biệt"
    with page.expect_navigation():
        page.get_by_role("button", name="Công bố kết quả").click()
    screenshot(page, "judging-round-published")

    page.goto(live_server.url + round_.call.url)
    results = page.get_by_role("region", name="Kết quả")
    assert "Giải Đặc biệt" in results.text_content()
    best = next(
        review for review in Review.objects.filter(assignment__judge=first) if sorted(review.points.values()) == [9, 9]
    )
    assert best.assignment.item.subject.tracking_code in results.text_content()  # the best-scored entry (9 + 9)
    screenshot(page, "contest-results")


def test_judging_and_account_pages_have_no_axe_violations(browser, live_server, judging_round):

    from tests.support.axe import assert_accessible

    round_, first, _second = judging_round
    # A tablet, as judges use.
    context = browser.new_context(locale="vi-VN", viewport={"width": 820, "height": 1180})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/dang-nhap/")
        assert_accessible(page)
        sign_in(page, live_server.url + "/cham-bai/", "giamkhao1")
        page.wait_for_url("**/cham-bai/")
        assignment = Assignment.objects.filter(judge=first).first()
        for url in ("/cham-bai/", f"/cham-bai/{assignment.pk}/", "/tai-khoan/hai-buoc/"):
            page.goto(live_server.url + url)
            assert_accessible(page)
        page.goto(f"{live_server.url}/cham-bai/{assignment.pk}/")
        page.screenshot(path="test-results/judging-tablet.png", full_page=True)
        page.get_by_role("button", name="Nộp và chuyển bài tiếp theo").click()  # empty: errors shown
        page.wait_for_selector("#form-errors")
        assert_accessible(page)
    finally:
        context.close()
