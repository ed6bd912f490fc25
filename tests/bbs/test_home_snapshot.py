"""The home screen's one read, on SQLite and (with BBS_TEST_POSTGRES_URL) PostgreSQL: its
combined statement gives the same numbers as each piece read on its own."""

from __future__ import annotations

import pytest
from support import add_member

from bbs import sysop_settings
from bbs.accounts.blocks import BlockKind, MemberBlock
from bbs.admin import review as admin
from bbs.admin.service import BANNER_KEY
from bbs.boards.records import PostStatus
from bbs.db import Database
from bbs.goals import records as goals
from bbs.goals.records import Cheer, GoalSettings, Partnership
from bbs.home import load_home
from bbs.mail import records as messages
from bbs.mail.records import Conversation, PrivateMessage
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


def test_unread_mail_counts_as_each_conversation_read_on_its_own(store: Database) -> None:
    """The home screen's one-statement count of unread mail gives what summing the member's
    conversations (leaving out muted and blocked partners) gave."""
    me = add_member(store, "Alder", age=None)
    quiet, chatty, muted, blocked, gone, held = (
        add_member(store, name, age=None)
        for name in ("Birch", "Cedar", "Damson", "Elder", "Fir", "Gorse")
    )
    with store.write() as session:

        def conversation(partner: int, senders: list[int], *, read: int = 0) -> None:
            low, high = min(me, partner), max(me, partner)
            conv = Conversation(low_id=low, high_id=high)
            session.add(conv)
            session.flush()
            ids = []
            for sender in senders:
                status = PostStatus.HELD if partner == held else PostStatus.VISIBLE
                message = PrivateMessage(
                    conversation_id=conv.id, sender_id=sender, body="hi", status=status.value
                )
                session.add(message)
                session.flush()
                ids.append(message.id)
            conv.last_message_id = ids[-1] if ids else 0
            mark = ids[read - 1] if read else 0
            if low == me:
                conv.low_read_id = mark
            else:
                conv.high_read_id = mark
            session.add(conv)

        conversation(quiet, [quiet, me, quiet], read=2)  # one unread, after my reply
        conversation(chatty, [chatty, chatty, me, chatty])  # three unread
        conversation(muted, [muted, muted])
        conversation(blocked, [blocked])
        conversation(gone, [])  # never written in: not listed
        conversation(held, [held])  # held for review: not shown to me
        session.add(MemberBlock(member_id=me, other_id=muted, kind=BlockKind.MUTE.value))
        session.add(MemberBlock(member_id=me, other_id=blocked, kind=BlockKind.BLOCK.value))
        # Their own blocks and mutes change nothing for me.
        session.add(MemberBlock(member_id=chatty, other_id=me, kind=BlockKind.BLOCK.value))
    with store.read() as session:
        listed = messages.conversations(session, member_id=me)
        by_listing = sum(c.unread for c in listed if not c.muted)
        assert messages.unread_total(session, member_id=me) == by_listing == 4
        # The other side of each conversation counts the same way.
        for other in (quiet, chatty, muted, blocked):
            listed = messages.conversations(session, member_id=other)
            expected = sum(c.unread for c in listed if not c.muted)
            assert messages.unread_total(session, member_id=other) == expected
        assert load_home(session, member_id=me, name="Alder", is_staff=False).unread_mail == 4
