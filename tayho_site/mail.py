"""Sending e-mail in the background.

Views and rules call `queue_email`; the message goes out from a task (immediately in
development and tests, from `manage.py db_worker` in production). The caller's work is
committed first: a mail server that is down never undoes, or loses, what the user sent.
With a queue that can defer work (the database queue), a failed send is tried again
later, with pauses growing to an hour, for three days (a mail server out over a long
weekend loses nothing); after that the failed task keeps the message and the error is
logged. Logs name the subject and how many recipients, never their addresses.
"""

import datetime
import json
import logging
import re

from django.apps import apps
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 80  # 1, 2, 4 … 32 minutes, then hourly: about three days in all
FIRST_RETRY_SECONDS = 60
LONGEST_PAUSE_SECONDS = 60 * 60


def retry_delay(attempt: int) -> int:
    """Seconds to wait after failed attempt number `attempt`."""
    return min(FIRST_RETRY_SECONDS * 2 ** min(attempt - 1, 16), LONGEST_PAUSE_SECONDS)


@task()
def send_email(
    to: list[str],
    subject: str,
    body: str,
    html: str | None = None,
    reply_to: list[str] | None = None,
    attempt: int = 1,
    headers: dict | None = None,
):
    message = EmailMultiAlternatives(
        subject=subject, body=body, to=to, reply_to=reply_to or None, headers=headers or None
    )
    if html:
        message.attach_alternative(html, "text/html")
    try:
        return message.send()
    except Exception:
        if attempt < MAX_ATTEMPTS and send_email.get_backend().supports_defer:
            delay = retry_delay(attempt)
            send_email.using(run_after=timezone.now() + datetime.timedelta(seconds=delay)).enqueue(
                to=to, subject=subject, body=body, html=html, reply_to=reply_to, attempt=attempt + 1, headers=headers
            )
            logger.warning(
                "Sending %r to %s recipient(s) failed (attempt %s); retrying in %s s", subject, len(to), attempt, delay
            )
        else:
            logger.exception(
                "Sending %r to %s recipient(s) failed for good after %s attempts", subject, len(to), attempt
            )
        raise


def _enqueue(**kwargs):
    send_email.enqueue(**kwargs)


def queue_email(to, subject, body, html=None, reply_to=None, headers=None):
    """Queue a message once the current transaction commits (at once outside one).

    robust: a failure to queue is logged and never turns the user's committed work into
    an error page."""
    recipients = [to] if isinstance(to, str) else list(to)
    transaction.on_commit(
        lambda: _enqueue(to=recipients, subject=str(subject), body=body, html=html, reply_to=reply_to, headers=headers),
        robust=True,
    )


def forget_address(address: str) -> int:
    """Delete the mails of the database queue that hold `address` (as recipient, in the
    text, or in the error of a failed send), waiting or finished: an erased person's
    address and private link must not stay in the queue. A mail being sent at this very
    moment is left to finish (the retention purge removes it later). Another address that
    merely contains this one ("khac.lan@…" for "lan@…") is not touched. Returns how many
    rows went."""
    address = (address or "").strip().lower()
    if not address or not apps.is_installed("django_tasks_db"):
        return 0
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    # The database narrows the rows down (SQLite keeps JSON with \u escapes, PostgreSQL
    # prints it as written); Python then checks that the whole address is there.
    escaped = json.dumps(address)[1:-1]
    holding = Q(traceback__icontains=address)
    for form in {address, escaped}:
        holding |= Q(as_text__icontains=form)
    candidates = (
        DBTaskResult.objects.filter(task_path=send_email.module_path)
        .exclude(status=TaskResultStatus.RUNNING)
        .annotate(as_text=Cast("args_kwargs", TextField()))
        .filter(holding)
        .values_list("pk", "args_kwargs", "traceback")
    )
    # Quotes around an address delimit it (an apostrophe may also belong to one: rare).
    whole = re.compile(r"(?<![\w.!#$%&*+/=?^`{|}~-])" + re.escape(address) + r"(?![\w-]|\.\w)")
    doomed = [
        pk
        for pk, args_kwargs, traceback in candidates
        if whole.search(json.dumps(args_kwargs, ensure_ascii=False).lower() + "\n" + traceback.lower())
    ]
    return DBTaskResult.objects.filter(pk__in=doomed).delete()[0]
