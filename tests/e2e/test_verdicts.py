"""Nothing is done until the resident says so, end to end in Chromium: a resident sends
an idea, it is published and referred to a unit, the unit answers, the resident says
"not resolved" (with a photo) from the link in the e-mail, the unit answers again, the
resident confirms; the idea's page and the accountability page show the reopening and
the confirmed answer, and the ward's monthly evaluation proposes both: the reopening as a
deduction, which the head confirms, the confirmed answer as a merit."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from tests.e2e.conftest import signed_in
from tests.factories import jpeg_bytes
from tests.markers import transactional_db
from tests.support.axe import assert_accessible

pytestmark = [pytest.mark.e2e, transactional_db]


@pytest.fixture
def setting(home):
    from django.contrib.auth.models import Group

    from emulation.models import (
        Manifestation,
        MovementPage,
        Person,
        Rubric,
        RubricCriterion,
        RubricDeduction,
        Unit,
        UnitKind,
    )
    from ideas.models import IdeaCallPage, IdeaIndexPage, Sector
    from tayho_site import roles
    from tests.factories import member

    for name in roles.ALL:
        Group.objects.get_or_create(name=name)
    Sector.objects.create(name="Trật tự đô thị")
    index = IdeaIndexPage(title="Ý tưởng", slug="y-tuong")
    home.add_child(instance=index)
    index.save_revision().publish()
    call = IdeaCallPage(title="Hòm thư ý tưởng", slug="hom-thu", opens_at=timezone.now() - datetime.timedelta(days=1))
    index.add_child(instance=call)
    call.save_revision().publish()
    kind = UnitKind.objects.create(name="Phường")
    district = Unit.add_root(name="UBND quận", kind=kind)
    ward = district.add_child(name="UBND phường Nhật Tân", kind=kind)
    member("canbo_phuong", ward, roles.UNIT_OFFICERS)
    member("truong", district, roles.UNIT_OFFICERS)  # heads the ward's month from above
    movement = MovementPage(title="Phong trào Chỉ thị 24", slug="chi-thi-24", period_start=datetime.date(2023, 9, 1))
    home.add_child(instance=movement)
    reopened = Manifestation.objects.create(
        page=movement, text="Giải quyết công việc không đến nơi đến chốn", code="tra-loi-chua-dat"
    )
    rubric = Rubric.objects.create(kind=kind)
    RubricCriterion.objects.create(rubric=rubric, text="Hoàn thành nhiệm vụ", max_points=100)
    RubricDeduction.objects.create(rubric=rubric, manifestation=reopened, points=10)
    Person.objects.create(full_name="Phạm Văn Bình", unit=ward)
    return {"index": index, "call": call, "ward": ward}


def _link(pattern):
    return re.search(pattern, mail.outbox[-1].body).group(0)


def _verdict_link(live_server):
    """The link of the latest e-mail, on the live server (rules write the site's address)."""
    return live_server.url + re.search(r"https?://[^/\s]+(/ho-so-y-tuong/danh-gia/\S+/)", mail.outbox[-1].body).group(1)


def _answer(page, live_server, text):
    page.goto(live_server.url + "/thi-dua/chuyen-xu-ly/")
    with page.expect_navigation():
        page.get_by_role("link", name="Đèn chiếu sáng ngõ 52 Nhật Tân", exact=True).click()
    page.get_by_label("Đã thực hiện").check()
    page.get_by_label("Nội dung trả lời (công khai)").fill(text)
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi trả lời").click()
    assert "đã được ghi nhận" in page.get_by_role("status").first.inner_text()


def test_the_resident_reopens_an_answer_then_confirms_the_next(browser, live_server, setting, tmp_path):
    from django.contrib.auth import get_user_model

    from emulation.actions import monthly
    from emulation.models import MonthProposal
    from ideas.actions import moderation, referring
    from ideas.models import Idea
    from referrals.models import Referral

    User = get_user_model()

    index, call = setting["index"], setting["call"]
    photo = tmp_path / "ngo-toi.jpg"
    photo.write_bytes(jpeg_bytes((80, 60)))
    resident_context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True)
    contexts = [resident_context]
    try:
        # 1. The resident sends the idea and confirms it; it is published and referred.
        resident = resident_context.new_page()
        resident.set_default_timeout(15_000)
        resident.goto(live_server.url + call.url + "gui-y-tuong/")
        resident.get_by_label("Tên ý tưởng").fill("Đèn chiếu sáng ngõ 52 Nhật Tân")
        resident.get_by_label("Vấn đề").fill("Ngõ 52 tối om từ chập tối, người đi bộ dễ vấp ngã và mất an toàn.")
        resident.get_by_label("Đề xuất của bạn").fill("Lắp thêm bốn đèn đường tiết kiệm điện dọc theo ngõ 52.")
        resident.get_by_label("Lợi ích dự kiến").fill("Ngõ sáng, an toàn cho người đi bộ.")
        resident.get_by_label("Lĩnh vực").select_option(label="Trật tự đô thị")
        resident.get_by_label("Họ và tên").fill("Trần Thu Hà")
        resident.get_by_label("Thư điện tử").fill("ha@example.vn")
        resident.get_by_label("Tôi đã đọc và đồng ý với quy định của hòm thư ý tưởng.").check()
        resident.get_by_label("Tôi đồng ý để Ban Tổ chức xử lý dữ liệu cá nhân").check()
        resident.get_by_label("Mã kiểm tra").fill("PASSED")
        with resident.expect_navigation():
            resident.get_by_role("button", name="Gửi ý tưởng").click()
        resident.goto(_link(r"https?://\S+/xac-nhan/\S+/"))
        with resident.expect_navigation():
            resident.get_by_role("button", name="Xác nhận ý tưởng").click()
        idea = moderation.publish(Idea.objects.get(), by=None)
        referring.refer(idea, unit=setting["ward"], by=None)

        # 2. The ward answers: done.
        context, unit = signed_in(browser, live_server, "canbo_phuong", "/thi-dua/chuyen-xu-ly/")
        contexts.append(context)
        _answer(unit, live_server, "Đã lắp bốn đèn dọc ngõ 52.")
        assert "ha@example.vn" in mail.outbox[-1].to

        # 3. The resident says it is not resolved, with a photo, from the e-mailed link.
        resident.goto(_verdict_link(live_server))
        assert "Đã lắp bốn đèn dọc ngõ 52." in resident.locator("main").inner_text()
        assert_accessible(resident)
        resident.get_by_label("Chưa giải quyết").check()
        resident.get_by_label("Ý kiến của bạn").fill("Hai đèn cuối ngõ vẫn chưa sáng.")
        resident.get_by_label("Ảnh chụp (không bắt buộc: .jpg hoặc .png, tối đa 5 MB)").set_input_files(str(photo))
        resident.get_by_label("Mã kiểm tra").fill("PASSED")
        with resident.expect_navigation():
            resident.get_by_role("button", name="Gửi đánh giá").click()
        assert "phải trả lời lại" in resident.get_by_role("status").inner_text()
        referral = Referral.objects.get()
        assert (referral.status, referral.reopenings) == (Referral.Status.OPEN, 1)

        # 4. The ward reads the resident's word and photo, and answers again.
        unit.goto(f"{live_server.url}/thi-dua/chuyen-xu-ly/{referral.pk}/")
        assert "Hai đèn cuối ngõ vẫn chưa sáng." in unit.locator("main").inner_text()
        assert unit.get_by_role("link", name="Ảnh").count() == 1
        _answer(unit, live_server, "Đã thay hai bóng đèn cuối ngõ.")

        # 5. The resident confirms the second answer.
        resident.goto(_verdict_link(live_server))
        resident.get_by_label("Đã giải quyết").check()
        resident.get_by_label("Mã kiểm tra").fill("PASSED")
        with resident.expect_navigation():
            resident.get_by_role("button", name="Gửi đánh giá").click()
        assert "xác nhận đã giải quyết" in resident.get_by_role("status").inner_text()

        # 6. The idea's page and the accountability page show all of it.
        resident.goto(f"{live_server.url}{index.url}{idea.pk}/")
        main = resident.locator("main").inner_text()
        assert "Đã mở lại 1 lần" in main
        timeline = resident.locator(".timeline").inner_text()
        assert "Mở lại: người dân cho biết chưa giải quyết" in timeline
        assert "Người dân xác nhận đã giải quyết" in timeline
        resident.goto(f"{live_server.url}{index.url}trach-nhiem/?ky={timezone.localdate().year}")
        cells = resident.locator("tbody tr", has_text="UBND phường Nhật Tân").locator("td").all_inner_texts()
        assert cells[1] == "1"  # answered on time (the second answer, on the new clock)
        assert cells[8].startswith("50%") and cells[9] == "1"  # 1 of 2 answers confirmed; 1 reopened
        assert_accessible(resident)

        # 7. The ward's month proposes the reopening as a deduction and the confirmed
        # answer as a merit; the head confirms the deduction, naming the cadre.
        unit_month = monthly.open_month(setting["ward"], timezone.localdate(), by=User.objects.get(username="truong"))
        head_context, head = signed_in(browser, live_server, "truong", f"/thi-dua/danh-gia/{unit_month.pk}/")
        contexts.append(head_context)
        proposals = head.locator("main").inner_text()
        assert "Người dân phản hồi chưa giải quyết: Đèn chiếu sáng ngõ 52 Nhật Tân" in proposals
        assert "Người dân xác nhận đã giải quyết: Đèn chiếu sáng ngõ 52 Nhật Tân" in proposals
        deduction = unit_month.proposals.get(kind=MonthProposal.Kind.DEDUCTION)
        form = head.locator(f"form:has(input[name='proposal'][value='{deduction.pk}'])")
        form.get_by_label("Cán bộ liên quan").select_option(label="Phạm Văn Bình")
        form.get_by_label("Lý do").fill("Trả lời lần đầu chưa giải quyết xong, người dân phải phản ánh lại")
        with head.expect_navigation():
            form.get_by_role("button", name=re.compile("^Xác nhận")).click()
        confirmed = head.locator("main").inner_text()
        assert "Đã xác nhận đề xuất" in confirmed, confirmed[:1500]
        deduction.refresh_from_db()
        assert deduction.state == MonthProposal.State.CONFIRMED and deduction.person.full_name == "Phạm Văn Bình"
        assert unit_month.proposals.get(kind=MonthProposal.Kind.MERIT).state == MonthProposal.State.PROPOSED
    finally:
        for context in contexts:
            context.close()
