"""Validators for what residents type into public forms."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_NOT_DIGITS = re.compile(r"[\s.\-()]")
# Mobile: 03x, 05x, 07x, 08x, 09x + 7 digits. Landline: 02 + area code + number (11 digits).
_MOBILE = re.compile(r"^0[35789]\d{8}$")
_LANDLINE = re.compile(r"^02\d{9}$")


def normalize_vietnamese_phone(value: str) -> str:
    """"+84 912.345.678", "0912 345 678" -> "0912345678"; raises ValidationError otherwise."""
    digits = _NOT_DIGITS.sub("", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not digits.isdigit() or not (_MOBILE.match(digits) or _LANDLINE.match(digits)):
        raise ValidationError(
            _("Enter a Vietnamese phone number, e.g. 0912 345 678 or 024 3753 0000."), code="invalid_phone"
        )
    return digits
