"""Admin of receptions."""
