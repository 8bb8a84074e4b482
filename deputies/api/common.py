"""Helpers the areas' API views share: the activities' page size and reading a request's input."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request


class Pages(PageNumberPagination):
    """50 a page; `?page_size=` up to 200."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def parse(request: Request, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
    """The request's input checked by the serializer (400 with the field problems otherwise)."""
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
