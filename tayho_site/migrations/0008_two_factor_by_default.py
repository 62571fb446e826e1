"""Two-factor sign-in required by default: every site's security setting requires it of
the staff groups (roles.TWO_FACTOR_REQUIRED), added to whatever a site chose before; the
organisers may relax it per group, so they may change the setting."""

from django.db import migrations, models

from tayho_site import roles


def require_two_factor(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Site = apps.get_model("wagtailcore", "Site")
    SecuritySettings = apps.get_model("tayho_site", "SecuritySettings")
    groups = [Group.objects.get_or_create(name=name)[0] for name in roles.TWO_FACTOR_REQUIRED]
    for site in Site.objects.all():
        SecuritySettings.objects.get_or_create(site=site)[0].two_factor_groups.add(*groups)


def let_organisers_change_it(apps, schema_editor):
    roles.grant(apps, roles.ORGANISERS, [("tayho_site", "change_securitysettings")])


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('tayho_site', '0007_verbose_names'),
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [
        migrations.AlterField(
            model_name='securitysettings',
            name='two_factor_groups',
            field=models.ManyToManyField(blank=True, help_text='Members of these groups pair an authenticator app before they can do anything else. Administrators (superusers) always must.', to='auth.group', verbose_name='Groups that must use two-factor sign-in'),
        ),
        migrations.RunPython(require_two_factor, migrations.RunPython.noop),
        migrations.RunPython(let_organisers_change_it, migrations.RunPython.noop),
    ]
