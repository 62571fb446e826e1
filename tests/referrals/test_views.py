import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from emulation.models import Person
from referrals import actions
from referrals.models import Referral, ReferralNote, ReferralStep
from tayho_site import roles
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree):
    return {
        "organiser": member("btc", tree["district"], roles.ORGANISERS),
        "a": member("canbo_a", tree["a"], roles.UNIT_OFFICERS),
        "b": member("canbo_b", tree["b"], roles.UNIT_OFFICERS),
        "front": member("mattran", tree["front"], roles.SUPERVISORS),
    }


@pytest.fixture
def referral(tree, people):
    subject = Person.objects.create(full_name="Đèn đường ven hồ", unit=tree["district"])
    return actions.refer(
        subject, unit=tree["a"], by=people["organiser"], title="Đèn đường ven hồ", supervisor=tree["front"]
    )


def detail(referral):
    return reverse("referrals:detail", args=[referral.pk])


def test_the_holding_unit_notes_transfers_and_the_next_unit_answers(client, tree, people, referral):
    client.force_login(people["a"])
    assert "Đèn đường ven hồ" in client.get(reverse("referrals:list")).content.decode()
    client.post(detail(referral), {"action": "note", "note-text": "Phòng A: cần hỏi Ban quản lý hồ"})
    response = client.post(
        detail(referral),
        {"action": "transfer", "transfer-to_unit": tree["b"].pk, "transfer-reason": "Chiếu sáng thuộc phòng B"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.unit, referral.transfers) == (tree["b"], 1)
    client.force_login(people["b"])
    html = client.get(detail(referral)).content.decode()
    assert "Chiếu sáng thuộc phòng B" in html and "cần hỏi Ban quản lý hồ" not in html  # A's note stays A's
    response = client.post(detail(referral), {"action": "answer", "answer-outcome": "accepted", "answer-text": "Lắp"})
    assert response.status_code == 400  # accepted needs a plan date
    plan = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    client.post(
        detail(referral),
        {"action": "answer", "answer-outcome": "accepted", "answer-text": "Lắp 20 đèn", "answer-plan_date": plan},
    )
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == (Referral.Status.ANSWERED, Referral.Outcome.ACCEPTED)


def test_another_unit_cannot_reach_answer_or_read_notes_by_id(client, tree, people, referral):
    actions.add_note(referral, text="Ghi chú nội bộ phòng A", by=people["a"])
    client.force_login(people["b"])
    assert client.get(detail(referral)).status_code == 404
    for data in (
        {"action": "answer", "answer-outcome": "done", "answer-text": "Đã làm"},
        {"action": "note", "note-text": "chen vao"},
        {"action": "transfer", "transfer-to_unit": tree["b"].pk, "transfer-reason": "x"},
    ):
        assert client.post(detail(referral), data).status_code == 404
    referral.refresh_from_db()
    assert (referral.status, referral.unit) == (Referral.Status.OPEN, tree["a"])
    assert ReferralNote.objects.count() == 1
    assert "Đèn đường ven hồ" not in client.get(reverse("referrals:list")).content.decode()


def test_the_supervisor_reads_but_does_not_act_or_read_notes(client, people, referral):
    actions.add_note(referral, text="Ghi chú nội bộ phòng A", by=people["a"])
    client.force_login(people["front"])
    html = client.get(detail(referral)).content.decode()
    assert "Đèn đường ven hồ" in html and "Ghi chú nội bộ phòng A" not in html
    assert (
        client.post(
            detail(referral), {"action": "answer", "answer-outcome": "done", "answer-text": "Đã làm"}
        ).status_code
        == 403
    )
    assert client.get(reverse("referrals:list")).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, referral):
    assert client.get(detail(referral)).status_code == 302


def test_overdue_referrals_are_mailed_to_the_unit_and_its_supervisor_once_a_day(
    tree, people, referral, django_capture_on_commit_callbacks
):
    for user, address in (
        (people["a"], "a@tayho.vn"),
        (people["front"], "front@tayho.vn"),
        (people["b"], "b@tayho.vn"),
    ):
        user.email = address
        user.save()
    today = referral.due_on + datetime.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.remind_overdue(site_url="https://tayho.example.vn", today=today) == 1
    # One message each, so nobody sees the others' addresses; B's officer is not written to.
    assert sorted(message.to[0] for message in mail.outbox) == ["a@tayho.vn", "front@tayho.vn"]
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert f"https://tayho.example.vn/thi-dua/chuyen-xu-ly/{referral.pk}/" in mail.outbox[0].body
    assert "a@tayho.vn" not in "".join(referral.steps.values_list("text", flat=True))
    assert actions.remind_overdue(today=today) == 0  # once a day
    # A step of another kind the same day does not hide that the reminder was sent (or not).
    actions.add_note(referral, text="Đang xử lý", by=people["a"])
    assert referral.steps.filter(kind=ReferralStep.Kind.REMINDED).count() == 1
    assert actions.remind_overdue(today=referral.due_on) == 0  # not before it is late
    actions.answer(referral, outcome=Referral.Outcome.DONE, text="Đã lắp", by=people["a"])
    assert actions.remind_overdue(today=today + datetime.timedelta(days=1)) == 0


def test_the_reminder_command_runs(referral, capsys):
    from django.core.management import call_command

    call_command("remind_overdue_referrals")
    assert "0 overdue" in capsys.readouterr().out


def test_the_list_opens_on_the_referrals_the_officer_must_answer(client, tree, people, referral):
    client.force_login(people["a"])
    html = client.get(reverse("referrals:list")).content.decode()
    start = html.index("Việc của bạn")
    assert "Trả lời: Đèn đường ven hồ" in html[start:] and detail(referral) in html[start:]
    assert f"hạn {referral.due_on:%d/%m/%Y}" in html
    # The supervisor reads it, but it is not theirs to answer.
    client.force_login(people["front"])
    html = client.get(reverse("referrals:list")).content.decode()
    assert "Trả lời: Đèn đường ven hồ" not in html and "Không có việc nào đang chờ bạn." in html
