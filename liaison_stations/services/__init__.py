"""Services of liaison stations, one module per area."""
