import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from emulation.models import Person
from referrals import actions, permissions, queries
from referrals.models import Referral, ReferralStep
from tayho_site import roles
from tayho_site.models import AuditEntry, CalendarDay
from tests.factories import member

pytestmark = pytest.mark.django_db
D = datetime.date
MONDAY = D(2026, 11, 23)


@pytest.fixture
def people(tree):
    return {
        "organiser": member("btc", tree["district"], roles.ORGANISERS),
        "a": member("canbo_a", tree["a"], roles.UNIT_OFFICERS),
        "b": member("canbo_b", tree["b"], roles.UNIT_OFFICERS),
    }


def subject(tree, name="Ý tưởng: lắp đèn đường ven hồ"):
    return Person.objects.create(full_name=name, unit=tree["district"])  # any record can be referred


def test_the_deadline_counts_working_days_and_holidays(tree, people):
    CalendarDay.objects.create(date=D(2026, 11, 27), name="Ngày nghỉ bù")
    referral = actions.refer(
        subject(tree), unit=tree["a"], by=people["organiser"], title="Đèn đường", working_days=5, today=MONDAY
    )
    assert referral.due_on == D(2026, 12, 1)  # Tue–Thu, (Fri off), Mon, Tue
    assert list(referral.steps.values_list("kind", flat=True)) == [ReferralStep.Kind.REFERRED]


def test_a_transfer_keeps_the_clock_and_is_counted_and_public(tree, people):
    referral = actions.refer(subject(tree), unit=tree["a"], by=people["organiser"], title="Đèn đường", today=MONDAY)
    due = referral.due_on
    with pytest.raises(ValidationError):
        actions.transfer(referral, to_unit=tree["b"], reason="  ", by=people["a"])
    referral = actions.transfer(
        referral,
        to_unit=tree["b"],
        reason="Thuộc thẩm quyền phòng B",
        by=people["a"],
        today=MONDAY + datetime.timedelta(days=3),
    )
    assert (referral.unit, referral.due_on, referral.transfers) == (tree["b"], due, 1)
    step = referral.steps.get(kind=ReferralStep.Kind.TRANSFERRED)
    assert (step.from_unit, step.to_unit, step.text) == (tree["a"], tree["b"], "Thuộc thẩm quyền phòng B")
    with pytest.raises(PermissionDenied):  # A no longer holds it
        actions.answer(referral, outcome=Referral.Outcome.DONE, text="Đã làm", by=people["a"])
    assert AuditEntry.objects.filter(action="referral.transfer").count() == 1


def test_only_the_holding_unit_answers_and_reads_its_notes(tree, people):
    referral = actions.refer(subject(tree), unit=tree["a"], by=people["organiser"], title="Đèn đường", today=MONDAY)
    actions.add_note(referral, text="Cần khảo sát hiện trường trước", by=people["a"])
    with pytest.raises(PermissionDenied):
        actions.answer(referral, outcome=Referral.Outcome.DONE, text="Đã làm", by=people["b"])
    with pytest.raises(PermissionDenied):
        actions.add_note(referral, text="Ghi chú lén", by=people["b"])
    with pytest.raises(PermissionDenied):
        actions.transfer(referral, to_unit=tree["b"], reason="Tự nhận", by=people["b"])
    assert [n.text for n in permissions.notes_for(referral, people["a"])] == ["Cần khảo sát hiện trường trước"]
    assert not permissions.notes_for(referral, people["b"]).exists()


def test_answers_are_checked_once_and_marked_late_or_on_time(tree, people):
    referral = actions.refer(
        subject(tree), unit=tree["a"], by=people["organiser"], title="Đèn đường", working_days=2, today=MONDAY
    )
    with pytest.raises(ValidationError):  # accepted needs a plan date
        actions.answer(referral, outcome=Referral.Outcome.ACCEPTED, text="Sẽ làm", by=people["a"], today=MONDAY)
    with pytest.raises(ValidationError):
        actions.answer(referral, outcome="maybe", text="?", by=people["a"], today=MONDAY)
    late_day = D(2026, 11, 26)
    referral = actions.answer(
        referral,
        outcome=Referral.Outcome.ACCEPTED,
        text="Lắp 20 đèn",
        by=people["a"],
        plan_date=D(2027, 3, 31),
        today=late_day,
    )
    assert referral.answered_late() and referral.status == Referral.Status.ANSWERED
    with pytest.raises(ValidationError):
        actions.answer(referral, outcome=Referral.Outcome.DONE, text="Lại", by=people["a"], today=late_day)


def test_accountability_per_unit_in_a_constant_number_of_queries(tree, people):
    first = actions.refer(
        subject(tree), unit=tree["a"], by=people["organiser"], title="1", working_days=5, today=MONDAY
    )
    actions.transfer(first, to_unit=tree["b"], reason="Không thuộc phòng A", by=people["a"], today=MONDAY)
    actions.answer(
        Referral.objects.get(pk=first.pk),
        outcome=Referral.Outcome.DONE,
        text="Đã xong",
        by=people["b"],
        today=D(2026, 11, 26),
    )  # 3 working days
    second = actions.refer(
        subject(tree, "2"), unit=tree["a"], by=people["organiser"], title="2", working_days=1, today=MONDAY
    )
    actions.refer(subject(tree, "3"), unit=tree["b"], by=people["organiser"], title="3", working_days=1, today=MONDAY)
    with CaptureQueriesContext(connection) as few:
        rows = {r["unit"]: r for r in queries.accountability(today=D(2026, 12, 1))}
    assert rows["Phòng A"] == {
        "unit_id": tree["a"].pk,
        "unit": "Phòng A",
        "received": 2,
        "answered_on_time": 0,
        "answered_late": 0,
        "overdue": 1,
        "open": 1,
        "transferred_away": 1,
        "passed_around": 0,
        "answers": 0,
        "confirmed": 0,
        "reopened": 0,
        "commitments_overdue": 0,
        "confirmed_share": None,
        "median_days": None,
        "waiting": 0,
        "label": "Phòng A",
    }
    assert rows["Phòng B"]["received"] == 2 and rows["Phòng B"]["answered_on_time"] == 1
    assert rows["Phòng B"]["median_days"] == 3 and rows["Phòng B"]["overdue"] == 1
    assert second.due_on == D(2026, 11, 24)
    for n in range(10):
        actions.refer(subject(tree, f"x{n}"), unit=tree["b"], by=people["organiser"], title="x", today=MONDAY)
    with CaptureQueriesContext(connection) as many:
        queries.accountability(today=D(2026, 12, 1))
    # Calendar, referrals, steps, verdicts, overdue commitments: one query each.
    assert len(many.captured_queries) == len(few.captured_queries) <= 5
