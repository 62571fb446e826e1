"""What every public submission shares (contest entries, ideas, supports): the private
link's token (only its hash is stored), signed e-mail confirmation links that expire,
absolute links for e-mails, and the per-connection and per-address rate limits."""

import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from .ratelimit import allowed, client_identity

CONFIRMATION_MAX_AGE = 48 * 60 * 60


def new_access_token() -> str:
    """The secret of a private link; give it to the author, store `hash_token` of it."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- Hashed e-mail addresses (one support per address). A plain SHA-256 of an address is
# found again by anyone who hashes a list of addresses; the stored value is keyed instead,
# chained through every key of settings.SUPPORTER_HASH_KEYS in turn:
#     "<n>:" + HMAC(key_n, … HMAC(key_1, SHA-256(address)) …)
# Appending a key rekeys each stored value from the value alone (no address needed), so an
# old key that leaked no longer opens what is stored; `n` says how far a value has gone.
STORED_EMAIL_HASH = re.compile(r"(?:(\d+):)?([0-9a-f]{64})")


def _keyed(digest: str, keys) -> str:
    for key in keys:
        digest = hmac.new(key.encode(), digest.encode(), hashlib.sha256).hexdigest()
    return digest


def email_hashes(email: str) -> list[str]:
    """What `email` is stored as under the current keys, then under each earlier set of
    them: the values a row not yet rekeyed after a new key (rekey_email_hash) may hold."""
    keys = settings.SUPPORTER_HASH_KEYS
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    stored = []
    for count, key in enumerate(keys, 1):
        digest = _keyed(digest, [key])
        stored.insert(0, f"{count}:{digest}")
    return stored


def hash_email(email: str) -> str:
    """An address reduced to what is needed to recognise it again (e.g. one support each),
    which nobody can compute without the keys."""
    return email_hashes(email)[0]


def rekey_email_hash(stored: str, keys=None) -> str | None:
    """`stored` taken through the keys it has not been through yet (all of them for the
    plain SHA-256 of earlier versions); None when it is current already or no hash at all
    (e.g. the placeholder of an erased one)."""
    keys = settings.SUPPORTER_HASH_KEYS if keys is None else keys
    match = STORED_EMAIL_HASH.fullmatch(stored or "")
    if match is None:
        return None
    done = int(match[1] or 0)
    if done > len(keys):
        raise ImproperlyConfigured(
            f"A stored hash went through {done} keys; SUPPORTER_HASH_KEYS has {len(keys)}. "
            "Keys are appended, never removed."
        )
    if done == len(keys):
        return None
    return f"{len(keys)}:{_keyed(match[2], keys[done:])}"


def sign(salt: str, pk) -> str:
    """A link token for the record `pk`, readable only with the same salt."""
    return signing.dumps({"pk": pk}, salt=salt)


def check_signed(token: str, salt: str, pk, max_age=CONFIRMATION_MAX_AGE) -> None:
    """Raises signing.SignatureExpired for a link older than `max_age` seconds and
    signing.BadSignature for a forged one or one made for another record."""
    data = signing.loads(token, salt=salt, max_age=max_age)
    if data.get("pk") != pk:
        raise signing.BadSignature("link of another record")


def absolute(request, path: str) -> str:
    """A link for an e-mail: from the request when there is one, otherwise from the
    site's public address (SITE_URL), as for messages sent by rules and scheduled jobs."""
    if request is not None:
        return request.build_absolute_uri(path)
    from django.conf import settings

    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def refusal(request, scope: str, email: str | None = None, *, without_picture=False) -> str | None:
    """Counts one attempt against the limits `<scope>-ip` and (when given an address)
    `<scope>-email` of settings.RATE_LIMITS; the message to show when one is used up.
    A form sent without the captcha picture (`without_picture`) has only the e-mailed link
    as its check, so what it would save and mail (an address is given) also counts against
    the tighter `<scope>-nopicture-ip` and `<scope>-nopicture-email`."""
    connection = client_identity(request)
    address = email.strip().lower() if email is not None else None
    checks = [("ip", connection), ("email", address)]
    if without_picture and address is not None:  # a mistake in the form costs nothing
        checks += [("nopicture-ip", connection), ("nopicture-email", address)]
    for kind, identity in checks:
        if identity is not None and not allowed(f"{scope}-{kind}", identity):
            if kind.endswith("ip"):
                return _(
                    "Too many submissions have been sent from your connection in the last hour. "
                    "Please try again later; nothing was saved."
                )
            return _(
                "Too many submissions have been sent with this e-mail address in the last hour. "
                "Please try again later; nothing was saved."
            )
    return None


# The check a public form uses instead of the captcha picture, for people who cannot see it:
# chosen with the button next to the picture (what was typed is kept) or ?kiem-tra=email,
# and carried by the hidden field captcha_mode.
WITHOUT_PICTURE = "email"


def bound_form(request, form_class, **kwargs):
    """A public form bound to what was sent, with the check the visitor chose: the captcha
    picture, or none but the e-mailed link for those who cannot see it. After the "new
    picture" button or a switch between the two, the form comes back as typed (with a fresh
    picture) and `fresh` is True: nothing is to be checked or saved. Returns (form, fresh)."""
    switch = request.POST.get("captcha_switch") if request.method == "POST" else None
    without_picture = (
        switch == WITHOUT_PICTURE
        if switch is not None
        else WITHOUT_PICTURE in (request.GET.get("kiem-tra"), request.POST.get("captcha_mode"))
    )
    if request.method == "POST" and ("new_captcha" in request.POST or switch is not None):
        typed = {key: value for key, value in request.POST.items() if not key.startswith("captcha")}
        return form_class(initial=typed, without_picture=without_picture, **kwargs), True
    return form_class(request.POST or None, request.FILES or None, without_picture=without_picture, **kwargs), False


def link_problem(check, *args) -> str | None:
    """What is wrong with a signed confirmation link, in words for its reader; None when
    `check(*args)` accepts it."""
    try:
        check(*args)
    except signing.SignatureExpired:
        return _("This confirmation link is older than 48 hours. Ask for a new one below.")
    except signing.BadSignature:
        return _("This confirmation link is not valid.")
    return None


def resend_confirmation(request, *, scope: str, access_token: str, email: str, send) -> bool:
    """Send the confirmation link again (`send()`), at most settings.RATE_LIMITS[scope]
    times an hour per private link; tells the visitor which happened."""
    if not allowed(scope, access_token):
        messages.error(
            request,
            _(
                "The link has been sent several times already. Please check your inbox and spam "
                "folder, or try again in an hour."
            ),
        )
        return False
    with transaction.atomic():
        send()
    messages.success(request, _("A new confirmation link has been sent to %(email)s.") % {"email": email})
    return True


# Long enough for the redirect after the submission; the page that shows the link clears it.
SENT_COOKIE_SECONDS = 10 * 60


def remember_sent(response, scope: str, access_token: str):
    """The "sent" page after a submission needs the new record's private link. It travels
    in a signed, HTTP-only cookie rather than in the session: a session would be written to
    the database after the submission has committed, and a database failure at that moment
    would tell a resident whose entry was saved that it was not."""
    response.set_signed_cookie(
        f"{scope}_sent",
        access_token,
        salt=f"{scope}-sent",
        max_age=SENT_COOKIE_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def sent_token(request, scope: str) -> str | None:
    return request.get_signed_cookie(f"{scope}_sent", default=None, salt=f"{scope}-sent", max_age=SENT_COOKIE_SECONDS)


def shown_once(response, scope: str):
    """The "sent" page shows the private link once: the response that shows it clears the
    cookie and may be stored nowhere, so a reload, the back button or the next person at a
    shared computer (a ward office's) finds the page without it."""
    response.delete_cookie(f"{scope}_sent", samesite="Lax")
    add_never_cache_headers(response)
    return response
