"""Two app servers (gunicorn, production settings) sharing the tests' PostgreSQL database
and one Redis, reached through the same host name as a reverse proxy would present them."""

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
import requests

from tests.conftest import required_service_missing, running_on_postgres

ROOT = Path(__file__).resolve().parents[2]
HOST = "tayho.test"
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_up():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


class Browser:
    """One visitor: keeps cookies (the Secure ones too, as the proxy speaks HTTPS to them)
    and talks to whichever server it is told, through the same public host name."""

    def __init__(self):
        self.cookies = {}

    def request(self, server, method, path, **kwargs):
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "Referer": f"https://{HOST}{path}",
            **kwargs.pop("headers", {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = requests.request(method, server + path, headers=headers, allow_redirects=False, timeout=30, **kwargs)
        for header in response.raw.headers.getlist("Set-Cookie"):
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, server, path, **kwargs):
        return self.request(server, "GET", path, **kwargs)

    def post(self, server, path, data, **kwargs):
        headers = {"X-CSRFToken": self.cookies.get("csrftoken", "")}
        return self.request(server, "POST", path, data=data, headers=headers, **kwargs)

    @staticmethod
    def form_token(html):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.fixture
def cache_prefix():
    return f"tayho-two-servers-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def servers(transactional_db, cache_prefix, tmp_path_factory):
    """Start two gunicorn instances; yields their base URLs. Started afresh for each test:
    the database is emptied between tests, and a server would keep ids it had cached."""
    from django.db import connection

    if not running_on_postgres():
        pytest.skip("two app servers need a database server (PostgreSQL)")
    database = connection.settings_dict
    if not _redis_up():
        required_service_missing("Redis is not running on 127.0.0.1:6379")
    url = (
        f"postgres://{database['USER']}:{database.get('PASSWORD') or ''}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.support.served_settings",
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": cache_prefix,
        "ALLOWED_HOSTS": HOST,
        "SECRET_KEY": "two-servers-test-secret-key-" + "x" * 40,
        "MAIL_BACKEND": "console",
        "SUPPORTER_HASH_KEYS": "two-servers-test-supporter-hash-key-" + "x" * 12,
        "TASKS_BACKEND": "immediate",
        "SITE_URL": f"https://{HOST}",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("PAGE_CACHE_SECONDS", None)
    logs = tmp_path_factory.mktemp("servers")
    processes, urls = [], []
    for number in (1, 2):
        port = _free_port()
        log = open(logs / f"server-{number}.log", "wb")  # noqa: SIM115 - closed with the process
        processes.append(
            (
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "tayho_site.wsgi:application",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "1",
                        "--threads",
                        "4",
                        "--timeout",
                        "60",
                        "--access-logfile",
                        "-",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                ),
                log,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url_, (process, log) in zip(urls, processes, strict=True):
            deadline = time.monotonic() + 90
            while True:
                try:
                    if (
                        requests.get(
                            url_ + "/healthz", headers={"Host": HOST, "X-Forwarded-Proto": "https"}, timeout=30
                        ).status_code
                        == 200
                    ):
                        break
                except requests.RequestException:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start:\n{Path(log.name).read_text()[-3000:]}")
                time.sleep(0.3)
        yield urls
    finally:
        for process, log in processes:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
            log.close()


@pytest.fixture
def shared_cache(settings, cache_prefix):
    """This test process uses the servers' Redis keys, so what it changes (and the version
    bumps that follow) reaches them; the keys are cleared before and after each test."""
    from django.core.cache import caches

    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": cache_prefix}
    }
    settings.PAGE_CACHE_SECONDS = 300
    caches["default"].delete_pattern("*")
    yield caches["default"]
    caches["default"].delete_pattern("*")
    caches["default"].close()


@pytest.fixture
def browser():
    return Browser()
