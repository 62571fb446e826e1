"""A browser story: a referral left unanswered past its deadline is proposed as a
deduction in its unit's monthly evaluation; the head names the cadre, gives the reason
and confirms it on the month page."""

import datetime
import re

import pytest

from tests.e2e.conftest import signed_in
from tests.factories import member
from tests.markers import transactional_db
from tests.support.axe import assert_accessible

pytestmark = [pytest.mark.e2e, transactional_db]


def test_the_head_confirms_an_overdue_referral_as_a_deduction(browser, live_server, home):
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from emulation.actions import monthly
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
    from referrals import actions
    from referrals.models import Referral
    from tayho_site import roles

    for name in roles.ALL:  # groups come from a migration; a flushed database lacks them
        Group.objects.get_or_create(name=name)
    kind = UnitKind.objects.create(name="Phòng ban")
    district = Unit.add_root(name="Quận ủy", kind=kind)
    unit = district.add_child(name="Phòng A", kind=kind)
    movement = MovementPage(title="Phong trào Chỉ thị 24", slug="chi-thi-24", period_start=datetime.date(2023, 9, 1))
    home.add_child(instance=movement)
    late = Manifestation.objects.create(page=movement, text="Chậm trễ giải quyết công việc", code="tra-loi-qua-han")
    rubric = Rubric.objects.create(kind=kind)
    RubricCriterion.objects.create(rubric=rubric, text="Hoàn thành nhiệm vụ", max_points=100)
    RubricDeduction.objects.create(rubric=rubric, manifestation=late, points=25)
    head = member("truong", district, roles.UNIT_OFFICERS)
    an = Person.objects.create(full_name="Lê Văn An", unit=unit)
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    subject = Person.objects.create(full_name="Ý tưởng đèn đường", unit=district)
    referral = actions.refer(subject, unit=unit, by=head, title="Đèn đường ven hồ", today=last_month)
    Referral.objects.filter(pk=referral.pk).update(due_on=last_month.replace(day=10))
    unit_month = monthly.open_month(unit, last_month, by=head)
    proposal = unit_month.proposals.get()

    context, page = signed_in(browser, live_server, "truong", f"/thi-dua/danh-gia/{unit_month.pk}/")
    try:
        main = page.locator("main")
        assert "Trả lời quá hạn: Đèn đường ven hồ" in main.inner_text()
        assert "Chậm trễ giải quyết công việc" in main.inner_text()
        assert_accessible(page)
        page.get_by_label("Cán bộ liên quan").select_option(label="Lê Văn An")
        page.get_by_label("Lý do").fill("Quá hạn 10 ngày, không báo cáo lý do")
        with page.expect_navigation():
            page.get_by_role("button", name=re.compile("^Xác nhận")).click()
        confirmed = page.locator("main").inner_text()
        assert "Đã xác nhận đề xuất" in confirmed, confirmed[:1500]
        assert "Quá hạn 10 ngày" in main.inner_text()
        assert_accessible(page)
    finally:
        context.close()
    proposal.refresh_from_db()
    assert (proposal.state, proposal.person) == (MonthProposal.State.CONFIRMED, an)
