"""An accepted idea tracked to done on its public page: the unit's commitment with its
progress, reports and milestones (done, overdue, to come) on the timeline, within 15
queries for a 20-step timeline."""

import datetime

import pytest
from django.utils import timezone

from emulation.actions import commitments as commitment_actions
from emulation.models import Milestone, MovementPage
from ideas.actions import referring
from referrals import actions as referral_actions
from referrals.models import Referral
from tayho_site import roles
from tests.factories import member, published_idea

pytestmark = pytest.mark.django_db


@pytest.fixture
def movement(home):
    page = MovementPage(title="Phong trào Chỉ thị 24", slug="chi-thi-24", period_start=datetime.date(2023, 9, 1))
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def tracked_idea(call, sector, tree, reports=0, milestones=0):
    """An idea referred to unit A, accepted with a plan date 90 days on, with `milestones`
    milestones (the first one missed) and `reports` progress reports."""
    officer = member("cb_a", tree["a"], roles.UNIT_OFFICERS)
    idea = published_idea(call, sector)
    today = timezone.localdate()
    referral = referring.refer(idea, unit=tree["a"], by=None)
    referral = referral_actions.answer(
        referral,
        outcome=Referral.Outcome.ACCEPTED,
        text="Sẽ nạo vét mương trong quý tới",
        by=officer,
        plan_date=today + datetime.timedelta(days=90),
        milestones=[(f"Mốc {n + 1}", today + datetime.timedelta(days=n + 1)) for n in range(milestones)],
    )
    commitment = referral.commitment
    for n in range(reports):
        commitment_actions.report_progress(
            commitment, by=officer, percent=min(5 * (n + 1), 99), narrative=f"Báo cáo {n + 1}"
        )
    if milestones:  # the first milestone was due yesterday and is not done
        Milestone.objects.filter(commitment=commitment, title="Mốc 1").update(due_on=today - datetime.timedelta(days=1))
    return idea, referral, officer


def test_the_idea_page_shows_the_commitment_with_progress_and_a_missed_milestone(client, call, sector, tree, movement):
    idea, referral, officer = tracked_idea(call, sector, tree, reports=2, milestones=2)
    html = client.get(idea.get_absolute_url()).content.decode()
    assert "Commitment of Phòng A" in html or "Cam kết của Phòng A" in html
    assert 'value="10"' in html and "Báo cáo 2" in html and "Mốc 2" in html
    assert "badge--overdue" in html  # Mốc 1 missed


def test_a_commitment_not_public_stays_off_the_page(client, call, sector, tree, movement):
    idea, referral, officer = tracked_idea(call, sector, tree, reports=1, milestones=0)
    referral.commitment.public = False
    referral.commitment.save(update_fields=["public"])
    assert "Báo cáo 1" not in client.get(idea.get_absolute_url()).content.decode()


def test_an_idea_page_with_a_20_step_timeline_stays_within_15_queries(
    client, call, sector, tree, movement, django_assert_max_num_queries
):
    idea, referral, officer = tracked_idea(call, sector, tree, reports=10, milestones=6)
    url = idea.get_absolute_url()
    client.get(url)  # the site's caches warm
    with django_assert_max_num_queries(15):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="timeline__step') >= 20


def test_the_authors_private_page_follows_the_commitment_too(client, call, sector, tree, movement):
    from ideas.actions import authors, moderation
    from tests.factories import send_idea

    officer = member("cb_a", tree["a"], roles.UNIT_OFFICERS)
    submission = send_idea(call, sector, email="tac.gia@example.vn")
    idea, token = submission.idea, submission.access_token
    authors.confirm_idea(idea)
    idea = moderation.publish(idea, by=None)
    referral = referral_actions.answer(
        referring.refer(idea, unit=tree["a"], by=None),
        outcome=Referral.Outcome.ACCEPTED,
        text="Sẽ làm",
        by=officer,
        plan_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    commitment_actions.report_progress(referral.commitment, by=officer, percent=30, narrative="Đã khảo sát hiện trạng")
    assert "Đã khảo sát hiện trạng" in client.get(f"/ho-so-y-tuong/{token}/").content.decode()
