"""factory_boy factories. Pages are added under a parent (the home page by default)
through Wagtail's tree API, then published, as an editor would."""

import datetime

import factory
from django.utils import timezone
from wagtail.models import Page

from contest.models import ContestCategory, ContestPage
from tayho_site.models import HomePage, NewsIndexPage, NewsPage, StandardPage


class PageFactory(factory.Factory):
    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Trang {n}")
    slug = factory.Sequence(lambda n: f"trang-{n}")

    @classmethod
    def _create(cls, model_class, *args, parent=None, publish=True, **kwargs):
        parent = parent or HomePage.objects.first() or Page.get_first_root_node()
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        if publish:
            page.save_revision().publish()
        else:
            page.live = False
            page.save()
        return page


class StandardPageFactory(PageFactory):
    class Meta:
        model = StandardPage

    intro = "Giới thiệu ngắn."
    show_in_menus = True


class NewsIndexPageFactory(PageFactory):
    class Meta:
        model = NewsIndexPage

    title = "Tin tức"
    slug = factory.Sequence(lambda n: f"tin-tuc-{n}")
    show_in_menus = True


class NewsPageFactory(PageFactory):
    class Meta:
        model = NewsPage

    title = factory.Sequence(lambda n: f"Tin số {n}")
    slug = factory.Sequence(lambda n: f"tin-so-{n}")
    intro = "Tóm tắt bản tin."
    date = factory.Sequence(lambda n: datetime.date(2024, 1, 1) + datetime.timedelta(days=n))
    body = factory.LazyFunction(lambda: [("paragraph", "<p>Nội dung bản tin.</p>")])


class ContestPageFactory(PageFactory):
    """An open contest by default: opened yesterday, closes in 30 days."""

    class Meta:
        model = ContestPage

    title = factory.Sequence(lambda n: f"Cuộc thi {n}")
    slug = factory.Sequence(lambda n: f"cuoc-thi-{n}")
    theme = "Ý tưởng cho Tây Hồ"
    rules = "<p>Thể lệ.</p>"
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    min_words = 5
    max_words = 60
    code_prefix = "KVTH26"

    @classmethod
    def _create(cls, model_class, *args, parent=None, categories=("Nhân dân", "Thanh niên"), **kwargs):
        page = model_class(*args, **kwargs)
        for order, name in enumerate(categories):
            page.categories.add(ContestCategory(name=name, sort_order=order))
        parent = parent or HomePage.objects.first() or Page.get_first_root_node()
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page


# Files as residents send them: real pictures and documents that carry the sender's
# identity the way phones, Word and PDF writers leave it.
IDENTITY = "Nguyen Van Tac Gia"

DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument'
    '.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument'
    '.wordprocessingml.settings+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package'
    '.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument'
    '.extended-properties+xml"/>'
    "</Types>"
)
RELS = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{}</Relationships>'
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_bytes(text="Bài dự thi về Hồ Tây", *, extra=None):
    """A .docx as Word leaves it: the author in docProps/core.xml and app.xml, on a
    tracked change and a comment and in people.xml (with an e-mail address), a template
    attached from a colleague's share, a picture linked from a web server, and a link."""
    import zipfile
    from io import BytesIO

    parts = {
        "[Content_Types].xml": DOCX_TYPES,
        "_rels/.rels": RELS.format(
            f'<Relationship Id="rId1" Type="{OFFICE_RELS}/officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{OFFICE_RELS}/extended-properties" Target="docProps/app.xml"/>'
        ),
        "word/document.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}" '
            f'xmlns:r="{OFFICE_RELS}" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r>"
            f'<w:ins w:id="1" w:author="{IDENTITY}" w:date="2026-03-01T08:00:00Z"><w:r><w:t> nay</w:t></w:r></w:ins>'
            '<w:commentRangeStart w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>'
            '<w:p><w:hyperlink r:id="rId3"><w:r><w:t>Cổng thông tin</w:t></w:r></w:hyperlink></w:p>'
            '<w:p><w:r><w:drawing><a:blip r:link="rId4"/></w:drawing></w:r></w:p></w:body></w:document>'
        ),
        "word/_rels/document.xml.rels": RELS.format(
            f'<Relationship Id="rId1" Type="{OFFICE_RELS}/settings" Target="settings.xml"/>'
            f'<Relationship Id="rId5" Type="{OFFICE_RELS}/comments" Target="comments.xml"/>'
            '<Relationship Id="rId6" Type="http://schemas.microsoft.com/office/2011/relationships/people" '
            'Target="people.xml"/>'
            f'<Relationship Id="rId3" Type="{OFFICE_RELS}/hyperlink" Target="https://tayho.hanoi.gov.vn/" '
            'TargetMode="External"/>'
            f'<Relationship Id="rId4" Type="{OFFICE_RELS}/image" Target="http://tracker.example/{IDENTITY}.png" '
            'TargetMode="External"/>'
        ),
        "word/settings.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:settings xmlns:w="{W}" '
            f'xmlns:r="{OFFICE_RELS}"><w:zoom w:percent="100"/><w:attachedTemplate r:id="rId1"/>'
            '<w:defaultTabStop w:val="720"/></w:settings>'
        ),
        "word/comments.xml": (
            f'<w:comments xmlns:w="{W}"><w:comment w:id="0" w:author="{IDENTITY}" '
            'w:initials="NVT"><w:p><w:r><w:t>Sửa câu này</w:t></w:r></w:p></w:comment></w:comments>'
        ),
        "word/people.xml": (
            '<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">'
            f'<w15:person w15:author="{IDENTITY}"><w15:presenceInfo w15:providerId="AD" '
            'w15:userId="tacgia@example.vn"/></w15:person></w15:people>'
        ),
        "word/_rels/settings.xml.rels": RELS.format(
            f'<Relationship Id="rId1" Type="{OFFICE_RELS}/attachedTemplate" '
            f'Target="file:///\\\\server\\share\\{IDENTITY}\\t.dotm" TargetMode="External"/>'
        ),
        "docProps/core.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas'
            '.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:creator>{IDENTITY}</dc:creator><cp:lastModifiedBy>{IDENTITY}</cp:lastModifiedBy>"
            "</cp:coreProperties>"
        ),
        "docProps/app.xml": (
            f'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'extended-properties"><Company>{IDENTITY}</Company></Properties>'
        ),
        **(extra or {}),
    }
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def jpeg_bytes(size=(40, 30), *, orientation=6):
    """A phone photo: EXIF with the Artist, the GPS position and a rotation to apply, an
    XMP packet and a comment naming the sender."""
    from io import BytesIO

    from PIL import ExifTags, Image

    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, size[0] // 2, size[1] // 2))  # a blue top-left corner
    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = IDENTITY
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "N", (21.0, 3.0, 16.2)
    gps[ExifTags.GPS.GPSLongitudeRef], gps[ExifTags.GPS.GPSLongitude] = "E", (105.0, 49.0, 23.5)
    buffer = BytesIO()
    image.save(
        buffer,
        "JPEG",
        exif=exif,
        comment=IDENTITY.encode(),
        xmp=f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{IDENTITY}</dc:creator></x:xmpmeta>'.encode(),
    )
    return buffer.getvalue()


def png_bytes(size=(24, 16)):
    """A picture with its author in text chunks."""
    from io import BytesIO

    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", IDENTITY)
    info.add_itxt("Comment", IDENTITY, zip=True)
    buffer = BytesIO()
    Image.new("RGB", size, (10, 120, 60)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def pdf_bytes():
    """A one-page PDF whose Info dictionary and XMP name its author and creator tool."""
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Author": IDENTITY, "/Creator": f"Word of {IDENTITY}", "/Title": "Biên bản"})
    writer.xmp_metadata = (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>{IDENTITY}</dc:creator></rdf:Description>'
        '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def roles_as_deployed():
    """Transactional tests empty the database between tests, the data of migrations
    included: give the role groups their permissions again, as the data migrations and
    Wagtail's initial data do on a real site."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    from tayho_site import roles

    import_module("contest.migrations.0006_roles").create_groups(apps, None)
    import_module("ideas.migrations.0004_organisers_screen_ideas").grant(apps, None)
    import_module("emulation.migrations.0009_organisers_read_honours").grant(apps, None)
    import_module("tayho_site.migrations.0008_two_factor_by_default").let_organisers_change_it(apps, None)
    editors = Group.objects.get_or_create(name=roles.EDITORS)[0]
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    root = Page.objects.get(depth=1)
    for codename in ("add_page", "change_page", "publish_page", "lock_page"):
        GroupPagePermission.objects.get_or_create(
            group=editors, page=root, permission=Permission.objects.get(codename=codename)
        )
    for codename in ("add_image", "choose_image", "add_document", "choose_document"):
        GroupCollectionPermission.objects.get_or_create(
            group=editors,
            collection=Collection.get_first_root_node(),
            permission=Permission.objects.get(codename=codename),
        )


def member(username, unit, group):
    """A user in `group` who is a person of `unit` (password TEST_PASSWORD)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from emulation.models import Person

    user = get_user_model().objects.create_user(username, password="mat-khau-dai-123")
    user.groups.add(Group.objects.get(name=group))
    Person.objects.create(full_name=username, unit=unit, user=user)
    return user


def register(tree, movement, by, unit="a", **extra):
    """A commitment of `tree[unit]` registered by `by`, due in 60 days."""
    import datetime

    from django.utils import timezone

    values = {
        "movement": movement,
        "unit": tree[unit],
        "title": "Số hóa hồ sơ một cửa",
        "target": "100% hồ sơ nhận trực tuyến",
        "deadline": timezone.localdate() + datetime.timedelta(days=60),
        "supervisor": tree["front"],
    }
    values.update(extra)
    from emulation.actions import commitments

    return commitments.register(by=by, **values)


# --- Contest and judging


def make_entries(contest, count):
    """`count` confirmed entries, each by its own author."""
    from contest.actions import entries
    from contest.models import EntryConsent

    made = []
    for n in range(count):
        entry = entries.submit_entry(
            contest,
            category=contest.categories.first(),
            title=f"Bài {n}",
            body_html=f"<p>Nội dung bài số {n} về Hồ Tây và đô thị văn minh.</p>",
            consents=list(EntryConsent.Kind.values),
            entrant={
                "full_name": f"Tác giả {n}",
                "pen_name": "",
                "birth_year": 1990,
                "phone": "0912345678",
                "email": f"tg{n}@example.vn",
                "address": "",
                "occupation": "",
                "show_as": "name",
            },
        ).entry
        made.append(entries.confirm_entry(entry))
    return made


def points_for(round_, *values):
    """A review's points, one value per criterion of the round in order."""
    return {str(c.pk): v for c, v in zip(round_.criteria.order_by("sort_order"), values, strict=True)}


ENTRY_TEXT = "Hồ Tây cần một lối đi bộ liền mạch quanh hồ cho người dân và du khách."


def entry_form_data(contest, **overrides):
    """What a valid entry form posts (the captcha in test mode), with `overrides`."""
    from tayho_site.models import Ward

    data = {
        "ward": str(Ward.objects.first().pk),
        "full_name": "Trần Văn Minh",
        "pen_name": "Minh Hồ",
        "birth_year": "1985",
        "phone": "+84 912.345.678",
        "email": "minh@example.vn",
        "address": "Phường Tây Hồ, Hà Nội",
        "occupation": "Kỹ sư",
        "show_as": "pen_name",
        "category": str(contest.categories.first().pk),
        "title": "Lối đi quanh hồ",
        "body": ENTRY_TEXT,
        "accept_rules": "on",
        "original_work": "on",
        "personal_data": "on",
        "website": "",
        "captcha_0": "x",
        "captcha_1": "PASSED",
    }
    data.update(overrides)
    return data


# --- Ideas


IDEA = {
    "title": "Thùng rác phân loại ven Hồ Tây",
    "problem": "Rác nhựa dồn ứ ở các điểm ngồi ven hồ vào cuối tuần.",
    "proposal": "Đặt thùng rác ba ngăn cách nhau hai trăm mét, có biển hướng dẫn.",
    "benefit": "Hồ sạch hơn, người dân quen phân loại rác.",
}


def send_idea(call, sector, *, email="nguoidan@example.vn", show_name=False, **extra):
    """An idea sent (not yet confirmed) by a resident."""
    from ideas.actions import authors

    values = {**IDEA, "sector": sector, **extra}
    return authors.submit_idea(
        call,
        **values,
        author={"full_name": "Nguyễn Thị Hoa", "email": email, "phone": "0912345678", "show_name": show_name},
        consents=["rules", "personal_data"],
    )


def published_idea(call, sector, **extra):
    """An idea sent, confirmed and published in the gallery."""
    from ideas.actions import authors, moderation

    submission = send_idea(call, sector, **extra)
    authors.confirm_idea(submission.idea)
    return moderation.publish(submission.idea, by=None)


# --- Honours


def nominate(people, hero, category, **extra):
    """Unit A nominates `hero` this year."""
    from django.utils import timezone

    from emulation.honours import actions

    values = {
        "by": people["a"],
        "category": category,
        "year": timezone.localdate().year,
        "person": hero,
        "achievements_html": "<p>Rút ngắn thời gian hồ sơ một cửa</p><script>alert(1)</script>",
    }
    return actions.nominate(**{**values, **extra})


def approve(nomination, people, approvals=3, secret=False):
    """The council votes (`approvals` for, the rest against) and the decision is recorded."""
    from django.utils import timezone

    from emulation.honours import actions
    from emulation.honours.models import Vote

    actions.open_voting(nomination, by=people["organiser"], secret=secret)
    for index, member_ in enumerate(people["council"]):
        choice = Vote.Choice.APPROVE if index < approvals else Vote.Choice.REJECT
        actions.vote(nomination, member=member_, choice=choice)
    return actions.decide(
        nomination, by=people["organiser"], number="12/QĐ-HĐTĐKT", date=timezone.localdate(), signer="Chủ tịch Hội đồng"
    )
