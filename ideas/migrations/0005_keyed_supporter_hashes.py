"""Supporters' addresses were stored as a plain SHA-256, which anyone holding a list of
addresses can recompute. Every stored hash is taken through the keys of
SUPPORTER_HASH_KEYS (tayho_site.submissions.rekey_email_hash): no plain SHA-256 stays.
There is no way back: the plain hashes cannot be recovered from the keyed ones."""

from django.db import migrations, models

from tayho_site.submissions import rekey_email_hash


def key_plain_hashes(apps, schema_editor):
    Support = apps.get_model("ideas", "Support")
    changed = []
    for support in Support.objects.only("pk", "email_hash").iterator(chunk_size=2000):
        keyed = rekey_email_hash(support.email_hash)
        if keyed:
            support.email_hash = keyed
            changed.append(support)
    Support.objects.bulk_update(changed, ["email_hash"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("ideas", "0004_organisers_screen_ideas")]
    operations = [
        migrations.AlterField("support", "email_hash", models.CharField(max_length=72, verbose_name="Email hash")),
        migrations.RunPython(key_plain_hashes),
    ]
