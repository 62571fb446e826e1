"""Sending e-mail in the background.

Views and rules call `queue_email`; the message goes out from a task (immediately in
development and tests, from `manage.py db_worker` in production). The caller's work is
committed first: a mail server that is down never undoes, or loses, what the user sent.
"""

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task


@task()
def send_email(to: list[str], subject: str, body: str, html: str | None = None, reply_to: list[str] | None = None):
    message = EmailMultiAlternatives(subject=subject, body=body, to=to, reply_to=reply_to or None)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


def queue_email(to, subject, body, html=None, reply_to=None):
    """Queue a message once the current transaction commits (at once outside one)."""
    recipients = [to] if isinstance(to, str) else list(to)
    transaction.on_commit(
        lambda: send_email.enqueue(to=recipients, subject=subject, body=body, html=html, reply_to=reply_to)
    )
