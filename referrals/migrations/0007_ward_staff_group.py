"""The ward staff's group (roles.WARD_STAFF): they enter a report for a resident who has
no e-mail, with the resident's consent; no admin access."""

from django.db import migrations

WARD_STAFF = "Cán bộ phường (một cửa)"  # tayho_site.roles.WARD_STAFF, frozen here


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=WARD_STAFF)


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0006_buck_reports"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
