import pytest
from django.contrib.auth import get_user_model

from tayho_site.audit import record
from tayho_site.models import AppendOnly, AuditEntry, Ward

pytestmark = pytest.mark.django_db


def test_entries_are_written_and_never_changed_or_deleted():
    ward = Ward.objects.create(name="Phường Tây Hồ")
    entry = record("test.create", ward, actor_label="hệ thống", summary="tạo", note=1)
    assert AuditEntry.objects.for_object(ward).get() == entry
    entry.summary = "sửa"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.update(summary="sửa")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().summary == "tạo"


def test_the_log_outlives_the_record_it_describes():
    ward = Ward.objects.create(name="Phường cũ")
    record("test.delete", ward)
    ward.delete()
    assert AuditEntry.objects.get().target_label == "Phường cũ"


def test_only_people_allowed_to_read_the_log_see_it(client):
    record("test.seen", Ward.objects.create(name="Phường Tây Hồ"), summary="dòng nhật ký")
    staff = get_user_model().objects.create_user("bientap", password="mat-khau-dai-123", is_staff=True)
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    refused = client.get("/admin/audit-log/")
    assert refused.status_code in (302, 403) and "dòng nhật ký" not in refused.content.decode()
    staff.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    response = client.get("/admin/audit-log/")
    assert response.status_code == 200 and "dòng nhật ký" in response.content.decode()


def test_the_log_reads_in_words_not_codes(client, home):
    """Action codes have labels, and a status change is told in the record's own status
    names; every code the rules write has a label."""
    import re
    from pathlib import Path

    from django.utils import timezone, translation

    from ideas.models import Idea, IdeaCallPage, IdeaIndexPage, Sector
    from tayho_site.audit import ACTION_LABELS, action_label
    from tests.factories import send_idea

    index = home.add_child(instance=IdeaIndexPage(title="Ý tưởng", slug="y-tuong"))
    call = index.add_child(instance=IdeaCallPage(title="Hòm thư", slug="hom-thu", opens_at=timezone.now()))
    idea = send_idea(call, Sector.objects.create(name="Môi trường")).idea
    entry = record("ideas.idea.moderate", idea, summary="pending → published", previous="pending", status="published")
    with translation.override("vi"):
        assert str(entry.action_label) == "Kiểm duyệt ý tưởng"
        statuses = dict(Idea._meta.get_field("status").flatchoices)
        assert entry.readable_summary == f"{statuses['pending']} → {statuses['published']}"
        assert "pending" not in entry.readable_summary
    assert action_label("some.new.code") == "some.new.code"

    # Every code the rules can write has a label: literal codes (in a call or a
    # conditional), and for codes built in an f-string, labels for its prefix.
    families = "account|contest|emulation|honours|ideas|judging|referral|retention"
    written, built = set(), set()
    root = Path(__file__).resolve().parents[2]
    for source in (
        path
        for app in ("contest", "ideas", "emulation", "referrals", "tayho_site")
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts
    ):
        text = source.read_text(encoding="utf-8")
        if "record(" not in text or source.name == "audit.py":
            continue
        for first_argument in re.findall(r"record\(\s*([^,]+),", text):
            written |= set(re.findall(rf'(?<!f)"((?:{families})\.[a-z_.]+)"', first_argument))
            built |= set(re.findall(rf'f"((?:{families})\.[a-z_.]+\.)\{{', first_argument))
    assert "judging.review.save" in written and "emulation.rating." in built
    assert written - set(ACTION_LABELS) == set()
    assert {prefix for prefix in built if not any(code.startswith(prefix) for code in ACTION_LABELS)} == set()

    admin = get_user_model().objects.create_superuser("kiemtra", "kiemtra@example.vn", "mat-khau-dai-123")
    client.force_login(admin)
    page = client.get("/admin/audit-log/").text
    assert "Kiểm duyệt ý tưởng" in page

    # Labels and status names cost no query per line: a longer log, the same queries.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as short:
        client.get("/admin/audit-log/")
    for n in range(20):
        record("ideas.idea.moderate", idea, actor=admin, previous="pending", status="hidden", n=n)
    with CaptureQueriesContext(connection) as long:
        client.get("/admin/audit-log/")
    assert len(long.captured_queries) == len(short.captured_queries)
