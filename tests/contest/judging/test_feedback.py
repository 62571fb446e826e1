"""Judges' feedback to entrants: a comment for the author apart from the note to the
organisers, shown on the entrant's own private page after the results when the round
says so; the results e-mail says it is there."""

import pytest
from django.contrib.auth import get_user_model

from contest.judging import actions as judging_actions
from contest.judging.models import Assignment, Round
from tayho_site.submissions import hash_token, new_access_token
from tests.factories import points_for

pytestmark = pytest.mark.django_db

User = get_user_model()


def private_link(entry):
    token = new_access_token()
    entry.access_token_hash = hash_token(token)
    entry.save(update_fields=["access_token_hash"])
    return f"/bai-du-thi/{token}/"


def scored_round(round_, judges, *, feedback_to_entrants=True):
    round_.feedback_to_entrants = feedback_to_entrants
    round_.save()
    judging_actions.assign_round(round_, by=judges[0])
    for assignment in Assignment.objects.select_related("item").order_by("pk"):
        code = assignment.item.subject.tracking_code
        judging_actions.save_review(
            assignment,
            points=points_for(round_, int(code[-1]), 5),
            comment=f"Ghi chú cho BTC về {code} của {assignment.judge.username}",
            feedback=f"Góp ý cho tác giả {code}, lần {assignment.pk}",
            submit=True,
            by=assignment.judge,
        )
    organiser = User.objects.create_superuser("btc", password="mat-khau-dai-123")
    judging_actions.close_round(round_, by=organiser)
    return organiser


def publish(round_, organiser, django_capture_on_commit_callbacks):
    from django.core import mail

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        round_.call.specific.judging_publish(by=organiser)
        judging_actions.mark_published(round_, by=organiser)
    return mail.outbox


def test_an_entrant_reads_the_judges_feedback_unnamed_after_the_results(
    client, round_, judges, django_capture_on_commit_callbacks
):
    from contest.models import Entry

    organiser = scored_round(round_, judges)
    entry = Entry.objects.get(tracking_code="KVTH26-0004")
    link = private_link(entry)
    assert "Góp ý cho tác giả" not in client.get(link).content.decode()  # not before the results
    outbox = publish(round_, organiser, django_capture_on_commit_callbacks)
    html = client.get(link).content.decode()
    assert html.count("Góp ý cho tác giả KVTH26-0004") == 2
    assert "Ghi chú cho BTC" not in html  # the note to the organisers stays theirs
    assert not any(judge.username in html for judge in judges)  # judges unnamed
    assert "4,0 / 10" in html or "4.0 / 10" in html  # mean points per criterion
    mail_to_entrant = next(m for m in outbox if m.to == [entry.entrant.email])
    assert "trang riêng" in mail_to_entrant.body


def test_an_entrant_sees_only_their_own_feedback_and_a_changed_link_gets_nothing(
    client, round_, judges, django_capture_on_commit_callbacks
):
    from contest.models import Entry

    organiser = scored_round(round_, judges)
    publish(round_, organiser, django_capture_on_commit_callbacks)
    mine, theirs = Entry.objects.get(tracking_code="KVTH26-0001"), Entry.objects.get(tracking_code="KVTH26-0002")
    link = private_link(mine)
    private_link(theirs)
    html = client.get(link).content.decode()
    assert "Góp ý cho tác giả KVTH26-0001" in html
    assert "KVTH26-0002" not in html
    assert client.get(link[:-2] + ("A/" if link[-2] != "A" else "B/")).status_code == 404
    assert client.get(f"/bai-du-thi/{mine.pk}/").status_code == 404


def test_no_feedback_unless_the_round_gives_it(client, round_, judges, django_capture_on_commit_callbacks):
    from contest.models import Entry

    organiser = scored_round(round_, judges, feedback_to_entrants=False)
    outbox = publish(round_, organiser, django_capture_on_commit_callbacks)
    entry = Entry.objects.get(tracking_code="KVTH26-0003")
    assert Round.objects.get(pk=round_.pk).status == Round.Status.PUBLISHED
    assert "Góp ý cho tác giả" not in client.get(private_link(entry)).content.decode()
    assert "trang riêng" not in next(m for m in outbox if m.to == [entry.entrant.email]).body
