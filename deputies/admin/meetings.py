"""Admin of meetings."""
