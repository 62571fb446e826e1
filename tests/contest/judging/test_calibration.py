"""Calibration: a round starts with items every judge scores first; each judge then sees
how their scores sit against the panel's before scoring for real; they are not ranked."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from contest.judging import actions as judging_actions
from contest.judging import queries as judging_queries
from contest.judging.models import Assignment, Round
from tests.factories import points_for

pytestmark = pytest.mark.django_db

User = get_user_model()


def test_every_judge_scores_the_calibration_items_first_then_sees_the_panel(client, round_, judges):
    organiser = User.objects.create_superuser("btc", password="mat-khau-dai-123")
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.DRAFT)
    round_.refresh_from_db()
    calibration = round_.items.order_by("pk").first()
    client.force_login(organiser)
    client.post(f"/admin/judging/{round_.pk}/calibration/", {"codes": calibration.code.lower()})
    calibration.refresh_from_db()
    assert calibration.calibration
    with pytest.raises(ValidationError):
        judging_actions.set_calibration(round_, ["ZZZ-ZZZ"], by=organiser)
    judging_actions.assign_round(round_, by=organiser)
    judging_actions.open_round(round_, by=organiser)
    assert Assignment.objects.filter(item=calibration).count() == len(judges)

    judge = judges[0]
    queue = list(judging_queries.judge_queue(judge))
    assert queue[0].item == calibration  # first in the queue
    real = next(a for a in queue if a.item != calibration)
    client.force_login(judge)
    refused = client.get(f"/cham-bai/{real.pk}/")
    assert refused.status_code == 403 and "hiệu chuẩn" in refused.content.decode()

    for other in judges[1:3]:
        judging_actions.save_review(
            Assignment.objects.get(item=calibration, judge=other),
            points=points_for(round_, 8, 6),
            comment="",
            submit=True,
            by=other,
        )
    mine = Assignment.objects.get(item=calibration, judge=judge)
    judging_actions.save_review(mine, points=points_for(round_, 4, 6), comment="", submit=True, by=judge)
    html = client.get(f"/cham-bai/{mine.pk}/").content.decode()
    assert "3 giám khảo" in html and "6,7" in html  # the panel's mean for the first criterion
    assert client.get(f"/cham-bai/{real.pk}/").status_code == 200  # now for real

    judging_actions.close_round(round_, by=organiser)
    assert calibration.pk not in {r.item for r in judging_queries.compute_ranking(round_)}
