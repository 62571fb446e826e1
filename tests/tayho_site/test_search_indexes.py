"""The trigram indexes behind the idea gallery's and the honour board's searches: on
PostgreSQL they exist (and can be dropped and made again); on SQLite the migration leaves
nothing behind. The searches themselves find text typed without diacritics on both."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.state import ProjectState

from tayho_site.search_indexes import TrigramIndex
from tests.conftest import running_on_postgres

pytestmark = pytest.mark.django_db

INDEXES = {
    "ideas_idea_search_trgm": ("ideas_idea", ("ideas", "idea")),
    "emulation_honour_search_trgm": ("emulation_honour", ("emulation", "honour")),
}


def index_definitions():
    with connection.cursor() as cursor:
        if running_on_postgres():
            cursor.execute(
                "SELECT indexname, tablename, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
                [list(INDEXES)],
            )
        else:
            cursor.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index'")
        return {name: (table, definition) for name, table, definition in cursor.fetchall() if name in INDEXES}


def test_the_search_texts_have_trigram_indexes_on_postgresql():
    if not running_on_postgres():
        pytest.skip("PostgreSQL only: SQLite reads every row")
    found = index_definitions()
    for name, (table, _model) in INDEXES.items():
        assert found[name][0] == table
        assert "USING gin (search_folded gin_trgm_ops)" in found[name][1]


def test_sqlite_gets_no_trigram_index():
    if running_on_postgres():
        pytest.skip("SQLite only")
    assert index_definitions() == {}


def test_the_index_is_dropped_and_made_again():
    if not running_on_postgres():
        pytest.skip("PostgreSQL only: nothing to drop on SQLite")
    state = ProjectState.from_apps(apps)
    operation = TrigramIndex("idea", "search_folded", "ideas_idea_search_trgm")
    with connection.schema_editor() as editor:
        operation.database_backwards("ideas", editor, state, state)
    assert "ideas_idea_search_trgm" not in index_definitions()
    with connection.schema_editor() as editor:
        operation.database_forwards("ideas", editor, state, state)
    assert "ideas_idea_search_trgm" in index_definitions()
