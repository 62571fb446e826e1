"""The role groups, with what organisers may do in the admin. Judges need no admin
access: they work in the front-end workspace."""

from django.db import migrations

from tayho_site import roles

ORGANISER_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("contest", "view_entry"), ("contest", "change_entry"),
    ("contest", "view_round"), ("contest", "add_round"), ("contest", "change_round"),
    ("contest", "view_review"), ("contest", "change_review"),
    ("contest", "view_award"), ("contest", "add_award"), ("contest", "change_award"), ("contest", "delete_award"),
    ("tayho_site", "view_auditentry"), ("tayho_site", "view_ward"), ("tayho_site", "add_ward"),
    ("tayho_site", "change_ward"),
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in roles.ALL:
        Group.objects.get_or_create(name=name)
    roles.grant(apps, roles.ORGANISERS, ORGANISER_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("contest", "0005_awards"),
        ("tayho_site", "0004_security_settings"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
