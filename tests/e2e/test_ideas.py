"""The idea box end to end in Chromium: a resident sends and confirms an idea, an
organiser publishes it, another resident supports it, a judge scores it and it is
selected, it is referred to unit A, which transfers it to unit B, which answers; the
public timeline and the accountability page show every step."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from tests.e2e.conftest import signed_in
from tests.markers import transactional_db
from tests.support.axe import assert_accessible

pytestmark = [pytest.mark.e2e, transactional_db]
PASSWORD = "mat-khau-dai-123"


@pytest.fixture
def setting(home):
    from django.contrib.auth.models import Group

    from emulation.models import Unit, UnitKind
    from ideas.models import IdeaCallPage, IdeaIndexPage, Sector
    from tayho_site import roles
    from tayho_site.models import Ward
    from tests.factories import member

    for name in roles.ALL:
        Group.objects.get_or_create(name=name)
    Ward.objects.create(name="Phường Quảng An")
    Sector.objects.create(name="Môi trường và Hồ Tây")
    index = IdeaIndexPage(title="Ý tưởng", slug="y-tuong")
    home.add_child(instance=index)
    index.save_revision().publish()
    call = IdeaCallPage(
        title="Ý tưởng cho không gian ven Hồ Tây",
        slug="ven-ho-tay",
        opens_at=timezone.now() - datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=30),
    )
    index.add_child(instance=call)
    call.save_revision().publish()
    kind = UnitKind.objects.create(name="Phòng ban")
    district = Unit.add_root(name="UBND quận", kind=kind)
    unit_a = district.add_child(name="Phòng Văn hóa", kind=kind)
    unit_b = district.add_child(name="Phòng Tài nguyên và Môi trường", kind=kind)
    member("canbo_a", unit_a, roles.UNIT_OFFICERS)
    member("canbo_b", unit_b, roles.UNIT_OFFICERS)
    User = get_user_model()
    User.objects.create_superuser("bantochuc", "btc@example.vn", PASSWORD)
    User.objects.create_user("giamkhao", password=PASSWORD)
    return {"index": index, "call": call, "a": unit_a, "b": unit_b}


def _context(browser, phone=True):
    options = (
        {"viewport": {"width": 390, "height": 844}, "is_mobile": True}
        if phone
        else {"viewport": {"width": 1280, "height": 900}}
    )
    context = browser.new_context(locale="vi-VN", **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _link(pattern):
    return re.search(pattern, mail.outbox[-1].body).group(0)


def test_an_idea_from_the_form_to_the_unit_that_answers(browser, live_server, setting, screenshot):
    from contest.judging.models import Criterion, Round
    from ideas.models import Idea

    call, index = setting["call"], setting["index"]
    contexts = []
    try:
        # 1. A resident sends the idea from a phone and confirms it.
        context, page = _context(browser)
        contexts.append(context)
        page.goto(live_server.url + call.url)
        with page.expect_navigation():
            page.get_by_role("link", name="Gửi ý tưởng").first.click()
        assert_accessible(page)
        page.get_by_label("Tên ý tưởng").fill("Bến thuyền kayak cho người dân ở Quảng An")
        page.get_by_label("Vấn đề").fill("Người dân muốn chèo thuyền trên Hồ Tây nhưng không có bến an toàn nào.")
        page.get_by_label("Đề xuất của bạn").fill("Làm một bến nổi nhỏ có áo phao cho thuê và người trông coi.")
        page.get_by_label("Lợi ích dự kiến").fill("Thêm hoạt động thể thao, du lịch, giữ hồ sạch.")
        page.get_by_label("Lĩnh vực").select_option(label="Môi trường và Hồ Tây")
        page.get_by_label("Phường (không bắt buộc)").select_option(label="Phường Quảng An")
        page.get_by_label("Họ và tên").fill("Vũ Minh Khoa")
        page.get_by_label("Thư điện tử").fill("khoa@example.vn")
        page.get_by_label("Tôi đã đọc và đồng ý với quy định của hòm thư ý tưởng.").check()
        page.get_by_label("Tôi đồng ý để Ban Tổ chức xử lý dữ liệu cá nhân").check()
        page.get_by_label("Mã kiểm tra").fill("PASSED")
        with page.expect_navigation():
            page.get_by_role("button", name="Gửi ý tưởng").click()
        assert "khoa@example.vn" in page.get_by_role("status").inner_text()
        page.goto(_link(r"https?://\S+/xac-nhan/\S+/"))
        with page.expect_navigation():
            page.get_by_role("button", name="Xác nhận ý tưởng").click()
        assert "Chờ kiểm duyệt" in page.locator("main").inner_text()
        idea = Idea.objects.get()
        assert idea.title not in page.context.new_page().goto(live_server.url + index.url).text()

        # 2. The organiser publishes it, in the admin.
        context, admin = signed_in(browser, live_server, "bantochuc", f"/admin/ideas/{idea.pk}/moderate/")
        contexts.append(context)
        admin.goto(f"{live_server.url}/admin/ideas/{idea.pk}/moderate/")
        with admin.expect_navigation():
            admin.get_by_role("button", name="Công khai", exact=True).click()
        assert "đã được công khai" in mail.outbox[-1].subject

        # 3. Another resident finds it without diacritics and supports it.
        context, other = _context(browser)
        contexts.append(context)
        other.goto(live_server.url + index.url + "?q=ben+thuyen+kayak")
        with other.expect_navigation():
            other.get_by_role("link", name="Bến thuyền kayak cho người dân ở Quảng An", exact=True).click()
        assert_accessible(other)
        other.get_by_label("Thư điện tử của bạn").fill("lan@example.vn")
        other.get_by_label("Mã kiểm tra").fill("PASSED")
        with other.expect_navigation():
            other.get_by_role("button", name="Ủng hộ", exact=True).click()
        other.goto(_link(r"https?://\S+/ung-ho/\d+/\S+/"))
        with other.expect_navigation():
            other.get_by_role("button", name="Vâng, tôi ủng hộ ý tưởng này").click()
        assert "lượt ủng hộ đã được tính" in other.locator("main").inner_text()
        assert Idea.objects.get().supporters == 1

        # 4. A judge scores it; the organiser selects it and publishes the results.
        now = timezone.now()
        round_ = Round.objects.create(
            call=call,
            name="Chọn ý tưởng",
            judges_per_item=1,
            scoring_opens_at=now,
            scoring_closes_at=now + datetime.timedelta(days=7),
        )
        for order, name in enumerate(["Tính khả thi", "Tác động", "Tính mới", "Chi phí"]):
            Criterion.objects.create(round=round_, name=name, max_points=10, sort_order=order)
        round_.judges.set(get_user_model().objects.filter(username="giamkhao"))
        round_.save()
        admin.goto(f"{live_server.url}/admin/judging/{round_.pk}/")
        for button in ("Thêm các mục đủ điều kiện của đợt (1)", "Phân công giám khảo", "Mở chấm"):
            with admin.expect_navigation():
                admin.get_by_role("button", name=button).click()
        context, judge = signed_in(browser, live_server, "giamkhao", "/cham-bai/")
        contexts.append(context)
        judge.locator(".judging-list a").first.click()
        assert "1 người dân ủng hộ" in judge.locator("main").inner_text()
        assert "Vũ Minh Khoa" not in judge.locator("main").inner_text()
        for name, points in (("Tính khả thi", "8"), ("Tác động", "9"), ("Tính mới", "7"), ("Chi phí", "6")):
            judge.get_by_label(name).fill(points)
        with judge.expect_navigation():
            judge.get_by_role("button", name="Nộp và chuyển bài tiếp theo").click()
        admin.goto(f"{live_server.url}/admin/judging/{round_.pk}/")
        with admin.expect_navigation():
            admin.get_by_role("button", name="Đóng vòng và xếp hạng").click()
        with admin.expect_navigation():
            admin.get_by_role("button", name=f"Chọn {idea.code}").click()
        with admin.expect_navigation():
            admin.get_by_role("button", name="Công bố kết quả").click()
        page.goto(live_server.url + call.url)
        assert "Bến thuyền kayak" in page.get_by_role("region", name="Kết quả").text_content()

        # 5. Referred to unit A, which transfers it to unit B with a reason.
        admin.goto(f"{live_server.url}/admin/ideas/{idea.pk}/moderate/")
        admin.get_by_label("Đơn vị", exact=True).select_option(label="Phòng Văn hóa")
        with admin.expect_navigation():
            admin.get_by_role("button", name="Chuyển xử lý").click()
        context, unit_a = signed_in(browser, live_server, "canbo_a", "/thi-dua/chuyen-xu-ly/")
        contexts.append(context)
        assert_accessible(unit_a)
        with unit_a.expect_navigation():
            unit_a.get_by_role("link", name="Bến thuyền kayak cho người dân ở Quảng An", exact=True).click()
        assert_accessible(unit_a)
        unit_a.get_by_label("Chuyển đến").select_option(label="Phòng Tài nguyên và Môi trường")
        unit_a.get_by_label("Lý do (công khai)").fill("Mặt nước Hồ Tây do phòng Tài nguyên và Môi trường quản lý")
        with unit_a.expect_navigation():
            unit_a.get_by_role("button", name="Chuyển", exact=True).click()
        assert "Thời hạn giữ nguyên" in unit_a.get_by_role("status").first.inner_text()

        # 6. Unit B answers: accepted, with a date.
        context, unit_b = signed_in(browser, live_server, "canbo_b", "/thi-dua/chuyen-xu-ly/")
        contexts.append(context)
        with unit_b.expect_navigation():
            unit_b.get_by_role("link", name="Bến thuyền kayak cho người dân ở Quảng An", exact=True).click()
        assert "Mặt nước Hồ Tây do phòng" in unit_b.locator("main").inner_text()
        unit_b.get_by_label("Tiếp thu, có kế hoạch").check()
        unit_b.get_by_label("Nội dung trả lời (công khai)").fill("Sẽ làm bến thí điểm tại Quảng An trong quý II.")
        unit_b.get_by_label("Hoàn thành trước ngày").fill(
            (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
        )
        with unit_b.expect_navigation():
            unit_b.get_by_role("button", name="Gửi trả lời").click()
        assert "đã được ghi nhận" in unit_b.get_by_role("status").first.inner_text()
        assert "Phòng Tài nguyên và Môi trường đã trả lời" in mail.outbox[-1].subject

        # 7. The public timeline and the accountability page show all of it.
        page.goto(f"{live_server.url}{index.url}{idea.pk}/")
        timeline = page.locator(".timeline").inner_text()
        for text in (
            "Đã tiếp nhận",
            "Được Ban Giám khảo chọn",
            "Phòng Văn hóa",
            "từ Phòng Văn hóa sang Phòng Tài nguyên và Môi trường",
            "Mặt nước Hồ Tây do phòng Tài nguyên và Môi trường quản lý",
            "Tiếp thu, có kế hoạch",
        ):
            assert text in timeline, text
        assert "Vũ Minh Khoa" not in page.locator("main").inner_text()  # the author stayed anonymous
        assert_accessible(page)
        screenshot(page, "idea-timeline")
        page.goto(f"{live_server.url}{index.url}trach-nhiem/")
        rows = {
            row.locator("th").inner_text(): row.locator("td").all_inner_texts()
            for row in page.locator("tbody tr").all()
        }
        assert rows["Phòng Văn hóa"][:6] == ["1", "0", "0", "0", "0", "1"]  # received, …, transferred away
        assert rows["Phòng Tài nguyên và Môi trường"][:2] == ["1", "1"]  # received, answered on time
        assert_accessible(page)
        screenshot(page, "ideas-accountability")
    finally:
        for context in contexts:
            context.close()
