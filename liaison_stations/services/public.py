"""Guards of the public pages (码上找代表 and the tracking page): the per-address rate limits kept in
Django's cache, and the checks of the photos a citizen sends. The issue itself is written by
`liaison_stations.services.issues.issue_submit`."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from congress import ratelimit
from congress.uploads import image_format

from ..models import IssueRules

# A fixed window that starts with an address's first counted request and lasts an hour.
WINDOW_SECONDS = 3600
INTAKE_BUCKET = "intake"
TRACKING_BUCKET = "tracking-miss"
DEFAULT_TRACKING_MISSES_PER_HOUR = 60

PHOTO_MAX_COUNT = 3
PHOTO_MAX_BYTES = 5 * 1024 * 1024
# Pillow's format name → what we call it; nothing else is accepted, whatever the file name says.
PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}

logger = logging.getLogger(__name__)


def intake_limit(*, congress: Any) -> int:
    """Public submissions an hour from one address (`IssueRules.intake_per_hour`, default 10)."""
    rules, _created = IssueRules.objects.get_or_create(congress=congress)
    return rules.intake_per_hour


def tracking_limit() -> int:
    """Wrong tracking codes an hour from one address before every lookup from it answers 429."""
    return int(getattr(settings, "TRACKING_MISSES_PER_HOUR", DEFAULT_TRACKING_MISSES_PER_HOUR))


def throttle_count(*, bucket: str, ip: str | None) -> int:
    """How many requests the address made in its current window (nothing is counted). With the cache
    server down the limits are off (0): a citizen's message matters more than the limit."""
    return ratelimit.count(bucket=f"public:{bucket}", who=ip)


def throttle_exceeded(*, bucket: str, ip: str | None, limit: int) -> bool:
    """Whether the address has used up its window: the next request answers 429."""
    return ratelimit.exceeded(bucket=f"public:{bucket}", who=ip, limit=limit)


def throttle_hit(*, bucket: str, ip: str | None) -> int:
    """Count one request of the address and return its count in the window (the first opens it).
    With the cache server down nothing is counted and 1 is returned (the request goes through)."""
    return ratelimit.hit(bucket=f"public:{bucket}", who=ip, window=WINDOW_SECONDS)


def photo_check(upload: Any) -> None:
    """A citizen's photo: at most 5 MB, and really a JPEG, PNG or WebP image (read with Pillow, not
    trusted from the name or the browser's content type). Leaves the file rewound for saving."""
    name = getattr(upload, "name", "") or _("the photo")
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is larger than 5 MB. Please choose a smaller photo.") % {"name": name}, code="too_big"
        )
    kind = image_format(upload)
    if kind is None:
        raise ValidationError(
            _("“%(name)s” is not a photo we can read. Send JPEG, PNG or WebP photos only.") % {"name": name},
            code="not_an_image",
        )
    if kind not in PHOTO_FORMATS:
        raise ValidationError(_("“%(name)s” is not a JPEG, PNG or WebP photo.") % {"name": name}, code="wrong_type")
    upload.seek(0)


def photos_check(uploads: list[Any]) -> list[Any]:
    """Up to three photos, each checked; all problems at once."""
    if len(uploads) > PHOTO_MAX_COUNT:
        raise ValidationError(_("Send at most 3 photos."), code="too_many")
    errors: list[ValidationError] = []
    for upload in uploads:
        try:
            photo_check(upload)
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
    return uploads
