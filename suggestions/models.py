"""Models of suggestions (filled by a later issue)."""
