"""Pages of open311."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
