"""Selectors of liaison stations, one module per area."""
