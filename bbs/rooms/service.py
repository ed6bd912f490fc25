"""The rooms front door for screens: enter, speak, commands, presence, moderation, retention."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeVar, Unpack

from sqlmodel import Session

from bbs import places
from bbs.accounts.members import MemberView
from bbs.accounts.pseudonyms import normalize_pseudonym
from bbs.errors import StoreBusyError
from bbs.events import Event, Subscription
from bbs.i18n import N_, said, said_n
from bbs.moderated import ModeratedService, WritingPorts
from bbs.moderation_queue import flags
from bbs.moderation_queue.policy import CRISIS_HOLD_KEPT, Action
from bbs.moderation_queue.sanctions import mute_decides
from bbs.phrases import listed
from bbs.rooms import records as rooms
from bbs.rooms.events import (
    MODERATION_TOPIC,
    SESSIONS_TOPIC,
    ModerationAlertEvent,
    RoomLineEvent,
    RoomPresenceEvent,
    SessionStartingEvent,
    room_topic,
)
from bbs.rooms.flood import FloodReason, LineAttempt, RoomFlood
from bbs.rooms.presence import Presence, PresenceEntry
from bbs.rooms.records import LineView, RoomError, RoomEventView, RoomView
from bbs.text_safety import clean_line

if TYPE_CHECKING:
    from bbs.clock import Clock
    from bbs.cluster import Singletons
    from bbs.config import Settings
    from bbs.events import EventBus

log = logging.getLogger(__name__)

T = TypeVar("T")

# A paste of more lines than this is not chat: it gets a hint instead.
MAX_PASTE_LINES = 3
# How often a throttled member is told so: once per spell, not once per line.
THROTTLE_NOTE_SECONDS = 5.0
PURGE_EVERY_SECONDS = 3600.0
_MENTION = re.compile(r"@([^\s@,.;:!?()\[\]{}<>\"']{1,64})")

HELP_LINE = N_("/help /me /who /ignore NAME /report NAME  PgUp history  Esc leave")
HELP_TEXT = N_(
    "Commands: /me ACTION (say it as an action) · /away [NOTE] and /back · /who (who is here) "
    "· /ignore NAME and /unignore NAME (hide someone's lines from you) · /offline and "
    "/online (appear offline or not) · /report NAME [REASON] (their last line goes to the "
    "moderators) · /worried NAME [WHY] (you are worried about them: the moderators get a "
    "priority alert, never a report against them) · /leave. Hosts and staff: /topic TEXT, "
    "/slow SECONDS, /invite NAME; "
    "staff: /close. "
    "Mention someone with @name. Lines are up to 500 characters; F1 opens help and crisis lines."
)


# How often the server looks for sessions that have just started.
SCHEDULE_CHECK_SECONDS = 20.0


# -- results --------------------------------------------------------------------------
@dataclass
class RoomVisit:
    """One session inside one room: what the screen holds between enter and leave."""

    room: RoomView
    member: MemberView
    history: list[LineView]
    events: list[RoomEventView]
    ignored: set[int] = field(default_factory=set)
    hidden: bool = False
    left: bool = False
    mention_key: str = ""

    def __post_init__(self) -> None:
        self.mention_key = normalize_pseudonym(self.member.pseudonym)

    def mentions_me(self, event: RoomLineEvent) -> bool:
        return self.mention_key in event.mentions


@dataclass(frozen=True)
class Reply:
    """What the speaker alone sees after a line or a command.

    `notes` go to their feed; `crisis` is the private resources text to show at once;
    `leave` asks the screen to leave the room; `keep_input` means the text was not taken.
    """

    notes: tuple[str, ...] = ()
    crisis: str = ""
    leave: bool = False
    keep_input: bool = False
    line: LineView | None = None


def paste_hint(line_count: int) -> str:
    return said_n(
        "That paste had {count} line, so it was not sent. Rooms take one line at a "
        "time; longer pieces fit better as a board post.",
        "That paste had {count} lines, so it was not sent. Rooms take one line at a "
        "time; longer pieces fit better as a board post.",
        line_count,
    )


def mentions_in(text: str) -> tuple[str, ...]:
    found = {normalize_pseudonym(m.rstrip("-_")) for m in _MENTION.findall(text)}
    return tuple(sorted(m for m in found if m))


class RoomService(ModeratedService):
    """Rooms for one community: everything here is safe to call from any session's screen."""

    def __init__(
        self,
        *,
        events: EventBus,
        settings: Callable[[], Settings],
        singletons: Singletons,
        clock: Clock,
        presence: Presence,
        flood: RoomFlood,
        **ports: Unpack[WritingPorts],
    ) -> None:
        super().__init__(**ports)
        self._events = events
        self._settings = settings
        self._singletons = singletons
        self._clock = clock
        # Who is here, and how fast members may speak: ports, in-process on one node.
        self.presence = presence
        self.flood = flood
        self._ready = False
        self._last_purge = 0.0
        self._throttle_told: dict[int, float] = {}
        # Until when each cooling-off member has been told (told once per cooling off).
        self._cooling_told: dict[int, float] = {}
        self._schedule: asyncio.Task[None] | None = None
        # Rooms closed while people are inside: their visits still hold the open room.
        # Sessions' presence being counted out (see `depart`).
        self._departing: set[asyncio.Task[None]] = set()

    # -- scheduled sessions start ------------------------------------------------------
    async def announce_starting(self, after: datetime, until: datetime) -> int:
        """Announce the sessions that started in (after, until]; returns how many."""
        starting = await self._store.read(lambda s: rooms.events_starting(s, after, until))
        for e in starting:
            event = SessionStartingEvent(
                e.room_id, e.room_name, e.topic, e.host_name, e.duration_minutes
            )
            self._publish(e.room_id, event)
            self._events.publish(SESSIONS_TOPIC, event)
        return len(starting)

    async def _watch_schedule(self, interval: float) -> None:
        # Sessions that started before this server did are not announced late.
        last = self._clock.now()
        while True:
            await asyncio.sleep(interval)
            now = self._clock.now()
            if not await self._singletons.runs("room-sessions"):
                last = now  # another node announces them
                continue
            try:
                await self.announce_starting(last, now)
            except StoreBusyError:
                continue  # the same window is looked at again next time
            except Exception:
                log.exception("announcing scheduled sessions failed")
            last = now

    def start(self, interval: float = SCHEDULE_CHECK_SECONDS) -> None:
        """Start announcing scheduled sessions as they begin (the server calls this)."""
        if self._schedule is None:
            self._schedule = asyncio.get_running_loop().create_task(
                self._watch_schedule(interval), name="room-sessions"
            )

    async def stop(self) -> None:
        if self._schedule is not None:
            self._schedule.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._schedule
            self._schedule = None

    # -- plumbing ---------------------------------------------------------------------
    def _publish(self, room_id: int, event: Event) -> None:
        self._events.publish(room_topic(room_id), event)

    async def ensure_ready(self) -> None:
        """Seed the default rooms once, and purge expired history at most hourly."""
        if not self._ready:
            await self._store.write(rooms.seed_default_rooms)
            self._ready = True
        now = self._clock.monotonic()
        if now - self._last_purge > PURGE_EVERY_SECONDS:
            self._last_purge = now
            # Memory of members who have gone quiet is not worth keeping.
            await self.flood.forget_idle()
            self._throttle_told = {
                m: t for m, t in self._throttle_told.items() if now - t < THROTTLE_NOTE_SECONDS
            }
            self._cooling_told = {m: t for m, t in self._cooling_told.items() if t > now}
            await self.purge_expired()

    async def purge_expired(self) -> int:
        """Delete room history past its retention; with several nodes, only the one that
        runs the "history-purge" job does (bbs.cluster)."""
        if not await self._singletons.runs("history-purge"):
            return 0
        days = self._settings().room_retention_days
        cutoff = self._clock.now() - timedelta(days=days)
        purged = await self._store.write(lambda s: rooms.purge_lines_before(s, cutoff))
        if purged:
            log.info("purged expired room history", extra={"lines": purged})
        return purged

    # -- listing ----------------------------------------------------------------------
    async def list_rooms(
        self, member: MemberView, *, first_language: str = ""
    ) -> list[tuple[RoomView, int]]:
        """Rooms this member may enter, each with how many people are in it now; with
        `first_language` (the member's), the rooms marked with it come first."""
        await self.ensure_ready()
        found = await self._store.read(
            lambda s: rooms.list_rooms(s, member_id=member.id, staff=member.is_staff)
        )
        return [
            (room, self.presence.count(room.id))
            for room in places.language_first(found, first_language)
        ]

    async def rooms_to_rejoin(self, member: MemberView) -> list[int]:
        """Rooms the member was in when their connection dropped."""
        return await self._store.read(lambda s: rooms.rooms_inside(s, member.id))

    async def events_today(self, room_id: int | None = None) -> list[RoomEventView]:
        """Scheduled sessions from now to the end of today (UTC), running ones included."""
        now = self._clock.now()
        end = now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        return await self._store.read(lambda s: rooms.events_between(s, now, end, room_id))

    async def upcoming_events(self, room_id: int, days: int = 7) -> list[RoomEventView]:
        now = self._clock.now()
        return await self._store.read(
            lambda s: rooms.events_between(s, now, now + timedelta(days=days), room_id)
        )

    # -- entering and leaving ---------------------------------------------------------
    async def enter(self, room_id: int, member: MemberView) -> RoomVisit:
        """Go into a room: history, scheduled sessions, and a presence announcement."""
        await self.ensure_ready()

        def load(s: Session) -> tuple[RoomView, list[LineView], set[int], bool]:
            room = rooms.may_enter(s, room_id, member_id=member.id, staff=member.is_staff)
            rooms.set_inside(s, room_id, member.id, True)
            return (
                room,
                rooms.recent_lines(s, room_id),
                rooms.ignored_ids(s, member.id),
                rooms.appear_offline(s, member.id),
            )

        room, history, ignored, hidden = await self._store.write(load)
        events = await self.upcoming_events(room_id)
        visit = RoomVisit(room, member, history, events, ignored, hidden)
        first = await self.presence.join(room_id, member.id, member.pseudonym, hidden=hidden)
        if first and not hidden:
            self._publish(room_id, RoomPresenceEvent(room_id, member.id, member.pseudonym, "join"))
        return visit

    def subscribe(self, visit: RoomVisit, on_event: Callable[[], None]) -> Subscription:
        """The room's live events for this visit, in a bounded queue of its own."""
        return self._events.subscribe(room_topic(visit.room.id), maxsize=512, on_event=on_event)

    def depart(self, visit: RoomVisit) -> asyncio.Task[None] | None:
        """Presence out (the session ended, cleanly or not); keeps the rejoin mark.

        Called where nothing can wait (a screen unmounting), so presence is counted out
        in a task of its own; a caller that can wait awaits the task it returns.
        """
        if visit.left:
            return None
        visit.left = True
        task = asyncio.get_running_loop().create_task(self._depart(visit))
        # Kept until done: the loop holds tasks only weakly.
        self._departing.add(task)
        task.add_done_callback(self._departing.discard)
        return task

    async def _depart(self, visit: RoomVisit) -> None:
        # Appear offline may have been switched from another session (the privacy screen).
        entry = self.presence.entry(visit.room.id, visit.member.id)
        hidden = entry.hidden if entry is not None else visit.hidden
        if await self.presence.leave(visit.room.id, visit.member.id) and not hidden:
            self._publish(
                visit.room.id,
                RoomPresenceEvent(visit.room.id, visit.member.id, visit.member.pseudonym, "leave"),
            )

    async def leave(self, visit: RoomVisit) -> None:
        """Leave on purpose: presence out, and no rejoin next time."""
        departing = self.depart(visit)
        if departing is not None:
            await departing
        await self._store.write(
            lambda s: rooms.set_inside(s, visit.room.id, visit.member.id, False)
        )

    def who(self, room_id: int) -> list[PresenceEntry]:
        return self.presence.who(room_id)

    # -- speaking ---------------------------------------------------------------------
    def _may_steer(self, visit: RoomVisit) -> bool:
        """Staff, or the host of a session running now, may set topic and slow mode."""
        if visit.member.is_staff:
            return True
        now = self._clock.now()
        return any(e.host_id == visit.member.id and e.running(now) for e in visit.events)

    async def submit(self, visit: RoomVisit, raw: str) -> Reply:
        """A line typed in the room: a command, or something to say."""
        lines = [
            part
            for part in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            if part.strip()
        ]
        if len(lines) > MAX_PASTE_LINES:
            return Reply((paste_hint(len(lines)),), keep_input=False)
        text = " ".join(part.strip() for part in lines)
        if text.startswith("/") and not text.startswith("//"):
            return await self.command(visit, text)
        if text.startswith("//"):
            text = text[1:]
        return await self.say(visit, text)

    async def say(self, visit: RoomVisit, raw: str, *, kind: str = "say") -> Reply:
        """Flood control, then the moderation gate, then the store, then everyone's screen."""
        if visit.left:
            return Reply((said("You are not in this room any more."),))
        room = visit.room
        if room.closed:
            return Reply((said("{name} is closed.", name=room.name),))
        text = clean_line(raw).strip()
        verdict = await self.flood.check(
            LineAttempt(
                visit.member.id,
                room.id,
                text,
                slow_mode_seconds=room.slow_mode_seconds,
                exempt_from_slow_mode=self._may_steer(visit),
            )
        )
        if not verdict.ok:
            return self._flood_reply(visit, verdict.reason, verdict.retry_after, len(text))
        member = visit.member
        # One trip to the model, then one transaction: the mute is read in the same
        # transaction that stores the line, so a mute (from the admin screen or
        # `bbs admin mute`) holds from the next line.
        moderation = await self._moderation.check(text)

        def store(s: Session) -> tuple[LineView, Action] | str:
            # A muted member can read but not speak (the admin screen's mute); crisis
            # words wait for a moderator instead of being refused.
            action, muted = mute_decides(s, member.id, moderation.action)
            if muted is not None:
                return muted
            # Closed on another node, or from a shell, before this member's screen heard.
            if rooms.room_closed(s, room.id):
                return said("{name} is closed.", name=room.name)
            line = rooms.add_line(
                s,
                room_id=room.id,
                member_id=member.id,
                author=member.pseudonym,
                kind=kind,
                text=text,
                held=action.holds,
            )
            flags.flag_verdict(
                s,
                action,
                target_kind=flags.FlagTarget.ROOM_LINE,
                target_id=line.id,
                author_id=member.id,
                reason=f"room {room.name}",
                scores=moderation.scores.summary(),
            )
            return line, action

        try:
            stored = await self._store.write(store)
        except StoreBusyError:
            # Not saved, so not said: sending the same line again is not a duplicate.
            await self.flood.unsay(member.id, text)
            raise
        if isinstance(stored, str):
            # Refused for a mute: not said either (pace, repeats, slow mode).
            await self.flood.unsay(member.id, text)
            return Reply((stored,), keep_input=True)
        line, action = stored
        if action is not Action.ALLOW:
            self._events.publish(
                MODERATION_TOPIC,
                ModerationAlertEvent(
                    "crisis" if action.is_crisis else "hold", room.id, line.id, member.pseudonym
                ),
            )
        if action is Action.CRISIS_HOLD:
            log.warning(
                "crisis language in a held room line: moderators alerted",
                extra={"room_id": room.id, "line_id": line.id},
            )
            return Reply(
                crisis=await self._texts.crisis_words(
                    member.id, text_lang=moderation.scores.lang, kept=CRISIS_HOLD_KEPT
                ),
                line=line,
            )
        if action.holds:
            return Reply((await self._texts.hold_words(member.id),), line=line)
        self._publish(
            room.id,
            RoomLineEvent(
                room.id,
                line.id,
                member.id,
                member.pseudonym,
                kind,
                text,
                line.at.isoformat(),
                mentions_in(text),
            ),
        )
        if moderation.action is Action.CRISIS:
            log.warning(
                "crisis language in a room: moderators alerted",
                extra={"room_id": room.id, "line_id": line.id},
            )
            return Reply(
                crisis=await self._texts.crisis_words(member.id, text_lang=moderation.scores.lang),
                line=line,
            )
        return Reply(line=line)

    def _flood_reply(
        self, visit: RoomVisit, reason: FloodReason, wait: float, length: int
    ) -> Reply:
        if reason is FloodReason.EMPTY:
            return Reply()
        if reason is FloodReason.TOO_LONG:
            return Reply(
                (
                    said(
                        "Lines can be up to {most} characters; that one has {length}. "
                        "Try splitting it.",
                        most=self.flood.max_chars,
                        length=length,
                    ),
                ),
                keep_input=True,
            )
        if reason is FloodReason.DUPLICATE:
            return Reply((said("You just said that; it was not sent twice."),))
        seconds = max(1, round(wait))
        if reason is FloodReason.COOLING_OFF:
            now = self._clock.monotonic()
            told = self._cooling_told.get(visit.member.id, 0.0)
            if now < told:
                return Reply(keep_input=True)  # said once already; nothing more to add
            self._cooling_told[visit.member.id] = now + wait
            minutes = max(1, round(wait / 60))
            return Reply(
                (
                    said_n(
                        "You kept sending lines after being asked to wait, so you are muted "
                        "in the rooms for {count} minute. You can still read along. This is "
                        "automatic and is not a warning on your record.",
                        "You kept sending lines after being asked to wait, so you are muted "
                        "in the rooms for {count} minutes. You can still read along. This is "
                        "automatic and is not a warning on your record.",
                        minutes,
                    ),
                ),
                keep_input=True,
            )
        if reason is FloodReason.SLOW_MODE:
            return Reply(
                (
                    said(
                        "Slow mode is on here: you can speak again in {seconds} s.", seconds=seconds
                    ),
                ),
                keep_input=True,
            )
        now = self._clock.monotonic()
        if now - self._throttle_told.get(visit.member.id, 0.0) < THROTTLE_NOTE_SECONDS:
            return Reply(keep_input=True)
        self._throttle_told[visit.member.id] = now
        return Reply(
            (
                said(
                    "That is a lot of lines quickly, so the room gets a breather: try again "
                    "in {seconds} s. Nothing you sent was shown twice.",
                    seconds=seconds,
                ),
            ),
            keep_input=True,
        )

    # -- commands ---------------------------------------------------------------------
    async def command(self, visit: RoomVisit, text: str) -> Reply:
        name, _, arg = text[1:].partition(" ")
        name = name.lower()
        arg = arg.strip()
        room_id = visit.room.id
        member = visit.member
        if name == "me":
            if not arg:
                return Reply((said("Type an action after /me, e.g. /me waves."),))
            return await self.say(visit, arg, kind="me")
        if name in ("help", "h", "?"):
            return Reply((HELP_TEXT,))
        if name == "who":
            return Reply((self.who_line(room_id),))
        if name == "away":
            note = clean_line(arg, 80)
            await self.presence.set_away(room_id, member.id, True, note)
            if not visit.hidden:
                self._publish(
                    room_id, RoomPresenceEvent(room_id, member.id, member.pseudonym, "away")
                )
            return Reply((said("You are marked away; /back when you return."),))
        if name == "back":
            await self.presence.set_away(room_id, member.id, False)
            if not visit.hidden:
                self._publish(
                    room_id, RoomPresenceEvent(room_id, member.id, member.pseudonym, "back")
                )
            return Reply((said("Welcome back."),))
        if name in ("ignore", "unignore"):
            return await self._ignore(visit, arg, name == "ignore")
        if name in ("offline", "online"):
            return await self._offline(visit, name == "offline")
        if name == "report":
            return await self._report(visit, arg)
        if name in ("worried", "concern"):
            return await self._concern(visit, arg)
        if name in ("leave", "quit", "part"):
            return Reply(leave=True)
        if name == "close":
            if not member.is_staff:
                return Reply((said("Only staff can close a room."),))
            by = member.pseudonym
            await self._store.write(lambda s: rooms.update_room(s, room_id, closed=True, by=by))
            return Reply()
        if name in ("topic", "slow", "invite"):
            if not self._may_steer(visit):
                return Reply(
                    (said("Only staff, or the host of a session while it runs, can do that."),)
                )
            return await self._steer(visit, name, arg)
        return Reply(
            (said("There is no /{name} command. /help lists them.", name=clean_line(name, 20)),)
        )

    def who_line(self, room_id: int) -> str:
        here = self.presence.who(room_id)
        if not here:
            return said("Nobody else is here right now.")
        names = [said("{name} (away)", name=e.name) if e.away else e.name for e in here]
        return said("Here now ({count}): {names}", count=len(names), names=listed(names))

    async def _named(
        self, name: str, usage: str, *, not_me: int | None = None
    ) -> tuple[int, str] | Reply:
        """The member (id, name) a command names, or the reply when it names nobody (or,
        with `not_me`, the member giving it)."""
        if not name:
            return Reply((usage,))
        found = await self._store.read(lambda s: rooms.member_id_by_name(s, name))
        if found is None or found[0] == not_me:
            return Reply((said("Nobody here is called {name}.", name=clean_line(name, 64)),))
        return found

    async def _ignore(self, visit: RoomVisit, name: str, on: bool) -> Reply:
        usage = said("Type a name: /ignore NAME") if on else said("Type a name: /unignore NAME")
        found = await self._named(name, usage, not_me=visit.member.id)
        if isinstance(found, Reply):
            return found
        other_id, other_name = found
        await self._store.write(lambda s: rooms.set_ignored(s, visit.member.id, other_id, on))
        if on:
            visit.ignored.add(other_id)
            return Reply(
                (
                    said(
                        "You will not see {name}'s lines. /unignore {name} undoes it.",
                        name=other_name,
                    ),
                )
            )
        visit.ignored.discard(other_id)
        return Reply((said("You see {name}'s lines again.", name=other_name),))

    async def set_appear_offline(self, member: MemberView, hidden: bool) -> None:
        """The privacy screen's switch: saved, and applied in every room at once."""
        await self._store.write(lambda s: rooms.set_appear_offline(s, member.id, hidden))
        for room_id in await self.presence.set_hidden(member.id, hidden):
            self._publish(
                room_id,
                RoomPresenceEvent(
                    room_id, member.id, member.pseudonym, "leave" if hidden else "join"
                ),
            )

    async def _offline(self, visit: RoomVisit, hidden: bool) -> Reply:
        member = visit.member
        await self._store.write(lambda s: rooms.set_appear_offline(s, member.id, hidden))
        visit.hidden = hidden
        for room_id in await self.presence.set_hidden(member.id, hidden):
            self._publish(
                room_id,
                RoomPresenceEvent(
                    room_id, member.id, member.pseudonym, "leave" if hidden else "join"
                ),
            )
        if hidden:
            return Reply(
                (
                    said(
                        "You appear offline: you are not listed, and your lines still show "
                        "your name."
                    ),
                )
            )
        return Reply((said("You appear online again."),))

    async def _report(self, visit: RoomVisit, arg: str) -> Reply:
        name, _, reason = arg.partition(" ")
        found = await self._named(name, said("Type whose line to report: /report NAME [reason]"))
        if isinstance(found, Reply):
            return found
        other_id, other_name = found
        room_id = visit.room.id

        def report(s: Session) -> int | None:
            line = rooms.last_line_by(s, room_id, other_id)
            if line is None:
                return None
            flags.add_flag(
                s,
                kind=flags.FlagKind.REPORT,
                target_kind=flags.FlagTarget.ROOM_LINE,
                target_id=line.id,
                author_id=other_id,
                reporter_id=visit.member.id,
                reason=clean_line(reason, 400) or f"reported in {visit.room.name}",
            )
            return line.id

        line_id = await self._store.write(report)
        if line_id is None:
            return Reply((said("{name} has said nothing here to report.", name=other_name),))
        self._events.publish(
            MODERATION_TOPIC, ModerationAlertEvent("report", room_id, line_id, other_name)
        )
        return Reply(
            (said("Thank you. {name}'s last line here went to the moderators.", name=other_name),)
        )

    async def _concern(self, visit: RoomVisit, arg: str) -> Reply:
        """ "/worried NAME [what worries you]": a crisis alert about them, never a report."""
        name, _, note = arg.partition(" ")
        found = await self._named(
            name, said("Type who you are worried about: /worried NAME [what worries you]")
        )
        if isinstance(found, Reply):
            return found
        other_id, other_name = found
        if other_id == visit.member.id:
            return Reply((said("If you are struggling, F1 has people you can talk to right now."),))
        room_id = visit.room.id

        def concern(s: Session) -> int | None:
            line = rooms.last_line_by(s, room_id, other_id)
            if line is None:
                return None
            return flags.raise_concern(
                s,
                target_kind=flags.FlagTarget.ROOM_LINE,
                target_id=line.id,
                author_id=other_id,
                reporter_id=visit.member.id,
                note=clean_line(note, 400),
            )

        if await self._store.write(concern) is None:
            return Reply(
                (
                    said(
                        "{name} has said nothing here yet; if they are in danger, "
                        "F1 lists crisis lines you can call for them.",
                        name=other_name,
                    ),
                )
            )
        return Reply((flags.CONCERN_THANKS,))

    async def _steer(self, visit: RoomVisit, name: str, arg: str) -> Reply:
        room_id = visit.room.id
        if name == "invite":
            found = await self._store.read(lambda s: rooms.member_id_by_name(s, arg))
            if found is None:
                return Reply((said("Nobody is called {name}.", name=clean_line(arg, 64)),))
            await self._store.write(lambda s: rooms.invite(s, room_id, found[0]))
            return Reply(
                (said("{name} is invited to {room}.", name=found[1], room=visit.room.name),)
            )
        by = visit.member.pseudonym
        try:
            if name == "topic":
                await self._store.write(lambda s: rooms.update_room(s, room_id, topic=arg, by=by))
            else:
                seconds = int(arg or "0")
                await self._store.write(
                    lambda s: rooms.update_room(s, room_id, slow_mode_seconds=seconds, by=by)
                )
        except ValueError as error:
            message = (
                error.args[0]
                if isinstance(error, RoomError) and error.args
                else said("Slow mode takes seconds.")
            )
            return Reply((message,))
        # Everyone inside, this member too, hears the change from the bus
        # (records.update_room announces it as it commits).
        return Reply()
