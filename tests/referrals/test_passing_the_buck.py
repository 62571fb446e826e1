"""Passing the buck, counted: a referral that comes back to a unit that passed it on
(A → B → A), or is transferred more than settings.REFERRAL_MAX_TRANSFERS times, is
marked as passed around and counted against each unit that passed it on; the figures by
period and level, and per unit and month for the monthly evaluation."""

import datetime

import pytest

from emulation.models import Person, Unit
from referrals import actions, queries
from referrals.models import Referral, ReferralStep
from tayho_site import roles
from tayho_site.models import AuditEntry
from tests.factories import member

pytestmark = pytest.mark.django_db
D = datetime.date
MONDAY = D(2026, 11, 23)


@pytest.fixture
def people(tree):
    for key, unit in tree.items():  # siblings sorted by name: paths move as units are added
        tree[key] = Unit.objects.get(pk=unit.pk)
    ward = tree["a"].add_child(name="Phường Nhật Tân", kind=tree["a"].kind)
    tree["ward"] = ward
    return {
        "organiser": member("btc", tree["district"], roles.ORGANISERS),
        "a": member("canbo_a", tree["a"], roles.UNIT_OFFICERS),
        "b": member("canbo_b", tree["b"], roles.UNIT_OFFICERS),
        "front": member("canbo_mt", tree["front"], roles.UNIT_OFFICERS),
        "ward": member("canbo_p", ward, roles.UNIT_OFFICERS),
    }


def referral(tree, people, title="Vỉa hè bị lấn chiếm", today=MONDAY):
    subject = Person.objects.create(full_name=title, unit=tree["district"])
    return actions.refer(subject, unit=tree["a"], by=people["organiser"], title=title, today=today)


def move(referral, unit, by, today):
    return actions.transfer(referral, to_unit=unit, reason="Không thuộc thẩm quyền", by=by, today=today)


def test_coming_back_to_a_unit_that_passed_it_on_marks_it(tree, people):
    first = referral(tree, people)
    first = move(first, tree["b"], people["a"], MONDAY)
    assert not first.passed_around
    first = move(first, tree["a"], people["b"], D(2026, 11, 25))
    assert first.passed_around_on == D(2026, 11, 25)
    assert AuditEntry.objects.filter(action="referral.transfer").order_by("pk").last().data.get("passed_around") is True
    # Both units passed it on: each counts it once.
    rows = {r["unit"]: r for r in queries.accountability(today=MONDAY)}
    assert rows["Phòng A"]["passed_around"] == rows["Phòng B"]["passed_around"] == 1


def test_more_transfers_than_allowed_marks_it(tree, people, settings):
    settings.REFERRAL_MAX_TRANSFERS = 2
    item = referral(tree, people)
    item = move(item, tree["b"], people["a"], MONDAY)
    item = move(item, tree["front"], people["b"], MONDAY)
    assert not item.passed_around  # two transfers are allowed
    item = move(item, tree["ward"], people["front"], D(2026, 12, 2))
    assert item.passed_around_on == D(2026, 12, 2)
    item = move(item, tree["district"], people["ward"], D(2026, 12, 3))
    assert item.passed_around_on == D(2026, 12, 2)  # marked once, from the first time
    settings.REFERRAL_MAX_TRANSFERS = 5
    other = move(referral(tree, people, "Khác"), tree["b"], people["a"], MONDAY)
    other = move(other, tree["front"], people["b"], MONDAY)
    assert not move(other, tree["ward"], people["front"], MONDAY).passed_around


def test_the_figures_by_period_and_by_level(tree, people):
    november = referral(tree, people, "Tháng 11")
    move(move(november, tree["b"], people["a"], MONDAY), tree["a"], people["b"], MONDAY)
    december = referral(tree, people, "Tháng 12", today=D(2026, 12, 7))
    move(december, tree["ward"], people["a"], D(2026, 12, 7))
    nov = {r["unit"]: r for r in queries.accountability(today=D(2026, 12, 8), period=queries.parse_period("2026-11"))}
    dec = {r["unit"]: r for r in queries.accountability(today=D(2026, 12, 8), period=queries.parse_period("2026-12"))}
    assert (nov["Phòng A"]["received"], nov["Phòng A"]["passed_around"], nov["Phòng A"]["transferred_away"]) == (
        2,
        1,
        1,
    )
    assert (dec["Phòng A"]["received"], dec["Phòng A"]["passed_around"], dec["Phòng A"]["transferred_away"]) == (
        1,
        0,
        1,
    )
    assert "Phòng B" not in dec and dec["Phường Nhật Tân"]["received"] == 1
    year = queries.parse_period("2026")
    assert {r["unit"] for r in queries.accountability(today=D(2026, 12, 8), period=year, level=3)} == {
        "Phường Nhật Tân"
    }
    assert {r["unit"] for r in queries.accountability(today=D(2026, 12, 8), period=year, level=2)} == {
        "Phòng A",
        "Phòng B",
    }
    assert queries.accountability(today=D(2026, 12, 8), period=queries.parse_period("2025-q4")) == []


def test_periods_are_read_from_their_names_and_nonsense_is_all_time():
    quarter = queries.parse_period("2026-q4")
    assert (quarter.start, quarter.end, quarter.key) == (D(2026, 10, 1), D(2026, 12, 31), "2026-q4")
    february = queries.parse_period("2028-02")
    assert (february.start, february.end) == (D(2028, 2, 1), D(2028, 2, 29))
    assert queries.parse_period("2026").end == D(2026, 12, 31)
    for nonsense in ("", None, "2026-13", "2026-q5", "1900", "26-11", "2026-11; drop table"):
        assert queries.parse_period(nonsense) is None
    keys = [p.key for p in queries.recent_periods(today=D(2026, 5, 10))]
    assert keys[:4] == ["2026", "2025", "2026-q2", "2026-q1"] and "2026-05" in keys and "2025-06" in keys


def test_monthly_counts_per_unit(tree, people):
    """What the monthly evaluation reads: overdue, reopened, passed around, confirmed."""
    late = actions.refer(
        Person.objects.create(full_name="x", unit=tree["district"]),
        unit=tree["b"],
        by=people["organiser"],
        title="Quá hạn",
        working_days=2,
        today=MONDAY,
    )  # due 25/11, never answered
    answered = referral(tree, people, "Trả lời")
    answered = actions.answer(answered, outcome=Referral.Outcome.DONE, text="Xong", by=people["a"], today=MONDAY)
    step = answered.steps.get(kind=ReferralStep.Kind.ANSWERED)
    actions.give_verdict(step, resolved=False, comment="Chưa xong", today=D(2026, 11, 30))
    answered = actions.answer(
        Referral.objects.get(pk=answered.pk), outcome=Referral.Outcome.DONE, text="Xong hẳn", by=people["a"]
    )
    actions.give_verdict(
        answered.steps.filter(kind=ReferralStep.Kind.ANSWERED).latest("pk"), resolved=True, today=D(2026, 12, 1)
    )
    around = referral(tree, people, "Đùn đẩy")
    move(move(around, tree["b"], people["a"], MONDAY), tree["a"], people["b"], D(2026, 11, 26))
    november = queries.monthly_counts(2026, 11, today=D(2026, 12, 8))
    december = queries.monthly_counts(2026, 12, today=D(2026, 12, 8))
    assert november[tree["b"].pk] == {"overdue": 1, "reopened": 0, "passed_around": 1, "confirmed": 0}
    assert november[tree["a"].pk] == {"overdue": 0, "reopened": 1, "passed_around": 1, "confirmed": 0}
    assert december[tree["a"].pk]["confirmed"] == 1 and late.due_on == D(2026, 11, 25)
