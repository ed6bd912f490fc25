"""Rooms in line mode: each line printed as it arrives, with who said it, above the line
being typed; the member's own lines are not printed again (their typing already shows)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from bbs.errors import StoreBusyError
from bbs.events import Subscription
from bbs.i18n import LANGUAGE_NAMES, N_
from bbs.rooms.changes import room_changed
from bbs.rooms.events import RoomChangedEvent, RoomLineEvent, RoomPresenceEvent
from bbs.rooms.records import LineView, RoomEventView, RoomView
from bbs.rooms.service import HELP_TEXT, RoomVisit
from bbs.text_safety import clean_line
from plain.forms import error_said
from plain.menus import Command, list_loop, listing
from plain.session import PlainSession

# -- what members read ----------------------------------------------------------------
ROOMS_TITLE = N_("Rooms: live chat.")
ROOM_LINE = N_("{name}: {count} here{private}{topic}")
PRIVATE = N_(", private")
TOPIC = N_(". Topic: {topic}")
NO_ROOMS = N_("There are no rooms open to you right now.")
TODAY = N_("Today: {events}")
ROOMS_PROMPT = N_("Rooms: type a room's number to go in, or 0 to go back (Enter lists them): ")
ROOMS_HINT = N_("Type one of the room numbers shown, or 0.")
ENTERED = N_("You are in {name}.")
TOPIC_NOW = N_(" Topic: {topic}")
SLOW = N_(" Slow mode: one line per {seconds} s.")
HOW = N_(
    "Type a line and press Enter to say it. /me and words say them as an action, /who "
    "lists who is here, /history shows the earlier lines, /help lists more, and /leave (or "
    "leave alone on a line) takes you out. New lines appear above your typing."
)
EARLIER = N_("({count} earlier lines: /history shows them.)")
HISTORY_NONE = N_("Nothing was said here recently.")
HISTORY_TITLE = N_("Earlier in {name}:")
SCHEDULED = N_("Scheduled: {event}")
ROOM_PROMPT = "> "
SAID = "{name}: {text}"
ACTION = "* {name} {text}"
AT = "{time} "
CAME_IN = N_("{name} came in.")
WENT = N_("{name} left.")
CLOSED = N_("This room has been closed. Press Enter to go back to the list of rooms.")
HELP_MORE = N_(
    "In line mode, help alone on a line (no slash) shows the help and crisis lines, "
    "and /history shows the earlier lines."
)
SKIPPED = N_("Some lines were skipped while your screen caught up.")
LEFT = N_("You left {name}.")
NOT_SENT = N_("Your line was not sent: {why} It is still there; Enter sends it again.")
LEAVE_WORDS = frozenset({"leave", "/leave", "/quit", "/part"})
LEAVE_WORD = N_("leave")
HISTORY_WORD = "/history"

# Join and leave lines appear only in rooms smaller than this (as on the full screen).
QUIET_JOIN_LIMIT = 20
# Lines kept to recognise the member's own lines coming back from the room.
OWN_LINES = 8


def events_line(t: Callable[[object], str], events: list[RoomEventView]) -> str:
    return "; ".join(t(event.describe()) for event in events[:4])


async def run(s: PlainSession) -> None:
    console, rooms, member, t = s.console, s.services.rooms, s.member, s.t

    async def load() -> list[tuple[RoomView, int]]:
        return await rooms.list_rooms(member, first_language=s.language)

    async def show(found: list[tuple[RoomView, int]]) -> str:
        if found:
            lines = [listing(t(ROOMS_TITLE), [_room_line(t, room, count) for room, count in found])]
        else:
            lines = [t(ROOMS_TITLE), t(NO_ROOMS)]
        events = await rooms.events_today()
        if events:
            lines.append(t(TODAY).format(events=events_line(t, events)))
        return "\n".join(lines)

    async def act(answer: Command, found: list[tuple[RoomView, int]]) -> bool | None:
        chosen = answer.pick(len(found))
        if chosen is None:
            return None
        visit = await rooms.enter(found[chosen][0].id, member)
        await Room(s, visit).stay()
        return True

    await list_loop(console, t(ROOMS_PROMPT), t(ROOMS_HINT), load=load, show=show, act=act)


def _room_line(t: Callable[[str], str], room: RoomView, count: int) -> str:
    mark = LANGUAGE_NAMES.get(room.language, "")
    return t(ROOM_LINE).format(
        name=f"{room.name} ({mark})" if mark else room.name,
        count=count,
        private=t(PRIVATE) if room.private else "",
        topic=t(TOPIC).format(topic=room.topic) if room.topic else "",
    )


def line_text(author: str, text: str, kind: str) -> str:
    return (ACTION if kind == "me" else SAID).format(name=author, text=text)


class Room:
    """One visit to one room, from going in to leaving."""

    def __init__(self, s: PlainSession, visit: RoomVisit) -> None:
        self.s = s
        self.visit = visit
        self.closed = False
        self._subscription: Subscription | None = None
        # The history from before this visit, as rows for /history (the visit's own copy
        # of the lines is let go once shown: a room full of readers need not keep it).
        self._earlier: list[str] = []
        # What this session said and has not seen come back yet: not printed twice.
        self._mine: deque[str] = deque(maxlen=OWN_LINES)

    async def stay(self) -> None:
        s, visit = self.s, self.visit
        rooms = s.services.rooms
        left = False
        self._subscription = rooms.subscribe(visit, self._arrived)
        try:
            await self._enter_text()
            kept = ""
            while not self.closed:
                line = await s.console.ask(ROOM_PROMPT, initial=kept)
                kept = ""
                if self.closed:
                    break
                text = line.strip()
                if not text:
                    continue
                if text.lower() in s.console.words(LEAVE_WORDS, LEAVE_WORD):
                    left = True
                    break
                if text.lower() == HISTORY_WORD:
                    await self._history(all_lines=True)
                    continue
                leave, kept = await self._submit(line)
                if leave:
                    left = True
                    break
        finally:
            if self._subscription is not None:
                self._subscription.unsubscribe()
                self._subscription = None
            if left or self.closed:
                await rooms.leave(visit)
            else:
                rooms.depart(visit)  # the session ended: presence out, rejoin kept
        if not self.closed:
            await s.console.say(s.t(LEFT).format(name=visit.room.name))

    async def _enter_text(self) -> None:
        room, t = self.visit.room, self.s.t
        lines = [
            t(ENTERED).format(name=room.name)
            + (t(TOPIC_NOW).format(topic=room.topic) if room.topic else "")
            + (t(SLOW).format(seconds=room.slow_mode_seconds) if room.slow_mode_seconds else "")
        ]
        lines.append(t(HOW))
        for event in self.visit.events[:2]:
            lines.append(t(SCHEDULED).format(event=t(event.describe())))
        await self.s.console.say("\n".join(lines))
        await self._history(all_lines=False)

    def _visible_history(self) -> list[LineView]:
        return [line for line in self.visit.history if line.member_id not in self.visit.ignored]

    async def _history(self, *, all_lines: bool) -> None:
        history = self._visible_history()
        console, t = self.s.console, self.s.t
        if not history:
            if all_lines:
                await console.say(t(HISTORY_NONE))
            return
        room_for = max(3, console.page - 8)
        shown = history if all_lines else history[-room_for:]
        lines = []
        if all_lines:
            lines.append(t(HISTORY_TITLE).format(name=self.visit.room.name))
        elif len(history) > len(shown):
            lines.append(t(EARLIER).format(count=len(history) - len(shown)))
        for line in shown:
            lines.append(
                AT.format(time=line.at.strftime("%H:%M"))
                + line_text(line.author, line.text, line.kind)
            )
        await console.say("\n".join(lines))

    def _expect(self, raw: str) -> None:
        text = clean_line(raw).strip()
        if text.startswith("//"):
            text = text[1:]
        elif text.lower().startswith("/me "):
            text = text[4:].strip()
        elif text.startswith("/"):
            return
        self._mine.append(text)

    async def _submit(self, line: str) -> tuple[bool, str]:
        """Say a line (or run a command): whether to leave the room, and the text to keep
        in the line for another try when it was not taken (muted, slow mode, busy)."""
        s = self.s
        self._expect(line)
        try:
            reply = await s.services.rooms.submit(self.visit, line)
        except StoreBusyError as error:
            await s.console.say(s.t(NOT_SENT).format(why=error_said(s.console, error)))
            return False, line
        if reply.notes:
            notes = [
                s.t(note) + ("\n" + s.t(HELP_MORE) if note == HELP_TEXT else "")
                for note in reply.notes
            ]
            await s.console.say("\n".join(notes))
        if reply.crisis:
            await s.console.say(reply.crisis)
        return reply.leave, line.strip() if reply.keep_input else ""

    # -- live -------------------------------------------------------------------------
    def _arrived(self) -> None:
        """Called by the bus in this session's context: print what came, at once."""
        subscription = self._subscription
        if subscription is None:
            return
        overflowed = subscription.overflowed
        visit, rooms = self.visit, self.s.services.rooms
        lines: list[str] = []
        mentioned = False
        t = self.s.t
        if overflowed:
            lines.append(t(SKIPPED))
        quiet: bool | None = None  # worked out only when someone comes or goes
        for event in subscription.drain():
            if isinstance(event, RoomLineEvent):
                if event.member_id in visit.ignored:
                    continue
                if event.member_id == visit.member.id and event.text in self._mine:
                    self._mine.remove(event.text)
                    continue
                mentioned = mentioned or (
                    event.member_id != visit.member.id and visit.mentions_me(event)
                )
                lines.append(line_text(event.author, event.text, event.line_kind))
            elif isinstance(event, RoomPresenceEvent):
                if quiet is None:
                    quiet = rooms.presence.count(visit.room.id) < QUIET_JOIN_LIMIT
                if (
                    quiet
                    and event.member_id != visit.member.id
                    and event.state in ("join", "leave")
                ):
                    lines.append(
                        t(CAME_IN if event.state == "join" else WENT).format(name=event.name)
                    )
            elif isinstance(event, RoomChangedEvent):
                lines.extend(self._changed(event))
            # Sessions starting are said by the session itself, to everyone online.
        if lines:
            self.s.console.live("\n".join(lines), bell=mentioned)

    def _changed(self, event: RoomChangedEvent) -> list[str]:
        room, lines = room_changed(self.visit.room, event, self.s.t)
        self.visit.room = room
        if room.closed:
            self.closed = True
            lines.append(self.s.t(CLOSED))
        return lines
