"""The verdict of a resident who reported passing the buck on the unit's answer: the same
signed "resolved / not resolved" link and page as an idea's author gets."""

import pytest
from django.core import mail

from referrals import actions
from referrals.models import Referral, ReferralStep, Verdict
from tests.ideas.test_verdicts import form, link_in, path_of
from tests.referrals.test_report_screening import new_report, people  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def answered_report(tree, people, committed):  # noqa: F811
    report, _token = new_report(tree)
    with committed():
        actions.screen_report(report, decision="private", by=people["organiser"])
        referral = actions.refer_report(report, unit=tree["a"], by=people["organiser"])
    mail.outbox.clear()
    with committed():
        actions.answer(referral, outcome=Referral.Outcome.DONE, text="Đã cấp bản sao ngay", by=people["a"])
    return report, Referral.objects.get(pk=referral.pk)


def test_the_reports_author_gets_the_link_and_not_resolved_reopens(client, tree, people, committed):  # noqa: F811
    report, referral = answered_report(tree, people, committed)
    [message] = [m for m in mail.outbox if m.to == ["hoa@example.vn"]]
    path = path_of(link_in(message))
    page = client.get(path).content.decode()
    assert "Đã cấp bản sao ngay" in page and report.code in page
    mail.outbox.clear()
    with committed():
        response = client.post(path, form(resolved="no", comment="Vẫn chưa nhận được bản sao"))
    assert response.status_code == 200, response.content.decode()
    referral.refresh_from_db()
    assert (referral.status, referral.reopenings) == (Referral.Status.OPEN, 1)
    assert referral.steps.filter(kind=ReferralStep.Kind.REOPENED).count() == 1
    assert Verdict.objects.get().comment == "Vẫn chưa nhận được bản sao"
    assert [m.to for m in mail.outbox] == [["hoa@example.vn"]]  # told of the reopening


def test_resolved_keeps_the_reports_answer_and_is_counted(client, tree, people, committed):  # noqa: F811
    report, referral = answered_report(tree, people, committed)
    path = path_of(link_in(mail.outbox[-1]))
    assert client.post(path, form()).status_code == 200
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ANSWERED and Verdict.objects.get().resolved


def test_a_tampered_report_link_judges_nothing(client, tree, people, committed):  # noqa: F811
    report, referral = answered_report(tree, people, committed)
    path = path_of(link_in(mail.outbox[-1]))
    assert client.get(path[:-3] + "xx/").status_code == 400
    assert client.post(path[:-3] + "xx/", form(resolved="no", comment="Phá")).status_code == 400
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ANSWERED and not Verdict.objects.exists()
