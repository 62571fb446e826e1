"""Demo content of the idea box: sectors, the ideas index, the standing box, a themed
call, published ideas with supporters, and referrals (one overdue, one answered); with
the role accounts, ideas to screen, and for a lively demo about forty ideas across sectors
and wards with referrals in every state.

Called by `manage.py load_demo` after the emulation demo (units exist); idempotent."""

import datetime
import random

from django.utils import timezone

from emulation.actions.monthly import gather_proposals
from emulation.models import Unit, UnitMonth
from referrals.models import Referral, ReferralStep
from tayho_site.models import Ward

from .actions import authors, moderation, referring
from .models import Idea, IdeaCallPage, IdeaEvent, IdeaIndexPage, Sector

SECTORS = [
    "Trật tự đô thị",
    "Môi trường và Hồ Tây",
    "Du lịch và văn hóa",
    "Cải cách hành chính",
    "Dịch vụ số",
    "Giáo dục",
    "Y tế",
    "An sinh xã hội",
]
IDEAS = [
    (
        "Lắp thêm thùng rác phân loại dọc đường ven Hồ Tây",
        "Môi trường và Hồ Tây",
        "Cuối tuần, rác thải nhựa dồn ứ ở các điểm ngồi ven hồ đoạn Trích Sài, nhiều túi nilon trôi xuống hồ.",
        "Đặt thùng rác ba ngăn (nhựa, giấy, rác khác) cách nhau 200 m, có biển hướng dẫn song ngữ; tổ dân phố "
        "và đoàn thanh niên nhận chăm sóc từng đoạn.",
        "Hồ sạch hơn, người dân và du khách quen phân loại rác tại nguồn.",
        42,
    ),
    (
        "Tra cứu tiến độ hồ sơ một cửa bằng mã QR",
        "Cải cách hành chính",
        "Người dân phải gọi điện hoặc quay lại bộ phận một cửa nhiều lần chỉ để hỏi hồ sơ đã đến đâu.",
        "In mã QR trên giấy hẹn; quét mã để xem hồ sơ đang ở bước nào, ai đang giữ và hạn xử lý.",
        "Giảm đi lại, công khai người chịu trách nhiệm từng bước, hồ sơ trễ hẹn lộ rõ.",
        67,
    ),
    (
        "Tuyến đi bộ di sản làng hoa Nhật Tân – Quảng An",
        "Du lịch và văn hóa",
        "Du khách đến Tây Hồ chủ yếu dạo quanh hồ, ít biết đến các đình, chùa và làng nghề trong ngõ.",
        "Cắm biển chỉ dẫn và bản đồ tuyến đi bộ nối đình, chùa, vườn đào; thuyết minh qua mã QR.",
        "Du khách ở lại lâu hơn, các hộ làng nghề có thêm thu nhập.",
        18,
    ),
    (
        "Vạch sơn chỗ đỗ xe máy tại ngõ chợ Quảng Bá",
        "Trật tự đô thị",
        "Xe máy đỗ tràn ra lòng ngõ giờ tan tầm, xe cứu thương khó đi vào.",
        "Sơn vạch chỗ đỗ một bên ngõ, bên kia để trống; tổ dân phố nhắc nhở vào giờ cao điểm.",
        "Ngõ thông thoáng, an toàn phòng cháy.",
        9,
    ),
]


TO_SCREEN = [
    (
        "Ghế đá và bóng cây cho điểm chờ xe buýt Lạc Long Quân",
        "Trật tự đô thị",
        "Người già, trẻ nhỏ phải đứng nắng chờ xe buýt, không có chỗ ngồi.",
        "Đặt ghế đá, trồng cây bóng mát tại ba điểm chờ đông người nhất.",
        "Đi xe buýt dễ chịu hơn, nhiều người bỏ xe máy hơn.",
    ),
    (
        "Lớp dạy bơi miễn phí mùa hè cho học sinh",
        "Giáo dục",
        "Mỗi mùa hè vẫn có trẻ em gặp nạn đuối nước ở hồ, ao.",
        "Mượn bể bơi của các khách sạn ven hồ buổi sáng, mở lớp dạy bơi miễn phí cho học sinh tiểu học.",
        "Trẻ biết bơi, cha mẹ yên tâm, doanh nghiệp góp sức cho cộng đồng.",
    ),
    (
        "Nhắn tin lịch tiêm chủng cho các gia đình có trẻ nhỏ",
        "Y tế",
        "Nhiều phụ huynh quên lịch tiêm nhắc lại của con.",
        "Trạm y tế phường gửi tin nhắn trước ngày tiêm ba ngày, kèm giờ tiêm và giấy tờ cần mang.",
        "Tỷ lệ tiêm đúng lịch cao hơn, trạm y tế bớt đông vào cuối tháng.",
    ),
    (
        "Tủ sách chung ở nhà văn hóa tổ dân phố",
        "Du lịch và văn hóa",
        "Nhà văn hóa nhiều tổ dân phố ít được dùng ngoài các buổi họp.",
        "Mỗi nhà văn hóa có một tủ sách do người dân góp, mở cửa chiều thứ Bảy cho thiếu nhi.",
        "Trẻ có chỗ đọc sách, nhà văn hóa có thêm người đến.",
    ),
    (
        "Đăng ký khai sinh và cấp thẻ bảo hiểm y tế cho trẻ một lần",
        "Cải cách hành chính",
        "Cha mẹ phải đi nhiều nơi, khai nhiều lần cùng một thông tin cho con mới sinh.",
        "Liên thông thủ tục: khai một lần ở bộ phận một cửa, nhận đủ giấy tờ qua bưu điện.",
        "Giảm đi lại cho các gia đình trẻ, giảm hồ sơ giấy.",
    ),
]


def submit(call, number, title, sector, problem, proposal, benefit, ward):
    """An idea sent and confirmed by its (demo) author, as through the form."""
    idea = authors.submit_idea(
        call,
        title=title,
        problem=problem,
        proposal=proposal,
        benefit=benefit,
        sector=Sector.objects.get(name=sector),
        ward=ward,
        author={
            "full_name": f"Người dân {number + 1}",
            "email": f"nguoidan{number + 1}@example.vn",
            "show_name": number % 2 == 0,
            "notify": False,
        },  # demo addresses: nobody to tell
        consents=["rules", "personal_data"],
    ).idea
    return authors.confirm_idea(idea)


def load_to_screen(box, count):
    """Ideas confirmed by their authors and waiting for the organisers to screen them."""
    wards = list(Ward.objects.filter(active=True)[:4])
    for number, (title, sector, problem, proposal, benefit) in enumerate(TO_SCREEN[:count]):
        if Idea.objects.filter(title=title).exists():
            continue
        ward = wards[number % len(wards)] if wards else None
        submit(box, 100 + number, title, sector, problem, proposal, benefit, ward)


# More ideas for a lively demo: (title, sector); the text around them is the sector's.
MORE_IDEAS = [
    ("Camera giám sát đổ trộm phế thải ở bãi đất trống Phú Thượng", "Trật tự đô thị"),
    ("Chỉnh trang vỉa hè đường Xuân Diệu cho người đi bộ", "Trật tự đô thị"),
    ("Bố trí điểm trông giữ xe đạp công cộng gần trường học", "Trật tự đô thị"),
    ("Biển chỉ dẫn lối thoát hiểm trong các ngõ sâu", "Trật tự đô thị"),
    ("Vớt bèo, rác nổi trên Hồ Tây vào sáng thứ Bảy", "Môi trường và Hồ Tây"),
    ("Trồng thêm hàng cây bóng mát quanh hồ Quảng Bá", "Môi trường và Hồ Tây"),
    ("Đo và công khai chất lượng nước Hồ Tây hằng tháng", "Môi trường và Hồ Tây"),
    ("Thu gom dầu ăn thải từ các nhà hàng ven hồ", "Môi trường và Hồ Tây"),
    ("Chợ phiên cuối tuần cho sản phẩm làng nghề", "Du lịch và văn hóa"),
    ("Bản đồ ẩm thực Tây Hồ song ngữ", "Du lịch và văn hóa"),
    ("Lễ hội hoa đào Nhật Tân mở cửa miễn phí", "Du lịch và văn hóa"),
    ("Thuyết minh di tích bằng mã QR tại đình, chùa", "Du lịch và văn hóa"),
    ("Bàn hướng dẫn thủ tục cho người cao tuổi tại một cửa", "Cải cách hành chính"),
    ("Hẹn giờ nộp hồ sơ trực tuyến, không phải xếp hàng", "Cải cách hành chính"),
    ("Nhắn tin khi hồ sơ đất đai chuyển bước xử lý", "Cải cách hành chính"),
    ("Công khai số điện thoại cán bộ phụ trách từng tổ dân phố", "Cải cách hành chính"),
    ("Ứng dụng báo hỏng đèn chiếu sáng, ổ gà kèm ảnh", "Dịch vụ số"),
    ("Wifi miễn phí tại các điểm sinh hoạt cộng đồng", "Dịch vụ số"),
    ("Thanh toán học phí, điện nước bằng một mã QR", "Dịch vụ số"),
    ("Lớp dạy dùng điện thoại thông minh cho người cao tuổi", "Dịch vụ số"),
    ("Sân chơi an toàn cho trẻ em trong khu dân cư", "Giáo dục"),
    ("Mở thư viện trường học cho thiếu nhi dịp hè", "Giáo dục"),
    ("Câu lạc bộ tiếng Anh cuối tuần do tình nguyện viên dạy", "Giáo dục"),
    ("Đưa đón học sinh bằng xe buýt trường học", "Giáo dục"),
    ("Khám sức khỏe định kỳ tại nhà cho người cao tuổi sống một mình", "Y tế"),
    ("Tủ thuốc sơ cứu ở mỗi nhà văn hóa tổ dân phố", "Y tế"),
    ("Lớp sơ cứu đuối nước cho người dân ven hồ", "Y tế"),
    ("Bữa ăn nghĩa tình cho người lao động tự do", "An sinh xã hội"),
    ("Tủ quần áo chia sẻ ở các phường", "An sinh xã hội"),
    ("Giới thiệu việc làm cho người khuyết tật", "An sinh xã hội"),
    ("Nhà tránh nắng cho người bán hàng rong", "An sinh xã hội"),
]
SECTOR_TEXT = {
    "Trật tự đô thị": (
        "Tình trạng này kéo dài nhiều năm, người dân đã phản ánh nhưng chưa có đơn vị nào nhận trách nhiệm.",
        "Tổ dân phố và công an phường làm thí điểm trong ba tháng, công khai kết quả trên cổng thông tin.",
        "Đường phố an toàn, thông thoáng; người dân thấy ý kiến của mình được lắng nghe.",
    ),
    "Môi trường và Hồ Tây": (
        "Hồ Tây là tài sản chung nhưng rác và nước thải vẫn đổ xuống hồ mỗi ngày.",
        "Ban quản lý Hồ Tây chủ trì, đoàn thanh niên và các hộ kinh doanh ven hồ cùng tham gia.",
        "Hồ sạch, đẹp hơn; du khách và người dân quen giữ gìn môi trường.",
    ),
    "Du lịch và văn hóa": (
        "Du khách đến Tây Hồ chỉ dạo quanh hồ, ít biết những giá trị văn hóa trong làng cũ.",
        "Phòng Văn hóa phối hợp các phường và hộ làng nghề làm trước ở một tuyến phố.",
        "Du khách ở lại lâu hơn, các hộ làng nghề có thêm thu nhập, văn hóa Kẻ Bưởi được giữ gìn.",
    ),
    "Cải cách hành chính": (
        "Người dân phải đi lại nhiều lần, không biết hồ sơ đang ở đâu, ai đang giữ.",
        "Bộ phận một cửa làm thí điểm, mỗi bước có người chịu trách nhiệm và thời hạn công khai.",
        "Giảm đi lại, hồ sơ trễ hẹn lộ rõ, cán bộ không thể đùn đẩy.",
    ),
    "Dịch vụ số": (
        "Nhiều dịch vụ đã có trên mạng nhưng người dân chưa biết hoặc chưa dùng được.",
        "Làm một công cụ đơn giản, hướng dẫn tận nơi ở tổ dân phố, đo số người dùng mỗi tháng.",
        "Người dân tiết kiệm thời gian, chính quyền biết việc gì cần làm trước.",
    ),
    "Giáo dục": (
        "Trẻ em thiếu chỗ vui chơi, học tập an toàn ngoài giờ học, nhất là dịp hè.",
        "Nhà trường, đoàn thanh niên và hội cha mẹ học sinh cùng tổ chức, dùng cơ sở sẵn có.",
        "Trẻ có nơi học tập, vui chơi an toàn; cha mẹ yên tâm đi làm.",
    ),
    "Y tế": (
        "Người cao tuổi, người sống một mình khó đến trạm y tế khi cần.",
        "Trạm y tế phường lập danh sách, phân công cán bộ y tế và tình nguyện viên theo tổ dân phố.",
        "Phát hiện bệnh sớm, giảm quá tải cho bệnh viện, người dân yên tâm hơn.",
    ),
    "An sinh xã hội": (
        "Người lao động tự do, người khuyết tật còn nhiều khó khăn nhưng ít được hỗ trợ kịp thời.",
        "Mặt trận Tổ quốc phường kết nối nhà hảo tâm, doanh nghiệp và người cần giúp đỡ, công khai sổ sách.",
        "Không ai bị bỏ lại phía sau; tình làng nghĩa xóm được vun đắp.",
    ),
}
ANSWERS = {
    Referral.Outcome.ACCEPTED: "Đồng ý với ý tưởng; đơn vị đưa vào kế hoạch quý tới và báo cáo kết quả công khai.",
    Referral.Outcome.DONE: "Việc này đã được triển khai; đơn vị cảm ơn người dân đã góp ý và mời tiếp tục theo dõi.",
    Referral.Outcome.DECLINED: "Chưa thể thực hiện vì vướng quy hoạch của thành phố; đơn vị sẽ xem xét lại khi quy "
    "hoạch được điều chỉnh.",
}


def load_more(call, box, count):
    """Published ideas across sectors and wards, with supporters, and referrals in every
    state: none yet, open on time, overdue, transferred, answered (accepted, done,
    declined) on time, and answered late. The same ideas each time, by title."""
    units = {unit.name: unit for unit in Unit.objects.all()}
    office, committee = units.get("Phòng Nội vụ"), units.get("UBND quận Tây Hồ")
    if office is None or committee is None:
        return
    wards = list(Ward.objects.filter(active=True))
    today = timezone.localdate()
    for number, (title, sector) in enumerate(MORE_IDEAS[:count]):
        if Idea.objects.filter(title=title).exists():
            continue
        rng = random.Random(f"idea-{number}")
        problem, proposal, benefit = SECTOR_TEXT[sector]
        ward = wards[number % len(wards)] if wards else None
        idea = submit(call if number % 5 == 0 else box, 200 + number, title, sector, problem, proposal, benefit, ward)
        idea = moderation.publish(idea, by=None)
        Idea.objects.filter(pk=idea.pk).update(supporters=rng.randint(0, 120))
        state = number % 8
        if state == 0:
            continue  # under consideration, not referred yet
        unit = office if state in (2, 3) else rng.choice([office, committee])
        days_ago = {1: 3, 2: 30, 3: 9}.get(state, rng.randint(20, 40))
        referral = referring.refer(idea, unit=committee if state == 3 else unit, by=None, today=today - days_ago * DAY)
        if state == 3:
            _transfer(idea, referral, to_unit=office, on=today - 6 * DAY)
        elif state >= 4:
            outcome = [Referral.Outcome.ACCEPTED, Referral.Outcome.DONE, Referral.Outcome.DECLINED][state % 3]
            late = state == 7
            on = referral.due_on + 4 * DAY if late else referral.received_on + 6 * DAY
            _answer(idea, referral, outcome=outcome, on=min(on, today))


DAY = datetime.timedelta(days=1)


def _transfer(idea, referral, *, to_unit, on):
    """As the holding unit would pass it on in its workspace (the demo answers for units
    that have no officer account)."""
    ReferralStep.objects.create(
        referral=referral,
        kind=ReferralStep.Kind.TRANSFERRED,
        on=on,
        from_unit=referral.unit,
        to_unit=to_unit,
        text="Nội dung thuộc chức năng của Phòng Nội vụ; chuyển để trả lời đúng thẩm quyền.",
    )
    Referral.objects.filter(pk=referral.pk).update(unit=to_unit, transfers=1)


def _answer(idea, referral, *, outcome, on):
    text = ANSWERS[outcome]
    Referral.objects.filter(pk=referral.pk).update(
        status=Referral.Status.ANSWERED,
        outcome=outcome,
        answered_on=on,
        answer=text,
        plan_date=on + 90 * DAY if outcome == Referral.Outcome.ACCEPTED else None,
    )
    ReferralStep.objects.create(
        referral=referral, kind=ReferralStep.Kind.ANSWERED, on=on, from_unit=referral.unit, text=text
    )
    Idea.objects.filter(pk=idea.pk).update(stage=referring.STAGE_OF_OUTCOME[outcome])


def load(home, demo):
    for order, name in enumerate(SECTORS):
        Sector.objects.get_or_create(name=name, defaults={"sort_order": order})
    index = home.get_children().filter(slug="y-tuong").specific().first()
    if index is None:
        index = IdeaIndexPage(
            title="Ý tưởng",
            slug="y-tuong",
            show_in_menus=True,
            intro="Gửi ý tưởng cho Tây Hồ, ủng hộ ý tưởng hay và theo dõi đơn vị nào đang trả "
            "lời, đã trả lời đúng hạn hay chưa.",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    box = IdeaCallPage.objects.child_of(index).filter(slug="hom-thu-y-tuong").first()
    if box is None:
        box = IdeaCallPage(
            title="Hòm thư ý tưởng",
            slug="hom-thu-y-tuong",
            theme="Mọi ý tưởng cho Tây Hồ, quanh năm",
            intro="Hòm thư luôn mở: mỗi ý tưởng được Ban Tổ chức đọc, công khai và chuyển đến đơn vị "
            "có trách nhiệm trả lời trong 10 ngày làm việc.",
            opens_at=timezone.now() - datetime.timedelta(days=60),
        )
        index.add_child(instance=box)
        box.save_revision().publish()
    call = IdeaCallPage.objects.child_of(index).filter(slug="ven-ho-tay").first()
    if call is None:
        call = IdeaCallPage(
            title="Ý tưởng cho không gian ven Hồ Tây",
            slug="ven-ho-tay",
            theme="Một Hồ Tây sạch, đẹp, mở cho mọi người",
            intro="Đợt góp ý tưởng theo chủ đề: các ý tưởng được Ban Giám khảo chấm theo tính khả "
            "thi, tác động, tính mới và chi phí.",
            opens_at=timezone.now() - datetime.timedelta(days=20),
            closes_at=timezone.now() + datetime.timedelta(days=40),
        )
        index.add_child(instance=call)
        call.save_revision().publish()
    load_to_screen(box, demo.count(full=5, small=3))
    if not Idea.objects.filter(title=IDEAS[0][0]).exists():
        load_first(call, box)
    load_more(call, box, demo.count(full=len(MORE_IDEAS), small=8))
    # Months opened before the referrals above existed: let them propose their deductions.
    for unit_month in UnitMonth.objects.filter(finalised_at__isnull=True):
        gather_proposals(unit_month)
    return {}


def load_first(call, box):
    """The first four ideas: one referred to Phòng Nội vụ and now overdue, one answered."""
    wards = list(Ward.objects.filter(active=True)[:4])
    ideas = []
    for number, (title, sector, problem, proposal, benefit, supporters) in enumerate(IDEAS):
        idea = authors.submit_idea(
            call if number == 0 else box,
            title=title,
            problem=problem,
            proposal=proposal,
            benefit=benefit,
            sector=Sector.objects.get(name=sector),
            ward=wards[number % len(wards)] if wards else None,
            author={
                "full_name": f"Người dân {number + 1}",
                "email": f"nguoidan{number + 1}@example.vn",
                "show_name": number % 2 == 0,
                "notify": False,
            },  # demo addresses: nobody to tell
            consents=["rules", "personal_data"],
        ).idea
        authors.confirm_idea(idea)
        idea = moderation.publish(idea, by=None)
        Idea.objects.filter(pk=idea.pk).update(supporters=supporters)
        ideas.append(idea)
    office = Unit.objects.filter(name="Phòng Nội vụ").first()
    committee = Unit.objects.filter(name="UBND quận Tây Hồ").first()
    if office and committee:
        today = timezone.localdate()
        referring.refer(ideas[1], unit=office, by=None, today=today - datetime.timedelta(days=25))
        answered = referring.refer(ideas[0], unit=committee, by=None, today=today - datetime.timedelta(days=10))
        # The answer as the office would give it in its workspace (the demo has no officer account).
        Referral.objects.filter(pk=answered.pk).update(
            status=Referral.Status.ANSWERED,
            outcome=Referral.Outcome.ACCEPTED,
            answered_on=today,
            plan_date=today + datetime.timedelta(days=60),
            answer="Đồng ý triển khai thí điểm tại đoạn Trích Sài trong quý tới; giao Ban quản lý Hồ Tây thực hiện.",
        )
        ReferralStep.objects.create(
            referral=answered,
            kind=ReferralStep.Kind.ANSWERED,
            on=today,
            from_unit=committee,
            text=Referral.objects.get(pk=answered.pk).answer,
        )
        Idea.objects.filter(pk=ideas[0].pk).update(stage=Idea.Stage.ACCEPTED)
        IdeaEvent.objects.create(idea=ideas[0], kind=IdeaEvent.Kind.SELECTED)
        Idea.objects.filter(pk=ideas[0].pk).update(selected_at=timezone.now())
    return {}
