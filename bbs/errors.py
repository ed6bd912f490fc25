"""Errors the core raises that screens may catch and explain to a member."""

from __future__ import annotations


class StoreBusyError(RuntimeError):
    """The database stayed locked longer than we wait; the caller should say so and retry."""
