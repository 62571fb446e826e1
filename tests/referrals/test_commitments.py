"""An accepted answer is tracked to done: it becomes the unit's public commitment in the
movement (emulation.Commitment), due on the plan date, with milestones; progress reports
and photos are the commitments' own."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from emulation.actions import commitments as commitment_actions
from emulation.models import Commitment, Milestone, MovementPage, Person
from referrals import actions
from referrals.models import Referral, ReferralStep
from tayho_site import roles
from tayho_site.models import AuditEntry
from tests.factories import member

pytestmark = pytest.mark.django_db
D = datetime.date
MONDAY = D(2026, 11, 23)
PLAN = D(2027, 3, 31)


@pytest.fixture
def movement(home):
    page = MovementPage(title="Phong trào Chỉ thị 24", slug="chi-thi-24", period_start=D(2023, 9, 1))
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def people(tree):
    return {
        "organiser": member("btc", tree["district"], roles.ORGANISERS),
        "a": member("canbo_a", tree["a"], roles.UNIT_OFFICERS),
        "b": member("canbo_b", tree["b"], roles.UNIT_OFFICERS),
    }


def referred(tree, people, title="Đèn đường ven hồ"):
    subject = Person.objects.create(full_name=title, unit=tree["district"])
    return actions.refer(subject, unit=tree["a"], by=people["organiser"], title=title, working_days=5, today=MONDAY)


def accept(referral, people, plan=PLAN, milestones=(), by="a"):
    return actions.answer(
        referral,
        outcome=Referral.Outcome.ACCEPTED,
        text="Sẽ lắp 12 đèn trong quý I",
        by=people[by],
        plan_date=plan,
        milestones=milestones,
        today=MONDAY,
    )


def test_an_accepted_answer_is_a_public_commitment_of_the_unit_with_milestones(tree, people, movement):
    referral = accept(
        referred(tree, people), people, milestones=[("Khảo sát", D(2026, 12, 15)), ("Lắp đặt", D(2027, 2, 28))]
    )
    commitment = referral.commitment
    assert (commitment.unit, commitment.movement_id, commitment.deadline, commitment.public) == (
        tree["a"],
        movement.pk,
        D(2027, 3, 31),
        True,
    )
    assert (commitment.title, commitment.target, commitment.supervisor) == (
        "Đèn đường ven hồ",
        "Sẽ lắp 12 đèn trong quý I",
        tree["district"],  # no supervisor named: the unit above supervises
    )
    assert list(commitment.milestones.values_list("title", "due_on")) == [
        ("Khảo sát", D(2026, 12, 15)),
        ("Lắp đặt", D(2027, 2, 28)),
    ]
    assert AuditEntry.objects.filter(action="emulation.commitment.register").count() == 1
    # Progress is reported the commitments' way.
    commitment_actions.report_progress(commitment, by=people["a"], percent=40, narrative="Đã khảo sát")
    commitment.refresh_from_db()
    assert (commitment.progress, commitment.status) == (40, Commitment.Status.IN_PROGRESS)


def test_other_answers_make_no_commitment(tree, people, movement):
    referral = actions.answer(
        referred(tree, people), outcome=Referral.Outcome.DONE, text="Đã lắp", by=people["a"], today=MONDAY
    )
    assert referral.commitment is None and not Commitment.objects.exists()


def test_a_reopened_and_accepted_again_referral_keeps_its_commitment_with_a_new_deadline(tree, people, movement):
    referral = accept(referred(tree, people), people)
    answer = referral.steps.get(kind=ReferralStep.Kind.ANSWERED)
    actions.give_verdict(answer, resolved=False, comment="Chưa thấy làm", today=MONDAY)
    referral.refresh_from_db()
    again = accept(referral, people, plan=D(2027, 5, 31))
    assert again.commitment_id == referral.commitment_id
    assert Commitment.objects.get().deadline == D(2027, 5, 31)


def test_bad_milestones_are_refused_and_nothing_is_saved(tree, people, movement):
    referral = referred(tree, people)
    for milestones in ([("", D(2026, 12, 1))], [("Khảo sát", D(2026, 11, 1))], [("Khảo sát", D(2027, 6, 1))]):
        with pytest.raises(ValidationError):
            accept(referral, people, milestones=milestones)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.OPEN and not Commitment.objects.exists()


def test_only_the_units_officers_mark_a_milestone_done(tree, people, movement):
    referral = accept(referred(tree, people), people, milestones=[("Khảo sát", D(2026, 12, 15))])
    milestone = Milestone.objects.get()
    with pytest.raises(PermissionDenied):
        commitment_actions.complete_milestone(milestone, by=people["b"], on=D(2026, 12, 10))
    commitment_actions.complete_milestone(milestone, by=people["a"], on=D(2026, 12, 10))
    milestone.refresh_from_db()
    assert milestone.done_on == D(2026, 12, 10) and not milestone.is_overdue(today=D(2027, 1, 1))
    assert referral.commitment.milestones.get().pk == milestone.pk


def test_without_a_movement_the_answer_still_stands(tree, people):
    referral = accept(referred(tree, people), people)
    assert referral.status == Referral.Status.ANSWERED and referral.commitment is None


def test_the_answer_form_takes_milestones_and_refuses_a_bad_line(client, tree, people, movement):
    from django.urls import reverse
    from django.utils import timezone

    subject = Person.objects.create(full_name="Đèn", unit=tree["district"])
    referral = actions.refer(subject, unit=tree["a"], by=people["organiser"], title="Đèn đường ven hồ")
    url = reverse("referrals:detail", args=[referral.pk])
    today = timezone.localdate()
    plan, step = today + datetime.timedelta(days=60), today + datetime.timedelta(days=20)
    form = {
        "action": "answer",
        "answer-outcome": "accepted",
        "answer-text": "Lắp 20 đèn",
        "answer-plan_date": plan.isoformat(),
        "answer-milestones": "khảo sát xong",
    }
    client.force_login(people["a"])
    assert client.post(url, form).status_code == 400
    form["answer-milestones"] = f"{step:%d/%m/%Y} Khảo sát xong\n\n"
    assert client.post(url, form).status_code == 302
    referral.refresh_from_db()
    assert list(referral.commitment.milestones.values_list("title", "due_on")) == [("Khảo sát xong", step)]


def test_a_missed_milestone_is_overdue_on_the_board_and_the_accountability_page(tree, people, movement):
    from emulation import queries as emulation_queries
    from referrals import queries

    referral = accept(referred(tree, people), people, milestones=[("Khảo sát", D(2026, 12, 15))])
    commitment = referral.commitment
    before, after = D(2026, 12, 15), D(2026, 12, 16)
    assert emulation_queries.board(tree["a"], today=before)["overdue"] == []
    assert [c.pk for c in emulation_queries.board(tree["a"], today=after)["overdue"]] == [commitment.pk]
    rows = {row["unit"]: row for row in queries.accountability(today=after)}
    assert rows["Phòng A"]["commitments_overdue"] == 1
    assert {row["unit"]: row for row in queries.accountability(today=before)}["Phòng A"]["commitments_overdue"] == 0
    december, november = queries.parse_period("2026-12"), queries.parse_period("2026-11")
    assert {r["unit"]: r for r in queries.accountability(today=after, period=december)}["Phòng A"][
        "commitments_overdue"
    ] == 1
    assert all(r["commitments_overdue"] == 0 for r in queries.accountability(today=after, period=november))
    # Done, the milestone is no longer missed.
    commitment_actions.complete_milestone(commitment.milestones.get(), by=people["a"], on=after)
    assert emulation_queries.board(tree["a"], today=after)["overdue"] == []
    assert {row["unit"]: row for row in queries.accountability(today=after)}["Phòng A"]["commitments_overdue"] == 0


def test_the_missed_milestone_shows_on_the_units_board_and_not_on_another_units(client, tree, people, movement):
    from django.urls import reverse

    referral = accept(referred(tree, people), people, milestones=[("Khảo sát", D(2026, 12, 15))])
    Milestone.objects.filter(commitment=referral.commitment).update(due_on=D(2020, 1, 1))
    client.force_login(people["a"])
    html = client.get(reverse("emulation:board")).content.decode()
    assert "Đèn đường ven hồ" in html and "badge--overdue" in html
    client.force_login(people["b"])
    html = client.get(reverse("emulation:board")).content.decode()
    assert "Đèn đường ven hồ" not in html
    assert client.get(reverse("emulation:board"), {"don-vi": tree["a"].pk}).status_code == 404


def test_the_units_officer_marks_a_milestone_done_in_the_workspace_and_another_unit_cannot(
    client, tree, people, movement
):
    from django.urls import reverse

    referral = accept(referred(tree, people), people, milestones=[("Khảo sát", D(2026, 12, 15))])
    milestone = Milestone.objects.get()
    url = reverse("emulation:commitment", args=[referral.commitment_id])
    client.force_login(people["b"])
    assert client.post(url, {"milestone-done": milestone.pk}).status_code == 404  # not B's commitment
    client.force_login(people["a"])
    assert "Khảo sát" in client.get(url).content.decode()
    assert client.post(url, {"milestone-done": "abc"}).status_code == 404
    assert client.post(url, {"milestone-done": milestone.pk}).status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_on is not None
