"""Resolving names to identities: states (time-aware), weapon systems, dates, amounts."""
