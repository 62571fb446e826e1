"""Ideas stored before the gallery matched word starts get their search text rebuilt."""

from django.db import migrations


def rebuild(apps, schema_editor):
    from tayho_site.text import search_words

    Idea = apps.get_model("ideas", "Idea")
    for idea in Idea.objects.only("title", "problem", "proposal", "benefit", "place").iterator(chunk_size=500):
        Idea.objects.filter(pk=idea.pk).update(search_folded=search_words(
            " ".join([idea.title, idea.problem, idea.proposal, idea.benefit, idea.place])))


class Migration(migrations.Migration):
    dependencies = [("ideas", "0001_initial")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
