"""Proposals for a month (emulation/proposals.py, actions/monthly.gather_proposals,
actions/proposals.py): gathered once from registered sources, decided by the head with a
reason, applied through the head's assessment, and in the way of finalising until decided."""

import ast
import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from emulation import evaluation as rules
from emulation import permissions, queries
from emulation.actions import monthly, proposals
from emulation.models import Manifestation, MonthProposal, Person, Rubric, RubricCriterion, RubricDeduction
from emulation.proposals import DEDUCTION, MERIT, Proposed, manifestation_for, register_source, unregister_source
from tayho_site import roles
from tayho_site.models import AuditEntry
from tests.factories import member

pytestmark = pytest.mark.django_db
OCTOBER = datetime.date(2026, 10, 1)


@pytest.fixture
def world(tree, movement):
    register_source(
        "test",
        lambda unit, month: [item for pk, m, item in world_items if pk == unit.pk and m == month],
        label="Thử",
    )
    head = member("truong_a", tree["district"], roles.UNIT_OFFICERS)
    officer_b = member("truong_b", tree["b"], roles.UNIT_OFFICERS)
    an = Person.objects.create(full_name="Lê Văn An", unit=tree["a"])
    binh = Person.objects.create(full_name="Phạm Thị Bình", unit=tree["a"])
    late = Manifestation.objects.create(page=movement, text="Chậm trễ giải quyết công việc", code="tra-loi-qua-han")
    praised = Manifestation.objects.create(page=movement, text="Gương mẫu", code="")
    rubric = Rubric.objects.create(kind=tree["a"].kind)
    work = RubricCriterion.objects.create(rubric=rubric, text="Hoàn thành nhiệm vụ", max_points=100)
    deduction = RubricDeduction.objects.create(rubric=rubric, manifestation=late, points=25)
    yield {
        "head": head,
        "officer_b": officer_b,
        "an": an,
        "binh": binh,
        "late": late,
        "praised": praised,
        "work": work,
        "deduction": deduction,
    }
    unregister_source("test")


world_items = []


@pytest.fixture(autouse=True)
def _clear_items():
    world_items.clear()
    yield
    world_items.clear()


def offer(unit, item, month=OCTOBER):
    world_items.append((unit.pk, month, item))


def overdue(key, world, person=None):
    return Proposed(
        key=key,
        kind=DEDUCTION,
        title=f"Trả lời quá hạn {key}",
        url=f"/thi-dua/chuyen-xu-ly/{key}/",
        manifestation_id=world["late"].pk,
        person_id=person.pk if person else None,
    )


def test_opening_a_month_gathers_the_proposals_and_gathering_again_adds_none(tree, world):
    offer(tree["a"], overdue("1", world))
    offer(tree["a"], overdue("2", world, world["an"]))
    offer(tree["b"], overdue("3", world))  # another unit
    offer(tree["a"], overdue("9", world), month=datetime.date(2026, 9, 1))  # another month
    offer(tree["a"], Proposed(key="x", kind=DEDUCTION, title="Không rõ biểu hiện"))  # no manifestation
    unit_month = monthly.open_month(tree["a"], OCTOBER, by=world["head"])
    assert sorted(unit_month.proposals.values_list("source_key", flat=True)) == ["1", "2"]
    assert unit_month.proposals.get(source_key="2").person == world["an"]
    assert AuditEntry.objects.get(action="emulation.month.gather").data == {"added": {"test": 2}, "skipped": 1}

    offer(tree["a"], overdue("4", world))
    assert monthly.gather_proposals(unit_month, by=world["head"]) == {"added": 1, "skipped": 1}
    assert monthly.gather_proposals(unit_month, by=world["head"]) == {"added": 0, "skipped": 1}
    assert unit_month.proposals.count() == 3
    with pytest.raises(PermissionDenied):
        monthly.gather_proposals(unit_month, by=world["officer_b"])


def test_a_person_not_on_the_months_list_is_left_for_the_head_to_choose(tree, world):
    stranger = Person.objects.create(full_name="Cán bộ phòng B", unit=tree["b"])
    offer(tree["a"], overdue("1", world, stranger))
    unit_month = monthly.open_month(tree["a"], OCTOBER, by=world["head"])
    assert unit_month.proposals.get().person is None


def assessed_month(tree, world):
    unit_month = monthly.open_month(tree["a"], OCTOBER, by=world["head"])
    for rating in unit_month.ratings.all():
        monthly.assess(rating, by=world["head"], role=permissions.HEAD, criteria={world["work"].pk: 80})
    return unit_month


def test_confirming_a_deduction_applies_the_rubric_deduction_to_the_cadre_and_is_audited(tree, world):
    offer(tree["a"], overdue("1", world, world["an"]))
    unit_month = assessed_month(tree, world)
    proposal = unit_month.proposals.get()
    rating = unit_month.ratings.get(person=world["an"])
    assert rating.head_points == Decimal("80") and rating.head_rating == rules.GOOD

    proposals.confirm(proposal, by=world["head"], reason="Quá hạn 5 ngày làm việc, không có lý do")
    proposal.refresh_from_db()
    rating.refresh_from_db()
    assert proposal.state == MonthProposal.State.CONFIRMED and proposal.decided_by == world["head"]
    assert rating.head_points == Decimal("55") and rating.head_rating == rules.COMPLETED
    assert rating.head_detail["deductions"] == [str(world["deduction"].pk)]
    entry = AuditEntry.objects.get(action="emulation.proposal.confirm")
    assert entry.data["before"] == {"state": "proposed", "person": world["an"].pk}
    assert entry.data["after"]["state"] == "confirmed" and entry.data["after"]["deduction"]["points"] == "25.00"
    assert entry.data["reason"].startswith("Quá hạn")

    # The head's later assessment cannot untick what was confirmed.
    monthly.assess(rating, by=world["head"], role=permissions.HEAD, criteria={world["work"].pk: 90}, deductions=[])
    rating.refresh_from_db()
    assert rating.head_points == Decimal("65")
    with pytest.raises(ValidationError, match="đã được quyết định"):
        proposals.reject(proposal, by=world["head"], reason="Đổi ý")


def test_without_a_cadre_named_the_head_chooses_one_when_confirming(tree, world):
    offer(tree["a"], overdue("1", world))
    unit_month = monthly.open_month(tree["a"], OCTOBER, by=world["head"])
    proposal = unit_month.proposals.get()
    with pytest.raises(ValidationError, match="cán bộ"):
        proposals.confirm(proposal, by=world["head"], reason="Đúng")
    stranger = Person.objects.create(full_name="Cán bộ phòng B", unit=tree["b"])
    with pytest.raises(ValidationError):
        proposals.confirm(proposal, by=world["head"], reason="Đúng", person=stranger)
    proposals.confirm(proposal, by=world["head"], reason="Đúng", person=world["binh"])
    proposal.refresh_from_db()
    assert proposal.person == world["binh"]
    # Scored after the confirmation: the deduction is already there.
    rating = unit_month.ratings.get(person=world["binh"])
    monthly.assess(rating, by=world["head"], role=permissions.HEAD, criteria={world["work"].pk: 100})
    rating.refresh_from_db()
    assert rating.head_points == Decimal("75")


def test_a_deduction_the_rubric_lacks_cannot_be_confirmed(tree, world):
    world["deduction"].delete()
    offer(tree["a"], overdue("1", world, world["an"]))
    proposal = monthly.open_month(tree["a"], OCTOBER, by=world["head"]).proposals.get()
    with pytest.raises(ValidationError, match="thang điểm"):
        proposals.confirm(proposal, by=world["head"], reason="Đúng")


def test_a_decision_needs_a_reason_and_the_right_person(tree, world):
    offer(tree["a"], overdue("1", world, world["an"]))
    proposal = monthly.open_month(tree["a"], OCTOBER, by=world["head"]).proposals.get()
    for blank in ("", "   "):
        with pytest.raises(ValidationError, match="lý do"):
            proposals.reject(proposal, by=world["head"], reason=blank)
    with pytest.raises(PermissionDenied):
        proposals.reject(proposal, by=world["officer_b"], reason="Không đúng")
    cadre = member("canbo_a", tree["a"], roles.UNIT_OFFICERS)  # an officer of A may head A's month
    with pytest.raises(PermissionDenied):
        proposals.reject(proposal, by=member("thuong", tree["front"], roles.UNIT_OFFICERS), reason="x")
    proposals.reject(proposal, by=cadre, reason="Đã gia hạn hợp lệ")
    proposal.refresh_from_db()
    assert proposal.state == MonthProposal.State.REJECTED and proposal.reason == "Đã gia hạn hợp lệ"
    entry = AuditEntry.objects.get(action="emulation.proposal.reject")
    assert entry.data["before"]["state"] == "proposed" and entry.data["after"]["state"] == "rejected"


def test_finalising_is_refused_while_proposals_await_a_decision(tree, world):
    offer(tree["a"], overdue("1", world, world["an"]))
    offer(tree["a"], overdue("2", world, world["binh"]))
    unit_month = assessed_month(tree, world)
    monthly.set_unit_result(unit_month, rules.UNIT_DONE, by=world["head"])
    with pytest.raises(ValidationError, match="2 đề xuất"):
        monthly.finalise(unit_month, by=world["head"])
    first, second = unit_month.proposals.order_by("source_key")
    proposals.confirm(first, by=world["head"], reason="Đúng")
    with pytest.raises(ValidationError, match="1 đề xuất"):
        monthly.finalise(unit_month, by=world["head"])
    proposals.reject(second, by=world["head"], reason="Trùng")
    assert monthly.finalise(unit_month, by=world["head"]).finalised_at
    # Finalised: nothing more to decide or gather.
    offer(tree["a"], overdue("3", world))
    assert monthly.gather_proposals(unit_month) == {"added": 0, "skipped": 0}
    with pytest.raises(ValidationError):
        proposals.reject(first, by=world["head"], reason="Muộn")


def test_confirmed_deductions_still_meet_the_cap_rule(tree, world):
    """A confirmed deduction lowers a score; the cap is checked on the bands as always."""
    offer(tree["a"], overdue("1", world, world["an"]))
    unit_month = assessed_month(tree, world)  # both "completed well" (80)
    monthly.set_unit_result(unit_month, rules.UNIT_LATE, by=world["head"])
    proposals.reject(unit_month.proposals.get(), by=world["head"], reason="Không đúng")
    with pytest.raises(ValidationError, match="tối đa 1/2"):
        monthly.finalise(unit_month, by=world["head"])


def test_a_confirmed_merit_is_on_the_cadres_line_for_honour_suggestions(tree, world):
    offer(tree["a"], Proposed(key="m1", kind=MERIT, title="Người dân xác nhận đã giải quyết", person_id=world["an"].pk))
    unit_month = monthly.open_month(tree["a"], OCTOBER, by=world["head"])
    proposal = unit_month.proposals.get()
    assert proposal.manifestation is None
    year = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    assert list(queries.confirmed_merits(world["an"], year)) == []
    proposals.confirm(proposal, by=world["head"], reason="Xác nhận")
    assert list(queries.confirmed_merits(world["an"], year)) == [proposal]
    assert list(queries.confirmed_merits(world["an"], (datetime.date(2026, 11, 1), year[1]))) == []
    assert list(queries.confirmed_merits(world["binh"], year)) == []


def test_manifestations_are_found_by_their_code(world):
    assert manifestation_for("tra-loi-qua-han") == world["late"]
    assert manifestation_for("") is None and manifestation_for("khong-co") is None


def test_emulation_never_imports_referrals():
    """Except its sub-app emulation.inspections, whose remedies are referrals (the design
    page: emulation/inspections → referrals); emulation itself never imports that app."""
    root = Path(__file__).resolve().parents[2] / "emulation"
    found = []
    for path in root.rglob("*.py"):
        if "inspections" in path.relative_to(root).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            found += [f"{path}: {n}" for n in names if n == "referrals" or n.startswith("referrals.")]
    assert found == []


def test_nobody_confirms_a_proposal_about_themself(tree, world):
    officer = member("pho_a", tree["a"], roles.UNIT_OFFICERS)
    himself = Person.objects.get(user=officer)
    offer(tree["a"], overdue("1", world, himself))
    proposal = monthly.open_month(tree["a"], OCTOBER, by=world["head"]).proposals.get()
    with pytest.raises(ValidationError, match="chính mình"):
        proposals.confirm(proposal, by=officer, reason="Tự nhận")
    proposals.confirm(proposal, by=world["head"], reason="Quá hạn")
