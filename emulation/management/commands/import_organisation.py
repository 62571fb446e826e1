"""manage.py import_organisation [--units FILE] [--people FILE] [--dry-run]

Units first (columns: Đơn vị, Đơn vị cấp trên, Loại đơn vị), then people (Họ và tên,
Chức vụ, Đơn vị, Đảng viên, Thư điện tử). XLSX or CSV. All or nothing per file."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from emulation import importing


class Command(BaseCommand):
    help = "Imports units and people from spreadsheets, all or nothing, with a dry run."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=Path)
        parser.add_argument("--people", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")

    def handle(self, *args, units=None, people=None, dry_run=False, **options):
        translation.activate(settings.LANGUAGE_CODE)
        if not units and not people:
            raise CommandError(_("Give --units FILE and/or --people FILE."))
        failed = False
        for path, columns, run in (
            (units, importing.UNIT_COLUMNS, importing.import_units),
            (people, importing.PEOPLE_COLUMNS, importing.import_people),
        ):
            if not path:
                continue
            try:
                rows = importing.read_rows(path.name, path.read_bytes(), columns)
            except (OSError, ValidationError) as error:
                raise CommandError(f"{path}: {error}") from error
            report = run(rows, dry_run=dry_run)
            for row, problem in report.problems:
                self.stdout.write(
                    _("%(file)s, row %(row)s: %(problem)s") % {"file": path.name, "row": row, "problem": problem}
                )
            if report.ok:
                message = (
                    _("%(file)s: %(rows)s rows checked, all valid; nothing written (dry run).")
                    if dry_run
                    else _("%(file)s: %(rows)s rows, %(created)s imported.")
                )
                self.stdout.write(
                    self.style.SUCCESS(message % {"file": path.name, "rows": report.rows, "created": report.created})
                )
            else:
                failed = True
                self.stdout.write(
                    self.style.ERROR(
                        _("%(file)s: %(count)s rows have problems; no row was imported.")
                        % {"file": path.name, "count": len(report.problems)}
                    )
                )
        if failed:
            raise CommandError(_("The import did not succeed."))
