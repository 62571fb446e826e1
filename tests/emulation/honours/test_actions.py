import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from emulation.honours import actions, permissions, queries
from emulation.honours.models import Honour, HonourCategory, Nomination, Vote
from emulation.models import Person
from tayho_site import roles
from tayho_site.models import AuditEntry
from tests.factories import approve, member, nominate

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def test_a_unit_nominates_its_own_people_only(people, hero, category, tree):
    nomination = nominate(people, hero, category)
    assert (nomination.nominee_name, nomination.unit, nomination.status) == ("Nguyễn Văn Đức", tree["a"], "proposed")
    assert "<script>" not in nomination.achievements and "một cửa" in nomination.achievements
    with pytest.raises(PermissionDenied):
        nominate(people, hero, category, by=people["b"])
    with pytest.raises(ValidationError):
        nominate(people, hero, category, achievements_html="<script>x</script>")
    with pytest.raises(ValidationError):  # a collective needs a category for collectives
        actions.nominate(
            by=people["a"],
            category=category,
            year=YEAR,
            unit=tree["a"],
            nominee_name="Phòng A",
            collective=True,
            achievements_html="<p>Tốt</p>",
        )


def test_only_council_members_vote_once_each_and_only_while_voting_is_open(people, hero, category):
    nomination = nominate(people, hero, category)
    with pytest.raises(ValidationError):
        actions.vote(nomination, member=people["council"][0], choice="approve")  # not open yet
    with pytest.raises(PermissionDenied):
        actions.open_voting(nomination, by=people["a"], secret=False)
    actions.open_voting(nomination, by=people["organiser"], secret=False)
    with pytest.raises(PermissionDenied):
        actions.vote(nomination, member=people["a"], choice="approve")
    actions.vote(nomination, member=people["council"][0], choice="approve")
    with pytest.raises(actions.AlreadyVoted):
        actions.vote(nomination, member=people["council"][0], choice="reject")
    assert nomination.votes.count() == 1
    assert [v.member for v in queries.open_votes(nomination)] == [people["council"][0]]


def test_a_secret_ballot_keeps_who_voted_apart_from_how(people, hero, category):
    nomination = nominate(people, hero, category)
    decided = approve(nomination, people, approvals=4, secret=True)
    assert not nomination.votes.exists()  # no rows that could be matched, by order or time, to voters
    assert (decided.secret_approve, decided.secret_reject, decided.status) == (4, 1, Nomination.Status.APPROVED)
    assert nomination.voters.count() == 5 and queries.open_votes(nomination) == []
    assert all("choice" not in entry.data for entry in AuditEntry.objects.filter(action="honours.vote"))
    council = people["council"][0]
    assert permissions.may_see_counts(council, decided)  # after the decision
    running = nominate(people, hero, category, year=YEAR - 1)
    actions.open_voting(running, by=people["organiser"], secret=True)
    running.refresh_from_db()
    assert not permissions.may_see_counts(people["organiser"], running)  # not while the secret vote runs


def test_a_secret_vote_is_audited_as_who_voted_and_its_counts_stay_sealed_until_the_decision(people, hero, category):
    organiser, member_ = people["organiser"], people["council"][0]
    nomination = nominate(people, hero, category)
    actions.open_voting(nomination, by=organiser, secret=True)
    actions.vote(nomination, member=member_, choice=Vote.Choice.REJECT)
    nomination.refresh_from_db()
    entry = AuditEntry.objects.for_object(nomination).get(action="honours.vote")
    assert (entry.actor, entry.summary, entry.data) == (member_, "", {"secret": True})  # who, never how
    assert nomination.counts_sealed and not permissions.may_see_counts(organiser, nomination)
    assert not permissions.may_see_counts(member_, nomination)
    actions.withdraw(nomination, by=organiser, reason="Đơn vị rút đề nghị")
    nomination.refresh_from_db()
    assert nomination.counts_sealed and not permissions.may_see_counts(organiser, nomination)  # no decision, never read
    decided = approve(nominate(people, hero, category, year=YEAR - 1), people, approvals=3, secret=True)
    assert not decided.counts_sealed and permissions.may_see_counts(organiser, decided)
    decision = AuditEntry.objects.for_object(decided).get(action="honours.decide")
    assert (decision.data["approve"], decision.data["reject"]) == (3, 2)  # the totals, once decided
    opened = nominate(people, hero, category, year=YEAR - 2)
    actions.open_voting(opened, by=organiser, secret=False)
    assert not opened.counts_sealed and permissions.may_see_counts(organiser, opened)  # an open ballot as it goes


def test_a_secret_ballot_is_decided_only_once_more_than_half_of_the_council_voted(people, hero, category):
    """Counts revealed after one or two votes would tell how those members voted."""
    organiser = people["organiser"]
    nomination = nominate(people, hero, category)
    actions.open_voting(nomination, by=organiser, secret=True)
    members = len(people["council"])
    for index in range(members // 2):
        actions.vote(nomination, member=people["council"][index], choice=Vote.Choice.APPROVE)
        with pytest.raises(ValidationError, match="hơn một nửa"):
            actions.decide(nomination, by=organiser, number="1/QĐ", date=timezone.localdate(), signer="Chủ tịch")
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.VOTING and nomination.counts_sealed
    actions.vote(nomination, member=people["council"][members // 2], choice=Vote.Choice.REJECT)
    decided = actions.decide(nomination, by=organiser, number="1/QĐ", date=timezone.localdate(), signer="Chủ tịch")
    assert decided.status in (Nomination.Status.APPROVED, Nomination.Status.REJECTED)
    # An open ballot shows its votes as they come: one vote is enough to decide it.
    opened = nominate(people, hero, category, year=YEAR - 1)
    actions.open_voting(opened, by=organiser, secret=False)
    actions.vote(opened, member=people["council"][0], choice=Vote.Choice.APPROVE)
    actions.decide(opened, by=organiser, number="2/QĐ", date=timezone.localdate(), signer="Chủ tịch")


@pytest.mark.parametrize(("approvals", "status"), [(2, Nomination.Status.REJECTED), (3, Nomination.Status.APPROVED)])
def test_the_pass_threshold_is_more_than_half_of_the_members(people, hero, category, approvals, status):
    nomination = nominate(people, hero, category)
    actions.open_voting(nomination, by=people["organiser"], secret=False)
    assert queries.tally(nomination).needed == 3  # 5 members, more than 0.5 × 5
    nomination = _vote_and_decide(nomination, people, approvals)
    assert nomination.status == status


def _vote_and_decide(nomination, people, approvals):
    for index, member_ in enumerate(people["council"]):
        actions.vote(nomination, member=member_, choice="approve" if index < approvals else "abstain")
    return actions.decide(nomination, by=people["organiser"], number="1/QĐ", date=timezone.localdate(), signer="A")


def test_approvals_needed_at_the_edges():
    from decimal import Decimal

    assert queries.approvals_needed(5, Decimal("0.5")) == 3
    assert queries.approvals_needed(4, Decimal("0.5")) == 3  # more than half of four
    assert queries.approvals_needed(100, Decimal("0.57")) == 58  # exact decimals, not 56.999…
    assert queries.approvals_needed(5, Decimal("1.00")) == 5  # everyone, not more than everyone
    assert queries.approvals_needed(5, Decimal("0")) == 1
    assert queries.approvals_needed(0, Decimal("0.5")) == 1


def test_the_council_size_is_taken_when_voting_opens(people, hero, category, tree):
    nomination = nominate(people, hero, category)
    actions.open_voting(nomination, by=people["organiser"], secret=False)
    member("hoidong_moi", tree["district"], roles.EMULATION_COUNCIL)  # joins during the vote
    assert queries.tally(nomination).members == 5


def test_a_nomination_can_be_withdrawn_until_it_is_decided(people, hero, category):
    nomination = nominate(people, hero, category, source_key="commitment:1")
    with pytest.raises(ValidationError):
        actions.withdraw(nomination, by=people["a"], reason=" ")
    with pytest.raises(PermissionDenied):
        actions.withdraw(nomination, by=people["b"], reason="Không phải đơn vị tôi")
    assert permissions.actions_for(people["a"], nomination) == {"withdraw"}
    actions.withdraw(nomination, by=people["a"], reason="Đơn vị đề nghị lại sau")
    again = nominate(people, hero, category, source_key="commitment:1")  # the source is free again
    approve(again, people)
    with pytest.raises(ValidationError):
        actions.withdraw(again, by=people["organiser"], reason="Muộn rồi")


def test_achievements_never_carry_contact_details(people, hero, category):
    for text in ("Liên hệ 0912 345 678", "Thư: duc@tayho.vn", "CCCD 001099012345"):
        with pytest.raises(ValidationError):
            nominate(people, hero, category, achievements_html=f"<p>{text}</p>")
    assert not actions.has_contact_details("Giảm thời gian từ 7 xuống 3 ngày, 100% hồ sơ, năm 2026")


def test_the_threshold_is_a_site_setting(people, hero, category, home):
    from wagtail.models import Site

    from emulation.honours.models import HonourSettings

    settings_ = HonourSettings.for_site(Site.objects.get(is_default_site=True))
    settings_.pass_share = 0.75
    settings_.save()
    nomination = nominate(people, hero, category)
    assert queries.tally(nomination).needed == 4


def test_the_decision_needs_its_number_date_and_signer(people, hero, category):
    nomination = nominate(people, hero, category)
    actions.open_voting(nomination, by=people["organiser"], secret=False)
    actions.vote(nomination, member=people["council"][0], choice="approve")
    with pytest.raises(ValidationError) as problem:
        actions.decide(nomination, by=people["organiser"], number=" ", date=None, signer="")
    assert set(problem.value.message_dict) == {"decision_number", "decision_date", "decision_signer"}
    with pytest.raises(PermissionDenied):
        actions.decide(nomination, by=people["council"][0], number="1", date=timezone.localdate(), signer="A")


def test_publishing_copies_only_what_the_person_agreed_to_show(people, hero, category):
    nomination = approve(nominate(people, hero, category, show_position=False), people)
    with pytest.raises(PermissionDenied):
        actions.publish(nomination, by=people["a"])
    honour = actions.publish(nomination, by=people["organiser"], citation="Điển hình về cải cách hành chính")
    assert (honour.name, honour.position, honour.photo, honour.year) == ("Nguyễn Văn Đức", "", None, YEAR)
    assert "nguyen van duc" in honour.search_folded
    with pytest.raises(ValidationError):
        actions.publish(nomination, by=people["organiser"])  # once
    rejected = approve(nominate(people, hero, category, year=YEAR - 1), people, approvals=1)
    with pytest.raises(ValidationError):
        actions.publish(rejected, by=people["organiser"])


def test_revoking_needs_a_reason_keeps_the_record_and_leaves_the_board(people, hero, category):
    honour = actions.publish(approve(nominate(people, hero, category), people), by=people["organiser"])
    assert list(queries.board()) == [honour]
    with pytest.raises(ValidationError):
        actions.revoke(honour, by=people["organiser"], reason=" ")
    actions.revoke(honour, by=people["organiser"], reason="Kê khai không trung thực")
    honour.refresh_from_db()
    assert list(queries.board()) == [] and queries.profile(honour.profile_key) == []
    assert queries.profile("p" + "9" * 30) == []
    assert honour.revoked_reason == "Kê khai không trung thực" and Honour.objects.filter(pk=honour.pk).exists()
    assert AuditEntry.objects.filter(action="honours.revoke").exists()


def test_board_search_folds_diacritics_and_filters(people, hero, category, tree):
    other_category = HonourCategory.objects.create(name="Lao động tiên tiến")
    first = actions.publish(approve(nominate(people, hero, category), people), by=people["organiser"])
    colleague = Person.objects.create(full_name="Lê Thị Hoa", unit=tree["b"])
    second = actions.publish(
        approve(nominate(people, colleague, other_category, by=people["b"], year=YEAR - 1), people),
        by=people["organiser"],
    )
    assert list(queries.board(query="nguyen van duc")) == [first]
    assert list(queries.board(query="LÊ THỊ")) == [second]
    assert list(queries.board(year=YEAR - 1)) == [second]
    assert list(queries.board(category=category)) == [first]
    assert set(queries.board(unit=tree["district"])) == {first, second}  # a unit and the units below it
    fresh_b = type(tree["b"]).objects.get(pk=tree["b"].pk)  # sorted siblings: paths move as units are added
    assert list(queries.board(unit=fresh_b)) == [second]


def test_a_contest_prize_is_proposed_when_the_results_are_published(home, django_capture_on_commit_callbacks):
    from contest.actions.results import publish_results
    from contest.models import Award
    from tests.factories import ContestPageFactory, make_entries

    contest = ContestPageFactory(parent=home)
    named, pen_named = make_entries(contest, 2)
    type(pen_named.entrant).objects.filter(pk=pen_named.entrant.pk).update(show_as="pen_name", pen_name="Hồ Xanh")
    Award.objects.create(contest=contest, entry=named, prize="Giải A", position=1)
    Award.objects.create(contest=contest, entry=pen_named, prize="Giải B", position=2)
    with django_capture_on_commit_callbacks(execute=True):
        publish_results(contest, by=None)
    nomination = Nomination.objects.get()  # the pen name is left to the organisers
    assert nomination.source == Nomination.Source.CONTEST and nomination.source_key == f"award:{contest.pk}:{named.pk}"
    assert nomination.nominee_name == named.entrant.full_name
    assert "Giải A" in nomination.source_note and nomination.status == Nomination.Status.PROPOSED
    with django_capture_on_commit_callbacks(execute=True):
        publish_results(contest, by=None)
    assert Nomination.objects.count() == 1  # once per prize


def test_the_system_suggests_verified_commitments_and_sustained_excellence(people, tree, movement, category):
    from emulation.models import CadreRating, Commitment, UnitMonth

    hero = Person.objects.create(full_name="Phạm Thu Hà", unit=tree["a"])
    Commitment.objects.create(
        movement=movement,
        year=YEAR,
        unit=tree["a"],
        person=hero,
        title="Số hóa hồ sơ",
        target="100%",
        deadline=timezone.localdate(),
        supervisor=tree["front"],
        status=Commitment.Status.VERIFIED_DONE,
    )
    from emulation.periods import months_back

    months = months_back(timezone.localdate().replace(day=1) - datetime.timedelta(days=1), 4)
    for number, month in enumerate(months):  # good, then three excellent months in a row
        unit_month = UnitMonth.objects.create(
            unit=tree["a"], month=month, unit_result="done", finalised_at=timezone.now()
        )
        CadreRating.objects.create(unit_month=unit_month, person=hero, head_rating="excellent" if number else "good")
    keys = {s["key"]: s for s in queries.suggestions()}
    assert any(key.startswith("commitment:") for key in keys)
    sustained = [s for s in keys.values() if s["source"] == Nomination.Source.RATINGS]
    assert len(sustained) == 1 and sustained[0]["person"] == hero and "3" in str(sustained[0]["note"])
    nomination = actions.propose_suggestion(sustained[0]["key"], by=people["a"], category=category)
    assert nomination.source == Nomination.Source.RATINGS
    assert sustained[0]["key"] not in {s["key"] for s in queries.suggestions()}
    with pytest.raises(ValidationError):
        actions.propose_suggestion(sustained[0]["key"], by=people["a"], category=category)
    # One more excellent month extends the same run: nothing new is suggested.
    this_month = timezone.localdate().replace(day=1)
    CadreRating.objects.create(
        unit_month=UnitMonth.objects.create(
            unit=tree["a"], month=this_month, unit_result="done", finalised_at=timezone.now()
        ),
        person=hero,
        head_rating="excellent",
    )
    assert not [s for s in queries.suggestions() if s["source"] == Nomination.Source.RATINGS]
    assert [s["key"] for s in queries.suggestions_for(people["b"])] == []  # another unit's people
