"""The admin's home shows what needs attention today, each line a count linking to its
screen; each app adds its own section, for the people who may act on it; the page stays
within a fixed number of queries however many records wait."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from contest.judging import actions as judging_actions
from contest.judging.models import Criterion, Round
from contest.models import Entry
from emulation.honours import actions as honours_actions
from emulation.honours.models import HonourCategory
from emulation.models import UnitMonth
from ideas.actions import authors, moderation, referring
from ideas.models import IdeaCallPage, IdeaIndexPage, Sector
from tayho_site import roles
from tests.factories import ContestPageFactory, make_entries, member, send_idea

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def organiser(tree):
    return member("btc", tree["district"], roles.ORGANISERS)


@pytest.fixture
def places(home):
    index = IdeaIndexPage(title="Ý tưởng", slug="y-tuong")
    home.add_child(instance=index)
    index.save_revision().publish()
    call = IdeaCallPage(title="Hòm thư ý tưởng", slug="hom-thu", opens_at=timezone.now() - datetime.timedelta(days=1))
    index.add_child(instance=call)
    call.save_revision().publish()
    return {
        "contest": ContestPageFactory(parent=home),
        "call": call,
        "sector": Sector.objects.create(name="Môi trường"),
        "category": HonourCategory.objects.create(name="Tập thể tiêu biểu", for_collectives=True),
        "judges": [_judge(f"giamkhao{n}") for n in range(3)],
    }


def _judge(username):
    user = User.objects.create_user(username, password="mat-khau-dai-123")
    user.groups.add(Group.objects.get(name=roles.JUDGES))
    return user


def add_waiting_work(places, tree, organiser, n):
    """`n` of each kind of waiting work: entries awaiting confirmation and flagged, a
    round being scored (half its judges behind), ideas to screen, overdue referrals,
    nominations proposed and in a ballot, months not finalised."""
    now = timezone.now()
    entries = make_entries(places["contest"], 2 * n)
    Entry.objects.filter(pk__in=[e.pk for e in entries[:n]]).update(status=Entry.Status.AWAITING_CONFIRMATION)
    Entry.objects.filter(pk__in=[e.pk for e in entries[n:]]).update(flagged_reason="Trùng bài")
    round_ = Round.objects.create(
        call=places["contest"],
        name=f"Vòng {Round.objects.count() + 1}",
        scoring_opens_at=now - datetime.timedelta(days=10),
        scoring_closes_at=now - datetime.timedelta(hours=1),
        judges_per_item=1,
        status=Round.Status.SCORING,
    )
    Criterion.objects.create(round=round_, name="Ý tưởng", max_points=10)
    round_.judges.set(places["judges"])
    round_.save()
    judging_actions.add_items(round_, entries[n:])
    judging_actions.assign_round(round_, by=organiser)
    for _ in range(n):
        submission = send_idea(places["call"], places["sector"], email=f"nd{UnitMonth.objects.count()}{_}@example.vn")
        authors.confirm_idea(submission.idea)
    for _ in range(n):
        submission = send_idea(places["call"], places["sector"], email=f"pub{Entry.objects.count()}{_}@example.vn")
        authors.confirm_idea(submission.idea)
        idea = moderation.publish(submission.idea, by=organiser)
        referring.refer(
            idea, unit=tree["a"], by=organiser, working_days=2, today=timezone.localdate() - datetime.timedelta(days=30)
        )
    for index in range(n):
        nomination = honours_actions.nominate(
            by=organiser,
            category=places["category"],
            year=timezone.localdate().year,
            unit=tree["b"],
            nominee_name=f"Tập thể {index} {now.timestamp()}",
            collective=True,
            achievements_html="<p>Giải quyết hồ sơ đúng hạn</p>",
        )
        if index % 2:
            honours_actions.open_voting(nomination, by=organiser, secret=False)
    start = datetime.date(2020, 1, 1) + datetime.timedelta(days=31 * UnitMonth.objects.count())
    for index in range(n):
        UnitMonth.objects.create(unit=tree["a"], month=(start + datetime.timedelta(days=31 * index)).replace(day=1))


def test_the_admin_home_lists_the_waiting_work_with_links(client, tree, places, organiser):
    add_waiting_work(places, tree, organiser, 2)
    client.force_login(organiser)
    page = client.get("/admin/").content.decode()
    for heading in (
        "Bài dự thi",
        "Vòng chấm đang chấm",
        "Hòm thư ý tưởng",
        "Ý tưởng được chuyển xử lý",
        "Khen thưởng",
        "Đánh giá cán bộ hằng tháng",
    ):
        assert heading in page, heading
    assert "/admin/entries/?status=awaiting" in page and "/admin/entries/?flagged=true" in page
    assert "/admin/idea-screening/?status=pending" in page
    assert "/thi-dua/chuyen-xu-ly/" in page and "/thi-dua/khen-thuong/" in page and "/thi-dua/danh-gia/" in page
    round_ = Round.objects.get()
    assert f"/admin/judging/{round_.pk}/" in page
    assert "0/2 phiếu chấm đã nộp" in page and "giám khảo chậm tiến độ" in page
    # Each link leads to a screen the organiser may open.
    for url in (
        "/admin/entries/?status=awaiting",
        "/admin/idea-screening/?status=pending",
        f"/admin/judging/{round_.pk}/",
    ):
        assert client.get(url).status_code == 200, url


def test_an_empty_section_says_nothing_is_waiting(client, tree, organiser):
    client.force_login(organiser)
    page = client.get("/admin/").content.decode()
    assert "Không có việc nào đang chờ." in page
    assert "không có vòng nào đang chấm" in page


def test_each_section_shows_only_to_those_who_may_act_on_it(client, tree):
    editor = User.objects.create_user("bientap", password="mat-khau-dai-123")
    editor.groups.add(Group.objects.get(name=roles.EDITORS))
    client.force_login(editor)
    page = client.get("/admin/").content.decode()
    assert client.get("/admin/").status_code == 200
    for name in ("entries", "rounds", "ideas", "referrals", "nominations", "months"):
        assert f'id="waiting-{name}' not in page, name


def test_the_admin_home_stays_within_a_fixed_number_of_queries(
    client, tree, places, organiser, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    add_waiting_work(places, tree, organiser, 1)
    client.force_login(organiser)
    client.get("/admin/")  # warm the caches that fill once
    with CaptureQueriesContext(connection) as few:
        assert client.get("/admin/").status_code == 200
    add_waiting_work(places, tree, organiser, 6)
    with django_assert_max_num_queries(len(few)):
        page = client.get("/admin/").content.decode()
    assert "0/6 phiếu chấm đã nộp" in page
