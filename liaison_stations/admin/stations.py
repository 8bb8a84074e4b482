"""Admin of stations."""
