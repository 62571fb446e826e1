import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from emulation.forms import ReportForm
from emulation.models import Commitment
from tayho_site import roles
from tests.factories import IDENTITY, member, pdf_bytes, register

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_officer_registers_and_reports_with_a_file_in_the_workspace(client, tree, movement):  # noqa: F811
    officer = member("canbo_a", tree["a"], roles.UNIT_OFFICERS)
    client.force_login(officer)
    assert client.get("/thi-dua/").status_code == 200
    response = client.post(
        "/thi-dua/dang-ky/",
        {
            "movement": movement.pk,
            "unit": tree["a"].pk,
            "title": "Giảm hồ sơ trễ hẹn",
            "public": "on",
            "target": "Không còn hồ sơ trễ hẹn",
            "deadline": (TODAY + datetime.timedelta(days=30)).isoformat(),
            "supervisor": tree["front"].pk,
        },
    )
    assert response.status_code == 302
    commitment = Commitment.objects.get()
    url = f"/thi-dua/{commitment.pk}/"
    client.post(
        url,
        {
            "report-percent": "50",
            "report-narrative": "Đã rà soát quy trình",
            "report-evidence": SimpleUploadedFile("bien-ban.pdf", pdf_bytes()),
        },
    )
    commitment.refresh_from_db()
    assert commitment.progress == 50
    report = commitment.reports.get()
    assert "bien-ban" not in report.evidence.name and report.evidence.name.endswith(".pdf")  # a random name
    download = client.get(f"{url}minh-chung/{report.pk}/")
    assert download.status_code == 200
    assert IDENTITY.encode() not in b"".join(download.streaming_content)  # cleaned at the door


@pytest.mark.parametrize(
    "name,content",
    [
        ("bao-cao.html", b"<!doctype html><script>alert(1)</script>"),
        ("bao-cao.exe", b"MZ\x90\x00\x03 a program"),
        ("bao-cao.pdf", b"MZ\x90\x00\x03 a program dressed as a PDF"),
    ],
)
def test_evidence_that_is_not_a_document_or_picture_is_refused_and_nothing_stored(
    client, tree, movement, settings, tmp_path, name, content
):  # noqa: F811
    form = ReportForm(
        {"report-percent": "50", "report-narrative": "Đã làm"},
        {"report-evidence": SimpleUploadedFile(name, content)},
        prefix="report",
    )
    assert not form.is_valid() and "evidence" in form.errors
    settings.MEDIA_ROOT = tmp_path
    officer = member("canbo_a", tree["a"], roles.UNIT_OFFICERS)
    commitment = register(tree, movement, officer)
    client.force_login(officer)
    response = client.post(
        f"/thi-dua/{commitment.pk}/",
        {"report-percent": "50", "report-narrative": "Đã làm", "report-evidence": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200 and ".pdf, .docx, .jpg" in response.content.decode()
    assert not commitment.reports.exists() and not [path for path in tmp_path.rglob("*") if path.is_file()]


def test_ids_of_another_unit_lead_nowhere(client, tree, movement):  # noqa: F811
    officer_a = member("canbo_a", tree["a"], roles.UNIT_OFFICERS)
    officer_b = member("canbo_b", tree["b"], roles.UNIT_OFFICERS)
    theirs = register(tree, movement, officer_b, unit="b")
    client.force_login(officer_a)
    assert client.get(f"/thi-dua/{theirs.pk}/").status_code == 404
    assert client.post(f"/thi-dua/{theirs.pk}/", {"report-percent": "90", "report-narrative": "x"}).status_code == 404
    response = client.post(
        "/thi-dua/dang-ky/",
        {
            "movement": movement.pk,
            "unit": tree["b"].pk,
            "title": "x",
            "target": "y",
            "deadline": TODAY.isoformat(),
            "supervisor": tree["front"].pk,
        },
    )
    assert response.status_code == 400 and not Commitment.objects.filter(title="x").exists()
    theirs.refresh_from_db()
    assert theirs.progress == 0


def test_supervisor_remarks_and_verifies_but_cannot_report(client, tree, movement):  # noqa: F811
    officer = member("canbo_a", tree["a"], roles.UNIT_OFFICERS)
    supervisor = member("mattran", tree["front"], roles.SUPERVISORS)
    commitment = register(tree, movement, officer)
    client.force_login(supervisor)
    url = f"/thi-dua/{commitment.pk}/"
    assert 'name="report-percent"' not in client.get(url).content.decode()
    client.post(url, {"report-percent": "100", "report-narrative": "giả mạo"})
    commitment.refresh_from_db()
    assert commitment.progress == 0
    client.post(url, {"remark-text": "Đã kiểm tra thực tế", "remark-verdict": "verified"})
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.VERIFIED_DONE


def test_the_unit_board_sorts_commitments_and_is_for_officers_only(client, tree, movement):  # noqa: F811
    officer = member("quanuy", tree["district"], roles.UNIT_OFFICERS)
    register(tree, movement, officer, unit="a", title="Việc quá hạn", deadline=datetime.date(2020, 1, 1))
    register(tree, movement, officer, unit="b", title="Việc đúng tiến độ")
    client.force_login(officer)
    html = client.get("/thi-dua/bang-theo-doi/").content.decode()
    assert html.index("Quá hạn") < html.index("Việc quá hạn") < html.index("Việc đúng tiến độ")
    supervisor = member("mattran", tree["front"], roles.SUPERVISORS)
    client.force_login(supervisor)
    assert client.get("/thi-dua/bang-theo-doi/").status_code == 403


def test_bad_input_in_the_workspace_is_refused_in_vietnamese_and_nothing_saved(client, tree, movement):  # noqa: F811
    officer = member("canbo_a", tree["a"], roles.UNIT_OFFICERS)
    supervisor = member("mattran", tree["front"], roles.SUPERVISORS)
    client.force_login(officer)
    empty = client.post(
        "/thi-dua/dang-ky/",
        {"movement": movement.pk, "unit": tree["a"].pk, "supervisor": tree["front"].pk, "deadline": "ngày mai"},
    )
    html = empty.content.decode()
    assert empty.status_code == 400 and "Chưa có gì được lưu" in html and "Xin điền mục này" in html
    assert not Commitment.objects.exists()
    commitment = register(tree, movement, officer)
    url = f"/thi-dua/{commitment.pk}/"
    too_much = client.post(url, {"report-percent": "150", "report-narrative": "x"})
    assert too_much.status_code == 200 and "100" in too_much.content.decode()
    big = SimpleUploadedFile("lon.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024 + 1))
    oversize = client.post(url, {"report-percent": "50", "report-narrative": "x", "report-evidence": big})
    assert "lớn hơn 10 MB" in oversize.content.decode()
    assert not commitment.reports.exists()
    client.force_login(supervisor)
    client.post(url, {"remark-text": "", "remark-verdict": "verified"})
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.REGISTERED and not commitment.remarks.exists()


def test_workspace_query_count_does_not_grow_with_commitments(
    client,
    tree,
    movement,  # noqa: F811
    django_assert_max_num_queries,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    officer = member("canbo_a", tree["a"], roles.UNIT_OFFICERS)
    client.force_login(officer)
    register(tree, movement, officer)
    client.get("/thi-dua/")
    with CaptureQueriesContext(connection) as first:
        small = client.get("/thi-dua/")
    for n in range(25):
        register(tree, movement, officer, title=f"Việc {n}")
    # Signed-in pages cost more than public ones (session, user, two-factor check), but the
    # same number whatever the unit has registered.
    with django_assert_max_num_queries(len(first.captured_queries)):
        large = client.get("/thi-dua/")
    assert len(first.captured_queries) <= 20
    assert large.content.decode().count("/thi-dua/") > small.content.decode().count("/thi-dua/")


def test_organisers_see_the_board_of_any_unit_officers_only_their_own(client, tree, movement):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    register(tree, movement, member("canbo_b", tree["b"], roles.UNIT_OFFICERS), unit="b", title="Việc của phòng B")
    organiser = get_user_model().objects.create_user("btc", password="mat-khau-dai-123")
    organiser.groups.add(Group.objects.get(name=roles.ORGANISERS))
    client.force_login(organiser)
    page = client.get("/thi-dua/bang-theo-doi/", {"don-vi": tree["b"].pk}).content.decode()
    assert "Việc của phòng B" in page and "12 tháng" in page
    client.force_login(member("canbo_a2", tree["a"], roles.UNIT_OFFICERS))
    assert client.get("/thi-dua/bang-theo-doi/", {"don-vi": tree["b"].pk}).status_code == 404
    assert client.get("/thi-dua/bang-theo-doi/", {"don-vi": "x"}).status_code == 404
    assert "Việc của phòng B" not in client.get("/thi-dua/bang-theo-doi/").content.decode()


def test_the_workspace_opens_on_what_is_the_officers_and_supervisors_to_do(client, tree, movement):
    from emulation.actions import commitments, monthly
    from emulation.models import Person

    officer = member("canbo_a", tree["a"], roles.UNIT_OFFICERS)
    head = member("truong", tree["district"], roles.UNIT_OFFICERS)
    front = member("mattran", tree["front"], roles.SUPERVISORS)
    soon = register(tree, movement, officer, title="Số hóa hồ sơ", deadline=TODAY + datetime.timedelta(days=10))
    later = register(tree, movement, officer, title="Việc còn xa", deadline=TODAY + datetime.timedelta(days=200))
    done = register(tree, movement, officer, title="Cải cách một cửa", deadline=TODAY + datetime.timedelta(days=20))
    commitments.report_progress(done, by=officer, percent=100, narrative="Xong", ready_for_verification=True)
    Person.objects.create(full_name="Lê Văn An", unit=tree["a"])
    month = monthly.open_month(tree["a"], TODAY.replace(day=1), by=head)

    client.force_login(officer)
    html = client.get("/thi-dua/").content.decode()
    mine = html[html.index("Việc của bạn") : html.index("</section>", html.index("Việc của bạn"))]
    assert f"Báo cáo tiến độ: {soon.title}" in mine and f"/thi-dua/{soon.pk}/" in mine
    assert f"hạn {soon.deadline:%d/%m/%Y}" in mine
    assert later.title not in mine and f"Báo cáo tiến độ: {done.title}" not in mine
    assert f"/thi-dua/danh-gia/{month.pk}/" in mine  # an officer of unit A heads the month of unit A

    client.force_login(front)
    html = client.get("/thi-dua/").content.decode()
    mine = html[html.index("Việc của bạn") : html.index("</section>", html.index("Việc của bạn"))]
    assert f"Xác nhận kết quả: {done.title}" in mine and "Báo cáo tiến độ" not in mine

    client.force_login(head)
    html = client.get("/thi-dua/").content.decode()
    assert "Đánh giá và chốt: Phòng A" in html and "đã đánh giá 0/2 cán bộ" in html  # canbo_a and Lê Văn An
