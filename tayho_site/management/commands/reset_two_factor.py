"""`manage.py reset_two_factor USERNAME --reason "..."`: forget a person's authenticator
apps and backup codes, for when no other administrator can do it in the admin (Users →
the person → "Reset two-factor sign-in"). Audited."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tayho_site import twofactor


class Command(BaseCommand):
    help = "Forget a person's two-factor devices (lost phone and backup codes); audited."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="Why, for the audit log.")

    def handle(self, *args, username, reason, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        try:
            removed = twofactor.reset(user, actor_label="manage.py reset_two_factor", reason=reason)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"{username}: {removed} device(s) forgotten; a new app is paired at the next sign-in.")
