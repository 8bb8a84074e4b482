"""Uploads: every file field checks type, size and content, and stores under a random name."""

from __future__ import annotations

import io
import re

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from PIL import Image

from congress.uploads import RandomName, UploadValidator, check_upload


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def _file_fields() -> list[models.FileField]:
    return [
        field
        for model in apps.get_models()
        if model._meta.app_label in {"congress", "deputies", "suggestions", "liaison_stations", "dashboard"}
        and not model.__name__.startswith("Historical")
        for field in model._meta.fields
        if isinstance(field, models.FileField)
    ]


def test_every_file_field_is_checked_and_randomly_named():
    # given every file and image field of our models (a new one without both fails here)
    fields = _file_fields()
    assert len(fields) >= 9
    for field in fields:
        label = f"{field.model._meta.label}.{field.name}"
        assert any(isinstance(v, UploadValidator) for v in field.validators), f"{label} has no UploadValidator"
        assert isinstance(field.upload_to, RandomName), f"{label} keeps the uploader's file name"
        if isinstance(field, models.ImageField):
            assert any(v.kind == "image" for v in field.validators if isinstance(v, UploadValidator)), label


@pytest.mark.parametrize(
    ("name", "content", "kind", "code"),
    [
        ("report.pdf", b"%PDF-1.7 real enough", "document", None),
        ("report.docx", b"PK\x03\x04 zip", "document", None),
        ("report.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 ole", "document", None),
        ("notes.txt", "会议纪要：第一项".encode(), "document", None),
        ("photo.png", _png(), "image", None),
        ("photo.png", _png(), "document", None),
        ("page.pdf", b"<html><script>alert(1)</script></html>", "document", "file_content"),
        ("notes.txt", b"<script>alert(1)</script>", "document", "file_content"),
        ("notes.txt", b"MZ\x00\x00binary", "document", "file_content"),
        ("drawing.svg", b"<svg onload=alert(1)></svg>", "image", "file_type"),
        ("page.html", b"<html></html>", "document", "file_type"),
        ("tool.exe", b"MZ", "document", "file_type"),
        ("photo.png", b"not an image", "image", "file_content"),
        ("photo.jpg", _png()[:20], "image", "file_content"),
        ("report.pdf", b"%PDF" + b"0" * (2 * 1024 * 1024), "document", "file_size"),
    ],
)
def test_check_upload(name, content, kind, code):
    upload = SimpleUploadedFile(name, content)
    if code is None:
        check_upload(upload, kind=kind, max_mb=1)
        assert upload.tell() == 0  # rewound for saving
    else:
        with pytest.raises(ValidationError) as caught:
            check_upload(upload, kind=kind, max_mb=1)
        assert caught.value.code == code


def test_the_model_validator_refuses_a_disguised_file_and_keeps_stored_ones():
    from liaison_stations.models import IssuePhoto

    field = IssuePhoto._meta.get_field("image")
    photo = IssuePhoto(image=SimpleUploadedFile("x.jpg", b"<html>hi</html>"))
    with pytest.raises(ValidationError):
        field.run_validators(photo.image)
    stored = IssuePhoto(image="issues/photos/2026/11/abc.jpg")  # already stored: not read again
    field.run_validators(stored.image)


def test_random_names_keep_folder_and_extension_and_drop_the_uploaders_name():
    name = RandomName("issues/photos")(None, "../../张三 身份证.JPG")
    assert re.fullmatch(r"issues/photos/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", name)
    assert RandomName("x")(None, "a.php;.jpg").endswith(".jpg")
    assert "." not in RandomName("x")(None, "noextension").rsplit("/", 1)[1]
    assert RandomName("x")(None, "a.jpg") != RandomName("x")(None, "a.jpg")


def test_error_messages_are_chinese(settings):
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile("a.exe", b"MZ"), kind="document")
    assert re.search(r"[\u4e00-\u9fff]", caught.value.messages[0])
