"""No names in blind texts: the author's name, pen name, phone, e-mail, ward or
workplace is found in an item's text with or without diacritics; the organisers redact;
judges read the redacted text, the entry keeps its own."""

import pytest
from django.contrib.auth import get_user_model
from hypothesis import given, settings
from hypothesis import strategies as st

from contest.judging import actions as judging_actions
from contest.judging.models import Assignment, Round
from contest.judging.redact import MASK, find, fold, redact

User = get_user_model()

AUTHOR = [
    ("name", "Nguyễn Thị Đào"),
    ("pen_name", "Bút Hồ Tây"),
    ("phone", "0912 345 678"),
    ("email", "dao.nguyen@example.vn"),
    ("ward", "Quảng An"),
    ("workplace", "Trường THCS Chu Văn An"),
]


def test_folding_drops_vietnamese_diacritics_and_d_stroke():
    assert fold("Nguyễn Thị Đào, Đường Thụy Khuê") == "nguyen thi dao, duong thuy khue"


@pytest.mark.parametrize(
    "text",
    [
        "Tôi là Nguyễn Thị Đào, viết bài này.",
        "Toi la nguyen thi dao, viet bai nay.",
        "TÔI LÀ NGUYỄN THỊ ĐÀO.",
        "Tôi là Nguyễn  Thị\nĐào.",
    ],
)
def test_the_name_is_found_typed_with_or_without_diacritics(text):
    hits = find(text, AUTHOR)
    assert [hit.kind for hit in hits] == ["name"]
    assert text[hits[0].start : hits[0].end].replace("\n", " ").replace("  ", " ").lower() in (
        "nguyễn thị đào",
        "nguyen thi dao",
    )


def test_phone_email_ward_workplace_and_pen_name_are_found():
    text = (
        "Liên hệ 0912.345.678 hoặc +84 912 345 678, thư dao.nguyen@example.vn; nhà ở phường Quang An, "
        "dạy ở trường thcs chu van an; bút danh Bút Hồ Tây."
    )
    kinds = [hit.kind for hit in find(text, AUTHOR)]
    assert kinds.count("phone") == 2 and {"email", "ward", "workplace", "pen_name"} <= set(kinds)


def test_no_false_hit_inside_longer_words_or_numbers():
    assert find("Quảng Anh và 09123456789 không phải.", AUTHOR) == []


def test_redaction_blanks_every_hit_and_keeps_the_rest():
    text = "<p>Tôi, Nguyễn Thị Đào (0912345678), yêu Hồ Tây.</p>"
    redacted = redact(text, find(text, AUTHOR))
    assert redacted == f"<p>Tôi, {MASK} ({MASK}), yêu Hồ Tây.</p>"


@settings(max_examples=80, deadline=None)
@given(before=st.text(max_size=40), after=st.text(max_size=40))
def test_a_name_put_anywhere_is_found_and_redacted(before, after):
    text = f"{before} Nguyen Thi Dao {after}"
    redacted = redact(text, find(text, AUTHOR))
    assert "nguyen thi dao" not in fold(redacted)


@pytest.mark.django_db
def test_organisers_see_the_hits_and_redact_judges_read_the_redacted_text(client, round_, judges):
    from contest.models import Entry

    organiser = User.objects.create_superuser("btc", password="mat-khau-dai-123")
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.DRAFT)
    round_.refresh_from_db()
    item = round_.items.order_by("pk").first()
    entry = Entry.objects.get(pk=item.object_id)
    original = f"<p>Tôi là {entry.entrant.full_name.upper()}, gọi 0912 345 678.</p>"
    Entry.objects.filter(pk=entry.pk).update(body=original)
    client.force_login(organiser)
    client.post(f"/admin/judging/{round_.pk}/scan/")
    html = client.get(f"/admin/judging/{round_.pk}/").content.decode()
    assert item.code in html and entry.entrant.full_name.upper() in html and "0912 345 678" in html
    client.post(f"/admin/judging/{round_.pk}/redact/", {"item": item.pk})
    judging_actions.open_round(round_, by=organiser)
    judging_actions.assign_round(round_, by=organiser)
    assignment = Assignment.objects.filter(item=item).first()
    client.force_login(assignment.judge)
    page = client.get(f"/cham-bai/{assignment.pk}/").content.decode()
    assert entry.entrant.full_name.upper() not in page and "0912 345 678" not in page and MASK in page
    assert Entry.objects.get(pk=entry.pk).body == original  # the entry keeps what was sent
    judge_client = client.__class__()
    judge_client.force_login(judges[0])
    assert judge_client.post(f"/admin/judging/{round_.pk}/scan/").status_code in (302, 403)
