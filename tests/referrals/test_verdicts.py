"""The resident's verdict on an answer (referrals.actions.give_verdict): resolved is
counted for the unit; not resolved reopens the referral with the same unit, on a new
clock, and the reopening is counted. Once per answer, saved whole or not at all."""

import datetime

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from emulation.models import Person
from referrals import actions, queries
from referrals.models import Referral, ReferralStep, Verdict
from tayho_site import roles
from tayho_site.models import AuditEntry
from tests.factories import jpeg_bytes, member

pytestmark = pytest.mark.django_db
D = datetime.date
MONDAY = D(2026, 11, 23)


@pytest.fixture
def people(tree):
    return {
        "organiser": member("btc", tree["district"], roles.ORGANISERS),
        "a": member("canbo_a", tree["a"], roles.UNIT_OFFICERS),
    }


def answered(tree, people, title="Đèn đường ven hồ", today=MONDAY):
    subject = Person.objects.create(full_name=title, unit=tree["district"])
    referral = actions.refer(subject, unit=tree["a"], by=people["organiser"], title=title, working_days=5, today=today)
    referral = actions.answer(
        referral, outcome=Referral.Outcome.DONE, text="Đã lắp 12 đèn", by=people["a"], today=today
    )
    return referral, referral.steps.get(kind=ReferralStep.Kind.ANSWERED)


def test_resolved_is_counted_for_the_unit_that_answered(tree, people):
    referral, answer = answered(tree, people)
    verdict = actions.give_verdict(answer, resolved=True, comment="Đèn đã sáng <script>x</script>", today=MONDAY)
    referral.refresh_from_db()
    assert (verdict.unit, verdict.comment, referral.status) == (tree["a"], "Đèn đã sáng", Referral.Status.ANSWERED)
    assert referral.steps.filter(kind=ReferralStep.Kind.CONFIRMED).count() == 1
    assert AuditEntry.objects.filter(action="referral.verdict").count() == 1
    row = {r["unit"]: r for r in queries.accountability(today=MONDAY)}["Phòng A"]
    assert (row["answers"], row["confirmed"], row["reopened"], row["confirmed_share"]) == (1, 1, 0, 100)


def test_not_resolved_reopens_with_the_same_unit_on_a_new_clock(tree, people):
    referral, answer = answered(tree, people)
    with pytest.raises(ValidationError):  # what is still wrong must be said
        actions.give_verdict(answer, resolved=False, comment="  ", today=MONDAY)
    reopened_on = D(2026, 12, 7)
    actions.give_verdict(answer, resolved=False, comment="Còn 3 đèn chưa sáng", today=reopened_on)
    referral.refresh_from_db()
    assert (referral.status, referral.unit, referral.reopenings) == (Referral.Status.OPEN, tree["a"], 1)
    assert referral.reopened_on == reopened_on and referral.due_on == D(2026, 12, 14)  # 5 working days on
    assert (referral.outcome, referral.answer, referral.answered_on) == ("", "", None)
    assert referral.steps.filter(kind=ReferralStep.Kind.REOPENED, to_unit=tree["a"]).count() == 1
    # The unit answers again; the resident confirms the second answer.
    referral = actions.answer(
        referral, outcome=Referral.Outcome.DONE, text="Đã thay 3 bóng", by=people["a"], today=D(2026, 12, 9)
    )
    assert not referral.answered_late()
    second = referral.steps.filter(kind=ReferralStep.Kind.ANSWERED).latest("pk")
    with pytest.raises(ValidationError):  # the first answer was replaced
        actions.give_verdict(answer, resolved=True, today=D(2026, 12, 9))
    actions.give_verdict(second, resolved=True, today=D(2026, 12, 10))
    row = {r["unit"]: r for r in queries.accountability(today=D(2026, 12, 10))}["Phòng A"]
    assert (row["answers"], row["confirmed"], row["reopened"], row["confirmed_share"]) == (2, 1, 1, 50)
    assert row["median_days"] == 2  # from the reopening, not from the first referral


def test_a_second_verdict_on_the_same_answer_is_refused(tree, people):
    _referral, answer = answered(tree, people)
    actions.give_verdict(answer, resolved=True, today=MONDAY)
    with pytest.raises(ValidationError):
        actions.give_verdict(answer, resolved=False, comment="Đổi ý", today=MONDAY)
    assert Verdict.objects.count() == 1


def test_a_failed_verdict_keeps_no_photo(tree, people, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _referral, answer = answered(tree, people)

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(actions, "record", broken)
    photo = SimpleUploadedFile("photo.jpg", jpeg_bytes(), content_type="image/jpeg")
    with pytest.raises(RuntimeError):
        actions.give_verdict(answer, resolved=True, photo=photo, photo_kind="jpeg", today=MONDAY)
    assert not Verdict.objects.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_the_link_judges_its_own_answer_only(tree, people):
    referral, answer = answered(tree, people)
    other, other_answer = answered(tree, people, title="Vỉa hè")
    token = actions.verdict_token(answer)
    actions.check_verdict_link(referral.pk, answer.pk, token)
    for pk, answer_pk in ((other.pk, other_answer.pk), (referral.pk, other_answer.pk), (other.pk, answer.pk)):
        with pytest.raises(signing.BadSignature):
            actions.check_verdict_link(pk, answer_pk, token)
    with pytest.raises(signing.BadSignature):
        actions.check_verdict_link(referral.pk, answer.pk, token[:-2] + "xx")


def test_comments_and_photos_expire_and_the_verdict_stays(tree, people, settings, tmp_path):
    import datetime as dt

    from django.utils import timezone

    from referrals.retention import clear_verdicts

    settings.MEDIA_ROOT = tmp_path
    _referral, answer = answered(tree, people)
    photo = SimpleUploadedFile("photo.jpg", jpeg_bytes(), content_type="image/jpeg")
    actions.give_verdict(answer, resolved=True, comment="Tốt", photo=photo, photo_kind="jpeg", today=MONDAY)
    now = timezone.make_aware(dt.datetime(2027, 11, 1))
    assert clear_verdicts(now, 365) == 0  # not a year yet
    assert clear_verdicts(now + dt.timedelta(days=60), 365) == 1
    verdict = Verdict.objects.get()
    assert (verdict.comment, verdict.photo.name, verdict.resolved) == ("", "", True)
