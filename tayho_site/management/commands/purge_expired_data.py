"""`manage.py purge_expired_data [--dry-run]`: the daily job that removes personal data
past its retention period (settings.RETENTION_DAYS), kind by kind, keeping the anonymous
remainder. Safe to run more than once a day: a second run finds nothing more."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tayho_site import retention


class Command(BaseCommand):
    help = "Removes personal data past its retention period (settings.RETENTION_DAYS), keeping what is public."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be purged; change nothing.")
        parser.add_argument(
            "--kind",
            action="append",
            dest="kinds",
            metavar="KIND",
            help="Only this kind (repeatable), e.g. contest.entrants.",
        )

    def handle(self, *args, dry_run=False, kinds=None, **options):
        known = {kind.name for kind in retention.kinds()}
        unknown = sorted(set(kinds or ()) - known)
        if unknown:
            raise CommandError(
                _("Unknown kind: %(kinds)s. Known kinds: %(known)s.")
                % {"kinds": ", ".join(unknown), "known": ", ".join(sorted(known))}
            )
        try:
            results = retention.purge(dry_run=dry_run, only=set(kinds) if kinds else None)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        width = max((len(result.kind.name) for result in results), default=0)
        for result in results:
            kept = ngettext("kept %(days)s day", "kept %(days)s days", result.days) % {"days": result.days}
            if dry_run:
                done = _("%(count)s would be purged") % {"count": result.count}
            else:
                done = _("%(count)s purged") % {"count": result.count}
            self.stdout.write(f"{result.kind.name:<{width}}  {kept:<16}  {done}")
            if options["verbosity"] > 1:
                self.stdout.write(f"    {result.kind.description}")
        if dry_run:
            self.stdout.write(_("Dry run: nothing was changed."))
