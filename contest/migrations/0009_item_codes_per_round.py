"""Every judged item gets a random code of its own round: until now it carried the
entry's tracking code or the idea's public code, which a judge could look up."""

from django.db import migrations, models

import contest.judging.models


def draw_codes(apps, schema_editor):
    from contest.judging.models import new_item_code

    Item = apps.get_model("contest", "Item")
    taken = {}
    for item in Item.objects.order_by("pk").only("pk", "round_id"):
        codes = taken.setdefault(item.round_id, set())
        code = new_item_code()
        while code in codes:
            code = new_item_code()
        codes.add(code)
        Item.objects.filter(pk=item.pk).update(code=code)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('contest', '0008_verbose_names'),
    ]

    operations = [
        migrations.AlterField(
            model_name='item',
            name='code',
            field=models.CharField(default=contest.judging.models.new_item_code, help_text='What judges see: random, drawn for this round only.', max_length=32, verbose_name='Code'),
        ),
        migrations.RunPython(draw_codes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='item',
            constraint=models.UniqueConstraint(fields=('round', 'code'), name='judging_item_code_once_per_round'),
        ),
    ]
