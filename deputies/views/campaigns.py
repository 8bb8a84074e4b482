"""Pages of campaigns (portal and committee desk)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
