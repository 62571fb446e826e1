"""`manage.py remind_late_judges`: the daily job that e-mails judges who are behind in
rounds closing soon. Safe to run more than once a day: each round once a day."""

from django.conf import settings
from django.core.management.base import BaseCommand

from contest.judging.actions import remind_rounds_closing_soon


class Command(BaseCommand):
    help = "E-mails the judges who still have items to score in rounds closing within a few days (once a day)."

    def add_arguments(self, parser):
        parser.add_argument("--within-days", type=int, default=3, help="Rounds closing within this many days.")
        parser.add_argument(
            "--site-url",
            default=getattr(settings, "WAGTAILADMIN_BASE_URL", ""),
            help="Start of the links in the e-mails, e.g. https://tayho.example.vn",
        )

    def handle(self, *args, within_days, site_url, **options):
        for round_, count in remind_rounds_closing_soon(within_days=within_days, site_url=site_url).items():
            self.stdout.write(f"{round_.name}: {count} judges reminded")
