import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from emulation import importing
from emulation.models import Person, Unit, UnitKind

pytestmark = pytest.mark.django_db

UNITS_CSV = """Đơn vị,Đơn vị cấp trên,Loại đơn vị
Quận ủy Tây Hồ,,Cấp ủy
UBND quận Tây Hồ,Quận ủy Tây Hồ,Cơ quan hành chính
Văn phòng HĐND - UBND,UBND quận Tây Hồ,Phòng ban
Phòng Nội vụ,UBND quận Tây Hồ,Phòng ban
"""


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def load_units():
    rows = importing.read_rows("don-vi.csv", UNITS_CSV.encode("utf-8-sig"), importing.UNIT_COLUMNS)
    return importing.import_units(rows)


def test_units_import_as_a_tree_with_their_kinds():
    report = load_units()
    assert report.ok and report.created == 4
    ubnd = Unit.objects.get(name="UBND quận Tây Hồ")
    assert sorted(u.name for u in ubnd.get_children()) == ["Phòng Nội vụ", "Văn phòng HĐND - UBND"]
    assert ubnd.get_parent().name == "Quận ủy Tây Hồ"
    assert {u.name for u in Unit.objects.get(name="Quận ủy Tây Hồ").with_descendants()} == {
        "Quận ủy Tây Hồ",
        "UBND quận Tây Hồ",
        "Văn phòng HĐND - UBND",
        "Phòng Nội vụ",
    }
    assert UnitKind.objects.count() == 3


def test_people_import_from_xlsx():
    load_units()
    content = xlsx(
        [
            ["Họ và tên", "Chức vụ", "Đơn vị", "Đảng viên", "Thư điện tử"],
            ["Nguyễn Văn An", "Trưởng phòng", "Phòng Nội vụ", "có", "an@tayho.example.vn"],
            ["Trần Thị Bình", "Chuyên viên", "Phòng Nội vụ", "không", ""],
        ]
    )
    report = importing.import_people(importing.read_rows("can-bo.xlsx", content, importing.PEOPLE_COLUMNS))
    assert report.ok and report.created == 2
    assert Person.objects.get(full_name="Nguyễn Văn An").party_member is True


def test_bad_rows_are_each_reported_and_nothing_is_half_imported():
    load_units()
    content = xlsx(
        [
            ["Họ và tên", "Chức vụ", "Đơn vị", "Đảng viên", "Thư điện tử"],
            ["Lê Văn Cường", "Chuyên viên", "Phòng Nội vụ", "có", ""],
            ["", "Chuyên viên", "Phòng Nội vụ", "có", ""],
            ["Phạm Thị Dung", "", "Phòng Không Có", "có", ""],
            ["Hoàng Văn Em", "", "Phòng Nội vụ", "có lẽ", "khong-phai-email"],
            [None, None, None, None, None],
            ["Lê Văn Cường", "Chuyên viên", "Phòng Nội vụ", "có", ""],
        ]
    )
    report = importing.import_people(importing.read_rows("can-bo.xlsx", content, importing.PEOPLE_COLUMNS))
    assert not report.ok and report.created == 0
    problems = dict(report.problems)
    assert set(problems) == {3, 4, 5, 7}  # spreadsheet row numbers; the empty row 6 is skipped
    assert "họ và tên" in problems[3].lower()
    assert "Phòng Không Có" in problems[4]
    assert "có lẽ" in problems[5] and "khong-phai-email" in problems[5]
    assert "Lê Văn Cường" in problems[7]
    assert not Person.objects.exists()  # the good row 2 was not written either


def test_dry_run_checks_everything_and_writes_nothing():
    rows = importing.read_rows("don-vi.csv", UNITS_CSV.encode(), importing.UNIT_COLUMNS)
    report = importing.import_units(rows, dry_run=True)
    assert report.ok and report.created == 4 and not report.written
    assert not Unit.objects.exists()


def test_missing_columns_are_refused_before_any_row(tmp_path):
    with pytest.raises(Exception, match="Đơn vị|đơn vị"):
        importing.read_rows("x.csv", "Tên,Khác\nA,B\n".encode(), importing.UNIT_COLUMNS)


def test_command_reports_rows_and_fails_without_writing(tmp_path):
    units = tmp_path / "don-vi.csv"
    units.write_text(UNITS_CSV + "Phòng lạc,Không tồn tại,Phòng ban\n", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_organisation", units=units, stdout=out)
    assert "dòng 6" in out.getvalue() and "Không tồn tại" in out.getvalue()
    assert "không dòng nào được nhập" in out.getvalue()
    assert not Unit.objects.exists()
    units.write_text(UNITS_CSV, encoding="utf-8")
    call_command("import_organisation", units=units, dry_run=True, stdout=out)
    assert not Unit.objects.exists()
    call_command("import_organisation", units=units, stdout=out)
    assert Unit.objects.count() == 4
