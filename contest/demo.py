"""Demo content of the contest: an index of contests and this year's "Khát vọng Tây Hồ";
with the role accounts, entries across the categories and a judging round in progress.

Called by `manage.py load_demo`; idempotent (pages are found by slug)."""

import datetime
import random

from django.utils import timezone

from .models import ContestCategory, ContestIndexPage, ContestPage, Entry, EntryConsent

RULES = (
    "<ol>"
    "<li>Mỗi tác giả được gửi tối đa một bài cho mỗi thể loại. Bài viết bằng tiếng Việt, là tác phẩm của "
    "chính tác giả, chưa đăng trên sách, báo, mạng xã hội hay gửi dự thi ở cuộc thi khác.</li>"
    "<li>Bài viết tập trung vào ý tưởng, giải pháp cụ thể cho sự phát triển của quận Tây Hồ: quản lý và khai "
    "thác Hồ Tây, văn hóa và du lịch, chỉnh trang đô thị, cải cách hành chính, chuyển đổi số, kỷ luật, "
    "kỷ cương trong thực thi công vụ.</li>"
    "<li>Bài gửi trực tuyến qua cổng thông tin này; có thể kèm tệp .docx hoặc .pdf không quá 10 MB. Bài được "
    "tính là hợp lệ khi tác giả xác nhận qua thư điện tử và nhận được mã dự thi.</li>"
    "<li>Ban Giám khảo chấm bài theo mã, không biết tên tác giả. Kết quả được công bố trên cổng thông tin.</li>"
    "<li>Ban Tổ chức được sử dụng bài đạt giải để tuyên truyền, có ghi tên tác giả hoặc bút danh theo lựa "
    "chọn của tác giả.</li>"
    "</ol>"
)
ELIGIBILITY = (
    "<p>Cán bộ, đảng viên, học sinh, sinh viên và mọi tầng lớp nhân dân đang sinh sống, học tập, công tác trên "
    "địa bàn quận Tây Hồ hoặc có tình cảm gắn bó với Tây Hồ. Thành viên Ban Tổ chức, Ban Giám khảo và Tổ thư ký "
    "không tham gia dự thi.</p>"
)
PRIZES = (
    "<ul><li>01 giải Đặc biệt: 10.000.000 đồng</li><li>03 giải A: 5.000.000 đồng</li>"
    "<li>05 giải B: 3.000.000 đồng</li><li>10 giải C: 2.000.000 đồng</li>"
    "<li>Giải Khuyến khích và giải dành cho tác giả nhỏ tuổi nhất.</li></ul>"
)
CONTACT = (
    "<p>Tổ thư ký cuộc thi – Ban Tuyên giáo Quận ủy Tây Hồ, số 657 đường Lạc Long Quân. "
    "Điện thoại: 024 3753 0000. Thư điện tử: "
    '<a href="mailto:cuocthi@tayho.example.vn">cuocthi@tayho.example.vn</a></p>'
)
CATEGORIES = [
    ("Học sinh, sinh viên", "Tác giả đang học phổ thông, cao đẳng, đại học."),
    ("Đoàn viên, thanh niên", "Tác giả từ 16 đến 35 tuổi."),
    ("Cán bộ, đảng viên", "Cán bộ, công chức, viên chức và đảng viên."),
    ("Nhân dân", "Mọi tầng lớp nhân dân khác."),
]


FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Quang", "Ngọc", "Hữu", "Thanh", "Đức", "Phương"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Khánh", "Linh", "Long", "Mai"]
GIVEN += ["Nam", "Nga", "Phong", "Quân", "Quỳnh", "Sơn", "Tâm", "Thảo", "Trang", "Trung", "Tú", "Vân", "Yến"]
TOPICS = [
    ("Hồ Tây", "một lối đi bộ liền mạch quanh Hồ Tây, có bóng cây, ghế nghỉ và nhà vệ sinh công cộng"),
    ("làng hoa Nhật Tân", "giữ quỹ đất trồng đào, mở tuyến tham quan vườn đào cho du khách quanh năm"),
    ("phủ Tây Hồ", "sắp xếp lại hàng quán, chỗ gửi xe và lối vào phủ để khách thập phương đi lại dễ dàng"),
    ("bộ phận một cửa", "tiếp nhận hồ sơ trực tuyến, hẹn giờ làm việc và nhắn tin khi hồ sơ có kết quả"),
    ("ngõ nhỏ Quảng An", "sơn vạch đỗ xe, lắp đèn chiếu sáng và gắn biển số nhà rõ ràng trong các ngõ sâu"),
    ("chợ Quảng Bá", "cải tạo chợ thành điểm mua sắm sạch, có khu rau an toàn và chỗ đỗ xe riêng"),
    ("trường học ven hồ", "đưa học sinh ra hồ học môn tự nhiên, nhận chăm sóc một đoạn bờ hồ"),
    ("rác thải nhựa", "phân loại rác tại nguồn, đặt điểm thu gom pin và chai nhựa ở mỗi tổ dân phố"),
    ("chuyển đổi số", "một ứng dụng để người dân báo sự cố đô thị kèm ảnh và theo dõi việc xử lý"),
    ("cán bộ phường", "công khai tên, số điện thoại và việc của từng cán bộ phụ trách địa bàn"),
    ("văn hóa Kẻ Bưởi", "phục dựng nghề làm giấy dó, mở lớp dạy nghề cho thanh thiếu niên"),
    ("đường Thanh Niên", "cấm xe cơ giới tối cuối tuần, dành cho đi bộ, biểu diễn nghệ thuật đường phố"),
]
OPENINGS = [
    "Mỗi sáng đi làm qua {place}, tôi lại nghĩ: Tây Hồ có thể đẹp hơn, tiện hơn nếu ta bắt đầu từ những việc nhỏ.",
    "Là người sinh ra và lớn lên bên {place}, tôi mong con cháu mình còn được thấy một Tây Hồ như ký ức.",
    "Câu chuyện về {place} được bàn nhiều ở tổ dân phố, nhưng chưa ai đưa ra một cách làm cụ thể.",
    "Tôi viết bài này sau nhiều lần đưa khách nước ngoài đến thăm {place}.",
]
MIDDLES = [
    "Ý tưởng của tôi là {idea}. Việc này không tốn nhiều tiền, nhưng cần người chịu trách nhiệm rõ ràng và "
    "cần người dân cùng tham gia ngay từ đầu.",
    "Tôi đề xuất {idea}. Phường có thể làm thí điểm trong ba tháng, công khai kết quả rồi mới nhân rộng.",
    "Giải pháp là {idea}; đoàn thanh niên, hội phụ nữ và các tổ dân phố nhận phần việc của mình.",
]
REASONS = [
    "Khi mỗi việc có người chịu trách nhiệm và có thời hạn, người dân sẽ tin và cùng làm.",
    "Kinh nghiệm của các quận bạn cho thấy làm thí điểm nhỏ, công khai, rồi rút kinh nghiệm là cách chắc chắn nhất.",
    "Không gian công cộng đẹp là tài sản chung; giữ gìn nó là trách nhiệm của cả chính quyền và người dân.",
    "Chuyển đổi số chỉ có ý nghĩa khi người dân đi lại ít hơn và biết hồ sơ của mình đang ở đâu.",
    "Du khách ở lại lâu hơn thì các hộ kinh doanh nhỏ trong ngõ cũng có thêm thu nhập.",
]
CLOSINGS = [
    "Tôi tin rằng với khát vọng chung, Tây Hồ sẽ là nơi đáng sống nhất của Thủ đô.",
    "Mong Ban Tổ chức chuyển ý tưởng này đến đơn vị có trách nhiệm để được xem xét.",
    "Nếu được chọn, tôi sẵn sàng cùng tổ dân phố của mình làm thử ngay.",
]


SENTENCES = [
    "Tây Hồ có lợi thế mà ít nơi nào có: một hồ nước lớn giữa lòng Thủ đô.",
    "Người dân sẵn sàng góp công, góp sức nếu thấy việc làm thiết thực và minh bạch.",
    "Nhiều việc tốt đã làm được, nhưng chưa ai tổng kết để nhân rộng.",
    "Cán bộ phường hiểu địa bàn nhất, cần được trao quyền và chịu trách nhiệm đến cùng.",
    "Một kế hoạch tốt phải nói rõ ai làm, làm đến đâu và khi nào xong.",
    "Thanh niên trong quận rất năng động, có thể nhận những phần việc cụ thể.",
    "Chi phí ban đầu không lớn nếu tận dụng cơ sở vật chất sẵn có.",
    "Các doanh nghiệp ven hồ cũng được lợi, nên có thể mời họ cùng đóng góp.",
    "Kết quả cần được đo bằng con số, công bố hằng tháng để mọi người cùng theo dõi.",
    "Điều quan trọng nhất là làm đến nơi đến chốn, không đầu voi đuôi chuột.",
    "Ở nhiều nước, những cách làm tương tự đã thay đổi bộ mặt cả một khu phố.",
    "Người cao tuổi và trẻ em là những người được hưởng lợi trước tiên.",
    "Nếu làm thí điểm ở một phường, chỉ sau một mùa là biết cách nào hiệu quả.",
    "Mạng xã hội giúp lan tỏa nhanh những việc làm tốt và cả những chỗ còn yếu.",
    "Chính quyền lắng nghe thì người dân sẽ nói thật, góp ý thật.",
    "Không nên để một việc nhỏ phải qua nhiều cửa, nhiều người ký.",
    "Mỗi tổ dân phố có thể nhận chăm sóc một đoạn đường, một góc phố.",
    "Những ngày cuối tuần, Hồ Tây đón hàng vạn lượt khách, áp lực lên hạ tầng rất lớn.",
    "Cần có biển báo, bản đồ và hướng dẫn bằng cả tiếng Việt và tiếng Anh.",
    "Giữ gìn nét văn hóa làng cũ giữa phố mới là việc không thể chậm trễ.",
    "Tôi đã trao đổi ý tưởng này với hàng xóm, ai cũng đồng tình và muốn tham gia.",
    "Khi việc chung có người chịu trách nhiệm rõ ràng, sẽ không còn cảnh đùn đẩy.",
    "Việc số hóa giúp tiết kiệm thời gian cho cả người dân lẫn cán bộ.",
    "Ngân sách có hạn nên cần chọn việc nào làm trước, việc nào làm sau.",
    "Trường học có thể là nơi gieo những thói quen tốt cho cả gia đình.",
    "Ý kiến của người dân cần được trả lời đúng hạn, dù là đồng ý hay chưa.",
    "Một con phố sạch, đẹp khiến mỗi người tự giác giữ gìn hơn.",
    "Phải có người theo dõi, nhắc việc và báo cáo kết quả hằng tuần.",
]


def entry_text(number):
    """A title and a body of about 300 words, the same for the same number."""
    rng = random.Random(f"entry-{number}")
    place, idea = TOPICS[number % len(TOPICS)]
    title = rng.choice(
        [
            f"Khát vọng từ {place}",
            f"Để {place} đẹp hơn mỗi ngày",
            f"Một ý tưởng cho {place}",
            f"Chuyện ở {place} và việc có thể làm ngay",
            f"{place[0].upper()}{place[1:]}: nghĩ lớn, làm từ việc nhỏ",
        ]
    )
    pool = rng.sample(SENTENCES + REASONS, len(SENTENCES) + len(REASONS))
    paragraphs = [rng.choice(OPENINGS).format(place=place), rng.choice(MIDDLES).format(idea=idea)]
    paragraphs += [" ".join(pool[i : i + 4]) for i in range(0, 24, 4)]
    paragraphs.append(rng.choice(CLOSINGS))
    return f"{title} (bài số {number + 1})", "".join(f"<p>{text}</p>" for text in paragraphs)


def person_name(rng):
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def load_entries(contest, count):
    """`count` confirmed entries spread over the contest's categories, each by its own
    author; those already there (by title) are kept."""
    from .actions import entries

    categories = list(contest.categories.order_by("sort_order"))
    have = set(Entry.objects.filter(contest=contest).values_list("title", flat=True))
    for number in range(count):
        title, body = entry_text(number)
        if title in have:
            continue
        rng = random.Random(f"entrant-{number}")
        entry = entries.submit_entry(
            contest,
            category=categories[number % len(categories)],
            title=title,
            body_html=body,
            consents=list(EntryConsent.Kind.values),
            entrant={
                "full_name": person_name(rng),
                "pen_name": "",
                "birth_year": rng.randint(1955, 2008),
                "phone": f"09{rng.randint(10000000, 99999999)}",
                "email": f"tacgia{number + 1}@example.vn",  # demo addresses: nobody to tell
                "address": "",
                "occupation": "",
                "show_as": "name",
            },
        ).entry
        entries.confirm_entry(entry)


def load_judging(contest, demo):
    """The first round in progress: every entry scored by two of the three demo judges."""
    from .judging import actions as judging
    from .judging.models import Criterion, Round

    organiser = demo.user("bantochuc")
    judges = [demo.user(f"giamkhao{n}") for n in (1, 2, 3)]
    if organiser is None or None in judges or Round.objects.filter(call=contest).exists():
        return
    now = timezone.now()
    round_ = Round.objects.create(
        call=contest,
        name="Sơ khảo",
        judges_per_item=2,
        seed=2024,
        status="scoring",
        scoring_opens_at=now - datetime.timedelta(days=2),
        scoring_closes_at=now + datetime.timedelta(days=12),
    )
    for order, (name, guidance) in enumerate(
        [
            ("Ý tưởng", "Mới, khả thi, có ích cho quận."),
            ("Giải pháp", "Cụ thể: ai làm, làm gì, khi nào, tốn bao nhiêu."),
            ("Trình bày", "Mạch lạc, dễ hiểu, đúng thể lệ."),
        ]
    ):
        Criterion.objects.create(round=round_, name=name, guidance=guidance, sort_order=order)
    round_.judges.set(judges)
    round_.save()  # a ParentalManyToManyField is stored on save
    judging.add_items(round_, contest.entries.filter(status=Entry.Status.CONFIRMED), by=organiser)
    judging.assign_round(round_, by=organiser)


def load(home, demo):
    index = home.get_children().filter(slug="cuoc-thi").specific().first()
    if index is None:
        index = ContestIndexPage(
            title="Cuộc thi viết",
            slug="cuoc-thi",
            show_in_menus=True,
            intro="Các cuộc thi viết do Quận ủy Tây Hồ phát động để tìm kiếm ý tưởng hay cho sự phát triển của quận.",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    contest = ContestPage.objects.child_of(index).filter(slug="khat-vong-tay-ho").first()
    if contest is None:
        # Dates around the day the demo is loaded, so that the demo contest is open.
        today = timezone.localdate()
        opens = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=30), datetime.time(8)))
        closes = timezone.make_aware(
            datetime.datetime.combine(today + datetime.timedelta(days=60), datetime.time(23, 59))
        )
        year = opens.year
        contest = ContestPage(
            title=f"Cuộc thi viết “Khát vọng Tây Hồ” {year}",
            slug="khat-vong-tay-ho",
            show_in_menus=False,
            theme="Ý tưởng cho một Tây Hồ văn hiến, văn minh, hiện đại, xứng tầm với tiềm năng và vị thế",
            intro="Cán bộ, đảng viên và mọi tầng lớp nhân dân cùng góp ý tưởng để Tây Hồ trở thành nơi quản lý, "
            "khai thác Hồ Tây hiệu quả và đáng sống.",
            rules=RULES,
            eligibility=ELIGIBILITY,
            prizes=PRIZES,
            contact=CONTACT,
            opens_at=opens,
            closes_at=closes,
            min_words=300,
            max_words=3000,
            code_prefix=f"KVTH{year % 100:02d}",
            max_entries_per_person=1,
            rules_version=f"{year}-1",
            search_description="Thể lệ, giải thưởng và cách gửi bài dự thi cuộc thi viết “Khát vọng Tây Hồ”.",
        )
        for order, (name, description) in enumerate(CATEGORIES):
            contest.categories.add(ContestCategory(name=name, description=description, sort_order=order))
        index.add_child(instance=contest)
        contest.save_revision().publish()
    load_entries(contest, demo.count(full=60, small=6))
    if demo.accounts:
        load_judging(contest, demo)
    return {"featured_call": contest}
