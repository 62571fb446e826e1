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
