"""Links to ideas are written without a thousands separator: past the thousandth idea
(as on a site that has served a while) "/y-tuong/12.345/" would lead nowhere."""

import pytest
from django.db import connection

from ideas.models import Idea
from tests.factories import published_idea

pytestmark = pytest.mark.django_db


def next_id_at(model, value):
    """The next row of `model` gets `value` as its id."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)", [table, value])
        else:
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [value - 1, table])
            if not cursor.rowcount:
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, value - 1])


def test_the_gallery_and_the_call_link_to_ideas_past_the_thousandth(client, index, call, sector):
    next_id_at(Idea, 12345)
    idea = published_idea(call, sector, title="Ý tưởng thứ mười hai nghìn")
    assert idea.pk == 12345
    for url in (index.url, call.url):
        page = client.get(url).content.decode()
        assert f'href="{index.url}12345/"' in page, url
        assert "12.345" not in page and "12,345" not in page
    assert client.get(f"{index.url}12345/").status_code == 200
