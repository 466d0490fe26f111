"""Merging what many documents say about the same transfer into one record."""
