"""Admin of supervision."""
