"""Two-factor sign-in as the person does it, for tests that sign in through the pages."""

import base64
import secrets


def authenticator_code(key):
    """The code an authenticator app shows for the key printed on the pairing page."""
    from django_otp.oath import totp

    key = key.replace(" ", "")
    return f"{totp(base64.b32decode(key + '=' * (-len(key) % 8))):06d}"


def backup_code(username):
    """A new one-time backup code of the person's (as if written down when they paired their app)."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    user = get_user_model().objects.get(username=username)
    device = StaticDevice.objects.get_or_create(user=user, defaults={"name": "Mã dự phòng", "confirmed": True})[0]
    return StaticToken.objects.create(device=device, token=secrets.token_hex(4)).token
