"""Live rooms: the room list, the room, and RoomFeed, a chat feed cheap enough for 100 readers.

RoomFeed keeps pre-rendered rows (Strips, cached per width) in a ring buffer and shows
the newest at the bottom. When lines arrive while nothing covers the feed, it does not
ask Textual to repaint its region: it asks the driver to shift the feed's rows up with a
terminal scroll region and writes only the new rows. Bursts are coalesced into one
frame per COALESCE_SECONDS.
"""

from __future__ import annotations

import asyncio
import contextvars
import re
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.events import Key, Paste
from textual.geometry import Region, Size
from textual.screen import ModalScreen, Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from bbs.errors import StoreBusyError, StoreFullError
from bbs.events import Event
from bbs.i18n import LANGUAGE_NAMES, N_, said
from bbs.reflow import reflow
from bbs.rooms.changes import room_changed
from bbs.rooms.events import (
    SESSIONS_TOPIC,
    RoomChangedEvent,
    RoomLineEvent,
    RoomPresenceEvent,
    SessionStartingEvent,
)
from bbs.rooms.records import MAX_LINE_CHARS, LineView, RoomError, RoomEventView, RoomView
from bbs.rooms.service import MAX_PASTE_LINES, RoomVisit, paste_hint
from bbs.text_safety import clean_line, truncate_display
from screens.base import BBSScreen, PanelScreen
from screens.live import HomePart, Live
from screens.tcss import default_css
from screens.textual_compat import (
    TypedText,
    has_notifications,
    layout_pending,
    repaint_pending,
    row_scroller,
    shift_rendered_lines,
    type_as_keys,
)
from screens.widgets import BUSY, KeyBar, PlainText, TextField, session_text

if TYPE_CHECKING:
    from bbs.events import EventBus
    from bbs.rooms.service import RoomService

# At most one feed frame per this interval under load; a lone line goes out at once.
COALESCE_SECONDS = 0.05
# Presence changes (joins, leaves) redraw the "here" line at most this often.
PRESENCE_SECONDS = 1.0
# Lines kept in the feed for scrolling back; history on entry is 100 of them.
FEED_LINES = 400
# Join and leave lines appear in the feed only in rooms smaller than this.
QUIET_JOIN_LIMIT = 20


# -- the feed -------------------------------------------------------------------------
@dataclass
class FeedEntry:
    """One line of the feed and its rows, rendered once per width (and shared by readers)."""

    content: Content
    rows: dict[int, tuple[Strip, ...]] = field(default_factory=dict)
    # The rows as the terminal gets them, per width and look (`RoomFeed._look`): rendered
    # by the first reader who shows the line, sent as they are to every other reader.
    sent: dict[tuple[object, ...], tuple[str, ...]] = field(default_factory=dict)

    def rows_for(self, width: int) -> tuple[Strip, ...]:
        rows = self.rows.get(width)
        if rows is None:
            lines = self.content.wrap(max(1, width)) or [Content("")]
            rows = tuple(Strip(line.render_segments()).adjust_cell_length(width) for line in lines)
            if len(self.rows) >= 4:
                self.rows.clear()
            self.rows[width] = rows
        return rows


# Everyone in a room gets the same line: build its entry (and rows) once, not once per
# reader. Fewer long-lived objects per line also means shorter full garbage collections.
_SHARED_ENTRIES: OrderedDict[tuple[int, bool, str, str, str, str], FeedEntry] = OrderedDict()
SHARED_ENTRY_LIMIT = 4096


def shared_line_entry(
    line_id: int, author: str, text: str, kind: str, at: str, *, mention: bool = False
) -> FeedEntry:
    """`line_entry` for a stored line, cached by line id (and content: ids of other stores)."""
    key = (line_id, mention, author, text, kind, at)
    entry = _SHARED_ENTRIES.get(key)
    if entry is None:
        entry = _SHARED_ENTRIES[key] = line_entry(author, text, kind, at, mention=mention)
        if len(_SHARED_ENTRIES) > SHARED_ENTRY_LIMIT:
            _SHARED_ENTRIES.popitem(last=False)
    return entry


def row_for_blank_line(rendered: str) -> str:
    """A rendered row as written into a row that starts blank (`scroll_rows_in`): its
    unstyled trailing spaces left off (every styled segment ends in a reset, so spaces
    after the last sequence are unstyled), and a reset followed by new attributes said in
    one sequence."""
    return _RESET_THEN_STYLE.sub("\x1b[0;\\1m", rendered.rstrip(" ")).replace("\x1b[0m", "\x1b[m")


_RESET_THEN_STYLE = re.compile(r"\x1b\[0m\x1b\[([0-9;]+)m")


def line_entry(author: str, text: str, kind: str, at: str, *, mention: bool = False) -> FeedEntry:
    """A member's line, literal: names and text are cleaned and never parsed as markup."""
    name = clean_line(author, 64)
    body = clean_line(text, MAX_LINE_CHARS)
    stamp = (at[11:16] + " ") if len(at) >= 16 else ""
    text_style = "bold" if mention else ""
    if kind == "me":
        content = Content.assemble(
            (stamp, "dim"), ("* ", "dim"), (name, "bold"), " ", (body, text_style or "italic")
        )
    else:
        content = Content.assemble((stamp, "dim"), (name, "bold"), ": ", (body, text_style))
    if mention:
        content = Content.assemble(("» ", "bold reverse"), content)
    return FeedEntry(content)


def note_entry(text: str) -> FeedEntry:
    """A note only this member sees (a hint, a held line, a command's answer)."""
    return FeedEntry(Content.assemble(("-- ", "dim"), (clean_line(text), "italic")))


class RoomFeed(Widget):
    """The newest lines at the bottom; PgUp/PgDn look back through what is kept."""

    DEFAULT_CSS = default_css(__file__, "RoomFeed")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: deque[FeedEntry] = deque(maxlen=FEED_LINES)
        self._rows: list[Strip] = []
        self._rows_width = -1
        self.scroll_back = 0
        self.unseen = 0
        # Rows added to the buffer but not yet on the terminal, waiting for a layout, and
        # the entries they belong to.
        self._unsent = 0
        self._unsent_entries: list[FeedEntry] = []
        # The last look worked out (`_look`), by what it was worked out for.
        self._looks: dict[tuple[object, ...], tuple[object, ...]] = {}
        self._retries = 0
        self._retry_handle: asyncio.Handle | None = None
        # How each update went out, for tests and the benchmark's curiosity.
        self.fast_updates = 0
        self.full_updates = 0

    # -- content ----------------------------------------------------------------------
    def _ensure_rows(self, width: int) -> None:
        if width != self._rows_width:
            self._rows = [row for entry in self._entries for row in entry.rows_for(width)]
            self._rows_width = width

    def render_line(self, y: int) -> Strip:
        width, height = self.size
        self._ensure_rows(width)
        index = len(self._rows) - height - self.scroll_back + y
        if 0 <= index < len(self._rows):
            return self._rows[index]
        return Strip.blank(width)

    def append(self, entries: list[FeedEntry]) -> None:
        """Add lines at the bottom: scrolled in place when safe, else a normal repaint."""
        if not entries:
            return
        size = self.size
        width = size.width
        # Entries beyond FEED_LINES drop off the front; their rows go when _rows is trimmed.
        self._entries.extend(entries)
        if width <= 0 or self._rows_width != width:
            # Never drawn at this width: rebuild the rows.
            self._rows_width = -1
            self._repaint()
            return
        new_rows = [row for entry in entries for row in entry.rows_for(width)]
        self._rows.extend(new_rows)
        if len(self._rows) > 4 * FEED_LINES:
            del self._rows[: len(self._rows) - 2 * FEED_LINES]
        if self.scroll_back:
            # The reader is looking back: keep their view still and count what is new.
            self.scroll_back += len(new_rows)
            self.unseen += len(entries)
            return
        self._unsent += len(new_rows)
        self._unsent_entries.extend(entries)
        self._send(size)

    def _repaint(self) -> None:
        self._unsent = 0
        self._unsent_entries.clear()
        self._retries = 0
        self.full_updates += 1
        self.refresh()

    def _send(self, size: Size | None = None) -> None:
        """Send the rows not yet on the terminal; `size` is the feed's, if just read."""
        if not self._unsent or not self.is_attached:
            return
        width, height = self.size if size is None else size
        outcome = self._scroll_in_place(self._unsent, width, height)
        if outcome == "sent":
            self._unsent = 0
            self._unsent_entries.clear()
            self._retries = 0
        elif outcome == "later" and self._retries < 5:
            # A layout is pending (the member's own input just changed): try again shortly
            # rather than repainting the whole feed.
            self._retries += 1
            if self._retry_handle is None:
                self._retry_handle = asyncio.get_running_loop().call_later(
                    0.02, self._retry, context=contextvars.copy_context()
                )
        else:
            self._repaint()

    def _retry(self) -> None:
        self._retry_handle = None
        self._send()

    def _scroll_in_place(self, count: int, width: int, height: int) -> str:
        app = self.app
        driver = row_scroller(app)
        screen = self.screen
        if (
            driver is None
            or count >= height
            or app.screen is not screen
            or has_notifications(app)
            or not self.display
        ):
            return "repaint"
        if layout_pending(screen) or repaint_pending(self):
            return "later"
        region = self.region
        if region.x != 0 or region.width != app.size.width or region.height != height:
            # A scroll region spans whole rows: only a full-width feed can use one.
            return "repaint"
        # Every cached line moved up: so do Textual's cached renders of them (the next
        # repaint of this member's screen, a key typed, draws only the new rows again).
        shift_rendered_lines(self, count)
        driver.scroll_rows_in(region.y, region.bottom - 1, self._new_rows(count, width, height))
        self.fast_updates += 1
        return "sent"

    def _look(self, width: int) -> tuple[object, ...]:
        """What a row's rendering depends on beyond its entry: every reader whose feed has
        the same look gets the same bytes for the same line. Worked out again when the
        width, colour system, theme or filters (a member's colour mode) change."""
        app = self.app
        key = (
            width,
            app.console.color_system,
            app.theme,
            tuple(type(line_filter) for line_filter in app.get_line_filters()),
        )
        look = self._looks.get(key)
        if look is None:
            look = (
                *key,
                self.background_colors,
                app.ansi_theme,
                app.native_ansi_color,
                self.opacity,
            )
            self._looks = {key: look}
        return look

    def _new_rows(self, count: int, width: int, height: int) -> list[str]:
        """The bottom `count` rows as the terminal gets them: rendered once per line and
        look, then shared by every reader of that line."""
        entries = self._unsent_entries
        look = self._look(width)
        rows: list[str] = []
        for entry in entries:
            sent = entry.sent.get(look)
            if sent is None:
                break
            rows.extend(sent)
        if len(rows) == count:
            return rows
        # Textual renders them (the feed's styles and the app's filters applied).
        console = self.app.console
        rendered = [
            row_for_blank_line(strip.render(console))
            for strip in self.render_lines(Region(0, height - count, width, count))
        ]
        if sum(len(entry.rows_for(width)) for entry in entries) == count:
            at = 0
            for entry in entries:
                size = len(entry.rows_for(width))
                if len(entry.sent) >= 4:
                    entry.sent.clear()
                entry.sent[look] = tuple(rendered[at : at + size])
                at += size
        return rendered

    def page(self, direction: int) -> None:
        """Look back (direction -1) or forward (+1) by a screenful."""
        height = max(1, self.size.height - 1)
        self._ensure_rows(self.size.width)
        most = max(0, len(self._rows) - self.size.height)
        self.scroll_back = min(most, max(0, self.scroll_back - direction * height))
        if self.scroll_back == 0:
            self.unseen = 0
        self._repaint()

    def to_bottom(self) -> None:
        self.scroll_back = 0
        self.unseen = 0
        self._repaint()

    def on_unmount(self) -> None:
        if self._retry_handle is not None:
            self._retry_handle.cancel()
            self._retry_handle = None

    def visible_text(self) -> str:
        """What the feed shows, as plain text (for tests)."""
        return "\n".join(self.render_line(y).text for y in range(self.size.height))


# -- the input ------------------------------------------------------------------------
SAY_PLACEHOLDER = N_("Say something, or /help")


class RoomInput(TextField):
    """One line to say; a paste of many lines becomes a hint instead of a flood."""

    def __init__(self, *, placeholder: str = SAY_PLACEHOLDER, id: str | None = None) -> None:
        # Valid from the start, as it will be after the first key (it has no validators,
        # and no style reads the class): a member's first key does not restyle the field.
        super().__init__(
            placeholder=placeholder, max_length=MAX_LINE_CHARS, id=id, classes="-valid"
        )

    async def _on_key(self, event: Key) -> None:
        # Enter is taken here, in order with the keys typed before it. As a binding it
        # would bubble to the app first, and keys typed after it (a fast typist, a flood)
        # would land on this line before it was sent.
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.enter_typed()
            return
        await super()._on_key(event)

    def enter_typed(self) -> None:
        """Enter: the line goes, and the field is empty for the next."""
        value, self.value = self.value, ""
        self.post_message(self.Submitted(self, value, None))

    def type_text(self, text: str) -> None:
        """Printable keys that came together, typed in as one (see `TypedText`)."""
        type_as_keys(self, text, clean_line)

    def _on_typed_text(self, message: TypedText) -> None:
        message.stop()
        self.type_text(message.text)
        if message.enter:
            # In the same handler: no frame of the typed line between it and its Enter.
            self.enter_typed()

    def _on_paste(self, event: Paste) -> None:
        lines = [line for line in event.text.splitlines() if line.strip()]
        event.stop()
        event.prevent_default()
        screen = self.screen
        if len(lines) > MAX_PASTE_LINES:
            if isinstance(screen, RoomScreen):
                screen.show_notes([paste_hint(len(lines))])
            return
        text = clean_line(" ".join(line.strip() for line in lines))
        room = max(0, MAX_LINE_CHARS - len(self.value))
        self.insert_text_at_cursor(text[:room])
        if len(text) > room and isinstance(screen, RoomScreen):
            # Never cut silently: say what was kept, and where longer text fits.
            screen.show_notes([paste_cut_note(room)])


def paste_cut_note(kept: int) -> str:
    """What a member is told when a paste does not fit in the room line (said again in
    their language by `RoomScreen.show_notes`)."""
    if kept == 0:
        return said(
            "The line is full ({most} characters), so nothing was pasted; for longer text, "
            "write a board post (Boards: B on the home screen).",
            most=MAX_LINE_CHARS,
        )
    return said(
        "Only the first {kept} characters of that paste fit in a room line ({most} at most); "
        "for longer text, write a board post (Boards: B on the home screen).",
        kept=kept,
        most=MAX_LINE_CHARS,
    )


# -- the room -------------------------------------------------------------------------
CRISIS_NOTE_KEYS = N_("Enter close   Up/Down scroll")
ROOM_KEYS = N_(" /help /me /who /ignore NAME /report NAME  PgUp history  Esc leave  F1 help")
ENTERED = N_("You are in {name}. /help lists what you can do.")
SCHEDULED = N_("Scheduled: {event}")
SKIPPED = N_("Some lines were skipped while your screen caught up.")
CAME_IN = N_("{name} came in.")
WENT = N_("{name} left.")
MENTIONED = N_("You were mentioned.")
CLOSED = N_("This room has been closed. Esc takes you back.")
AWAY = N_("{name} (away)")
HERE = N_("Here ({count}): {names}")
NOBODY_HERE = N_("Nobody else is here.")
PRIVATE_MARK = N_("  (private)")
SLOW_MARK = N_("  [slow mode {seconds} s]")


class CrisisNoteScreen(ModalScreen[None]):
    """Private resources, shown at once to a member whose line sounded like danger."""

    AUTO_FOCUS = "#crisis-scroll"
    DEFAULT_CSS = default_css(__file__, "CrisisNoteScreen")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,space", "close", "Close"),
    ]

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def compose(self) -> ComposeResult:
        # The crisis lines scroll inside the box; the way out stays on screen below them.
        with Vertical(id="crisis-note"):
            with VerticalScroll(id="crisis-scroll"):
                yield PlainText(reflow(self._text), id="crisis-box")
            yield PlainText(session_text(self, CRISIS_NOTE_KEYS), classes="note", id="crisis-keys")

    def action_close(self) -> None:
        self.dismiss(None)


class RoomScreen(BBSScreen[None]):
    """One room: topic, who is here, the feed, a line to type and the keys that work."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Leave"),
        Binding("pageup", "page(-1)", "Back", show=False),
        Binding("pagedown", "page(1)", "Forward", show=False),
        Binding("ctrl+end", "bottom", "Newest", show=False),
    ]
    DEFAULT_CSS = default_css(__file__, "RoomScreen")

    def __init__(self, visit: RoomVisit, *, rooms: RoomService) -> None:
        super().__init__()
        self._rooms = rooms
        self.visit = visit
        self._live: Live | None = None
        self._presence_handle: asyncio.Handle | None = None
        self._status = ""
        self._feed: RoomFeed | None = None

    def compose(self) -> ComposeResult:
        yield PlainText(self._topic_line(), id="room-topic")
        yield PlainText("", id="room-presence")
        yield RoomFeed(id="feed")
        yield PlainText("", id="room-status")
        yield RoomInput(placeholder=self.t(SAY_PLACEHOLDER), id="say")
        yield KeyBar(ROOM_KEYS)

    @property
    def feed(self) -> RoomFeed:
        if self._feed is None:
            self._feed = self.query_one("#feed", RoomFeed)
        return self._feed

    def on_mount(self) -> None:
        visit = self.visit
        rooms = self._rooms
        # `Live` runs `_flush` in this member's session (another member's line arrives
        # from their session), at most once a frame.
        self._live = Live(self, self._flush, coalesce=COALESCE_SECONDS)
        self._live.follow(lambda wake: rooms.subscribe(visit, wake))
        entries = [
            shared_line_entry(
                line.id,
                line.author,
                line.text,
                line.kind,
                line.at.isoformat(),
                mention=self._mentions_me(line),
            )
            for line in visit.history
            if line.member_id not in visit.ignored
        ]
        entries.append(note_entry(self.t(ENTERED).format(name=visit.room.name)))
        for event in visit.events[:2]:
            entries.append(note_entry(self.t(SCHEDULED).format(event=self.t(event.describe()))))
        self.feed.append(entries)
        self._update_presence()
        self.query_one("#say", RoomInput).focus()

    def _mentions_me(self, line: LineView) -> bool:
        from bbs.rooms.service import mentions_in

        return line.member_id != self.visit.member.id and self.visit.mention_key in mentions_in(
            line.text
        )

    def on_unmount(self) -> None:
        if self._presence_handle is not None:
            self._presence_handle.cancel()
        if self._live is not None:
            self._live.close()
            self._live = None
        self._rooms.depart(self.visit)

    # -- live events ------------------------------------------------------------------
    def _flush(self, events: list[Event]) -> None:
        live = self._live
        if live is None or not self.is_attached:
            return
        overflowed = live.overflowed
        visit = self.visit
        entries: list[FeedEntry] = []
        if overflowed:
            entries.append(note_entry(self.t(SKIPPED)))
        mentioned = False
        presence_changed = False
        quiet: bool | None = None
        for event in events:
            if isinstance(event, RoomLineEvent):
                if event.member_id in visit.ignored:
                    continue
                mention = event.member_id != visit.member.id and visit.mentions_me(event)
                mentioned = mentioned or mention
                entries.append(
                    shared_line_entry(
                        event.line_id,
                        event.author,
                        event.text,
                        event.line_kind,
                        event.at,
                        mention=mention,
                    )
                )
            elif isinstance(event, RoomPresenceEvent):
                presence_changed = True
                if quiet is None:
                    quiet = self._rooms.presence.count(visit.room.id) < QUIET_JOIN_LIMIT
                if (
                    quiet
                    and event.member_id != visit.member.id
                    and event.state in ("join", "leave")
                ):
                    said_how = CAME_IN if event.state == "join" else WENT
                    name = clean_line(event.name, 64)
                    entries.append(note_entry(self.t(said_how).format(name=name)))
            elif isinstance(event, RoomChangedEvent):
                self._room_changed(event, entries)
            elif isinstance(event, SessionStartingEvent):
                entries.append(note_entry(self.t(event.describe())))
        if mentioned:
            # A bell is the cheapest announcement there is: one byte.
            self.app.bell()
            self._set_status(self.t(MENTIONED))
        self.feed.append(entries)
        if presence_changed:
            self._schedule_presence()
        if self.feed.unseen:
            unseen = self.feed.unseen
            self._set_status(
                self.bbs.ngettext(
                    "{count} new line below: Ctrl+End to jump.",
                    "{count} new lines below: Ctrl+End to jump.",
                    unseen,
                ).format(count=unseen)
            )

    def _room_changed(self, event: RoomChangedEvent, entries: list[FeedEntry]) -> None:
        room, said = room_changed(self.visit.room, event, self.t)
        self.visit.room = room
        entries.extend(note_entry(line) for line in said)
        if room.closed:
            entries.append(note_entry(self.t(CLOSED)))
            self.query_one("#say", RoomInput).disabled = True
        self.query_one("#room-topic", PlainText).show(self._topic_line())

    def _schedule_presence(self) -> None:
        if self._presence_handle is None:
            # Called in this session (from `_flush`): the timer keeps its context.
            self._presence_handle = asyncio.get_running_loop().call_later(
                PRESENCE_SECONDS, self._update_presence
            )

    def _update_presence(self) -> None:
        self._presence_handle = None
        if not self.is_attached:
            return
        here = self._rooms.who(self.visit.room.id)
        away = self.t(AWAY)
        names = [away.format(name=e.name) if e.away else e.name for e in here]
        line = (
            self.t(HERE).format(count=len(names), names=", ".join(names))
            if names
            else self.t(NOBODY_HERE)
        )
        self.query_one("#room-presence", PlainText).show(truncate_display(clean_line(line), 300))

    def _topic_line(self) -> str:
        room = self.visit.room
        slow = (
            self.t(SLOW_MARK).format(seconds=room.slow_mode_seconds)
            if room.slow_mode_seconds
            else ""
        )
        private = self.t(PRIVATE_MARK) if room.private else ""
        topic = f": {room.topic}" if room.topic else ""
        return f"# {room.name}{private}{topic}{slow}"

    def _set_status(self, text: str) -> None:
        if text != self._status:
            self._status = text
            self.query_one("#room-status", PlainText).show(text)

    def show_notes(self, notes: Sequence[object]) -> None:
        """Notes only this member sees, at the bottom of the feed, in their language: the
        core's replies (`said`), `N_` constants and errors carrying one."""
        self.feed.append([note_entry(self.t(n)) for n in notes])

    # -- typing -----------------------------------------------------------------------
    @on(Input.Submitted, "#say")
    async def _submitted(self, event: Input.Submitted) -> None:
        field = self.query_one("#say", RoomInput)
        text = event.value
        if not text.strip():
            return
        try:
            reply = await self._rooms.submit(self.visit, text)
        except StoreBusyError as error:
            # Not saved, so not said: the line goes back in the box to try again.
            if not field.value:
                field.value = text
                field.cursor_position = len(text)
            self.show_notes([error if isinstance(error, StoreFullError) else BUSY])
            return
        if reply.keep_input and not field.value:
            field.value = text
            field.cursor_position = len(text)
        if reply.notes:
            self.show_notes(reply.notes)
        if reply.crisis:
            self.app.push_screen(CrisisNoteScreen(self.t(reply.crisis)))
        if reply.leave:
            await self.action_leave()

    def action_page(self, direction: int) -> None:
        self.feed.page(direction)
        if self.feed.scroll_back == 0:
            self._set_status("")

    def action_bottom(self) -> None:
        self.feed.to_bottom()
        self._set_status("")

    async def action_leave(self) -> None:
        await self._rooms.leave(self.visit)
        self.dismiss(None)


# -- the list of rooms ----------------------------------------------------------------
ROOMS_TITLE = N_("Rooms")
ROOMS_NOTE = N_("Live chat. Pick a room and press Enter.")
ROOMS_KEYS = N_(" Enter join  Esc back  F1 help")
# {private} is ROOM_PRIVATE or nothing; {topic} is " — " and the room's topic, or nothing.
ROOM_LABEL = N_("{name} ({count} here){private}{topic}")
ROOM_PRIVATE = N_(" · private")
TODAY = N_("Today: {events}")
SESSION_STARTING = N_("{event} Press R on the home screen for rooms.")
SESSION_TITLE = N_("Room session")


class RoomListScreen(PanelScreen):
    """Rooms this member may enter, how many are in each, and today's scheduled sessions."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "reload", "Reload", show=False),
    ]
    DEFAULT_CSS = default_css(__file__, "RoomListScreen")

    def __init__(self, *, rooms: RoomService) -> None:
        super().__init__()
        self._service = rooms
        self._rooms: list[RoomView] = []

    def compose(self) -> ComposeResult:
        yield PlainText(self.t(ROOMS_TITLE), classes="title")
        yield PlainText(self.t(ROOMS_NOTE), classes="note")
        yield OptionList(id="rooms")
        yield PlainText("", classes="note", id="room-events")
        yield PlainText("", classes="error", id="error")
        yield KeyBar(ROOMS_KEYS)

    async def on_mount(self) -> None:
        await self._load()
        member = self.bbs.member
        if member is None:
            return
        # A room the member did not leave on purpose (a dropped connection): straight back in.
        remembered = await self._service.rooms_to_rejoin(member)
        if remembered and any(r.id == remembered[0] for r in self._rooms):
            await self.enter(remembered[0])

    async def _load(self) -> None:
        member = self.bbs.member
        if member is None:
            return
        rooms = self._service
        listed = await rooms.list_rooms(member, first_language=self.bbs.language)
        self._rooms = [room for room, _count in listed]
        options = self.query_one("#rooms", OptionList)
        options.clear_options()
        label_of, private = self.t(ROOM_LABEL), self.t(ROOM_PRIVATE)
        for room, count in listed:
            mark = LANGUAGE_NAMES.get(room.language, "")
            label = label_of.format(
                name=f"{room.name} · {mark}" if mark else room.name,
                count=count,
                private=private if room.private else "",
                topic=f" — {room.topic}" if room.topic else "",
            )
            options.add_option(
                Option(Content(truncate_display(clean_line(label), 200)), id=str(room.id))
            )
        if listed:
            options.highlighted = 0
        options.focus()
        events = await rooms.events_today()
        self.query_one("#room-events", PlainText).show(events_today_text(events, self.t))

    @on(OptionList.OptionSelected, "#rooms")
    async def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            await self.enter(int(event.option.id))

    async def enter(self, room_id: int) -> None:
        member = self.bbs.member
        if member is None:
            return
        try:
            visit = await self._service.enter(room_id, member)
        except RoomError as error:
            self.query_one("#error", PlainText).show(self.t(error))
            return
        self.query_one("#error", PlainText).show("")
        await self.app.push_screen(RoomScreen(visit, rooms=self._service), callback=self._returned)

    async def _returned(self, _result: None) -> None:
        await self._load()

    async def action_reload(self) -> None:
        await self._load()


def events_today_text(events: list[RoomEventView], t: Callable[[object], str]) -> str:
    """Today's scheduled sessions as a few lines (for the room list and the home screen),
    said by `t` (a screen's `t`: the member's language)."""
    if not events:
        return ""
    return t(TODAY).format(events=" · ".join(t(event.describe()) for event in events[:4]))


class RoomEventsToday(PlainText):
    """One line for the home screen: today's scheduled room sessions (see `RoomEventsPart`)."""

    DEFAULT_CSS = default_css(__file__, "RoomEventsToday")


class RoomEventsPart(HomePart[RoomEventsToday]):
    """The home screen's room sessions today: the line, built only when there are some, and
    the toast when a session starts (heard by the screen, on whatever screen is shown)."""

    def __init__(
        self,
        *,
        id: str,
        events: EventBus,
        today: list[RoomEventView] | None = None,
        t: Callable[[object], str] = str,
    ) -> None:
        # With today's events (`today`, said by `t`), composed with the screen and drawn
        # complete by its first layout; nothing today is not built at all.
        super().__init__()
        self._id = id
        self._events = events
        self._text = events_today_text(today or [], t)
        self._any = bool(today)
        self._screen: Screen[Any] | None = None
        self._starting: Live | None = None

    @property
    def visible(self) -> bool:
        return self._any

    def build(self) -> RoomEventsToday:
        return RoomEventsToday(self._text, id=self._id)

    def paint(self, widget: RoomEventsToday) -> None:
        widget.show(self._text)

    def start(self, screen: Screen[Any]) -> None:
        """Hear sessions starting, on `screen` (mounted; the home screen lives as long as
        the session, so a session starting is said on whatever screen the member is on)."""
        self._screen = screen
        # `Live` runs `_started` in this session.
        self._starting = Live(screen, self._started)
        self._starting.topic(self._events, SESSIONS_TOPIC, maxsize=8)

    def close(self) -> None:
        if self._starting is not None:
            self._starting.close()
            self._starting = None

    def _started(self, events: list[Event]) -> None:
        screen = self._screen
        assert screen is not None
        for event in events:
            if isinstance(event, SessionStartingEvent):
                screen.app.notify(
                    session_text(screen, SESSION_STARTING).format(
                        event=session_text(screen, event.describe())
                    ),
                    title=session_text(screen, SESSION_TITLE),
                    timeout=20,
                    markup=False,
                )

    def show_events(self, events: list[RoomEventView]) -> None:
        screen = self._screen
        assert screen is not None
        self._text = events_today_text(events, lambda message: session_text(screen, message))
        self._any = bool(events)
        self.changed()
