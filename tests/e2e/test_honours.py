"""The honour board end to end in Chromium: a unit nominates, the council votes in a
secret ballot, the decision is recorded and the honour published; the public finds it by
searching without diacritics; it is revoked and disappears, and its certificate's
verification page then says so. axe-core checks the board, a person page and the
certificate page."""

import pytest
from django.utils import timezone

from tests.e2e.conftest import signed_in
from tests.markers import transactional_db
from tests.support.axe import assert_accessible

pytestmark = [pytest.mark.e2e, transactional_db]
PASSWORD = "mat-khau-dai-123"


@pytest.fixture
def setting(home):
    from django.contrib.auth import get_user_model

    from emulation.honours.models import HonourCategory, HonourIndexPage
    from emulation.models import Person, Unit, UnitKind
    from tayho_site import roles
    from tests.factories import member, roles_as_deployed

    roles_as_deployed()  # the organiser opens the admin: its group's permissions as deployed
    kind = UnitKind.objects.create(name="Phòng ban")
    district = Unit.add_root(name="UBND quận", kind=kind)
    office = district.add_child(name="Phòng Nội vụ", kind=kind)
    member("canbo", office, roles.UNIT_OFFICERS)
    member("bantochuc", district, roles.ORGANISERS)
    for n in range(3):
        member(f"hoidong{n}", district, roles.EMULATION_COUNCIL)
    Person.objects.create(full_name="Nguyễn Văn Đức", position="Trưởng phòng", unit=office, email="duc@tayho.vn")
    HonourCategory.objects.create(name="Cá nhân điển hình, tiêu biểu")
    board = HonourIndexPage(title="Bảng vinh danh", slug="vinh-danh")
    home.add_child(instance=board)
    board.save_revision().publish()
    assert get_user_model().objects.filter(username="hoidong2").exists()
    return board


def test_a_nomination_from_the_unit_to_the_board_and_its_revocation(browser, live_server, setting, screenshot):
    from emulation.honours.models import Honour, Nomination

    board = setting
    contexts = []
    try:
        # 1. The unit nominates its head of office.
        context, unit = signed_in(browser, live_server, "canbo", "/thi-dua/khen-thuong/de-nghi/")
        contexts.append(context)
        assert_accessible(unit)
        unit.get_by_label("Cán bộ").select_option(label="Nguyễn Văn Đức (Phòng Nội vụ)")
        unit.get_by_label("Danh hiệu, hình thức khen thưởng").select_option(label="Cá nhân điển hình, tiêu biểu")
        unit.get_by_label("Thành tích").fill("Rút ngắn thời gian giải quyết hồ sơ một cửa từ 7 xuống 3 ngày.")
        unit.get_by_label("Người được đề nghị đồng ý công khai chức vụ").check()
        with unit.expect_navigation():
            unit.get_by_role("button", name="Gửi Hội đồng").click()
        assert "Đã đề nghị" in unit.locator("main").inner_text()
        nomination = Nomination.objects.get()

        # 2. The organisers put it to a secret ballot; the council votes, two for, one against.
        context, organiser = signed_in(browser, live_server, "bantochuc", f"/thi-dua/khen-thuong/{nomination.pk}/")
        contexts.append(context)
        organiser.get_by_label("Bỏ phiếu kín").check()
        with organiser.expect_navigation():
            organiser.get_by_role("button", name="Đưa ra Hội đồng bỏ phiếu").click()
        for username, choice in (("hoidong0", "Đồng ý"), ("hoidong1", "Đồng ý"), ("hoidong2", "Không đồng ý")):
            context, member_page = signed_in(browser, live_server, username, f"/thi-dua/khen-thuong/{nomination.pk}/")
            member_page.get_by_label(choice, exact=True).check()
            with member_page.expect_navigation():
                member_page.get_by_role("button", name="Bỏ phiếu").click()
            assert "Bạn đã bỏ phiếu" in member_page.locator("main").inner_text()
            assert "hoidong0" not in member_page.locator("main").inner_text()  # secret: no names with votes
            context.close()

        # 3. The decision is recorded and the honour published. Until then the counts are
        # sealed, on the workspace page and in the admin's record alike.
        organiser.reload()
        assert "3 thành viên đã bỏ phiếu" in organiser.locator("main").inner_text()  # no counts until decided
        inspect = f"{live_server.url}/admin/nomination-records/inspect/{nomination.pk}/"
        organiser.goto(inspect)
        record = organiser.locator("main").inner_text()
        assert record.count("Giữ kín đến khi ghi quyết định của Hội đồng") == 3 and "Số phiếu kín tán thành" in record
        organiser.goto(f"{live_server.url}/thi-dua/khen-thuong/{nomination.pk}/")
        organiser.get_by_label("Số quyết định").fill("15/QĐ-HĐTĐKT")
        organiser.get_by_label("Ngày quyết định").fill(timezone.localdate().isoformat())
        organiser.get_by_label("Người ký").fill("Chủ tịch Hội đồng Nguyễn Văn An")
        with organiser.expect_navigation():
            organiser.get_by_role("button", name="Ghi quyết định").click()
        assert "Hội đồng đã thông qua" in organiser.locator("main").inner_text()
        assert "Đồng ý 2, không đồng ý 1" in organiser.locator("main").inner_text()
        organiser.goto(inspect)
        assert "Giữ kín" not in organiser.locator("main").inner_text()  # decided: the counts as they are
        assert organiser.locator("dt:has-text('Số phiếu kín tán thành') + dd").inner_text().strip() == "2"
        organiser.goto(f"{live_server.url}/thi-dua/khen-thuong/{nomination.pk}/")
        organiser.get_by_label("Lời tuyên dương").fill("Điển hình về cải cách thủ tục hành chính")
        with organiser.expect_navigation():
            organiser.get_by_role("button", name="Công bố trên Bảng vinh danh").click()
        honour = Honour.objects.get()

        # 4. The public finds it without diacritics, on a phone.
        context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True)
        contexts.append(context)
        public = context.new_page()
        public.goto(live_server.url + board.url)
        assert_accessible(public)
        public.get_by_label("Tìm kiếm", exact=True).fill("nguyen van duc")
        with public.expect_navigation():
            public.get_by_role("button", name="Hiển thị", exact=True).click()
        with public.expect_navigation():
            public.get_by_role("link", name="Nguyễn Văn Đức").click()
        text = public.locator("main").inner_text()
        assert "Điển hình về cải cách thủ tục hành chính" in text and "Trưởng phòng" in text
        assert "duc@tayho.vn" not in public.content()
        assert_accessible(public)
        screenshot(public, "honour-person")
        with public.expect_navigation():
            public.get_by_role("link", name="Giấy chứng nhận").click()
        assert "15/QĐ-HĐTĐKT" in public.locator("main").inner_text()
        assert_accessible(public)
        screenshot(public, "honour-certificate")

        # 5. Revoked: off the board, and the certificate's code says so.
        with organiser.expect_navigation():
            organiser.get_by_label("Lý do thu hồi").fill("Kê khai thành tích không trung thực")
            organiser.get_by_role("button", name="Thu hồi khen thưởng").click()
        public.goto(live_server.url + board.url + "?q=nguyen+van+duc")
        assert "Nguyễn Văn Đức" not in public.locator("main").inner_text()
        public.goto(f"{live_server.url}{board.url}xac-minh/{honour.code}/")
        assert "Đã bị thu hồi" in public.get_by_role("alert").inner_text()
        assert "Kê khai thành tích không trung thực" not in public.locator("main").inner_text()  # kept in the record
        screenshot(public, "honour-revoked")
    finally:
        for context in contexts:
            context.close()
