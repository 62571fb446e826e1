"""Shared pieces of the contest tests: a contest with confirmed entries, a panel of
judges, and a scoring round over the entries."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from contest.actions import entries
from contest.judging import actions as judging_actions
from contest.judging.models import Criterion, Round
from contest.models import EntryConsent
from tests.factories import ContestPageFactory

User = get_user_model()


@pytest.fixture
def contest(home):
    return ContestPageFactory(parent=home)


def make_entries(contest, count):
    """`count` confirmed entries, each by its own author."""
    made = []
    for n in range(count):
        entry = entries.submit_entry(
            contest, category=contest.categories.first(), title=f"Bài {n}",
            body_html=f"<p>Nội dung bài số {n} về Hồ Tây và đô thị văn minh.</p>",
            consents=list(EntryConsent.Kind.values),
            entrant={"full_name": f"Tác giả {n}", "pen_name": "", "birth_year": 1990, "phone": "0912345678",
                     "email": f"tg{n}@example.vn", "address": "", "occupation": "", "show_as": "name"},
        ).entry
        made.append(entries.confirm_entry(entry))
    return made


@pytest.fixture
def judges():
    return [User.objects.create_user(f"giamkhao{n}", password="mat-khau-dai-123") for n in range(4)]


@pytest.fixture
def round_(contest, judges):
    now = timezone.now()
    round_ = Round.objects.create(call=contest, name="Sơ khảo", scoring_opens_at=now,
                                  scoring_closes_at=now + datetime.timedelta(days=14), judges_per_item=2, seed=11,
                                  status=Round.Status.SCORING, tie_breakers=[["criterion", "Ý tưởng"], ["reviews"]])
    Criterion.objects.create(round=round_, name="Ý tưởng", max_points=10, weight=2, sort_order=0)
    Criterion.objects.create(round=round_, name="Trình bày", max_points=10, weight=1, sort_order=1)
    round_.judges.set(judges)
    round_.save()  # the panel is a parental relation: written on save
    judging_actions.add_items(round_, make_entries(contest, 6))
    return round_


def points_for(round_, *values):
    return {str(c.pk): v for c, v in zip(round_.criteria.order_by("sort_order"), values, strict=True)}


