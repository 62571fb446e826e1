"""Referrals as a source of the monthly evaluation (referrals/proposals.py): overdue
referrals of a unit in a month become proposed deductions tied to the manifestation whose
code the setting names; answers residents reopened and referrals passed around become
deductions, answers residents confirmed merits."""

import datetime

import pytest
from django.urls import reverse

from emulation import proposals as registry
from emulation.actions import monthly
from emulation.models import Manifestation, MonthProposal, MovementPage, Person
from referrals import actions
from referrals import proposals as source
from referrals.models import Referral, ReferralStep
from tayho_site import roles
from tests.factories import member

pytestmark = pytest.mark.django_db
D = datetime.date
OCTOBER = D(2026, 10, 1)
TODAY = D(2026, 12, 6)


@pytest.fixture
def world(tree, home):
    page = MovementPage(title="Phong trào Chỉ thị 24", slug="chi-thi-24", period_start=D(2023, 9, 1))
    home.add_child(instance=page)
    organiser = member("btc", tree["district"], roles.ORGANISERS)
    late = Manifestation.objects.create(page=page, text="Chậm trễ giải quyết công việc", code="tra-loi-qua-han")
    around = Manifestation.objects.create(page=page, text="Đùn đẩy, lòng vòng", code="day-viec-long-vong")
    return {
        "organiser": organiser,
        "late": late,
        "around": around,
        "head": member("truong", tree["district"], roles.UNIT_OFFICERS),
    }


def referral(tree, world, title, due_on, unit="a", answered_on=None):
    subject = Person.objects.create(full_name=title, unit=tree["district"])
    made = actions.refer(subject, unit=tree[unit], by=world["organiser"], title=title, today=D(2026, 9, 1))
    Referral.objects.filter(pk=made.pk).update(
        due_on=due_on,
        answered_on=answered_on,
        status=Referral.Status.ANSWERED if answered_on else Referral.Status.OPEN,
    )
    return Referral.objects.get(pk=made.pk)


def keys(items):
    return sorted(item.key.split(":")[1] for item in items)


def test_the_source_is_registered_by_the_referrals_app():
    assert source.SOURCE in {s.name for s in registry.sources()}
    assert registry.source_label(source.SOURCE) == "Chuyển xử lý"


def test_referrals_that_became_overdue_in_the_month_are_proposed(tree, world):
    made = {
        "open-mid": referral(tree, world, "Đèn đường", D(2026, 10, 10)),
        "from-september": referral(tree, world, "Vỉa hè", D(2026, 9, 30)),  # overdue from 1 October
        "late-answer": referral(tree, world, "Rác thải", D(2026, 10, 13), answered_on=D(2026, 10, 20)),
    }
    referral(tree, world, "Cây xanh", D(2026, 10, 31))  # overdue from 1 November
    referral(tree, world, "Bến thuyền", D(2026, 10, 12), answered_on=D(2026, 10, 12))  # on time
    referral(tree, world, "Phòng B", D(2026, 10, 10), unit="b")  # another unit
    items = list(source.month_proposals(tree["a"], OCTOBER, today=TODAY))
    assert keys(items) == sorted(str(r.pk) for r in made.values())
    first = next(i for i in items if i.key.split(":")[1] == str(made["open-mid"].pk))
    assert first.key == f"overdue:{made['open-mid'].pk}:20261010"
    assert first.kind == registry.DEDUCTION and first.manifestation_id == world["late"].pk
    assert first.title == "Trả lời quá hạn: Đèn đường" and first.person_id is None
    assert first.url == reverse("referrals:detail", args=[made["open-mid"].pk])
    november = list(source.month_proposals(tree["a"], D(2026, 11, 1), today=TODAY))
    assert len(november) == 1
    # Not yet overdue: due after today.
    referral(tree, world, "Hồ nước", D(2026, 12, 10))
    assert list(source.month_proposals(tree["a"], D(2026, 12, 1), today=TODAY)) == []


def test_opening_the_month_stores_them_once(tree, world):
    referral(tree, world, "Đèn đường", D(2026, 10, 10))
    unit_month = monthly.open_month(tree["a"], OCTOBER, by=world["head"])
    proposal = unit_month.proposals.get()
    assert (proposal.source, proposal.kind, proposal.manifestation) == (
        source.SOURCE,
        MonthProposal.Kind.DEDUCTION,
        world["late"],
    )
    assert monthly.gather_proposals(unit_month)["added"] == 0


def test_without_a_manifestation_for_the_code_nothing_is_proposed_and_the_code_is_a_setting(tree, world, settings):
    referral(tree, world, "Đèn đường", D(2026, 10, 10))
    world["late"].code = ""
    world["late"].save()
    assert list(source.month_proposals(tree["a"], OCTOBER, today=TODAY)) == []
    settings.REFERRAL_PROPOSAL_CODES = {source.OVERDUE: "day-viec-long-vong"}
    (item,) = source.month_proposals(tree["a"], OCTOBER, today=TODAY)
    assert item.manifestation_id == world["around"].pk


def test_residents_verdicts_become_reopened_deductions_and_resolved_merits(tree, world):
    page = world["late"].page
    reopened = Manifestation.objects.create(page=page, text="Trả lời chưa đạt", code="tra-loi-chua-dat")
    officer = member("canbo_a", tree["a"], roles.UNIT_OFFICERS)
    subject = Person.objects.create(full_name="Đèn đường", unit=tree["district"])
    made = actions.refer(subject, unit=tree["a"], by=world["organiser"], title="Đèn đường", today=D(2026, 10, 1))
    made = actions.answer(made, outcome=Referral.Outcome.DONE, text="Đã sửa", by=officer, today=D(2026, 10, 5))
    first = made.steps.get(kind=ReferralStep.Kind.ANSWERED)
    not_resolved = actions.give_verdict(first, resolved=False, comment="Vẫn tối", today=D(2026, 10, 8))
    made = actions.answer(
        Referral.objects.get(pk=made.pk),
        outcome=Referral.Outcome.DONE,
        text="Đã thay bóng",
        by=officer,
        today=D(2026, 10, 12),
    )
    second = made.steps.filter(kind=ReferralStep.Kind.ANSWERED).latest("pk")
    resolved = actions.give_verdict(second, resolved=True, today=D(2026, 11, 2))

    october = {item.key: item for item in source.month_proposals(tree["a"], OCTOBER, today=TODAY)}
    assert list(october) == [f"reopened:{made.pk}:v{not_resolved.pk}"]
    assert october[f"reopened:{made.pk}:v{not_resolved.pk}"].manifestation_id == reopened.pk
    assert october[f"reopened:{made.pk}:v{not_resolved.pk}"].kind == registry.DEDUCTION
    november = {item.key: item for item in source.month_proposals(tree["a"], D(2026, 11, 1), today=TODAY)}
    assert list(november) == [f"resolved:{made.pk}:v{resolved.pk}"]
    assert november[f"resolved:{made.pk}:v{resolved.pk}"].kind == registry.MERIT
    assert list(source.month_proposals(tree["b"], OCTOBER, today=TODAY)) == []


def test_a_referral_passed_around_is_charged_once_to_each_unit_that_passed_it_on(tree, world):
    officer_a = member("canbo_a", tree["a"], roles.UNIT_OFFICERS)
    officer_b = member("canbo_b", tree["b"], roles.UNIT_OFFICERS)
    subject = Person.objects.create(full_name="Vỉa hè", unit=tree["district"])
    made = actions.refer(subject, unit=tree["a"], by=world["organiser"], title="Vỉa hè", today=D(2026, 10, 1))
    made = actions.transfer(
        made, to_unit=tree["b"], reason="Không thuộc thẩm quyền", by=officer_a, today=D(2026, 10, 5)
    )
    made = actions.transfer(made, to_unit=tree["a"], reason="Trả lại", by=officer_b, today=D(2026, 10, 7))
    made = actions.transfer(made, to_unit=tree["b"], reason="Lại chuyển", by=officer_a, today=D(2026, 10, 9))
    assert made.passed_around_on == D(2026, 10, 7)

    key = f"passed_around:{made.pk}:20261007"
    for unit in ("a", "b"):
        items = [item for item in source.month_proposals(tree[unit], OCTOBER, today=TODAY) if item.key == key]
        assert len(items) == 1, unit
        assert items[0].manifestation_id == world["around"].pk
    assert [i for i in source.month_proposals(tree["front"], OCTOBER, today=TODAY) if "passed" in i.key] == []
    assert [i for i in source.month_proposals(tree["a"], D(2026, 11, 1), today=TODAY) if "passed" in i.key] == []


def test_wired_extension_points_become_deductions_and_merits(tree, world, monkeypatch):
    held = referral(tree, world, "Đèn đường", D(2026, 11, 20))
    monkeypatch.setitem(source.KINDS, source.REOPENED, (registry.DEDUCTION, lambda *args: [(held, "r1"), (held, "r2")]))
    monkeypatch.setitem(source.KINDS, source.RESOLVED, (registry.MERIT, lambda *args: [(held, "v1")]))
    monkeypatch.setitem(source.KINDS, source.PASSED_AROUND, (registry.DEDUCTION, lambda *args: [(held, "p1")]))
    items = {item.key: item for item in source.month_proposals(tree["a"], OCTOBER, today=TODAY)}
    # Reopened: no manifestation carries its default code, so nothing is proposed.
    assert sorted(items) == [f"passed_around:{held.pk}:p1", f"resolved:{held.pk}:v1"]
    merit = items[f"resolved:{held.pk}:v1"]
    assert merit.kind == registry.MERIT and merit.manifestation_id is None
    assert merit.title == "Người dân xác nhận đã giải quyết: Đèn đường"
    assert items[f"passed_around:{held.pk}:p1"].manifestation_id == world["around"].pk
    world["late"].code = source.DEFAULT_CODES[source.REOPENED]
    world["late"].save()
    items = [item.key for item in source.month_proposals(tree["a"], OCTOBER, today=TODAY)]
    assert f"reopened:{held.pk}:r1" in items and f"reopened:{held.pk}:r2" in items
