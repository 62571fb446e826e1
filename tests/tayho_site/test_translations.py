import io
import shutil

from django.utils import translation

from scripts.check_translations import catalogue_report, check
from tests.conftest import required_service_missing


def test_vietnamese_catalogue_is_complete_and_compiled():
    extract = bool(shutil.which("xgettext"))
    if not extract:
        required_service_missing("GNU gettext (xgettext) is not installed; strings were not re-extracted")
    out = io.StringIO()
    assert check(extract=extract, out=out) == 0, out.getvalue()
    assert "(100.0 %)" in out.getvalue()


def test_report_catches_untranslated_fuzzy_and_stale_entries(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Search"\nmsgstr "Tìm kiếm"\n\n'
        '#, fuzzy\nmsgid "Home"\nmsgstr "Nhà"\n\n'
        'msgid "New string"\nmsgstr ""\n\n'
        'msgid "%(n)s item"\nmsgid_plural "%(n)s items"\nmsgstr[0] "%(n)s mục"\n',
        encoding="utf-8",
    )
    report = catalogue_report(po)
    assert report["total"] == 4
    assert report["untranslated"] == ["New string"]
    assert report["fuzzy"] == ["Home"]
    assert report["stale_mo"] == ["(no .mo file: run make messages)"]


def test_interface_strings_are_vietnamese_by_default():
    with translation.override("vi"):
        assert translation.gettext("Skip to main content") == "Chuyển đến nội dung chính"
    with translation.override("en"):
        assert translation.gettext("Skip to main content") == "Skip to main content"
