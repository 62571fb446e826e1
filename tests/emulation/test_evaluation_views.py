"""The monthly evaluation through the workspace: the pages, the refusal message, the
export, and the permission boundaries (another unit's month, sheet, history or export
by changing an id)."""

import datetime
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from emulation import evaluation as rules
from emulation import permissions
from emulation.actions import commitments, monthly
from emulation.models import CadreRating, Person, Rubric, RubricCriterion, RubricDeduction, UnitMonth
from tayho_site import roles
from tayho_site.models import AuditEntry
from tests.factories import member

pytestmark = pytest.mark.django_db
OCTOBER = datetime.date(2026, 10, 1)


@pytest.fixture
def setup(tree):
    head = member("truong_a", tree["district"], roles.UNIT_OFFICERS)  # heads unit A from the level above
    officer_b = member("truong_b", tree["b"], roles.UNIT_OFFICERS)
    cadre = get_user_model().objects.create_user("canbo_a", password="mat-khau-dai-123")
    Person.objects.create(full_name="Lê Văn An", unit=tree["a"], user=cadre)
    for name in ("Phạm Thị Bình", "Hoàng Văn Cường"):
        Person.objects.create(full_name=name, unit=tree["a"])
    Person.objects.create(full_name="Cán bộ phòng B", unit=tree["b"])
    month_a = monthly.open_month(tree["a"], OCTOBER, by=head)
    month_b = monthly.open_month(tree["b"], OCTOBER, by=officer_b)
    return {"head": head, "officer_b": officer_b, "cadre": cadre, "a": month_a, "b": month_b}


def test_an_officer_opens_a_month_through_the_form(client, tree, setup):
    client.force_login(setup["head"])
    response = client.post(reverse("emulation:evaluation"), {"unit": tree["b"].pk, "month": "2026-09"})
    unit_month = UnitMonth.objects.get(unit=tree["b"], month=datetime.date(2026, 9, 1))
    assert response.status_code == 302 and response["Location"] == reverse("emulation:month", args=[unit_month.pk])
    response = client.post(reverse("emulation:evaluation"), {"unit": tree["b"].pk, "month": "2026-09"})
    assert response.status_code == 400 and "đã được mở" in response.content.decode()
    response = client.post(reverse("emulation:evaluation"), {"unit": tree["b"].pk, "month": "tháng mười"})
    assert response.status_code == 400


def test_the_head_scores_with_the_rubric_and_the_cadre_assesses_themself(client, tree, setup):
    rubric = Rubric.objects.create(kind=tree["a"].kind)
    work = RubricCriterion.objects.create(rubric=rubric, text="Hoàn thành nhiệm vụ", max_points=70)
    conduct = RubricCriterion.objects.create(rubric=rubric, text="Thái độ phục vụ", max_points=30)
    shirking = RubricDeduction.objects.create(rubric=rubric, text="Đùn đẩy trách nhiệm", points=25)
    rating = setup["a"].ratings.get(person__user=setup["cadre"])
    url = reverse("emulation:assess", args=[rating.pk])

    client.force_login(setup["cadre"])
    page = client.get(url).content.decode()
    assert "Tự đánh giá" in page and "Hoàn thành nhiệm vụ" in page and "Đùn đẩy trách nhiệm (−25 điểm)" in page
    response = client.post(url, {f"criterion_{work.pk}": "80", f"criterion_{conduct.pk}": "30"})
    assert response.status_code == 400 and "Tối đa 70 điểm" in response.content.decode()
    response = client.post(url, {f"criterion_{work.pk}": "65", f"criterion_{conduct.pk}": "30"})
    assert response.status_code == 302
    rating.refresh_from_db()
    assert (rating.self_rating, rating.self_points) == (rules.EXCELLENT, 95)

    client.force_login(setup["head"])
    response = client.post(
        url,
        {
            f"criterion_{work.pk}": "65",
            f"criterion_{conduct.pk}": "30",
            "deductions": [str(shirking.pk)],
            "comment": "Còn để hồ sơ trễ hạn",
        },
    )
    assert response.status_code == 302
    rating.refresh_from_db()
    assert (rating.head_rating, rating.head_points) == (rules.GOOD, 70)
    assert rating.self_rating == rules.EXCELLENT
    assert AuditEntry.objects.filter(action="emulation.rating.head", target_id=str(rating.pk)).count() == 1


def test_finalising_past_the_cap_is_refused_with_the_reason_on_the_page(client, tree, setup):
    client.force_login(setup["head"])
    month_url = reverse("emulation:month", args=[setup["a"].pk])
    for rating in setup["a"].ratings.all():
        assert client.post(reverse("emulation:assess", args=[rating.pk]), {"band": rules.GOOD}).status_code == 302
    client.post(month_url, {"action": "result", "unit_result": rules.UNIT_NOT_DONE})
    response = client.post(month_url, {"action": "finalise", "confirm": "on"}, follow=True)
    page = response.content.decode()
    assert "tối đa 1/3" in page and "điều chỉnh 2 phiếu" in page
    assert UnitMonth.objects.get(pk=setup["a"].pk).finalised_at is None
    for rating in setup["a"].ratings.all()[:2]:
        client.post(reverse("emulation:assess", args=[rating.pk]), {"band": rules.COMPLETED})
    response = client.post(month_url, {"action": "finalise", "confirm": "on"}, follow=True)
    assert "Đã chốt kết quả tháng" in response.content.decode()
    assert UnitMonth.objects.get(pk=setup["a"].pk).finalised_at is not None
    rating = setup["a"].ratings.first()  # a finalised month's sheets no longer change
    response = client.post(reverse("emulation:assess", args=[rating.pk]), {"band": rules.EXCELLENT})
    assert response.status_code == 400
    assert CadreRating.objects.get(pk=rating.pk).head_rating != rules.EXCELLENT


def test_the_export_holds_the_months_ratings(client, tree, setup):
    rating = setup["a"].ratings.get(person__full_name="Phạm Thị Bình")
    monthly.assess(rating, by=setup["head"], role=permissions.HEAD, band=rules.COMPLETED, comment="=HYPERLINK(1)")
    client.force_login(setup["head"])
    response = client.get(reverse("emulation:month_export", args=[setup["a"].pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Phạm Thị Bình"][4] == "Hoàn thành nhiệm vụ" and rows["Phạm Thị Bình"][6] == "'=HYPERLINK(1)"
    assert len(rows) == 3


def test_the_export_keeps_names_as_text(client, tree, setup):
    from emulation.models import Unit
    from tests.support.spreadsheets import xlsx_cells, xlsx_formulas

    Unit.objects.filter(pk=tree["a"].pk).update(name='=HYPERLINK("http://evil")')
    Person.objects.filter(full_name="Lê Văn An").update(full_name="@SUM(1)", position="  +84 912")
    rating = setup["a"].ratings.get(person__full_name="Phạm Thị Bình")
    monthly.assess(rating, by=setup["head"], role=permissions.HEAD, band=rules.COMPLETED, comment="-1+2")
    client.force_login(setup["head"])
    content = client.get(reverse("emulation:month_export", args=[setup["a"].pk])).content
    assert xlsx_formulas(content) == []
    values = [cell.value for cell in xlsx_cells(content)]
    assert {'\'=HYPERLINK("http://evil")', "'@SUM(1)", "'  +84 912", "'-1+2"} <= set(values)


def test_another_units_month_sheets_history_and_export_are_unreachable(client, tree, setup):
    client.force_login(setup["officer_b"])
    rating_a = setup["a"].ratings.first()
    for url in [
        reverse("emulation:month", args=[setup["a"].pk]),
        reverse("emulation:month_export", args=[setup["a"].pk]),
        reverse("emulation:assess", args=[rating_a.pk]),
        reverse("emulation:person_history", args=[rating_a.person_id]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("emulation:assess", args=[rating_a.pk]), {"band": rules.EXCELLENT}).status_code == 404
    assert client.post(reverse("emulation:month", args=[setup["a"].pk]), {"action": "finalise"}).status_code == 404
    assert client.post(reverse("emulation:evaluation"), {"unit": tree["a"].pk, "month": "2026-08"}).status_code == 400
    assert not UnitMonth.objects.filter(unit=tree["a"], month=datetime.date(2026, 8, 1)).exists()
    assert CadreRating.objects.get(pk=rating_a.pk).head_rating == ""


def test_a_cadre_sees_only_their_own_sheet_and_history(client, tree, setup):
    client.force_login(setup["cadre"])
    own = setup["a"].ratings.get(person__user=setup["cadre"])
    other = setup["a"].ratings.exclude(pk=own.pk).first()
    assert client.get(reverse("emulation:assess", args=[own.pk])).status_code == 200
    assert client.get(reverse("emulation:assess", args=[other.pk])).status_code == 404
    assert client.get(reverse("emulation:month", args=[setup["a"].pk])).status_code == 404
    assert client.get(reverse("emulation:person_history", args=[own.person_id])).status_code == 200
    assert client.get(reverse("emulation:person_history", args=[other.person_id])).status_code == 404
    index = client.get(reverse("emulation:evaluation")).content.decode()
    assert "Tự đánh giá" in index and "Mở đánh giá tháng" not in index
    assert client.post(reverse("emulation:evaluation"), {"unit": tree["a"].pk, "month": "2026-08"}).status_code == 403


def test_the_month_page_costs_the_same_queries_for_3_or_30_cadres(client, tree, setup, django_assert_max_num_queries):
    client.force_login(setup["head"])
    url = reverse("emulation:month", args=[setup["a"].pk])
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    for n in range(27):
        person = Person.objects.create(full_name=f"Cán bộ {n}", unit=tree["a"])
        CadreRating.objects.create(unit_month=setup["a"], person=person, head_rating=rules.GOOD)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_history_page_shows_twelve_months(client, tree, setup):
    rating = setup["a"].ratings.get(person__user=setup["cadre"])
    monthly.assess(rating, by=setup["head"], role=permissions.HEAD, band=rules.EXCELLENT)
    for other in setup["a"].ratings.exclude(pk=rating.pk):
        monthly.assess(other, by=setup["head"], role=permissions.HEAD, band=rules.COMPLETED)
    monthly.set_unit_result(setup["a"], rules.UNIT_DONE, by=setup["head"])
    monthly.finalise(setup["a"], by=setup["head"])
    client.force_login(setup["cadre"])
    page = client.get(reverse("emulation:person_history", args=[rating.person_id])).content.decode()
    assert page.count("<tr><td>") == 12 and "10/2026" in page and "Hoàn thành xuất sắc nhiệm vụ" in page


def test_finalising_asks_for_a_confirmation_tick(client, tree, setup):
    client.force_login(setup["head"])
    for rating in setup["a"].ratings.all():
        monthly.assess(rating, by=setup["head"], role=permissions.HEAD, band=rules.COMPLETED)
    monthly.set_unit_result(setup["a"], rules.UNIT_DONE, by=setup["head"])
    response = client.post(reverse("emulation:month", args=[setup["a"].pk]), {"action": "finalise"}, follow=True)
    assert "Đánh dấu để xác nhận" in response.content.decode()
    assert UnitMonth.objects.get(pk=setup["a"].pk).finalised_at is None


def test_officers_of_a_unit_do_not_rate_one_another(client, tree, setup):
    deputy = member("phophong_a", tree["a"], roles.UNIT_OFFICERS)
    chief = member("truongphong_a", tree["a"], roles.UNIT_OFFICERS)
    unit_month = monthly.open_month(tree["a"], datetime.date(2026, 9, 1), by=chief)
    deputy_line = unit_month.ratings.get(person__user=deputy)
    cadre_line = unit_month.ratings.get(person__user=setup["cadre"])
    with pytest.raises(ValidationError):
        monthly.assess(deputy_line, by=chief, role=permissions.HEAD, band=rules.EXCELLENT)
    assert monthly.assess(cadre_line, by=chief, role=permissions.HEAD, band=rules.GOOD).head_rating == rules.GOOD
    # the district's officer, above them, does rate them
    assert monthly.assess(deputy_line, by=setup["head"], role=permissions.HEAD, band=rules.GOOD).head_rating


def test_after_a_transfer_the_new_unit_does_not_see_the_old_months(client, tree, setup):
    rating = setup["a"].ratings.get(person__full_name="Phạm Thị Bình")
    for line in setup["a"].ratings.all():
        monthly.assess(line, by=setup["head"], role=permissions.HEAD, band=rules.COMPLETED)
    monthly.set_unit_result(setup["a"], rules.UNIT_DONE, by=setup["head"])
    monthly.finalise(setup["a"], by=setup["head"])
    Person.objects.filter(pk=rating.person_id).update(unit=tree["b"])  # moved to unit B
    client.force_login(setup["officer_b"])
    page = client.get(reverse("emulation:person_history", args=[rating.person_id])).content.decode()
    assert "Hoàn thành nhiệm vụ" not in page.split("<tbody>")[1]
    client.force_login(setup["head"])  # unit A's side still reads its own months
    page = client.get(reverse("emulation:person_history", args=[rating.person_id])).content.decode()
    assert "Hoàn thành nhiệm vụ" in page.split("<tbody>")[1]


def test_organisers_act_as_head_of_a_top_level_unit(tree, setup):
    from django.contrib.auth.models import Group

    organiser = get_user_model().objects.create_user("btc", password="mat-khau-dai-123")
    organiser.groups.add(Group.objects.get(name=roles.ORGANISERS))
    top_month = monthly.open_month(tree["district"], OCTOBER, by=setup["head"])
    line = top_month.ratings.get(person__user=setup["head"])
    assert monthly.assess(line, by=organiser, role=permissions.HEAD, band=rules.GOOD).head_rating == rules.GOOD
    with pytest.raises(PermissionDenied):  # but not of a unit below, which has its own heads
        monthly.assess(setup["a"].ratings.first(), by=organiser, role=permissions.HEAD, band=rules.GOOD)


def test_sheet_role_and_history_scope(tree, setup):
    own = setup["a"].ratings.get(person__user=setup["cadre"])
    other = setup["a"].ratings.exclude(pk=own.pk).first()
    assert permissions.sheet_role(setup["cadre"], own) == permissions.SELF
    assert permissions.sheet_role(setup["cadre"], other) is None
    assert permissions.sheet_role(setup["head"], own) == permissions.HEAD
    assert permissions.sheet_role(setup["officer_b"], own) is None
    assert permissions.history_scope(setup["cadre"], own.person) == (True, None)
    assert permissions.history_scope(setup["cadre"], other.person)[0] is False
    assert permissions.history_scope(setup["head"], other.person)[0] is True
    assert permissions.history_scope(setup["officer_b"], other.person)[0] is False


def test_a_bad_unit_result_is_refused_and_nothing_changes(client, setup):
    client.force_login(setup["head"])
    url = reverse("emulation:month", args=[setup["a"].pk])
    response = client.post(url, {"action": "result", "unit_result": "excellent-ish"})
    assert response.status_code == 400 and "Xin chọn một mục trong danh sách" in response.content.decode()
    assert UnitMonth.objects.get(pk=setup["a"].pk).unit_result == ""
    assert client.post(url, {"action": "delete-everything"}).status_code == 403


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm the caches (menu, site, content types) first
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_index_sheet_and_history_cost_the_same_queries_however_many_months(client, tree, setup):
    client.force_login(setup["head"])
    rating = setup["a"].ratings.first()
    urls = [
        reverse("emulation:evaluation"),
        reverse("emulation:assess", args=[rating.pk]),
        reverse("emulation:person_history", args=[rating.person_id]),
    ]
    before = [_queries(client, url) for url in urls]
    for month in range(1, 10):  # nine more finalised months of the same unit
        unit_month = UnitMonth.objects.create(
            unit=tree["a"], month=datetime.date(2026, month, 1), unit_result=rules.UNIT_DONE
        )
        for person in Person.objects.filter(unit=tree["a"]):
            CadreRating.objects.create(unit_month=unit_month, person=person, head_rating=rules.GOOD)
        monthly.finalise(unit_month, by=setup["head"])
    after = [_queries(client, url) for url in urls]
    assert after == before and max(after) <= 25


def test_the_board_costs_the_same_queries_however_many_commitments(client, tree, movement, setup):
    from tests.factories import register

    client.force_login(setup["head"])
    register(tree, movement, setup["head"], title="Việc đầu tiên")
    before = _queries(client, reverse("emulation:board"))
    for n in range(15):
        commitment = register(tree, movement, setup["head"], title=f"Việc {n}")
        commitments.report_progress(commitment, by=setup["head"], percent=30, narrative="Đang làm")
    assert _queries(client, reverse("emulation:board")) == before <= 25
    page = client.get(reverse("emulation:board")).content.decode()
    assert page.count('<rect class="col-') >= 1 and "chart-legend__swatch col-overdue" in page


# --- Organisers and superusers see every unit's months; officers only their own units'.


def test_organisers_and_superusers_see_every_units_months(client, tree, setup):
    organiser = member("btc", tree["district"], roles.ORGANISERS)
    admin = get_user_model().objects.create_superuser("quantri", password="mat-khau-dai-123")
    for user in (organiser, admin):
        client.force_login(user)
        page = client.get(reverse("emulation:evaluation")).content.decode()
        assert "Hiện bạn chưa có việc đánh giá nào" not in page
        assert reverse("emulation:month", args=[setup["a"].pk]) in page
        assert reverse("emulation:month", args=[setup["b"].pk]) in page
        month = client.get(reverse("emulation:month", args=[setup["b"].pk]))
        assert month.status_code == 200 and "Cán bộ phòng B" in month.content.decode()
        # Reading is not heading: a sub-unit's month is headed from the unit above.
        assert 'value="finalise"' not in month.content.decode()
        response = client.post(
            reverse("emulation:month", args=[setup["b"].pk]), {"action": "finalise", "confirm": "on"}
        )
        assert response.status_code == 403
        assert client.get(reverse("emulation:month_export", args=[setup["b"].pk])).status_code == 200


def test_an_officer_of_unit_a_cannot_reach_unit_bs_month_by_changing_the_id(client, tree, setup):
    officer_a = member("canbo_phong_a", tree["a"], roles.UNIT_OFFICERS)
    client.force_login(officer_a)
    page = client.get(reverse("emulation:evaluation")).content.decode()
    assert reverse("emulation:month", args=[setup["a"].pk]) in page
    assert reverse("emulation:month", args=[setup["b"].pk]) not in page
    assert client.get(reverse("emulation:month", args=[setup["a"].pk])).status_code == 200
    assert client.get(reverse("emulation:month", args=[setup["b"].pk])).status_code == 404
    assert client.get(reverse("emulation:month_export", args=[setup["b"].pk])).status_code == 404
    assert permissions.evaluation_months(officer_a).filter(pk=setup["b"].pk).exists() is False
