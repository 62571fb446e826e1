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


UNREACHABLE = {"default": {"BACKEND": "tests.support.mailers.UnreachableEmailBackend"}}


@override_settings(MAILERS=UNREACHABLE)
def test_an_unreachable_mail_server_never_breaks_the_committed_work():
    from wagtail.models import Site

    from tayho_site.models import SiteSettings  # any committed record will do

    with transaction.atomic():
        settings_row = SiteSettings.for_site(Site.objects.get())
        settings_row.phone = "024 0000 0000"
        settings_row.save()
        queue_email("a@example.vn", "Xác nhận", "Nội dung")
    settings_row.refresh_from_db()
    assert settings_row.phone == "024 0000 0000"
    assert mail.outbox == []


@override_settings(MAILERS=UNREACHABLE, TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_failed_sends_are_retried_later_on_the_database_queue():
    queue_email("a@example.vn", "Xác nhận", "Nội dung")
    call_command("db_worker", batch=True, reload=False, verbosity=0)
    attempts = list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", "run_after", "args_kwargs"))
    assert attempts[0][0] == "FAILED"
    assert attempts[1][0] == "READY" and attempts[1][1] is not None  # waits, then is tried again
    assert attempts[1][2]["kwargs"]["attempt"] == 2


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_forgetting_an_address_deletes_the_mails_holding_it_and_no_other():
    from tayho_site.mail import forget_address

    queue_email("Lan@Example.vn", "Xác nhận", "Bài dự thi đã đến.")  # as typed, another case
    queue_email("khac.lan@example.vn", "Xác nhận", "Một địa chỉ chứa địa chỉ kia.")
    queue_email("lan@example.vn.other.org", "Xác nhận", "Một tên miền dài hơn.")
    queue_email("btc@tayho.vn", "Thư gửi lại", "Đã gửi cho lan@example.vn.")  # named in the text
    queue_email("hoa@tayho.vn", "Không gửi được", "Nội dung")
    queue_email("lan@example.vn", "Đang gửi", "Nội dung")
    queue_email("hòa.lan@ví-dụ.vn", "Địa chỉ có dấu", "Nội dung")
    DBTaskResult.objects.filter(args_kwargs__kwargs__subject="Không gửi được").update(
        status="FAILED", traceback="SMTPRecipientsRefused: {'lan@example.vn': (550, b'No such user')}"
    )
    DBTaskResult.objects.filter(args_kwargs__kwargs__subject="Đang gửi").update(status="RUNNING")

    assert forget_address(" lan@example.vn ") == 3
    assert forget_address("HÒA.lan@ví-dụ.vn") == 1
    left = sorted(row.args_kwargs["kwargs"]["body"] for row in DBTaskResult.objects.all())
    assert left == ["Một tên miền dài hơn.", "Một địa chỉ chứa địa chỉ kia.", "Nội dung"]  # the one being sent
    assert forget_address("") == 0
