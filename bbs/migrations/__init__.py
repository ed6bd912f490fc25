"""Alembic migrations for the BBS schema."""
