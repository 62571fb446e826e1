"""The gallery's search and its calls: word starts typed without diacritics, ideas of
live calls only, one call's ideas on its page."""

import datetime

import pytest
from django.utils import timezone

from ideas import queries
from ideas.models import IdeaCallPage
from tests.factories import published_idea

pytestmark = pytest.mark.django_db


def titles(ideas):
    return sorted(idea.title for idea in ideas)


def test_word_starts_are_found_with_or_without_diacritics(call, sector):
    lamps = published_idea(call, sector, title="Đèn chiếu sáng đường ven Hồ Tây")
    published_idea(call, sector, title="Thư viện sách ở trường tiểu học")
    published_idea(call, sector, title="Sân chơi cho thiếu nhi phường Thụy Khuê")
    for query in ("den ho", "ĐÈN HỒ TÂY", "chieu sang", "duong"):
        assert list(queries.gallery(query=query)) == [lamps], query
    assert list(queries.gallery(query="en")) == []  # "đèn" holds it, but not at a word's start
    assert titles(queries.gallery(query="truong thu")) == ["Thư viện sách ở trường tiểu học"]
    assert titles(queries.gallery(query="Thuy khue")) == ["Sân chơi cho thiếu nhi phường Thụy Khuê"]
    assert list(queries.gallery(query="zzzz")) == []


def test_only_ideas_of_live_calls_under_the_index_are_shown(index, call, sector):
    opens_at = timezone.now() - datetime.timedelta(days=1)
    other = IdeaCallPage(title="Hòm thư thứ hai", slug="hom-thu-2", opens_at=opens_at)
    index.add_child(instance=other)
    other.save_revision().publish()
    first = published_idea(call, sector, title="Cây xanh ven hồ")
    second = published_idea(other, sector, title="Cây xanh trước trường học")
    assert titles(queries.gallery(index=index, query="cay xanh")) == sorted([first.title, second.title])
    assert list(queries.gallery(index=index, call=call, query="cay xanh")) == [first]
    other.unpublish()
    assert list(queries.gallery(index=index, query="cay xanh")) == [first]
    assert list(queries.gallery(index=index, call=other)) == []
