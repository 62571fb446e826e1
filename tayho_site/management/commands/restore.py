"""manage.py restore ARCHIVE: the database and the media back from a backup archive."""

from django.core.management.base import BaseCommand, CommandError

from tayho_site import backup


class Command(BaseCommand):
    help = "Restore the configured database and MEDIA_ROOT from an archive written by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar.gz written by `manage.py backup`.")
        parser.add_argument("--yes", action="store_true", help="Replace the contents of a database that is not empty.")
        parser.add_argument("--no-media", action="store_false", dest="media", help="Restore only the database.")

    def handle(self, *args, archive, yes=False, media=True, **options):
        try:
            backup.restore(archive, yes=yes, restore_media=media, log=self.stdout.write)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
