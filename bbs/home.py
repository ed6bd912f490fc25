"""The home screen's data in one read: what is new, drafts, mail, today's room events,
check-ins due, the banner, moderators' notes, crisis alerts (staff) and the guidelines step.

Gathered in one transaction and one worker-thread hop, so the first screen a member sees
is drawn once, complete, instead of filling in piece by piece (each piece a layout and a
frame of its own, for every member logging in at once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Executable, Integer, bindparam, literal, select
from sqlmodel import Session

from bbs import sysop_settings
from bbs.accounts import members as accounts
from bbs.admin import review as admin
from bbs.admin.service import BANNER_KEY
from bbs.boards import records as boards
from bbs.boards.records import DraftView, NewsItem
from bbs.goals import companion
from bbs.goals import records as goals
from bbs.goals.service import Greeting
from bbs.mail import records as messages
from bbs.models import utcnow
from bbs.moderation_queue import sanctions
from bbs.moderation_queue.sanctions import NoticeView
from bbs.rooms import records as rooms
from bbs.rooms.records import RoomEventView

if TYPE_CHECKING:
    from bbs.accounts.members import MemberView
    from bbs.store import Store


@dataclass(frozen=True)
class HomeSnapshot:
    """Everything the home screen shows, read at one moment."""

    news: list[NewsItem]
    drafts: list[DraftView]
    unread_mail: int
    # Partner invitations waiting for an answer, and cheers not yet read.
    invitations: int
    cheers: int
    events_today: list[RoomEventView]
    greeting: Greeting
    banner: str
    notices: list[NoticeView]
    crisis_waiting: int
    needs_agreement: bool


def _counts_statement(is_staff: bool) -> Executable:
    """The goal settings, the counts (unread mail too), the banner and the guidelines
    step: one statement, not one each."""
    member = bindparam("member_id", type_=Integer)
    return select(
        *goals.goal_settings_columns(member),
        goals.pending_invitations_counted(member),
        goals.unseen_cheers_counted(member),
        admin.open_crisis_alerts_counted() if is_staff else literal(0),
        sysop_settings.setting_value(BANNER_KEY),
        admin.agreed_guidelines(member),
        sysop_settings.setting_value(admin.GUIDELINES_VERSION_KEY),
        messages.unread_total_counted(member),
    )


# Built once (every login reads it), for a member and for staff (who see crisis alerts).
_COUNTS = (_counts_statement(False), _counts_statement(True))


def load_home(
    session: Session, *, member_id: int, name: str, is_staff: bool, first_visit: bool = False
) -> HomeSnapshot:
    """Read the home screen's data for one member (a read transaction)."""
    now = utcnow()
    end_of_day = now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    # On the session's connection: plain columns, no ORM objects.
    row = session.connection().execute(_COUNTS[is_staff], {"member_id": member_id}).one()
    time_zone, companion_on, invitations, cheers, crisis, banner, agreed, guidelines, mail = row
    prefs = goals.settings_view(time_zone, companion_on)
    today = goals.settings_today(prefs, now)
    due = goals.due_goals(session, member_id=member_id, now=now, today=today)
    text = companion.greeting(name, due, today, first_visit=first_visit) if prefs.companion else ""
    return HomeSnapshot(
        news=boards.whats_new(session, member_id=member_id),
        drafts=boards.drafts(session, member_id=member_id),
        unread_mail=int(mail),
        invitations=int(invitations),
        cheers=int(cheers),
        events_today=rooms.events_between(session, now, end_of_day, None),
        greeting=Greeting(due, text),
        banner=banner or "",
        notices=sanctions.unseen_notices(session, member_id),
        crisis_waiting=int(crisis),
        needs_agreement=admin.agreement_needed(agreed, guidelines),
    )


class HomeService:
    """The home screen's front door: its data, read in one transaction off the event loop."""

    def __init__(self, *, store: Store) -> None:
        self._store = store

    async def snapshot(self, member: MemberView) -> HomeSnapshot:
        """The home screen's data for `member` (raises StoreBusyError)."""
        return await self._store.read(lambda s: self._load(s, member))

    async def arrive(self, member: MemberView, fingerprint: str | None) -> HomeSnapshot:
        """At login: note the member's arrival (`record_login`: when, and with which key),
        then read their home screen's data, in one trip to the store (raises
        StoreBusyError; if the note fails, nothing is read)."""
        _, home = await self._store.write_then_read(
            lambda s: accounts.record_login(s, member.id, fingerprint),
            lambda s: self._load(s, member),
        )
        return home

    @staticmethod
    def _load(session: Session, member: MemberView) -> HomeSnapshot:
        return load_home(
            session,
            member_id=member.id,
            name=member.pseudonym,
            is_staff=member.is_staff,
            first_visit=member.last_login_at is None,
        )
