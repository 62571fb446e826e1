"""The organisers' screening of residents' reports of passing the buck, their referral to
a unit, the public board and the accountability page."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from referrals import actions
from referrals.models import BuckReport, Referral
from referrals.queries import accountability_summary
from tayho_site import roles
from tayho_site.models import AuditEntry
from tests.factories import member

pytestmark = pytest.mark.django_db
NAME = "Trần Thị Hoa"


@pytest.fixture
def people(tree):
    return {
        "organiser": member("btc", tree["district"], roles.ORGANISERS),
        "a": member("canbo_a", tree["a"], roles.UNIT_OFFICERS),
    }


def new_report(tree, *, email="hoa@example.vn", asked="Xin bản sao giấy khai sinh.", confirm=True):
    today = timezone.localdate()
    report, token = actions.submit_report(
        office=tree["b"],
        office_text="Bộ phận một cửa",
        asked=asked,
        sent_where="Một cửa bảo lên phòng B, phòng B bảo về một cửa.",
        first_on=today - datetime.timedelta(days=9),
        last_on=today - datetime.timedelta(days=2),
        full_name=NAME,
        email=email,
    )
    if confirm:
        report = actions.confirm_report(report)
    return report, token


def screen_url(report):
    return reverse("referrals:report", args=[report.pk])


def test_an_organiser_publishes_a_summary_refers_it_and_the_answer_is_public(client, tree, people):
    report, token = new_report(tree)
    client.force_login(people["organiser"])
    assert "Bộ phận một cửa" in client.get(reverse("referrals:reports")).content.decode()
    page = client.get(screen_url(report)).content.decode()
    assert NAME in page  # the organiser sees who sent it
    # Publishing needs a summary; refusing needs a reason: nothing changes without them.
    assert client.post(screen_url(report), {"action": "screen", "screen-decision": "publish"}).status_code == 400
    assert BuckReport.objects.get().status == "pending"
    summary = "Một người dân bị chỉ qua lại giữa bộ phận một cửa và phòng B suốt một tuần."
    client.post(screen_url(report), {"action": "screen", "screen-decision": "publish", "screen-summary": summary})
    assert BuckReport.objects.get().status == "published"
    # The unit that supervises the office (its parent) is offered first.
    assert f'value="{tree["district"].pk}" selected' in client.get(screen_url(report)).content.decode()
    response = client.post(screen_url(report), {"action": "refer", "refer-unit": tree["a"].pk, "refer-working_days": 5})
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.unit, referral.subject, referral.working_days) == (tree["a"], report, 5)
    assert NAME not in referral.title
    # Referred once only.
    with pytest.raises(ValidationError):
        actions.refer_report(report, unit=tree["b"], by=people["organiser"])
    # The unit reads the report, without its author, and answers.
    client.force_login(people["a"])
    detail = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "phòng B bảo về một cửa" in detail and NAME not in detail and "hoa@example.vn" not in detail
    actions.answer(referral, outcome="done", text="Đã cấp bản sao trong ngày và nhắc nhở cán bộ.", by=people["a"])
    board = client.get(reverse("reports:board")).content.decode()
    assert summary in board and "nhắc nhở cán bộ" in board
    assert NAME not in board and "Xin bản sao giấy khai sinh" not in board  # only the summary
    private = client.get(reverse("reports:private", args=[token])).content.decode()
    assert "nhắc nhở cán bộ" in private and "Phòng A" in private
    # It counts on the accountability page like any referral.
    row = next(r for r in accountability_summary()["rows"] if r["unit_id"] == tree["a"].pk)
    assert row["answered_on_time"] == 1


def test_a_refused_report_tells_its_author_why_and_is_never_public(client, tree, people):
    report, token = new_report(tree)
    actions.screen_report(
        report, decision="refuse", reason="Nội dung không thuộc phạm vi quận.", by=people["organiser"]
    )
    assert "không thuộc phạm vi quận" in client.get(reverse("reports:private", args=[token])).content.decode()
    assert "Bộ phận một cửa" not in client.get(reverse("reports:board")).content.decode()
    with pytest.raises(ValidationError):
        actions.refer_report(report, unit=tree["a"], by=people["organiser"])


def test_a_private_report_is_referred_but_not_on_the_board(client, tree, people):
    report, _token = new_report(tree)
    actions.screen_report(report, decision="private", by=people["organiser"])
    actions.refer_report(report, unit=tree["a"], by=people["organiser"])
    assert Referral.objects.count() == 1
    assert "Bộ phận một cửa" not in client.get(reverse("reports:board")).content.decode()


def test_an_unconfirmed_report_cannot_be_screened(tree, people):
    report, _token = new_report(tree, confirm=False)
    with pytest.raises(ValidationError):
        actions.screen_report(report, decision="private", by=people["organiser"])


def test_a_unit_officer_cannot_screen_or_refer(client, tree, people):
    report, _token = new_report(tree)
    client.force_login(people["a"])
    assert client.get(reverse("referrals:reports")).status_code == 403
    assert client.get(screen_url(report)).status_code == 403
    response = client.post(screen_url(report), {"action": "screen", "screen-decision": "private"})
    assert response.status_code == 403
    assert client.get(reverse("referrals:report_document", args=[report.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.screen_report(report, decision="private", by=people["a"])
    with pytest.raises(PermissionDenied):
        actions.refer_report(report, unit=tree["a"], by=people["a"])
    assert BuckReport.objects.get().status == "pending" and not Referral.objects.exists()


def test_one_authors_private_link_does_not_open_anothers_report(client, tree, people):
    _first, first_token = new_report(tree)
    second, _second_token = new_report(tree, email="other@example.vn", asked="Việc riêng của người thứ hai.")
    actions.screen_report(second, decision="refuse", reason="Lý do riêng cho người thứ hai.", by=people["organiser"])
    page = client.get(reverse("reports:private", args=[first_token])).content.decode()
    assert "Việc riêng của người thứ hai" not in page and "Lý do riêng" not in page


def staff_data(**overrides):
    today = timezone.localdate()
    data = {
        "office_text": "Phòng Tài nguyên",
        "office": "",
        "asked": "Xin xác nhận nguồn gốc đất.",
        "sent_where": "Phòng bảo về phường, phường bảo lên phòng.",
        "first_on": (today - datetime.timedelta(days=30)).isoformat(),
        "last_on": (today - datetime.timedelta(days=1)).isoformat(),
        "full_name": "Nguyễn Văn Bình",
        "email": "",
        "phone": "",
        "resident_consent": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def ward_clerk(tree):
    user = member("motcua", tree["a"], roles.WARD_STAFF)
    user.first_name, user.last_name = "Lan", "Phạm"
    user.save()
    return user


def test_ward_staff_enter_a_report_for_a_resident_without_email(client, tree, people, ward_clerk):
    url = reverse("referrals:report_entry")
    client.force_login(ward_clerk)
    # Without the resident's consent nothing is saved.
    assert client.post(url, staff_data(resident_consent="")).status_code == 400
    assert not BuckReport.objects.exists()
    response = client.post(url, staff_data())
    assert response.status_code == 302
    report = BuckReport.objects.get()
    assert (report.status, report.email, report.entered_by) == ("pending", "", ward_clerk)
    assert report.consent_at is not None
    page = client.get(response.url).content.decode()
    token_path = re.search(r">https?://testserver(/phan-anh/[^<]+/)</a>", page).group(1)
    assert token_path not in client.get(response.url).content.decode()  # shown once
    # The trail names the staff member: on the resident's page, the organisers' and the audit log.
    client.logout()
    assert "Lan" in client.get(token_path).content.decode()
    client.force_login(people["organiser"])
    assert "Lan" in client.get(screen_url(report)).content.decode()
    entry = AuditEntry.objects.get(action="referrals.report.enter")
    assert entry.actor == ward_clerk


def test_only_ward_staff_and_organisers_enter_reports(client, tree, people):
    client.force_login(people["a"])
    assert client.get(reverse("referrals:report_entry")).status_code == 403
    assert client.post(reverse("referrals:report_entry"), staff_data()).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.submit_report(
            **{k: v for k, v in staff_data().items() if k not in ("resident_consent", "office")},
            office=None,
            entered_by=people["a"],
        )
    assert not BuckReport.objects.exists()


def test_personal_data_of_reports_expires(tree, people):
    from tayho_site import retention

    now = timezone.now()
    unconfirmed, _token = new_report(tree, confirm=False)
    screened, token = new_report(tree, email="b@example.vn")
    actions.screen_report(screened, decision="private", by=people["organiser"])
    referred, _token2 = new_report(tree, email="c@example.vn")
    actions.screen_report(referred, decision="private", by=people["organiser"])
    actions.refer_report(referred, unit=tree["a"], by=people["organiser"])
    later = now + datetime.timedelta(days=400)
    kinds = {kind.name: kind for kind in retention.kinds()}
    assert kinds["referrals.unconfirmed_reports"].purge(later, 7) == 1
    assert kinds["referrals.report_authors"].purge(later, 365) == 1  # the referred one waits for its answer
    assert not BuckReport.objects.filter(pk=unconfirmed.pk).exists()
    screened.refresh_from_db()
    assert (screened.full_name, screened.email, screened.status) == ("", "", "private")
    assert actions.report_private_path(token)  # the old link opens nothing now
    from referrals.queries import report_for_token

    assert report_for_token(token) is None
    assert BuckReport.objects.get(pk=referred.pk).full_name == NAME


def test_the_admin_home_tells_organisers_what_awaits_screening(client, tree, people):
    new_report(tree)
    client.force_login(people["organiser"])
    html = client.get("/admin/").content.decode()
    assert reverse("referrals:reports") in html


def test_the_author_hears_of_the_decision_and_of_the_answer(tree, people, django_capture_on_commit_callbacks):
    from django.core import mail

    report, _token = new_report(tree)
    with django_capture_on_commit_callbacks(execute=True):
        actions.screen_report(report, decision="private", by=people["organiser"])
        referral = actions.refer_report(report, unit=tree["a"], by=people["organiser"])
        actions.answer(referral, outcome="done", text="Đã giải quyết xong.", by=people["a"])
    bodies = [m.body for m in mail.outbox if m.to == ["hoa@example.vn"]]
    assert any("Giữ kín" in body for body in bodies)
    assert any("Đã giải quyết xong." in body and "Phòng A" in body for body in bodies)


def test_a_referred_report_erased_by_its_author_stays_anonymous(client, tree, people):
    report, token = new_report(tree)
    actions.screen_report(report, decision="private", by=people["organiser"])
    actions.refer_report(report, unit=tree["a"], by=people["organiser"])
    client.post(reverse("reports:erase", args=[token]), {"confirm": "yes"})
    report.refresh_from_db()
    assert (report.full_name, report.email, report.status) == ("", "", "private")
    assert Referral.objects.count() == 1
    assert client.get(reverse("reports:private", args=[token])).status_code == 404
