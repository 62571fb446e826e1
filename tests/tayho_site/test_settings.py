"""Settings are read in a fresh interpreter: that is how a server starts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = "s" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz"
GOOD_HASH_KEY = "h" * 10 + "0123456789abcdefghijklmnopqrstuvwxyz"


def run_django(settings_module, code, **env):
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "TASKS_BACKEND", "SUPPORTER_HASH_KEYS"}
    }
    environ.update(DJANGO_SETTINGS_MODULE=settings_module, **env)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings; {code}"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_defaults_are_sqlite_local_memory_and_vietnamese():
    result = run_django(
        "tayho_site.settings.dev",
        "print(settings.DATABASES['default']['ENGINE'], settings.CACHES['default']['BACKEND'], "
        "settings.LANGUAGE_CODE, settings.TIME_ZONE, settings.MAILERS['default']['BACKEND'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "vi",
        "Asia/Ho_Chi_Minh",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_environment_switches_to_postgresql_and_redis():
    result = run_django(
        "tayho_site.settings.dev",
        "d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'], d['HOST'], settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE)",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/tayho",
        REDIS_URL="redis://127.0.0.1:6379/1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "tayho",
        "127.0.0.1",
        "django_redis.cache.RedisCache",
        "django.contrib.sessions.backends.cached_db",
    ]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "tayho.example.vn"}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": "tayho.example.vn", "SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"SECRET_KEY": GOOD_SECRET}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "tayho.example.vn"}, "SUPPORTER_HASH_KEYS"),
        (
            {"SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "tayho.example.vn", "SUPPORTER_HASH_KEYS": "short"},
            "SUPPORTER_HASH_KEYS",
        ),
        (
            {
                "SECRET_KEY": GOOD_SECRET,
                "ALLOWED_HOSTS": "tayho.example.vn",
                "SUPPORTER_HASH_KEYS": f"{GOOD_HASH_KEY},insecure-development-supporter-hash-key",
            },
            "SUPPORTER_HASH_KEYS",
        ),
    ],
)
def test_production_refuses_to_start_without_secret_or_hosts(env, message):
    result = run_django("tayho_site.settings.production", "print('started')", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr
    assert "started" not in result.stdout


def test_check_deploy_is_clean_under_production_settings():
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    environ.update(
        DJANGO_SETTINGS_MODULE="tayho_site.settings.production",
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="tayho.example.vn",
        SUPPORTER_HASH_KEYS=GOOD_HASH_KEY,
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_uses_the_database_task_queue_and_secure_cookies():
    result = run_django(
        "tayho_site.settings.production",
        "print(settings.TASKS['default']['BACKEND'], settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE,"
        " settings.SECURE_HSTS_SECONDS >= 31536000, bool(settings.SECURE_CSP))",
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="tayho.example.vn",
        SUPPORTER_HASH_KEYS=GOOD_HASH_KEY,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django_tasks_db.DatabaseBackend", "True", "True", "True", "True"]


def test_media_go_to_object_storage_when_a_bucket_is_named():
    """The link is signed and expires (computed locally: no request leaves the machine)."""
    result = run_django(
        "tayho_site.settings.dev",
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__name__, s.url('bai-du-thi/TH-2026-00001.pdf'))",
        MEDIA_BUCKET="tayho-media",
        MEDIA_ENDPOINT_URL="https://s3.example.vn",
        MEDIA_REGION="hn-1",
        MEDIA_ACCESS_KEY_ID="khoa",
        MEDIA_SECRET_ACCESS_KEY="bi-mat",
    )
    assert result.returncode == 0, result.stderr
    name, url = result.stdout.split()
    assert name == "S3Storage"
    assert url.startswith("https://s3.example.vn/tayho-media/bai-du-thi/TH-2026-00001.pdf?")
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=3600" in url


def test_production_caches_pages_in_redis_and_writes_json_logs():
    code = "print(settings.PAGE_CACHE_SECONDS, settings.LOGGING['handlers']['console']['formatter'])"
    with_redis = run_django(
        "tayho_site.settings.production",
        code,
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="tayho.example.vn",
        SUPPORTER_HASH_KEYS=GOOD_HASH_KEY,
        REDIS_URL="redis://127.0.0.1:6379/1",
    )
    without = run_django(
        "tayho_site.settings.production",
        code,
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="tayho.example.vn",
        SUPPORTER_HASH_KEYS=GOOD_HASH_KEY,
    )
    assert with_redis.returncode == 0, with_redis.stderr
    assert with_redis.stdout.split() == ["300", "json"]
    assert without.stdout.split() == ["0", "json"]  # a cache per process could serve stale pages


def test_production_keeps_database_connections_unless_told_otherwise():
    """A new PostgreSQL connection per request cost the deadline night a third of the machine."""
    env = {"SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "tayho.example.vn", "SUPPORTER_HASH_KEYS": GOOD_HASH_KEY}
    code = "print(settings.DATABASES['default']['CONN_MAX_AGE'], settings.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    kept = run_django("tayho_site.settings.production", code, **env)
    told = run_django("tayho_site.settings.production", code, DB_CONN_MAX_AGE="0", **env)
    assert kept.returncode == 0, kept.stderr
    assert kept.stdout.split() == ["60", "True"]
    assert told.stdout.split() == ["0", "True"]
