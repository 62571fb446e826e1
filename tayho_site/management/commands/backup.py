"""manage.py backup: the database and the media in one archive (see tayho_site.backup)."""

from django.core.management.base import BaseCommand, CommandError

from tayho_site import backup


class Command(BaseCommand):
    help = "Write one archive (tar.gz) of the database, the media and a manifest."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="Directory for the archive, or a path ending in .tar.gz (default: $BACKUP_DIR, else backups/).",
        )
        parser.add_argument("--database", default="default", help="Database alias (default: default).")
        parser.add_argument(
            "--keep-days",
            type=int,
            default=None,
            help="Then delete this site's archives older than this in the same directory "
            "(default: $BACKUP_KEEP_DAYS, else 14; 0 keeps everything).",
        )

    def handle(self, *args, output=None, database="default", keep_days=None, **options):
        import os

        if keep_days is None:
            keep_days = int(os.environ.get("BACKUP_KEEP_DAYS") or 14)
        try:
            archive = backup.backup(output, using=database, log=self.stdout.write)
            backup.prune(archive.parent, keep_days=keep_days, log=self.stdout.write)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
