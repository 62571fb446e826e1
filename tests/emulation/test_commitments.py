import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from emulation import permissions, queries
from emulation.actions import commitments
from emulation.models import Commitment
from tayho_site import roles
from tayho_site.models import AuditEntry
from tests.factories import member, register

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_officer_registers_reports_and_supervisor_verifies(tree, movement):
    officer = member("canbo_a", tree["a"], roles.UNIT_OFFICERS)
    supervisor = member("mattran", tree["front"], roles.SUPERVISORS)
    commitment = register(tree, movement, officer)
    assert commitment.status == Commitment.Status.REGISTERED and commitment.year == commitment.deadline.year
    commitments.report_progress(commitment, by=officer, percent=40, narrative="Đã số hóa 40%")
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == (Commitment.Status.IN_PROGRESS, 40)
    commitments.report_progress(commitment, by=officer, percent=100, narrative="Xong")
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.AWAITING_VERIFICATION
    commitments.remark(commitment, by=supervisor, text="Đã kiểm tra tại bộ phận một cửa", verdict="verified")
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.VERIFIED_DONE
    actions = list(AuditEntry.objects.for_object(commitment).order_by("pk").values_list("action", flat=True))
    assert actions == [
        "emulation.commitment.register",
        "emulation.commitment.report",
        "emulation.commitment.report",
        "emulation.commitment.remark",
    ]


def test_an_officer_of_unit_a_cannot_touch_unit_b(tree, movement):
    officer_a = member("canbo_a", tree["a"], roles.UNIT_OFFICERS)
    officer_b = member("canbo_b", tree["b"], roles.UNIT_OFFICERS)
    theirs = register(tree, movement, officer_b, unit="b")
    with pytest.raises(PermissionDenied):
        register(tree, movement, officer_a, unit="b")
    with pytest.raises(PermissionDenied):
        commitments.report_progress(theirs, by=officer_a, percent=50, narrative="x")
    with pytest.raises(PermissionDenied):
        commitments.withdraw(theirs, by=officer_a, reason="x")
    assert theirs not in permissions.visible_commitments(officer_a)
    assert theirs in permissions.visible_commitments(officer_b)


def test_the_district_officer_manages_units_below(tree, movement):
    district_officer = member("quanuy", tree["district"], roles.UNIT_OFFICERS)
    assert register(tree, movement, district_officer, unit="b").unit == tree["b"]


def test_supervisors_remark_but_never_report_and_only_on_what_they_supervise(tree, movement):
    officer = member("canbo_a", tree["a"], roles.UNIT_OFFICERS)
    supervisor = member("mattran", tree["front"], roles.SUPERVISORS)
    other_supervisor = member("doanthe", tree["b"], roles.SUPERVISORS)
    commitment = register(tree, movement, officer)
    with pytest.raises(PermissionDenied):
        commitments.report_progress(commitment, by=supervisor, percent=90, narrative="x")
    with pytest.raises(PermissionDenied):
        commitments.remark(commitment, by=other_supervisor, text="x", verdict="verified")
    commitments.remark(commitment, by=supervisor, text="Cần bổ sung minh chứng")
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.REGISTERED  # a remark without verdict changes no state


def test_withdrawal_needs_a_reason_and_closes_the_commitment(tree, movement):
    officer = member("canbo_a", tree["a"], roles.UNIT_OFFICERS)
    commitment = register(tree, movement, officer)
    with pytest.raises(ValidationError):
        commitments.withdraw(commitment, by=officer, reason=" ")
    commitments.withdraw(commitment, by=officer, reason="Nhiệm vụ chuyển sang đơn vị khác theo quyết định")
    with pytest.raises(ValidationError):
        commitments.report_progress(commitment, by=officer, percent=10, narrative="x")


def test_overdue_late_and_the_board(tree, movement):
    officer = member("canbo_a", tree["a"], roles.UNIT_OFFICERS)
    soon = register(tree, movement, officer, deadline=TODAY + datetime.timedelta(days=10))
    past = register(tree, movement, officer, title="Việc đã quá hạn", deadline=TODAY - datetime.timedelta(days=1))
    # Registered 50 days ago, due in 10, still at 0 %: about 83 % of the time is gone.
    behind = register(tree, movement, officer, title="Việc chậm", deadline=TODAY + datetime.timedelta(days=10))
    Commitment.objects.filter(pk=behind.pk).update(created_at=timezone.now() - datetime.timedelta(days=50))
    awaiting = register(tree, movement, officer, title="Việc chờ xác nhận")
    commitments.report_progress(awaiting, by=officer, percent=100, narrative="Xong")
    assert past.is_overdue(TODAY) and not soon.is_overdue(TODAY)
    columns = queries.board(tree["district"], today=TODAY)
    assert [c.title for c in columns["overdue"]] == ["Việc đã quá hạn"]
    assert [c.title for c in columns["late"]] == ["Việc chậm"]
    assert [c.title for c in columns["unverified"]] == ["Việc chờ xác nhận"]
    assert soon in columns["on_track"]
    assert queries.board(tree["b"], today=TODAY)["on_track"] == []  # another unit's board is empty


def test_public_page_lists_public_commitments_with_overdue_marked(
    client, tree, movement, django_assert_max_num_queries
):
    officer = member("canbo_a", tree["a"], roles.UNIT_OFFICERS)
    for n in range(20):
        register(tree, movement, officer, title=f"Việc số {n}")
    client.get(movement.url)
    with django_assert_max_num_queries(15):
        assert client.get(movement.url).status_code == 200
    register(tree, movement, officer, title="Việc công khai", deadline=datetime.date(2020, 1, 1))
    register(tree, movement, officer, title="Việc nội bộ", public=False)
    html = client.get(movement.url).content.decode()
    assert "Việc công khai" in html and "Việc nội bộ" not in html
    assert "Quá hạn" in html


def test_the_board_over_time_is_rebuilt_from_the_audit_trail(tree, movement):
    import time_machine

    officer = member("lichsu", tree["a"], roles.UNIT_OFFICERS)
    supervisor = member("giamsat-lichsu", tree["front"], roles.SUPERVISORS)
    tz = timezone.get_current_timezone()
    with time_machine.travel(datetime.datetime(2026, 1, 25, 9, tzinfo=tz), tick=False):
        kept = register(tree, movement, officer, title="Đúng hẹn", deadline=datetime.date(2026, 6, 30))
        slipped = register(tree, movement, officer, title="Trễ hẹn", deadline=datetime.date(2026, 3, 31))
    with time_machine.travel(datetime.datetime(2026, 3, 5, 9, tzinfo=tz), tick=False):
        commitments.report_progress(kept, by=officer, percent=40, narrative="Đã làm 40%")
    with time_machine.travel(datetime.datetime(2026, 5, 20, 9, tzinfo=tz), tick=False):
        commitments.report_progress(kept, by=officer, percent=100, narrative="Xong")
    with time_machine.travel(datetime.datetime(2026, 6, 2, 9, tzinfo=tz), tick=False):
        commitments.remark(Commitment.objects.get(pk=kept.pk), by=supervisor, text="Đã kiểm tra", verdict="verified")
    rows = {row["month"].month: row for row in queries.board_history(tree["a"], datetime.date(2026, 7, 15), 8)}
    assert rows[12]["on_track"] + rows[12]["late"] == 0  # before anything was registered
    assert rows[1]["on_track"] == 2  # both just registered
    assert rows[2]["late"] == 2  # February: nothing reported, time running
    assert rows[3]["on_track"] == 1 and rows[3]["late"] == 1  # March: 40% reported on one
    assert rows[4]["overdue"] == 1  # April: the other's deadline has passed
    assert rows[5]["unverified"] == 1  # May: reported done, awaiting the supervisor
    assert rows[6]["closed"] == 1 and rows[6]["overdue"] == 1  # June: verified
    assert slipped.pk not in [c.pk for c in queries.board(tree["a"], datetime.date(2026, 7, 15))["closed"]]
