"""Demo content of the emulation movement: the Directive 24 movement page, a few units
and public commitments; with the role accounts, the officer's and the supervisor's people
and this month's evaluation open. Called by `manage.py load_demo`; idempotent."""

import datetime

from django.utils import timezone

from .models import (
    CadreRating,
    Commitment,
    Manifestation,
    MovementPage,
    Person,
    Rubric,
    RubricCriterion,
    RubricDeduction,
    Unit,
    UnitKind,
    UnitMonth,
)

# (text, code): the codes tie overdue, reopened and passed-around referrals to the
# manifestation they propose deducting for (referrals/proposals.py).
MANIFESTATIONS = [
    ("Đùn đẩy, né tránh trách nhiệm trong giải quyết công việc", "tra-loi-chua-dat"),
    ("Sợ sai, không dám làm, không dám chịu trách nhiệm", ""),
    ("Đẩy việc “lòng vòng” từ đơn vị này sang đơn vị khác", "day-viec-long-vong"),
    ("Để công việc tồn đọng, kéo dài không giải quyết", "tra-loi-qua-han"),
    ("Thái độ phục vụ nhân dân thiếu chuẩn mực tại bộ phận một cửa", ""),
]
GOALS = (
    "<ul><li>Tăng cường kỷ luật, kỷ cương và trách nhiệm giải quyết công việc của cán bộ, đảng viên.</li>"
    "<li>Mỗi việc có người chịu trách nhiệm, có thời hạn, có kết quả được kiểm chứng.</li>"
    "<li>Tôn vinh kịp thời điển hình tiêu biểu, cách làm đột phá.</li></ul>"
)
TASK_GROUPS = (
    "<ol><li>Tuyên truyền, giáo dục.</li><li>Đổi mới phương thức lãnh đạo, quy trình hóa, cá thể hóa "
    "trách nhiệm.</li><li>Rà soát chức năng, nhiệm vụ, tổ chức bộ máy.</li><li>Thay thế, điều chuyển cán "
    "bộ không đáp ứng yêu cầu.</li><li>Siết chặt kỷ luật, đạo đức công vụ.</li><li>Phong trào thi đua về "
    "trách nhiệm, kỷ luật, kỷ cương.</li></ol>"
)


def load(home, demo):
    page = MovementPage.objects.child_of(home).filter(slug="phong-trao-chi-thi-24").first()
    if page is None:
        page = MovementPage(
            title="Phong trào thi đua thực hiện Chỉ thị 24-CT/TU",
            slug="phong-trao-chi-thi-24",
            show_in_menus=True,
            menu_title="Thi đua",
            period_start=datetime.date(2023, 9, 1),
            intro="Phong trào thi đua về trách nhiệm, kỷ luật, kỷ cương trong thực thi công vụ: mỗi cán bộ, đảng "
            "viên đăng ký việc mới, việc khó và báo cáo công khai kết quả.",
            goals=GOALS,
            task_groups=TASK_GROUPS,
        )
        for order, (text, code) in enumerate(MANIFESTATIONS):
            page.manifestations.add(Manifestation(text=text, code=code, sort_order=order))
        home.add_child(instance=page)
        page.save_revision().publish()
    if not Unit.objects.exists():
        committee = UnitKind.objects.get_or_create(name="Cấp ủy")[0]
        office = UnitKind.objects.get_or_create(name="Cơ quan chuyên môn")[0]
        front_kind = UnitKind.objects.get_or_create(name="Mặt trận, đoàn thể")[0]
        district = Unit.add_root(name="Quận ủy Tây Hồ", kind=committee)
        people_committee = district.add_child(name="UBND quận Tây Hồ", kind=office)
        home_affairs = people_committee.add_child(name="Phòng Nội vụ", kind=office)
        front = district.add_child(name="Ủy ban MTTQ quận Tây Hồ", kind=front_kind)
        head = Person.objects.create(
            full_name="Nguyễn Văn Minh", position="Trưởng phòng", unit=home_affairs, party_member=True
        )
        today = timezone.localdate()
        for title, target, days, progress, status in [
            (
                "Rút ngắn thời gian giải quyết hồ sơ một cửa",
                "Không còn hồ sơ trễ hẹn tại bộ phận một cửa",
                90,
                60,
                Commitment.Status.IN_PROGRESS,
            ),
            (
                "Công khai tiến độ xử lý kiến nghị của người dân",
                "100% kiến nghị có người chịu trách nhiệm và hạn trả lời",
                45,
                100,
                Commitment.Status.AWAITING_VERIFICATION,
            ),
            (
                "Số hóa hồ sơ cán bộ, công chức",
                "Toàn bộ hồ sơ cán bộ được số hóa và tra cứu được",
                -5,
                70,
                Commitment.Status.IN_PROGRESS,
            ),
        ]:
            Commitment.objects.create(
                movement=page,
                year=today.year,
                unit=home_affairs,
                person=head,
                title=title,
                target=target,
                deadline=today + datetime.timedelta(days=days),
                supervisor=front,
                progress=progress,
                status=status,
            )
    load_evaluation(page)
    if demo.accounts:
        load_role_accounts(demo)


def load_role_accounts(demo):
    """The demo's unit officer works in Phòng Nội vụ, with this month's evaluation open;
    its supervisor speaks for the district's Fatherland Front, which verifies the office's
    commitments (one awaits verification)."""
    from .actions import monthly

    home_affairs = Unit.objects.filter(name="Phòng Nội vụ").first()
    front = Unit.objects.filter(name="Ủy ban MTTQ quận Tây Hồ").first()
    for username, unit, position in [
        ("canbonoivu", home_affairs, "Chuyên viên"),
        ("giamsatmttq", front, "Ủy viên Ban Thường trực"),
    ]:
        user = demo.user(username)
        if user is None or unit is None or Person.objects.filter(user=user).exists():
            continue
        Person.objects.create(full_name=f"{user.last_name} {user.first_name}", position=position, unit=unit, user=user)
    officer = demo.user("canbonoivu")
    today = timezone.localdate()
    if (
        officer
        and home_affairs
        and not UnitMonth.objects.filter(unit=home_affairs, month=today.replace(day=1)).exists()
    ):
        monthly.open_month(home_affairs, today, by=officer)


DEDUCTION_POINTS = [10, 15, 10, 5, 10]

CRITERIA = [
    ("Kết quả thực hiện nhiệm vụ được giao (đúng hạn, đạt chất lượng)", 50),
    ("Tinh thần trách nhiệm, dám nghĩ, dám làm, dám chịu trách nhiệm", 20),
    ("Thái độ phục vụ nhân dân, văn hóa công vụ", 20),
    ("Chấp hành kỷ luật, kỷ cương, giờ giấc làm việc", 10),
]
CADRES = [
    ("Trần Thị Lan", "Phó Trưởng phòng"),
    ("Lê Quang Huy", "Chuyên viên"),
    ("Phạm Thu Hà", "Chuyên viên"),
    ("Đỗ Mạnh Cường", "Chuyên viên"),
]


def load_evaluation(page):
    """A rubric for the People's Committee offices and three finalised months of one
    office, so the history and distribution charts have something to show."""
    from . import evaluation as rules
    from .periods import months_back

    office = UnitKind.objects.filter(name="Cơ quan chuyên môn").first()
    home_affairs = Unit.objects.filter(name="Phòng Nội vụ").first()
    if office is None or home_affairs is None or Rubric.objects.filter(kind=office).exists():
        return
    rubric = Rubric.objects.create(kind=office)
    for order, (text, points) in enumerate(CRITERIA):
        RubricCriterion.objects.create(rubric=rubric, text=text, max_points=points, sort_order=order)
    for order, (manifestation, points) in enumerate(zip(page.manifestations.all(), DEDUCTION_POINTS, strict=False)):
        RubricDeduction.objects.create(rubric=rubric, manifestation=manifestation, points=points, sort_order=order)
    people = [Person.objects.create(full_name=name, position=position, unit=home_affairs) for name, position in CADRES]
    people.insert(0, Person.objects.filter(unit=home_affairs, full_name="Nguyễn Văn Minh").first())
    pattern = [rules.EXCELLENT, rules.GOOD, rules.GOOD, rules.COMPLETED, rules.GOOD]
    points = {rules.EXCELLENT: 92, rules.GOOD: 80, rules.COMPLETED: 62, rules.NOT_COMPLETED: 40}
    results = [rules.UNIT_DONE, rules.UNIT_LATE, rules.UNIT_DONE]
    for shift, month in enumerate(months_back(timezone.localdate(), 4)[:3]):
        unit_month = UnitMonth.objects.create(
            unit=home_affairs, month=month, unit_result=results[shift], finalised_at=timezone.now()
        )
        for index, person in enumerate(p for p in people if p):
            band = pattern[(index + shift) % len(pattern)]
            if results[shift] == rules.UNIT_LATE and band == rules.GOOD:
                band = rules.COMPLETED  # a late month keeps within the cap
            CadreRating.objects.create(
                unit_month=unit_month,
                person=person,
                self_rating=band,
                head_rating=band,
                self_points=points[band],
                head_points=points[band],
            )
