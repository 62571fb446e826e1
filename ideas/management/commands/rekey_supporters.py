"""`manage.py rekey_supporters`: after a new key was appended to SUPPORTER_HASH_KEYS,
takes every stored supporter hash through it (docs/deploying.md, "Rotating the supporters' hash
key"). Needs no address; safe to run again."""

from django.core.management.base import BaseCommand

from ideas.actions.supports import rekey_supports


class Command(BaseCommand):
    help = "Takes every stored supporter hash through the keys of SUPPORTER_HASH_KEYS it has not been through yet."

    def handle(self, *args, **options):
        count = rekey_supports()
        self.stdout.write(f"{count} supporter hashes rekeyed")
