"""Models of dashboard (filled by a later issue)."""
