"""Indexes for the searches of word starts (`search_folded__contains=" word"`, see
`text.search_words`): on PostgreSQL, a trigram GIN index (pg_trgm) lets a word that few
records hold be found without reading the whole table. SQLite has no such index and keeps
reading every row, which is enough for a development database."""

from django.db.migrations.operations.base import Operation

TRIGRAM_EXTENSION = "pg_trgm"


class TrigramIndex(Operation):
    """A migration's operation: a trigram GIN index named `name` on the text field `field`
    of `model_name`, created with the pg_trgm extension (trusted since PostgreSQL 13: the
    database's owner may create it) on PostgreSQL; nothing on other databases. The models'
    state does not change: the index is the database's business, not the model's."""

    reversible = True

    def __init__(self, model_name, field, name):
        self.model_name, self.field, self.name = model_name, field, name

    def state_forwards(self, app_label, state):
        pass

    def _applies(self, schema_editor, app_label, state):
        model = state.apps.get_model(app_label, self.model_name)
        return schema_editor.connection.vendor == "postgresql" and self.allow_migrate_model(
            schema_editor.connection.alias, model
        )

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if not self._applies(schema_editor, app_label, to_state):
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        quote = schema_editor.quote_name
        column = model._meta.get_field(self.field).column
        schema_editor.execute(f"CREATE EXTENSION IF NOT EXISTS {TRIGRAM_EXTENSION}")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(self.name)} ON {quote(model._meta.db_table)} "
            f"USING gin ({quote(column)} gin_trgm_ops)"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if self._applies(schema_editor, app_label, from_state):
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(self.name)}")

    def describe(self):
        return f"Trigram index {self.name} on {self.model_name}.{self.field} (PostgreSQL only)"

    @property
    def migration_name_fragment(self):
        return self.name.lower()
