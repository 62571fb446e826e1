"""The one upload check: files are judged by their bytes, renamed, and cleaned of what
names or locates their sender before anything is stored."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader, PdfWriter

from tayho_site.validators import checked_picture_or_document, checked_upload
from tests.factories import IDENTITY, OFFICE_RELS, RELS, docx_bytes, jpeg_bytes, pdf_bytes, png_bytes

ALL = {"jpeg", "png", "pdf", "docx"}


def check(name, content, kinds=ALL, **kwargs):
    upload, kind, original = checked_upload(SimpleUploadedFile(name, content), kinds=kinds, stem="tep", **kwargs)
    upload.seek(0)
    return upload.read(), upload, kind, original


def refused(name, content, kinds=ALL):
    with pytest.raises(ValidationError) as error:
        checked_upload(SimpleUploadedFile(name, content), kinds=kinds, stem="tep")
    return " ".join(error.value.messages)


def docx_parts(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def test_uploads_are_checked_by_size_and_content_and_renamed():
    _data, upload, kind, original = check("ảnh của tôi.png", png_bytes(), kinds={"png"})
    assert (upload.name, kind, original) == ("tep.png", "png", "ảnh của tôi.png")
    with pytest.raises(ValidationError):
        checked_upload(SimpleUploadedFile("x.png", b"MZ\x90 an executable"), kinds={"png", "pdf"}, stem="x")
    with pytest.raises(ValidationError):
        checked_upload(SimpleUploadedFile("x.pdf", b"%PDF-" + b"0" * 2048), kinds={"pdf"}, stem="x", max_bytes=1024)


def test_a_photo_loses_its_exif_gps_xmp_and_comment_and_stands_upright():
    original = jpeg_bytes(size=(40, 30), orientation=6)
    assert IDENTITY.encode() in original
    data, upload, kind, _name = check("IMG_0001.jpg", original)
    assert kind == "jpeg" and upload.name == "tep.jpg" and upload.content_type == "image/jpeg"
    assert IDENTITY.encode() not in data and b"Exif" not in data and b"xmpmeta" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif() and "comment" not in image.info and "xmp" not in image.info
        # Orientation 6 means "turn 90° clockwise to view": the landscape file is a portrait
        # picture, and the blue corner that was top-left is now top-right.
        assert image.size == (30, 40)
        red, _green, blue = image.convert("RGB").getpixel((25, 5))
        assert blue > 150 and red < 100


def test_a_png_loses_its_text_chunks_and_keeps_its_pixels():
    original = png_bytes()
    data, _upload, kind, _name = check("anh.png", original)
    assert kind == "png" and IDENTITY.encode() not in data and b"tEXt" not in data and b"iTXt" not in data
    with Image.open(io.BytesIO(data)) as image, Image.open(io.BytesIO(original)) as before:
        assert image.info == {} and image.tobytes() == before.tobytes()


def test_a_colour_profile_is_applied_then_dropped_and_transparency_kept():
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    photo, drawing = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (8, 8), (200, 100, 50)).save(photo, "JPEG", icc_profile=profile, quality=95)
    palette = Image.new("P", (8, 8), 1)
    palette.putpalette([0, 0, 0, 255, 255, 255])
    palette.save(drawing, "PNG", transparency=0)
    photo_data, *_rest = check("anh.jpg", photo.getvalue())
    drawing_data, *_rest = check("hinh.png", drawing.getvalue())
    with Image.open(io.BytesIO(photo_data)) as image:
        assert "icc_profile" not in image.info
        assert all(abs(a - b) <= 6 for a, b in zip(image.getpixel((4, 4)), (200, 100, 50), strict=True))
    with Image.open(io.BytesIO(drawing_data)) as image:
        assert image.info == {"transparency": 0}


def _png_claiming(width, height):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("width,height", [(8000, 7000), (60000, 60000)])
def test_a_decompression_bomb_is_refused_before_it_is_decoded(width, height):
    assert "triệu điểm ảnh" in refused("bom.png", _png_claiming(width, height))


@pytest.mark.parametrize(
    "name,content",
    [
        ("hong.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 200),
        ("hong.png", png_bytes()[:60]),
    ],
)
def test_a_broken_picture_is_refused(name, content):
    assert "Không đọc được ảnh" in refused(name, content)


def test_a_docx_loses_its_properties_template_and_linked_picture_and_keeps_its_text():
    data, upload, kind, _name = check("bai du thi.docx", docx_bytes("Bài dự thi về Hồ Tây"))
    assert kind == "docx" and upload.name == "tep.docx"
    parts = docx_parts(data)
    assert not [name for name in parts if name.lower().startswith("docprops/")]
    assert not [name for name, text in parts.items() if IDENTITY in text or "tacgia@" in text]
    assert "word/people.xml" not in parts and "people" not in parts["word/_rels/document.xml.rels"]
    assert "people" not in parts["[Content_Types].xml"]
    # Tracked changes and comments stay, signed as Word's "remove personal information" signs them.
    assert 'w:author="Author"' in parts["word/document.xml"] and "Sửa câu này" in parts["word/comments.xml"]
    assert 'w:author="Author"' in parts["word/comments.xml"] and "NVT" not in parts["word/comments.xml"]
    assert "docProps" not in parts["[Content_Types].xml"] and "docProps" not in parts["_rels/.rels"]
    assert "officeDocument" in parts["_rels/.rels"] and "/word/document.xml" in parts["[Content_Types].xml"]
    assert "attachedTemplate" not in parts["word/_rels/settings.xml.rels"]
    assert "attachedTemplate" not in parts["word/settings.xml"] and "w:zoom" in parts["word/settings.xml"]
    assert "tracker.example" not in parts["word/_rels/document.xml.rels"] and "r:link" not in parts["word/document.xml"]
    # A hyperlink opens only when the reader clicks it: it is the author's text and stays.
    assert "https://tayho.hanoi.gov.vn/" in parts["word/_rels/document.xml.rels"]
    assert "Bài dự thi về Hồ Tây" in parts["word/document.xml"] and 'r:id="rId3"' in parts["word/document.xml"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_a_workbook_embedded_in_a_docx_loses_its_properties_too():
    workbook = io.BytesIO()
    with zipfile.ZipFile(workbook, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/docProps/core.xml" '
            'ContentType="application/xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            RELS.format(
                f'<Relationship Id="rId1" Type="{OFFICE_RELS}/officeDocument" Target="xl/workbook.xml"/>'
                '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
                'metadata/core-properties" Target="docProps/core.xml"/>'
            ),
        )
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("docProps/core.xml", f"<coreProperties><creator>{IDENTITY}</creator></coreProperties>")
    data, *_rest = check(
        "bieu-do.docx", docx_bytes(extra={"word/embeddings/Microsoft_Excel_Worksheet.xlsx": workbook.getvalue()})
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        embedded = archive.read("word/embeddings/Microsoft_Excel_Worksheet.xlsx")
    with zipfile.ZipFile(io.BytesIO(embedded)) as archive:
        assert sorted(archive.namelist()) == ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"]


def test_a_docx_with_macros_is_refused():
    assert "macro" in refused("bai.docx", docx_bytes(extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"}))


def _zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "extra",
    [
        [("../../../etc/cron.d/x", "x")],
        [("/word/abs.xml", "x")],
        [("word\\..\\x.xml", "x")],
        [("word/bomb.xml", b"\x00" * (120 * 1024 * 1024))],
        [(f"word/media/p{n}.xml", "") for n in range(3000)],
    ],
)
def test_a_docx_that_is_a_zip_bomb_or_escapes_its_folder_is_refused(extra):
    base = docx_parts(docx_bytes())
    content = _zip([*base.items(), *extra])
    assert len(content) < 10 * 1024 * 1024
    assert "Không đọc được tệp .docx" in refused("bai.docx", content)


def test_a_pdf_loses_its_info_dictionary_and_xmp_and_keeps_its_pages():
    original = pdf_bytes()
    assert original.count(IDENTITY.encode()) >= 2
    data, upload, kind, _name = check("bien ban.pdf", original)
    assert kind == "pdf" and upload.name == "tep.pdf" and upload.content_type == "application/pdf"
    assert IDENTITY.encode() not in data and b"xmpmeta" not in data and b"/Author" not in data
    reader = PdfReader(io.BytesIO(data))
    assert not reader.metadata and reader.xmp_metadata is None
    assert len(reader.pages) == 1 and [float(x) for x in reader.pages[0].mediabox] == [0, 0, 595, 842]


def test_a_pdf_loses_attached_files_page_xmp_opening_actions_and_earlier_revisions_and_keeps_bookmarks():
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.add_attachment("nguoi-gui.txt", IDENTITY.encode())
    writer.add_outline_item(title="Mục 1", page_number=0)
    page_xmp = DecodedStreamObject()
    page_xmp.set_data(f"<x:xmpmeta><dc:creator>{IDENTITY}</dc:creator></x:xmpmeta>".encode())
    writer.pages[0][NameObject("/Metadata")] = writer._add_object(page_xmp)
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject("http://tracker.example/mo")}
    )
    first = io.BytesIO()
    writer.write(first)
    # An incremental update leaves the earlier revision, author included, in the file.
    updated = PdfWriter(io.BytesIO(first.getvalue()), incremental=True)
    updated.add_metadata({"/Author": "Ban Tổ chức"})
    revised = io.BytesIO()
    updated.write(revised)
    assert IDENTITY.encode() in revised.getvalue()
    data, *_rest = check("ho-so.pdf", revised.getvalue())
    assert IDENTITY.encode() not in data and b"tracker.example" not in data and b"Ban T" not in data
    reader = PdfReader(io.BytesIO(data))
    assert not reader.attachments and "/Metadata" not in reader.pages[0]
    assert "/OpenAction" not in reader.trailer["/Root"]
    assert [item.title for item in reader.outline] == ["Mục 1"]


def test_a_pdf_comment_keeps_its_text_but_not_its_author():
    from pypdf.annotations import Text
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    note = Text(rect=(10, 10, 30, 30), text="Cần sửa đoạn này")
    note[NameObject("/T")] = TextStringObject(IDENTITY)  # the commenter's name, as PDF readers write it
    writer.add_annotation(0, note)
    buffer = io.BytesIO()
    writer.write(buffer)
    data, *_rest = check("ghi-chu.pdf", buffer.getvalue())
    assert IDENTITY.encode() not in data
    annotation = PdfReader(io.BytesIO(data)).pages[0]["/Annots"][0].get_object()
    assert annotation["/Contents"] == "Cần sửa đoạn này"


def test_an_encrypted_or_broken_pdf_is_refused():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt("mat-khau", algorithm="RC4-128")
    encrypted = io.BytesIO()
    writer.write(encrypted)
    assert "mật khẩu" in refused("khoa.pdf", encrypted.getvalue())
    assert "Không đọc được tệp PDF" in refused("hong.pdf", b"%PDF-1.7\n% nothing else here\n")


def test_a_file_that_is_too_big_is_refused_before_it_is_opened():
    content = _png_claiming(60000, 60000)
    with pytest.raises(ValidationError, match="lớn hơn"):
        checked_upload(SimpleUploadedFile("x.png", content), kinds={"png"}, stem="x", max_bytes=len(content) - 1)


def test_a_residents_attachment_too_big_or_not_a_picture_or_document_is_refused_in_vietnamese():
    """What residents attach to an idea or a report (one check for both forms)."""
    from django.utils import translation

    from tests.factories import png_bytes

    with translation.override("vi"):
        too_big = SimpleUploadedFile("to.png", b"\x89PNG" + b"0" * (1024 * 1024))
        with pytest.raises(ValidationError) as refused:
            checked_picture_or_document(too_big, stem="idea", max_bytes=1024 * 1024)
        assert "Tệp lớn hơn 1 MB." in refused.value.messages
        program = SimpleUploadedFile("anh.png", b"MZ\x90\x00" + b"\x00" * 200)
        with pytest.raises(ValidationError) as refused:
            checked_picture_or_document(program, stem="idea")
        assert "Tệp phải là ảnh thật (.jpg, .png) hoặc tài liệu thật (.pdf, .docx)." in refused.value.messages
    upload, kind = checked_picture_or_document(SimpleUploadedFile("IMG_0001 Nguyễn.png", png_bytes()), stem="idea")
    assert kind == "png" and upload.name == "idea.png"
