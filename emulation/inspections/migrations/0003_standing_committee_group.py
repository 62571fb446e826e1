from django.db import migrations

from tayho_site import roles


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=roles.STANDING_COMMITTEE)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0002_weekly_reports_kept"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
