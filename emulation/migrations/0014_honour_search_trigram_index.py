"""On PostgreSQL, a trigram index on the honours' search text: the board finds a name by
a rare word without reading every honour. Nothing on SQLite."""

from django.db import migrations

from tayho_site.search_indexes import TrigramIndex


class Migration(migrations.Migration):
    dependencies = [
        ("emulation", "0013_commitment_milestones"),
    ]

    operations = [
        TrigramIndex("honour", "search_folded", "emulation_honour_search_trgm"),
    ]
