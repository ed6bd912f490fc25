"""Helpers shared by tests in several folders (imported by name: tests/ is on sys.path)."""

from __future__ import annotations

from bbs import sysop_settings
from bbs.db import Database


def let_new_members_write(database: Database) -> None:
    """The community lets minutes-old accounts start private conversations (tests' accounts)."""
    with database.write() as session:
        sysop_settings.put_setting(session, sysop_settings.NEW_MEMBER_MESSAGE_HOURS, "0")
