import os
import socket

import pytest
from django.core.cache import caches
from django.db import OperationalError, connection

from tests.conftest import required_service_missing

pytestmark = pytest.mark.django_db


def test_healthy_site_answers_200(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok"
    assert data["database"]["ok"] is True
    assert data["database"]["vendor"] == connection.vendor
    assert data["cache"]["ok"] is True
    assert response["Cache-Control"].startswith("max-age=0")


def test_unreachable_cache_degrades_but_does_not_fail(client, settings):
    # A port nothing listens on: the Redis client is real, the server is absent.
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
    try:
        response = client.get("/healthz")
    finally:
        caches["default"].close()
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["cache"]["ok"] is False


def test_database_failure_answers_503(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert response.json()["database"] == {"ok": False, "error": "OperationalError"}


def _redis_url():
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        required_service_missing("Redis is not running on 127.0.0.1:6379")
    return url


def test_real_redis_cache_is_reported_healthy(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": _redis_url(), "KEY_PREFIX": "tayho-test"}
    }
    try:
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json()["cache"] == {**response.json()["cache"], "ok": True, "backend": "RedisCache"}
    finally:
        caches["default"].close()
