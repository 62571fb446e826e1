"""manage.py import_organisation [--units FILE] [--people FILE] [--dry-run]

Units first (columns: Đơn vị, Đơn vị cấp trên, Loại đơn vị), then people (Họ và tên,
Chức vụ, Đơn vị, Đảng viên, Thư điện tử). XLSX or CSV. All or nothing per file."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from emulation import importing


class Command(BaseCommand):
    help = "Imports units and people from spreadsheets, all or nothing, with a dry run."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=Path)
        parser.add_argument("--people", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")

    def handle(self, *args, units=None, people=None, dry_run=False, **options):
        if not units and not people:
            raise CommandError("Give --units FILE and/or --people FILE.")
        failed = False
        for path, columns, run in ((units, importing.UNIT_COLUMNS, importing.import_units),
                                   (people, importing.PEOPLE_COLUMNS, importing.import_people)):
            if not path:
                continue
            try:
                rows = importing.read_rows(path.name, path.read_bytes(), columns)
            except (OSError, ValidationError) as error:
                raise CommandError(f"{path}: {error}") from error
            report = run(rows, dry_run=dry_run)
            for row, problem in report.problems:
                self.stdout.write(f"{path.name}, dòng {row}: {problem}")
            if report.ok:
                verb = "kiểm tra xong, hợp lệ" if dry_run else f"đã nhập {report.created}"
                self.stdout.write(self.style.SUCCESS(f"{path.name}: {report.rows} dòng, {verb}."))
            else:
                failed = True
                self.stdout.write(self.style.ERROR(
                    f"{path.name}: {len(report.problems)} dòng có lỗi; không dòng nào được nhập."))
        if failed:
            raise CommandError("Nhập dữ liệu không thành công.")
