"""The async façade screens use for goals: check-ins, the companion, partners and cheers."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, TypeVar, Unpack

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bbs.accounts import members as accounts
from bbs.events import Event, Subscription, event_type
from bbs.goals import companion
from bbs.goals import records as goals
from bbs.goals.records import (
    BadgeView,
    CheckInResult,
    CheerView,
    GoalDetail,
    GoalDraft,
    GoalSettingsView,
    GoalSummary,
    GoalView,
    PartnershipView,
    Visibility,
    goal_settings,
    set_goal_settings,
)
from bbs.goals.streaks import CheckInStatus, GoalError, RestRange
from bbs.i18n import localise, said
from bbs.moderated import ModeratedService, WritingPorts, as_stored
from bbs.moderation_queue.flags import Written
from bbs.moderation_queue.gate import Verdict
from bbs.moderation_queue.policy import CRISIS_HOLD_KEPT, Action
from bbs.store import reads, writes

if TYPE_CHECKING:
    from bbs.boards.service import BoardService, Outcome
    from bbs.events import EventBus

T = TypeVar("T")

WINS_BOARD = "Wins"


def cheer_topic(member_id: int) -> str:
    """The bus topic a member's sessions listen on for cheers arriving live."""
    return f"cheers.{member_id}"


@event_type("goals.cheer")
class CheerEvent(Event):
    """A visible cheer for the topic's member (held cheers are never published)."""

    cheer_id: int
    sender: str
    body: str


@dataclass(frozen=True)
class CheckInOutcome:
    """A stored check-in and what to tell its author privately."""

    result: CheckInResult
    # The companion's words (empty when the member turned it off).
    companion: str
    # Help lines brought forward: after a low mood, or a note that sounds like a crisis.
    help: str
    crisis: bool


@dataclass(frozen=True)
class CheerOutcome:
    cheer: CheerView
    note: str


@dataclass(frozen=True)
class Greeting:
    """The home screen's reminder: what is due, and the companion's hello (if on)."""

    due: list[GoalSummary]
    text: str


def _scores(verdict: Verdict) -> str:
    s = verdict.scores
    return s.summary()


def _private_if_held(draft: GoalDraft, verdict: Verdict) -> GoalDraft:
    """A crisis title that also reads as harassment stays with its author for now."""
    if verdict.action is Action.CRISIS_HOLD and draft.visibility is not Visibility.PRIVATE:
        return dataclasses.replace(draft, visibility=Visibility.PRIVATE)
    return draft


class GoalService(ModeratedService):
    """Goals for one community, off the event loop."""

    def __init__(
        self, *, events: EventBus, boards: BoardService, **ports: Unpack[WritingPorts]
    ) -> None:
        super().__init__(**ports)
        self._events = events
        self._boards = boards

    # -- settings ---------------------------------------------------------------------
    # The record functions by name: `goals` in this class body is the method below.
    settings = reads(goal_settings)
    set_settings = writes(set_goal_settings)

    # -- goals ------------------------------------------------------------------------
    async def goals(self, member_id: int, *, archived: bool = False) -> list[GoalSummary]:
        return await self._store.read(
            lambda s: goals.goal_list(s, member_id=member_id, archived=archived)
        )

    async def detail(self, viewer_id: int, goal_id: int) -> GoalDetail:
        return await self._store.read(
            lambda s: goals.goal_detail(s, viewer_id=viewer_id, goal_id=goal_id)
        )

    @staticmethod
    async def clean(**fields: str) -> GoalDraft:
        # A 10,000-character title is cleaned off the loop like any big text.
        return await asyncio.to_thread(lambda: goals.clean_goal(**fields))

    async def _check_title(self, draft: GoalDraft) -> Verdict:
        """A title others may see passes the moderation gate like any post.

        One the model would hold is refused kindly unless the goal stays private (nothing
        typed is lost); one that sounds like a crisis is saved, and moderators alerted.
        """
        verdict = await self._score(draft.title)
        if verdict.action is Action.CRISIS_HOLD:
            # Never refused: its author may be in danger. Saved, kept to its author until a
            # moderator has looked (who is alerted), with the crisis lines shown at once.
            return verdict
        if verdict.action is Action.HOLD and draft.visibility is not Visibility.PRIVATE:
            raise GoalError(
                said(
                    "Others would see this title, and it reads like something a moderator would "
                    "look at first. Keep the goal private, or reword the title; nothing you typed "
                    "is lost."
                )
            )
        return verdict

    async def create_goal(self, member_id: int, **fields: str) -> GoalView:
        """Check and store a new goal; raises GoalError with a kind message."""
        draft = await self.clean(**fields)
        verdict = await self._check_title(draft)
        draft = _private_if_held(draft, verdict)

        def create(s: Session) -> GoalView:
            goal = goals.create_goal(s, member_id=member_id, draft=draft)
            return self._flag_title(s, goal, verdict)

        return await self._with_crisis_words(await self._store.write(create), verdict)

    async def update_goal(self, member_id: int, goal_id: int, **fields: str) -> GoalView:
        draft = await self.clean(**fields)
        verdict = await self._check_title(draft)
        draft = _private_if_held(draft, verdict)

        def update(s: Session) -> GoalView:
            goal = goals.update_goal(s, member_id=member_id, goal_id=goal_id, draft=draft)
            return self._flag_title(s, goal, verdict)

        return await self._with_crisis_words(await self._store.write(update), verdict)

    async def _with_crisis_words(self, goal: GoalView, verdict: Verdict) -> GoalView:
        if not goal.crisis:
            return goal
        words = await self._texts.crisis_words(
            goal.member_id, text_lang=verdict.scores.lang, kept=companion.GOAL_SAVED
        )
        return dataclasses.replace(goal, crisis_words=words)

    @staticmethod
    def _flag_title(s: Session, goal: GoalView, verdict: Verdict) -> GoalView:
        if not verdict.crisis:
            return goal
        goals.flag_goal(s, goal_id=goal.id, member_id=goal.member_id, scores=_scores(verdict))
        return dataclasses.replace(goal, crisis=True)

    async def archive_goal(self, member_id: int, goal_id: int, archived: bool = True) -> GoalView:
        return await self._store.write(
            lambda s: goals.archive_goal(s, member_id=member_id, goal_id=goal_id, archived=archived)
        )

    async def badges(self, member_id: int) -> list[BadgeView]:
        return await self._store.read(lambda s: goals.member_badges(s, member_id))

    # -- check-ins and the companion --------------------------------------------------
    async def greeting(self, member_id: int, name: str) -> Greeting:
        def run(s: Session) -> tuple[list[GoalSummary], GoalSettingsView, date]:
            return (
                goals.due_goals(s, member_id=member_id),
                goals.goal_settings(s, member_id),
                goals.member_today(s, member_id),
            )

        due, prefs, today = await self._store.read(run)
        text = companion.greeting(name, due, today) if prefs.companion else ""
        return Greeting(due, text)

    async def today(self, member_id: int) -> date:
        return await self._store.read(lambda s: goals.member_today(s, member_id))

    async def check_in(
        self,
        member_id: int,
        goal_id: int,
        status: CheckInStatus,
        *,
        days_ago: int = 0,
        day: date | None = None,
        value: int | None = None,
        mood: int | None = None,
        note: str = "",
    ) -> CheckInOutcome:
        """Score the note, then store the check-in (and any crisis alert) in one transaction.

        `days_ago` (0-2) back-fills; `day` names a local date outright. Raises GoalError
        kindly for a day out of reach or one that already has a check-in, including when
        another connection stored it a moment earlier.
        """
        cleaned = await asyncio.to_thread(goals.clean_note, note)
        verdict = await self._score(cleaned) if cleaned else None
        crisis = verdict is not None and verdict.crisis
        # A note the model would hold stays with its author: partners see the check-in only.
        shared = verdict is None or not verdict.held

        def run(s: Session) -> tuple[CheckInResult, GoalSettingsView]:
            when = day
            if when is None:
                if not 0 <= days_ago <= goals.BACKFILL_DAYS:
                    raise GoalError(
                        said("Check-ins can be added for today and the two days before.")
                    )
                when = goals.member_today(s, member_id) - timedelta(days=days_ago)
            result = goals.record_check_in(
                s,
                member_id=member_id,
                goal_id=goal_id,
                status=status,
                day=when,
                value=value,
                mood=mood,
                note=cleaned,
                note_shared=shared,
            )
            if crisis and verdict is not None:
                goals.flag_check_in(
                    s, check_in_id=result.check_in.id, member_id=member_id, scores=_scores(verdict)
                )
            return result, goals.goal_settings(s, member_id)

        try:
            result, prefs = await self._store.write(run)
        except IntegrityError:
            # Another connection checked in for the same day between our read and our write.
            today = await self.today(member_id)
            raise goals.already_checked_in(day or today - timedelta(days=days_ago), today) from None
        if crisis:
            # The crisis note alone, calm: no cheering, no milestone, no offer to share.
            help_text = await self._texts.crisis_words(
                member_id,
                text_lang=verdict.scores.lang if verdict else "",
                kept=companion.CHECK_IN_SAVED,
                note=companion.crisis_note,
            )
            return CheckInOutcome(result, "", help_text, crisis=True)
        answer = companion.reply(result)
        help_text = ""
        if answer.offer_help:
            lang, country = await self._texts.member_language_and_country(member_id)
            help_text = companion.low_mood_help(
                await self._texts.help_text(lang, country), lang=lang
            )
        return CheckInOutcome(result, answer.text if prefs.companion else "", help_text, False)

    async def announce(self, member_id: int, badge: BadgeView, unit: str) -> Outcome:
        """Share a milestone on the Wins board: only ever when the member asks for it."""
        boards = self._boards
        board = next(
            (
                b
                for b in await boards.board_list(member_id)
                if b.name == WINS_BOARD and not b.archived
            ),
            None,
        )
        if board is None:
            raise GoalError(said("There is no Wins board here to share it on."))
        # Written once, in the member's own language, as a post of theirs.
        lang = await self._texts.member_language(member_id)
        what = badge.label(unit)
        title = localise(said("Milestone: {what}", what=what), lang)
        body = localise(
            said(
                "I reached a milestone on my goal “{goal}”: {what}.",
                goal=badge.goal_title,
                what=what,
            ),
            lang,
        )
        return await boards.create_thread(member_id, board.id, title=title, body=body)

    # -- rest days --------------------------------------------------------------------
    async def rest(self, member_id: int, days: int) -> RestRange:
        return await self._store.write(
            lambda s: goals.start_rest(s, member_id=member_id, days=days)
        )

    async def end_rest(self, member_id: int) -> bool:
        return await self._store.write(lambda s: goals.end_rest(s, member_id=member_id))

    async def resting_until(self, member_id: int) -> date | None:
        return await self._store.read(lambda s: goals.resting_until(s, member_id=member_id))

    # -- partners and cheers ----------------------------------------------------------
    async def partnerships(self, member_id: int) -> list[PartnershipView]:
        return await self._store.read(lambda s: goals.partnerships(s, member_id))

    async def invite(self, member_id: int, pseudonym: str) -> PartnershipView:
        return await self._store.write(
            lambda s: goals.invite_partner(s, member_id=member_id, pseudonym=pseudonym)
        )

    async def answer(self, member_id: int, partnership_id: int, accept: bool) -> PartnershipView:
        return await self._store.write(
            lambda s: goals.answer_invitation(
                s, member_id=member_id, partnership_id=partnership_id, accept=accept
            )
        )

    async def end_partnership(self, member_id: int, partnership_id: int) -> None:
        await self._store.write(
            lambda s: goals.end_partnership(s, member_id=member_id, partnership_id=partnership_id)
        )

    async def partner_goals(self, viewer_id: int, partner_id: int) -> list[GoalSummary]:
        return await self._store.read(
            lambda s: goals.partner_goals(s, viewer_id=viewer_id, partner_id=partner_id)
        )

    async def shared_goals(self, viewer_id: int, other_id: int) -> list[GoalSummary]:
        """A partner's shared goals, or anyone's community goals."""
        return await self._store.read(
            lambda s: goals.shared_goals(s, viewer_id=viewer_id, other_id=other_id)
        )

    async def find_member(self, pseudonym: str) -> tuple[int, str]:
        def run(s: Session) -> tuple[int, str]:
            member_id = goals.find_member_id(s, pseudonym)
            view = accounts.get_member_by_id(s, member_id)
            return member_id, view.pseudonym if view else ""

        return await self._store.read(run)

    async def cheer(
        self, sender_id: int, recipient_id: int, body: str, *, goal_id: int | None = None
    ) -> CheerOutcome:
        """Check, score, then store a cheer; held ones wait for a moderator."""
        await self._store.read(
            lambda s: goals.check_may_cheer(s, sender_id=sender_id, recipient_id=recipient_id)
        )
        cleaned = await asyncio.to_thread(goals.clean_cheer, body)
        verdict = await self._score(cleaned)
        cheer = await self._store.write(
            lambda s: goals.send_cheer(
                s,
                sender_id=sender_id,
                recipient_id=recipient_id,
                written=Written(cleaned, verdict.action, _scores(verdict)),
                goal_id=goal_id,
            )
        )
        if not cheer.held:
            self._events.publish(
                cheer_topic(recipient_id), CheerEvent(cheer.id, cheer.sender, cheer.body)
            )
        verdict = as_stored(verdict, cheer.held)
        note = ""
        if verdict.action is Action.HOLD:
            note = await self._texts.hold_words(sender_id)
        elif verdict.crisis:
            kept = CRISIS_HOLD_KEPT if verdict.held else companion.CHEER_SENT
            note = await self._texts.crisis_words(
                sender_id, text_lang=verdict.scores.lang, kept=kept, note=companion.crisis_note
            )
        return CheerOutcome(cheer, note)

    async def cheers(self, member_id: int, *, mark_seen: bool = True) -> list[CheerView]:
        method = self._store.write if mark_seen else self._store.read
        return await method(lambda s: goals.cheers_for(s, member_id=member_id, mark_seen=mark_seen))

    def subscribe_cheers(self, member_id: int, on_event: Callable[[], None]) -> Subscription:
        """Live cheers for a member's session; `on_event` must only schedule work."""
        return self._events.subscribe(cheer_topic(member_id), maxsize=16, on_event=on_event)

    async def unseen_cheers(self, member_id: int) -> int:
        return await self._store.read(lambda s: goals.unseen_cheers(s, member_id=member_id))
