"""Fixed-window rate limits kept in the cache, so every worker process (and, with
Redis, every server) counts the same hits."""

import ipaddress
import logging
import time

from django.core.cache import cache
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)


def counter_key(scope: str, identity: str, window: int) -> str:
    # Keyed: a plain hash of an e-mail address in the cache would be recomputed from a list
    # of addresses by anyone who can read the cache.
    digest = salted_hmac("tayho_site.ratelimit", identity, algorithm="sha256").hexdigest()[:32]
    return f"rl:{scope}:{digest}:{int(time.time() // window)}"


def allowed(scope: str, identity: str) -> bool:
    """Count one attempt against settings.RATE_LIMITS[scope]."""
    from django.conf import settings

    limit, window = settings.RATE_LIMITS[scope]
    return hit(scope, identity, limit, window)


def hit(scope: str, identity: str, limit: int, window: int) -> bool:
    """Count one attempt; False when `identity` has used up `limit` in this window."""
    key = counter_key(scope, identity, window)
    # add() creates the counter only if absent; incr() is atomic on Redis and locmem.
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 5)
        count = 1
    if count is None:
        # The cache is down (Redis set to ignore errors): let the visitor through rather
        # than refuse everyone; the captcha still stands, and /healthz reports the outage.
        logger.warning("Rate limit %s not counted: the cache is unavailable", scope)
        return True
    return count <= limit


def client_ip(request) -> str:
    """The visitor's address; behind our proxy, the first X-Forwarded-For entry."""
    from django.conf import settings

    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def address_identity(address: str) -> str | None:
    """What a per-address limit counts: an IPv4 address itself; for IPv6, the /64 network
    (written as its first address), since one subscriber holds a whole /64 and may use any
    of its addresses; an IPv4 address written as IPv6 (::ffff:a.b.c.d) is that IPv4
    address. None for something that is no address."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.IPv6Network((int(ip) >> 64 << 64, 64)).network_address)
    return str(ip)


def client_identity(request) -> str:
    """The identity every per-address limit counts the visitor under (public forms, staff
    sign-in): address_identity of client_ip, or of the connection's own address when
    the forwarded one is malformed."""
    for candidate in (client_ip(request), request.META.get("REMOTE_ADDR", "")):
        identity = address_identity(candidate)
        if identity is not None:
            return identity
    return ""
