"""`manage.py send_weekly_inspection_report`: run daily (deploy/tayho-daily.service); on
the report's weekday it keeps the week's figures and e-mails the Standing Committee.
Safe to run more than once."""

from django.conf import settings
from django.core.management.base import BaseCommand

from emulation.inspections.actions import issue_weekly_report


class Command(BaseCommand):
    help = "Keeps this week's inspection report and e-mails it to the Standing Committee (on its weekday)."

    def add_arguments(self, parser):
        parser.add_argument("--site-url", default=getattr(settings, "WAGTAILADMIN_BASE_URL", ""))
        parser.add_argument("--force", action="store_true", help="Issue it today whatever the weekday.")

    def handle(self, *args, site_url, force, **options):
        report = issue_weekly_report(site_url=site_url, force=force)
        self.stdout.write(f"weekly report {report or 'not due today'}")
