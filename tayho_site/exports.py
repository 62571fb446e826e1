"""Spreadsheet exports that cannot smuggle formulas into Excel. Every cell of every
export (CSV or XLSX, headers included) goes through `neutralise_cell`."""

from io import BytesIO

from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from wagtail.admin.views.generic import IndexView

FORMULA_PREFIXES = ("=", "+", "-", "@")
CONTROL_PREFIXES = ("\t", "\r")


def neutralise_cell(value):
    """A text cell that a spreadsheet would run as a formula (it starts with = + - @, a
    tab or a carriage return, also after spaces) is kept as text with a leading
    apostrophe. Characters a workbook cannot hold are dropped. Numbers, dates and empty
    cells stay as they are."""
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(CONTROL_PREFIXES) or value.lstrip().startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeExportIndexView(IndexView):
    """Wagtail's listing with CSV and XLSX export, every text cell and heading neutralised."""

    def preprocess_field_value(self, field, value, export_format):
        return neutralise_cell(super().preprocess_field_value(field, value, export_format))

    def get_heading(self, queryset, field):
        return neutralise_cell(super().get_heading(queryset, field))


def add_sheet(workbook, title, header, rows):
    """A sheet with a bold, frozen header row; every cell neutralised, headers included."""
    sheet = workbook.create_sheet(title=str(title)[:31])
    sheet.append([neutralise_cell(str(value)) for value in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise_cell(value) for value in row])
    sheet.freeze_panes = "A2"
    return sheet


def new_workbook():
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def workbook_bytes(workbook) -> bytes:
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet_response(kind, filename, title, header, rows):
    """One table as a download: "csv" (UTF-8 with a BOM, which Excel needs to read
    Vietnamese) or "xlsx"; every cell neutralised."""
    import csv
    from io import StringIO

    from django.http import HttpResponse

    if kind == "xlsx":
        workbook = new_workbook()
        add_sheet(workbook, title, header, rows)
        response = HttpResponse(workbook_bytes(workbook), content_type=XLSX_CONTENT_TYPE)
    else:
        text = StringIO()
        writer = csv.writer(text)
        writer.writerow([neutralise_cell(str(value)) for value in header])
        writer.writerows([["" if value is None else neutralise_cell(value) for value in row] for row in rows])
        response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{kind}"'
    return response
