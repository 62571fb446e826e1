"""Staff sign-in hardening: what django-axes needs from the site (the client's address,
log labels without personal data, the Vietnamese lock-out page), idle-session expiry,
and ending the sessions of a deactivated account.

Everyone who has an account is staff here (judges, organisers, unit officers...):
residents never sign in. So every signed-in session is subject to idle expiry."""

import logging
import math
import time
from importlib import import_module

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.storage import default_storage
from django.core.cache import cache
from django.db.models import Sum
from django.db.models.signals import post_save
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms.auth import LoginForm

from . import ratelimit

logger = logging.getLogger("tayho_site.signin")

# Session key holding the time (epoch seconds) of the user's last request.
LAST_SEEN = "_staff_last_seen"
# Writing the time on every request would save the session on every request.
LAST_SEEN_WRITE_EVERY = 60
# Requests the browser makes by itself, which say nothing about a person being there:
# Wagtail's editor pings these every few seconds while a tab is visible.
BACKGROUND_PREFIXES = ("/admin/editing-sessions/",)
# Session keys of each user's sign-ins, so that deactivating the account can end them.
SESSIONS_KEPT = 20


def _sessions_cache_key(user_pk) -> str:
    return f"staffauth:sessions:{user_pk}"


# --- django-axes hooks (settings.AXES_*_CALLABLE) ---------------------------------


class SignInLockoutBackend(AxesStandaloneBackend):
    """axes' gate in front of ModelBackend. A call without a request (Django's test
    client `login()`, a shell) is no sign-in over the web: there is no address to count
    it against, so it goes straight to the next backend instead of failing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class SignInAttemptHandler(AxesDatabaseHandler):
    """axes' database handler (settings.AXES_HANDLER), with a limit for each way of
    counting failures instead of one for all: a user name from one address
    (AXES_FAILURE_LIMIT), and a user name from all addresses together
    (SIGNIN_ACCOUNT_FAILURE_LIMIT, higher), so that guessing from many addresses is
    stopped too, while one guesser's address alone cannot lock the person out elsewhere."""

    def counts(self, request, credentials=None) -> list[tuple[bool, int, int]]:
        """For each entry of AXES_LOCKOUT_PARAMETERS: whether it counts the user name across
        all addresses, its recent failures, and its limit."""
        limit = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        attempts = self.get_user_attempts(request, credentials)
        result = []
        for parameter, rows in zip(parameters, attempts, strict=True):
            everywhere = parameter in ("username", ["username"])
            failures = rows.aggregate(total=Sum("failures_since_start"))["total"] or 0
            result.append((everywhere, failures, settings.SIGNIN_ACCOUNT_FAILURE_LIMIT if everywhere else limit))
        return result

    def get_failures(self, request, credentials=None) -> int:
        """The failures axes compares with AXES_FAILURE_LIMIT: each count scaled to that
        limit, so that it reaches it exactly when the count reaches its own limit."""
        limit = get_failure_limit(request, credentials)
        return max(failures * limit // own for _everywhere, failures, own in self.counts(request, credentials))

    def locked_everywhere(self, request, credentials=None) -> bool:
        """Is the user name paused from every address, by its failures from all of them?"""
        return any(everywhere and failures >= own for everywhere, failures, own in self.counts(request, credentials))

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful sign-in forgives the failures of that user name from that address
        only (the first entry of AXES_LOCKOUT_PARAMETERS): forgiving those from every
        address would give a guesser elsewhere a fresh count each time the person signs in."""
        count, _ = self.filter_user_attempts(request, credentials)[0].delete()
        return count


def client_ip(request) -> str | None:
    """The address failures are counted against: the identity of every per-address limit
    (ratelimit.client_identity: an IPv6 /64 counts as one address), always a valid
    address: a malformed X-Forwarded-For falls back to the proxy's address instead of
    breaking the column."""
    return ratelimit.client_identity(request) or None


def username_for_log(username) -> str:
    """A user name as it may appear in logs: as typed when it is an account's user
    name, otherwise (an e-mail address, a password typed in the wrong box, a made-up
    name) a keyed hash that ties lines together without saying what was typed."""
    if not username:
        return "-"
    username = str(username)
    if "@" not in username:
        user_model = get_user_model()
        if user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).exists():
            return username
    digest = salted_hmac("tayho_site.staffauth.username", username, algorithm="sha256").hexdigest()[:12]
    return f"{'email' if '@' in username else 'unknown'}#{digest}"


def client_label(username, ip_address, user_agent, path_info, request) -> str:
    """How axes names a client in its log lines (never with the password)."""
    return f'{{username: "{username_for_log(username)}", ip_address: "{ip_address}", path_info: "{path_info}"}}'


def lockout_minutes() -> int:
    from axes.helpers import get_cool_off

    cool_off = get_cool_off()
    return math.ceil(cool_off.total_seconds() / 60) if cool_off else 0


def locked_out(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets, on the site's form and the admin's: paused for
    this address, or for the account from every address."""
    from axes.handlers.proxy import AxesProxyHandler

    minutes = lockout_minutes()
    handler = AxesProxyHandler.get_implementation()
    everywhere = isinstance(handler, SignInAttemptHandler) and handler.locked_everywhere(request, credentials)
    response = render(
        request,
        "tayho_site/account/locked_out.html",
        {
            "minutes": minutes,
            "sign_in_url": request.path,
            "everywhere": everywhere,
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    add_never_cache_headers(response)
    return response


def log_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    """Each refused sign-in of a locked-out user name and address (axes' signal)."""
    logger.warning(
        "Sign-in locked out: username=%s ip=%s path=%s",
        username_for_log(username),
        ip_address,
        getattr(request, "path", "-"),
    )


# --- Idle expiry -----------------------------------------------------------------


class IdleSessionExpiryMiddleware:
    """Signs a user out after settings.STAFF_IDLE_MINUTES without a request.

    The time of the last request is kept in the session, rewritten at most once a
    minute; a session therefore ends between N and N+1 minutes after the last request,
    never before N. STAFF_IDLE_MINUTES = 0 turns this off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        minutes = settings.STAFF_IDLE_MINUTES
        user = getattr(request, "user", None)
        if minutes and user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            if isinstance(last_seen, int) and now - last_seen >= minutes * 60 + LAST_SEEN_WRITE_EVERY:
                return self.expire(request, minutes)
            background = request.path_info.startswith(BACKGROUND_PREFIXES)
            if not isinstance(last_seen, int) or (now - last_seen >= LAST_SEEN_WRITE_EVERY and not background):
                request.session[LAST_SEEN] = now
        return self.get_response(request)

    def expire(self, request, minutes):
        logger.info(
            "Signed out after %s idle minutes: username=%s", minutes, username_for_log(request.user.get_username())
        )
        next_url = request.get_full_path()
        admin = request.path_info.startswith(tuple(settings.ADMIN_PATH_PREFIXES))
        logout(request)
        response = redirect_to_login(next_url, reverse("wagtailadmin_login") if admin else settings.LOGIN_URL)
        # This runs before MessageMiddleware, which a redirect from here never reaches:
        # keep the message the way it would.
        storage = default_storage(request)
        storage.add(
            messages.WARNING,
            ngettext(
                "Your session ended after %(minutes)s minute without activity. Please sign in again.",
                "Your session ended after %(minutes)s minutes without activity. Please sign in again.",
                minutes,
            )
            % {"minutes": minutes},
        )
        storage.update(response)
        return response


# --- Deactivated accounts --------------------------------------------------------
# Django's ModelBackend already refuses an inactive user on every request (the session
# then counts as anonymous); deleting the sessions as well frees them from the session
# store at once. The keys are remembered in the cache, which every server shares.


def remember_session(sender, request, user, **kwargs):
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if not session_key:
        return
    key = _sessions_cache_key(user.pk)
    keys = [k for k in (cache.get(key) or []) if k != session_key][-(SESSIONS_KEPT - 1) :]
    cache.set(key, [*keys, session_key], timeout=settings.SESSION_COOKIE_AGE)


def end_sessions_of_inactive(sender, instance, created=False, **kwargs):
    if created or instance.is_active:
        return
    key = _sessions_cache_key(instance.pk)
    session_keys = cache.get(key) or []
    if not session_keys:
        return
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session_key in session_keys:
        store(session_key=session_key).delete()
    cache.delete(key)
    logger.info(
        "Ended %s session(s) of deactivated account %s", len(session_keys), username_for_log(instance.get_username())
    )


def connect_signals():
    from axes.signals import user_locked_out

    user_locked_out.connect(log_locked_out, dispatch_uid="tayho_site.staffauth.log_locked_out")
    user_logged_in.connect(remember_session, dispatch_uid="tayho_site.staffauth.remember_session")
    post_save.connect(
        end_sessions_of_inactive,
        sender=settings.AUTH_USER_MODEL,
        dispatch_uid="tayho_site.staffauth.end_sessions_of_inactive",
    )


class StaffLoginForm(LoginForm):
    """Wagtail's sign-in form (WAGTAILADMIN_USER_LOGIN_FORM), whose password field has no
    label of its own and so shows its English name "Password" on the Vietnamese page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
