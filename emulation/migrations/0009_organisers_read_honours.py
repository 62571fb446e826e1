"""Organisers follow the honours: they read nominations and honours in the admin (the
council decides; nobody edits them there)."""

from django.db import migrations

from tayho_site import roles


def grant(apps, schema_editor):
    roles.grant(apps, roles.ORGANISERS, [
        ("emulation", "view_nomination"), ("emulation", "view_honour"), ("emulation", "view_honourcategory"),
    ])


class Migration(migrations.Migration):
    dependencies = [("emulation", "0008_verbose_names"), ("contest", "0006_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
