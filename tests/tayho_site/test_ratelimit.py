import hashlib
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache import caches

from tayho_site import ratelimit
from tayho_site.ratelimit import client_identity, client_ip, hit
from tayho_site.submissions import refusal
from tests.conftest import required_service_missing

ROOT = Path(__file__).resolve().parents[2]


def test_limit_counts_attempts_per_identity():
    scope = f"test-{uuid.uuid4().hex}"
    assert [hit(scope, "1.2.3.4", 3, 60) for _ in range(4)] == [True, True, True, False]
    assert hit(scope, "5.6.7.8", 3, 60) is True  # another visitor has a count of their own


def test_client_ip_trusts_forwarded_for_only_behind_the_proxy(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.1")
    settings.SECURE_PROXY_SSL_HEADER = None
    assert client_ip(request) == "10.0.0.1"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client_ip(request) == "203.0.113.9"


@pytest.mark.parametrize(
    ("first", "second", "one_counter"),
    [
        ("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:fffe", True),  # one /64: one subscriber
        ("2001:db8:1:2::1", "2001:db8:1:3::1", False),  # the next /64: someone else
        ("::ffff:203.0.113.9", "203.0.113.9", True),  # an IPv4 address written as IPv6
        ("203.0.113.9", "203.0.113.10", False),  # IPv4: each address its own
    ],
)
def test_an_ipv6_64_counts_as_one_address_in_per_address_limits(rf, settings, first, second, one_counter):
    scope = f"test-{uuid.uuid4().hex}"
    settings.RATE_LIMITS = {f"{scope}-ip": (1, 3600)}
    assert refusal(rf.post("/", REMOTE_ADDR=first), scope) is None
    refused = refusal(rf.post("/", REMOTE_ADDR=second), scope)
    assert (refused is not None) is one_counter
    assert (
        client_identity(rf.get("/", REMOTE_ADDR=first)) == client_identity(rf.get("/", REMOTE_ADDR=second))
    ) is one_counter


def test_the_identity_behind_the_proxy_is_the_forwarded_address_or_its_64(rf, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    forwarded = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="2001:db8:a:b:c:d:e:f, 10.0.0.1")
    assert client_identity(forwarded) == "2001:db8:a:b::"
    garbage = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_identity(garbage) == "10.0.0.1"  # a malformed header falls back to the proxy's address


def test_a_counter_in_the_cache_names_no_address(settings):
    """The cache (Redis) holds counters per e-mail address: their keys are keyed hashes,
    not a SHA-256 anyone can recompute from a list of addresses."""
    key = ratelimit.counter_key("ideas-support-email", "ban@example.vn", 3600)
    assert hashlib.sha256(b"ban@example.vn").hexdigest()[:32] not in key and "ban@example.vn" not in key


HIT_IN_ANOTHER_PROCESS = """
import django; django.setup()
from tayho_site.ratelimit import hit
print(sum(hit({scope!r}, "same-visitor", 5, {window}) for _ in range(4)))
"""


def test_limit_is_shared_between_processes_through_redis(settings):
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        required_service_missing("Redis is not running on 127.0.0.1:6379")
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    # A prefix of this test's own: other test runs on the same Redis clear "tayho-test" keys.
    prefix = f"tayho-test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": url, "KEY_PREFIX": prefix}}
    scope = f"test-{uuid.uuid4().hex}"
    # A window far longer than the test, so that no window boundary falls between the two processes.
    window = 10**9
    try:
        here = sum(hit(scope, "same-visitor", 5, window) for _ in range(3))
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tayho_site.settings.test",
            "REDIS_URL": url,
            "CACHE_KEY_PREFIX": prefix,
        }
        code = HIT_IN_ANOTHER_PROCESS.format(scope=scope, window=window)
        there = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
        )
        assert here == 3
        assert int(there.stdout.strip()) == 2  # 3 here + 2 there reach the limit of 5; 2 refused
    finally:
        caches["default"].delete_pattern(f"rl:{scope}:*")
        caches["default"].close()
