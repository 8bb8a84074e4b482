"""Every URL pattern of the project, and which of them the matrix has no entry for."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Pattern:
    """One URL pattern as the resolver sees it: its full route (as `ResolverMatch.route` spells it),
    its namespaced name (None for unnamed patterns) and its view."""

    route: str
    name: str | None
    callback: Any = None

    @property
    def is_format_suffix(self) -> bool:
        """A DRF format-suffix twin of another route (`….json`)."""
        return "(?P<format>" in self.route or "<drf_format_suffix:format>" in self.route

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")


def _walk(resolver: URLResolver, prefix: str, namespaces: tuple[str, ...]) -> Iterator[Pattern]:
    for entry in resolver.url_patterns:
        route = URLResolver._join_route(prefix, str(entry.pattern))
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry, route, inner)
        elif isinstance(entry, URLPattern):
            name = ":".join((*namespaces, entry.name)) if entry.name else None
            yield Pattern(route=route, name=name, callback=entry.callback)


def all_patterns() -> list[Pattern]:
    """Every pattern of the root URLconf, walked recursively (admin, API router, every app)."""
    return list(_walk(get_resolver(), "", ()))


Claim = Callable[[Pattern], bool]


def uncovered(patterns: Iterable[Pattern], claims: Iterable[Claim]) -> list[Pattern]:
    """The patterns no entry of the matrix claims."""
    claims = list(claims)
    return [pattern for pattern in patterns if not any(claim(pattern) for claim in claims)]
