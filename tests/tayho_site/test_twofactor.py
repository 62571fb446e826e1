import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import Site

from tayho_site.audit import AuditEntry
from tayho_site.models import SecuritySettings

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-dai-123"


def current_code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def judge():
    return get_user_model().objects.create_user("giamkhao", password=PASSWORD)


def sign_in(client, username="giamkhao"):
    response = client.post("/dang-nhap/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def enable(client):
    client.get("/tai-khoan/hai-buoc/")
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post("/tai-khoan/hai-buoc/", {"token": current_code(device), "next": "/cham-bai/"})
    assert response.status_code == 200
    return device, re.findall(r"<li><code>([0-9a-f]{8})</code></li>", response.content.decode())


def test_pairing_shows_a_qr_code_and_refuses_a_wrong_code(client, judge):
    sign_in(client)
    html = client.get("/tai-khoan/hai-buoc/").content.decode()
    assert "<svg" in html and "Xác thực hai bước" in html
    wrong = client.post("/tai-khoan/hai-buoc/", {"token": "000000"})
    assert wrong.status_code == 400 and "Mã chưa đúng" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_after_pairing_signing_in_asks_for_the_code(client, judge):
    sign_in(client)
    device, codes = enable(client)
    assert len(codes) == 10
    assert AuditEntry.objects.filter(action="account.two_factor.enable").exists()
    client.post("/dang-xuat/")

    sign_in(client)
    blocked = client.get("/cham-bai/")
    assert blocked.status_code == 302 and blocked["Location"].startswith("/tai-khoan/ma-xac-thuc/")
    assert client.get("/admin/").status_code == 302  # the admin too
    assert client.post("/tai-khoan/ma-xac-thuc/", {"token": "123456", "next": "/cham-bai/"}).status_code == 400
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.last_t = -1
    device.save()
    ok = client.post("/tai-khoan/ma-xac-thuc/", {"token": current_code(device), "next": "/cham-bai/"})
    assert ok.status_code == 302 and ok["Location"] == "/cham-bai/"
    assert client.get("/cham-bai/").status_code == 200


def test_a_backup_code_works_once(client, judge):
    sign_in(client)
    _device, codes = enable(client)
    for attempt in range(2):
        client.post("/dang-xuat/")
        sign_in(client)
        response = client.post("/tai-khoan/ma-xac-thuc/", {"token": codes[0], "next": "/cham-bai/"})
        assert response.status_code == (302 if attempt == 0 else 400)


def test_organisers_can_require_it_for_a_group(client, judge):
    judges = Group.objects.get_or_create(name="Ban giám khảo")[0]
    judge.groups.add(judges)
    policy = SecuritySettings.for_site(Site.objects.get(is_default_site=True))
    policy.save()
    policy.two_factor_groups.add(judges)
    sign_in(client)
    response = client.get("/cham-bai/")
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/hai-buoc/")
    enable(client)
    assert client.get("/cham-bai/").status_code == 200


def test_next_never_leads_off_site(client, judge):
    sign_in(client)
    device, _codes = enable(client)
    client.post("/dang-xuat/")
    sign_in(client)
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    response = client.post("/tai-khoan/ma-xac-thuc/", {"token": current_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"
