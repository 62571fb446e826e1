import re

import pytest
from django.core.files.base import ContentFile

from contest.judging import actions as judging_actions
from contest.judging.models import Assignment, Review
from tests.factories import make_entries, points_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(round_, judges):
    judging_actions.assign_round(round_, by=judges[0])
    return round_


def login(client, judge):
    client.force_login(judge)
    return client


def test_anonymous_visitors_are_sent_to_sign_in(client, assigned):
    response = client.get("/cham-bai/")
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
    assert "Đăng nhập" in client.get(response["Location"]).content.decode()


def test_queue_shows_progress_pending_first(client, assigned, judges):
    mine = list(Assignment.objects.filter(judge=judges[0]).order_by("item__code"))
    judging_actions.save_review(mine[0], points=points_for(assigned, 5, 5), comment="", submit=True, by=judges[0])
    html = login(client, judges[0]).get("/cham-bai/").content.decode()
    assert f"1 / {len(mine)}" in html
    assert html.index(mine[1].item.code) < html.index("Đã nộp") < html.index(mine[0].item.code)


def test_queue_query_count_is_constant_in_the_number_of_assignments(
    client, assigned, judges, contest, django_assert_max_num_queries
):
    login(client, judges[0])
    client.get("/cham-bai/")
    with django_assert_max_num_queries(12):
        small = client.get("/cham-bai/")
    judging_actions.add_items(assigned, make_entries(contest, 30)[6:])
    judging_actions.assign_round(assigned, by=judges[0])
    with django_assert_max_num_queries(12):
        large = client.get("/cham-bai/")
    assert small.status_code == large.status_code == 200
    assert large.content.decode().count('href="/cham-bai/') > small.content.decode().count('href="/cham-bai/')


def test_blind_scoring_page_never_shows_the_author(client, assigned, judges):
    assignment = Assignment.objects.filter(judge=judges[0]).first()
    entry = assignment.item.subject
    entry.attachment.save("ho-so-cua-Tac-gia-0.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    entry.attachment_name = "Tác giả 0 - bài dự thi.pdf"
    entry.save()
    html = login(client, judges[0]).get(f"/cham-bai/{assignment.pk}/").content.decode()
    assert entry.title in html and assignment.item.code in html
    assert "Tác giả" not in html and entry.entrant.email not in html
    download = client.get(f"/cham-bai/{assignment.pk}/tep-dinh-kem/")
    assert f'filename="{assignment.item.code}.pdf"' in download["Content-Disposition"]
    assert "Tac-gia" not in download["Content-Disposition"]


def test_judges_cannot_reach_each_others_items_by_changing_the_id(client, assigned, judges):
    theirs = Assignment.objects.filter(judge=judges[1]).first()
    login(client, judges[0])
    assert client.get(f"/cham-bai/{theirs.pk}/").status_code == 404
    assert client.post(f"/cham-bai/{theirs.pk}/", {"submit": "1"}).status_code == 404
    assert client.get(f"/cham-bai/{theirs.pk}/tep-dinh-kem/").status_code == 404
    assert client.post(f"/cham-bai/{theirs.pk}/tu-choi/", {"reason": "x"}).status_code == 404
    queue = client.get("/cham-bai/").content.decode()
    mine = set(Assignment.objects.filter(judge=judges[0]).values_list("item__code", flat=True))
    for code in set(Assignment.objects.filter(judge=judges[1]).values_list("item__code", flat=True)) - mine:
        assert code not in queue
    assert not Review.objects.exists()


def test_draft_then_submit_then_next_and_locked(client, assigned, judges):
    mine = list(Assignment.objects.filter(judge=judges[0]).order_by("item__round_id", "item__code"))
    login(client, judges[0])
    url = f"/cham-bai/{mine[0].pk}/"
    criteria = {f"criterion-{key}": value for key, value in points_for(assigned, 7, "").items()}
    draft = client.post(url, {**criteria, "comment": "Đang đọc", "draft": "1"})
    assert draft.status_code == 302
    assert Review.objects.get(assignment=mine[0]).status == "draft"
    bad = client.post(url, {**criteria, "submit": "1"})
    assert bad.status_code == 400 and "chấm đủ mọi tiêu chí" in bad.content.decode()
    criteria = {f"criterion-{key}": value for key, value in points_for(assigned, 7, 8).items()}
    done = client.post(url, {**criteria, "comment": "Tốt", "submit": "1"})
    assert done["Location"] == f"/cham-bai/{mine[1].pk}/"
    assert Review.objects.get(assignment=mine[0]).status == "submitted"
    again = client.post(url, {**{k: "1" for k in criteria}, "submit": "1"})
    assert again.status_code == 200 and "Đã nộp và đã khóa" in again.content.decode()
    assert Review.objects.get(assignment=mine[0]).points == {
        k[len("criterion-") :]: float(v) for k, v in criteria.items()
    }


def test_other_judges_scores_are_never_shown(client, assigned, judges):
    item = Assignment.objects.filter(judge=judges[0]).first().item
    other = Assignment.objects.filter(item=item).exclude(judge=judges[0]).first()
    judging_actions.save_review(
        other, points=points_for(assigned, 9, 3), comment="Nhận xét bí mật", submit=True, by=other.judge
    )
    mine = Assignment.objects.get(item=item, judge=judges[0])
    html = login(client, judges[0]).get(f"/cham-bai/{mine.pk}/").content.decode()
    assert "Nhận xét bí mật" not in html
    assert not re.search(r'value="9(\.0)?"', html)


def test_recusal_from_the_workspace(client, assigned, judges):
    mine = Assignment.objects.filter(judge=judges[0]).first()
    login(client, judges[0])
    response = client.post(f"/cham-bai/{mine.pk}/tu-choi/", {"reason": "Tác giả là học trò của tôi"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.recused_at is not None
    assert client.get(f"/cham-bai/{mine.pk}/").status_code == 404


def test_saved_points_come_back_as_numbers_the_input_accepts(client, assigned, judges):
    mine = Assignment.objects.filter(judge=judges[0]).first()
    judging_actions.save_review(mine, points=points_for(assigned, 7, 7.5), comment="", submit=False, by=judges[0])
    html = login(client, judges[0]).get(f"/cham-bai/{mine.pk}/").content.decode()
    assert 'value="7"' in html and 'value="7.5"' in html and 'value="7,5"' not in html


def test_a_blind_rounds_pages_show_its_own_code_never_the_entrys(client, assigned, judges):
    mine = list(Assignment.objects.filter(judge=judges[0]).select_related("item"))
    entry = mine[0].item.subject
    entry.attachment.save("bai.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    login(client, judges[0])
    queue = client.get("/cham-bai/").content.decode()
    page = client.get(f"/cham-bai/{mine[0].pk}/").content.decode()
    download = client.get(f"/cham-bai/{mine[0].pk}/tep-dinh-kem/")["Content-Disposition"]
    submitted = client.post(
        f"/cham-bai/{mine[0].pk}/",
        {**{f"criterion-{key}": value for key, value in points_for(assigned, 7, 7).items()}, "submit": "1"},
        follow=True,
    ).content.decode()
    for assignment in mine:
        own = assignment.item.subject
        assert assignment.item.code in queue
        assert own.tracking_code not in queue and own.entrant.full_name not in queue
    for html in (page, submitted, download):
        assert entry.tracking_code not in html and entry.entrant.full_name not in html
    assert mine[0].item.code in page and f'filename="{mine[0].item.code}.pdf"' in download


def test_items_of_a_round_not_being_scored_cannot_be_opened(client, assigned, judges):
    from contest.judging.models import Round

    mine = Assignment.objects.filter(judge=judges[0]).first()
    login(client, judges[0])
    for status in (Round.Status.DRAFT, Round.Status.CLOSED, Round.Status.PUBLISHED):
        Round.objects.filter(pk=assigned.pk).update(status=status)
        for url in (f"/cham-bai/{mine.pk}/", f"/cham-bai/{mine.pk}/tep-dinh-kem/"):
            response = client.get(url)
            assert response.status_code == 403, (status, url)
            assert mine.item.subject.title not in response.content.decode()
        assert "không còn trong thời gian chấm" in client.get(f"/cham-bai/{mine.pk}/").content.decode()
        assert client.post(f"/cham-bai/{mine.pk}/tu-choi/", {"reason": "Người quen"}).status_code == 403
    mine.refresh_from_db()
    assert mine.recused_at is None


def test_stepping_back_after_submitting_is_refused_with_a_message(client, assigned, judges):
    mine = Assignment.objects.filter(judge=judges[0]).first()
    judging_actions.save_review(mine, points=points_for(assigned, 5, 5), comment="", submit=True, by=judges[0])
    login(client, judges[0])
    response = client.post(f"/cham-bai/{mine.pk}/tu-choi/", {"reason": "Người quen"}, follow=True)
    assert "Phiếu chấm bài này đã nộp" in response.content.decode()
    mine.refresh_from_db()
    assert mine.recused_at is None


def test_the_queue_opens_on_what_is_the_judges_to_do_with_the_due_date(client, assigned, judges):
    from django.utils import timezone

    mine = list(Assignment.objects.filter(judge=judges[0]).order_by("item__code"))
    html = login(client, judges[0]).get("/cham-bai/").content.decode()
    first = html.index("Việc của bạn")
    assert first < html.index("Cần chấm")
    assert f"{len(mine)} mục cần chấm ở vòng “{assigned.name}”" in html
    assert f"hạn {timezone.localtime(assigned.scoring_closes_at):%d/%m/%Y}" in html
    assert f'href="/cham-bai/{mine[0].pk}/"' in html[first:]
    for assignment in mine:
        judging_actions.save_review(
            assignment, points=points_for(assigned, 5, 5), comment="", submit=True, by=judges[0]
        )
    html = client.get("/cham-bai/").content.decode()
    assert "Không có việc nào đang chờ bạn." in html


def test_a_judge_is_behind_schedule_past_the_close_or_slower_than_the_time_gone_by():
    import datetime

    from contest.judging.queries import behind_schedule

    opens = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    closes = opens + datetime.timedelta(days=10)
    at = lambda days: opens + datetime.timedelta(days=days)  # noqa: E731
    assert not behind_schedule(10, 0, opens, closes, at(0.5))  # nobody is late in the first hours
    assert behind_schedule(10, 4, opens, closes, at(5))  # half the time gone, fewer than half scored
    assert not behind_schedule(10, 5, opens, closes, at(5))
    assert behind_schedule(10, 9, opens, closes, at(10))  # closed with an item left
    assert not behind_schedule(10, 10, opens, closes, at(12))
    assert not behind_schedule(0, 0, opens, closes, at(12))
