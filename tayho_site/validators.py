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


def file_kind(upload) -> str | None:
    """"pdf", "docx", "jpeg" or "png" judged from the file's first bytes, never from its
    name; None for anything else."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        import zipfile

        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "docx"
    return None


def checked_upload(upload, *, kinds, stem, max_bytes=10 * 1024 * 1024, too_big=None, wrong_kind=None):
    """An uploaded file checked the way every form here checks one: at most `max_bytes`,
    one of `kinds` judged from its bytes, and renamed by the server (`stem.ext`) so the
    uploader's name never reaches the storage. Returns (upload, kind, original name);
    raises ValidationError with the form's own message."""
    if upload.size > max_bytes:
        raise ValidationError(too_big or _("The file is larger than %(mb)s MB.") % {"mb": max_bytes // 2**20})
    kind = file_kind(upload)
    if kind not in kinds:
        raise ValidationError(wrong_kind or _("This kind of file is not accepted."))
    original = upload.name[:200]
    upload.name = f"{stem}.{'jpg' if kind == 'jpeg' else kind}"
    return upload, kind, original
