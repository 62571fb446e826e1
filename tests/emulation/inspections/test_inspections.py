"""Inspections: opened by the organisers, findings recorded by the team (evidence through
the one upload check), conclusions whose remedies are referrals to their units; who sees
which inspection; findings proposed as deductions of the unit's month."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from emulation.actions import monthly
from emulation.inspections import actions
from emulation.inspections.models import Finding, Inspection
from emulation.models import Manifestation, Person, Rubric, RubricCriterion
from referrals.actions import answer
from referrals.models import Referral
from tayho_site import roles
from tayho_site.models import AuditEntry
from tests.factories import member, pdf_bytes

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 10, 5)


@pytest.fixture
def world(tree, movement):
    organiser = member("btc", tree["district"], roles.ORGANISERS)
    inspector = member("thanhtra1", tree["district"], roles.UNIT_OFFICERS)
    other_inspector = member("thanhtra2", tree["district"], roles.UNIT_OFFICERS)
    officer_a = member("canbo_a", tree["a"], roles.UNIT_OFFICERS)
    officer_b = member("canbo_b", tree["b"], roles.UNIT_OFFICERS)
    late = Manifestation.objects.create(page=movement, text="Đùn đẩy, né tránh trách nhiệm", code="day-viec")
    inspection = actions.open_inspection(
        by=organiser,
        title="Kiểm tra đột xuất giờ làm việc",
        kind=Inspection.Kind.SURPRISE,
        subject=Inspection.Subject.HOURS,
        units=[tree["a"]],
        team=[inspector],
        starts_on=DAY,
        ends_on=DAY,
    )
    other = actions.open_inspection(
        by=organiser,
        title="Kiểm tra thủ tục hành chính",
        kind=Inspection.Kind.PLANNED,
        subject=Inspection.Subject.PROCEDURES,
        units=[tree["b"]],
        team=[other_inspector],
        starts_on=DAY,
        ends_on=DAY + datetime.timedelta(days=3),
    )
    return {
        "organiser": organiser,
        "inspector": inspector,
        "other_inspector": other_inspector,
        "officer_a": officer_a,
        "officer_b": officer_b,
        "late": late,
        "inspection": inspection,
        "other": other,
        "an": Person.objects.create(full_name="Lê Văn An", unit=tree["a"]),
    }


def test_only_organisers_open_an_inspection_and_a_topic_needs_naming(tree, world):
    with pytest.raises(PermissionDenied):
        actions.open_inspection(
            by=world["inspector"],
            title="x",
            kind="planned",
            subject="hours",
            units=[tree["a"]],
            team=[],
            starts_on=DAY,
            ends_on=DAY,
        )
    with pytest.raises(ValidationError):
        actions.open_inspection(
            by=world["organiser"],
            title="x",
            kind="planned",
            subject="topic",
            units=[tree["a"]],
            team=[],
            starts_on=DAY,
            ends_on=DAY,
        )


def test_the_team_records_a_finding_with_evidence_checked_by_its_bytes(tree, world):
    pdf = SimpleUploadedFile("bien-ban ông An.pdf", pdf_bytes(), content_type="application/pdf")
    finding = actions.add_finding(
        world["inspection"],
        by=world["inspector"],
        unit=tree["a"],
        manifestation=world["late"],
        people=[world["an"]],
        found_on=DAY,
        text="Vắng mặt giờ tiếp dân",
        evidence=pdf,
    )
    assert finding.evidence_kind == "pdf"
    assert finding.evidence.name.endswith(".pdf") and "An" not in finding.evidence.name
    assert AuditEntry.objects.filter(action="inspection.finding").count() == 1
    fake = SimpleUploadedFile("anh.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        actions.add_finding(
            world["inspection"],
            by=world["inspector"],
            unit=tree["a"],
            manifestation=world["late"],
            found_on=DAY,
            text="x",
            evidence=fake,
        )
    # Another team's member, a unit not inspected, a person of another unit: refused.
    with pytest.raises(PermissionDenied):
        actions.add_finding(
            world["inspection"],
            by=world["other_inspector"],
            unit=tree["a"],
            manifestation=world["late"],
            found_on=DAY,
            text="x",
        )
    with pytest.raises(ValidationError):
        actions.add_finding(
            world["inspection"],
            by=world["inspector"],
            unit=tree["b"],
            manifestation=world["late"],
            found_on=DAY,
            text="x",
        )
    stranger = Person.objects.create(full_name="Người phòng B", unit=tree["b"])
    with pytest.raises(ValidationError):
        actions.add_finding(
            world["inspection"],
            by=world["inspector"],
            unit=tree["a"],
            manifestation=world["late"],
            people=[stranger],
            found_on=DAY,
            text="x",
        )


def test_each_remedy_of_a_conclusion_is_a_referral_to_its_unit(tree, world):
    conclusion = actions.conclude(
        world["inspection"],
        by=world["inspector"],
        number="12/KL-UBND",
        signed_on=DAY,
        signer="Chủ tịch UBND quận",
        remedies=[(tree["a"], "Chấn chỉnh giờ tiếp dân"), (tree["a"], "  ")],
        working_days=5,
        today=DAY,
    )
    remedy = conclusion.remedies.get()
    referral = remedy.referral
    assert referral.unit == tree["a"] and referral.subject == remedy
    assert referral.status == Referral.Status.OPEN and referral.due_on > DAY
    assert "12/KL-UBND" in referral.title
    # The unit answers it on the referrals' own engine.
    answer(referral, outcome=Referral.Outcome.DONE, text="Đã chấn chỉnh", by=world["officer_a"], today=DAY)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ANSWERED
    with pytest.raises(PermissionDenied):
        actions.conclude(
            world["inspection"],
            by=world["other_inspector"],
            number="13",
            signed_on=DAY,
            signer="x",
            remedies=[(tree["a"], "y")],
        )


def test_a_team_member_sees_only_the_teams_inspections(client, world):
    client.force_login(world["inspector"])
    page = client.get(reverse("inspections:list")).content.decode()
    assert "Kiểm tra đột xuất giờ làm việc" in page and "Kiểm tra thủ tục hành chính" not in page
    assert client.get(reverse("inspections:detail", args=[world["inspection"].pk])).status_code == 200
    # The other team's inspection, by changing the id: not found, and no finding can be posted.
    assert client.get(reverse("inspections:detail", args=[world["other"].pk])).status_code == 404
    assert client.post(reverse("inspections:detail", args=[world["other"].pk]), {}).status_code == 404
    client.force_login(world["other_inspector"])
    assert client.get(reverse("inspections:detail", args=[world["inspection"].pk])).status_code == 404
    assert client.get(reverse("inspections:detail", args=[world["other"].pk])).status_code == 200


def test_the_team_records_a_finding_on_the_page(client, tree, world):
    client.force_login(world["inspector"])
    response = client.post(
        reverse("inspections:detail", args=[world["inspection"].pk]),
        {
            "unit": tree["a"].pk,
            "manifestation": world["late"].pk,
            "found_on": "2026-10-05",
            "text": "Cán bộ vắng mặt",
            "people": [world["an"].pk],
        },
    )
    assert response.status_code == 302
    assert Finding.objects.get().people.get() == world["an"]


def test_a_unit_sees_the_findings_against_itself_only(client, tree, world):
    actions.add_finding(
        world["inspection"],
        by=world["inspector"],
        unit=tree["a"],
        manifestation=world["late"],
        found_on=DAY,
        text="Ở A",
    )
    actions.add_finding(
        world["other"],
        by=world["other_inspector"],
        unit=tree["b"],
        manifestation=world["late"],
        found_on=DAY,
        text="Ở B",
    )
    client.force_login(world["officer_a"])
    page = client.get(reverse("inspections:my_findings")).content.decode()
    assert "Ở A" in page and "Ở B" not in page
    # A unit officer is not on the team: the inspection itself stays hidden.
    assert client.get(reverse("inspections:detail", args=[world["inspection"].pk])).status_code == 404
    client.force_login(world["officer_b"])
    page = client.get(reverse("inspections:my_findings")).content.decode()
    assert "Ở B" in page and "Ở A" not in page


def test_a_finding_is_proposed_as_a_deduction_of_the_units_month(tree, world):
    Rubric.objects.create(kind=tree["a"].kind)
    RubricCriterion.objects.create(rubric=Rubric.objects.get(), text="Hoàn thành nhiệm vụ", max_points=100)
    finding = actions.add_finding(
        world["inspection"], by=world["inspector"], unit=tree["a"], manifestation=world["late"], found_on=DAY, text="x"
    )
    actions.add_finding(  # another month: not in October's
        world["inspection"],
        by=world["inspector"],
        unit=tree["a"],
        manifestation=world["late"],
        found_on=datetime.date(2026, 11, 2),
        text="y",
    )
    head = member("truong_quan", tree["district"], roles.UNIT_OFFICERS)
    unit_month = monthly.open_month(tree["a"], datetime.date(2026, 10, 1), by=head)
    proposal = unit_month.proposals.get(source="inspections")
    assert proposal.source_key == f"finding:{finding.pk}"
    assert proposal.manifestation == world["late"] and proposal.kind == "deduction"
    monthly.gather_proposals(unit_month, by=head)
    assert unit_month.proposals.filter(source="inspections").count() == 1


def test_an_organiser_opens_an_inspection_on_the_page(client, tree, world):
    data = {
        "title": "Kiểm tra đột xuất bộ phận một cửa",
        "kind": "surprise",
        "subject": "procedures",
        "units": [tree["a"].pk],
        "team": [world["inspector"].pk],
        "starts_on": "2026-11-02",
        "ends_on": "2026-11-02",
    }
    client.force_login(world["inspector"])
    assert client.post(reverse("inspections:new"), data).status_code == 403
    client.force_login(world["organiser"])
    response = client.post(reverse("inspections:new"), data)
    inspection = Inspection.objects.get(title="Kiểm tra đột xuất bộ phận một cửa")
    assert response.url == reverse("inspections:detail", args=[inspection.pk])
    assert list(inspection.team.all()) == [world["inspector"]]


def test_the_team_records_a_conclusion_whose_remedies_are_referred(client, tree, world):
    data = {
        "number": "7/KL-UBND",
        "signed_on": "2026-10-06",
        "signer": "Chủ tịch UBND quận",
        "working_days": 5,
        "unit_0": tree["a"].pk,
        "remedy_0": "Niêm yết lại thủ tục",
    }
    client.force_login(world["other_inspector"])  # another team, by changing the id
    assert client.post(reverse("inspections:conclude", args=[world["inspection"].pk]), data).status_code == 404
    client.force_login(world["inspector"])
    response = client.post(reverse("inspections:conclude", args=[world["inspection"].pk]), data)
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.unit == tree["a"] and referral.working_days == 5
    page = client.get(reverse("inspections:detail", args=[world["inspection"].pk])).content.decode()
    assert "Niêm yết lại thủ tục" in page and "7/KL-UBND" in page


def test_the_public_summary_names_units_never_people(client, tree, world):
    actions.add_finding(
        world["inspection"],
        by=world["inspector"],
        unit=tree["a"],
        manifestation=world["late"],
        people=[world["an"]],
        found_on=DAY,
        text="Ông An vắng mặt",
    )
    conclusion = actions.conclude(
        world["inspection"],
        by=world["inspector"],
        number="9/KL",
        signed_on=DAY,
        signer="Chủ tịch",
        remedies=[(tree["a"], "Chấn chỉnh"), (tree["a"], "Niêm yết")],
        today=DAY,
    )
    first = conclusion.remedies.order_by("pk").first().referral
    answer(first, outcome=Referral.Outcome.DONE, text="Đã làm", by=world["officer_a"], today=DAY)
    response = client.get(reverse("inspections:public"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Phòng A" in page and "Phòng B" in page
    assert "Lê Văn An" not in page and "Ông An" not in page and "thanhtra1" not in page
    line = next(line for line in response.context["lines"] if line.unit_name == "Phòng A")
    assert (line.inspections, line.findings, line.remedies, line.on_time, line.overdue) == (1, 1, 2, 1, 1)


def test_a_units_findings_show_on_its_board_and_on_no_other(client, tree, world):
    actions.add_finding(
        world["inspection"],
        by=world["inspector"],
        unit=tree["a"],
        manifestation=world["late"],
        people=[world["an"]],
        found_on=DAY,
        text="Vắng mặt giờ tiếp dân",
    )
    actions.conclude(
        world["inspection"],
        by=world["inspector"],
        number="12/KL-UBND",
        signed_on=DAY,
        signer="Chủ tịch UBND quận",
        remedies=[(tree["a"], "Chấn chỉnh giờ tiếp dân")],
        today=DAY,
    )
    client.force_login(world["officer_a"])
    page = client.get(reverse("emulation:board")).content.decode()
    assert "Đùn đẩy, né tránh trách nhiệm" in page and "Đã khắc phục 0/1" in page
    assert "Lê Văn An" not in page  # the board names no one
    client.force_login(world["officer_b"])
    page = client.get(reverse("emulation:board")).content.decode()
    assert "Đùn đẩy, né tránh trách nhiệm" not in page
    # Nor by asking for unit A's board by its id.
    assert client.get(reverse("emulation:board"), {"don-vi": tree["a"].pk}).status_code == 404


def test_exemplary_conduct_is_a_merit_and_organisers_propose_it_for_an_honour(client, tree, world, category):
    from emulation.honours import actions as honours
    from emulation.honours import queries as honour_queries

    # A failing must name its manifestation; exemplary conduct names none.
    with pytest.raises(ValidationError):
        actions.add_finding(
            world["inspection"], by=world["inspector"], unit=tree["a"], manifestation=None, found_on=DAY, text="x"
        )
    client.force_login(world["inspector"])
    response = client.post(
        reverse("inspections:detail", args=[world["inspection"].pk]),
        {
            "unit": tree["a"].pk,
            "exemplary": "on",
            "people": [world["an"].pk],
            "found_on": "2026-10-05",
            "text": "Tận tình hướng dẫn người dân ngoài giờ",
        },
    )
    assert response.status_code == 302
    finding = Finding.objects.get(exemplary=True)
    assert finding.manifestation is None and list(finding.people.all()) == [world["an"]]
    # In the unit's month it is a proposed merit, not a deduction.
    head = member("truong_quan", tree["district"], roles.UNIT_OFFICERS)
    unit_month = monthly.open_month(tree["a"], datetime.date(2026, 10, 1), by=head)
    assert unit_month.proposals.get(source="inspections").kind == "merit"
    # It is suggested for an honour, for the one person named; the organisers propose it.
    key = f"finding:{finding.pk}"
    suggestion = next(s for s in honour_queries.suggestions() if s["key"] == key)
    assert suggestion["person"] == world["an"] and suggestion["unit"] == tree["a"]
    nomination = honours.propose_suggestion(key, by=world["organiser"], category=category)
    assert nomination.person == world["an"] and nomination.source_key == key
    assert "Tận tình hướng dẫn" in nomination.source_note
    assert key not in {s["key"] for s in honour_queries.suggestions()}
    # A failing is never suggested.
    actions.add_finding(
        world["inspection"], by=world["inspector"], unit=tree["a"], manifestation=world["late"], found_on=DAY, text="y"
    )
    assert not [s for s in honour_queries.suggestions() if s["key"].startswith("finding:")]


def test_evidence_and_names_go_five_years_after_the_remedies_are_done(tree, world, django_capture_on_commit_callbacks):
    from django.utils import timezone as tz

    from tayho_site import retention

    def finding(inspection, by, unit, people=()):
        return actions.add_finding(
            inspection,
            by=by,
            unit=unit,
            manifestation=world["late"],
            people=people,
            found_on=DAY,
            text="Vắng mặt giờ tiếp dân",
            evidence=SimpleUploadedFile("bien-ban.pdf", pdf_bytes(), content_type="application/pdf"),
        )

    done = finding(world["inspection"], world["inspector"], tree["a"], people=[world["an"]])
    waiting = finding(world["other"], world["other_inspector"], tree["b"])
    file_name = done.evidence.name
    conclusion = actions.conclude(
        world["inspection"],
        by=world["inspector"],
        number="12/KL-UBND",
        signed_on=DAY,
        signer="Chủ tịch UBND quận",
        remedies=[(tree["a"], "Chấn chỉnh giờ tiếp dân")],
        today=DAY,
    )
    actions.conclude(
        world["other"],
        by=world["other_inspector"],
        number="13/KL-UBND",
        signed_on=DAY,
        signer="Chủ tịch UBND quận",
        remedies=[(tree["b"], "Niêm yết thủ tục")],
        today=DAY,
    )
    answered_on = DAY + datetime.timedelta(days=10)
    answer(
        conclusion.remedies.get().referral,
        outcome=Referral.Outcome.DONE,
        text="Đã chấn chỉnh",
        by=world["officer_a"],
        today=answered_on,
    )

    def run(day):
        now = tz.make_aware(datetime.datetime.combine(day, datetime.time(3)))
        with django_capture_on_commit_callbacks(execute=True):
            return {r.kind.name: r.count for r in retention.purge(now, only=["inspections.evidence"])}

    five_years = datetime.timedelta(days=1825)
    assert run(answered_on + five_years) == {"inspections.evidence": 0}  # not a day too early
    assert run(answered_on + five_years + datetime.timedelta(days=1)) == {"inspections.evidence": 1}
    done.refresh_from_db()
    assert not done.evidence and not done.evidence_kind and not done.people.exists()
    assert done.text == "Vắng mặt giờ tiếp dân" and done.manifestation == world["late"]
    assert not done.evidence.storage.exists(file_name)
    waiting.refresh_from_db()  # its remedy is still open: all kept
    assert waiting.evidence
    assert run(answered_on + five_years * 2) == {"inspections.evidence": 0}
