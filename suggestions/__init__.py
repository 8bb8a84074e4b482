"""Deputies' suggestions and their handling by units (filled by the suggestions issue)."""
