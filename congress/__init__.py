"""The project package and the congress's own organisation (congresses, terms, committees, units)."""

from .celery import app as celery_app

__all__ = ("celery_app",)
