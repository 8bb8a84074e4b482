"""Uploaded files: what we accept, how we check it, and where it is stored.

Every file field of every model carries an `UploadValidator` (so the admin, model forms and
serializers check it) and stores under a random name (`RandomName`), so a file's address cannot be
guessed from a deputy's or a citizen's name and a crafted name cannot climb out of its folder. The
services' own checks call `check_upload` too. A file is accepted when its extension is on the
kind's list, its size is within the limit, and its first bytes are what that extension promises
(a page of HTML named `.pdf` is refused); images are also opened with Pillow. SVG, HTML and
scripts are never accepted: served back, they would run in the site's origin.
"""

from __future__ import annotations

import datetime
import os
import struct
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

MB = 1024 * 1024

# The first bytes each extension must start with.
_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF",),
    "docx": _ZIP,
    "xlsx": _ZIP,
    "ofd": _ZIP,
    "pptx": _ZIP,
    "doc": _OLE,
    "ppt": _OLE,
    "wps": _OLE,
    "xls": _OLE,
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
IMAGE_EXTENSIONS = ("jpg", "jpeg", "png", "webp")
# Markup that a browser could render as a page if the file were ever served inline.
_MARKUP = (b"<html", b"<!doctype", b"<script", b"<svg", b"<iframe", b"<?xml", b"<body", b"<head")


@dataclass(frozen=True)
class Kind:
    label: str
    extensions: tuple[str, ...]


IMAGE = Kind("image", IMAGE_EXTENSIONS)
DOCUMENT = Kind(
    "document", ("pdf", "doc", "docx", "wps", "ofd", "xls", "xlsx", "ppt", "pptx", "txt", "jpg", "jpeg", "png", "webp")
)
KINDS = {"image": IMAGE, "document": DOCUMENT}


def extension_of(name: str) -> str:
    return os.path.splitext(name or "")[1].lower().lstrip(".")


def _head(upload: Any, size: int = 2048) -> bytes:
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        return upload.read(size) or b""
    finally:
        upload.seek(position)


def image_format(upload: Any) -> str | None:
    """Pillow's format name of a readable image ("JPEG", "PNG", ...), None when the file is not one.
    The structure is verified and the pixels decoded too: a photo damaged in transit can pass
    `verify()` and still fail when it is saved (verify() leaves the image unusable, hence two opens).
    Leaves the file where it was."""
    from PIL import Image, UnidentifiedImageError

    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
        IndexError,
        TypeError,
        struct.error,
        Image.DecompressionBombError,
    ):
        return None
    finally:
        upload.seek(position)
    return kind


def _is_image(upload: Any) -> bool:
    return image_format(upload) in {"JPEG", "PNG", "WEBP"}


def _is_plain_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    lowered = head.lstrip().lower()
    if any(marker in lowered for marker in _MARKUP):
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def content_matches(upload: Any, extension: str) -> bool:
    """Whether the file's first bytes are what its extension promises."""
    if extension in IMAGE_EXTENSIONS:
        return _is_image(upload)
    head = _head(upload)
    if extension == "txt":
        return _is_plain_text(head)
    return head.startswith(SIGNATURES.get(extension, (b"\x00\x00never",)))


def check_upload(upload: Any, *, kind: str = "document", max_mb: int = 10) -> None:
    """Raise a ValidationError (Chinese in the UI) unless the file is acceptable. Leaves it rewound."""
    policy = KINDS[kind]
    name = os.path.basename(getattr(upload, "name", "") or "")
    extension = extension_of(name)
    if extension not in policy.extensions:
        raise ValidationError(
            _("“%(name)s”: upload a file of one of these types: %(types)s.")
            % {"name": name, "types": ", ".join(policy.extensions)},
            code="file_type",
        )
    if (getattr(upload, "size", 0) or 0) > max_mb * MB:
        raise ValidationError(
            _("“%(name)s” is larger than %(size)s MB.") % {"name": name, "size": max_mb}, code="file_size"
        )
    if not content_matches(upload, extension):
        raise ValidationError(
            _("“%(name)s” is not a real %(type)s file (its content does not match its name).")
            % {"name": name, "type": extension.upper()},
            code="file_content",
        )


@deconstructible
class UploadValidator:
    """The model-field validator: `UploadValidator("image", 5)`. Files already stored (a model saved
    again without a new upload) are not read again."""

    def __init__(self, kind: str = "document", max_mb: int = 10) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown upload kind {kind!r}")
        self.kind = kind
        self.max_mb = max_mb

    def __call__(self, value: Any) -> None:
        if getattr(value, "_committed", False):
            return  # a stored file, checked when it was uploaded
        check_upload(getattr(value, "file", None) or value, kind=self.kind, max_mb=self.max_mb)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadValidator) and (self.kind, self.max_mb) == (other.kind, other.max_mb)

    def __hash__(self) -> int:
        return hash((self.kind, self.max_mb))


@deconstructible
class RandomName:
    """`upload_to` that keeps the folder and the (lower-cased) extension and replaces the name with a
    random one: `issues/photos/2026/11/3f2a…c9.jpg`. The original name is never part of the path."""

    def __init__(self, folder: str) -> None:
        self.folder = folder.rstrip("/")

    def __call__(self, instance: Any, filename: str) -> str:
        today = datetime.date.today()  # noqa: DTZ011 - a folder name, local date is fine
        extension = extension_of(filename)
        name = uuid.uuid4().hex + (f".{extension}" if extension.isalnum() and len(extension) <= 5 else "")
        return f"{self.folder}/{today:%Y/%m}/{name}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomName) and self.folder == other.folder

    def __hash__(self) -> int:
        return hash(self.folder)
