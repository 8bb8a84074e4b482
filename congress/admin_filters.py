"""Changelist filters shared by the apps' admins."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Congress
from .scoping import get_scope


class ScopedRelatedFilter(admin.RelatedFieldListFilter):
    """A related-object filter whose choices come from the related table, scoped to the user, never
    from a DISTINCT scan of the listed rows (which reads a whole large table on every changelist).

    Rows of a tenant table (categories, sessions, units, stations…) are listed for one congress:
    the one the list is narrowed to (``congress__id__exact``), or the user's only congress. With
    several congresses and none chosen, the filter waits until a congress is chosen."""

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> list[tuple[Any, str]]:
        related = field.remote_field.model
        queryset = related._default_manager.all()
        if hasattr(queryset, "visible_to"):
            queryset = queryset.visible_to(request.user)
        if related is not Congress and any(f.name == "congress" for f in related._meta.concrete_fields):
            scope = get_scope(request.user)
            chosen = request.GET.get("congress__id__exact", "")
            if chosen.isdigit():
                queryset = queryset.filter(congress_id=int(chosen))
            elif len(scope.congress_ids) == 1 and not scope.is_global:
                queryset = queryset.filter(congress_id=next(iter(scope.congress_ids)))
            else:
                return []
        if any(f.name == "term" for f in related._meta.concrete_fields):
            queryset = queryset.select_related("term")  # a session's label names its term
        ordering = self.field_admin_ordering(field, request, model_admin) or related._meta.ordering or ["pk"]
        return [(obj.pk, str(obj)) for obj in queryset.order_by(*ordering)]
