"""On PostgreSQL, a trigram index on the ideas' search text: the gallery finds an idea by
a rare word without reading them all. Nothing on SQLite."""

from django.db import migrations

from tayho_site.search_indexes import TrigramIndex


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0007_supporters_follow_ideas"),
    ]

    operations = [
        TrigramIndex("idea", "search_folded", "ideas_idea_search_trgm"),
    ]
