"""Admin of training."""
