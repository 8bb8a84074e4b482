"""Browsers accept only ISO dates in `<input type="date">`: every such widget must render
`YYYY-MM-DD`, or the Chinese locale's `2026/11/26` is thrown away and an edit form silently clears
the date when saved (found by the browser journeys)."""

from __future__ import annotations

import datetime
import importlib
import inspect
import pkgutil

from django import forms
from django.utils import translation

APPS = ["congress", "deputies", "suggestions", "liaison_stations", "dashboard"]


def _form_classes() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for app in APPS:
        package = importlib.import_module(app)
        for module_info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".migrations" in module_info.name or ".management" in module_info.name or ".scale" in module_info.name:
                continue
            module = importlib.import_module(module_info.name)
            for _name, value in inspect.getmembers(module, inspect.isclass):
                if issubclass(value, forms.BaseForm) and value.__module__.startswith(tuple(APPS)):
                    found[f"{value.__module__}.{value.__qualname__}"] = value
    return list(found.values())


def test_every_date_input_renders_iso_dates():
    checked, wrong = 0, []
    for form_class in _form_classes():
        for name, field in form_class.base_fields.items():
            widget = field.widget
            if (isinstance(widget, forms.DateInput) and widget.input_type == "date") or widget.attrs.get(
                "type"
            ) == "date":
                checked += 1
                with translation.override("zh-hans"):  # whose own date format is 2026/11/26
                    rendered = widget.format_value(datetime.date(2026, 11, 26))
                if rendered != "2026-11-26":
                    wrong.append(f"{form_class.__module__}.{form_class.__qualname__}.{name}: {rendered}")
    assert checked >= 10
    assert wrong == []


def test_the_check_would_see_a_widget_without_the_iso_format():
    with translation.override("zh-hans"):
        assert forms.DateInput(attrs={"type": "date"}).format_value(datetime.date(2026, 11, 26)) != "2026-11-26"
