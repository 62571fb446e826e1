"""A mail server outage loses nothing: with the database queue, a message that cannot be
sent waits in the queue and goes out, once, when a real SMTP server answers again."""

import datetime
import email
import email.policy
import logging
import socket

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tayho_site import mail
from tayho_site.mail import queue_email
from tests.markers import transactional_db

pytestmark = transactional_db

SUBJECT = "Xác nhận bài dự thi KVTH26-0001"


class Inbox:
    """aiosmtpd handler: keeps what it is given."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self):
        return [email.message_from_bytes(envelope.content, policy=email.policy.default) for envelope in self.envelopes]


def free_port():
    """A port nothing listens on (until the sink starts there)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_port(settings):
    """The database queue, and SMTP (no TLS) to a port where, for now, no server listens."""
    port = free_port()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": "127.0.0.1",
                "port": port,
                "username": "",
                "password": "",
                "use_tls": False,
                "timeout": 5,
            },
        }
    }
    return port


@pytest.fixture
def sink(smtp_port):
    """Starts a real SMTP server on that port when called."""
    controllers = []

    def start():
        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        controllers.append(controller)
        return inbox

    yield start
    for controller in controllers:
        controller.stop()


def run_worker():
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


def tasks():
    return list(DBTaskResult.objects.order_by("enqueued_at"))


def test_messages_wait_out_a_mail_server_outage_and_go_out_once(sink, caplog):
    caplog.set_level(logging.WARNING, logger="tayho_site.mail")
    with transaction.atomic():
        queue_email(
            "tac.gia@example.vn",
            SUBJECT,
            "Bài dự thi của bạn đã được ghi nhận.",
            html="<p>Bài dự thi của bạn đã được ghi nhận.</p>",
        )
    [queued] = tasks()
    assert queued.status == "READY"

    # The server is down: the send fails, and a retry waits a minute.
    started = timezone.now()
    run_worker()
    first, retry = tasks()
    assert first.status == "FAILED"
    assert retry.status == "READY" and retry.args_kwargs["kwargs"]["attempt"] == 2
    assert (
        started + datetime.timedelta(seconds=mail.FIRST_RETRY_SECONDS)
        <= retry.run_after
        <= timezone.now() + datetime.timedelta(seconds=mail.FIRST_RETRY_SECONDS)
    )
    assert retry.args_kwargs["kwargs"]["to"] == ["tac.gia@example.vn"]
    assert retry.args_kwargs["kwargs"]["subject"] == SUBJECT
    assert "retrying in 60 s" in caplog.text

    # Before its time the retry is not tried.
    run_worker()
    assert [task.status for task in tasks()] == ["FAILED", "READY"]

    # Still down when it comes: it fails again and waits twice as long.
    with time_machine.travel(retry.run_after + datetime.timedelta(seconds=1), tick=True):
        run_worker()
    *_, second_retry = tasks()
    assert [task.status for task in tasks()] == ["FAILED", "FAILED", "READY"]
    assert second_retry.args_kwargs["kwargs"]["attempt"] == 3
    assert second_retry.run_after - retry.run_after >= datetime.timedelta(seconds=2 * mail.FIRST_RETRY_SECONDS)

    # The server is back (same address); once the retry is due, the message goes out, once.
    inbox = sink()
    assert inbox.envelopes == []
    with time_machine.travel(second_retry.run_after + datetime.timedelta(seconds=1), tick=True):
        run_worker()
        run_worker()
    assert [task.status for task in tasks()] == ["FAILED", "FAILED", "SUCCESSFUL"]
    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == ["tac.gia@example.vn"]
    [message] = inbox.messages
    assert message["Subject"] == SUBJECT
    assert message["To"] == "tac.gia@example.vn"
    assert message.get_body(("html",)).get_content().strip() == "<p>Bài dự thi của bạn đã được ghi nhận.</p>"


def test_a_message_goes_straight_out_when_the_server_answers(sink):
    inbox = sink()
    queue_email(["a@example.vn", "b@example.vn"], SUBJECT, "Nội dung")
    run_worker()
    [envelope] = inbox.envelopes
    assert sorted(envelope.rcpt_tos) == ["a@example.vn", "b@example.vn"]
    assert [task.status for task in tasks()] == ["SUCCESSFUL"]


def test_after_the_last_attempt_the_message_is_kept_in_the_failed_task(smtp_port, caplog):
    """What the code does when it gives up: no more retries, an error in the log, and the
    message only in the failed task's arguments (to be re-queued by hand)."""
    mail.send_email.enqueue(to=["tac.gia@example.vn"], subject=SUBJECT, body="Nội dung", attempt=mail.MAX_ATTEMPTS)
    run_worker()
    [task] = tasks()
    assert task.status == "FAILED"
    assert task.args_kwargs["kwargs"]["subject"] == SUBJECT
    assert f"failed for good after {mail.MAX_ATTEMPTS} attempts" in caplog.text
    assert "tac.gia@example.vn" not in caplog.text  # logs count recipients, never name them


def test_retries_wait_at_most_an_hour_and_go_on_for_three_days():
    delays = [mail.retry_delay(attempt) for attempt in range(1, mail.MAX_ATTEMPTS)]
    assert delays[:3] == [60, 120, 240]
    assert max(delays) == 60 * 60
    assert sum(delays) >= 3 * 24 * 60 * 60
