"""Admin of issues."""
