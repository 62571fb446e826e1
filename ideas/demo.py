"""Demo content of the idea box: sectors, the ideas index, the standing box, a themed
call, published ideas with supporters, and referrals (one overdue, one answered).

Called by `manage.py load_demo` after the emulation demo (units exist); idempotent."""

import datetime

from django.utils import timezone

from emulation.models import Unit
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
    if Idea.objects.filter(title=IDEAS[0][0]).exists():
        return {}
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
