"""Whole public pages for anonymous visitors, kept in the shared cache (Redis in production).

A visitor with no session and no pending message gets a GET page from the cache when one
is there; otherwise the page is rendered and kept if it is cacheable: status 200, no
cookie set, not varying on cookies (no form with a CSRF token), not marked private, no
CSP nonce in it. The key holds a *version* shared by every app server through the
cache; publishing, changing or revoking anything public bumps it after the transaction
commits (see `bump` and `connect_signals`), so a change made on one server is seen fresh
on every other at once. Old entries are never read again and expire on their own.

Enabled when settings.PAGE_CACHE_SECONDS > 0 (production with Redis: 300 by default).
Responses carry `X-Cache: hit` or `miss` for monitoring and the load benchmark.
"""

import hashlib
import logging
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import translation

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
# Cookies that do not change what an anonymous visitor is shown.
NEUTRAL_COOKIES = {"csrftoken", "django_language", "contest_sent", "ideas_sent"}
# Response headers worth keeping; the rest (Date, Set-Cookie…) are per response.
KEPT_HEADERS = {
    "content-type",
    "content-language",
    "content-security-policy",
    "x-frame-options",
    "vary",
    "link",
    "cache-control",
    "access-control-allow-origin",
}


# Only bare pages and their numbered pages: a made-up query string must not fill the cache.
CACHEABLE_QUERY = re.compile(r"(page=[1-9]\d{0,3})?")


def seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0)


def version() -> int:
    """The current version; None if the cache is down. A version that is lost (Redis
    restarted or evicted it) starts again from the clock, never from an old number whose
    pages might still be kept."""
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        value = cache.get(VERSION_KEY)
    return value


def bump(**_kwargs) -> None:
    """Make every cached page stale, once the current transaction commits."""
    if not seconds():
        return

    def _bump():
        try:
            if cache.incr(VERSION_KEY) is None:
                logger.warning("Public pages not made stale: the cache is unavailable")
        except ValueError:  # no version yet: nothing cached under one either
            cache.add(VERSION_KEY, time.time_ns(), timeout=None)

    transaction.on_commit(_bump, robust=True)


_EXCLUDED_ALTERNATIVES = "|".join(
    [re.escape(prefix.lstrip("/")) for prefix in getattr(settings, "PAGE_CACHE_EXCLUDED_PREFIXES", ())] or ["(?!)"]
)
EXCLUDED = re.compile(rf"^/(?:en/)?(?:{_EXCLUDED_ALTERNATIVES})")


def _key(request, current_version) -> str:
    digest = hashlib.sha256(f"{request.get_host()}|{request.get_full_path()}".encode()).hexdigest()[:40]
    return f"pagecache:page:{current_version}:{translation.get_language()}:{digest}"


def _anonymous(request) -> bool:
    return set(request.COOKIES) <= NEUTRAL_COOKIES


def _storable(response) -> bool:
    if response.status_code != 200 or getattr(response, "streaming", False):
        return False
    if response.cookies or "cookie" in response.get("Vary", "").lower():
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-cache", "no-store")):
        return False
    return "'nonce-" not in response.get("Content-Security-Policy", "")


class PublicPageCacheMiddleware:
    """Place after LocaleMiddleware (the key holds the language) and before the session,
    CSRF and authentication middleware, which a cache hit does not need."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (
            seconds()
            and request.method in ("GET", "HEAD")
            and _anonymous(request)
            and CACHEABLE_QUERY.fullmatch(request.META.get("QUERY_STRING", ""))
            and not EXCLUDED.match(request.path_info)
        ):
            return self.get_response(request)
        current_version = version()
        if current_version is None:  # the cache is down: serve uncached
            return self.get_response(request)
        key = _key(request, current_version)
        stored = cache.get(key)
        if stored is not None:
            return self._rebuild(stored)
        response = self.get_response(request)
        if request.method == "GET" and _storable(response):
            headers = [(name, value) for name, value in response.items() if name.lower() in KEPT_HEADERS]
            cache.set(key, (response.content, headers), seconds())
            response["X-Cache"] = "miss"
        return response

    @staticmethod
    def _rebuild(stored):
        from django.http import HttpResponse

        content, headers = stored
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        response["X-Cache"] = "hit"
        return response


def connect_signals():
    """Whatever a public page shows bumps the version when it changes: Wagtail pages here;
    each app names its own records with `purge_on_change` from its AppConfig.ready."""
    from django.db.models.signals import post_delete
    from wagtail.models import Page
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for name, signal in (("published", page_published), ("unpublished", page_unpublished), ("moved", post_page_move)):
        signal.connect(bump, dispatch_uid=f"pagecache-page-{name}")
    post_delete.connect(bump, sender=Page, dispatch_uid="pagecache-page-delete")


def purge_on_change(*models, new_rows_public=True):
    """An app names the records its public pages show (models or "app_label.Model"):
    saving or deleting one purges the cached pages. With `new_rows_public=False`, a new
    row purges nothing (an entry is not public before it is confirmed), a change does."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    for model in models:
        model = apps.get_model(model) if isinstance(model, str) else model
        label = model._meta.label
        post_save.connect(
            bump if new_rows_public else _bump_unless_created, sender=model, dispatch_uid=f"pagecache-save-{label}"
        )
        post_delete.connect(bump, sender=model, dispatch_uid=f"pagecache-delete-{label}")


def _bump_unless_created(created=False, **kwargs):
    if not created:
        bump(**kwargs)
