"""Demo content of honours: categories, the honour board and two published honours of
people the movement's demo created (twelve, with drawn portraits, in a lively demo), and a
nomination in a secret ballot for the demo council. Called by `manage.py load_demo` after the emulation
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
    # (name, position — empty for a collective, category, citation, achievements, unit of a new person)
    (
        "Phạm Thu Hà",
        "Chuyên viên",
        "Lao động tiên tiến",
        "Giải quyết 100% hồ sơ đúng hạn, không để người dân đi lại nhiều lần.",
        "<p>Trong năm tiếp nhận hơn 1.200 hồ sơ, không hồ sơ nào trễ hẹn; hướng dẫn người dân nộp hồ sơ "
        "trực tuyến tại nhà.</p>",
    ),
    (
        "Đỗ Mạnh Cường",
        "Chuyên viên",
        "Chiến sĩ thi đua cơ sở",
        "Số hóa hồ sơ cán bộ, công chức của quận trước thời hạn hai tháng.",
        "<p>Chủ trì số hóa 1.850 hồ sơ cán bộ, công chức; xây dựng cách tra cứu theo mã, bảo mật theo phân quyền.</p>",
    ),
    (
        "Lê Quang Huy",
        "Chuyên viên",
        "Đột phá trong thực thi công vụ",
        "Đề xuất trả kết quả thủ tục hành chính tại nhà cho người cao tuổi.",
        "<p>Phối hợp bưu điện trả kết quả tại nhà cho hơn 300 người cao tuổi, người khuyết tật trong năm.</p>",
    ),
    (
        "Vũ Thị Thanh Hương",
        "Phó Chánh Văn phòng",
        "Cá nhân điển hình, tiêu biểu",
        "Tổ chức tiếp công dân đúng lịch, trả lời kiến nghị trước hạn.",
        "<p>100% kiến nghị của cử tri được trả lời trước hạn; không có đơn thư vượt cấp trong năm.</p>",
        "UBND quận Tây Hồ",
    ),
    (
        "Ngô Đức Thắng",
        "Chuyên viên",
        "Đột phá trong thực thi công vụ",
        "Xây dựng bản đồ số các điểm vi phạm trật tự đô thị ven Hồ Tây.",
        "<p>Bản đồ số giúp lực lượng chức năng xử lý dứt điểm 46 điểm lấn chiếm ven hồ trong sáu tháng.</p>",
        "UBND quận Tây Hồ",
    ),
    (
        "Bùi Thị Ngọc Anh",
        "Cán bộ Mặt trận",
        "Cá nhân điển hình, tiêu biểu",
        "Giám sát thực chất việc thực hiện cam kết của cán bộ, đảng viên.",
        "<p>Tham gia giám sát 38 cam kết “việc mới, việc khó”; các kiến nghị sau giám sát đều được tiếp thu.</p>",
        "Ủy ban MTTQ quận Tây Hồ",
    ),
    (
        "Dương Văn Khải",
        "Chuyên viên",
        "Lao động tiên tiến",
        "Hoàn thành xuất sắc việc rà soát chức năng, nhiệm vụ các phòng.",
        "<p>Rà soát, đề xuất sửa đổi quy chế làm việc của 12 phòng, ban, bỏ 9 đầu mối trùng lặp.</p>",
        "Quận ủy Tây Hồ",
    ),
    (
        "Hoàng Minh Tuấn",
        "Chuyên viên",
        "Đạt giải cuộc thi viết",
        "Giải A cuộc thi viết “Khát vọng Tây Hồ” với bài về lối đi bộ quanh hồ.",
        "<p>Bài viết đề xuất tuyến đi bộ liền mạch quanh Hồ Tây, được quận giao nghiên cứu thí điểm.</p>",
        "UBND quận Tây Hồ",
    ),
    (
        "Phòng Nội vụ",
        "",
        "Tập thể lao động xuất sắc",
        "Không còn hồ sơ một cửa trễ hẹn trong cả năm.",
        "<p>Tập thể phòng hoàn thành xuất sắc nhiệm vụ; 100% cán bộ hoàn thành nhiệm vụ, thực chất theo "
        "ba-rem điểm.</p>",
    ),
    (
        "Ủy ban MTTQ quận Tây Hồ",
        "",
        "Giấy khen của Chủ tịch UBND quận",
        "Giám sát hiệu quả phong trào thi đua thực hiện Chỉ thị 24-CT/TU.",
        "<p>Tổ chức giám sát định kỳ, công khai kết quả giám sát để nhân dân theo dõi.</p>",
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
    today = timezone.localdate()
    # The first two as before; with accounts (a lively demo) ten more, and portraits.
    wanted = HONOURED[: 2 + demo.count(full=len(HONOURED) - 2, small=0)]
    for number, (name, position, category, citation, achievements, *where) in enumerate(wanted, start=1):
        if Honour.objects.filter(name=name, citation=citation).exists():
            continue
        person, unit = _nominee(name, position, where)
        if unit is None:
            continue
        collective = person is None
        nomination = Nomination.objects.create(
            person=person,
            unit=unit,
            nominee_name=name,
            collective=collective,
            category=HonourCategory.objects.get(name=category),
            year=today.year,
            achievements=achievements,
            status=Nomination.Status.APPROVED,
            show_position=not collective,
            show_photo=demo.accounts,
            decision_number=f"{number:02d}/QĐ-HĐTĐKT",
            decision_date=today,
            decision_signer="Chủ tịch Hội đồng",
        )
        Honour.objects.create(
            nomination=nomination,
            name=name,
            collective=collective,
            person=person,
            unit=unit,
            position=position,
            photo=_picture(name, category, collective) if demo.accounts else None,
            category=nomination.category,
            year=today.year,
            citation=citation,
            achievements=achievements,
            decision_number=nomination.decision_number,
            decision_date=today,
            decision_signer="Chủ tịch Hội đồng",
            search_folded=search_words(f"{name} {citation} {unit.name}"),
        )
    return {"honour_board": board}


def _nominee(name, position, where):
    """The person honoured (made in their unit if new), or None and the unit for a collective."""
    from emulation.models import Unit

    if position == "":  # a collective: its name is its unit's
        return None, Unit.objects.filter(name=name).first()
    person = Person.objects.filter(full_name=name).first()
    if person is None and where:
        unit = Unit.objects.filter(name=where[0]).first()
        if unit is None:
            return None, None
        person = Person.objects.create(full_name=name, position=position, unit=unit)
    return person, person.unit if person else None


def _picture(name, category, collective):
    from tayho_site import demo_pictures

    if collective:
        png = demo_pictures.poster(name, category, seed=f"honour-{name}", size=(960, 960))
    else:
        png = demo_pictures.portrait(name)
    return demo_pictures.wagtail_image(f"Ảnh vinh danh: {name}", png, "vinh-danh.png")
