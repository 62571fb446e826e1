"""`manage.py remind_overdue_referrals`: the daily job that e-mails units (and their
supervisors) about overdue referrals. Safe to run more than once a day."""

from django.conf import settings
from django.core.management.base import BaseCommand

from referrals.actions import remind_overdue


class Command(BaseCommand):
    help = "E-mails the units holding overdue referrals and their supervising organisations (once a day each)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url",
            default=getattr(settings, "WAGTAILADMIN_BASE_URL", ""),
            help="Start of the links in the e-mails, e.g. https://tayho.example.vn",
        )

    def handle(self, *args, site_url, **options):
        count = remind_overdue(site_url=site_url)
        self.stdout.write(f"{count} overdue referrals reminded")
