"""Helpers the tests share: a PostgreSQL server from the local binaries, scripted extractors."""
