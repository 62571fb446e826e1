import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from contest.judging import actions as judging_actions
from contest.judging import queries as judging_queries
from contest.judging.models import Assignment, Review, Round
from tayho_site.models import AuditEntry
from tests.factories import make_entries, points_for

pytestmark = pytest.mark.django_db

User = get_user_model()


def test_items_are_identified_by_code_only(round_):
    codes = list(round_.items.values_list("code", flat=True))
    assert len(set(codes)) == 6 and all(re.fullmatch(r"[A-HJKMNP-Z2-9]{3}-[A-HJKMNP-Z2-9]{3}", c) for c in codes)
    assert judging_actions.add_items(round_, [item.subject for item in round_.items.all()]) == []  # no duplicates


def test_assignment_gives_each_item_its_judges_evenly_and_is_audited(round_, judges):
    organiser = User.objects.create_superuser("btc", password="mat-khau-dai-123")
    assert judging_actions.assign_round(round_, by=organiser) == 12
    per_judge = [Assignment.objects.filter(judge=j).count() for j in judges]
    assert sorted(per_judge) == [3, 3, 3, 3]
    assert judging_actions.assign_round(round_, by=organiser) == 0  # nothing left to assign
    assert AuditEntry.objects.filter(action="judging.assign").count() == 2


def test_a_judge_scores_saves_a_draft_submits_and_is_then_locked(round_, judges):
    judging_actions.assign_round(round_, by=judges[0])
    assignment = Assignment.objects.filter(judge=judges[0]).first()
    draft = judging_actions.save_review(
        assignment, points=points_for(round_, 7, ""), comment="Chưa xong", submit=False, by=judges[0]
    )
    assert draft.status == Review.Status.DRAFT and len(draft.points) == 1
    with pytest.raises(ValidationError):  # a criterion left empty
        judging_actions.save_review(assignment, points=points_for(round_, 7, ""), comment="", submit=True, by=judges[0])
    with pytest.raises(ValidationError):  # beyond the maximum
        judging_actions.save_review(assignment, points=points_for(round_, 11, 5), comment="", submit=True, by=judges[0])
    done = judging_actions.save_review(
        assignment, points=points_for(round_, 8, 6), comment="Tốt", submit=True, by=judges[0]
    )
    assert done.status == Review.Status.SUBMITTED
    with pytest.raises(ValidationError):
        judging_actions.save_review(assignment, points=points_for(round_, 1, 1), comment="", submit=True, by=judges[0])
    actions = list(AuditEntry.objects.filter(action__startswith="judging.review").values_list("action", flat=True))
    assert actions.count("judging.review.save") == 1 and actions.count("judging.review.submit") == 1


def test_a_judge_cannot_score_or_recuse_from_another_judges_item(round_, judges):
    judging_actions.assign_round(round_, by=judges[0])
    theirs = Assignment.objects.filter(judge=judges[1]).first()
    with pytest.raises(PermissionDenied):
        judging_actions.save_review(theirs, points=points_for(round_, 1, 1), comment="", submit=True, by=judges[0])
    with pytest.raises(PermissionDenied):
        judging_actions.recuse(theirs, reason="Không phải việc của tôi", by=judges[0])
    assert not Review.objects.exists()


def test_recusal_needs_a_reason_and_hands_the_item_to_another_judge(round_, judges):
    judging_actions.assign_round(round_, by=judges[0])
    mine = Assignment.objects.filter(judge=judges[0]).first()
    with pytest.raises(ValidationError):
        judging_actions.recuse(mine, reason="  ", by=judges[0])
    replacement = judging_actions.recuse(mine, reason="Tác giả là người thân", by=judges[0])
    assert replacement.item == mine.item and replacement.judge != judges[0]
    active = Assignment.objects.filter(item=mine.item, recused_at__isnull=True)
    assert active.count() == 2 and not active.filter(judge=judges[0]).exists()
    assert judging_actions.assign_round(round_, by=judges[0]) == 0  # the recused judge is not put back


def test_only_organisers_reopen_and_it_is_audited(round_, judges):
    judging_actions.assign_round(round_, by=judges[0])
    assignment = Assignment.objects.filter(judge=judges[0]).first()
    review = judging_actions.save_review(
        assignment, points=points_for(round_, 5, 5), comment="", submit=True, by=judges[0]
    )
    with pytest.raises(PermissionDenied):
        judging_actions.reopen_review(review, by=judges[0], reason="Tôi muốn sửa")
    organiser = User.objects.create_superuser("btc", password="mat-khau-dai-123")
    assert judging_actions.reopen_review(review, by=organiser, reason="Chấm nhầm").status == Review.Status.DRAFT
    assert AuditEntry.objects.filter(action="judging.review.reopen", actor=organiser).exists()


def test_closing_ranks_from_the_stored_reviews(round_, judges):
    judging_actions.assign_round(round_, by=judges[0])
    scores = {}
    for assignment in Assignment.objects.select_related("item").order_by("pk"):
        idea = int(assignment.item.subject.tracking_code[-1])  # item 6 best, item 1 worst
        judging_actions.save_review(
            assignment, points=points_for(round_, idea, 5), comment="", submit=True, by=assignment.judge
        )
        scores[assignment.item_id] = idea
    organiser = User.objects.create_superuser("btc", password="mat-khau-dai-123")
    ranking = judging_actions.close_round(round_, by=organiser)
    round_.refresh_from_db()
    assert round_.status == Round.Status.CLOSED
    assert [scores[r.item] for r in ranking] == [6, 5, 4, 3, 2, 1]
    assert ranking[0].score == 2 * 6 + 5 and ranking[0].reviews == 2
    assert judging_queries.compute_ranking(round_) == judging_queries.compute_ranking(round_)  # reproducible
    assert AuditEntry.objects.filter(action="judging.close").get().data["top"][0]["rank"] == 1


def test_organiser_runs_a_round_from_the_admin(client, contest, judges):
    import datetime

    from django.utils import timezone

    from contest.judging.models import Criterion

    make_entries(contest, 5)
    organiser = User.objects.create_superuser("btc", password="mat-khau-dai-123")
    client.force_login(organiser)
    now = timezone.now()
    round_ = Round.objects.create(
        call=contest,
        name="Chung khảo",
        scoring_opens_at=now,
        judges_per_item=2,
        scoring_closes_at=now + datetime.timedelta(days=7),
    )
    Criterion.objects.create(round=round_, name="Ý tưởng", max_points=10)
    round_.judges.set(judges)
    round_.save()
    base = f"/admin/judging/{round_.pk}/"
    assert "Chưa có" not in client.get(base).content.decode()
    assert "0/0 bài chưa đủ 2 phiếu" in client.get(base).content.decode()
    client.post(base + "add-entries/")
    client.post(base + "assign/")
    client.post(base + "open/")
    assert "5/5 bài chưa đủ 2 phiếu" in client.get(base).content.decode()
    round_.refresh_from_db()
    assert round_.items.count() == 5 and round_.status == Round.Status.SCORING
    for assignment in Assignment.objects.filter(item__round=round_):
        best = int(assignment.item.subject.tracking_code[-1])
        judging_actions.save_review(
            assignment, points=points_for(round_, best), comment="", submit=True, by=assignment.judge
        )
    client.post(base + "close/")
    html = client.get(base + "?method=zscore").content.decode()
    assert "Xếp hạng" in html and html.index("KVTH26-0005") < html.index("KVTH26-0001")
    judge_client = client.__class__()
    judge_client.force_login(judges[0])
    assert judge_client.get(base).status_code in (302, 403)


def test_round_listing_links_to_its_progress_page(client, round_):
    client.force_login(User.objects.create_superuser("btc", password="mat-khau-dai-123"))
    html = client.get("/admin/judging-rounds/").content.decode()
    assert f'href="/admin/judging/{round_.pk}/"' in html


def closed_round(round_, judges):
    judging_actions.assign_round(round_, by=judges[0])
    for assignment in Assignment.objects.select_related("item"):
        best = int(assignment.item.subject.tracking_code[-1])
        judging_actions.save_review(
            assignment, points=points_for(round_, best, 5), comment="", submit=True, by=assignment.judge
        )
    organiser = User.objects.create_superuser("btc", password="mat-khau-dai-123")
    judging_actions.close_round(round_, by=organiser)
    return organiser


def test_top_items_advance_to_the_next_round(round_, judges):
    import datetime

    from django.utils import timezone

    organiser = closed_round(round_, judges)
    final = Round.objects.create(
        call=round_.call,
        name="Chung khảo",
        previous=round_,
        position=2,
        scoring_opens_at=timezone.now(),
        scoring_closes_at=timezone.now() + datetime.timedelta(days=7),
    )
    assert judging_actions.advance(round_, final, 3, by=organiser) == 3
    assert sorted(item.subject.tracking_code for item in final.items.all()) == [
        "KVTH26-0004",
        "KVTH26-0005",
        "KVTH26-0006",
    ]


def test_prizes_are_published_on_the_contest_page_and_every_entrant_is_told(
    client, round_, judges, contest, django_capture_on_commit_callbacks
):
    from django.core import mail

    from contest.actions import results
    from contest.models import Entry

    organiser = closed_round(round_, judges)
    winner = Entry.objects.get(tracking_code="KVTH26-0006")
    winner.entrant.pen_name, winner.entrant.show_as = "Bút Hồ Tây", "pen_name"
    winner.entrant.save()
    results.award(contest, winner, "Giải Đặc biệt", 1, by=organiser)
    assert "Giải Đặc biệt" not in client.get(contest.url).content.decode()  # not before publishing
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        told = results.publish_results(contest, by=organiser)
    assert told == 6 and len(mail.outbox) == 6
    html = client.get(contest.url).content.decode()
    assert "Giải Đặc biệt" in html and "Bút Hồ Tây" in html and winner.title in html
    assert winner.entrant.full_name not in html  # the author chose the pen name
    to_winner = next(m for m in mail.outbox if m.to == [winner.entrant.email])
    assert "Giải Đặc biệt" in to_winner.body
    assert AuditEntry.objects.filter(action="contest.results.publish").exists()


def test_scoring_sheets_per_judge_item_and_criterion(client, round_, judges):
    import io

    from openpyxl import load_workbook

    organiser = closed_round(round_, judges)
    client.force_login(organiser)
    response = client.get(f"/admin/judging/{round_.pk}/scores.xlsx")
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    per_judge, per_item, per_criterion = workbook.worksheets
    assert per_judge.max_row == 1 + 12 and per_item.max_row == 1 + 6 and per_criterion.max_row == 1 + 2
    from contest.models import Entry

    code = round_.items.get(object_id=Entry.objects.get(tracking_code="KVTH26-0006").pk).code
    best = next(row for row in per_item.iter_rows(min_row=2, values_only=True) if row[0] == code)
    cells = [str(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row]
    assert not any("KVTH26" in cell for cell in cells)  # the sheets can go to the judges
    assert best[1:] == (2, 6.0, 5.0, 17.0)
    judge_client = client.__class__()
    judge_client.force_login(judges[0])
    refused = judge_client.get(f"/admin/judging/{round_.pk}/scores.xlsx")
    assert refused.status_code in (302, 403) and not refused.content.startswith(b"PK")


def test_scoring_sheets_keep_names_and_comments_as_text(client, round_, judges):
    from contest.judging.models import Review
    from tests.support.spreadsheets import xlsx_cells, xlsx_formulas

    round_.criteria.filter(name="Trình bày").update(name='=HYPERLINK("http://evil")')
    judges[0].first_name = "@SUM(1)"
    judges[0].save()
    organiser = closed_round(round_, judges)
    Review.objects.filter(assignment__judge=judges[1]).update(comment=" -2+3")
    client.force_login(organiser)
    content = client.get(f"/admin/judging/{round_.pk}/scores.xlsx").content
    assert xlsx_formulas(content) == []
    values = [cell.value for cell in xlsx_cells(content)]
    assert '\'=HYPERLINK("http://evil")' in values  # a header, and a row of the criteria sheet
    assert "'@SUM(1)" in values and "' -2+3" in values
    assert 17.0 in values  # scores stay numbers


def test_only_judges_who_are_behind_are_reminded(round_, judges, django_capture_on_commit_callbacks):
    from django.core import mail

    for n, judge in enumerate(judges):
        judge.email = f"gk{n}@example.vn"
        judge.save()
    judging_actions.assign_round(round_, by=judges[0])
    for assignment in Assignment.objects.filter(judge=judges[0]):
        judging_actions.save_review(assignment, points=points_for(round_, 5, 5), comment="", submit=True, by=judges[0])
    organiser = User.objects.create_superuser("btc", password="mat-khau-dai-123")
    with django_capture_on_commit_callbacks(execute=True):
        assert judging_actions.remind_late_judges(round_, by=organiser) == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["gk1@example.vn", "gk2@example.vn", "gk3@example.vn"]
    assert "3" in mail.outbox[0].subject and "/cham-bai/" in mail.outbox[0].body


def test_the_daily_job_reminds_judges_of_rounds_closing_soon_once_a_day(
    round_, judges, django_capture_on_commit_callbacks
):
    import datetime
    import io

    from django.core import mail
    from django.core.management import call_command
    from django.utils import timezone

    for n, judge in enumerate(judges):
        judge.email = f"gk{n}@example.vn"
        judge.save()
    judging_actions.assign_round(round_, by=judges[0])

    def run():
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("remind_late_judges", "--site-url", "https://tayho.example.vn", stdout=out)
        return out.getvalue()

    assert run() == "" and mail.outbox == []  # closes in 14 days: not yet
    round_.scoring_closes_at = timezone.now() + datetime.timedelta(days=2)
    round_.save()
    assert run() == "Sơ khảo: 4 judges reminded\n"
    assert len(mail.outbox) == 4 and "https://tayho.example.vn/cham-bai/" in mail.outbox[0].body
    assert run() == "" and len(mail.outbox) == 4  # once a day


def test_organiser_assigns_by_hand_reopens_and_the_remainder_is_filled(client, round_, judges):
    organiser = User.objects.create_superuser("btc", password="mat-khau-dai-123")
    client.force_login(organiser)
    item = round_.items.order_by("code").first()
    response = client.post("/admin/judging-assignments/new/", {"item": item.pk, "judge": judges[3].pk})
    assert response.status_code == 302
    by_hand = Assignment.objects.get(item=item, judge=judges[3])
    assert by_hand.by_hand
    judging_actions.assign_round(round_, by=organiser)
    assert set(Assignment.objects.filter(item=item).values_list("judge", flat=True)) >= {judges[3].pk}
    assert Assignment.objects.filter(item=item).count() == 2  # the hand-made one counts toward the two
    judging_actions.save_review(by_hand, points=points_for(round_, 5, 5), comment="", submit=True, by=judges[3])
    client.post(
        f"/admin/judging/{round_.pk}/reopen/",
        {"code": item.code, "judge": judges[3].username, "reason": "Nhập nhầm điểm"},
    )
    assert Review.objects.get(assignment=by_hand).status == Review.Status.DRAFT
    assert AuditEntry.objects.filter(action="judging.review.reopen", summary="Nhập nhầm điểm").exists()


def test_round_transitions_are_checked(round_, judges):
    organiser = User.objects.create_superuser("btc", password="mat-khau-dai-123")
    with pytest.raises(ValidationError):
        judging_actions.open_round(round_, by=organiser)  # already scoring
    with pytest.raises(ValidationError):
        judging_actions.mark_published(round_, by=organiser)  # not closed yet
    judging_actions.close_round(round_, by=organiser)
    assert judging_actions.mark_published(round_, by=organiser).status == Round.Status.PUBLISHED
    assert AuditEntry.objects.filter(action="judging.published").exists()


def test_published_results_stay_within_the_query_budget(client, round_, judges, contest, django_assert_max_num_queries):
    from contest.actions import results
    from contest.models import Entry

    organiser = closed_round(round_, judges)
    for position, entry in enumerate(Entry.objects.order_by("pk"), start=1):
        results.award(contest, entry, f"Giải {position}", position, by=organiser)
    results.publish_results(contest, by=organiser)
    client.get(contest.url)
    with django_assert_max_num_queries(15):
        html = client.get(contest.url).content.decode()
    assert html.count("results__item") == 6


# --- Each round gives its items codes of their own


def test_every_round_gives_each_item_a_random_code_of_its_own(round_, judges):
    import datetime

    from django.utils import timezone

    from contest.models import Entry

    entries = {item.object_id: item.code for item in round_.items.all()}
    tracking = dict(Entry.objects.values_list("pk", "tracking_code"))
    assert len(set(entries.values())) == len(entries)  # unique within the round
    for entry_id, code in entries.items():
        # Random, not derived: never the tracking code nor its number (a digit may still
        # happen to end a random code, so the test does not look at single digits).
        assert tracking[entry_id] not in code and tracking[entry_id].split("-")[-1] not in code
    second = Round.objects.create(
        call=round_.call,
        name="Chung khảo",
        position=2,
        scoring_opens_at=timezone.now(),
        scoring_closes_at=timezone.now() + datetime.timedelta(days=7),
    )
    judging_actions.add_items(second, Entry.objects.all())
    again = dict(second.items.values_list("object_id", "code"))
    assert again.keys() == entries.keys()
    assert all(again[entry_id] != entries[entry_id] for entry_id in entries)  # per round


# --- Locked reviews stay locked


def test_a_judge_cannot_step_back_after_submitting(round_, judges):
    judging_actions.assign_round(round_, by=judges[0])
    mine = Assignment.objects.filter(judge=judges[0]).first()
    judging_actions.save_review(mine, points=points_for(round_, 9, 9), comment="", submit=True, by=judges[0])
    with pytest.raises(ValidationError) as refused:
        judging_actions.recuse(mine, reason="Nghĩ lại thì tác giả là người quen", by=judges[0])
    assert "đã nộp" in " ".join(refused.value.messages)
    mine.refresh_from_db()
    assert mine.recused_at is None and not AuditEntry.objects.filter(action="judging.recuse").exists()
    assert any(r.item == mine.item_id for r in judging_queries.compute_ranking(round_))  # the score still counts


def test_a_judge_cannot_step_back_once_the_round_is_closed(round_, judges):
    judging_actions.assign_round(round_, by=judges[0])
    mine = Assignment.objects.filter(judge=judges[0]).first()
    organiser = User.objects.create_superuser("btc", password="mat-khau-dai-123")
    judging_actions.close_round(round_, by=organiser)
    with pytest.raises(ValidationError) as refused:
        judging_actions.recuse(mine, reason="Tác giả là người thân", by=judges[0])
    assert "đang chấm" in " ".join(refused.value.messages)
    mine.refresh_from_db()
    assert mine.recused_at is None and Assignment.objects.count() == 12  # nobody else given the item


def test_a_review_is_reopened_only_while_the_round_is_scoring(round_, judges):
    organiser = closed_round(round_, judges)
    review = Review.objects.first()
    with pytest.raises(ValidationError):
        judging_actions.reopen_review(review, by=organiser, reason="Muộn rồi")
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED


def test_hand_assignment_refuses_a_conflicted_judge_or_one_outside_the_panel(client, round_, judges):
    from contest.judging.models import Conflict

    organiser = User.objects.create_superuser("btc", password="mat-khau-dai-123")
    outsider = User.objects.create_user("nguoingoai", password="mat-khau-dai-123")
    item = round_.items.first()
    Conflict.objects.create(item=item, judge=judges[1], reason="Là người thân của tác giả")
    client.force_login(organiser)
    conflicted = client.post("/admin/judging-assignments/new/", {"item": item.pk, "judge": judges[1].pk})
    assert conflicted.status_code == 200 and "xung đột lợi ích" in conflicted.content.decode()
    outside = client.post("/admin/judging-assignments/new/", {"item": item.pk, "judge": outsider.pk})
    assert outside.status_code == 200 and "không thuộc Ban giám khảo của vòng" in outside.content.decode()
    assert not Assignment.objects.exists()
    with pytest.raises(ValidationError):
        judging_actions.assign_by_hand(item, judges[1], by=organiser)
    with pytest.raises(ValidationError):
        judging_actions.assign_by_hand(item, outsider, by=organiser)
    with pytest.raises(PermissionDenied):
        judging_actions.assign_by_hand(item, judges[2], by=judges[0])
    assert client.post("/admin/judging-assignments/new/", {"item": item.pk, "judge": judges[2].pk}).status_code == 302
    assert AuditEntry.objects.filter(action="judging.assign.hand").count() == 1


def test_the_judge_of_an_assignment_with_a_review_cannot_be_changed(client, round_, judges):
    judging_actions.assign_round(round_, by=judges[0])
    mine = Assignment.objects.filter(judge=judges[0]).first()
    judging_actions.save_review(
        mine, points=points_for(round_, 8, 8), comment="Phiếu của tôi", submit=True, by=judges[0]
    )
    free = next(j for j in judges if not Assignment.objects.filter(item=mine.item, judge=j).exists())
    organiser = User.objects.create_superuser("btc", password="mat-khau-dai-123")
    client.force_login(organiser)
    response = client.post(f"/admin/judging-assignments/edit/{mine.pk}/", {"item": mine.item_id, "judge": free.pk})
    assert response.status_code == 200 and "đã có phiếu chấm" in response.content.decode()
    mine.refresh_from_db()
    assert mine.judge == judges[0] and mine.review.comment == "Phiếu của tôi"
    with pytest.raises(ValidationError):
        judging_actions.change_assignment(mine, item=mine.item, judge=free, by=organiser)
    # Without a review, the judge can still be changed (audited).
    other = Assignment.objects.filter(judge=judges[1]).exclude(item=mine.item).first()
    spare = next(j for j in judges if not Assignment.objects.filter(item=other.item, judge=j).exists())
    response = client.post(f"/admin/judging-assignments/edit/{other.pk}/", {"item": other.item_id, "judge": spare.pk})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.judge == spare and other.by_hand
    assert AuditEntry.objects.filter(action="judging.assign.hand").exists()


def test_an_assignment_with_a_review_cannot_be_deleted_in_the_admin(client, round_, judges):
    judging_actions.assign_round(round_, by=judges[0])
    mine = Assignment.objects.filter(judge=judges[0]).first()
    judging_actions.save_review(mine, points=points_for(round_, 8, 8), comment="", submit=True, by=judges[0])
    client.force_login(User.objects.create_superuser("btc", password="mat-khau-dai-123"))
    response = client.post(f"/admin/judging-assignments/delete/{mine.pk}/", follow=True)
    assert "đã có phiếu chấm" in response.content.decode()
    assert Review.objects.filter(assignment=mine).exists()
    assert any(r.item == mine.item_id for r in judging_queries.compute_ranking(round_))
    unscored = Assignment.objects.filter(judge=judges[1]).first()
    assert client.post(f"/admin/judging-assignments/delete/{unscored.pk}/").status_code == 302
    assert not Assignment.objects.filter(pk=unscored.pk).exists()
    assert AuditEntry.objects.filter(action="judging.assign.delete").count() == 1
