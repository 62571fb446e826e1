"""Items whose judges disagree go to a discussion: its judges read one another as
Judge A, B, C and write in a thread, may revise once (audited, the first score kept);
the round's chair records a consensus score the ranking uses, and says so. A judge
never reads another item's thread."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from contest.judging import actions as judging_actions
from contest.judging import queries as judging_queries
from contest.judging.models import Assignment, Item, Review
from tayho_site.models import AuditEntry
from tests.factories import points_for

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def disputed(round_, judges):
    """The round scored: one item's two judges far apart (10/10 against 0/0), the others agree."""
    judging_actions.assign_round(round_, by=judges[0])
    target = round_.items.order_by("pk").first()
    for assignment in Assignment.objects.select_related("item").order_by("pk"):
        if assignment.item == target:
            first = assignment.pk == Assignment.objects.filter(item=target).order_by("pk").first().pk
            values = (10, 10) if first else (0, 0)
        else:
            values = (6, 6)
        judging_actions.save_review(
            assignment,
            points=points_for(round_, *values),
            comment=f"Ghi chú {assignment.pk}",
            submit=True,
            by=assignment.judge,
        )
    return target


def login(client, user):
    client.force_login(user)
    return client


def test_the_items_judges_read_each_other_as_letters_and_talk_it_over(client, round_, judges, disputed):
    first, second = Assignment.objects.filter(item=disputed).order_by("pk")
    login(client, first.judge)
    assert f"/cham-bai/thao-luan/{disputed.pk}/" in client.get("/cham-bai/").content.decode()
    html = client.get(f"/cham-bai/thao-luan/{disputed.pk}/").content.decode()
    assert "Giám khảo A" in html and "Giám khảo B" in html and f"Ghi chú {second.pk}" in html
    assert not any(judge.username in html for judge in judges)
    client.post(f"/cham-bai/thao-luan/{disputed.pk}/", {"action": "post", "body": "Bài này ý tưởng rất mới."})
    login(client, second.judge)
    html = client.get(f"/cham-bai/thao-luan/{disputed.pk}/").content.decode()
    assert "Bài này ý tưởng rất mới." in html and "Giám khảo A" in html
    assert AuditEntry.objects.filter(action="judging.discussion.post").count() == 1


def test_a_judge_revises_once_the_first_score_is_kept_and_audited(client, round_, judges, disputed):
    second = Assignment.objects.filter(item=disputed).order_by("pk").last()
    with pytest.raises(ValidationError):
        judging_actions.revise_review(second, points=points_for(round_, 7, 7), reason=" ", by=second.judge)
    review = judging_actions.revise_review(
        second, points=points_for(round_, 7, 7), reason="Đã đọc lại", by=second.judge
    )
    assert review.first_points == points_for(round_, 0.0, 0.0) and review.points == points_for(round_, 7.0, 7.0)
    with pytest.raises(ValidationError):
        judging_actions.revise_review(second, points=points_for(round_, 8, 8), reason="Lần nữa", by=second.judge)
    assert AuditEntry.objects.filter(action="judging.review.revise", summary="Đã đọc lại").exists()
    login(client, second.judge)
    html = client.get(f"/cham-bai/thao-luan/{disputed.pk}/").content.decode()
    assert "đã chấm lại, lần đầu 0" in html and "Chấm lại điểm của tôi" not in html


def test_the_chair_records_a_consensus_the_ranking_uses_and_says_so(client, round_, judges, disputed):
    on_item = set(Assignment.objects.filter(item=disputed).values_list("judge_id", flat=True))
    chair = next(j for j in judges if j.pk not in on_item)
    round_.chair = chair
    round_.save()
    judge = Assignment.objects.filter(item=disputed).first().judge
    with pytest.raises(PermissionDenied):
        judging_actions.record_consensus(disputed, score=20, reason="Theo đa số", by=judge)
    login(client, chair)
    assert f"/cham-bai/thao-luan/{disputed.pk}/" in client.get("/cham-bai/").content.decode()
    bad = client.post(f"/cham-bai/thao-luan/{disputed.pk}/", {"action": "consensus", "score": "99", "reason": "x"})
    assert bad.status_code == 400
    client.post(f"/cham-bai/thao-luan/{disputed.pk}/", {"action": "consensus", "score": "27", "reason": "Ý mới"})
    row = next(r for r in judging_queries.compute_ranking(round_) if r.item == disputed.pk)
    assert row.settled and row.score == 27 and row.rank == 1
    assert AuditEntry.objects.filter(action="judging.consensus", summary="Ý mới").exists()
    organiser = User.objects.create_superuser("btc", password="mat-khau-dai-123")
    judging_actions.close_round(round_, by=organiser)
    login(client, organiser)
    html = client.get(f"/admin/judging/{round_.pk}/").content.decode()
    assert "1 bài được xếp hạng theo điểm thống nhất" in html


def test_a_judge_never_reads_another_items_thread(client, round_, judges, disputed):
    on_item = set(Assignment.objects.filter(item=disputed).values_list("judge_id", flat=True))
    outsider = next(j for j in judges if j.pk not in on_item)
    login(client, outsider)
    assert client.get(f"/cham-bai/thao-luan/{disputed.pk}/").status_code == 404
    assert client.post(f"/cham-bai/thao-luan/{disputed.pk}/", {"action": "post", "body": "x"}).status_code == 404
    with pytest.raises(PermissionDenied):
        judging_actions.post_message(disputed, body="x", by=outsider)
    insider = Assignment.objects.filter(item=disputed).first().judge
    login(client, insider)
    calm = Assignment.objects.filter(judge=insider).exclude(item=disputed).first().item
    assert client.get(f"/cham-bai/thao-luan/{calm.pk}/").status_code == 404  # no disagreement: no thread
    assert client.get(f"/cham-bai/thao-luan/{disputed.pk + 1000}/").status_code == 404
    organiser = User.objects.create_superuser("btc", password="mat-khau-dai-123")
    judging_actions.close_round(round_, by=organiser)
    judging_actions.mark_published(round_, by=organiser)
    assert client.get(f"/cham-bai/thao-luan/{disputed.pk}/").status_code == 404  # published: closed
    assert Review.objects.filter(first_points__isnull=False).count() == 0


def test_the_disagreement_threshold_is_the_rounds_own(round_, judges, disputed):
    """The flag of the ranking and the trigger of a discussion follow the round's threshold
    (20 % of the rubric's range unless it says otherwise): the disputed item's totals spread
    over half the range, the others not at all."""
    assert round_.disagreement_percent == 20
    flagged = {row.item for row in judging_queries.compute_ranking(round_) if row.disagreement}
    assert flagged == {disputed.pk} and judging_queries.in_discussion(disputed)
    round_.disagreement_percent = 60
    round_.save()
    disputed = Item.objects.get(pk=disputed.pk)
    assert not any(row.disagreement for row in judging_queries.compute_ranking(round_))
    assert not judging_queries.is_disputed(disputed) and not judging_queries.in_discussion(disputed)
    assert disputed not in judging_queries.discussions_for(judges[0])


def test_a_low_threshold_flags_a_mild_spread(round_, judges):
    judging_actions.assign_round(round_, by=judges[0])
    target = round_.items.order_by("pk").first()
    first, second = Assignment.objects.filter(item=target).order_by("pk")
    for assignment, values in ((first, (6, 6)), (second, (4, 4))):  # totals 18 and 12: 10 % of 30
        judging_actions.save_review(
            assignment, points=points_for(round_, *values), comment="", submit=True, by=assignment.judge
        )
    assert not judging_queries.is_disputed(target)
    round_.disagreement_percent = 5
    round_.save()
    target = Item.objects.get(pk=target.pk)
    assert judging_queries.is_disputed(target)
    assert {row.item for row in judging_queries.compute_ranking(round_) if row.disagreement} == {target.pk}
