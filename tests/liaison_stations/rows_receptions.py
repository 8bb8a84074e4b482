"""Admin changelist row makers for liaison stations: receptions (merged into tests/congress/test_admin.py)."""

from typing import Any

# model -> function(world) making 18 more rows in congress A
ROW_MAKERS: dict[Any, Any] = {}
