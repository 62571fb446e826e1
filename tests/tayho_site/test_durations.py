import datetime

import pytest
from django.utils import timezone, translation

from tayho_site.durations import time_left
from tests.factories import ContestPageFactory

NOW = datetime.datetime(2026, 12, 6, 9, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("remaining", "vietnamese", "english"),
    [
        (datetime.timedelta(days=58, hours=3), "58 ngày", "58 days"),
        (datetime.timedelta(days=1), "1 ngày", "1 day"),
        (datetime.timedelta(hours=23, minutes=59), "23 giờ", "23 hours"),
        (datetime.timedelta(hours=5, minutes=10), "5 giờ", "5 hours"),
        (datetime.timedelta(minutes=59), "59 phút", "59 minutes"),
        (datetime.timedelta(seconds=20), "1 phút", "1 minute"),
        (datetime.timedelta(0), "đã hết hạn", "expired"),
        (datetime.timedelta(days=-3), "đã hết hạn", "expired"),
    ],
)
def test_time_left_in_one_unit_people_use(remaining, vietnamese, english):
    with translation.override("vi"):
        assert time_left(NOW + remaining, now=NOW) == vietnamese
    with translation.override("en"):
        assert time_left(NOW + remaining, now=NOW) == english


@pytest.mark.django_db
def test_contest_page_says_time_left_in_vietnamese(client, home):
    contest = ContestPageFactory(
        parent=home,
        opens_at=timezone.now() - datetime.timedelta(days=3),
        closes_at=timezone.now() + datetime.timedelta(days=58, hours=2),
    )
    html = client.get(contest.url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Còn 58 ngày để gửi bài." in html
    assert "month" not in html and "week" not in html
    html = client.get(contest.url + "gui-bai/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Còn 58 ngày để gửi bài." in html
