"""Organisers run the idea calls: they screen ideas and keep the sectors in the admin."""

from django.db import migrations

from tayho_site import roles


def grant(apps, schema_editor):
    roles.grant(apps, roles.ORGANISERS, [
        ("ideas", "view_idea"), ("ideas", "change_idea"),
        ("ideas", "view_sector"), ("ideas", "add_sector"), ("ideas", "change_sector"),
    ])


class Migration(migrations.Migration):
    dependencies = [("ideas", "0003_verbose_names"), ("contest", "0006_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
