"""Shared pieces of the contest tests: a contest with confirmed entries, a panel of
judges, and a scoring round over the entries."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from contest.judging import actions as judging_actions
from contest.judging.models import Criterion, Round
from tests.factories import ContestPageFactory, make_entries

User = get_user_model()


@pytest.fixture
def contest(home):
    return ContestPageFactory(parent=home)


@pytest.fixture
def judges():
    return [User.objects.create_user(f"giamkhao{n}", password="mat-khau-dai-123") for n in range(4)]


@pytest.fixture
def round_(contest, judges):
    now = timezone.now()
    round_ = Round.objects.create(
        call=contest,
        name="Sơ khảo",
        scoring_opens_at=now,
        scoring_closes_at=now + datetime.timedelta(days=14),
        judges_per_item=2,
        seed=11,
        status=Round.Status.SCORING,
        tie_breakers=[["criterion", "Ý tưởng"], ["reviews"]],
    )
    Criterion.objects.create(round=round_, name="Ý tưởng", max_points=10, weight=2, sort_order=0)
    Criterion.objects.create(round=round_, name="Trình bày", max_points=10, weight=1, sort_order=1)
    round_.judges.set(judges)
    round_.save()  # the panel is a parental relation: written on save
    judging_actions.add_items(round_, make_entries(contest, 6))
    return round_
