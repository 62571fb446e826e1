"""Validators for what residents type into public forms."""

import io
import re

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _

_NOT_DIGITS = re.compile(r"[\s.\-()]")
# Mobile: 03x, 05x, 07x, 08x, 09x + 7 digits. Landline: 02 + area code + number (11 digits).
_MOBILE = re.compile(r"^0[35789]\d{8}$")
_LANDLINE = re.compile(r"^02\d{9}$")


def normalize_vietnamese_phone(value: str) -> str:
    """ "+84 912.345.678", "0912 345 678" -> "0912345678"; raises ValidationError otherwise."""
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
    """ "pdf", "docx", "jpeg" or "png" judged from the file's first bytes, never from its
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
    one of `kinds` judged from its bytes, cleaned of what names or locates its sender
    (`clean_file`), and renamed by the server (`stem.ext`) so the uploader's name never
    reaches the storage. Returns (cleaned upload, kind, original name); raises
    ValidationError with the form's own message, or with why the file could not be cleaned."""
    if upload.size > max_bytes:  # before anything parses it
        raise ValidationError(too_big or _("The file is larger than %(mb)s MB.") % {"mb": max_bytes // 2**20})
    kind = file_kind(upload)
    if kind not in kinds:
        raise ValidationError(wrong_kind or _("This kind of file is not accepted."))
    original = upload.name[:200]
    upload.seek(0)
    cleaned = clean_file(upload.read(), kind)
    name = f"{stem}.{'jpg' if kind == 'jpeg' else kind}"
    return SimpleUploadedFile(name, cleaned, content_type=CONTENT_TYPES[kind]), kind, original


def checked_picture_or_document(upload, *, stem, max_bytes=10 * 1024 * 1024):
    """`checked_upload` for what residents attach to an idea or a report: a picture (.jpg,
    .png) or a document (.pdf, .docx). Returns (cleaned upload, kind)."""
    upload, kind, _name = checked_upload(
        upload,
        kinds={"jpeg", "png", "pdf", "docx"},
        stem=stem,
        max_bytes=max_bytes,
        wrong_kind=_("The file must be a real picture (.jpg, .png) or document (.pdf, .docx)."),
    )
    return upload, kind


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
# A 48-megapixel phone photo passes; a picture claiming more is refused before it is
# decoded, since a few kilobytes of PNG can unpack into gigabytes of pixels.
MAX_IMAGE_PIXELS = 50_000_000
# What an honest .docx of at most 10 MB unpacks into, with room to spare.
MAX_DOCX_ENTRIES = 2000
MAX_DOCX_UNPACKED_BYTES = 100 * 1024 * 1024


class _Unclean(Exception):
    """The file cannot be cleaned; `message` says why, for the sender."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def clean_file(data: bytes, kind: str) -> bytes:
    """The file's bytes without what names or locates the sender: pictures re-encoded
    without EXIF, XMP, comments or text chunks (turned upright first); a .docx without
    its properties and its external links; a PDF without its Info dictionary and XMP.
    Raises ValidationError when the file cannot be cleaned: nothing of it is kept."""
    cleaners = {"jpeg": _clean_picture, "png": _clean_picture, "docx": _clean_docx, "pdf": _clean_pdf}
    try:
        return cleaners[kind](data, kind)
    except _Unclean as refusal:
        raise ValidationError(refusal.message, code="unclean_file") from None


def _clean_picture(data, kind):
    import warnings

    from PIL import Image, ImageOps

    unreadable = _("The picture could not be read. Please send another .jpg or .png picture.")
    fmt = "JPEG" if kind == "jpeg" else "PNG"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[fmt]) as image:  # reads the header only
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise _Unclean(_too_many_pixels())
                image.load()
                icc_profile = image.info.get("icc_profile")
                picture = ImageOps.exif_transpose(image)  # a copy, turned as the EXIF orientation says
    except _Unclean:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _Unclean(_too_many_pixels()) from None
    except Exception:  # noqa: BLE001 - whatever a damaged or hostile file makes the decoder raise
        raise _Unclean(unreadable) from None
    # Only transparency is kept: EXIF, XMP, comments, text chunks and the ICC profile
    # (whose description may name the camera) are left behind; colours are first
    # brought into sRGB so that dropping the profile does not change them.
    transparency = picture.info.get("transparency")
    picture.info = {} if transparency is None else {"transparency": transparency}
    if icc_profile and picture.mode in ("RGB", "CMYK"):
        picture = _to_srgb(picture, icc_profile)
    buffer = io.BytesIO()
    try:
        if kind == "jpeg":
            if picture.mode not in ("L", "RGB", "CMYK"):
                picture = picture.convert("RGB")
            picture.save(buffer, "JPEG", quality=90)
        else:
            picture.save(buffer, "PNG")
    except Exception:  # noqa: BLE001 - a mode or value the encoder will not write
        raise _Unclean(unreadable) from None
    return buffer.getvalue()


def _too_many_pixels():
    return _(
        "The picture is too large (more than %(megapixels)s million pixels). Please make it smaller and send it again."
    ) % {"megapixels": MAX_IMAGE_PIXELS // 1_000_000}


def _to_srgb(picture, icc_profile):
    from PIL import ImageCms

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        converted = ImageCms.profileToProfile(picture, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return picture  # a profile Little CMS cannot read: the colours stay as they are
    converted.info = {}
    return converted


# Office Open XML: https://ecma-international.org/publications-and-standards/standards/ecma-376/
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_EMBEDDED_PACKAGES = (".docx", ".xlsx", ".pptx")
# Word signs tracked changes and comments with w:author and w:initials, and lists their
# authors, with their accounts, in people.xml; its "remove personal information" writes
# "Author" instead, as this does.
_WORD_AUTHOR = re.compile(rb'\bw:(author|initials)="[^"]*"')
_PEOPLE = "word/people.xml"
_MACROS = ("vbaproject.bin", "vbadata.xml", ".docm", ".xlsm", ".pptm", ".dotm", ".xlam", ".ppam")


def _clean_docx(data, _kind):
    return _clean_package(data, _Budget(), nested=False)


class _Budget:
    """What a .docx and the packages embedded in it may unpack into, together."""

    def __init__(self):
        self.entries = MAX_DOCX_ENTRIES
        self.bytes = MAX_DOCX_UNPACKED_BYTES

    def spend(self, *, entries=0, size=0):
        self.entries -= entries
        self.bytes -= size
        if self.entries < 0 or self.bytes < 0:
            raise _Unclean(_unreadable_docx())


def _unreadable_docx():
    return _("The .docx file could not be read. Please open it in Word, save it as a new .docx file and send it again.")


def _clean_package(data, budget, *, nested):
    """An Office Open XML package rewritten without `docProps/` (author, company, dates,
    thumbnail), without the names on tracked changes and comments, and without the
    relationships that fetch something from outside when the file is opened (an attached
    template on a share, a linked picture: they name the author's machine and tell a
    server who opened it). Hyperlinks stay: they open only when the reader clicks them.
    Packages embedded in it (a chart's workbook) are cleaned the same way. Macros, zip
    bombs and names leaving the folder are refused; every entry is written anew, without
    the zip's dates, comments and extra fields."""
    import posixpath
    import zipfile

    archive, infos = _open_package(data, budget)

    def read(info):
        budget.spend(size=info.file_size)  # the declared size; zipfile never unpacks more
        try:
            return archive.read(info)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError):
            raise _Unclean(_unreadable_docx()) from None

    dropped_parts = {
        info.filename.lower()
        for info in infos
        if info.filename.lower().startswith("docprops/") or info.filename.lower() == _PEOPLE
    }
    rewritten, dropped_references = {}, {}
    for info in infos:  # first the package's own bookkeeping, so that parts can follow it
        name = info.filename
        if name == "[Content_Types].xml":
            rewritten[name] = _without_overrides(read(info), dropped_parts)
        elif (
            posixpath.basename(posixpath.dirname(name)) == "_rels"
            and name.endswith(".rels")
            and name.lower() not in dropped_parts
        ):
            folder = posixpath.dirname(posixpath.dirname(name))
            rewritten[name], dropped_ids = _without_relationships(read(info), folder, dropped_parts)
            if dropped_ids:
                source = posixpath.join(folder, posixpath.basename(name).removesuffix(".rels"))
                dropped_references[source.lower()] = dropped_ids
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as cleaned:
        for info in infos:
            name = info.filename
            if name.endswith("/") or name.lower() in dropped_parts:
                continue
            content = rewritten[name] if name in rewritten else read(info)
            if name.lower() in dropped_references:
                content = _without_references(content, dropped_references[name.lower()])
            elif name.lower().endswith(_EMBEDDED_PACKAGES) and not nested:
                content = _clean_package(content, budget, nested=True)
            if name.lower().startswith("word/") and name.lower().endswith(".xml"):
                content = _WORD_AUTHOR.sub(rb'w:\1="Author"', content)
            cleaned.writestr(
                zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), content, compress_type=zipfile.ZIP_DEFLATED
            )
    return output.getvalue()


def _open_package(data, budget):
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise _Unclean(_unreadable_docx()) from None
    budget.spend(entries=len(infos))
    seen = set()
    for info in infos:
        name = info.filename
        if (
            not name
            or name.startswith("/")
            or "\\" in name
            or ":" in name
            or "\x00" in name
            or ".." in name.split("/")
            or name.lower() in seen
            or info.flag_bits & 0x1
        ):  # 0x1: encrypted
            raise _Unclean(_unreadable_docx())
        seen.add(name.lower())
        if name.lower().endswith(_MACROS):
            raise _Unclean(_macros())
    return archive, infos


def _macros():
    return _(
        "The .docx file contains macros, which are not accepted. Please save it as an ordinary .docx "
        "document and send it again."
    )


def _parse_xml(content, tag):
    from xml.etree.ElementTree import ParseError

    import defusedxml.ElementTree
    from defusedxml import DefusedXmlException

    try:
        root = defusedxml.ElementTree.fromstring(content)
    except (ParseError, DefusedXmlException, ValueError):
        raise _Unclean(_unreadable_docx()) from None
    if root.tag != tag:
        raise _Unclean(_unreadable_docx())
    return root


def _xml(root_tag, namespace, elements):
    from xml.sax.saxutils import quoteattr

    body = "".join(
        f"<{tag} {' '.join(f'{key}={quoteattr(value)}' for key, value in attributes.items())}/>"
        for tag, attributes in elements
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{root_tag} xmlns="{namespace}">{body}</{root_tag}>'
    ).encode()


def _without_overrides(content, dropped_parts):
    """[Content_Types].xml without the types of the parts dropped; rewritten only if one is."""
    root = _parse_xml(content, f"{{{_TYPES_NS}}}Types")
    elements, changed = [], False
    for element in root:
        content_type = element.get("ContentType", "")
        if "macroEnabled" in content_type or "vbaProject" in content_type:
            raise _Unclean(_macros())
        if element.get("PartName", "").lstrip("/").lower() in dropped_parts:
            changed = True
            continue
        elements.append((element.tag.rpartition("}")[2], dict(element.attrib)))
    return _xml("Types", _TYPES_NS, elements) if changed else content


def _without_relationships(content, folder, dropped_parts):
    """A .rels file without its external relationships but hyperlinks, nor those to
    dropped parts; rewritten only if one is. Returns (content, the Ids dropped)."""
    import posixpath

    root = _parse_xml(content, f"{{{_RELS_NS}}}Relationships")
    kept, dropped = [], set()
    for element in root:
        target = element.get("Target", "")
        if element.get("TargetMode") == "External":
            drop = element.get("Type") != _HYPERLINK
        else:
            path = posixpath.normpath(posixpath.join("/", folder, target)).lstrip("/")
            drop = path.lower() in dropped_parts
        if drop:
            dropped.add(element.get("Id", ""))
        else:
            kept.append(("Relationship", dict(element.attrib)))
    return (_xml("Relationships", _RELS_NS, kept) if dropped else content), dropped


def _without_references(content, ids):
    """A part without what pointed to the relationships dropped from its .rels: the
    attached template element and links to pictures (a picture also embedded stays)."""
    import re

    alternatives = b"|".join(re.escape(value.encode()) for value in sorted(ids))
    content = re.sub(rb"<\w+:attachedTemplate\b[^>]*?\b\w+:id=\"(?:" + alternatives + rb")\"[^>]*/>", b"", content)
    return re.sub(rb"\s\w+:link=\"(?:" + alternatives + rb")\"", b"", content)


# Markup annotations (comments, highlights, stamps…) carry their author's name in /T.
_PDF_MARKUP = {
    "/Text",
    "/FreeText",
    "/Line",
    "/Square",
    "/Circle",
    "/Polygon",
    "/PolyLine",
    "/Highlight",
    "/Underline",
    "/Squiggly",
    "/StrikeOut",
    "/Caret",
    "/Stamp",
    "/Ink",
    "/Sound",
    "/Redact",
}
# XMP, applications' private data, attached files, and what runs when the file is opened
# (it could tell a server who opened it, as a .docx's linked template does).
_PDF_DROPPED_KEYS = ("/Metadata", "/PieceInfo", "/AF", "/EmbeddedFiles", "/JavaScript", "/OpenAction", "/AA")


def _clean_pdf(data, _kind):
    """The document rewritten by pypdf without its Info dictionary, without XMP or
    applications' private data anywhere (catalogue, pages, pictures, fonts), without
    attached files or actions run on opening, and without the authors of comments; its
    pages, bookmarks, links and structure stay. Only what the catalogue still reaches is
    written, so earlier revisions and orphaned objects are gone; streams are copied as
    they are, never unpacked. Encrypted or unreadable PDFs are refused."""
    from pypdf import PdfReader, PdfWriter

    unreadable = _("The PDF file could not be read. Please export it again as a PDF and send it again.")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise _Unclean(
                _("The PDF file is protected by a password or encrypted. Please send a copy without protection.")
            )
        if not len(reader.pages):
            raise _Unclean(unreadable)
        _strip_pdf_identities(reader.root_object)  # the parsed objects, before anything is copied
        writer = PdfWriter()
        # Copies what the catalogue still reaches, and neither the Info dictionary nor the ID.
        writer.clone_reader_document_root(reader)
        output = io.BytesIO()
        writer.write(output)
    except _Unclean:
        raise
    except Exception:  # noqa: BLE001 - whatever a damaged or hostile file makes the parser raise
        raise _Unclean(unreadable) from None
    return output.getvalue()


def _strip_pdf_identities(root):
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    seen, pending = set(), [root]
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for key in _PDF_DROPPED_KEYS:
                item.pop(key, None)
            if item.get("/Subtype") in _PDF_MARKUP:
                item.pop("/T", None)
            if "/Annots" in item:
                item[NameObject("/Annots")] = ArrayObject(
                    annotation
                    for annotation in item["/Annots"].get_object()
                    if annotation.get_object().get("/Subtype") != "/FileAttachment"
                )
            pending.extend(item.values())
        elif isinstance(item, ArrayObject):
            pending.extend(item)
