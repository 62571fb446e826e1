"""manage.py backup: the database and the media in one archive (see tayho_site.backup)."""

from django.core.management.base import BaseCommand, CommandError

from tayho_site import backup


class Command(BaseCommand):
    help = "Write one archive (tar.gz) of the database, the media and a manifest."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="Directory for the archive, or a path ending in .tar.gz "
                                                   "(default: $BACKUP_DIR, else backups/).")
        parser.add_argument("--database", default="default", help="Database alias (default: default).")

    def handle(self, *args, output=None, database="default", **options):
        try:
            backup.backup(output, using=database, log=self.stdout.write)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
