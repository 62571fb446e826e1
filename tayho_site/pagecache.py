"""Whole public pages for anonymous visitors, kept in the shared cache (Redis in production).

A visitor with no session and no pending message gets a GET page from the cache when one
is there; otherwise the page is rendered and kept if it is cacheable: status 200, no
cookie set, not varying on cookies (no form with a CSRF token), not marked private, no
CSP nonce in it, rendered in the language of its URL. Each page is kept with the
*version* it was made under, a number shared by every app server through the cache;
publishing, changing or revoking anything public bumps it after the transaction commits
(see `bump` and `connect_signals`), so a change made on one server is seen fresh on every
other at once. A page kept under an older version is never served again.

Two layers share the rules and the entries:
- `FrontPageCache` wraps the WSGI application (`tayho_site/wsgi.py`): a hit is answered
  there, before Django builds a request or runs any middleware, and the page's headers exactly as
  they left the site the first time (security headers included), a fresh X-Request-ID
  apart. Pages are kept compressed (gzip, once, when kept) and sent so to every browser
  that accepts it, a fifth of the bytes to a resident's phone. On a miss it keeps what
  the site answered when the middleware below said it may.
- Each app server process keeps the version it last read for at most
  PAGE_CACHE_VERSION_SECONDS (1 s) and the pages it served lately under it: most hits
  need no round trip to the cache at all; a change made on this process is seen at once
  (the bump sets its version), one made on another within that second. Otherwise a hit
  costs one round trip (the version and the page in one read).
- `PublicPageCacheMiddleware` (after LocaleMiddleware) judges the request and the
  response in Django's terms. Behind the front it only says "keep this"; without it
  (runserver, the test client) it serves and keeps pages itself.

Enabled when settings.PAGE_CACHE_SECONDS > 0 (production with Redis: 300 by default).
Responses carry `X-Cache: hit` or `miss` for monitoring and the load benchmark.
"""

import gzip
import hashlib
import logging
import re
import time
import zlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http.cookie import parse_cookie
from django.utils import translation

from .logs import request_id
from .versions import SharedVersion

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
# Cookies that do not change what an anonymous visitor is shown.
NEUTRAL_COOKIES = {"csrftoken", "django_language", "contest_sent", "ideas_sent"}
# Response headers not kept with a page: they are per response.
PER_RESPONSE_HEADERS = {"date", "set-cookie", "x-request-id", "content-length", "server", "x-cache"}
# What the middleware kept itself (without the front), below the security middleware.
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


# The version as this process sees it, with the pages it served lately under it.
PAGES = SharedVersion(VERSION_KEY, limit=128)


def version() -> int:
    """The current version as the cache holds it; None if the cache is down. A version
    that is lost (Redis restarted or evicted it) starts again from the clock, never from
    an old number whose pages might still be kept."""
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
        if not PAGES.bump():
            logger.warning("Public pages not made stale: the cache is unavailable")

    transaction.on_commit(_bump, robust=True)


_EXCLUDED_ALTERNATIVES = "|".join(
    [re.escape(prefix.lstrip("/")) for prefix in getattr(settings, "PAGE_CACHE_EXCLUDED_PREFIXES", ())] or ["(?!)"]
)
EXCLUDED = re.compile(rf"^/(?:en/)?(?:{_EXCLUDED_ALTERNATIVES})")


# The WSGI environ's flags between the two layers.
FRONT = "tayho.pagecache.front"  # the front is there: the middleware need not look up
KEEP = "tayho.pagecache.keep"  # the middleware judged the response fit to keep


def _url_language(path: str) -> str:
    """The language of a public URL: English under /en/, else the site's language."""
    return "en" if path == "/en" or path.startswith("/en/") else settings.LANGUAGE_CODE


def _scheme(environ) -> str:
    header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if header:
        return "https" if environ.get(header[0], "").split(",")[0].strip() == header[1] else "http"
    return environ.get("wsgi.url_scheme", "http")


def _key(environ) -> str:
    """One key per scheme, host, path, page number and language, from the WSGI environ
    (Django's request.META is the same dictionary)."""
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    query = environ.get("QUERY_STRING", "")
    language = _url_language(environ.get("PATH_INFO", ""))
    text = f"{_scheme(environ)}|{host}|{path}?{query}|{language}"
    return "pagecache:page:" + hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:40]


def _eligible(environ) -> bool:
    """A GET/HEAD of a bare or numbered public page by a visitor without a session."""
    return (
        environ.get("REQUEST_METHOD") in ("GET", "HEAD")
        and set(parse_cookie(environ.get("HTTP_COOKIE", ""))) <= NEUTRAL_COOKIES
        and CACHEABLE_QUERY.fullmatch(environ.get("QUERY_STRING", "")) is not None
        and not EXCLUDED.match(environ.get("PATH_INFO", ""))
    )


def _lookup(key):
    """(version, the kept page or None): from this process's memory when it read the
    version lately and served the page since; else in one round trip to the cache. The
    version is None when the cache is down or has lost it."""
    current_version = PAGES.trusted()
    if current_version is not None:
        pages = PAGES.kept()
        stored = pages.get(key)
        if stored is None:
            stored = cache.get(key)
            if stored is not None and stored[0] > current_version:
                # Kept by a server that has seen a newer version (versions only grow).
                PAGES.remember(stored[0])
                current_version, pages = stored[0], PAGES.kept()
    else:
        found = cache.get_many([VERSION_KEY, key])
        current_version, stored = found.get(VERSION_KEY), found.get(key)
        if current_version is None:
            return None, None
        PAGES.remember(current_version)
        pages = PAGES.kept()
    if stored is None or stored[0] != current_version:
        return current_version, None
    pages[key] = stored
    return current_version, stored


def _keep(key, current_version, headers, content):
    """Keeps a page compressed, its headers saying it varies with Accept-Encoding."""
    vary = [value for name, value in headers if name.lower() == "vary"]
    headers = [(name, value) for name, value in headers if name.lower() != "vary"]
    headers.append(("Vary", ", ".join([*vary, "Accept-Encoding"])))
    cache.set(key, (current_version, headers, gzip.compress(content, compresslevel=6, mtime=0)), seconds())


def _accepts_gzip(environ) -> bool:
    """gzip is among the encodings the browser takes (and not refused with q=0)."""
    for item in environ.get("HTTP_ACCEPT_ENCODING", "").lower().split(","):
        name, _sep, params = item.partition(";")
        if name.strip() in ("gzip", "*"):
            quality = params.replace(" ", "")
            try:
                return float(quality.removeprefix("q=")) > 0 if quality.startswith("q=") else True
            except ValueError:
                return False
    return False


def _unpack(stored, environ):
    """A kept page's (headers, body) for this request: compressed if the browser takes it."""
    _version, headers, compressed = stored
    if _accepts_gzip(environ):
        return [*headers, ("Content-Encoding", "gzip")], compressed
    return list(headers), zlib.decompress(compressed, wbits=31)


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


class FrontPageCache:
    """WSGI middleware around the site: answers hits before Django, keeps what the site
    answered on a miss when PublicPageCacheMiddleware said it may (see the module's text)."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if not (seconds() and _eligible(environ)):
            return self.application(environ, start_response)
        key = _key(environ)
        current_version, stored = _lookup(key)
        if stored is not None:
            headers, content = _unpack(stored, environ)
            start_response(
                "200 OK",
                [
                    *headers,
                    ("Content-Length", str(len(content))),
                    ("X-Cache", "hit"),
                    ("X-Request-ID", request_id(environ.get("HTTP_X_REQUEST_ID", ""))),
                ],
            )
            return [b"" if environ["REQUEST_METHOD"] == "HEAD" else content]
        environ[FRONT] = True
        answered = {}

        def remember(status, headers, exc_info=None):
            answered["status"], answered["headers"] = status, headers
            if environ.get(KEEP):
                headers = [*headers, ("X-Cache", "miss")]
            return start_response(status, headers, exc_info)

        result = self.application(environ, start_response=remember)
        if not (environ.get(KEEP) and answered.get("status", "").startswith("200 ")):
            return result
        try:
            content = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        if current_version is None:
            current_version = version()
        if current_version is not None:
            kept = [(name, value) for name, value in answered["headers"] if name.lower() not in PER_RESPONSE_HEADERS]
            _keep(key, current_version, kept, content)
        return [content]


class PublicPageCacheMiddleware:
    """Place after LocaleMiddleware (the URL's language must be the page's) and before the
    session, CSRF and authentication middleware, which a cache hit does not need."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (seconds() and _eligible(request.META)):
            return self.get_response(request)
        if request.META.get(FRONT):  # the front looked already; say whether to keep it
            response = self.get_response(request)
            if self._keepable(request, response):
                request.META[KEEP] = True
            return response
        key = _key(request.META)
        current_version, stored = _lookup(key)
        if stored is not None:
            return self._rebuild(*_unpack(stored, request.META))
        if current_version is None:
            current_version = version()
        response = self.get_response(request)
        if current_version is not None and self._keepable(request, response):
            headers = [(name, value) for name, value in response.items() if name.lower() in KEPT_HEADERS]
            _keep(key, current_version, headers, response.content)
            response["X-Cache"] = "miss"
        return response

    @staticmethod
    def _keepable(request, response) -> bool:
        return (
            request.method == "GET"
            and translation.get_language() == _url_language(request.path_info)
            and _storable(response)
        )

    @staticmethod
    def _rebuild(headers, content):
        from django.http import HttpResponse

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
