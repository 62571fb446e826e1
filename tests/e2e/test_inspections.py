"""A browser story: a surprise check finds a unit's officer absent from the reception
desk; the team records the finding and the conclusion, whose remedy goes to the unit as a
referral; the unit answers it late; the weekly report shows it; the month's evaluation
proposes the deduction and the head confirms it."""

import datetime
import re

import pytest

from tests.e2e.conftest import signed_in
from tests.factories import member
from tests.markers import transactional_db

pytestmark = [pytest.mark.e2e, transactional_db]


def test_from_a_surprise_check_to_the_months_deduction(browser, live_server, home):
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from emulation.actions import monthly
    from emulation.inspections import actions
    from emulation.inspections.models import Finding, Inspection
    from emulation.models import (
        Manifestation,
        MonthProposal,
        MovementPage,
        Person,
        Rubric,
        RubricCriterion,
        RubricDeduction,
        Unit,
        UnitKind,
    )
    from referrals.actions import answer
    from referrals.models import Referral
    from tayho_site import roles

    for name in [*roles.ALL, roles.STANDING_COMMITTEE]:
        Group.objects.get_or_create(name=name)
    kind = UnitKind.objects.create(name="Phòng ban")
    district = Unit.add_root(name="Quận ủy", kind=kind)
    unit = district.add_child(name="Phòng Tiếp dân", kind=kind)
    movement = MovementPage(title="Phong trào Chỉ thị 24", slug="chi-thi-24", period_start=datetime.date(2023, 9, 1))
    home.add_child(instance=movement)
    absent = Manifestation.objects.create(page=movement, text="Không đúng giờ làm việc", code="gio-lam-viec")
    rubric = Rubric.objects.create(kind=kind)
    RubricCriterion.objects.create(rubric=rubric, text="Hoàn thành nhiệm vụ", max_points=100)
    RubricDeduction.objects.create(rubric=rubric, manifestation=absent, points=10)
    organiser = member("btc", district, roles.ORGANISERS)
    member("thanhtra", district, roles.UNIT_OFFICERS)
    officer = member("canbo", unit, roles.UNIT_OFFICERS)
    member("truong", district, roles.UNIT_OFFICERS)
    Person.objects.create(full_name="Lê Văn An", unit=unit)
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    inspection = actions.open_inspection(
        by=organiser,
        title="Kiểm tra đột xuất giờ tiếp dân",
        kind=Inspection.Kind.SURPRISE,
        subject=Inspection.Subject.HOURS,
        units=[unit],
        team=[officer.__class__.objects.get(username="thanhtra")],
        starts_on=last_month,
        ends_on=last_month,
    )

    # The team records the finding and the conclusion.
    context, page = signed_in(browser, live_server, "thanhtra", f"/thi-dua/thanh-tra/{inspection.pk}/")
    try:
        page.locator("#id_unit").select_option(label="Phòng Tiếp dân")
        page.locator("#id_manifestation").select_option(label="Không đúng giờ làm việc")
        page.locator("#id_found_on").fill(last_month.isoformat())
        page.locator("#id_people").select_option(label="Lê Văn An (Phòng Tiếp dân)")
        page.locator("#id_text").fill("Bàn tiếp dân không có người lúc 8 giờ 30")
        with page.expect_navigation():
            page.get_by_role("button", name=re.compile("^Ghi nhận$")).click()
        assert "Bàn tiếp dân không có người" in page.locator("main").inner_text()
        page.goto(live_server.url + f"/thi-dua/thanh-tra/{inspection.pk}/ket-luan/")
        page.locator("#id_number").fill("15/KL-UBND")
        page.locator("#id_signed_on").fill(last_month.isoformat())
        page.locator("#id_signer").fill("Chủ tịch UBND quận")
        page.locator("#id_unit_0").select_option(label="Phòng Tiếp dân")
        page.locator("#id_remedy_0").fill("Bố trí người trực bàn tiếp dân đủ giờ")
        with page.expect_navigation():
            page.get_by_role("button", name="Lưu").click()
        assert "15/KL-UBND" in page.locator("main").inner_text()
    finally:
        context.close()
    assert Finding.objects.get().unit == unit
    referral = Referral.objects.get()
    assert referral.unit == unit

    # The unit answers the remedy, after its deadline.
    Referral.objects.filter(pk=referral.pk).update(received_on=last_month, due_on=last_month.replace(day=10))
    answer(referral, outcome=Referral.Outcome.DONE, text="Đã bố trí người trực", by=officer)

    # The weekly report shows it done late.
    context, page = signed_in(browser, live_server, "btc", "/thi-dua/thanh-tra/bao-cao-tuan/")
    try:
        row = page.locator("main table tbody tr", has_text="Phòng Tiếp dân")
        cells = row.locator("td").all_inner_texts()
        assert cells[3:5] == ["1", "1"]  # one remedy done, one done late
    finally:
        context.close()

    # The month's evaluation proposes the deduction; the head confirms it.
    head = officer.__class__.objects.get(username="truong")
    unit_month = monthly.open_month(unit, last_month, by=head)
    proposal = unit_month.proposals.get(source="inspections")
    assert proposal.person.full_name == "Lê Văn An"  # the one person named in the finding
    context, page = signed_in(browser, live_server, "truong", f"/thi-dua/danh-gia/{unit_month.pk}/")
    try:
        main = page.locator("main")
        assert "Không đúng giờ làm việc" in main.inner_text()
        page.get_by_label("Lý do").fill("Kết luận 15/KL-UBND")
        with page.expect_navigation():
            page.get_by_role("button", name=re.compile("^Xác nhận")).click()
        assert "Đã xác nhận đề xuất" in page.get_by_role("status").first.inner_text()
    finally:
        context.close()
    proposal.refresh_from_db()
    assert proposal.state == MonthProposal.State.CONFIRMED
