"""Test clients."""

from django.test import Client


class StaffClient(Client):
    """The test client, whose force_login signs a person in as staff sign in: the password,
    then the second step (two-factor sign-in is required of most staff). The person gets
    a paired authenticator app, if they have none, and the session is marked as having
    passed it, as django_otp.login does. Tests of the steps themselves sign in through the
    forms instead (tests/tayho_site/test_twofactor.py)."""

    def force_login(self, user, backend=None):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        super().force_login(user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="Điện thoại", confirmed=True
        )
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


class WsgiClient:
    """Requests through a WSGI application as a server would call it (the front page cache
    in tayho_site/wsgi.py sits outside Django, where the test client never looks). The
    database connection is kept open across requests, as the test client keeps it, so
    the test's transaction holds."""

    def __init__(self, application, host="testserver"):
        self.application, self.host = application, host

    def request(self, path="/", method="GET", headers=None, query=""):
        import io
        from wsgiref.util import setup_testing_defaults

        from django.core.signals import request_finished, request_started
        from django.db import close_old_connections

        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "HTTP_HOST": self.host,
            "wsgi.input": io.BytesIO(b""),
            **{"HTTP_" + name.upper().replace("-", "_"): value for name, value in (headers or {}).items()},
        }
        setup_testing_defaults(environ)
        answered = {}

        def start_response(status, response_headers, exc_info=None):
            answered["status"], answered["headers"] = status, response_headers

        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            result = self.application(environ, start_response)
            try:
                content = b"".join(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return WsgiAnswer(int(answered["status"].split()[0]), answered["headers"], content)


class WsgiAnswer:
    def __init__(self, status_code, headers, content):
        self.status_code, self.header_list, self.content = status_code, headers, content
        self.headers = {name.lower(): value for name, value in headers}

    def __getitem__(self, name):
        return self.headers[name.lower()]

    def __contains__(self, name):
        return name.lower() in self.headers
