import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Site

from tayho_site.models import HomePage, NewsPage, SiteSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts_file(tmp_path):
    return tmp_path / "accounts"


@pytest.fixture
def run(accounts_file):
    def run():
        out = io.StringIO()
        call_command("load_demo", "--small", "--accounts-file", str(accounts_file), stdout=out)
        return out.getvalue()

    return run


def test_load_demo_builds_the_site_and_keeps_the_admin_password(run, accounts_file):
    first = run()
    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert NewsPage.objects.live().count() >= 5
    assert SiteSettings.for_site(Site.objects.get()).address
    assert not Page.objects.filter(depth=2).exclude(pk=home.pk).exists()  # Wagtail's welcome page is gone
    password = json.loads(accounts_file.read_text())["admin"]["password"]
    assert password in first
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)

    pages_before = Page.objects.count()
    second = run()
    assert Page.objects.count() == pages_before
    assert password in second  # printed again, not reset
    assert get_user_model().objects.get(username="admin").check_password(password)


def test_demo_mentions_the_people_and_plans_of_the_movement(client, run):
    run()
    about = client.get("/gioi-thieu/").content.decode()
    assert "Chỉ thị số 24-CT/TU" in about
    assert "Kế hoạch số 167-KH/QU" in about
    news = client.get("/tin-tuc/").content.decode()
    assert "Tin tức phong trào" in news
    movement = client.get("/phong-trao-chi-thi-24/").content.decode()
    assert "Đùn đẩy, né tránh" in movement and "Quá hạn" in movement  # one demo commitment is overdue


def test_the_demo_admin_signs_in_with_the_printed_password_and_pairs_an_app(client, run, accounts_file):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    printed = run()
    password = json.loads(accounts_file.read_text())["admin"]["password"]
    assert "xác thực" in printed  # the first sign-in is announced
    assert client.post("/admin/login/", {"username": "admin", "password": password})["Location"] == "/admin/"
    sent = client.get("/admin/")
    assert sent.status_code == 302 and sent["Location"] == "/tai-khoan/hai-buoc/?next=/admin/"
    assert client.get(sent["Location"]).status_code == 200
    device = TOTPDevice.objects.get(user__username="admin", confirmed=False)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post("/tai-khoan/hai-buoc/", {"token": code, "next": "/admin/"}).status_code == 200
    assert client.get("/admin/").status_code == 200


def test_loading_the_demo_sends_no_mail_and_ends_with_where_the_site_is(accounts_file):
    from django.core import mail

    out = io.StringIO()
    call_command(
        "load_demo", "--small", "--accounts-file", str(accounts_file), "--site-url", "http://127.0.0.1:8123", stdout=out
    )
    printed = out.getvalue()
    assert "Content-Transfer-Encoding" not in printed and "base64" not in printed and "Subject:" not in printed
    assert len(printed.splitlines()) < 40
    assert "Tài khoản dùng thử" in printed and "giamkhao1" in printed
    assert "http://127.0.0.1:8123/" in printed and "http://127.0.0.1:8123/admin/" in printed
    assert not getattr(mail, "outbox", [])  # nothing reached any mailer
