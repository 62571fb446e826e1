"""A round's page shows how certain the ranks near its cut-offs are and the judges'
agreement; an uncertain item gets one more judge by the assignment's rules; the
agreement is published with the results."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from contest.judging import actions as judging_actions
from contest.judging.models import Assignment, Conflict, Round
from tayho_site.models import AuditEntry
from tests.factories import points_for

pytestmark = pytest.mark.django_db

User = get_user_model()


def score_all(round_, judges, spread=True):
    judging_actions.assign_round(round_, by=judges[0])
    split = set()
    for assignment in Assignment.objects.select_related("item").order_by("pk"):
        best = int(assignment.item.subject.tracking_code[-1])
        # Two of the six items split their judges: their ranks are uncertain.
        value = best
        if spread and best in (3, 4) and assignment.item_id not in split:
            split.add(assignment.item_id)
            value += 4
        judging_actions.save_review(
            assignment, points=points_for(round_, min(value, 10), 5), comment="", submit=True, by=assignment.judge
        )


def test_the_round_page_shows_the_certainty_near_the_cut_offs_and_the_agreement(client, round_, judges):
    organiser = User.objects.create_superuser("btc", password="mat-khau-dai-123")
    round_.advance_count = 3
    round_.save()
    score_all(round_, judges)
    client.force_login(organiser)
    html = client.get(f"/admin/judging/{round_.pk}/").content.decode()
    assert "Krippendorff" in html and "Vẫn ở cùng phía ngưỡng hạng 3" in html
    assert "Thêm một giám khảo" in html and "Chưa chắc chắn" in html
    html = client.get(f"/admin/judging/{round_.pk}/?cutoffs=1,%202").content.decode()
    assert 'value="1, 2"' in html
    judging_actions.close_round(round_, by=organiser)
    round_.refresh_from_db()
    assert round_.agreement is not None and round_.agreement < 1


def test_one_more_judge_respects_panel_conflicts_and_load(client, round_, judges):
    organiser = User.objects.create_superuser("btc", password="mat-khau-dai-123")
    score_all(round_, judges)
    item = round_.items.first()
    on_item = set(Assignment.objects.filter(item=item).values_list("judge_id", flat=True))
    free = [j for j in judges if j.pk not in on_item]
    Conflict.objects.create(item=item, judge=free[0], reason="Người thân")
    with pytest.raises(PermissionDenied):
        judging_actions.add_one_judge(item, by=judges[0])
    client.force_login(organiser)
    client.post(f"/admin/judging/{round_.pk}/one-more-judge/", {"item": item.pk})
    added = Assignment.objects.filter(item=item).exclude(judge_id__in=on_item).get()
    assert added.judge == free[1]
    assert AuditEntry.objects.filter(action="judging.assign.one_more").count() == 1
    assert judging_actions.add_one_judge(item, by=organiser) is None  # the rest conflict or are on it
    judging_actions.close_round(round_, by=organiser)
    with pytest.raises(ValidationError):
        judging_actions.add_one_judge(round_.items.last(), by=organiser)
    client.post(f"/admin/judging/{round_.pk}/reopen-scoring/")
    assert Round.objects.get(pk=round_.pk).status == Round.Status.SCORING
    assert judging_actions.add_one_judge(round_.items.last(), by=organiser) is not None


def test_the_agreement_is_published_with_the_results(client, round_, judges, contest):
    organiser = User.objects.create_superuser("btc", password="mat-khau-dai-123")
    score_all(round_, judges)
    judging_actions.close_round(round_, by=organiser)
    contest.specific.judging_publish(by=organiser)
    assert "Krippendorff" not in client.get(contest.url).content.decode()  # the round is not published yet
    judging_actions.mark_published(round_, by=organiser)
    from contest.judging.models import Item
    from contest.models import Entry

    winner = Entry.objects.get(pk=Item.objects.filter(round=round_).first().object_id)
    contest.specific.judging_award(winner, "Giải A", 1, by=organiser)
    html = client.get(contest.url).content.decode()
    alpha = Round.objects.get(pk=round_.pk).agreement
    assert "Krippendorff" in html and f"{alpha:.2f}".replace(".", ",") in html
