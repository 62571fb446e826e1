"""Retention periods (tayho_site/retention.py and each app's retention.py) and the daily
`manage.py purge_expired_data`: real records of every kind, made at their real dates
with time_machine, purged a year and a day after they were settled."""

import datetime
import io
import os
from types import SimpleNamespace

import pytest
import time_machine
from captcha.models import CaptchaStore
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from contest.actions import entries, results
from contest.judging.models import Assignment, Criterion, Item, Review, Round
from contest.models import Award, Entrant, Entry, EntryConsent
from emulation.honours.models import Evidence, HonourCategory, Nomination
from ideas import queries as ideas_queries
from ideas.actions import authors as ideas_authors
from ideas.actions import moderation as ideas_moderation
from ideas.actions import referring as ideas_referring
from ideas.actions import supports as ideas_supports
from ideas.models import Idea, IdeaAuthor, IdeaCallPage, IdeaIndexPage, Sector, Support
from referrals import actions as referral_actions
from referrals.models import Referral, ReferralNote
from tayho_site import retention, roles
from tayho_site.audit import record
from tayho_site.models import AuditEntry
from tayho_site.submissions import hash_email, sign
from tests.factories import ContestPageFactory, member

pytestmark = pytest.mark.django_db

HANOI = datetime.timezone(datetime.timedelta(hours=7))
T0 = (
    (timezone.now() - datetime.timedelta(days=700)).astimezone(HANOI).replace(hour=9, minute=0, second=0, microsecond=0)
)
SETTLED = T0 + datetime.timedelta(days=35)  # results published, referral answered, nominations decided
RUN = SETTLED + datetime.timedelta(days=366)  # a year and a day later

# Who must leave no trace once purged, and who is too recent to be touched.
GONE = [
    "thang.win@example.vn",
    "0911111111",
    "Số 5 ngõ 12 Quảng An",
    "thua.lose@example.vn",
    "0922222222",
    "Lê Thị Thua",
    "Bút Xanh",
    "pending@example.vn",
    "0933333333",
    "Đỗ Văn Chờ",
    "hoa.idea@example.vn",
    "0944444444",
    "an.hidden@example.vn",
    "0977777777",
    "Phạm Văn Ẩn",
    "ghost@example.vn",
    "0988888888",
    "0966666666",  # in a unit's private note
    "CCCD-Ngo-Thi-Bi.pdf",  # evidence of a rejected nomination
    hash_email("fan@example.vn"),
    hash_email("lazy@example.vn"),
]
KEPT = [
    "young@example.vn",
    "0955555555",
    "waiting@example.vn",
    hash_email("fan2@example.vn"),
    "young-task@example.vn",
    "Trần Văn Thắng",
    "Nguyễn Thị Hoa",
]


def at(moment):
    return time_machine.travel(moment, tick=False)


def upload(name="bai.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 trang 1")


def database_text() -> list[str]:
    """Every value of every row of every table, as text, sorted per table."""
    dump = []
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from the schema
            rows = []
            for row in cursor.fetchall():
                rows.append(
                    " | ".join(
                        bytes(v).decode(errors="replace") if isinstance(v, bytes | memoryview) else str(v) for v in row
                    )
                )
            dump.append(f"## {table}\n" + "\n".join(sorted(rows)))
    return dump


def stored(path) -> bool:
    from django.conf import settings

    return bool(path) and os.path.exists(os.path.join(settings.MEDIA_ROOT, path))


def submit_entry(contest, *, name, email, phone, show_as="name", pen_name="", attachment=None):
    return entries.submit_entry(
        contest,
        category=contest.categories.first(),
        title="Lối đi quanh Hồ Tây",
        body_html="<p>Một lối đi bộ liền mạch quanh Hồ Tây cho mọi người dân.</p>",
        consents=list(EntryConsent.Kind.values),
        attachment=attachment,
        attachment_name=attachment.name if attachment else "",
        entrant={
            "full_name": name,
            "pen_name": pen_name,
            "birth_year": 1988,
            "phone": phone,
            "email": email,
            "address": "Số 5 ngõ 12 Quảng An",
            "occupation": "Giáo viên",
            "show_as": show_as,
        },
    ).entry


def send_idea(call, sector, *, name, email, phone, show_name=False, attachment=None):
    return ideas_authors.submit_idea(
        call,
        title=f"Ý tưởng của {email.split('@')[0]}",
        problem="Rác ven hồ.",
        proposal="Thùng rác ba ngăn.",
        benefit="Hồ sạch hơn.",
        sector=sector,
        author={"full_name": name, "email": email, "phone": phone, "show_name": show_name},
        consents=["rules", "personal_data"],
        attachment=attachment,
        attachment_kind="png" if attachment else "",
    ).idea


def support(idea, email):
    row = ideas_supports.request_support(idea, email)
    ideas_supports.confirm_support(row, sign(ideas_supports.SUPPORT_SALT, row.pk))
    return row


@pytest.fixture
def world(home, tree, settings, tmp_path):
    """Records of every kind: settled at SETTLED (purged at RUN) or recent (kept)."""
    settings.MEDIA_ROOT = str(tmp_path)
    w = SimpleNamespace()
    with at(T0):
        organiser = member("btc", tree["district"], roles.ORGANISERS)
        officer = member("canbo_a", tree["a"], roles.UNIT_OFFICERS)
        # The contest: a winner who shows their name, a pen-named entrant, one never confirmed.
        w.contest = ContestPageFactory(parent=home)
        w.winner = entries.confirm_entry(
            submit_entry(
                w.contest,
                name="Trần Văn Thắng",
                email="thang.win@example.vn",
                phone="0911111111",
                attachment=upload("TranVanThang.pdf"),
            )
        )
        w.other = entries.confirm_entry(
            submit_entry(
                w.contest,
                name="Lê Thị Thua",
                email="thua.lose@example.vn",
                phone="0922222222",
                show_as="pen_name",
                pen_name="Bút Xanh",
            )
        )
        w.pending = submit_entry(w.contest, name="Đỗ Văn Chờ", email="pending@example.vn", phone="0933333333")
        w.winner_file = w.winner.attachment.name
        # The idea box: an idea answered by its unit, one hidden, one still with a unit, one never confirmed.
        index = IdeaIndexPage(title="Ý tưởng", slug="y-tuong")
        home.add_child(instance=index)
        index.save_revision().publish()
        w.call = IdeaCallPage(title="Hòm thư ý tưởng", slug="hom-thu", opens_at=T0 - datetime.timedelta(days=1))
        index.add_child(instance=w.call)
        w.call.save_revision().publish()
        sector = Sector.objects.create(name="Môi trường")
        w.idea = send_idea(
            w.call, sector, name="Nguyễn Thị Hoa", email="hoa.idea@example.vn", phone="0944444444", show_name=True
        )
        ideas_authors.confirm_idea(w.idea)
        w.idea = ideas_moderation.publish(w.idea, by=organiser)
        support(w.idea, "fan@example.vn")
        ideas_supports.request_support(w.idea, "lazy@example.vn")  # never confirmed
        w.referral = ideas_referring.refer(w.idea, unit=tree["a"], by=organiser)
        referral_actions.add_note(w.referral, text="Đã gọi tác giả theo số 0966666666", by=officer)
        w.hidden = send_idea(
            w.call,
            sector,
            name="Phạm Văn Ẩn",
            email="an.hidden@example.vn",
            phone="0977777777",
            attachment=upload("anh.png"),
        )
        ideas_authors.confirm_idea(w.hidden)
        w.hidden_file = Idea.objects.get(pk=w.hidden.pk).attachment.name
        w.waiting = send_idea(w.call, sector, name="Vũ Chờ Đáp", email="waiting@example.vn", phone="0900000001")
        ideas_authors.confirm_idea(w.waiting)
        ideas_referring.refer(ideas_moderation.publish(w.waiting, by=organiser), unit=tree["b"], by=organiser)
        w.ghost = send_idea(w.call, sector, name="Ma", email="ghost@example.vn", phone="0988888888")
        # Nominations that came to nothing, and one approved.
        category = HonourCategory.objects.create(name="Cá nhân tiêu biểu")
        w.nominations = {}
        for status in (Nomination.Status.REJECTED, Nomination.Status.WITHDRAWN, Nomination.Status.APPROVED):
            nomination = Nomination.objects.create(
                nominee_name=f"Ngô Thị {status}",
                category=category,
                year=T0.year,
                achievements="<p>Gương mẫu.</p>",
                status=Nomination.Status.VOTING,
            )
            Evidence.objects.create(nomination=nomination, file=upload(), name=f"CCCD-Ngo-Thi-{status[:2]}.pdf")
            w.nominations[status] = nomination
        Evidence.objects.filter(nomination=w.nominations[Nomination.Status.REJECTED]).update(name="CCCD-Ngo-Thi-Bi.pdf")
        w.evidence_file = Evidence.objects.get(nomination=w.nominations[Nomination.Status.REJECTED]).file.name

    with at(SETTLED):
        # Scores, a prize and the published results.
        judge = member("giamkhao", tree["district"], roles.JUDGES)
        round_ = Round.objects.create(
            call=w.contest,
            name="Chung khảo",
            scoring_opens_at=T0,
            scoring_closes_at=SETTLED,
            status=Round.Status.PUBLISHED,
        )
        criterion = Criterion.objects.create(round=round_, name="Ý tưởng", max_points=10)
        for entry, points in ((w.winner, 9), (w.other, 6)):
            item = Item.objects.create(
                round=round_,
                content_type=ContentType.objects.get_for_model(Entry),
                object_id=entry.pk,
                code=entry.tracking_code,
            )
            Review.objects.create(
                assignment=Assignment.objects.create(item=item, judge=judge),
                points={str(criterion.pk): points},
                status=Review.Status.SUBMITTED,
                submitted_at=SETTLED,
            )
        results.award(w.contest, w.winner, "Giải Nhất", 1, by=organiser)
        results.publish_results(w.contest, by=None)
        referral_actions.answer(w.referral, outcome=Referral.Outcome.DONE, text="Đã lắp 20 thùng rác.", by=officer)
        ideas_moderation.hide(w.hidden, reason="Không thuộc phạm vi", by=organiser)  # dated by its audit entry only
        for status in (Nomination.Status.REJECTED, Nomination.Status.APPROVED):
            Nomination.objects.filter(pk=w.nominations[status].pk).update(status=status, decided_at=SETTLED)
        withdrawn = w.nominations[Nomination.Status.WITHDRAWN]
        Nomination.objects.filter(pk=withdrawn.pk).update(status=Nomination.Status.WITHDRAWN)
        record("honours.withdraw", withdrawn, actor=organiser, reason="Đơn vị rút đề nghị")

    with at(RUN - datetime.timedelta(days=30)):
        w.young = send_idea(w.call, sector, name="Trẻ", email="young@example.vn", phone="0955555555")
        ideas_authors.confirm_idea(w.young)
        ideas_moderation.publish(w.young, by=organiser)
        support(w.idea, "fan2@example.vn")  # a recent support of a settled idea keeps its hash for now
    with at(RUN - datetime.timedelta(days=2)):
        w.young_unconfirmed = send_idea(w.call, sector, name="Mới", email="new@example.vn", phone="0900000002")

    def task(email, finished):
        return DBTaskResult.objects.create(
            status="SUCCESSFUL",
            task_path="tayho_site.mail.send_email",
            backend_name="default",
            run_after=finished,
            started_at=finished,
            finished_at=finished,
            exception_class_path="",
            traceback="",
            args_kwargs={"args": [], "kwargs": {"to": [email], "subject": "Kết quả", "body": "…"}},
        )

    w.old_task = task("thang.win@example.vn", RUN - datetime.timedelta(days=31))
    w.young_task = task("young-task@example.vn", RUN - datetime.timedelta(days=29))
    w.old_captcha = CaptchaStore.objects.create(
        challenge="ABCDE", response="abcde", expiration=RUN - datetime.timedelta(minutes=1)
    )
    w.new_captcha = CaptchaStore.objects.create(
        challenge="FGHIK", response="fghik", expiration=RUN + datetime.timedelta(minutes=5)
    )
    for key, expiry in (("a" * 32, RUN - datetime.timedelta(hours=1)), ("b" * 32, RUN + datetime.timedelta(days=1))):
        Session.objects.create(
            session_key=key, expire_date=expiry, session_data=SessionStore().encode({"contest.access_token": "bí-mật"})
        )
    return w


def purge(**kwargs):
    with at(RUN):
        return {result.kind.name: result.count for result in retention.purge(RUN, **kwargs)}


EXPECTED = {
    "contest.unconfirmed_entries": 1,
    "contest.entrants": 2,
    "ideas.unconfirmed_ideas": 1,
    "ideas.unconfirmed_supports": 1,
    "ideas.authors": 2,
    "ideas.supports": 1,
    "referrals.notes": 1,
    "referrals.verdicts": 0,
    "referrals.unconfirmed_reports": 0,
    "referrals.report_authors": 0,
    "honours.evidence": 2,
    "inspections.evidence": 0,  # tests/emulation/inspections/test_inspections.py runs it
    "site.task_results": 1,
    "site.captchas": 1,
    "site.sessions": 1,
    "site.signin_attempts": 0,
}


def test_every_app_registers_its_kinds_with_a_period_in_settings(settings):
    assert {kind.name for kind in retention.kinds()} == set(EXPECTED)
    for kind in retention.kinds():
        assert retention.period(kind) == settings.RETENTION_DAYS[kind.period_key]
        assert str(kind.description)


def test_a_missing_period_is_refused_before_anything_is_purged(settings, db):
    settings.RETENTION_DAYS = {key: days for key, days in settings.RETENTION_DAYS.items() if key != "sessions"}
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="sessions"):
        call_command("purge_expired_data", stdout=io.StringIO())


def test_a_year_after_the_results_the_personal_data_goes_and_the_public_record_stays(
    world, client, django_capture_on_commit_callbacks
):
    w = world
    supporters = Idea.objects.get(pk=w.idea.pk).supporters
    timeline = len(ideas_queries.timeline(w.idea))
    scores = sorted(Review.objects.values_list("points", flat=True), key=str)
    assert supporters == 2 and all(stored(f) for f in (w.winner_file, w.hidden_file, w.evidence_file))

    with django_capture_on_commit_callbacks(execute=True):
        counts = purge()
    assert counts == EXPECTED

    # Contest: the unconfirmed entry is gone; the others keep text, scores and prize.
    assert not Entry.objects.filter(pk=w.pending.pk).exists()
    assert not Entrant.objects.filter(email="pending@example.vn").exists()
    winner = Entry.objects.select_related("entrant").get(pk=w.winner.pk)
    assert winner.body == w.winner.body and winner.erased_at == RUN and not winner.attachment
    assert not winner.attachment_name and not stored(w.winner_file)
    e = winner.entrant
    assert (e.full_name, e.show_as, e.email, e.phone, e.address, e.occupation, e.birth_year) == (
        "Trần Văn Thắng",
        Entrant.ShowAs.FULL_NAME,
        "",
        "",
        "",
        "",
        0,
    )
    other = Entrant.objects.get(entry=w.other)
    assert (other.full_name, other.pen_name, other.show_as, other.email) == ("", "", Entrant.ShowAs.ANONYMOUS, "")
    assert Award.objects.get().prize == "Giải Nhất" and Award.objects.get().shown_name == "Trần Văn Thắng"
    assert sorted(Review.objects.values_list("points", flat=True), key=str) == scores
    # Ideas: the idea, its supporters and timeline stay; the hidden one loses its file.
    idea = Idea.objects.get(pk=w.idea.pk)
    assert (idea.supporters, len(ideas_queries.timeline(idea))) == (supporters, timeline)
    assert Support.objects.filter(idea=idea, confirmed_at__isnull=False).count() == supporters
    author = IdeaAuthor.objects.get(idea=idea)
    assert (author.full_name, author.show_name, author.email, author.phone, author.notify) == (
        "Nguyễn Thị Hoa",
        True,
        "",
        "",
        False,
    )
    hidden = Idea.objects.select_related("author").get(pk=w.hidden.pk)
    assert (hidden.author.full_name, hidden.author.email, hidden.attachment.name) == ("", "", "")
    assert not stored(w.hidden_file)
    assert not Idea.objects.filter(pk=w.ghost.pk).exists()
    assert IdeaAuthor.objects.get(idea=w.waiting).email == "waiting@example.vn"  # its unit has not answered
    assert IdeaAuthor.objects.get(idea=w.young).email == "young@example.vn"
    assert Idea.objects.filter(pk=w.young_unconfirmed.pk).exists()
    assert not ReferralNote.objects.exists() and Referral.objects.get(pk=w.referral.pk).answer
    # Honours: evidence of the approved nomination stays.
    assert list(Evidence.objects.values_list("nomination__status", flat=True)) == [Nomination.Status.APPROVED]
    assert not stored(w.evidence_file) and Nomination.objects.count() == 3
    # The site's own leftovers.
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [w.young_task.pk]
    assert list(CaptchaStore.objects.values_list("pk", flat=True)) == [w.new_captcha.pk]
    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]

    # One audit entry per kind that purged something.
    audit = AuditEntry.objects.filter(action="retention.purge")
    assert sorted(audit.values_list("data__kind", flat=True)) == sorted(kind for kind, n in EXPECTED.items() if n)
    entry = audit.get(data__kind="contest.entrants")
    assert (entry.data["count"], entry.data["days"], entry.target_label) == (
        2,
        365,
        str(ContentType.objects.get_for_model(Entrant)),
    )

    # The public pages read the same.
    page = client.get(w.contest.url)
    assert page.status_code == 200 and "Trần Văn Thắng" in page.text and "Giải Nhất" in page.text
    page = client.get(ideas_authors.public_path(idea))
    assert page.status_code == 200 and idea.title in page.text and "Nguyễn Thị Hoa" in page.text

    # A second run finds nothing more.
    assert set(purge().values()) == {0}
    assert audit.count() == len([n for n in EXPECTED.values() if n])


def test_no_contact_detail_of_a_purged_person_is_left_anywhere_in_the_database(world):
    before = "\n".join(database_text())
    assert all(value in before for value in GONE + KEPT)  # the search does find them
    purge()
    after = "\n".join(database_text())
    assert [value for value in GONE if value in after] == []
    assert [value for value in KEPT if value not in after] == []


def test_a_dry_run_counts_the_same_and_changes_nothing(world, django_capture_on_commit_callbacks):
    before = database_text()
    out = io.StringIO()
    with at(RUN), django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("purge_expired_data", "--dry-run", stdout=out)
    assert callbacks == [] and database_text() == before
    assert stored(world.winner_file) and stored(world.evidence_file)
    lines = out.getvalue().splitlines()
    for kind, count in EXPECTED.items():
        assert any(line.split()[0] == kind and f" {count} " in f" {line} " for line in lines), (kind, lines)
    assert purge() == EXPECTED  # exactly what the dry run announced


def test_a_day_earlier_nothing_settled_is_purged(world):
    with at(RUN - datetime.timedelta(days=2)):
        counts = {r.kind.name: r.count for r in retention.purge(RUN - datetime.timedelta(days=2), dry_run=True)}
    for kind in ("contest.entrants", "ideas.authors", "ideas.supports", "referrals.notes", "honours.evidence"):
        assert counts[kind] == 0, kind


def test_the_periods_come_from_the_environment(monkeypatch):
    import importlib

    from tayho_site.settings import base

    monkeypatch.setenv("RETENTION_DAYS_ENTRANTS", "730")
    try:
        assert importlib.reload(base).RETENTION_DAYS["entrants"] == 730
        assert base.RETENTION_DAYS["unconfirmed"] == 7
    finally:
        monkeypatch.delenv("RETENTION_DAYS_ENTRANTS")
        importlib.reload(base)


def test_failed_sign_ins_are_forgotten_after_their_period(client, db):
    from axes.models import AccessAttempt

    from tayho_site import retention

    client.post("/dang-nhap/", {"username": "khong-ai", "password": "sai-mat-khau"})
    assert AccessAttempt.objects.count() == 1
    assert sum(r.count for r in retention.purge(only=["site.signin_attempts"])) == 0
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(days=31))
    assert sum(r.count for r in retention.purge(only=["site.signin_attempts"])) == 1
    assert not AccessAttempt.objects.exists()
