"""Parallel entrants on PostgreSQL: real connections from several threads at once."""

import pytest
from django.db import connection

from contest.actions import entries
from contest.models import Entry, EntryConsent
from tests.factories import ContestPageFactory
from tests.markers import transactional_db
from tests.support.threads import in_threads

pytestmark = transactional_db

ENTRANT = {
    "full_name": "Lê Văn An",
    "pen_name": "",
    "birth_year": 1980,
    "phone": "0912345678",
    "email": "an@example.vn",
    "address": "Tây Hồ",
    "occupation": "",
    "show_as": "name",
}


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locking is exercised on PostgreSQL (the CI's second pass)")


def submit(contest, n):
    return entries.submit_entry(
        contest,
        category=contest.categories.first(),
        title="Cùng một bài",
        consents=list(EntryConsent.Kind.values),
        body_html="<p>Hồ Tây cần lối đi bộ liền mạch cho người dân.</p>",
        entrant=dict(ENTRANT),
    ).entry.pk


def test_parallel_identical_submissions_are_all_saved_whole(home):
    contest = ContestPageFactory(parent=home)
    ids = in_threads(lambda n: submit(contest, n), range(24))
    assert len(set(ids)) == 24
    assert Entry.objects.filter(contest=contest).count() == 24
    assert all(
        hasattr(entry, "entrant") and entry.consents.count() == 3 for entry in Entry.objects.filter(contest=contest)
    )


def test_parallel_confirmations_never_share_a_tracking_code(home):
    contest = ContestPageFactory(parent=home)
    ids = [submit(contest, n) for n in range(30)]
    codes = in_threads(lambda pk: entries.confirm_entry(Entry.objects.get(pk=pk)).tracking_code, ids)
    assert sorted(codes) == [f"KVTH26-{n:04d}" for n in range(1, 31)]
    # Confirming again, in parallel, hands out nothing new.
    again = in_threads(lambda pk: entries.confirm_entry(Entry.objects.get(pk=pk)).tracking_code, ids)
    assert sorted(again) == sorted(codes)
