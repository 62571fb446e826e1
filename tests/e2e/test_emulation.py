import datetime
import re

import pytest

from tests.e2e.conftest import pass_second_step
from tests.factories import member, pdf_bytes, register
from tests.markers import transactional_db
from tests.support.axe import assert_accessible

pytestmark = [pytest.mark.e2e, transactional_db]


def test_officer_registers_reports_and_the_workspace_is_accessible_on_a_phone(browser, live_server, home):
    from django.contrib.auth.models import Group

    from emulation.models import MovementPage, Unit, UnitKind
    from tayho_site import roles

    for name in roles.ALL:  # groups come from a migration; a flushed database lacks them
        Group.objects.get_or_create(name=name)
    kind = UnitKind.objects.create(name="Phòng ban")
    district = Unit.add_root(name="Quận ủy", kind=kind)
    tree = {
        "district": district,
        "a": district.add_child(name="Phòng A", kind=kind),
        "front": district.add_child(name="Mặt trận Tổ quốc", kind=kind),
    }
    movement = MovementPage(title="Phong trào Chỉ thị 24", slug="chi-thi-24", period_start=datetime.date(2023, 9, 1))
    home.add_child(instance=movement)
    movement.save_revision().publish()
    officer = member("canbo", tree["a"], roles.UNIT_OFFICERS)
    register(tree, movement, officer, title="Việc đã có")

    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/dang-nhap/?next=/thi-dua/")
        page.get_by_label("Tên đăng nhập").fill("canbo")
        page.get_by_label("Mật khẩu").fill("mat-khau-dai-123")
        with page.expect_navigation():
            page.get_by_role("button", name="Đăng nhập").click()
        pass_second_step(page, "canbo")
        for url in ("/thi-dua/", "/thi-dua/dang-ky/", "/thi-dua/bang-theo-doi/"):
            page.goto(live_server.url + url)
            assert_accessible(page)
        page.goto(live_server.url + "/thi-dua/")
        with page.expect_navigation():
            page.get_by_role("link", name="Việc đã có").click()
        page.get_by_label("Tiến độ (%)").fill("60")
        page.get_by_label("Việc đã làm").fill("Đã rà soát 60% hồ sơ")
        with page.expect_navigation():
            page.get_by_role("button", name="Gửi báo cáo").click()
        assert "Đã gửi báo cáo tiến độ" in page.get_by_role("status").first.inner_text()
        assert "Đã rà soát 60% hồ sơ" in page.locator("main").inner_text()
        assert_accessible(page)
    finally:
        context.close()


def _sign_in(browser, live_server, username):
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + "/dang-nhap/?next=/thi-dua/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("mat-khau-dai-123")
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()
    pass_second_step(page, username)
    return context, page


def test_commitment_verified_and_made_public_then_a_month_past_the_cap_is_refused(browser, live_server, home, tmp_path):
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from emulation.models import MovementPage, Person, Unit, UnitKind, UnitMonth
    from tayho_site import roles

    for name in roles.ALL:
        Group.objects.get_or_create(name=name)
    kind = UnitKind.objects.create(name="Phòng ban")
    district = Unit.add_root(name="Quận ủy", kind=kind)
    unit_a = district.add_child(name="Phòng Văn hóa", kind=kind)
    front = district.add_child(name="Mặt trận Tổ quốc", kind=kind)
    movement = MovementPage(title="Phong trào Chỉ thị 24", slug="chi-thi-24", period_start=datetime.date(2023, 9, 1))
    home.add_child(instance=movement)
    movement.save_revision().publish()
    member("canbo", unit_a, roles.UNIT_OFFICERS)
    member("mattran", front, roles.SUPERVISORS)
    member("truongban", district, roles.UNIT_OFFICERS)
    for name in ("Phạm Thị Bình", "Hoàng Văn Cường"):
        Person.objects.create(full_name=name, unit=unit_a)
    evidence = tmp_path / "bien-ban.pdf"
    evidence.write_bytes(pdf_bytes())
    deadline = timezone.localdate() + datetime.timedelta(days=30)

    # The officer registers a commitment and reports it done, with a file.
    context, page = _sign_in(browser, live_server, "canbo")
    try:
        page.goto(live_server.url + "/thi-dua/dang-ky/")
        page.get_by_label("Phong trào").select_option(label="Phong trào Chỉ thị 24")
        page.get_by_label(re.compile(r"^Đơn vị")).select_option(label="Phòng Văn hóa")
        page.get_by_label("Việc đăng ký").fill("Số hóa hồ sơ di tích của quận")
        page.get_by_label("Kết quả đo được khi hoàn thành").fill("100% hồ sơ di tích tra cứu được trực tuyến")
        page.get_by_label("Thời hạn").fill(deadline.isoformat())
        page.get_by_label("Tổ chức giám sát").select_option(label="Mặt trận Tổ quốc")
        with page.expect_navigation():
            page.get_by_role("button", name="Đăng ký").click()
        assert "Số hóa hồ sơ di tích của quận" in page.locator("h1").inner_text()
        page.get_by_label("Tiến độ (%)").fill("100")
        page.get_by_label("Việc đã làm").fill("Đã số hóa 42 hồ sơ di tích")
        page.get_by_label("Minh chứng").set_input_files(str(evidence))
        page.get_by_label("Đã xong: đề nghị tổ chức giám sát xác nhận").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Gửi báo cáo").click()
        assert "Chờ xác nhận" in page.locator("main").inner_text()
        commitment_url = page.url
    finally:
        context.close()

    # The supervisor verifies it.
    context, page = _sign_in(browser, live_server, "mattran")
    try:
        page.goto(commitment_url)
        assert page.get_by_label("Tiến độ (%)").count() == 0  # supervisors remark; they do not report
        with page.expect_download() as download:
            page.get_by_role("link", name="Minh chứng").click()
        assert download.value.path().read_bytes().startswith(b"%PDF")
        page.get_by_label("Nhận xét").fill("Đã kiểm tra trên cổng thông tin: 42 hồ sơ tra cứu được.")
        page.get_by_label("Kết luận").select_option(value="verified")
        with page.expect_navigation():
            page.get_by_role("button", name="Ghi nhận xét").click()
        assert "Đã xác nhận hoàn thành" in page.locator("main").inner_text()
    finally:
        context.close()

    # The public page of the movement shows what was promised and delivered.
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    try:
        page.goto(live_server.url + movement.url)
        row = page.locator("tr", has_text="Số hóa hồ sơ di tích của quận")
        assert "Đã xác nhận hoàn thành" in row.inner_text() and "Phòng Văn hóa" in row.inner_text()
    finally:
        context.close()

    # The head opens the month, rates everyone "completed well", says the unit was late,
    # and is told why finalising is refused.
    context, page = _sign_in(browser, live_server, "truongban")
    try:
        page.goto(live_server.url + "/thi-dua/danh-gia/")
        assert_accessible(page)
        page.get_by_label(re.compile(r"^Đơn vị")).select_option(label="Phòng Văn hóa")
        page.get_by_label(re.compile(r"^Tháng")).fill(timezone.localdate().strftime("%Y-%m"))
        with page.expect_navigation():
            page.get_by_role("button", name="Mở đánh giá").click()
        month_url = page.url
        for name in ("canbo", "Phạm Thị Bình", "Hoàng Văn Cường"):
            with page.expect_navigation():
                page.get_by_role("link", name=f"Đánh giá {name}").click()
            if name == "canbo":
                assert_accessible(page)
            page.get_by_label("Xếp loại").select_option(label="Hoàn thành tốt nhiệm vụ")
            with page.expect_navigation():
                page.get_by_role("button", name="Lưu phiếu đánh giá").click()
            assert page.url == month_url
        page.get_by_label("Kết quả của đơn vị").select_option(value="late")
        with page.expect_navigation():
            page.get_by_role("button", name="Lưu kết quả").click()
        page.get_by_label("Tôi đã kiểm tra kết quả đánh giá").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Chốt kết quả tháng").click()
        alert = page.get_by_role("alert").inner_text()
        assert "tối đa 2/3" in alert and "điều chỉnh 1 phiếu" in alert, alert
        assert_accessible(page)
        assert UnitMonth.objects.get(unit=unit_a).finalised_at is None
    finally:
        context.close()
