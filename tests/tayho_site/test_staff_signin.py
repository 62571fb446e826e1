"""Staff sign-in hardening (tayho_site/staffauth.py with django-axes): lock-out after
repeated failures on both sign-in forms, idle expiry, deactivated accounts, and the
throttle on the second-step code. Real requests through the test client."""

import datetime
import logging

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-dai-123"
WRONG = "doan-bua-987-xyz"
HOME = "203.0.113.5"
ELSEWHERE = "198.51.100.7"
START = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def judge():
    return get_user_model().objects.create_user("giamkhao", password=PASSWORD)


@pytest.fixture
def admin():
    return get_user_model().objects.create_superuser("quantri", password=PASSWORD)


def lockout_text(minutes=15):
    with translation.override("vi"):
        return translation.ngettext(
            "Too many unsuccessful attempts to sign in to this account from your network. For your safety, signing "
            "in is paused for %(minutes)s minute.",
            "Too many unsuccessful attempts to sign in to this account from your network. For your safety, signing "
            "in is paused for %(minutes)s minutes.",
            minutes,
        ) % {"minutes": minutes}


def idle_text(minutes=30):
    with translation.override("vi"):
        return translation.ngettext(
            "Your session ended after %(minutes)s minute without activity. Please sign in again.",
            "Your session ended after %(minutes)s minutes without activity. Please sign in again.",
            minutes,
        ) % {"minutes": minutes}


def post_sign_in(client, username, password, ip=HOME, url="/dang-nhap/", **extra):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def signed_in(client):
    return "_auth_user_id" in client.session


def fail(client, username, times, **kwargs):
    return [post_sign_in(client, username, WRONG, **kwargs).status_code for _ in range(times)]


# --- Lock-out -------------------------------------------------------------------


def test_five_wrong_passwords_lock_that_user_name_from_that_address(client, judge, caplog):
    caplog.set_level(logging.INFO)
    assert fail(client, "giamkhao", 4) == [200, 200, 200, 200]  # the form again, with its error
    assert fail(client, "giamkhao", 1) == [429]  # the fifth failure locks

    refused = post_sign_in(client, "giamkhao", PASSWORD)
    assert refused.status_code == 429 and not signed_in(client)
    html = refused.content.decode()
    assert lockout_text() in html and 'lang="vi"' in html
    assert refused["Retry-After"] == str(15 * 60)

    # The guesser's address does not lock the real person elsewhere, nor a colleague
    # behind the same office address.
    assert post_sign_in(client, "giamkhao", PASSWORD, ip=ELSEWHERE).status_code == 302 and signed_in(client)
    client.post("/dang-xuat/")
    get_user_model().objects.create_user("thuky", password=PASSWORD)
    assert post_sign_in(client, "thuky", PASSWORD).status_code == 302 and signed_in(client)

    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert any("login failure" in r.getMessage() and "giamkhao" in r.getMessage() for r in warnings)
    assert any(r.getMessage().startswith("Sign-in locked out: username=giamkhao ip=203.0.113.5") for r in warnings)
    assert PASSWORD not in caplog.text and WRONG not in caplog.text


def test_the_addresses_of_one_ipv6_64_count_as_one_address(client, judge):
    """An IPv6 subscriber can pick any of the 2^64 addresses of their network: one more
    address must not buy five more guesses."""
    codes = [post_sign_in(client, "giamkhao", WRONG, ip=f"2001:db8:7:7::{n}").status_code for n in range(1, 6)]
    assert codes == [200, 200, 200, 200, 429]
    assert post_sign_in(client, "giamkhao", PASSWORD, ip="2001:db8:7:7:abcd::99").status_code == 429
    assert post_sign_in(client, "giamkhao", PASSWORD, ip="2001:db8:7:8::1").status_code == 302 and signed_in(client)


def test_the_pause_ends_after_the_cool_off(client, judge):
    with time_machine.travel(START, tick=False) as clock:
        fail(client, "giamkhao", 5)
        clock.shift(datetime.timedelta(minutes=10))
        # Trying again while locked out does not push the end of the pause back.
        assert post_sign_in(client, "giamkhao", PASSWORD).status_code == 429
        clock.shift(datetime.timedelta(minutes=5, seconds=1))
        assert post_sign_in(client, "giamkhao", PASSWORD).status_code == 302 and signed_in(client)


def test_a_successful_sign_in_resets_the_count(client, judge):
    fail(client, "giamkhao", 4)
    assert post_sign_in(client, "giamkhao", PASSWORD).status_code == 302
    client.post("/dang-xuat/")
    assert fail(client, "giamkhao", 4) == [200] * 4


def test_the_admin_sign_in_is_locked_too_and_shares_the_count(client, admin):
    assert fail(client, "quantri", 3) == [200] * 3
    assert fail(client, "quantri", 2, url="/admin/login/") == [200, 429]
    refused = post_sign_in(client, "quantri", PASSWORD, url="/admin/login/")
    assert refused.status_code == 429 and lockout_text() in refused.content.decode()
    assert client.get("/admin/").status_code == 302

    ok = post_sign_in(client, "quantri", PASSWORD, ip=ELSEWHERE, url="/admin/login/")
    assert ok.status_code == 302 and ok["Location"] == "/admin/"
    # Signed in with the password; an administrator then pairs an app (two-factor is required).
    assert client.get("/admin/", REMOTE_ADDR=ELSEWHERE)["Location"] == "/tai-khoan/hai-buoc/?next=/admin/"


def addresses(count, start=1):
    return [f"192.0.2.{n}" for n in range(start, start + count)]


def account_lockout_text(minutes=15):
    with translation.override("vi"):
        return translation.ngettext(
            "Too many unsuccessful attempts to sign in to this account. For your safety, signing in to it is paused "
            "for %(minutes)s minute, from every network.",
            "Too many unsuccessful attempts to sign in to this account. For your safety, signing in to it is paused "
            "for %(minutes)s minutes, from every network.",
            minutes,
        ) % {"minutes": minutes}


def test_guessing_one_user_name_from_many_addresses_locks_it_everywhere(client, judge, caplog):
    caplog.set_level(logging.INFO)
    # Three tries from each of five addresses: none reaches the limit of an address.
    codes = [post_sign_in(client, "giamkhao", WRONG, ip=ip).status_code for ip in addresses(5) for _ in range(3)]
    assert codes == [200] * 14 + [429]  # the 15th failure of the name, wherever from

    refused = post_sign_in(client, "giamkhao", PASSWORD, ip=ELSEWHERE)  # the right password, a fresh address
    assert refused.status_code == 429 and not signed_in(client)
    assert account_lockout_text() in refused.content.decode()
    assert refused["Retry-After"] == str(15 * 60)
    assert any(
        r.getMessage().startswith(f"Sign-in locked out: username=giamkhao ip={ELSEWHERE}") for r in caplog.records
    )
    # Other accounts are not touched.
    get_user_model().objects.create_user("thuky", password=PASSWORD)
    assert post_sign_in(client, "thuky", PASSWORD, ip=ELSEWHERE).status_code == 302


def test_fourteen_failures_across_addresses_still_let_the_person_in(client, judge):
    assert [post_sign_in(client, "giamkhao", WRONG, ip=ip).status_code for ip in addresses(14)] == [200] * 14
    assert post_sign_in(client, "giamkhao", PASSWORD, ip=ELSEWHERE).status_code == 302 and signed_in(client)


def test_the_account_pause_ends_after_the_cool_off(client, judge):
    with time_machine.travel(START, tick=False) as clock:
        for ip in addresses(15):
            post_sign_in(client, "giamkhao", WRONG, ip=ip)
        clock.shift(datetime.timedelta(minutes=15, seconds=1))
        assert post_sign_in(client, "giamkhao", PASSWORD, ip=ELSEWHERE).status_code == 302 and signed_in(client)


def test_signing_in_forgives_only_the_failures_from_that_address(client, judge):
    """The real person signing in must not give a guesser elsewhere a fresh count."""
    for ip in addresses(12):
        post_sign_in(client, "giamkhao", WRONG, ip=ip)
    fail(client, "giamkhao", 2, ip=HOME)  # the person mistypes twice, then signs in
    assert post_sign_in(client, "giamkhao", PASSWORD, ip=HOME).status_code == 302
    client.post("/dang-xuat/")
    codes = [post_sign_in(client, "giamkhao", WRONG, ip=ip).status_code for ip in addresses(3, start=100)]
    assert codes == [200, 200, 429]  # 12 + 3 failures from elsewhere


def test_e_mail_addresses_and_unknown_names_never_reach_the_log(client, caplog):
    caplog.set_level(logging.INFO)
    get_user_model().objects.create_user("can.bo@tayho.gov.vn", password=PASSWORD)
    fail(client, "can.bo@tayho.gov.vn", 5)
    # A password typed in the user-name box is not an account's name: hashed as well.
    fail(client, "Mat-khau-that-2024", 1)
    assert any("Sign-in locked out: username=email#" in r.getMessage() for r in caplog.records)
    assert "can.bo" not in caplog.text and "tayho.gov.vn" not in caplog.text
    assert "Mat-khau-that-2024" not in caplog.text and "unknown#" in caplog.text


def test_forwarded_addresses_count_only_behind_the_proxy(client, judge, settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    # Without the proxy, a forged X-Forwarded-For is ignored: each failure counts for REMOTE_ADDR.
    codes = [post_sign_in(client, "giamkhao", WRONG, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code for n in range(5)]
    assert codes == [200, 200, 200, 200, 429]

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    proxy = {"ip": "10.0.0.2", "HTTP_X_FORWARDED_PROTO": "https", "secure": True}
    assert fail(client, "giamkhao", 5, HTTP_X_FORWARDED_FOR="192.0.2.50", **proxy)[-1] == 429
    # Another visitor behind the same proxy is not locked out; a malformed header falls back
    # to the proxy's own address instead of failing.
    ok = post_sign_in(client, "giamkhao", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.51", **proxy)
    assert ok.status_code == 302
    client.post("/dang-xuat/", secure=True)
    assert post_sign_in(client, "giamkhao", WRONG, HTTP_X_FORWARDED_FOR="not-an-address", **proxy).status_code == 200


def test_the_test_clients_login_still_works(client, judge):
    # No request, no address to count: the lock-out gate lets ModelBackend decide.
    assert client.login(username="giamkhao", password=PASSWORD)
    assert not client.login(username="giamkhao", password=WRONG)


# --- Idle expiry ----------------------------------------------------------------


def test_an_idle_session_ends_and_activity_keeps_it(client, judge):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(judge)
        assert client.get("/cham-bai/").status_code == 200
        for minutes in (20, 25, 29):  # requests within the window keep the session alive
            clock.shift(datetime.timedelta(minutes=minutes))
            assert client.get("/cham-bai/").status_code == 200
        clock.shift(datetime.timedelta(minutes=32))
        expired = client.get("/cham-bai/?trang=2")
        assert expired.status_code == 302 and expired["Location"] == "/dang-nhap/?next=/cham-bai/%3Ftrang%3D2"
        assert not signed_in(client)
        page = client.get(expired["Location"])
        assert idle_text() in page.content.decode()


def test_the_last_request_time_is_saved_at_most_once_a_minute(client, judge):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(judge)
        assert "sessionid" in client.get("/cham-bai/").cookies  # first note of the time
        clock.shift(datetime.timedelta(seconds=30))
        assert "sessionid" not in client.get("/cham-bai/").cookies  # no session write
        clock.shift(datetime.timedelta(seconds=31))
        assert "sessionid" in client.get("/cham-bai/").cookies


def test_idle_admin_sessions_end_and_editor_pings_do_not_count(client, admin, settings):
    settings.STAFF_IDLE_MINUTES = 10
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(admin)
        assert client.get("/admin/").status_code == 200
        clock.shift(datetime.timedelta(minutes=8))
        client.post("/admin/editing-sessions/ping/wagtailcore/page/1/1/")  # the editor's background ping
        clock.shift(datetime.timedelta(minutes=4))
        expired = client.get("/admin/pages/")
        assert expired.status_code == 302 and expired["Location"] == "/admin/login/?next=/admin/pages/"
        assert idle_text(10) in client.get(expired["Location"]).content.decode()


# --- Deactivated accounts --------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "url", "login_url"), [("judge", "/cham-bai/", "/dang-nhap/"), ("admin", "/admin/", "/admin/login/")]
)
def test_deactivating_an_account_ends_its_sessions(client, request, fixture, url, login_url):
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    session_key = client.session.session_key
    assert client.get(url).status_code == 200

    user.is_active = False
    user.save()
    assert not Session.objects.filter(session_key=session_key).exists()
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(login_url)


def test_an_inactive_account_is_anonymous_even_if_its_session_survives(client, judge):
    client.force_login(judge)
    get_user_model().objects.filter(pk=judge.pk).update(is_active=False)  # no signal: the session stays
    response = client.get("/cham-bai/")
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
    assert post_sign_in(client, "giamkhao", PASSWORD).status_code == 200  # and cannot sign in again


# --- Second step: the code ------------------------------------------------------


def current_code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


# Committed for real (no surrounding test transaction), as in production: on PostgreSQL
# the device lock the view takes needs its own transaction.
@pytest.mark.django_db(transaction=True)
def test_wrong_codes_make_the_second_step_wait(client, judge):
    with time_machine.travel(START, tick=False) as clock:
        assert post_sign_in(client, "giamkhao", PASSWORD).status_code == 302
        client.get("/tai-khoan/hai-buoc/")
        device = TOTPDevice.objects.get(user=judge, confirmed=False)
        assert client.post("/tai-khoan/hai-buoc/", {"token": current_code(device)}).status_code == 200
        client.post("/dang-xuat/")
        clock.shift(datetime.timedelta(minutes=1))
        assert post_sign_in(client, "giamkhao", PASSWORD).status_code == 302

        # Five wrong codes, each when the device allows a try (waits of 1, 2, 4, 8 s).
        for wait in (0, 2, 3, 5, 9):
            clock.shift(datetime.timedelta(seconds=wait))
            assert client.post("/tai-khoan/ma-xac-thuc/", {"token": "000000"}).status_code == 400
        device.refresh_from_db()
        assert device.throttling_failure_count == 5

        clock.shift(datetime.timedelta(seconds=10))  # the next try is allowed 16 s after the last
        refused = client.post("/tai-khoan/ma-xac-thuc/", {"token": current_code(device), "next": "/cham-bai/"})
        assert refused.status_code == 400
        assert client.get("/cham-bai/")["Location"].startswith("/tai-khoan/ma-xac-thuc/")

        clock.shift(datetime.timedelta(seconds=7))
        accepted = client.post("/tai-khoan/ma-xac-thuc/", {"token": current_code(device), "next": "/cham-bai/"})
        assert accepted.status_code == 302 and accepted["Location"] == "/cham-bai/"
        assert client.get("/cham-bai/").status_code == 200


def test_pairing_a_new_app_does_not_skip_the_second_step(client, judge):
    TOTPDevice.objects.create(user=judge, name="Điện thoại", confirmed=True)
    assert post_sign_in(client, "giamkhao", PASSWORD).status_code == 302  # the password only
    for response in (client.get("/tai-khoan/hai-buoc/"), client.post("/tai-khoan/hai-buoc/", {"token": "123456"})):
        assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/ma-xac-thuc/")
    assert not TOTPDevice.objects.filter(confirmed=False).exists()
    assert client.get("/cham-bai/")["Location"].startswith("/tai-khoan/ma-xac-thuc/")
