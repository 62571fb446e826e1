import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from wagtail.models import Site

from emulation import evaluation as rules
from emulation.models import CadreRating, EvaluationSettings, Person, Unit, UnitKind, UnitMonth
from emulation.monthly import finalise
from tayho_site.audit import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def head():
    return get_user_model().objects.create_user("truongphong", password="mat-khau-dai-123")


def month_of(result, head_ratings):
    unit = Unit.add_root(name=f"Phòng {result}", kind=UnitKind.objects.get_or_create(name="Phòng ban")[0])
    unit_month = UnitMonth.objects.create(unit=unit, month=datetime.date(2026, 10, 1), unit_result=result)
    for n, rating in enumerate(head_ratings):
        person = Person.objects.create(full_name=f"Cán bộ {n}", unit=unit)
        CadreRating.objects.create(unit_month=unit_month, person=person, self_rating=rules.EXCELLENT,
                                   head_rating=rating)
    return unit_month


def test_a_late_unit_rating_everyone_well_is_refused_with_the_number_to_change(head):
    unit_month = month_of(rules.UNIT_LATE, [rules.GOOD] * 10)
    with pytest.raises(ValidationError) as error:
        finalise(unit_month, by=head)
    assert "tối đa 7/10" in error.value.messages[0] and "điều chỉnh 3 phiếu" in error.value.messages[0]
    unit_month.refresh_from_db()
    assert unit_month.finalised_at is None


def test_at_the_cap_the_month_is_finalised_and_audited(head):
    unit_month = month_of(rules.UNIT_LATE, [rules.GOOD] * 7 + [rules.COMPLETED] * 3)
    assert finalise(unit_month, by=head).finalised_at is not None
    assert AuditEntry.objects.filter(action="emulation.month.finalise").exists()
    with pytest.raises(ValidationError):
        finalise(unit_month, by=head)  # once only


def test_the_cap_is_configured_in_site_settings(head):
    policy = EvaluationSettings.for_site(Site.objects.get(is_default_site=True))
    policy.cap_when_not_done = 0.2
    policy.save()
    with pytest.raises(ValidationError):
        finalise(month_of(rules.UNIT_NOT_DONE, [rules.GOOD] * 3 + [rules.COMPLETED] * 7), by=head)
    assert finalise(month_of(rules.UNIT_DONE, [rules.EXCELLENT] * 10), by=head).finalised_at


def test_every_cadre_needs_the_heads_assessment(head):
    unit_month = month_of(rules.UNIT_DONE, [rules.GOOD, ""])
    with pytest.raises(ValidationError):
        finalise(unit_month, by=head)
