"""Admin of groups."""
