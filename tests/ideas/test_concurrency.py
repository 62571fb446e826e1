"""Supports under parallel load on PostgreSQL: real connections from several threads."""

import re

import pytest
from django.core import mail
from django.db import connection

from ideas.actions import supports
from ideas.models import Idea, Support
from tests.factories import published_idea
from tests.markers import transactional_db
from tests.support.threads import in_threads

pytestmark = transactional_db


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locking is exercised on PostgreSQL (the CI's second pass)")


@pytest.fixture
def idea(home):
    from django.utils import timezone

    from ideas.models import IdeaCallPage, IdeaIndexPage, Sector

    index = IdeaIndexPage(title="Ý tưởng", slug="y-tuong")
    home.add_child(instance=index)
    call = IdeaCallPage(title="Hòm thư", slug="hom-thu", opens_at=timezone.now())
    index.add_child(instance=call)
    return published_idea(call, Sector.objects.create(name="Môi trường"))


def _token(support):
    body = next(m.body for m in reversed(mail.outbox) if f"/ung-ho/{support.pk}/" in m.body)
    return re.search(rf"/ung-ho/{support.pk}/([^/\s]+)/", body).group(1)


def test_one_support_confirmed_many_times_at_once_counts_once(idea):
    support = supports.request_support(idea, "ban@example.vn")
    token = _token(support)
    counted = in_threads(lambda _n: supports.confirm_support(support, token), range(12))
    assert counted.count(True) == 1
    assert Idea.objects.get(pk=idea.pk).supporters == 1


def test_many_residents_supporting_at_once_are_all_counted(idea):
    requested = [supports.request_support(idea, f"n{n}@example.vn") for n in range(30)]
    tokens = {support.pk: _token(support) for support in requested}
    in_threads(lambda support: supports.confirm_support(support, tokens[support.pk]), requested)
    assert Idea.objects.get(pk=idea.pk).supporters == 30 == Support.objects.filter(confirmed_at__isnull=False).count()


def test_the_same_address_supporting_in_parallel_is_stored_once(idea):
    results = in_threads(lambda _n: supports.request_support(idea, "cung@example.vn").pk, range(10))
    assert Support.objects.filter(idea=idea).count() == 1
    assert set(results) == {Support.objects.get(idea=idea).pk}  # each request answered with the one row
