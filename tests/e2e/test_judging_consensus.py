"""The story of a disagreement, in the browser: two judges score an entry far apart,
discuss it as Judge A and Judge B, one revises their score, the chair records the
consensus, the organiser publishes the results with feedback, and the entrant reads it
on their private page."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from contest.judging import actions as judging_actions
from contest.judging.models import Assignment, Criterion, Review, Round
from tayho_site.submissions import hash_token, new_access_token
from tests.e2e.conftest import pass_second_step
from tests.factories import ContestPageFactory, make_entries, points_for
from tests.markers import transactional_db

pytestmark = [pytest.mark.e2e, transactional_db]
PASSWORD = "mat-khau-dai-123"


@pytest.fixture
def disagreement(home):
    contest = ContestPageFactory(parent=home, title="Khát vọng Tây Hồ 2026", slug="khat-vong")
    make_entries(contest, 3)
    User = get_user_model()
    first = User.objects.create_user("giamkhao1", password=PASSWORD)
    second = User.objects.create_user("giamkhao2", password=PASSWORD)
    chair = User.objects.create_user("chutich", password=PASSWORD)
    now = timezone.now()
    round_ = Round.objects.create(
        call=contest,
        name="Chung khảo",
        judges_per_item=2,
        status="scoring",
        scoring_opens_at=now,
        scoring_closes_at=now + datetime.timedelta(days=7),
        feedback_to_entrants=True,
        chair=chair,
    )
    Criterion.objects.create(round=round_, name="Ý tưởng", sort_order=0)
    Criterion.objects.create(round=round_, name="Trình bày", sort_order=1)
    round_.judges.set([first, second])
    round_.save()
    judging_actions.add_items(round_, contest.entries.all())
    judging_actions.assign_round(round_, by=first)
    target = round_.items.order_by("pk").first()
    for assignment in Assignment.objects.filter(item__round=round_):
        far = assignment.item == target
        values = ((9, 10) if assignment.judge == first else (1, 2)) if far else (6, 6)
        judging_actions.save_review(
            assignment,
            points=points_for(round_, *values),
            comment="Ghi chú cho Ban tổ chức",
            feedback="Bài viết giàu cảm xúc, nên thêm số liệu." if far and assignment.judge == first else "",
            submit=True,
            by=assignment.judge,
        )
    entry = target.subject
    token = new_access_token()
    entry.access_token_hash = hash_token(token)
    entry.save(update_fields=["access_token_hash"])
    return round_, target, f"/bai-du-thi/{token}/"


def signed_in(browser, live_server, username, url):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + url)
    if "/admin/" in url:
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
    else:
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Đăng nhập").click()
    pass_second_step(page, username)
    return context, page


def test_two_judges_disagree_discuss_one_revises_the_chair_settles_and_the_entrant_reads_feedback(
    browser, live_server, disagreement, screenshot
):
    round_, target, private = disagreement
    discussion = f"/cham-bai/thao-luan/{target.pk}/"

    # Judge A finds the discussion in the queue and writes.
    context, page = signed_in(browser, live_server, "giamkhao1", "/cham-bai/")
    page.wait_for_url("**/cham-bai/")
    with page.expect_navigation():
        page.get_by_role("region", name="Trao đổi: các giám khảo chấm vênh nhau").get_by_role(
            "link", name=target.code
        ).click()
    main = page.locator("main").inner_text()
    assert "Giám khảo A" in main and "Giám khảo B" in main and "(bạn)" in main and "giamkhao2" not in main
    page.get_by_label("Tin nhắn của bạn").fill("Bài có ý tưởng lối đi ven hồ rất mới.")
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi").click()
    context.close()

    # Judge B reads A's scores and message, and revises once.
    context, page = signed_in(browser, live_server, "giamkhao2", discussion)
    page.wait_for_url("**" + discussion)
    main = page.locator("main").inner_text()
    assert "Giám khảo A" in main and "Bài có ý tưởng lối đi ven hồ rất mới." in main and "giamkhao1" not in main
    assert "(bạn)" in main
    page.get_by_label("Ý tưởng").fill("8")
    page.get_by_label("Trình bày").fill("8")
    page.get_by_label("Lý do").fill("Đồng ý sau khi đọc lại")
    with page.expect_navigation():
        page.get_by_role("button", name="Chấm lại điểm của tôi").click()
    assert "đã chấm lại, lần đầu" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Chấm lại điểm của tôi").count() == 0  # only once
    screenshot(page, "judging-discussion")
    context.close()

    # The chair records the consensus.
    context, page = signed_in(browser, live_server, "chutich", discussion)
    page.wait_for_url("**" + discussion)
    page.get_by_label("Điểm (tổng có trọng số, 0–20)").fill("17")
    page.get_by_label("Lý do").fill("Hai giám khảo thống nhất sau trao đổi")
    with page.expect_navigation():
        page.get_by_role("button", name="Ghi điểm thống nhất").click()
    assert "Điểm thống nhất: 17" in page.locator("main").inner_text()
    context.close()

    # The organiser closes, sees the consensus in the ranking, publishes.
    get_user_model().objects.create_superuser("bantochuc", "btc@example.vn", PASSWORD)
    context, page = signed_in(browser, live_server, "bantochuc", "/admin/login/")
    page.wait_for_url("**/admin/")
    page.goto(f"{live_server.url}/admin/judging/{round_.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Đóng vòng và xếp hạng").click()
    assert "1 bài được xếp hạng theo điểm thống nhất" in page.locator("main").inner_text()
    with page.expect_navigation():
        page.get_by_role("button", name="Công bố kết quả").click()
    context.close()
    assert Round.objects.get(pk=round_.pk).status == Round.Status.PUBLISHED
    assert Review.objects.filter(first_points__isnull=False).count() == 1

    # The entrant reads the judges' feedback on their private page, judges unnamed.
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.goto(live_server.url + private)
    feedback = page.get_by_role("region", name="Góp ý của Ban giám khảo (Chung khảo)")
    text = feedback.inner_text()
    assert "Bài viết giàu cảm xúc, nên thêm số liệu." in text and "Ý tưởng" in text
    assert "giamkhao" not in page.content() and "Ghi chú cho Ban tổ chức" not in page.content()
    screenshot(page, "entrant-feedback")
    context.close()
