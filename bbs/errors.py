"""Errors the core raises that screens may catch and explain to a member."""

from __future__ import annotations

from bbs.i18n import N_

# What a member reads when the database stayed locked (front ends say it in their language).
BUSY_MESSAGE = N_("the database is busy; please try again")


class StoreBusyError(RuntimeError):
    """The database stayed locked longer than we wait; the caller should say so and retry."""


class StoreFullError(StoreBusyError):
    """The database could not grow (disk full, or the configured size cap reached).

    A StoreBusyError too, so every handler that keeps a member's text on a busy store
    keeps it here as well; its message is written to be shown to the member as it is.
    """

    MESSAGE = N_(
        "The server could not save right now, as its storage is full; "
        "your text is kept. Please try again later."
    )

    def __init__(self, message: str = MESSAGE) -> None:
        # MESSAGE is marked with N_: front ends say it in the member's language.
        super().__init__(message)
