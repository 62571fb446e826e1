"""Proposals on the month page of the evaluation workspace: shown with their source link,
manifestation and points, decided with a reason through the forms beside them, included
in the month's export; another unit's officer cannot decide them by changing an id; the
page costs the same queries for 3 or 30 proposals."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from emulation.actions import monthly
from emulation.models import Manifestation, MonthProposal, Person, Rubric, RubricCriterion, RubricDeduction
from emulation.proposals import DEDUCTION, MERIT, Proposed, register_source, unregister_source
from tayho_site import roles
from tests.factories import member

pytestmark = pytest.mark.django_db
OCTOBER = datetime.date(2026, 10, 1)
offered = []


@pytest.fixture
def setup(tree, movement):
    offered.clear()
    register_source("test", lambda unit, month: [i for pk, i in offered if pk == unit.pk], label="Nguồn thử")
    late = Manifestation.objects.create(page=movement, text="Chậm trễ giải quyết công việc")
    rubric = Rubric.objects.create(kind=tree["a"].kind)
    RubricCriterion.objects.create(rubric=rubric, text="Hoàn thành nhiệm vụ", max_points=100)
    RubricDeduction.objects.create(rubric=rubric, manifestation=late, points=25)
    head = member("truong_a", tree["district"], roles.UNIT_OFFICERS)
    officer_b = member("truong_b", tree["b"], roles.UNIT_OFFICERS)
    an = Person.objects.create(full_name="Lê Văn An", unit=tree["a"])
    Person.objects.create(full_name="Cán bộ phòng B", unit=tree["b"])
    offered.append(
        (tree["a"].pk, Proposed("1", DEDUCTION, "Trả lời quá hạn: Đèn đường", "/thi-dua/chuyen-xu-ly/7/", late.pk))
    )
    offered.append((tree["a"].pk, Proposed("2", MERIT, "Người dân xác nhận: Vỉa hè", "", None, an.pk)))
    offered.append((tree["b"].pk, Proposed("3", DEDUCTION, "Trả lời quá hạn: Phòng B", "", late.pk)))
    month_a = monthly.open_month(tree["a"], OCTOBER, by=head)
    month_b = monthly.open_month(tree["b"], OCTOBER, by=officer_b)
    yield {"head": head, "officer_b": officer_b, "an": an, "a": month_a, "b": month_b, "late": late}
    unregister_source("test")
    offered.clear()


def month_url(unit_month):
    return reverse("emulation:month", args=[unit_month.pk])


def test_the_head_sees_and_decides_the_proposals(client, setup):
    client.force_login(setup["head"])
    page = client.get(month_url(setup["a"])).content.decode()
    assert "Có 2 đề xuất đang chờ quyết định" in page
    assert 'href="/thi-dua/chuyen-xu-ly/7/"' in page and "Trả lời quá hạn: Đèn đường" in page
    assert "Chậm trễ giải quyết công việc" in page and "−25" in page and "Nguồn thử" in page
    assert "Phòng B" not in page
    deduction = setup["a"].proposals.get(source_key="1")
    response = client.post(
        month_url(setup["a"]),
        {"action": "decide", "proposal": deduction.pk, "decision": "confirm", "reason": "  ", "person": ""},
    )
    assert response.status_code == 400 and "Lý do: Xin điền mục này." in response.content.decode()
    response = client.post(
        month_url(setup["a"]),
        {"action": "decide", "proposal": deduction.pk, "decision": "confirm", "reason": "Quá hạn", "person": ""},
    )
    assert response.status_code == 302
    assert "chọn cán bộ" in client.get(month_url(setup["a"])).content.decode()
    response = client.post(
        month_url(setup["a"]),
        {
            "action": "decide",
            "proposal": deduction.pk,
            "decision": "confirm",
            "reason": "Quá hạn 5 ngày",
            "person": setup["an"].pk,
        },
    )
    assert response.status_code == 302
    deduction.refresh_from_db()
    assert (deduction.state, deduction.person, deduction.reason) == ("confirmed", setup["an"], "Quá hạn 5 ngày")
    merit = setup["a"].proposals.get(source_key="2")
    client.post(
        month_url(setup["a"]),
        {"action": "decide", "proposal": merit.pk, "decision": "reject", "reason": "Chưa đủ căn cứ"},
    )
    page = client.get(month_url(setup["a"])).content.decode()
    assert "Có 0 đề xuất" in page and "Đã bác bỏ" in page and "Chưa đủ căn cứ" in page and "truong_a" in page


def test_the_refresh_button_gathers_new_proposals(client, tree, setup):
    client.force_login(setup["head"])
    offered.append((tree["a"].pk, Proposed("4", DEDUCTION, "Trả lời quá hạn: Cây xanh", "", setup["late"].pk)))
    response = client.post(month_url(setup["a"]), {"action": "gather"}, follow=True)
    assert "Số đề xuất mới tìm thấy: 1" in response.content.decode()
    assert setup["a"].proposals.count() == 3


def test_another_units_officer_cannot_decide_by_changing_an_id(client, tree, setup):
    proposal_a = setup["a"].proposals.get(source_key="1")
    data = {"action": "decide", "proposal": proposal_a.pk, "decision": "reject", "reason": "Không đúng"}
    client.force_login(setup["officer_b"])
    assert client.post(month_url(setup["a"]), data).status_code == 404
    assert client.post(month_url(setup["a"]), {"action": "gather"}).status_code == 404
    # Through their own month, another month's proposal is not found either.
    assert client.post(month_url(setup["b"]), data).status_code == 404
    proposal_a.refresh_from_db()
    assert proposal_a.state == MonthProposal.State.PROPOSED
    # …while their own month's proposal is theirs to decide.
    proposal_b = setup["b"].proposals.get()
    data["proposal"] = proposal_b.pk
    assert client.post(month_url(setup["b"]), data).status_code == 302
    proposal_b.refresh_from_db()
    assert proposal_b.state == MonthProposal.State.REJECTED


def test_the_export_includes_the_decisions(client, setup):
    client.force_login(setup["head"])
    deduction = setup["a"].proposals.get(source_key="1")
    client.post(
        month_url(setup["a"]),
        {
            "action": "decide",
            "proposal": deduction.pk,
            "decision": "confirm",
            "reason": "Quá hạn",
            "person": setup["an"].pk,
        },
    )
    content = client.get(reverse("emulation:month_export", args=[setup["a"].pk])).content
    sheet = load_workbook(BytesIO(content))["Đề xuất"]
    rows = {row[2]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    confirmed = rows["Trả lời quá hạn: Đèn đường"]
    assert confirmed[0] == "Điểm trừ" and confirmed[3] == "http://testserver/thi-dua/chuyen-xu-ly/7/"
    assert confirmed[4:10] == ("Chậm trễ giải quyết công việc", "Lê Văn An", -25, "Đã xác nhận", "Quá hạn", "truong_a")
    assert rows["Người dân xác nhận: Vỉa hè"][7] == "Chờ quyết định"


def test_the_month_page_costs_the_same_queries_for_3_or_30_proposals(
    client, tree, setup, django_assert_max_num_queries
):
    client.force_login(setup["head"])
    url = month_url(setup["a"])
    people = list(Person.objects.filter(unit=tree["a"]))
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    for n in range(28):
        proposal = MonthProposal.objects.create(
            unit_month=setup["a"],
            kind=DEDUCTION,
            manifestation=setup["late"],
            person=people[n % len(people)] if n % 2 else None,
            source="test",
            source_key=f"many-{n}",
            title=f"Trả lời quá hạn {n}",
        )
        if n % 3 == 0:
            MonthProposal.objects.filter(pk=proposal.pk).update(
                state=MonthProposal.State.REJECTED, reason="Trùng", decided_by=setup["head"]
            )
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
