import datetime
import hashlib
import io
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from ideas import queries
from ideas.actions import authors, moderation, referring, selection, supports
from ideas.models import Idea, IdeaAuthor, IdeaEvent, Support
from referrals import actions as referral_actions
from referrals.models import Referral
from tayho_site import roles
from tayho_site.models import AuditEntry
from tayho_site.submissions import hash_email
from tests.factories import member, published_idea, send_idea
from tests.markers import transactional_db

pytestmark = pytest.mark.django_db


def test_an_idea_is_saved_whole_then_confirmed_then_screened(call, sector, committed):
    with committed():
        submission = send_idea(call, sector, title="  <b>Thùng rác</b> phân loại  ")
    idea = submission.idea
    assert (idea.status, idea.title) == (Idea.Status.AWAITING_CONFIRMATION, "Thùng rác phân loại")
    assert idea.author.email == "nguoidan@example.vn" and idea.consents.count() == 2
    assert idea.access_token_hash != submission.access_token  # only the hash is stored
    assert queries.idea_for_token(submission.access_token) == idea
    assert len(mail.outbox) == 1
    confirm_prefix = authors.confirm_path(idea, submission.access_token).rsplit("/", 2)[0] + "/"
    token = mail.outbox[0].body.split(confirm_prefix)[1].split("/")[0]  # the signature is timestamped
    authors.check_confirmation(idea, token)
    idea = authors.confirm_idea(idea)
    assert idea.status == Idea.Status.PENDING
    assert list(idea.events.values_list("kind", flat=True)) == [IdeaEvent.Kind.RECEIVED]
    assert authors.confirm_idea(idea).confirmed_at == idea.confirmed_at  # twice is once


def test_the_search_text_is_folded(call, sector):
    idea = send_idea(call, sector, title="Đèn đường ở ngõ Quảng Bá").idea
    assert "den duong o ngo quang ba" in idea.search_folded


def test_a_closed_call_takes_no_idea(call, sector):
    call.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    call.opens_at = call.closes_at - datetime.timedelta(days=5)
    with pytest.raises(authors.IdeaClosed):
        send_idea(call, sector)
    assert not Idea.objects.exists()


def test_confirmation_links_are_bound_to_their_idea(call, sector):
    first, second = send_idea(call, sector), send_idea(call, sector, email="b@example.vn")
    token = authors.confirm_path(first.idea, first.access_token).rstrip("/").rsplit("/", 1)[-1]
    authors.check_confirmation(first.idea, token)
    with pytest.raises(signing.BadSignature):
        authors.check_confirmation(second.idea, token)


def test_moderation_publishes_hides_with_a_reason_and_tells_the_author(call, sector, committed):
    idea = send_idea(call, sector).idea
    with pytest.raises(ValidationError):  # not confirmed yet
        moderation.publish(idea, by=None)
    authors.confirm_idea(idea)
    with committed():
        idea = moderation.publish(idea, by=None)
    assert idea.status == Idea.Status.PUBLISHED and idea.published_at
    assert "published" in mail.outbox[-1].subject or "công khai" in mail.outbox[-1].subject
    with pytest.raises(ValidationError):
        moderation.hide(idea, reason="  ", by=None)
    with committed():
        idea = moderation.hide(idea, reason="Có thông tin cá nhân của người khác", by=None)
    assert (idea.status, idea.moderation_reason) == (Idea.Status.HIDDEN, "Có thông tin cá nhân của người khác")
    assert "Có thông tin cá nhân của người khác" in mail.outbox[-1].subject
    assert AuditEntry.objects.filter(action="ideas.idea.moderate").count() == 2


def test_every_status_mail_has_a_one_click_unsubscribe_that_works(call, sector, committed, client):
    with committed():
        other = published_idea(call, sector, title="Ghế đá ven hồ")
        idea = published_idea(call, sector)
    message = mail.outbox[-1]
    # The signature carries a timestamp, so the link is read from the mail, not rebuilt.
    link = re.search(r"https?://\S+/ho-so-y-tuong/huy-nhan-thu/\S+/", message.body).group(0)
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = urlsplit(link).path
    # The link of one idea does not stop the mails about another (the signature names the idea).
    assert client.post(path.replace(f"/{idea.pk}/", f"/{other.pk}/")).status_code == 404
    assert IdeaAuthor.objects.get(idea=other).notify is True and IdeaAuthor.objects.get(idea=idea).notify is True
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200  # the mail client's one click
    assert IdeaAuthor.objects.get(idea=idea).notify is False
    mail.outbox.clear()
    with committed():
        moderation.hide(idea, reason="Trùng lặp nội dung", by=None)
    assert mail.outbox == []


def test_supporting_counts_once_per_address(call, sector, committed):
    idea = published_idea(call, sector)
    with committed():
        support = supports.request_support(idea, "Ban@Example.vn")
    assert Support.objects.get().email_hash != "ban@example.vn"  # the address is not kept
    token = mail.outbox[-1].body.split(f"/ung-ho/{support.pk}/")[1].split("/")[0]
    assert supports.confirm_support(support, token) is True
    assert supports.confirm_support(support, token) is False
    idea.refresh_from_db()
    assert idea.supporters == 1
    with committed():
        assert supports.request_support(idea, "ban@example.vn ") == support  # found again, not stored twice
    assert "đã ủng hộ ý tưởng này" in mail.outbox[-1].body and "/ung-ho/" not in mail.outbox[-1].body
    with pytest.raises(signing.BadSignature):
        supports.confirm_support(supports.request_support(idea, "khac@example.vn"), token)  # another support's link


def test_the_stored_address_hash_needs_a_key_of_its_own(call, sector, settings):
    """A list of addresses is not enough to tell who supports an idea: the stored hash is
    keyed with SUPPORTER_HASH_KEYS, a secret apart from the database."""
    idea = published_idea(call, sector)
    support = supports.request_support(idea, "ban@example.vn")
    stored = Support.objects.get().email_hash
    plain = hashlib.sha256(b"ban@example.vn").hexdigest()
    assert plain not in stored and "ban@example.vn" not in stored
    assert supports.request_support(idea, "Ban@Example.vn") == support  # the same key finds it again
    settings.SUPPORTER_HASH_KEYS = ["another-key-that-is-long-enough-0123456789"]
    assert hash_email("ban@example.vn") != stored  # another key, another hash: not computable without it


def test_a_new_key_rekeys_every_stored_hash_without_the_addresses(call, sector, settings, committed):
    """Rotation: a key appended to SUPPORTER_HASH_KEYS; supports stored before are still
    found, and `manage.py rekey_supporters` brings every hash to the new key."""
    settings.SUPPORTER_HASH_KEYS = ["first-key-0123456789-0123456789-0123456789"]
    idea = published_idea(call, sector)
    _confirmed_support(idea, "ban@example.vn", committed)
    supports.request_support(idea, "cho@example.vn")  # not confirmed yet
    before = set(Support.objects.values_list("email_hash", flat=True))
    settings.SUPPORTER_HASH_KEYS = [*settings.SUPPORTER_HASH_KEYS, "second-key-0123456789-0123456789-012345678"]
    assert supports.request_support(idea, "ban@example.vn").confirmed_at  # found under the old key meanwhile
    assert Support.objects.count() == 2

    out = io.StringIO()
    call_command("rekey_supporters", stdout=out)
    after = set(Support.objects.values_list("email_hash", flat=True))
    assert after == {hash_email("ban@example.vn"), hash_email("cho@example.vn")} and not after & before
    assert "2" in out.getvalue()
    entry = AuditEntry.objects.get(action="ideas.support.rekey")
    assert entry.data["count"] == 2
    assert supports.request_support(idea, "ban@example.vn").confirmed_at and Support.objects.count() == 2
    call_command("rekey_supporters", stdout=io.StringIO())  # again: nothing left to do
    assert set(Support.objects.values_list("email_hash", flat=True)) == after
    assert AuditEntry.objects.filter(action="ideas.support.rekey").count() == 1


def test_a_hidden_idea_cannot_be_supported(call, sector):
    idea = moderation.hide(published_idea(call, sector), reason="Không phù hợp", by=None)
    with pytest.raises(ValidationError):
        supports.request_support(idea, "ban@example.vn")


def _confirmed_support(idea, email, committed):
    with committed():
        support = supports.request_support(idea, email)
    token = mail.outbox[-1].body.split(f"/ung-ho/{support.pk}/")[1].split("/")[0]
    supports.confirm_support(support, token)


def test_a_duplicate_merges_its_supporters_counting_each_address_once(call, sector, committed):
    original = published_idea(call, sector)
    copy = published_idea(call, sector, email="khac@example.vn")
    for email in ("a@example.vn", "b@example.vn"):
        _confirmed_support(original, email, committed)
    for email in ("b@example.vn", "c@example.vn", "d@example.vn"):
        _confirmed_support(copy, email, committed)
    supports.request_support(copy, "e@example.vn")  # never confirmed: not counted
    with pytest.raises(ValidationError):
        moderation.mark_duplicate(copy, of=copy, by=None)
    moderation.mark_duplicate(copy, of=original, by=None)
    original.refresh_from_db()
    copy.refresh_from_db()
    assert (copy.status, copy.duplicate_of, copy.supporters) == (Idea.Status.DUPLICATE, original, 0)
    assert original.supporters == 4  # a, b, c, d
    assert Support.objects.filter(idea=original, confirmed_at__isnull=False).count() == 4
    assert original.events.filter(kind=IdeaEvent.Kind.MERGED).exists()


def test_gallery_filters_sorts_and_finds_without_diacritics(call, sector, ward):
    from ideas.models import Sector

    other = Sector.objects.create(name="Giáo dục")
    lake = published_idea(call, sector, title="Đèn chiếu sáng đường ven Hồ Tây", ward=ward)
    school = published_idea(call, other, title="Thư viện sách ở trường tiểu học")
    hidden = moderation.hide(published_idea(call, sector, title="Hồ Tây ẩn"), reason="Trùng", by=None)
    Idea.objects.filter(pk=school.pk).update(supporters=9)
    assert list(queries.gallery(query="ho tay")) == [lake]
    assert list(queries.gallery(query="HỒ TÂY đèn")) == [lake]
    assert list(queries.gallery(sector=other)) == [school]
    assert list(queries.gallery(ward=ward)) == [lake]
    assert list(queries.gallery(sort="nhieu-ung-ho"))[0] == school
    assert hidden not in queries.gallery()
    assert list(queries.gallery(stage=Idea.Stage.REFERRED)) == []


def test_selection_and_results_are_public_and_told(call, sector, committed):
    idea = published_idea(call, sector)
    hidden = moderation.hide(published_idea(call, sector, email="x@example.vn"), reason="Trùng", by=None)
    selection.select(idea, by=None)
    with pytest.raises(ValidationError):
        selection.select(hidden, by=None)
    idea.refresh_from_db()
    assert idea.stage == Idea.Stage.RECEIVED and idea.selected_at  # private until the results
    assert list(call.judging_decisions()) == [idea.pk]
    mail.outbox.clear()
    with committed():
        assert selection.publish_results(call, by=None) == 1
    call.refresh_from_db()
    idea.refresh_from_db()
    assert call.results_are_public() and list(queries.selected_ideas(call)) == [idea]
    assert idea.stage == Idea.Stage.SELECTED and len(mail.outbox) == 1
    selection.unselect(idea, by=None)
    idea.refresh_from_db()
    assert (idea.stage, idea.selected_at) == (Idea.Stage.RECEIVED, None)


@pytest.fixture
def officers(tree):
    return {
        "a": member("canbo_a", tree["a"], roles.UNIT_OFFICERS),
        "b": member("canbo_b", tree["b"], roles.UNIT_OFFICERS),
    }


def test_referral_transfer_and_answer_follow_on_the_idea_and_its_timeline(call, sector, tree, officers, committed):
    idea = published_idea(call, sector)
    with pytest.raises(ValidationError):
        referring.refer(moderation.hide(published_idea(call, sector), reason="x", by=None), unit=tree["a"], by=None)
    with committed():
        referral = referring.refer(idea, unit=tree["a"], by=None)
    assert referral.working_days == call.referral_working_days and referral.supervisor == tree["district"]
    idea.refresh_from_db()
    assert idea.stage == Idea.Stage.REFERRED and "Phòng A" in mail.outbox[-1].subject
    with pytest.raises(ValidationError):  # one open referral at a time
        referring.refer(idea, unit=tree["b"], by=None)
    with committed():
        referral_actions.transfer(referral, to_unit=tree["b"], reason="Thuộc lĩnh vực phòng B", by=officers["a"])
    assert "Phòng B" in mail.outbox[-1].subject
    referral = Referral.objects.get()
    referral_actions.answer(
        referral,
        outcome=Referral.Outcome.ACCEPTED,
        text="Sẽ lắp trong quý I",
        plan_date=timezone.localdate() + datetime.timedelta(days=30),
        by=officers["b"],
    )
    idea.refresh_from_db()
    assert idea.stage == Idea.Stage.ACCEPTED
    kinds = [row["kind"] for row in queries.timeline(idea)]
    assert kinds == ["received", "published", "referred", "transferred", "answered"]
    transfer = queries.timeline(idea)[3]
    assert (transfer["from_unit"], transfer["to_unit"], transfer["text"]) == (
        "Phòng A",
        "Phòng B",
        "Thuộc lĩnh vực phòng B",
    )


def test_moderation_follows_its_table_and_waits_for_an_open_referral(call, sector, tree):
    idea = published_idea(call, sector)
    with pytest.raises(ValidationError):
        moderation.publish(idea, by=None)  # already published: nothing to announce again
    spam = moderation.mark_spam(idea, by=None)
    assert moderation.moderation_choices(spam) == {Idea.Status.PUBLISHED, Idea.Status.HIDDEN}  # a false alarm undone
    idea = moderation.publish(spam, by=None)
    referring.refer(idea, unit=tree["a"], by=None)
    with pytest.raises(ValidationError):
        moderation.hide(idea, reason="Không phù hợp", by=None)
    other = published_idea(call, sector, email="x@example.vn")
    merged = moderation.mark_duplicate(other, of=idea, by=None)
    assert moderation.moderation_choices(merged) == set()  # final
    with pytest.raises(ValidationError):
        moderation.publish(merged, by=None)


def test_a_merge_keeps_a_confirmed_support_over_a_pending_one(call, sector, committed):
    original = published_idea(call, sector)
    copy = published_idea(call, sector, email="khac@example.vn")
    supports.request_support(original, "a@example.vn")  # pending on the original
    _confirmed_support(copy, "a@example.vn", committed)  # confirmed on the copy
    moderation.mark_duplicate(copy, of=original, by=None)
    original.refresh_from_db()
    assert original.supporters == 1
    assert original.events.get(kind=IdeaEvent.Kind.MERGED).text == copy.code  # never the unpublished title


def test_a_support_cannot_be_confirmed_once_its_idea_is_hidden(call, sector, committed):
    idea = published_idea(call, sector)
    with committed():
        support = supports.request_support(idea, "ban@example.vn")
    token = mail.outbox[-1].body.split(f"/ung-ho/{support.pk}/")[1].split("/")[0]
    moderation.hide(idea, reason="Không phù hợp", by=None)
    with pytest.raises(ValidationError):
        supports.confirm_support(support, token)
    assert Idea.objects.get(pk=idea.pk).supporters == 0


def test_status_mails_carry_absolute_links_without_a_request(call, sector, committed, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://tayho.example.vn"
    with committed():
        idea = published_idea(call, sector)
    message = mail.outbox[-1]
    link = re.search(rf"https://tayho\.example\.vn/ho-so-y-tuong/huy-nhan-thu/{idea.pk}/(\S+)/", message.body)
    authors.check_unsubscribe(idea, link.group(1))
    assert message.extra_headers["List-Unsubscribe"] == f"<{link.group(0)}>"


def test_a_title_on_several_lines_becomes_one(call, sector, committed):
    with committed():
        idea = send_idea(call, sector, title="Ghế đá\nven hồ").idea
    assert idea.title == "Ghế đá ven hồ" and "Ghế đá ven hồ" in mail.outbox[-1].subject


def test_idea_codes_and_working_days_typed_by_organisers(call, sector):
    idea = published_idea(call, sector)
    assert queries.idea_by_code(idea.code) == idea == queries.idea_by_code(f"yt-{idea.pk}")
    assert queries.idea_by_code("không phải mã") is None
    assert referring.working_days_from(" ") is None and referring.working_days_from("15") == 15
    for bad in ("0", "abc", "99999", "-3"):
        with pytest.raises(ValidationError):
            referring.working_days_from(bad)


def test_judges_no_longer_read_an_idea_hidden_after_it_entered_the_round(call, sector):
    idea = published_idea(call, sector, title="Ý tưởng sẽ bị ẩn")
    assert idea.judging_card()["title"] == "Ý tưởng sẽ bị ẩn" and "author" not in idea.judging_card()
    idea = moderation.hide(idea, reason="Có thông tin cá nhân", by=None)
    card = idea.judging_card(blind=False)
    assert "Ý tưởng sẽ bị ẩn" not in str(card) and card["attachment"] is None


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
@transactional_db  # the worker opens and closes its own connections
def test_erasure_leaves_no_private_link_and_no_mail_holding_the_address(client, index, call, sector, committed):
    from django_tasks_db.models import DBTaskResult

    def mail_tasks():
        return sorted(
            (tuple(row.args_kwargs["kwargs"]["to"]), row.status)
            for row in DBTaskResult.objects.filter(task_path="tayho_site.mail.send_email")
        )

    with committed():
        submission = send_idea(call, sector, show_name=True)
        send_idea(call, sector, email="ba.nguoidan@example.vn")  # holds "nguoidan@example.vn" inside
    call_command("db_worker", batch=True, reload=False, verbosity=0)  # both confirmation mails sent
    with committed():
        idea = moderation.publish(authors.confirm_idea(submission.idea), by=None)  # its status mails wait
    assert (("nguoidan@example.vn",), "READY") in mail_tasks() and (
        ("nguoidan@example.vn",),
        "SUCCESSFUL",
    ) in mail_tasks()
    with committed():
        assert authors.erase_personal_data(idea) == "anonymised"
    assert mail_tasks() == [(("ba.nguoidan@example.vn",), "SUCCESSFUL")]  # another author's mail stays
    assert queries.idea_for_token(submission.access_token) is None
    for path in ("", "tep/", "du-lieu-ca-nhan/", "xoa-du-lieu/"):
        response = client.get(f"/ho-so-y-tuong/{submission.access_token}/{path}")
        assert response.status_code == 404
        assert "Nguyễn Thị Hoa" not in response.content.decode()
    assert client.get(f"{index.url}{idea.pk}/").status_code == 200  # the idea stays public, anonymous
