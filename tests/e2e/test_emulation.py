import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.test_contest import AXE_TAGS
from tests.emulation.test_commitments import member, register
from tests.markers import transactional_db

pytestmark = [pytest.mark.e2e, transactional_db]


def test_officer_registers_reports_and_the_workspace_is_accessible_on_a_phone(browser, live_server, home):
    from django.contrib.auth.models import Group

    from emulation.models import MovementPage, Unit, UnitKind
    from tayho_site import roles

    for name in roles.ALL:  # groups come from a migration; a flushed database lacks them
        Group.objects.get_or_create(name=name)
    kind = UnitKind.objects.create(name="Phòng ban")
    district = Unit.add_root(name="Quận ủy", kind=kind)
    tree = {"district": district, "a": district.add_child(name="Phòng A", kind=kind),
            "front": district.add_child(name="Mặt trận Tổ quốc", kind=kind)}
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
        for url in ("/thi-dua/", "/thi-dua/dang-ky/", "/thi-dua/bang-theo-doi/"):
            page.goto(live_server.url + url)
            results = Axe().run(page, options=AXE_TAGS)
            assert results.response["violations"] == [], f"{url}: {results.generate_report()}"
        page.goto(live_server.url + "/thi-dua/")
        with page.expect_navigation():
            page.get_by_role("link", name="Việc đã có").click()
        page.get_by_label("Tiến độ (%)").fill("60")
        page.get_by_label("Việc đã làm").fill("Đã rà soát 60% hồ sơ")
        with page.expect_navigation():
            page.get_by_role("button", name="Gửi báo cáo").click()
        assert "Đã gửi báo cáo tiến độ" in page.get_by_role("status").first.inner_text()
        assert "Đã rà soát 60% hồ sơ" in page.locator("main").inner_text()
        results = Axe().run(page, options=AXE_TAGS)
        assert results.response["violations"] == [], results.generate_report()
    finally:
        context.close()
