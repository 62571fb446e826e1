"""Idea rounds run on the contest's judging engine: the same round page, queue and
ranking; the call page decides by selecting ideas and publishes them."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from contest.judging import actions as judging_actions
from contest.judging.models import Assignment, Criterion, Round
from ideas.models import Idea
from tests.factories import published_idea

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_an_idea_round_is_judged_blind_and_its_selection_published(
    client, call, sector, django_capture_on_commit_callbacks
):
    ideas = [
        published_idea(call, sector, email=f"n{n}@example.vn", title=f"Ý tưởng số {n}", show_name=True)
        for n in range(3)
    ]
    Idea.objects.filter(pk=ideas[2].pk).update(supporters=57)
    judges = [User.objects.create_user(f"giamkhao{n}", password="mat-khau-dai-123") for n in range(2)]
    organiser = User.objects.create_superuser("btc", password="mat-khau-dai-123")
    client.force_login(organiser)
    now = timezone.now()
    round_ = Round.objects.create(
        call=call,
        name="Chọn ý tưởng",
        scoring_opens_at=now,
        judges_per_item=2,
        scoring_closes_at=now + datetime.timedelta(days=7),
    )
    for order, name in enumerate(["Tính khả thi", "Tác động", "Tính mới", "Chi phí"]):
        Criterion.objects.create(round=round_, name=name, max_points=10, sort_order=order)
    round_.judges.set(judges)
    round_.save()
    base = f"/admin/judging/{round_.pk}/"
    for action in ("add-entries", "assign", "open"):
        client.post(base + action + "/")
    assert round_.items.count() == 3
    assert sorted(round_.items.values_list("object_id", flat=True)) == sorted(i.pk for i in ideas)

    judge = client.__class__()
    judge.force_login(judges[0])
    assignment = Assignment.objects.filter(judge=judges[0], item__object_id=ideas[2].pk).get()
    response = judge.get(f"/cham-bai/{assignment.pk}/")
    assert response.status_code == 200, response
    html = response.content.decode()
    assert "Ý tưởng số 2" in html and "57" in html  # the judges see the support count
    assert "Nguyễn Thị Hoa" not in html and "n2@example.vn" not in html  # a blind round

    for assignment in Assignment.objects.filter(item__round=round_):
        score = 9 if assignment.item.object_id == ideas[2].pk else 4
        judging_actions.save_review(
            assignment,
            points={str(c.pk): score for c in round_.criteria.all()},
            comment="",
            submit=True,
            by=assignment.judge,
        )
    client.post(base + "close/")
    page = client.get(base).content.decode()
    assert page.index(ideas[2].code) < page.index(ideas[0].code)
    item = round_.items.get(object_id=ideas[2].pk)
    client.post(base + "award/", {"item": item.pk, "prize": "selected", "position": 1})
    ideas[2].refresh_from_db()
    # Decided, but private until the results are published: the gallery and the timeline say nothing yet.
    assert ideas[2].selected_at and ideas[2].stage == Idea.Stage.RECEIVED
    assert not ideas[2].events.filter(kind="selected").exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(base + "publish/")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["n2@example.vn"]
    round_.refresh_from_db()
    ideas[2].refresh_from_db()
    assert round_.status == Round.Status.PUBLISHED and ideas[2].stage == Idea.Stage.SELECTED
    public = client.__class__().get(call.url).content.decode()
    assert "Ý tưởng số 2" in public.split('id="results-title"')[1].split("</section>")[0]
    # Withdrawing a selection is the same button; after the results it is public at once.
    client.post(base + "award/", {"item": item.pk, "position": 1})
    ideas[2].refresh_from_db()
    assert ideas[2].selected_at is None and ideas[2].stage == Idea.Stage.RECEIVED
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(base + "award/", {"item": item.pk, "prize": "selected", "position": 1})
        client.post(base + "publish/")
    assert mail.outbox == []  # announced once only


def _idea_round(call, judges, *, blind=True, status=Round.Status.SCORING):
    now = timezone.now()
    round_ = Round.objects.create(
        call=call,
        name="Vòng ý tưởng",
        scoring_opens_at=now,
        judges_per_item=1,
        scoring_closes_at=now + datetime.timedelta(days=7),
        blind=blind,
        status=status,
    )
    Criterion.objects.create(round=round_, name="Tính khả thi", max_points=10)
    round_.judges.set(judges)
    round_.save()
    return round_


def test_a_judge_in_a_blind_idea_round_never_sees_the_ideas_own_code(client, call, sector):
    ideas = [
        published_idea(call, sector, email=f"n{n}@example.vn", title=f"Ý tưởng số {n}", show_name=True)
        for n in range(3)
    ]
    judge = User.objects.create_user("giamkhao", password="mat-khau-dai-123")
    round_ = _idea_round(call, [judge])
    judging_actions.add_items(round_, ideas)
    judging_actions.assign_round(round_, by=judge)
    client.force_login(judge)
    pages = [client.get("/cham-bai/").content.decode()]
    pages += [client.get(f"/cham-bai/{a.pk}/").content.decode() for a in Assignment.objects.filter(judge=judge)]
    for idea in ideas:
        assert round_.items.get(object_id=idea.pk).code in pages[0]
        for html in pages:
            assert idea.code not in html and "Nguyễn Thị Hoa" not in html


def test_the_public_page_hides_the_author_while_a_blind_round_scores_the_idea(client, index, call, sector):
    idea = published_idea(call, sector, show_name=True)
    other = published_idea(call, sector, email="khac@example.vn", show_name=True)
    judge = User.objects.create_user("giamkhao", password="mat-khau-dai-123")
    organiser = User.objects.create_superuser("btc", password="mat-khau-dai-123")
    url = f"{index.url}{idea.pk}/"
    assert "Nguyễn Thị Hoa" in client.get(url).content.decode()
    open_round = _idea_round(call, [judge], blind=False)
    judging_actions.add_items(open_round, [idea])
    assert "Nguyễn Thị Hoa" in client.get(url).content.decode()  # a round that is not blind hides nothing
    preparing = _idea_round(call, [judge], status=Round.Status.DRAFT)
    judging_actions.add_items(preparing, [idea])
    assert "Nguyễn Thị Hoa" in client.get(url).content.decode()  # not scoring yet
    judging_actions.open_round(preparing, by=organiser)
    html = client.get(url).content.decode()
    assert "Nguyễn Thị Hoa" not in html and "Ẩn trong thời gian Ban giám khảo chấm" in html
    assert "Nguyễn Thị Hoa" in client.get(f"{index.url}{other.pk}/").content.decode()  # not in the round
    judging_actions.close_round(preparing, by=organiser)
    assert "Nguyễn Thị Hoa" in client.get(url).content.decode()
