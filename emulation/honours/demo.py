"""Demo content of honours: categories, the honour board and two published honours of
people the movement's demo created. Called by `manage.py load_demo` after the emulation
app's demo; idempotent."""

from django.utils import timezone

from emulation.models import Person
from tayho_site.text import search_words

from .models import Honour, HonourCategory, HonourIndexPage, Nomination

HONOUR_CATEGORIES = [
    ("Cá nhân điển hình, tiêu biểu", False),
    ("Đột phá trong thực thi công vụ", False),
    ("Đạt giải cuộc thi viết", False),
    ("Lao động tiên tiến", False),
    ("Chiến sĩ thi đua cơ sở", False),
    ("Giấy khen của Chủ tịch UBND quận", True),
    ("Tập thể lao động xuất sắc", True),
]


HONOURED = [
    (
        "Nguyễn Văn Minh",
        "Trưởng phòng",
        "Cá nhân điển hình, tiêu biểu",
        "Dẫn đầu việc rút ngắn thời gian giải quyết hồ sơ một cửa.",
        "<p>Chủ trì số hóa quy trình một cửa: thời gian giải quyết hồ sơ giảm từ 7 xuống 3 ngày làm việc; "
        "không còn hồ sơ trễ hẹn trong 6 tháng liên tiếp.</p>",
    ),
    (
        "Trần Thị Lan",
        "Phó Trưởng phòng",
        "Đột phá trong thực thi công vụ",
        "Công khai tiến độ xử lý kiến nghị của người dân.",
        "<p>Xây dựng bảng theo dõi kiến nghị: 100% kiến nghị có người chịu trách nhiệm và hạn trả lời.</p>",
    ),
]


def load_ballot(demo):
    """A unit's nomination put to a secret ballot of the three demo council members."""
    from emulation.models import Unit

    from . import actions

    organiser = demo.user("bantochuc")
    unit = Unit.objects.filter(name="Phòng Nội vụ").first()
    if organiser is None or unit is None or Nomination.objects.filter(source_key="demo-ballot").exists():
        return
    nomination = actions.nominate(
        by=organiser,
        category=HonourCategory.objects.get(name="Tập thể lao động xuất sắc"),
        year=timezone.localdate().year,
        achievements_html="<p>Một năm không có hồ sơ một cửa trễ hẹn; 100% kiến nghị của người dân được trả "
        "lời đúng hạn; số hóa toàn bộ hồ sơ cán bộ, công chức.</p>",
        unit=unit,
        nominee_name=unit.name,
        collective=True,
        source_key="demo-ballot",
    )
    actions.open_voting(nomination, by=organiser, secret=True)


def load(home, demo):
    """Honour categories, the honour board and two published honours. The two are written
    as finished records (the demo has no council accounts to vote with); on a real site
    they come through the workspace's nomination, vote and decision."""
    for order, (name, collective) in enumerate(HONOUR_CATEGORIES):
        HonourCategory.objects.get_or_create(name=name, defaults={"sort_order": order, "for_collectives": collective})
    board = HonourIndexPage.objects.first()
    if board is None:
        board = HonourIndexPage(
            title="Bảng vinh danh",
            slug="vinh-danh",
            show_in_menus=True,
            menu_title="Vinh danh",
            intro="Những cá nhân, tập thể điển hình, tiêu biểu, có cách làm hay, đột phá trong "
            "thực thi công vụ được Hội đồng Thi đua - Khen thưởng quận công nhận.",
        )
        home.add_child(instance=board)
        board.save_revision().publish()
    if demo.accounts:
        load_ballot(demo)
    if Honour.objects.exists():
        return {"honour_board": board}
    today = timezone.localdate()
    for number, (name, position, category, citation, achievements) in enumerate(HONOURED, start=1):
        person = Person.objects.filter(full_name=name).first()
        if person is None:
            continue
        nomination = Nomination.objects.create(
            person=person,
            unit=person.unit,
            nominee_name=name,
            category=HonourCategory.objects.get(name=category),
            year=today.year,
            achievements=achievements,
            status=Nomination.Status.APPROVED,
            show_position=True,
            decision_number=f"{number:02d}/QĐ-HĐTĐKT",
            decision_date=today,
            decision_signer="Chủ tịch Hội đồng",
        )
        Honour.objects.create(
            nomination=nomination,
            name=name,
            person=person,
            unit=person.unit,
            position=position,
            category=nomination.category,
            year=today.year,
            citation=citation,
            achievements=achievements,
            decision_number=nomination.decision_number,
            decision_date=today,
            decision_signer="Chủ tịch Hội đồng",
            search_folded=search_words(f"{name} {citation} {person.unit.name}"),
        )
    return {"honour_board": board}
