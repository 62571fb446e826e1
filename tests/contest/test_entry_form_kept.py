"""The empty entry form's fields are drawn once per process while the pages, categories
and wards are unchanged; a change shows at once, and a form sent back with errors is
always drawn from what was typed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tayho_site.models import Ward
from tests.factories import entry_form_data

pytestmark = pytest.mark.django_db


def form_url(contest):
    return contest.url + "gui-bai/"


def test_the_empty_form_is_drawn_once_and_a_new_ward_shows_at_once(client, contest):
    with CaptureQueriesContext(connection) as first:
        assert client.get(form_url(contest)).status_code == 200
    with CaptureQueriesContext(connection) as second:
        page = client.get(form_url(contest)).content.decode()
    assert len(second) <= len(first) - 2  # no categories or wards read again
    assert 'name="full_name"' in page and 'name="captcha_1"' in page and "csrfmiddlewaretoken" in page
    Ward.objects.create(name="Phường Thử Mới")
    assert "Phường Thử Mới" in client.get(form_url(contest)).content.decode()


def test_a_form_with_errors_keeps_what_was_typed(client, contest):
    Ward.objects.create(name="Phường Quảng An")
    client.get(form_url(contest))
    data = entry_form_data(contest, title="Tiêu đề đã gõ", email="khong-phai-thu")
    response = client.post(form_url(contest), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Tiêu đề đã gõ"' in page and 'aria-invalid="true"' in page
