"""A mail backend that behaves like an unreachable SMTP server."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class UnreachableEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPConnectError(421, "mail server unreachable")
