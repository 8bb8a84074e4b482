"""Telling a service's own after-commit work apart from the dashboard's cache invalidation."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


def without_dashboard(callbacks: Iterable[Callable[[], Any]]) -> list[Callable[[], Any]]:
    """The captured on-commit callbacks minus the one that drops the dashboard's cached figures."""
    return [callback for callback in callbacks if not getattr(callback, "dashboard_invalidation", False)]
