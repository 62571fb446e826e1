"""The weekly report: per unit, open conclusions, remedies done (late ones counted) and
overdue, oldest overdue first; for organisers only; an XLSX of the same table; few
queries whatever the number of conclusions."""

import datetime
from io import BytesIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from emulation.inspections import actions, queries
from emulation.inspections.models import Conclusion, Inspection, Remedy
from referrals.models import Referral
from tayho_site import roles
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(tree):
    return member("btc", tree["district"], roles.ORGANISERS)


@pytest.fixture
def inspection(tree, organiser):
    return actions.open_inspection(
        by=organiser,
        title="Kiểm tra đột xuất",
        kind=Inspection.Kind.SURPRISE,
        subject=Inspection.Subject.ATTITUDE,
        units=[tree["a"], tree["b"], tree["front"]],
        team=[organiser],
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 9, 2),
    )


def remedies(inspection, conclusions, per_conclusion, units, *, today):
    """Conclusions with remedies and their referrals, written in bulk."""
    content_type = ContentType.objects.get_for_model(Remedy)
    made = Conclusion.objects.bulk_create(
        [
            Conclusion(inspection=inspection, number=f"{n}/KL", signed_on=today, signer="Chủ tịch")
            for n in range(conclusions)
        ]
    )
    rows = []
    for c, conclusion in enumerate(made):
        for r in range(per_conclusion):
            unit = units[(c + r) % len(units)]
            due = today + datetime.timedelta(days=(c * per_conclusion + r) % 40 - 20)
            answered = today - datetime.timedelta(days=1) if r % 2 else None
            referral = Referral(
                subject_type=content_type,
                subject_id="0",
                title=f"Khắc phục {c}.{r}",
                original_unit=unit,
                unit=unit,
                received_on=today - datetime.timedelta(days=30),
                working_days=10,
                due_on=due,
                status=Referral.Status.ANSWERED if answered else Referral.Status.OPEN,
                answered_on=answered,
            )
            rows.append((conclusion, unit, referral))
    Referral.objects.bulk_create([referral for _c, _u, referral in rows])
    Remedy.objects.bulk_create(
        [Remedy(conclusion=c, unit=u, text=f"Khắc phục {r.title}", referral=r) for c, u, r in rows]
    )


def test_units_are_listed_with_the_oldest_overdue_first(tree, organiser, inspection):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    conclusion = actions.conclude(
        inspection,
        by=organiser,
        number="5/KL",
        signed_on=today,
        signer="Chủ tịch",
        remedies=[(tree["a"], "Việc A"), (tree["b"], "Việc B"), (tree["front"], "Việc MT")],
    )
    a, b, front = (r.referral for r in conclusion.remedies.order_by("pk"))
    Referral.objects.filter(pk=a.pk).update(due_on=today - 3 * day)  # overdue 3 days
    Referral.objects.filter(pk=b.pk).update(due_on=today - 9 * day)  # overdue 9 days: first
    Referral.objects.filter(pk=front.pk).update(  # done, late
        due_on=today - 5 * day, status=Referral.Status.ANSWERED, answered_on=today - day
    )
    lines, overdue, totals = queries.weekly_report(today)
    assert [line.unit for line in lines] == [tree["b"], tree["a"], tree["front"]]
    assert [r.text for r in overdue] == ["Việc B", "Việc A"]
    assert (lines[2].done, lines[2].done_late, lines[2].overdue) == (1, 1, 0)
    assert totals == {"open_conclusions": 1, "done": 1, "done_late": 1, "open": 2, "overdue": 2}


def test_the_report_is_for_organisers_and_downloads_as_xlsx(client, tree, organiser, inspection):
    today = timezone.localdate()
    remedies(inspection, 3, 2, [tree["a"]], today=today)
    officer = member("canbo_a", tree["a"], roles.UNIT_OFFICERS)
    client.force_login(officer)
    assert client.get(reverse("inspections:weekly")).status_code == 403
    client.force_login(organiser)
    page = client.get(reverse("inspections:weekly"))
    assert page.status_code == 200 and "Phòng A" in page.content.decode()
    download = client.get(reverse("inspections:weekly"), {"format": "xlsx"})
    assert download["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(BytesIO(download.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Phòng A" and rows[1][3] == 3  # three remedies done


def test_500_conclusions_of_5_remedies_in_20_queries(
    client, tree, organiser, inspection, django_assert_max_num_queries
):
    today = timezone.localdate()
    remedies(inspection, 500, 5, [tree["a"], tree["b"], tree["front"]], today=today)
    client.force_login(organiser)
    client.get(reverse("inspections:list"))  # the first request makes the profile and site settings rows
    with django_assert_max_num_queries(20):
        response = client.get(reverse("inspections:weekly"))
    assert response.status_code == 200
    with django_assert_max_num_queries(20):
        response = client.get(reverse("inspections:weekly"), {"format": "xlsx"})
    assert response.status_code == 200


def test_the_weekly_report_is_kept_and_mailed_once_on_its_day(
    tree, organiser, inspection, settings, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group

    from emulation.inspections.models import WeeklyReport

    settings.INSPECTION_REPORT_WEEKDAY = 0
    monday = datetime.date(2026, 11, 30)
    standing = member("thuongtruc", tree["district"], roles.STANDING_COMMITTEE)
    standing.email = "thuongtruc@tayho.vn"
    standing.save()
    assert Group.objects.filter(name=roles.STANDING_COMMITTEE).exists()
    remedies(inspection, 2, 2, [tree["a"]], today=monday)
    assert actions.issue_weekly_report(today=monday + datetime.timedelta(days=1)) is None  # not its day
    WeeklyReport.objects.create(
        week_of=monday - datetime.timedelta(days=7), figures={"units": {}, "totals": {"done": 0, "overdue": 0}}
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = actions.issue_weekly_report(today=monday, site_url="https://tayho.example")
    assert report.week_of == monday and report.figures["totals"]["done"] == 2
    assert [message.to for message in mail.outbox] == [["thuongtruc@tayho.vn"]]
    assert "https://tayho.example/thi-dua/thanh-tra/bao-cao-tuan/" in mail.outbox[0].body
    assert "(+2)" in mail.outbox[0].body  # two more done than the week before
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.issue_weekly_report(today=monday) == report  # again: kept and sent once
    assert len(mail.outbox) == 1 and WeeklyReport.objects.count() == 2


def test_the_report_as_pdf_and_with_the_change_since_last_week(client, tree, organiser, inspection):
    from emulation.inspections.models import WeeklyReport

    today = timezone.localdate()
    remedies(inspection, 2, 2, [tree["a"]], today=today)
    WeeklyReport.objects.create(
        week_of=today - datetime.timedelta(days=14),
        figures={"units": {str(tree["a"].pk): {"done": 1, "overdue": 0}}, "totals": {"done": 1, "overdue": 0}},
    )
    client.force_login(organiser)
    page = client.get(reverse("inspections:weekly")).content.decode()
    assert "(+1)" in page  # one more done than in the last report kept
    pdf = client.get(reverse("inspections:weekly"), {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_people_with_repeated_findings_of_passing_work_around_are_listed_for_review(
    client, tree, organiser, inspection, movement
):
    from emulation.models import Manifestation, Person

    passing = Manifestation.objects.create(page=movement, text="Đùn đẩy, vòng vo", code="day-viec-long-vong")
    other = Manifestation.objects.create(page=movement, text="Đi muộn", code="di-muon")
    an = Person.objects.create(full_name="Lê Văn An", unit=tree["a"])
    binh = Person.objects.create(full_name="Phạm Thị Bình", unit=tree["a"])
    day = datetime.date(2026, 9, 1)
    for manifestation, people in ((passing, [an, binh]), (passing, [an]), (other, [binh]), (other, [binh])):
        actions.add_finding(
            inspection,
            by=organiser,
            unit=tree["a"],
            manifestation=manifestation,
            people=people,
            found_on=day,
            text="x",
        )
    assert [(p.full_name, p.repeated) for p in queries.people_for_review()] == [("Lê Văn An", 2)]
    client.force_login(organiser)
    page = client.get(reverse("inspections:weekly")).content.decode()
    assert "Lê Văn An" in page and "Phạm Thị Bình" not in page
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "waiting-inspections" in home
