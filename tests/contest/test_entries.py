import datetime
import re
import time

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from contest import queries
from contest.actions import entries
from contest.models import ContestPage, Entrant, Entry, EntryConsent
from tests.factories import ContestPageFactory
from tests.markers import transactional_db

pytestmark = pytest.mark.django_db

BODY = "<p>Hồ Tây cần một lối đi bộ liền mạch quanh hồ cho người dân.</p>"
ENTRANT = {
    "full_name": "Nguyễn Thị Lan",
    "pen_name": "",
    "birth_year": 1990,
    "phone": "0912345678",
    "email": "lan@example.vn",
    "address": "Phường Tây Hồ",
    "occupation": "Giáo viên",
    "show_as": "name",
}


@pytest.fixture
def contest(home):
    return ContestPageFactory(parent=home)


def submit(contest, **overrides):
    values = {
        "category": contest.categories.first(),
        "title": "Lối đi quanh Hồ Tây",
        "body_html": BODY,
        "entrant": dict(ENTRANT),
        "consents": list(EntryConsent.Kind.values),
    }
    values.update(overrides)
    return entries.submit_entry(contest, **values)


def test_contest_state_follows_its_dates(contest):
    now = timezone.now()
    assert contest.state(now) == ContestPage.OPEN
    assert contest.state(contest.opens_at - datetime.timedelta(seconds=1)) == ContestPage.UPCOMING
    assert contest.state(contest.closes_at) == ContestPage.JUDGING
    contest.results_published_at = contest.closes_at + datetime.timedelta(days=10)
    assert contest.state(contest.results_published_at) == ContestPage.RESULTS


def test_submission_saves_entry_author_and_consents_and_sends_the_link(contest):
    submission = submit(contest)
    entry = Entry.objects.get()
    assert entry.status == Entry.Status.AWAITING_CONFIRMATION
    assert entry.tracking_code is None
    assert entry.word_count == 14
    assert Entrant.objects.get(entry=entry).email == "lan@example.vn"
    assert sorted(c.kind for c in entry.consents.all()) == sorted(EntryConsent.Kind.values)
    assert {c.policy_version for c in entry.consents.all()} == {contest.rules_version}
    # Only a hash of the private token is stored.
    assert submission.access_token not in entry.access_token_hash
    assert queries.entry_for_token(submission.access_token) == entry
    assert queries.entry_for_token(submission.access_token + "x") is None


def test_confirmation_mail_leads_to_a_tracking_code(contest, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(contest)
    assert len(mail.outbox) == 1
    link = re.search(r"/bai-du-thi/\S+/xac-nhan/\S+/", mail.outbox[0].body).group(0)
    assert link.startswith(f"/bai-du-thi/{submission.access_token}/xac-nhan/")
    signature = link.rstrip("/").rsplit("/", 1)[1]
    entries.check_confirmation(submission.entry, signature)

    with django_capture_on_commit_callbacks(execute=True):
        entry = entries.confirm_entry(submission.entry)
    assert entry.status == Entry.Status.CONFIRMED
    assert entry.tracking_code == "KVTH26-0001"
    assert "KVTH26-0001" in mail.outbox[1].subject
    # Confirming twice changes nothing.
    assert entries.confirm_entry(entry).tracking_code == "KVTH26-0001"


def test_codes_count_up_per_contest(contest, home):
    other = ContestPageFactory(parent=home, code_prefix="KHAC")
    codes = [entries.confirm_entry(submit(contest).entry).tracking_code for _ in range(3)]
    assert codes == ["KVTH26-0001", "KVTH26-0002", "KVTH26-0003"]
    assert entries.confirm_entry(submit(other).entry).tracking_code == "KHAC-0001"


def test_confirmation_link_expires_after_48_hours_and_is_bound_to_its_entry(contest):
    first, second = submit(contest).entry, submit(contest, entrant={**ENTRANT, "email": "b@example.vn"}).entry
    token = entries.confirmation_token(first)
    with pytest.raises(signing.BadSignature):
        entries.check_confirmation(second, token)

    class SignedTwoDaysAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 49 * 3600)

    expired = SignedTwoDaysAgo(salt=entries.CONFIRMATION_SALT).sign_object({"pk": first.pk})
    with pytest.raises(signing.SignatureExpired):
        entries.check_confirmation(first, expired)
    fresh = entries.confirmation_token(first)
    entries.check_confirmation(first, fresh)  # no error
    with pytest.raises(signing.BadSignature):
        entries.check_confirmation(first, fresh[:-2] + "xx")


def test_entries_are_refused_outside_the_window(contest):
    with pytest.raises(entries.EntryClosed):
        submit(contest, now=contest.closes_at)
    with pytest.raises(entries.EntryClosed):
        submit(contest, now=contest.opens_at - datetime.timedelta(minutes=1))
    assert not Entry.objects.exists()


def test_body_is_sanitised_before_it_is_stored(contest):
    submit(contest, body_html=BODY + '<script>alert(1)</script><p onclick="x()">Thêm ý.</p>', title="<b>Tiêu đề</b>")
    entry = Entry.objects.get()
    assert "script" not in entry.body and "onclick" not in entry.body
    assert entry.title == "Tiêu đề"


def test_more_entries_than_allowed_are_flagged_not_refused(contest):
    first = submit(contest).entry
    second = submit(contest).entry
    first.refresh_from_db()
    assert first.flagged_reason == ""
    assert "nhiều bài ở thể loại này" in second.flagged_reason
    other_category = submit(
        contest,
        category=contest.categories.last(),
        body_html="<p>Chuyển đổi số thủ tục hành chính cho người dân ở các phường.</p>",
    ).entry
    assert other_category.flagged_reason == ""


def test_near_identical_texts_are_flagged_across_authors(contest):
    long_text = (
        "<p>Hồ Tây cần một lối đi bộ liền mạch quanh hồ, có ghế nghỉ, cây xanh và nhà vệ sinh công cộng "
        "sạch sẽ cho người dân và du khách; các phường cùng quản lý, không đùn đẩy trách nhiệm cho nhau, "
        "có lịch duy tu rõ ràng và công khai tiến độ để nhân dân giám sát.</p>"
    )
    first = entries.confirm_entry(submit(contest, body_html=long_text).entry)
    copied = submit(
        contest,
        body_html=long_text.replace("Hồ Tây", "Ho Tay").replace("sạch sẽ", "sạch"),
        entrant={**ENTRANT, "email": "khac@example.vn"},
    ).entry
    assert f"gần như trùng với bài {first.tracking_code}" in copied.flagged_reason
    different = submit(
        contest,
        body_html="<p>Chuyển đổi số thủ tục hành chính giúp người dân nộp hồ sơ trực "
        "tuyến và nhận kết quả tại nhà, giảm thời gian chờ ở bộ phận một "
        "cửa.</p>",
        entrant={**ENTRANT, "email": "ba@example.vn"},
    ).entry
    assert different.flagged_reason == ""


def test_author_edits_until_the_deadline(contest):
    entry = submit(contest).entry
    edited = entries.edit_entry(
        entry,
        category=contest.categories.last(),
        title="Tên mới",
        body_html="<p>Một hai ba bốn năm sáu.</p><script>x()</script>",
        pen_name="Bút danh",
        show_as="pen_name",
    )
    assert (edited.title, edited.word_count, edited.category) == ("Tên mới", 6, contest.categories.last())
    assert "script" not in edited.body
    assert edited.entrant.pen_name == "Bút danh"
    with pytest.raises(entries.EntryClosed):
        entries.edit_entry(
            entry,
            category=entry.category,
            title="Muộn",
            body_html=BODY,
            pen_name="",
            show_as="name",
            now=contest.closes_at,
        )


def test_personal_data_export_holds_everything_about_the_author(contest):
    entry = entries.confirm_entry(submit(contest).entry)
    data = entries.export_personal_data(entry)
    assert data["author"]["email"] == "lan@example.vn"
    assert data["entry"]["tracking_code"] == entry.tracking_code
    assert {c["kind"] for c in data["consents"]} == set(EntryConsent.Kind.values)


def test_erasure_before_the_deadline_removes_the_entry(contest):
    entry = submit(contest).entry
    assert entries.erase_personal_data(entry) == "deleted"
    assert not Entry.objects.exists() and not Entrant.objects.exists() and not EntryConsent.objects.exists()


def test_erasure_after_the_contest_keeps_the_anonymous_text_only_if_the_rules_say_so(contest):
    entry = entries.confirm_entry(submit(contest).entry)
    after = contest.closes_at + datetime.timedelta(days=1)
    contest.keep_text_after_erasure = True
    contest.save()
    assert entries.erase_personal_data(entry, now=after) == "anonymised"
    entry.refresh_from_db()
    assert entry.body == BODY and entry.erased_at == after
    assert (entry.entrant.full_name, entry.entrant.email, entry.entrant.phone) == ("", "", "")

    other = entries.confirm_entry(submit(contest, entrant={**ENTRANT, "email": "x@example.vn"}).entry)
    contest.keep_text_after_erasure = False
    contest.save()
    assert entries.erase_personal_data(other, now=after) == "deleted"
    assert not Entry.objects.filter(pk=other.pk).exists()


def test_a_prize_winner_is_anonymised_even_where_the_rules_keep_no_texts(contest):
    from contest.models import Award

    entry = entries.confirm_entry(submit(contest).entry)
    Award.objects.create(contest=contest, entry=entry, prize="Giải Nhất")
    contest.keep_text_after_erasure = False
    contest.save()
    after = contest.closes_at + datetime.timedelta(days=1)
    assert entries.erasure_outcome(entry, after) == "anonymised"
    assert entries.erase_personal_data(entry, now=after) == "anonymised"
    entry.refresh_from_db()
    assert entry.awards.get().prize == "Giải Nhất"
    assert (entry.entrant.full_name, entry.entrant.email) == ("", "")


DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def mail_tasks():
    """(recipients, status) of every mail in the database task queue."""
    from django_tasks_db.models import DBTaskResult

    return sorted(
        (tuple(row.args_kwargs["kwargs"]["to"]), row.status)
        for row in DBTaskResult.objects.filter(task_path="tayho_site.mail.send_email")
    )


@override_settings(TASKS=DATABASE_QUEUE)
@transactional_db  # the worker opens and closes its own connections
def test_erasure_leaves_no_private_link_and_no_mail_holding_the_address(
    client, contest, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(contest)
        submit(contest, entrant={**ENTRANT, "email": "khac.lan@example.vn"})  # holds "lan@example.vn" inside
    call_command("db_worker", batch=True, reload=False, verbosity=0)  # both confirmation mails sent
    with django_capture_on_commit_callbacks(execute=True):
        entry = entries.confirm_entry(submission.entry)  # the tracking code's mail waits in the queue
    assert mail_tasks() == [
        (("khac.lan@example.vn",), "SUCCESSFUL"),
        (("lan@example.vn",), "READY"),
        (("lan@example.vn",), "SUCCESSFUL"),
    ]
    contest.keep_text_after_erasure = True
    contest.save()
    with django_capture_on_commit_callbacks(execute=True):
        outcome = entries.erase_personal_data(entry, now=contest.closes_at + datetime.timedelta(days=1))
    assert outcome == "anonymised" and Entry.objects.filter(pk=entry.pk).exists()  # the text stays
    assert mail_tasks() == [(("khac.lan@example.vn",), "SUCCESSFUL")]  # another entrant's mail stays
    assert queries.entry_for_token(submission.access_token) is None
    for path in ("", "sua/", "tai-ve/", "du-lieu-ca-nhan/", "xoa-du-lieu/"):
        response = client.get(f"/bai-du-thi/{submission.access_token}/{path}")
        assert response.status_code == 404
        assert entry.title not in response.content.decode()


def test_withdrawal_until_the_deadline(contest):
    entry = submit(contest).entry
    with pytest.raises(entries.EntryClosed):
        entries.withdraw_entry(entry, now=contest.closes_at)
    assert entries.withdraw_entry(entry).status == Entry.Status.WITHDRAWN


def test_every_transition_of_an_entry_is_audited(contest):
    from django.contrib.auth import get_user_model

    from tayho_site.models import AuditEntry

    entry = submit(contest).entry
    entries.confirm_entry(entry)
    entries.edit_entry(entry, category=entry.category, title="Sửa", body_html=BODY, pen_name="", show_as="name")
    organiser = get_user_model().objects.create_user("btc", password="mat-khau-dai-123")
    entries.change_status(entry, Entry.Status.DISQUALIFIED, by=organiser, reason="Đã đăng báo.")
    actions = list(AuditEntry.objects.for_object(entry).order_by("pk").values_list("action", flat=True))
    assert actions == ["contest.entry.submit", "contest.entry.confirm", "contest.entry.edit", "contest.entry.status"]
    last = AuditEntry.objects.for_object(entry).order_by("pk").last()
    assert last.actor == organiser and last.data["reason"] == "Đã đăng báo."
    assert "lan@example.vn" not in str(list(AuditEntry.objects.values_list("summary", "data")))
