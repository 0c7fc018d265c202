"""Placement of graduates into traineeship seats."""
