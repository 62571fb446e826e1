import csv
import io

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from contest.actions import entries
from contest.models import EntryConsent
from tayho_site.exports import neutralise_cell
from tests.factories import ContestPageFactory
from tests.support.spreadsheets import csv_formulas, csv_rows, response_bytes, xlsx_cells, xlsx_formulas

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(client):
    user = get_user_model().objects.create_superuser("bantochuc", "btc@example.vn", "mat-khau-dai-123")
    client.force_login(user)
    return user


@pytest.fixture
def contest_with_entries(home):
    contest = ContestPageFactory(parent=home)
    made = []
    for n, title in enumerate(['=HYPERLINK("http://evil")', "Lối đi quanh hồ", "@SUM(A1)"]):
        made.append(
            entries.submit_entry(
                contest,
                category=contest.categories.first(),
                title=title,
                body_html="<p>Một hai ba bốn năm sáu bảy.</p>",
                consents=list(EntryConsent.Kind.values),
                entrant={
                    "full_name": f"Tác giả {n}",
                    "pen_name": "",
                    "birth_year": 1990,
                    "phone": "0912345678",
                    "email": f"tg{n}@example.vn",
                    "address": "+84 Tây Hồ",
                    "occupation": "",
                    "show_as": "name",
                },
            ).entry
        )
    entries.confirm_entry(made[1])
    return contest, made


def test_neutralise_cell():
    assert neutralise_cell("=1+1") == "'=1+1"
    assert neutralise_cell("-2") == "'-2"
    assert neutralise_cell("Bình thường") == "Bình thường"
    assert neutralise_cell(42) == 42


def test_organiser_lists_filters_and_searches_entries(client, organiser, contest_with_entries):
    contest, made = contest_with_entries
    html = client.get("/admin/entries/").content.decode()
    assert "Lối đi quanh hồ" in html and "KVTH26-0001" in html
    confirmed = client.get("/admin/entries/?status=confirmed").content.decode()
    assert "Lối đi quanh hồ" in confirmed and "SUM" not in confirmed
    found = client.get("/admin/entries/?q=tg2@example.vn").content.decode()
    assert "@SUM(A1)" in found and "Lối đi quanh hồ" not in found
    assert client.get(f"/admin/entries/inspect/{made[1].pk}/").status_code == 200


def test_exports_neutralise_formulas(client, organiser, contest_with_entries):
    response = client.get("/admin/entries/?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    titles = {row[3] for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil")' in titles and "'@SUM(A1)" in titles
    assert {row[14] for row in rows[1:]} == {"'+84 Tây Hồ"}

    response = client.get("/admin/entries/?export=xlsx")
    sheet = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).active
    values = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row]
    assert "'@SUM(A1)" in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)


def test_every_exported_cell_is_inert_whatever_the_names(client, organiser, contest_with_entries):
    """Names an organiser or a resident typed (a contest, a category, a ward, a title with a
    space before its "=") reach the sheets as text, in CSV and XLSX alike."""
    from contest.models import Entrant, Entry
    from tayho_site.models import Ward

    contest, made = contest_with_entries
    contest.title = '=HYPERLINK("http://evil","Bấm")'
    contest.save_revision().publish()
    contest.categories.update(name="@SUM(1)")
    ward = Ward.objects.create(name="-1+2")
    Entrant.objects.update(ward=ward, occupation="\tKỹ sư")
    Entry.objects.filter(pk=made[1].pk).update(title="  =1+1", flagged_reason="\r=cmd")

    content = response_bytes(client.get("/admin/entries/?export=csv"))
    assert csv_formulas(content) == []
    row = next(row for row in csv_rows(content) if row[3] == "'  =1+1")
    assert row[1] == '\'=HYPERLINK("http://evil","Bấm")' and row[2] == "'@SUM(1)"
    assert row[8] == "'\r=cmd" and row[13] == "'-1+2" and row[15] == "'\tKỹ sư"

    content = response_bytes(client.get("/admin/entries/?export=xlsx"))
    assert xlsx_formulas(content) == []
    values = [cell.value for cell in xlsx_cells(content)]
    assert "'  =1+1" in values and "'-1+2" in values and "'@SUM(1)" in values
    assert 7 in values  # word counts stay numbers


def test_people_without_admin_access_cannot_reach_entries(client, contest_with_entries):
    get_user_model().objects.create_user("nguoidan", "nd@example.vn", "mat-khau-dai-123")
    client.login(username="nguoidan", password="mat-khau-dai-123")
    response = client.get("/admin/entries/")
    assert response.status_code in (302, 403)
    assert "Lối đi quanh hồ" not in response.content.decode()


def test_statistics_count_entries_per_day_category_and_status(client, organiser, contest_with_entries):
    from contest.queries import entry_statistics

    contest, made = contest_with_entries
    stats = entry_statistics(contest)
    assert stats["total"] == 3
    assert [d["count"] for d in stats["days"]] == [3]
    assert stats["by_category"] == [{"category__name": "Nhân dân", "count": 3}]
    assert stats["by_ward"] == [{"entrant__ward__name": None, "count": 3}]
    assert {row["count"] for row in stats["by_status"] if row["count"]} == {1, 2}
    html = client.get("/admin/entries-statistics/").content.decode()
    assert "Số bài theo ngày" in html and "<rect" in html


def test_disqualification_needs_a_reason_the_author_then_sees(client, organiser, contest_with_entries):
    from django.core.exceptions import ValidationError

    contest, made = contest_with_entries
    entry = made[1]
    entry.status = "disqualified"
    with pytest.raises(ValidationError):
        entry.full_clean()
    response = client.post(
        f"/admin/entries/edit/{entry.pk}/",
        {"status": "disqualified", "disqualification_reason": "", "flagged_reason": ""},
    )
    entry.refresh_from_db()
    assert entry.status == "confirmed"
    assert response.status_code == 200
    client.post(
        f"/admin/entries/edit/{entry.pk}/",
        {"status": "disqualified", "flagged_reason": "", "disqualification_reason": "Bài đã đăng trên báo."},
    )
    entry.refresh_from_db()
    assert entry.status == "disqualified" and entry.disqualification_reason == "Bài đã đăng trên báo."
    from tayho_site.models import AuditEntry

    audit = AuditEntry.objects.for_object(entry).filter(action="contest.entry.status").get()
    assert audit.actor == organiser and audit.data["status"] == "disqualified"


def test_nobody_creates_or_deletes_entries_in_the_admin(client, organiser, contest_with_entries):
    contest, made = contest_with_entries
    html = client.get("/admin/entries/").content.decode()
    assert "/admin/entries/new/" not in html
    assert client.get("/admin/entries/new/").status_code in (302, 403)
    assert client.post(f"/admin/entries/delete/{made[0].pk}/").status_code in (302, 403)
    assert type(made[0]).objects.filter(pk=made[0].pk).exists()
