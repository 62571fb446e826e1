"""`manage.py load_demo`: a realistic Vietnamese demo site, built idempotently.

Running it again changes nothing that exists: pages are found by their slug, records by
their names. One account per role (and the administrator) is created once with a random
password, kept in a git-ignored file (.demo-accounts) so the next run prints the same
table. Demo only: it refuses to run unless DEMO_DATA_ALLOWED (or DEBUG) is on.
"""

import datetime
import json
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from wagtail.models import Page, Site

from tayho_site import demo_pictures, roles
from tayho_site.models import HomePage, NewsIndexPage, NewsPage, SecuritySettings, SiteSettings, StandardPage, Ward
from tayho_site.twofactor import record_requirement_change

ADMIN_USERNAME = "admin"

# One account per role: (user name, first name, last name, role, what to try, groups).
# The apps' demos link them to what they use (a unit, a judging round, a ballot).
ACCOUNTS = [
    (
        "bantochuc",
        "Lan",
        "Nguyễn Thị",
        pgettext_lazy("demo account", "Organiser"),
        gettext_lazy("ideas to screen, the judging round, the ballot: /admin/"),
        [roles.ORGANISERS, roles.EDITORS],
    ),
    *[
        (
            f"giamkhao{n}",
            first,
            last,
            pgettext_lazy("demo account", "Judge"),
            gettext_lazy("entries to score: /cham-bai/"),
            [roles.JUDGES],
        )
        for n, (first, last) in enumerate([("Châu", "Phạm Minh"), ("Dũng", "Lê Anh"), ("Mai", "Vũ Thị")], start=1)
    ],
    (
        "canbonoivu",
        "Hồng",
        "Đặng Thị",
        pgettext_lazy("demo account", "Unit officer (Phòng Nội vụ)"),
        gettext_lazy("this month's evaluation, an overdue referral: /thi-dua/danh-gia/, /thi-dua/chuyen-xu-ly/"),
        [roles.UNIT_OFFICERS],
    ),
    (
        "giamsatmttq",
        "Thu",
        "Lê Thị",
        pgettext_lazy("demo account", "Supervisor (Fatherland Front)"),
        gettext_lazy("a commitment to verify: /thi-dua/"),
        [roles.SUPERVISORS],
    ),
    *[
        (
            f"hoidong{n}",
            first,
            last,
            pgettext_lazy("demo account", "Council member"),
            gettext_lazy("a secret ballot: /thi-dua/khen-thuong/"),
            [roles.EMULATION_COUNCIL],
        )
        for n, (first, last) in enumerate([("Tuấn", "Nguyễn Anh"), ("Hằng", "Đỗ Thu"), ("Sơn", "Trần Văn")], start=1)
    ],
    (
        "bientap",
        "Ngọc",
        "Hoàng Bích",
        pgettext_lazy("demo account", "Editor"),
        gettext_lazy("news and pages: /admin/"),
        [roles.EDITORS],
    ),
]


def new_password():
    """Twelve letters and digits: random, and easy to copy from a terminal."""
    alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


class Demo:
    """What the apps' demos are given: how much to make, the role accounts (by user
    name), and where to write."""

    def __init__(self, stdout, *, small=False, accounts=True):
        self.stdout = stdout
        self.small = small
        # Without accounts (tests that bring their own people), only the pages and their
        # basic content: none of the records made for the role accounts or for volume.
        self.accounts = accounts
        self.users = {}

    def count(self, full, small):
        """How many records of a kind to make beyond the basic content."""
        if not self.accounts:
            return 0
        return small if self.small else full

    def user(self, username):
        return self.users.get(username)


ABOUT_BODY = [
    (
        "paragraph",
        "<p>Thực hiện Chỉ thị số 24-CT/TU và Kế hoạch số 171-KH/TU ngày 14/8/2023 của Ban "
        "Thường vụ Thành ủy Hà Nội về tăng cường kỷ luật, kỷ cương và trách nhiệm giải quyết "
        "công việc, Quận ủy Tây Hồ ban hành Kế hoạch số 167-KH/QU ngày 31/8/2023 để triển khai "
        "trên địa bàn quận.</p>",
    ),
    ("heading", "Những biểu hiện cần khắc phục"),
    (
        "paragraph",
        "<p>Chỉ thị nêu 25 biểu hiện vi phạm, trong đó có tình trạng cán bộ <b>đùn đẩy</b>, "
        "<b>né tránh</b>, sợ sai, đẩy việc “lòng vòng” từ đơn vị này sang đơn vị khác, để công "
        "việc tồn đọng kéo dài không được giải quyết.</p>",
    ),
    ("heading", "Sáu nhóm nhiệm vụ"),
    (
        "paragraph",
        "<ol><li>Tuyên truyền, giáo dục nâng cao nhận thức.</li>"
        "<li>Đổi mới phương thức lãnh đạo, gắn với quy trình hóa, cá thể hóa thẩm quyền và "
        "trách nhiệm của từng người.</li>"
        "<li>Rà soát chức năng, nhiệm vụ và tổ chức bộ máy.</li>"
        "<li>Thay thế, điều chuyển cán bộ, trước hết là người đứng đầu, không đáp ứng yêu cầu.</li>"
        "<li>Siết chặt kỷ luật, đạo đức công vụ; kiểm tra, kể cả kiểm tra đột xuất việc giải "
        "quyết thủ tục hành chính, giờ giấc làm việc và thái độ phục vụ nhân dân.</li>"
        "<li>Phong trào thi đua về trách nhiệm, kỷ luật, kỷ cương trong thực thi công vụ.</li></ol>",
    ),
    (
        "quote",
        {
            "quote": "Không thể để xảy ra tình trạng đơn vị không hoàn thành nhiệm vụ, chậm tiến độ "
            "mà 100% cán bộ vẫn được đánh giá hoàn thành tốt nhiệm vụ.",
            "attribution": "Hội nghị Ban Chấp hành Đảng bộ quận Tây Hồ",
        },
    ),
    ("heading", "Đăng ký “việc mới, việc khó”"),
    (
        "paragraph",
        "<p>Các đồng chí Quận ủy viên, rồi từng đảng viên qua phong trào “Chi bộ 4 tốt”, "
        "“Đảng viên 4 tốt”, đăng ký thực hiện việc mới, việc khó. Mặt trận Tổ quốc và các đoàn "
        "thể chính trị - xã hội giám sát việc thực hiện; chi bộ kiểm điểm thường xuyên để công "
        "việc không bị dồn ứ.</p>",
    ),
]

NEWS = [
    {
        "slug": "quan-uy-tay-ho-trien-khai-chi-thi-24",
        "title": "Quận ủy Tây Hồ triển khai Chỉ thị 24-CT/TU về kỷ luật, kỷ cương",
        "date": datetime.date(2023, 9, 5),
        "intro": "Hội nghị quán triệt Kế hoạch 167-KH/QU, yêu cầu chấm dứt tình trạng đùn đẩy, né tránh "
        "trách nhiệm trong giải quyết công việc.",
        "body": "<p>Phát biểu tại hội nghị, đồng chí Lê Thị Thu Hằng, Thành ủy viên, Bí thư Quận ủy, Chủ "
        "tịch HĐND quận nhấn mạnh yêu cầu quy trình hóa, cá thể hóa trách nhiệm của từng cán bộ, "
        "trước hết là người đứng đầu.</p><p>Các ý kiến phát biểu tại hội nghị được coi là "
        "cam kết của từng cấp ủy.</p>",
    },
    {
        "slug": "phat-dong-cuoc-thi-viet-khat-vong-tay-ho",
        "title": "Phát động cuộc thi viết “Khát vọng Tây Hồ”",
        "date": datetime.date(2023, 10, 12),
        "intro": "Cuộc thi mở cho cán bộ, đảng viên và mọi tầng lớp nhân dân, nhằm tìm kiếm ý tưởng hay "
        "cho sự phát triển của quận.",
        "body": "<p>Đồng chí Nguyễn Anh Tuấn, Phó Bí thư Thường trực Quận ủy, cho biết cuộc thi hướng tới "
        "những ý tưởng thiết thực về quản lý, khai thác Hồ Tây, phát triển du lịch, văn hóa và "
        "cải cách hành chính.</p>",
    },
    {
        "slug": "dang-ky-viec-moi-viec-kho",
        "title": "Quận ủy viên đăng ký thực hiện “việc mới, việc khó”",
        "date": datetime.date(2023, 11, 2),
        "intro": "Mỗi đồng chí Quận ủy viên đăng ký ít nhất một việc mới, việc khó, có mục tiêu đo được "
        "và thời hạn hoàn thành.",
        "body": "<p>Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội sẽ giám sát việc thực hiện. "
        "Kết quả được công khai để nhân dân theo dõi.</p>",
    },
    {
        "slug": "danh-gia-can-bo-hang-thang-thuc-chat",
        "title": "Đánh giá cán bộ hằng tháng phải thực chất, không nể nang",
        "date": datetime.date(2023, 11, 20),
        "intro": "Ba-rem điểm đánh giá gắn với kết quả của đơn vị, khắc phục tình trạng đánh giá chung "
        "chung, dĩ hòa vi quý.",
        "body": "<p>Đơn vị không hoàn thành nhiệm vụ hoặc chậm tiến độ thì không thể có 100% cán bộ "
        "được xếp loại hoàn thành tốt nhiệm vụ.</p>",
    },
    {
        "slug": "kiem-tra-dot-xuat-thu-tuc-hanh-chinh",
        "title": "Kiểm tra đột xuất việc giải quyết thủ tục hành chính tại phường",
        "date": datetime.date(2023, 12, 8),
        "intro": "Đoàn kiểm tra làm việc tại bộ phận một cửa, xem xét giờ giấc làm việc và thái độ phục vụ người dân.",
        "body": "<p>Kết luận sau kiểm tra được báo cáo Ban Thường vụ Quận ủy hằng tuần; các vi phạm phải "
        "cơ bản được khắc phục trong thời hạn đã định.</p>",
    },
    {
        "slug": "ton-vinh-dien-hinh-tieu-bieu",
        "title": "Tôn vinh điển hình tiêu biểu, cách làm đột phá trong thực thi công vụ",
        "date": datetime.date(2024, 1, 15),
        "intro": "Những cá nhân có cách làm hay, sáng tạo sau kiểm tra, giám sát sẽ được biểu dương, khen "
        "thưởng kịp thời.",
        "body": "<p>Ngược lại, cán bộ đùn đẩy, né tránh trách nhiệm sẽ bị kiểm điểm và xem xét luân chuyển.</p>",
    },
]


class DiscardingBackend(BaseEmailBackend):
    """The demo's residents have example.vn addresses: their confirmation mails go
    nowhere, and are only counted (the console backend would print each one, base64)."""

    sent = 0

    def send_messages(self, email_messages):
        DiscardingBackend.sent += len(email_messages)
        return len(email_messages)


# While the demo loads: mail is counted, not sent, and tasks run at once (a queued mail
# would otherwise reach the console, or a real server, later through the worker).
QUIET = {
    "MAILERS": {"default": {"BACKEND": f"{__name__}.DiscardingBackend"}},
    "TASKS": {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
}


def _child(parent, slug):
    return parent.get_children().filter(slug=slug).specific().first()


class Command(BaseCommand):
    help = "Builds the Vietnamese demo site (idempotent) and an admin account."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-admin",
            action="store_true",
            help="Create no accounts and only the pages with their basic content (for tests that bring their own "
            "people).",
        )
        parser.add_argument(
            "--small", action="store_true", help="A few records of each kind instead of a lively site (for tests)."
        )
        parser.add_argument(
            "--accounts-file",
            default=str(Path(settings.BASE_DIR) / ".demo-accounts"),
            help="Where the demo accounts' passwords are kept between runs (git-ignored).",
        )
        parser.add_argument(
            "--site-url",
            default="http://127.0.0.1:8000",
            help="Where the site is served, for the last lines printed (make run passes its HOST and PORT).",
        )

    def handle(self, *args, **options):
        translation.activate(settings.LANGUAGE_CODE)
        if not getattr(settings, "DEMO_DATA_ALLOWED", settings.DEBUG):
            raise CommandError(
                _(
                    "The demo is not loaded here: these are production settings (DEBUG is off and "
                    "DEMO_DATA_ALLOWED is not set). The demo creates accounts and sample records; load it only "
                    "on a development or test database."
                )
            )
        DiscardingBackend.sent = 0
        # The transaction's after-commit mail must be sent while the quiet settings hold.
        with override_settings(**QUIET):
            with transaction.atomic():
                self._build(options)
        if DiscardingBackend.sent:
            self.stdout.write(
                _("%(count)s e-mails to the demo's example addresses were not sent.")
                % {"count": DiscardingBackend.sent}
            )
        self._summary(options["site_url"].rstrip("/"))

    def _summary(self, site_url):
        """The last lines before the server starts: where the site and the admin are."""
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("The demo content is ready.")))
        self.stdout.write(_("Site:  %(url)s/") % {"url": site_url})
        self.stdout.write(_("Admin: %(url)s/admin/") % {"url": site_url})
        if self.table:
            self.stdout.write("")
            for line in self.table:
                self.stdout.write(line)
        for note in self.notes:
            self.stdout.write(note)

    def _build(self, options):
        self.notes = []  # said last, after where the site is
        self.table = []
        self.demo = Demo(self.stdout, small=options["small"], accounts=not options["no_admin"])
        home = self._home()
        if self.demo.accounts:
            self._accounts(Path(options["accounts_file"]))
        about = self._standard(
            home,
            "gioi-thieu",
            "Giới thiệu phong trào",
            "Phong trào thi đua về trách nhiệm, kỷ luật, kỷ cương trong thực thi công "
            "vụ của quận Tây Hồ theo Chỉ thị 24-CT/TU.",
            ABOUT_BODY,
            menu_title="Giới thiệu",
        )
        self._wards()  # before the apps' demos: ideas name their ward
        # Each app adds its own demo content (its `demo.py`), so this package imports no app.
        offered = self._app_demos(home)
        contest = offered.get("featured_call", about)
        news_index = self._news_index(home)
        for item in NEWS:
            self._news(news_index, item)
        if not home.body:
            home.body = self._home_body(about, contest, news_index, offered.get("honour_board"))
            home.save_revision().publish()
        self._settings()

    def _app_demos(self, home):
        """Runs `load(home, demo)` of every installed app's demo module; each returns
        the pages it offers the home page (e.g. {"featured_call": page})."""
        from importlib import import_module
        from pathlib import Path

        from django.apps import apps

        offered = {}
        base = Path(settings.BASE_DIR).resolve()
        for config in apps.get_app_configs():
            # Only this project's apps and sub-apps (emulation.honours), in INSTALLED_APPS
            # order, each with a demo.py of its own; never installed packages.
            path = Path(config.path).resolve()
            own = path.is_relative_to(base) and ".venv" not in path.relative_to(base).parts
            if config.name == "tayho_site" or not own or not (path / "demo.py").exists():
                continue
            offered.update(import_module(f"{config.name}.demo").load(home, self.demo) or {})
        return offered

    def _home(self):
        home = HomePage.objects.first()
        if home:
            return home
        root = Page.get_first_root_node()
        home = HomePage(
            title="Khát vọng Tây Hồ",
            slug="trang-chu",
            search_description="Cổng thông tin cuộc thi viết, hòm thư ý tưởng, phong trào thi "
            "đua và bảng vinh danh của quận Tây Hồ.",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        old_root = site.root_page if site else None
        if site is None:
            Site.objects.create(
                hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Khát vọng Tây Hồ"
            )
        else:
            site.root_page = home
            site.site_name = "Khát vọng Tây Hồ"
            site.save()
        # Wagtail's placeholder "Welcome" page goes once nothing points at it.
        if old_root and old_root.pk != home.pk and old_root.specific_class is Page:
            old_root.delete()
        return home

    def _standard(self, parent, slug, title, intro, body, menu_title=""):
        page = _child(parent, slug)
        if page:
            return page
        page = StandardPage(title=title, slug=slug, intro=intro, body=body, show_in_menus=True, menu_title=menu_title)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    def _news_index(self, home):
        page = _child(home, "tin-tuc")
        if page:
            return page
        page = NewsIndexPage(
            title="Tin tức phong trào",
            slug="tin-tuc",
            show_in_menus=True,
            menu_title="Tin tức",
            intro="Tin hoạt động của phong trào thi đua về kỷ luật, kỷ cương và cuộc thi “Khát vọng Tây Hồ”.",
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        return page

    def _news(self, index, item):
        page = _child(index, item["slug"])
        if page:
            return page
        page = NewsPage(
            title=item["title"],
            slug=item["slug"],
            date=item["date"],
            intro=item["intro"],
            body=[("paragraph", item["body"])],
        )
        if self.demo.accounts:  # a lively demo: each piece of news with its drawn poster
            subtitle = f"Tin tức phong trào · {item['date']:%d/%m/%Y}"
            png = demo_pictures.poster(item["title"], subtitle, seed=item["slug"])
            page.image = demo_pictures.wagtail_image(f"Ảnh tin: {item['title']}", png, f"{item['slug']}.png")
        index.add_child(instance=page)
        page.save_revision().publish()
        return page

    def _home_body(self, about, contest, news_index, honour_board=None):
        return [
            (
                "hero",
                {
                    "heading": "Khát vọng Tây Hồ",
                    "text": "Chung tay xây dựng một Tây Hồ văn hiến, văn minh, hiện đại: gửi bài dự thi, góp ý "
                    "tưởng và theo dõi việc thực hiện cam kết của cán bộ, đảng viên.",
                    "button_text": "Xem cuộc thi và gửi bài",
                    "button_page": contest,
                },
            ),
            (
                "featured_call",
                {
                    "page": contest,
                    "label": "Cuộc thi đang mở",
                    "summary": "Cán bộ, đảng viên và mọi tầng lớp nhân dân đều có thể tham gia. Mỗi bài dự thi "
                    "nhận một mã để theo dõi đến khi có kết quả.",
                    "button_text": "Thể lệ và cách gửi bài",
                },
            ),
            (
                "highlights",
                {
                    "heading": "Phong trào trong con số",
                    "items": [
                        {
                            "figure": "25",
                            "title": "biểu hiện vi phạm",
                            "text": "cần nhận diện và khắc phục theo Chỉ thị 24-CT/TU.",
                            "page": about,
                        },
                        {
                            "figure": "6",
                            "title": "nhóm nhiệm vụ",
                            "text": "của Kế hoạch 167-KH/QU, từ tuyên truyền đến phong trào thi đua.",
                            "page": about,
                        },
                        {
                            "figure": "100%",
                            "title": "việc có người chịu trách nhiệm",
                            "text": "Mỗi cam kết, mỗi ý tưởng đều có chủ, có hạn và được công khai.",
                            "page": None,
                        },
                    ],
                },
            ),
            ("latest_news", {"heading": "Tin mới", "index": news_index, "count": 3}),
        ] + (
            [("recent_honours", {"heading": "Vinh danh điển hình", "board": honour_board, "count": 4})]
            if honour_board
            else []
        )

    def _settings(self):
        site = Site.objects.get(is_default_site=True)
        site_settings = SiteSettings.for_site(site)
        if not site_settings.address:
            site_settings.organisation = "Ban Chấp hành Đảng bộ quận Tây Hồ"
            site_settings.address = "Số 657 đường Lạc Long Quân, phường Tây Hồ, Hà Nội"
            site_settings.phone = "024 3753 0000"
            site_settings.email = "bantochuc@tayho.example.vn"
            site_settings.working_hours = "Thứ Hai – Thứ Sáu: 8:00 – 17:00"
            site_settings.footer_text = (
                "Cổng thông tin phong trào thi đua về trách nhiệm, kỷ luật, kỷ cương "
                "trong thực thi công vụ và cuộc thi viết “Khát vọng Tây Hồ”."
            )
            site_settings.save()

    def _wards(self):
        # Since the 2025 reorganisation, the former Tây Hồ district lies mainly in these wards.
        for order, name in enumerate(["Phường Tây Hồ", "Phường Phú Thượng", "Nơi khác (ngoài địa bàn)"]):
            Ward.objects.get_or_create(name=name, defaults={"sort_order": order * 10})

    def _accounts(self, path):
        """The administrator and one account per role, each created once with a random
        password kept in `path`; the table of them is printed at the end of every run."""
        from django.contrib.auth.models import Group

        User = get_user_model()
        try:
            # {user name: {"password": …, "hash": the stored hash it made}}: comparing the hash
            # tells whether the password changed without hashing again (slow on purpose).
            kept = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            kept = {}
        rows, created_any = [], False
        everyone = [(ADMIN_USERNAME, "", "", _("Administrator"), _("everything: /admin/"), None)] + ACCOUNTS
        for username, first, last, role, tries, groups in everyone:
            user = User.objects.filter(username=username).first()
            if user is None:
                password = (kept.get(username) or {}).get("password") or new_password()
                if groups is None:
                    user = User.objects.create_superuser(username, f"{username}@tayho.example.vn", password)
                else:
                    user = User.objects.create_user(
                        username, f"{username}@tayho.example.vn", password, first_name=first, last_name=last
                    )
                    user.groups.set([Group.objects.get_or_create(name=name)[0] for name in groups])
                    created_any = True
                kept[username] = {"password": password, "hash": user.password}
            entry = kept.get(username) or {}
            password = entry.get("password", "")
            if not password:
                password = _("(made before; not known)")
            elif entry.get("hash") != user.password:
                password = _("(changed since; not shown)")
            self.demo.users[username] = user
            rows.append((username, str(role), password, str(tries)))
        path.write_text(json.dumps(kept, ensure_ascii=False, indent=1), encoding="utf-8")
        path.chmod(0o600)  # passwords: readable by their owner only
        if created_any:
            self._relax_two_factor()
        headers = (_("User name"), pgettext("demo account", "Role"), _("Password"), _("What to try"))
        widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(3)]
        self.table = [_("Demo accounts (passwords kept in %(file)s):") % {"file": path.name}]
        for row in [headers, *rows]:
            cells = [cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)]
            self.table.append("  ".join([*cells, row[3]]))
        self.notes.append(
            _(
                "Two-factor sign-in is relaxed for the role groups in this demo, so these accounts sign in at "
                "once (Settings → Security; the change is in the audit log). The administrator pairs an "
                "authenticator app at the first sign-in."
            )
        )

    def _relax_two_factor(self):
        """As an organiser would in Settings → Security, audited the same way."""
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            return
        policy = SecuritySettings.for_site(site)
        before = set(policy.two_factor_groups.values_list("name", flat=True))
        policy.two_factor_groups.remove(*policy.two_factor_groups.filter(name__in=roles.ALL + [roles.EDITORS]))
        record_requirement_change(policy, before, actor=None)
