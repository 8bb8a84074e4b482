"""Template filters for published replies."""

import re

from django import template

register = template.Library()

_PHONE = re.compile(r"(?<!\d)(?:1\d{10}|0\d{2,3}-?\d{7,8})(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@register.filter
def redact_contacts(text: str) -> str:
    """Remove phone numbers and e-mail addresses from text shown to the public."""
    return _EMAIL.sub("***", _PHONE.sub("***", text or ""))
