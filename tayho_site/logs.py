"""Structured logs: every line carries the request's id, and no line carries an e-mail
address, a phone number or an ID-card number.

- `RequestIdMiddleware` (first in MIDDLEWARE) takes the proxy's X-Request-ID when it is a
  sane token, or makes one, and returns it in the response's X-Request-ID header, so a
  resident's "it failed at 21:04" can be matched to the server's lines.
- `RequestIdFilter` puts it on every record as `request_id`.
- `RedactFilter` rewrites the message (and any traceback) of every record that reaches a
  handler, whoever logged it: a defence in depth behind code that logs ids, not people.
- With LOG_FORMAT=json (production's default) lines are JSON objects
  (python-json-logger), one per line, for the log collector.
"""

import contextvars
import logging
import re
import uuid

_request_id = contextvars.ContextVar("request_id", default="-")
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")

REDACTED = "[redacted]"
# Private-link tokens and link signatures (32+ URL-safe characters: a path such as
# /bai-du-thi/<token>/ opens a resident's record); e-mail addresses (also URL-encoded);
# Vietnamese phone numbers (0xx or +84, spaces, dots or dashes between groups); ID numbers
# (9-digit identity cards, 12-digit citizen cards).
PATTERNS = [
    re.compile(r"[A-Za-z0-9_-]{32,}"),
    re.compile(r"[\w.+-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+"),
    re.compile(r"(?<![\w/])(?:\+?84|0)(?:[\s.-]?\d){8,10}(?![\w/])"),
    re.compile(r"(?<![\w/-])\d{9}(?:\d{3})?(?![\w/-])"),
]


def redact(text: str) -> str:
    for pattern in PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text


def current_request_id() -> str:
    return _request_id.get()


def request_id(given: str) -> str:
    """The proxy's X-Request-ID when it is a sane token, else a new one."""
    return given if _SANE_ID.fullmatch(given) else uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = request_id(request.META.get("HTTP_X_REQUEST_ID", ""))
        token = _request_id.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request.id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        if not hasattr(record, "request_id"):
            # django.request logs a response after the middleware has finished; its
            # records carry the request itself.
            record.request_id = getattr(getattr(record, "request", None), "id", None) or _request_id.get()
        return True


# What every record has; anything else came in `extra` (django.request passes the request,
# whose text holds the path) and is rewritten too.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id"}


class RedactFilter(logging.Filter):
    def filter(self, record):
        for name, value in list(vars(record).items()):
            if name not in _STANDARD and not isinstance(value, int | float | bool | type(None)):
                setattr(record, name, redact(str(value)))
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string is logged as it is
            message = str(record.msg)
        record.msg, record.args = redact(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            # Formatters print exc_text when there is no exc_info to format afresh.
            record.exc_text, record.exc_info = redact(record.exc_text), None
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
