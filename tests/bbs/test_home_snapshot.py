"""The home screen's one read, on SQLite and (with BBS_TEST_POSTGRES_URL) PostgreSQL: its
combined statement gives the same numbers as each piece read on its own."""

from __future__ import annotations

import pytest
from support import add_member

from bbs import sysop_settings
from bbs.admin import review as admin
from bbs.admin.service import BANNER_KEY
from bbs.db import Database
from bbs.goals import records as goals
from bbs.goals.records import Cheer, GoalSettings, Partnership
from bbs.home import load_home
from bbs.models import Role
from bbs.moderation_queue.flags import FlagKind, ModerationFlag


def _pieces(database: Database, member_id: int, is_staff: bool) -> tuple[object, ...]:
    """What the home screen showed when each piece was read by itself."""
    with database.read() as session:
        return (
            goals.pending_invitations(session, member_id),
            goals.unseen_cheers(session, member_id=member_id),
            admin.open_crisis_alerts(session) if is_staff else 0,
            sysop_settings.get_setting(session, BANNER_KEY),
            admin.needs_agreement(session, member_id),
        )


def _home(database: Database, member_id: int, is_staff: bool) -> tuple[object, ...]:
    with database.read() as session:
        home = load_home(session, member_id=member_id, name="x", is_staff=is_staff)
    return (
        home.invitations,
        home.cheers,
        home.crisis_waiting,
        home.banner,
        home.needs_agreement,
    )


@pytest.mark.parametrize("is_staff", [False, True])
def test_a_quiet_home_reads_as_its_pieces(store: Database, is_staff: bool) -> None:
    member = add_member(store, "Alder", Role.MODERATOR if is_staff else Role.MEMBER, age=None)
    assert _home(store, member, is_staff) == (0, 0, 0, "", False)
    assert _home(store, member, is_staff) == _pieces(store, member, is_staff)


def test_a_busy_home_reads_as_its_pieces(store: Database) -> None:
    member = add_member(store, "Alder", Role.SYSOP, age=None)
    other = add_member(store, "Birch", age=None)
    with store.write() as session:
        session.add(Partnership(inviter_id=other, invitee_id=member))
        session.add(Partnership(inviter_id=member, invitee_id=other))  # theirs to answer
        session.add(Cheer(sender_id=other, recipient_id=member, body="Well done"))
        session.add(Cheer(sender_id=other, recipient_id=member, body="Seen", seen=True))
        for resolved in (False, False, True):
            session.add(
                ModerationFlag(
                    kind=FlagKind.CRISIS.value, target_kind="post", target_id=1, resolved=resolved
                )
            )
        session.add(GoalSettings(member_id=member, time_zone="Pacific/Auckland", companion=False))
        sysop_settings.put_setting(session, BANNER_KEY, "Maintenance at noon")
        admin.publish_guidelines_version(session, actor_id=member)
    assert _home(store, member, True) == (1, 1, 2, "Maintenance at noon", True)
    assert _home(store, member, True) == _pieces(store, member, True)
    # A member sees no crisis count, and the same banner and guidelines step.
    assert _home(store, other, False) == (1, 0, 0, "Maintenance at noon", True)
    assert _home(store, other, False) == _pieces(store, other, False)


def test_the_companion_follows_the_members_goal_settings(store: Database) -> None:
    quiet = add_member(store, "Alder", age=None)
    chatty = add_member(store, "Birch", age=None)
    with store.write() as session:
        session.add(GoalSettings(member_id=quiet, time_zone="Pacific/Auckland", companion=False))
    with store.read() as session:
        off = load_home(session, member_id=quiet, name="Alder", is_staff=False)
        on = load_home(session, member_id=chatty, name="Birch", is_staff=False, first_visit=True)
        # No settings row: the defaults (UTC, the companion speaks).
        assert goals.goal_settings(session, chatty) == goals.settings_view(None, None)
    assert off.greeting.text == ""
    assert on.greeting.text != ""
