"""Links to ideas are written without a thousands separator: past the thousandth idea
(as on a site that has served a while) "/y-tuong/12.345/" would lead nowhere."""

import pytest
from django.db import connection

from ideas.models import Idea
from tests.factories import published_idea

pytestmark = pytest.mark.django_db


@pytest.fixture
def ids_from_12345():
    """The next idea gets id 12345. PostgreSQL's sequence is not rolled back with the
    test's transaction: it is put back as it was afterwards, for the tests that follow."""
    table = Idea._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            cursor.execute(
                "SELECT last_value FROM pg_sequences WHERE schemaname || '.' || sequencename = %s", [sequence]
            )
            last = cursor.fetchone()[0]  # None: never used yet
            cursor.execute("SELECT setval(%s, %s, false)", [sequence, 12345])
        else:
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [12344, table])
            if not cursor.rowcount:
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, 12344])
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(%s, %s, %s)", [sequence, last or 1, last is not None])


def test_the_gallery_and_the_call_link_to_ideas_past_the_thousandth(client, index, call, sector, ids_from_12345):
    idea = published_idea(call, sector, title="Ý tưởng thứ mười hai nghìn")
    assert idea.pk == 12345
    for url in (index.url, call.url):
        page = client.get(url).content.decode()
        assert f'href="{index.url}12345/"' in page, url
        assert "12.345" not in page and "12,345" not in page
    assert client.get(f"{index.url}12345/").status_code == 200
