"""No names in blind texts: the author's name, pen name, phone, e-mail, ward or
workplace is found in an item's text with or without diacritics; the organisers redact;
judges read the redacted text, the entry keeps its own."""

import pytest
from django.contrib.auth import get_user_model
from hypothesis import given, settings
from hypothesis import strategies as st

from contest.judging import actions as judging_actions
from contest.judging.models import Assignment, Redaction, Round
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


def _pdf_saying(text):
    """A one-page PDF whose page shows `text` (Helvetica, plain ASCII)."""
    from io import BytesIO

    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_hit_comes_with_the_words_around_it():
    from contest.judging.redact import context

    text = "<p>Hôm ấy trời mưa to, tôi là Nguyễn Văn An, sinh ra ở phường Nhật Tân &amp; lớn lên bên hồ Tây.</p>"
    [hit] = find(text, [("name", "Nguyễn Văn An")])
    before, after = context(text, hit.start, hit.end)
    assert before.endswith("tôi là ") and "<" not in before
    assert after.startswith(", sinh ra ở") and after.endswith("…") and "<" not in after


def test_the_text_of_a_docx_and_a_pdf_is_read_and_pictures_are_skipped():
    from contest.judging.redact import attachment_text
    from tests.factories import docx_bytes, png_bytes

    assert "Tôi là Nguyễn Thị Hoa" in attachment_text(docx_bytes("Tôi là Nguyễn Thị Hoa"), "docx")
    assert "Toi la Nguyen Thi Hoa" in attachment_text(_pdf_saying("Toi la Nguyen Thi Hoa"), "pdf")
    assert attachment_text(png_bytes(), "png") == "" and attachment_text(b"not a zip", "docx") == ""


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_the_scan_finds_the_author_in_the_attachment_and_shows_the_context(client, round_, judges, kind):
    from django.core.files.base import ContentFile

    from contest.models import Entry
    from tests.factories import docx_bytes

    organiser = User.objects.create_superuser("btc", password="mat-khau-dai-123")
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.DRAFT)
    item = round_.items.order_by("pk").first()
    entry = Entry.objects.get(pk=item.object_id)
    name = entry.entrant.full_name
    plain = fold(name).title()  # typed without diacritics: the PDF's font has none
    words = f"Bai du thi nay do {plain} viet tai nha rieng o Ho Tay"
    data = docx_bytes(words) if kind == "docx" else _pdf_saying(words)
    entry.attachment.save(f"bai.{kind}", ContentFile(data), save=True)
    client.force_login(organiser)
    client.post(f"/admin/judging/{round_.pk}/scan/")
    hits = Redaction.objects.get(item=item).hits
    assert [(hit["field"], hit["kind"]) for hit in hits] == [("attachment", "name")]
    assert hits[0]["before"].endswith("nay do ") and hits[0]["after"].startswith(" viet tai")
    html = client.get(f"/admin/judging/{round_.pk}/").content.decode()
    assert f"nay do <mark>{plain}</mark> viet tai" in html


def test_judges_do_not_get_an_attachment_that_names_its_author_in_a_blind_round(client, round_, judges):
    from django.core.files.base import ContentFile

    from contest.models import Entry
    from tests.factories import docx_bytes

    organiser = User.objects.create_superuser("btc", password="mat-khau-dai-123")
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.DRAFT, blind=True)
    round_.refresh_from_db()
    named, clean = round_.items.order_by("pk")[:2]
    for item, words in (
        (named, f"Bai nay do {fold(Entry.objects.get(pk=named.object_id).entrant.full_name)} viet"),
        (clean, "Bai viet ve Ho Tay"),
    ):
        entry = Entry.objects.get(pk=item.object_id)
        entry.attachment.save("bai.docx", ContentFile(docx_bytes(words)), save=True)
    judging_actions.scan_round(round_, by=organiser)
    judging_actions.open_round(round_, by=organiser)
    judging_actions.assign_round(round_, by=organiser)

    withheld = Assignment.objects.filter(item=named).first()
    client.force_login(withheld.judge)
    page = client.get(f"/cham-bai/{withheld.pk}/").content.decode()
    assert f"/cham-bai/{withheld.pk}/tep-dinh-kem/" not in page and "không được gửi tới giám khảo" in page
    assert client.get(f"/cham-bai/{withheld.pk}/tep-dinh-kem/").status_code == 404
    kept = Assignment.objects.filter(item=clean).first()
    client.force_login(kept.judge)
    assert client.get(f"/cham-bai/{kept.pk}/tep-dinh-kem/").status_code == 200
