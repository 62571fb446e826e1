import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from tayho_site.mail import queue_email
from tests.markers import transactional_db

pytestmark = transactional_db


def test_mail_is_sent_only_after_the_work_commits():
    with transaction.atomic():
        queue_email("tac.gia@example.vn", "Xác nhận", "Bài dự thi đã đến.")
        assert mail.outbox == []
    assert [m.subject for m in mail.outbox] == ["Xác nhận"]
    assert mail.outbox[0].to == ["tac.gia@example.vn"]


def test_mail_is_not_sent_when_the_work_is_rolled_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_email("tac.gia@example.vn", "Xác nhận", "Bài dự thi đã đến.")
        raise RuntimeError("the entry could not be saved")
    assert mail.outbox == []


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_database_queue_holds_the_mail_until_the_worker_sends_it():
    queue_email(["a@example.vn", "b@example.vn"], "Nhắc việc", "Còn 2 ngày.", html="<p>Còn 2 ngày.</p>")
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "tayho_site.mail.send_email"
    assert mail.outbox == []

    call_command("db_worker", batch=True, reload=False, verbosity=0)

    assert [m.subject for m in mail.outbox] == ["Nhắc việc"]
    assert mail.outbox[0].alternatives[0].content == "<p>Còn 2 ngày.</p>"
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
