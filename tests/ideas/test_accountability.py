"""The public accountability page by period and level of unit, as CSV and XLSX, and
its query budget at 10,000 referrals."""

import csv
import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from openpyxl import load_workbook

from ideas.actions import referring
from ideas.models import Idea
from referrals import actions as referral_actions
from referrals.models import Referral, ReferralStep, Verdict
from tayho_site import roles
from tests.factories import member, published_idea

pytestmark = pytest.mark.django_db


def bulk_referrals(tree, count, today):
    """`count` referrals made in bulk over the last year: a third transferred A → B, one
    in ten of those back to A (passed around), half answered, some judged."""
    idea_type = ContentType.objects.get_for_model(Idea)
    units = [tree["a"], tree["b"]]
    referrals = Referral.objects.bulk_create(
        Referral(
            subject_type=idea_type,
            subject_id=str(100000 + n),
            title=f"Ý tưởng {n}",
            original_unit=units[n % 2],
            unit=units[n % 2],
            received_on=today - datetime.timedelta(days=n % 360),
            working_days=10,
            due_on=today - datetime.timedelta(days=n % 360) + datetime.timedelta(days=14),
            status=Referral.Status.ANSWERED if n % 2 else Referral.Status.OPEN,
            outcome=Referral.Outcome.DONE if n % 2 else "",
            answered_on=today - datetime.timedelta(days=n % 360) + datetime.timedelta(days=n % 20) if n % 2 else None,
            transfers=1 if n % 3 == 0 else 0,
            passed_around_on=today - datetime.timedelta(days=n % 360) if n % 30 == 0 else None,
        )
        for n in range(count)
    )
    steps = []
    for n, referral in enumerate(referrals):
        steps.append(ReferralStep(referral=referral, kind="referred", on=referral.received_on, to_unit=referral.unit))
        if n % 3 == 0:
            steps.append(
                ReferralStep(
                    referral=referral,
                    kind="transferred",
                    on=referral.received_on,
                    from_unit=tree["b"],
                    to_unit=tree["a"],
                )
            )
        if n % 2:
            steps.append(
                ReferralStep(referral=referral, kind="answered", on=referral.answered_on, from_unit=referral.unit)
            )
    ReferralStep.objects.bulk_create(steps, batch_size=2000)
    answers = ReferralStep.objects.filter(kind="answered").select_related("referral")[: count // 10]
    Verdict.objects.bulk_create(
        Verdict(referral=s.referral, answer=s, unit_id=s.from_unit_id, resolved=bool(s.pk % 3), given_on=s.on)
        for s in answers
    )


def test_the_page_by_period_stays_within_its_budget_at_10000_referrals(
    client, index, tree, django_assert_max_num_queries
):
    today = timezone.localdate()
    bulk_referrals(tree, 10_000, today)
    url = f"{index.url}trach-nhiem/?ky={today.year}&cap=2"
    client.get(url)  # the site's caches warm
    with django_assert_max_num_queries(15):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and "Phòng A" in html and "Phòng B" in html
    with django_assert_max_num_queries(15):
        assert client.get(f"{index.url}trach-nhiem/?ky={today:%Y-%m}").status_code == 200


def test_the_reopening_the_confirmed_answer_and_the_passed_around_show(client, index, call, sector, tree):
    officers = {key: member(f"cb_{key}", tree[key], roles.UNIT_OFFICERS) for key in ("a", "b")}
    idea = published_idea(call, sector)
    referral = referring.refer(idea, unit=tree["a"], by=None)
    referral = referral_actions.transfer(referral, to_unit=tree["b"], reason="Không thuộc", by=officers["a"])
    referral = referral_actions.transfer(referral, to_unit=tree["a"], reason="Trả lại", by=officers["b"])
    referral = referral_actions.answer(referral, outcome="done", text="Đã làm", by=officers["a"])
    first = referral.steps.get(kind="answered")
    referral_actions.give_verdict(first, resolved=False, comment="Chưa làm")
    referral = referral_actions.answer(Referral.objects.get(), outcome="done", text="Đã làm thật", by=officers["a"])
    referral_actions.give_verdict(referral.steps.filter(kind="answered").latest("pk"), resolved=True)
    rows = list(csv.reader(io.StringIO(client.get(f"{index.url}trach-nhiem/?tai=csv").content.decode("utf-8-sig"))))
    header, by_unit = rows[0], {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert len(header) == 14
    a = list(by_unit["Phòng A"].values())
    # received 2, … transferred away 1, passed around 1, …, answers 2, confirmed 1, 50 %, reopened 1,
    # no commitment overdue
    assert a[1] == "2" and a[6] == "1" and a[7] == "1" and a[9:] == ["2", "1", "50", "1", "0"]
    assert by_unit["Phòng B"][header[7]] == "1"  # B passed it back: counted too
    page = client.get(f"{index.url}{idea.pk}/").content.decode()
    assert "Bị đùn đẩy" in page
    workbook = load_workbook(io.BytesIO(client.get(f"{index.url}trach-nhiem/?tai=xlsx&ky=2000").content))
    sheet = workbook.active
    assert [c.value for c in sheet[2]][0] in ("All units", "Tất cả đơn vị")  # nothing in 2000: totals only


def test_bad_filters_are_ignored(client, index, tree):
    for query in ("ky=2026-13", "cap=99", "cap=abc", "ky=%3Cscript%3E", "tai=exe"):
        response = client.get(f"{index.url}trach-nhiem/?{query}")
        assert response.status_code == 200
