"""Spreadsheet exports that cannot smuggle formulas into Excel."""

from io import BytesIO

from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.styles import Font
from wagtail.admin.views.generic import IndexView

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value):
    """A text cell that a spreadsheet would run as a formula is kept as text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeExportIndexView(IndexView):
    """Wagtail's listing with CSV and XLSX export, every text cell neutralised."""

    def preprocess_field_value(self, field, value, export_format):
        return neutralise_cell(super().preprocess_field_value(field, value, export_format))


def add_sheet(workbook, title, header, rows):
    """A sheet with a bold, frozen header row; every text cell neutralised."""
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([str(value) for value in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise_cell(str(value) if isinstance(value, Promise) else value) for value in row])
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
