"""Liaison stations, where deputies meet citizens, and the citizens' issues (extended by the stations issue)."""
