"""Admin of legislation."""
