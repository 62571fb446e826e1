import datetime
import io

from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from tayho_site.exports import add_sheet, neutralise_cell, new_workbook, workbook_bytes
from tests.support.spreadsheets import xlsx_formulas


def test_text_that_a_spreadsheet_would_run_is_kept_as_text():
    for text in (
        "=1+1",
        "+84 912",
        "-2",
        "@SUM(A1)",
        "\t=1",
        "\rx",
        '  =HYPERLINK("http://x")',
        "\n@SUM(1)",
        "\u00a0+1",
    ):
        assert neutralise_cell(text) == "'" + text
    assert neutralise_cell("Bình thường = tốt") == "Bình thường = tốt"
    assert neutralise_cell(gettext_lazy("=x")) == "'=x"


def test_numbers_dates_and_empty_cells_stay_as_they_are():
    day = datetime.date(2026, 10, 1)
    assert [neutralise_cell(value) for value in (42, -2, 1.5, None, day)] == [42, -2, 1.5, None, day]


def test_characters_a_workbook_cannot_hold_are_dropped():
    assert neutralise_cell("a\x00b\x0bc\x1f") == "abc"
    assert neutralise_cell("\x01=1") == "'=1"
    assert neutralise_cell("dòng một\ndòng hai\tcột") == "dòng một\ndòng hai\tcột"


def test_a_sheet_neutralises_its_headers_too():
    workbook = new_workbook()
    add_sheet(workbook, "Bảng", ["Tên", '=HYPERLINK("http://x")', " @SUM(1)"], [["-1+2", 3, None]])
    content = workbook_bytes(workbook)
    assert xlsx_formulas(content) == []
    sheet = load_workbook(io.BytesIO(content)).active
    assert [cell.value for cell in sheet[1]] == ["Tên", '\'=HYPERLINK("http://x")', "' @SUM(1)"]
    assert [cell.value for cell in sheet[2]] == ["'-1+2", 3, None]
    assert sheet["B2"].data_type == "n"
