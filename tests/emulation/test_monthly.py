import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import Site

from emulation import evaluation as rules
from emulation import periods, permissions, queries
from emulation.actions import monthly
from emulation.actions.monthly import finalise
from emulation.models import (
    CadreRating,
    EvaluationSettings,
    Person,
    Rubric,
    RubricCriterion,
    RubricDeduction,
    Unit,
    UnitKind,
    UnitMonth,
)
from tayho_site import roles
from tayho_site.models import AuditEntry
from tests.factories import member

pytestmark = pytest.mark.django_db
KIND = "Phòng ban"


@pytest.fixture
def district():
    return Unit.add_root(name="Quận ủy", kind=UnitKind.objects.get_or_create(name=KIND)[0])


@pytest.fixture
def head(district):
    """An officer of the district: the head for every unit below it."""
    return member("truongphong", district, roles.UNIT_OFFICERS)


def month_of(district, result, head_ratings, month=datetime.date(2026, 10, 1), name=None):
    unit = district.add_child(name=name or f"Phòng {result} {len(head_ratings)}", kind=district.kind)
    unit_month = UnitMonth.objects.create(unit=unit, month=month, unit_result=result)
    for n, rating in enumerate(head_ratings):
        person = Person.objects.create(full_name=f"Cán bộ {n}", unit=unit)
        CadreRating.objects.create(
            unit_month=unit_month, person=person, self_rating=rules.EXCELLENT, head_rating=rating
        )
    return unit_month


def test_a_late_unit_rating_everyone_well_is_refused_with_the_number_to_change(district, head):
    unit_month = month_of(district, rules.UNIT_LATE, [rules.GOOD] * 10)
    with pytest.raises(ValidationError) as error:
        finalise(unit_month, by=head)
    assert "tối đa 7/10" in error.value.messages[0] and "điều chỉnh 3 phiếu" in error.value.messages[0]
    unit_month.refresh_from_db()
    assert unit_month.finalised_at is None


def test_at_the_cap_the_month_is_finalised_and_audited(district, head):
    unit_month = month_of(district, rules.UNIT_LATE, [rules.GOOD] * 7 + [rules.COMPLETED] * 3)
    assert finalise(unit_month, by=head).finalised_at is not None
    entry = AuditEntry.objects.get(action="emulation.month.finalise")
    assert entry.data["ratings"] == {"excellent": 0, "good": 7, "completed": 3, "not_completed": 0}
    with pytest.raises(ValidationError):
        finalise(unit_month, by=head)  # once only


def test_the_cap_is_configured_in_site_settings(district, head):
    policy = EvaluationSettings.for_site(Site.objects.get(is_default_site=True))
    policy.cap_when_not_done = 0.2
    policy.save()
    with pytest.raises(ValidationError):
        finalise(month_of(district, rules.UNIT_NOT_DONE, [rules.GOOD] * 3 + [rules.COMPLETED] * 7), by=head)
    assert finalise(month_of(district, rules.UNIT_DONE, [rules.EXCELLENT] * 10), by=head).finalised_at


def test_every_cadre_needs_the_heads_assessment_and_the_unit_its_result(district, head):
    with pytest.raises(ValidationError, match="1"):
        finalise(month_of(district, rules.UNIT_DONE, [rules.GOOD, ""]), by=head)
    with pytest.raises(ValidationError):
        finalise(month_of(district, "", [rules.GOOD]), by=head)


def test_an_officer_of_another_unit_cannot_finalise(district, head):
    unit_month = month_of(district, rules.UNIT_DONE, [rules.GOOD])
    sibling = district.add_child(name="Phòng khác", kind=district.kind)
    outsider = member("nguoingoai", sibling, roles.UNIT_OFFICERS)
    with pytest.raises(PermissionDenied):
        finalise(unit_month, by=outsider)


@pytest.fixture
def rubric(district):
    rubric = Rubric.objects.create(kind=district.kind, excellent_from=90, good_from=70, completed_from=50)
    work = RubricCriterion.objects.create(rubric=rubric, text="Hoàn thành nhiệm vụ", max_points=60)
    conduct = RubricCriterion.objects.create(rubric=rubric, text="Ý thức, thái độ phục vụ", max_points=40)
    shirking = RubricDeduction.objects.create(rubric=rubric, text="Đùn đẩy, né tránh trách nhiệm", points=15)
    return {"rubric": rubric, "work": work, "conduct": conduct, "shirking": shirking}


@pytest.fixture
def open_month(district, head):
    unit = district.add_child(name="Phòng Nội vụ", kind=district.kind)
    cadre = get_user_model().objects.create_user("canbo", password="mat-khau-dai-123")  # a cadre, not an officer
    Person.objects.create(full_name="canbo", unit=unit, user=cadre)
    Person.objects.create(full_name="Không có tài khoản", unit=unit)
    Person.objects.create(full_name="Đã nghỉ", unit=unit, active=False)
    unit_month = monthly.open_month(unit, datetime.date(2026, 10, 15), by=head)
    return {"unit": unit, "cadre": cadre, "month": unit_month}


def test_opening_a_month_makes_a_line_per_active_cadre_once(open_month, head):
    unit_month = open_month["month"]
    assert unit_month.month == datetime.date(2026, 10, 1)
    assert sorted(unit_month.ratings.values_list("person__full_name", flat=True)) == ["Không có tài khoản", "canbo"]
    with pytest.raises(ValidationError):
        monthly.open_month(open_month["unit"], datetime.date(2026, 10, 1), by=head)
    with pytest.raises(PermissionDenied):
        monthly.open_month(open_month["unit"], datetime.date(2026, 9, 1), by=open_month["cadre"])


def test_rubric_points_give_the_band_and_every_change_is_audited(open_month, rubric, head):
    rating = open_month["month"].ratings.get(person__user=open_month["cadre"])
    ids = {"work": rubric["work"].pk, "conduct": rubric["conduct"].pk}
    rating = monthly.assess(
        rating, by=open_month["cadre"], role=permissions.SELF, criteria={ids["work"]: 60, ids["conduct"]: 35}
    )
    assert (rating.self_points, rating.self_rating) == (Decimal("95.00"), rules.EXCELLENT)
    rating = monthly.assess(
        rating,
        by=head,
        role=permissions.HEAD,
        criteria={ids["work"]: 60, ids["conduct"]: 35},
        deductions=[rubric["shirking"].pk],
        comment="Còn để hồ sơ trễ hẹn",
    )
    assert (rating.head_points, rating.head_rating) == (Decimal("80.00"), rules.GOOD)
    assert rating.self_rating == rules.EXCELLENT  # the cadre's own view is kept beside the head's
    entries = AuditEntry.objects.filter(action__startswith="emulation.rating").order_by("pk")
    assert [e.action for e in entries] == ["emulation.rating.self", "emulation.rating.head"]
    assert entries[1].data["after"] == {"band": rules.GOOD, "points": 80.0}
    assert entries[1].data["detail"]["deductions"] == [str(rubric["shirking"].pk)]


def test_rubric_input_is_checked(open_month, rubric, head):
    rating = open_month["month"].ratings.get(person__user=open_month["cadre"])
    work, conduct = rubric["work"].pk, rubric["conduct"].pk
    for criteria, deductions in [
        ({work: 60}, []),
        ({work: 61, conduct: 0}, []),
        ({work: -1, conduct: 0}, []),
        ({work: 10, conduct: 10}, [999999]),
    ]:
        with pytest.raises(ValidationError):
            monthly.assess(rating, by=head, role=permissions.HEAD, criteria=criteria, deductions=deductions)
    rating.refresh_from_db()
    assert rating.head_rating == "" and not AuditEntry.objects.filter(action="emulation.rating.head").exists()


def test_who_may_assess_whom(open_month, head, district):
    ratings = open_month["month"].ratings
    own = ratings.get(person__user=open_month["cadre"])
    other = ratings.get(person__full_name="Không có tài khoản")
    with pytest.raises(PermissionDenied):  # a cadre assesses only themself
        monthly.assess(other, by=open_month["cadre"], role=permissions.SELF, band=rules.GOOD)
    with pytest.raises(PermissionDenied):  # and is not the head of their unit's month
        monthly.assess(other, by=open_month["cadre"], role=permissions.HEAD, band=rules.GOOD)
    outsider = member("nguoingoai", district.add_child(name="Phòng khác", kind=district.kind), roles.UNIT_OFFICERS)
    with pytest.raises(PermissionDenied):
        monthly.assess(own, by=outsider, role=permissions.HEAD, band=rules.GOOD)
    head_person_month = monthly.open_month(district, datetime.date(2026, 10, 1), by=head)
    with pytest.raises(ValidationError):  # nobody gives the head's assessment of their own month
        monthly.assess(
            head_person_month.ratings.get(person__user=head), by=head, role=permissions.HEAD, band=rules.GOOD
        )


def test_a_finalised_month_cannot_change(open_month, head):
    unit_month = open_month["month"]
    for rating in unit_month.ratings.all():
        monthly.assess(rating, by=head, role=permissions.HEAD, band=rules.COMPLETED)
    monthly.set_unit_result(unit_month, rules.UNIT_DONE, by=head)
    finalise(unit_month, by=head)
    rating = unit_month.ratings.first()
    with pytest.raises(ValidationError):
        monthly.assess(rating, by=head, role=permissions.HEAD, band=rules.EXCELLENT)
    with pytest.raises(ValidationError):
        monthly.set_unit_result(UnitMonth.objects.get(pk=unit_month.pk), rules.UNIT_LATE, by=head)


def test_history_covers_twelve_months_with_gaps_and_only_finalised_months(district, head):
    person_unit = district.add_child(name="Phòng Văn hóa", kind=district.kind)
    person = Person.objects.create(full_name="Trần Thị Hoa", unit=person_unit)
    for month, band, final in [
        (datetime.date(2025, 12, 1), rules.GOOD, True),
        (datetime.date(2026, 3, 1), rules.EXCELLENT, True),
        (datetime.date(2026, 4, 1), rules.COMPLETED, False),
        (datetime.date(2025, 11, 1), rules.NOT_COMPLETED, True),
    ]:  # 13 months back: out
        unit_month = UnitMonth.objects.create(unit=person_unit, month=month, unit_result=rules.UNIT_DONE)
        CadreRating.objects.create(unit_month=unit_month, person=person, head_rating=band)
        if final:
            finalise(unit_month, by=head)
    history = queries.person_history(person, datetime.date(2026, 11, 20))
    assert len(history) == 12 and history[0]["month"] == datetime.date(2025, 12, 1)
    assert history[-1]["month"] == datetime.date(2026, 11, 1)
    assert [h["band"] for h in history if h["band"]] == [rules.GOOD, rules.EXCELLENT]
    distribution = queries.unit_distribution(person_unit, datetime.date(2026, 11, 20))
    assert distribution[3] == {
        "month": datetime.date(2026, 3, 1),
        "excellent": 1,
        "good": 0,
        "completed": 0,
        "not_completed": 0,
    }


def test_months_back_crosses_the_year():
    assert periods.months_back(datetime.date(2026, 2, 17), 3) == [
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
    ]


def test_a_future_month_cannot_be_opened(district, head):
    with pytest.raises(ValidationError):
        monthly.open_month(district, datetime.date(2999, 1, 1), by=head)


def test_an_open_months_cadres_follow_the_unit(open_month, head):
    unit_month, unit = open_month["month"], open_month["unit"]
    Person.objects.create(full_name="Mới chuyển đến", unit=unit)
    leaver = unit_month.ratings.get(person__full_name="Không có tài khoản").person
    Person.objects.filter(pk=leaver.pk).update(active=False)
    assessed = unit_month.ratings.get(person__user=open_month["cadre"])
    monthly.assess(assessed, by=head, role=permissions.HEAD, band=rules.GOOD)
    Person.objects.filter(pk=assessed.person_id).update(active=False)  # assessed: the line stays
    assert monthly.sync_cadres(unit_month, by=head) == {"added": 1, "removed": 1}
    names = sorted(unit_month.ratings.values_list("person__full_name", flat=True))
    assert names == ["Mới chuyển đến", "canbo"]
    with pytest.raises(PermissionDenied):
        monthly.sync_cadres(unit_month, by=open_month["cadre"])
