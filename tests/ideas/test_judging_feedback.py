"""The judges' feedback reaches idea authors too: after the results of a round that gives
feedback, the idea's private page shows the comments for the author (judges unnamed) and
the mean points per criterion, for that idea only."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from contest.judging import actions as judging_actions
from contest.judging.models import Assignment, Criterion, Round
from ideas.actions import authors
from ideas.models import Idea
from tayho_site.submissions import hash_token, new_access_token
from tests.factories import published_idea

pytestmark = pytest.mark.django_db
User = get_user_model()


def private_link(idea):
    token = new_access_token()
    Idea.objects.filter(pk=idea.pk).update(access_token_hash=hash_token(token))
    return authors.private_path(token)


@pytest.fixture
def judged(call, sector):
    """Two ideas of two authors, scored by two judges in a round that gives feedback."""
    ideas = [published_idea(call, sector, email=f"tacgia{n}@example.vn", title=f"Ý tưởng số {n}") for n in range(2)]
    judges = [User.objects.create_user(f"giamkhao{n}", password="mat-khau-dai-123") for n in range(2)]
    organiser = User.objects.create_superuser("btc", password="mat-khau-dai-123")
    now = timezone.now()
    round_ = Round.objects.create(
        call=call,
        name="Chọn ý tưởng",
        scoring_opens_at=now,
        scoring_closes_at=now + datetime.timedelta(days=7),
        judges_per_item=2,
        status=Round.Status.SCORING,
        feedback_to_entrants=True,
    )
    Criterion.objects.create(round=round_, name="Tính khả thi", max_points=10, sort_order=0)
    round_.judges.set(judges)
    round_.save()
    judging_actions.add_items(round_, ideas)
    judging_actions.assign_round(round_, by=organiser)
    for assignment in Assignment.objects.select_related("item").order_by("pk"):
        idea = assignment.item.subject
        judging_actions.save_review(
            assignment,
            points={str(c.pk): 7 for c in round_.criteria.all()},
            comment=f"Ghi chú cho BTC về {idea.code}",
            feedback=f"Góp ý cho tác giả {idea.code}, lần {assignment.pk}",
            submit=True,
            by=assignment.judge,
        )
    judging_actions.close_round(round_, by=organiser)
    return round_, ideas, judges, organiser


def test_an_idea_author_reads_only_their_own_feedback_after_the_results(client, judged):
    round_, (mine, theirs), judges, organiser = judged
    link, other_link = private_link(mine), private_link(theirs)
    assert "Góp ý cho tác giả" not in client.get(link).content.decode()  # not before the results
    judging_actions.mark_published(round_, by=organiser)
    html = client.get(link).content.decode()
    assert html.count(f"Góp ý cho tác giả {mine.code}") == 2
    assert theirs.code not in html and "Ghi chú cho BTC" not in html
    assert not any(judge.username in html for judge in judges)  # judges unnamed
    assert "7,0 / 10" in html or "7.0 / 10" in html  # mean points per criterion
    other = client.get(other_link).content.decode()
    assert f"Góp ý cho tác giả {theirs.code}" in other and mine.code not in other
    changed = link[:-2] + ("A/" if link[-2] != "A" else "B/")
    assert client.get(changed).status_code == 404


def test_no_feedback_on_an_ideas_page_unless_the_round_gives_it(client, judged):
    round_, (mine, _theirs), _judges, organiser = judged
    Round.objects.filter(pk=round_.pk).update(feedback_to_entrants=False)
    judging_actions.mark_published(round_, by=organiser)
    assert "Góp ý cho tác giả" not in client.get(private_link(mine)).content.decode()
