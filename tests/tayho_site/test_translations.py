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


# --- The staff side: Wagtail's admin completed by our overlay (locale_wagtail/).


def test_wagtail_admin_is_vietnamese_with_the_overlay():
    from scripts.translation_coverage import overlay_problems, wagtail_coverage

    rows = wagtail_coverage()
    names = {row.app for row in rows}
    assert {"wagtail.admin", "wagtail", "wagtail.images", "wagtail.documents", "wagtail.users"} <= names
    total = sum(row.total for row in rows)
    covered = sum(row.with_overlay for row in rows)
    assert covered / total >= 0.95, [(row.app, row.domain, row.missing[:5]) for row in rows if row.missing]
    # The JavaScript catalogue too, not only the Python one.
    js = next(row for row in rows if row.app == "wagtail.admin" and row.domain == "djangojs")
    assert js.with_overlay / js.total >= 0.95
    assert overlay_problems() == []


def test_coverage_report_prints_each_catalogue_and_fails_below_the_bar():
    from scripts.translation_coverage import main

    out = io.StringIO()
    assert main([], out=out) == 0, out.getvalue()
    report = out.getvalue()
    assert "vi/LC_MESSAGES/django.po: " in report and "(100.0 %)" in report
    assert "wagtail.admin" in report and "djangojs" in report
    out = io.StringIO()
    assert main(["--min-wagtail", "100.1"], out=out) == 1
    assert "FAILED: Wagtail's admin is" in out.getvalue()


def test_our_catalogue_does_not_contradict_the_overlay():
    """Our catalogue comes first on LOCALE_PATHS, so its translation of a message Wagtail
    also uses wins in the admin too: the two must agree, or ours must use a context."""
    from pathlib import Path

    from django.conf import settings

    from scripts.pofile import parse

    def catalogue(path):
        return {
            (e.msgctxt, e.msgid): e.msgstr.get(0) for e in parse(path.read_text(encoding="utf-8")) if not e.is_header
        }

    ours = catalogue(Path(settings.LOCALE_PATHS[0]) / "vi" / "LC_MESSAGES" / "django.po")
    overlay = catalogue(Path(settings.LOCALE_PATHS[1]) / "vi" / "LC_MESSAGES" / "django.po")
    shared = set(ours) & set(overlay)
    assert len(shared) > 10
    assert {key: (ours[key], overlay[key]) for key in shared if ours[key] != overlay[key]} == {}


def test_admin_speaks_vietnamese_to_an_english_browser_until_the_person_chooses(client, django_user_model):
    from wagtail.users.models import UserProfile

    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "vi"
    assert "Đăng nhập" in response.text and "Sign in" not in response.text

    staff = django_user_model.objects.create_superuser("quantri", "quantri@example.vn", "mat-khau-dai-123")
    client.force_login(staff)
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Trang tổng quan" in response.text and "Dashboard" not in response.text
    # Vietnamese is offered in the account settings, and English too.
    response = client.get("/admin/account/")
    assert 'value="vi"' in response.text and 'value="en"' in response.text

    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = "en"
    profile.save()
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="vi")
    assert "Dashboard" in response.text


def test_admin_javascript_catalogue_carries_the_overlay(client, django_user_model):
    import json
    import re

    staff = django_user_model.objects.create_superuser("quantri", "quantri@example.vn", "mat-khau-dai-123")
    client.force_login(staff)
    body = client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="en").text
    match = re.search(r'"A network error occurred\.": ("(?:[^"\\]|\\.)*")', body)
    assert match, "the message is missing from the admin's JavaScript catalogue"
    assert json.loads(match.group(1)) == "Đã xảy ra lỗi mạng."


def test_every_field_and_model_of_ours_has_a_translatable_name():
    """The admin shows field names as column headings, filters and form labels; a field
    without a verbose_name shows its English attribute name ("Created at")."""
    from django.apps import apps
    from django.utils.functional import Promise
    from wagtail.models import Page

    wagtails = {"path", "depth", "numchild", "sort_order", "site"} | {f.name for f in Page._meta.get_fields()}
    unnamed = []
    for label in ("tayho_site", "contest", "ideas", "emulation", "referrals"):
        for model in apps.get_app_config(label).get_models():
            # Without its own plural, Django appends an English "s" to the Vietnamese name.
            for name in ("verbose_name", "verbose_name_plural"):
                if not isinstance(model._meta.original_attrs.get(name), Promise):
                    unnamed.append(f"{model._meta.label}.Meta.{name}")
            for field in model._meta.get_fields():
                ours = field.concrete and not field.auto_created and field.model is model
                if ours and field.name not in wagtails and not isinstance(field.verbose_name, Promise):
                    unnamed.append(f"{model._meta.label}.{field.name}")
    assert unnamed == []


def test_wagtail_cells_do_not_print_python_values():
    """Our copies of two Wagtail cell templates: yes/no and "nobody" in words."""
    from django.template.loader import render_to_string

    with translation.override("vi"):
        yes = render_to_string("wagtailadmin/tables/boolean_cell.html", {"value": True, "column": None})
        no = render_to_string("wagtailadmin/tables/boolean_cell.html", {"value": False, "column": None})
        nobody = render_to_string("wagtailadmin/shared/user_avatar.html", {"user": None, "username": None})
    assert "Có" in yes and "True" not in yes
    assert "Không" in no and "False" not in no
    assert "None" not in nobody and "—" in nobody
