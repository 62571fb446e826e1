"""Reading exported spreadsheets back, as Excel or LibreOffice would, to find any cell
that would run as a formula."""

import csv
import io

from openpyxl import load_workbook

FORMULA_STARTS = ("=", "+", "-", "@")


def live(text) -> bool:
    """Whether a text cell would be taken as a formula (or start one after a tab or
    carriage return, or after spaces)."""
    return isinstance(text, str) and (text.startswith(("\t", "\r")) or text.lstrip().startswith(FORMULA_STARTS))


def xlsx_cells(content: bytes) -> list:
    """Every non-empty cell of every sheet, headers included."""
    workbook = load_workbook(io.BytesIO(content))
    return [
        cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None
    ]


def xlsx_formulas(content: bytes) -> list:
    """The cells that are formulas, or text that a spreadsheet would turn into one."""
    return [(cell.coordinate, cell.value) for cell in xlsx_cells(content) if cell.data_type == "f" or live(cell.value)]


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def csv_formulas(content: bytes) -> list:
    return [value for row in csv_rows(content) for value in row if live(value)]


def response_bytes(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content
