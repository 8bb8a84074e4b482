"""Admin of activities."""
