"""Storing documents, event mentions and merged transfers (SQLAlchemy: SQLite or PostgreSQL)."""
