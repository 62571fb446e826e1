"""Importing units and people from a spreadsheet (XLSX or CSV).

All or nothing: every row is checked, each problem is reported with its row number, and
unless every row is right nothing is written. A dry run checks everything and writes
nothing either way."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Person, Unit, UnitKind

UNIT_COLUMNS = {"đơn vị": "name", "đơn vị cấp trên": "parent", "loại đơn vị": "kind"}
PEOPLE_COLUMNS = {
    "họ và tên": "full_name",
    "chức vụ": "position",
    "đơn vị": "unit",
    "đảng viên": "party_member",
    "thư điện tử": "email",
}
YES = {"có", "co", "x", "1", "yes", "true", "đảng viên"}
NO = {"", "không", "khong", "0", "no", "false"}


@dataclass
class ImportReport:
    dry_run: bool
    rows: int = 0
    created: int = 0
    problems: list = field(default_factory=list)  # [(row number in the sheet, message)]

    @property
    def ok(self):
        return not self.problems

    @property
    def written(self):
        return self.ok and not self.dry_run


def read_rows(name: str, content: bytes, columns: dict) -> list[dict]:
    """Rows as dicts keyed by our field names; the header row is matched case-insensitively.
    Each dict carries `_row`, its row number as the spreadsheet shows it."""
    if content[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        table = [
            ["" if cell is None else str(cell).strip() for cell in row] for row in sheet.iter_rows(values_only=True)
        ]
    else:
        text = content.decode("utf-8-sig")
        dialect = csv.Sniffer().sniff(text.splitlines()[0]) if text.strip() else csv.excel
        table = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    if not table:
        raise ValidationError(_("The file is empty."))
    header = [cell.strip().lower() for cell in table[0]]
    missing = [title for title, key in columns.items() if key in ("name", "full_name", "unit") and title not in header]
    if missing:
        raise ValidationError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        row = {"_row": number}
        for index, title in enumerate(header):
            if title in columns:
                row[columns[title]] = cells[index] if index < len(cells) else ""
        rows.append(row)
    return rows


def _unit_by_name(name, created):
    if name in created:
        return created[name], None
    matches = list(Unit.objects.filter(name__iexact=name)[:2])
    if not matches:
        return None, _("unit “%(name)s” does not exist") % {"name": name}
    if len(matches) > 1:
        return None, _("several units are called “%(name)s”") % {"name": name}
    return matches[0], None


def import_units(rows: list[dict], *, dry_run: bool = False) -> ImportReport:
    report = ImportReport(dry_run=dry_run, rows=len(rows))
    with transaction.atomic():
        created = {}
        for row in rows:
            name, parent_name, kind_name = row.get("name", ""), row.get("parent", ""), row.get("kind", "")
            problems = []
            if not name:
                problems.append(_("the unit's name is empty"))
            if not kind_name:
                problems.append(_("the kind of unit is empty"))
            parent = None
            if parent_name:
                parent, problem = _unit_by_name(parent_name, created)
                if problem:
                    problems.append(problem)
            taken = name.lower() in {n.lower() for n in created} or Unit.objects.filter(name__iexact=name).exists()
            if name and taken:
                problems.append(_("a unit called “%(name)s” already exists") % {"name": name})
            if problems:
                report.problems.append((row["_row"], "; ".join(problems)))
                continue
            kind, _created = UnitKind.objects.get_or_create(name=kind_name)
            unit = parent.add_child(name=name, kind=kind) if parent else Unit.add_root(name=name, kind=kind)
            created[name] = unit
            report.created += 1
        if not report.written:
            transaction.set_rollback(True)
            report.created = 0 if not report.ok else report.created
    return report


def import_people(rows: list[dict], *, dry_run: bool = False) -> ImportReport:
    report = ImportReport(dry_run=dry_run, rows=len(rows))
    with transaction.atomic():
        seen = set()
        for row in rows:
            problems = []
            full_name = " ".join(row.get("full_name", "").split())
            if not full_name:
                problems.append(_("the full name is empty"))
            if row.get("unit"):
                unit, problem = _unit_by_name(row["unit"], {})
            else:
                unit, problem = None, _("the unit is empty")
            if problem:
                problems.append(problem)
            member = row.get("party_member", "").strip().lower()
            if member not in YES | NO:
                problems.append(_("“Đảng viên” must be “có” or “không”, not “%(value)s”") % {"value": member})
            email = row.get("email", "").strip()
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    problems.append(_("“%(value)s” is not an e-mail address") % {"value": email})
            key = (full_name.lower(), unit.pk if unit else None)
            if unit and (key in seen or Person.objects.filter(full_name__iexact=full_name, unit=unit).exists()):
                problems.append(_("%(name)s is already listed in this unit") % {"name": full_name})
            if problems:
                report.problems.append((row["_row"], "; ".join(problems)))
                continue
            seen.add(key)
            Person.objects.create(
                full_name=full_name,
                position=row.get("position", "").strip()[:200],
                unit=unit,
                party_member=member in YES,
                email=email,
            )
            report.created += 1
        if not report.written:
            transaction.set_rollback(True)
            report.created = 0 if not report.ok else report.created
    return report
