"""Demo content of the contest: an index of contests and this year's "Khát vọng Tây Hồ".

Called by `manage.py load_demo`; idempotent (pages are found by slug)."""

import datetime

from django.utils import timezone

from .models import ContestCategory, ContestIndexPage, ContestPage

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


def load(home, stdout):
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
    return {"featured_call": contest}
