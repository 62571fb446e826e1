import re

import pytest
from django.core import mail

from tests.factories import ContestPageFactory
from tests.markers import transactional_db
from tests.support.axe import assert_accessible

pytestmark = [pytest.mark.e2e, transactional_db]

TEXT = (
    "Hồ Tây là lá phổi xanh của Thủ đô. Tôi đề xuất hoàn thiện lối đi bộ liền mạch quanh hồ, "
    "có ghế nghỉ, cây xanh và nhà vệ sinh công cộng sạch sẽ cho người dân và du khách."
)


@pytest.fixture
def contest(home):
    from tayho_site.models import Ward

    Ward.objects.create(name="Phường Tây Hồ")
    return ContestPageFactory(parent=home, title="Khát vọng Tây Hồ 2026", slug="khat-vong-tay-ho")


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def fill_entry(page):
    page.get_by_label("Họ và tên").fill("Phạm Thu Hà")
    page.get_by_label("Năm sinh").fill("1992")
    page.get_by_label("Điện thoại").fill("0987 654 321")
    page.get_by_label("Thư điện tử").fill("thuha@example.vn")
    page.get_by_role("combobox", name="Phường", exact=True).select_option(label="Phường Tây Hồ")
    page.get_by_label("Địa chỉ (không bắt buộc)").fill("Số 1 đường Quảng An")
    page.get_by_label("Thể loại").select_option(label="Nhân dân")
    page.get_by_label("Tên bài dự thi").fill("Lối đi xanh quanh Hồ Tây")
    editor = page.get_by_role("textbox", name="Nội dung bài viết")  # the rich-text editor, with JavaScript
    editor.click()
    page.keyboard.type(TEXT)
    page.get_by_role("button", name="In đậm").click()
    page.keyboard.type(" Quan trọng.")
    page.get_by_label("Tôi đã đọc và đồng ý với thể lệ cuộc thi.").check()
    page.get_by_label("Bài viết do tôi tự viết").check()
    page.get_by_label("Tôi đồng ý để Ban Tổ chức xử lý dữ liệu cá nhân").check()
    page.get_by_label("Mã kiểm tra").fill("PASSED")


def test_resident_enters_confirms_follows_and_withdraws_on_a_phone(phone, live_server, contest, screenshot):
    page = phone
    page.goto(live_server.url + contest.url)
    assert page.get_by_role("heading", level=1).inner_text() == "Khát vọng Tây Hồ 2026"
    assert "Đang nhận bài" in page.locator("main").inner_text()
    page.get_by_role("link", name="Gửi bài dự thi").first.click()

    page.wait_for_url("**/gui-bai/")
    fill_entry(page)
    screenshot(page, "contest-form-filled")
    page.get_by_role("button", name="Gửi bài").click()

    page.wait_for_url("**/gui-bai/da-gui/")
    assert "thuha@example.vn" in page.get_by_role("status").inner_text()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/xac-nhan/\S+/", mail.outbox[0].body).group(0)

    page.goto(link)
    page.get_by_role("button", name="Xác nhận bài dự thi").click()
    page.wait_for_url(re.compile(r".*/bai-du-thi/[^/]+/$"))
    assert page.locator(".tracking-code").inner_text() == "KVTH26-0001"
    assert "Đã tiếp nhận" in page.locator("main").inner_text()
    assert "KVTH26-0001" in mail.outbox[1].body
    from contest.models import Entry

    assert "<strong>" in Entry.objects.get().body  # formatting made with the toolbar survives the sanitiser
    screenshot(page, "contest-entry-confirmed")

    page.get_by_role("link", name="Sửa bài dự thi").click()
    page.get_by_label("Tên bài dự thi").fill("Lối đi xanh quanh Hồ Tây (bản sửa)")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu thay đổi").click()
    assert "Thay đổi của bạn đã được lưu" in page.get_by_role("status").first.inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == "Lối đi xanh quanh Hồ Tây (bản sửa)"

    page.get_by_label("Tôi muốn rút bài này").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Rút bài của tôi").click()
    assert "Tác giả đã rút bài" in page.locator("main").inner_text()
    assert "đã được rút" in page.get_by_role("status").first.inner_text()


def test_without_sight_the_form_does_without_the_code_picture(page, live_server, contest):
    """From the code box, the keyboard reaches the button that does without the picture;
    pressing it keeps what was typed, and the form stays accessible. (The contest page and
    the form's other states: tests/e2e/test_public_walk.py.)"""
    page.goto(live_server.url + contest.url + "gui-bai/")
    page.get_by_label("Tên bài dự thi").fill("Lối đi xanh quanh Hồ Tây")
    page.locator("#id_captcha_1").focus()
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.evaluate("element => element.tagName") == "BUTTON"
    assert focused.inner_text() == "Không xem được hình? Xác nhận qua thư điện tử thay cho mã kiểm tra"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".captcha__image").count() == 0 and page.locator("#id_captcha_1").count() == 0
    assert "Không có hình để đọc." in page.locator("#kiem-tra").inner_text()
    assert page.get_by_label("Tên bài dự thi").input_value() == "Lối đi xanh quanh Hồ Tây"
    assert_accessible(page)
