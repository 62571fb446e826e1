"""Logs carry the request's id and never a resident's e-mail, phone or ID number."""

import json
import logging
import logging.config

import pytest

from tayho_site import logs
from tests.factories import ContestPageFactory

pytestmark = pytest.mark.django_db

EMAIL, PHONE, CITIZEN_ID = "nguyen.thi.lan@example.vn", "+84 912.345.678", "001199012345"


@pytest.fixture
def written(settings, capfd):
    """Everything the configured handlers write, at DEBUG level, in `fmt`; returns a reader."""

    def configure(fmt):
        config = {
            **settings.LOGGING,
            "root": {**settings.LOGGING["root"], "level": "DEBUG"},
            "handlers": {"console": {**settings.LOGGING["handlers"]["console"], "formatter": fmt}},
        }
        loggers = {name: {**value, "level": "DEBUG"} for name, value in settings.LOGGING["loggers"].items()}
        logging.config.dictConfig({**config, "loggers": loggers})
        capfd.readouterr()
        return lambda: capfd.readouterr().err

    yield configure
    logging.config.dictConfig(settings.LOGGING)


def test_redact_finds_what_identifies_a_person_and_leaves_the_rest():
    text = (
        f"mail {EMAIL} phone {PHONE} alt 0987654321 cccd {CITIZEN_ID} cmnd 012345678 "
        "entry TH-2026-00042 took 123 ms at /bai-du-thi/12345/ in 2026"
    )
    redacted = logs.redact(text)
    for secret in (EMAIL, PHONE, "0987654321", CITIZEN_ID, "012345678"):
        assert secret not in redacted
    for kept in ("TH-2026-00042", "123 ms", "/bai-du-thi/12345/", "2026"):
        assert kept in redacted
    token = "vwVavO99olDbXS7hI7Y5WbEK7kWcAfZSQMBBhJGddLA"
    assert logs.redact(f"Not Found: /bai-du-thi/{token}/xac-nhan/") == "Not Found: /bai-du-thi/[redacted]/xac-nhan/"
    assert logs.redact("ho.ten%40example.vn") == "[redacted]"


def test_a_submitted_entry_leaves_no_personal_data_in_the_logs(
    client, home, written, django_capture_on_commit_callbacks
):
    from tayho_site.models import Ward
    from tests.factories import entry_form_data

    Ward.objects.create(name="Phường Tây Hồ")
    contest = ContestPageFactory(parent=home)
    read = written("text")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            contest.url + "gui-bai/", entry_form_data(contest, email=EMAIL, phone=PHONE, address=f"CCCD {CITIZEN_ID}")
        )
    assert response.status_code == 302
    # Code that does log a person by mistake is caught on the way out, tracebacks too.
    logging.getLogger("contest").warning("Could not reach %s (%s)", EMAIL, PHONE)
    try:
        raise ValueError(f"bad address {EMAIL}")
    except ValueError:
        logging.getLogger("contest").exception("Failed for %s", CITIZEN_ID)
    output = read()
    assert "Could not reach [redacted] ([redacted])" in output
    assert "ValueError: bad address [redacted]" in output
    for secret in (EMAIL, "912.345.678", CITIZEN_ID):
        assert secret not in output


def test_lines_are_json_with_the_request_id_that_the_response_names(client, home, written):
    read = written("json")
    logging.getLogger("contest").warning("Sent", extra={"recipient": EMAIL, "attempt": 2})
    token = "vwVavO99olDbXS7hI7Y5WbEK7kWcAfZSQMBBhJGddLA"
    assert client.get(f"/bai-du-thi/{token}/").status_code == 404
    response = client.get("/khong-co-trang-nay/", HTTP_X_REQUEST_ID="proxy-id-12345678")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "proxy-id-12345678"
    lines = [json.loads(line) for line in read().splitlines() if line.startswith("{")]
    assert any(line["request_id"] == "proxy-id-12345678" and line["logger"] == "django.request" for line in lines)
    assert all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
    # What came in `extra` is rewritten too: the request's path (django.request), a field.
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    assert token not in text and EMAIL not in text
    assert any(line.get("recipient") == "[redacted]" and line.get("attempt") == 2 for line in lines)


def test_a_made_up_request_id_is_replaced(client, home):
    response = client.get("/", HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] != "<script>" and len(response["X-Request-ID"]) == 32
