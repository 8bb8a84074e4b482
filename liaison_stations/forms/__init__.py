"""Forms of liaison stations, one module per area."""
