"""A Textual driver that speaks to one SSH channel, in-process, on the shared event loop.

Improves on shared/reference/ssh_driver.py: output is bounded (a reader that stops
reading is cut off, nobody else waits), mouse reporting is clicks only, window sizes
are clamped and resize storms coalesced, input is rate-limited and parsed in slices
so a 1 MB paste never stalls the loop, and the parser cannot keep a dead app alive.
"""

from __future__ import annotations

import asyncio
import contextlib
from codecs import getincrementaldecoder
from collections import deque
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from textual import constants, events
from textual.driver import Driver
from textual.geometry import Size
from textual.message import Message

from bbs.clock import Clock, SystemClock
from bbs.token_bucket import TokenBucket
from screens.textual_compat import (
    ParseEOF,
    ParseTimeout,
    Peek1,
    Read1,
    TokenCallback,
    TypedText,
    UncachedXTermParser,
    XTermParser,
    hand_typed_text,
    is_closing,
    set_terminal_size,
    stopped_before,
    takes_no_arguments,
    takes_typed,
    terminal_size,
)
from server.frame_filter import FrameFilter

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode
    from textual.widget import Widget

# Parse at most this many characters per loop pass; others' sessions run in between.
INPUT_SLICE = 2048
# Hand the app at most this many events per loop pass: it handles everything queued
# without yielding, at ~0.1-0.3 ms a key, so a long queue would hold everyone up.
EVENTS_PER_PASS = 32
# Keys typed together go to a field that takes them as one message, of at most this many
# (one event of EVENTS_PER_PASS: a room line is 500 characters at most).
TYPED_RUN_KEYS = 512
# Input waiting to be parsed beyond this is dropped (with a note to the member).
MAX_PENDING_INPUT = 1024 * 1024
# A bracketed paste longer than this is cut off and skipped whole: the parser would hold
# an unterminated one in memory for ever.
MAX_PASTE_BYTES = 1024 * 1024
# A member whose input was skipped is told so (a note on screen for 5 s); a flood that
# goes on is told again at most this often, not once a burst: each note is a widget
# mounted, laid out and removed, which is work the flood would buy on the shared loop.
DROPPED_NOTE_SECONDS = 10.0
# Window changes arriving faster than this are folded into one resize.
RESIZE_COALESCE_SECONDS = 0.05
PASTE_START = b"\x1b[200~"
PASTE_END = b"\x1b[201~"
# How long a lone ESC waits to see if a sequence follows (as Textual's own drivers).
ESCAPE_TIMEOUT_SECONDS = 0.11
# A key or paste handed to the app is followed until it has been handled before the next
# input goes (see _Follower). Every this often, a wait that has not ended is looked at:
# a screen that closed with the key still queued never reports it handled.
FOLLOW_CHECK_SECONDS = 0.05
# After this long the next input goes anyway: order is worth a wait, not a frozen session.
FOLLOW_GIVE_UP_SECONDS = 2.0
# Output waits in the SSH channel only when the client's window is full: it has not read
# what it was sent (2 MiB with OpenSSH and asyncssh). Frames are then not queued behind
# it: they are skipped, and once the channel has room again the screen is sent whole, as
# it is then (one repaint owed, not every frame in between). Looked at this often.
OUTPUT_CHECK_SECONDS = 0.25
# A client that takes nothing of the output waiting for it for this long is cut off: it
# has stopped reading. One on a slow link takes some, and stays. Input waits meanwhile.
OUTPUT_STALL_SECONDS = 10.0
PASTE_START_TEXT = PASTE_START.decode()
PASTE_END_TEXT = PASTE_END.decode()


def input_cost(data: bytes, in_paste: bool) -> tuple[int, bool, int]:
    """What parsing `data` may cost in input events, before it is parsed.

    Outside a bracketed paste every byte may be a key (an escape sequence is several
    bytes and one key, so this errs on the safe side); a paste is one event however long.
    Returns the cost, whether the data ends inside a paste, and how many of its bytes
    are paste content. A paste marker split across two reads is not seen: its content
    then counts as keys, which only makes a long one more likely to be skipped.
    """
    cost = pasted = 0
    i, n = 0, len(data)
    while i < n:
        if in_paste:
            j = data.find(PASTE_END, i)
            if j < 0:
                return cost, True, pasted + n - i
            pasted += j - i
            i, in_paste = j + len(PASTE_END), False
        else:
            j = data.find(PASTE_START, i)
            if j < 0:
                return cost + n - i, False, pasted
            cost += j - i + 1
            i, in_paste = j + len(PASTE_START), True
    return cost, in_paste, pasted


class TerminalChannel(Protocol):
    """What the driver needs from an SSH channel (asyncssh's SSHServerChannel fits)."""

    def write(self, data: bytes) -> None: ...

    def get_write_buffer_size(self) -> int: ...


@dataclass
class TerminalLink:
    """Everything one session's driver needs, handed over by the SSH session."""

    channel: TerminalChannel
    width: int
    height: int
    max_width: int = 400
    max_height: int = 150
    mouse: bool = True
    max_output_buffer: int = 1024 * 1024
    # Bytes beyond a burst of this many, then this many a second, are dropped unparsed:
    # parsing costs the shared loop about 0.8 us a byte of paste and 12 us a byte of keys.
    # The burst takes a whole post pasted at once (20,000 characters, many times over).
    max_input_bytes_per_second: int = 64 * 1024
    max_input_byte_burst: int = 256 * 1024
    # Keys, clicks and other input events (a paste is one) beyond a burst of this many,
    # then this many a second, are dropped before they are parsed: each key costs the
    # app 0.1-0.3 ms. A fast typist makes 15 a second and a held arrow key 30-50; the
    # burst lets a terminal without bracketed paste paste a page as keys.
    max_input_events_per_second: int = 200
    max_input_event_burst: int = 4096
    # Called when the client stops reading and its buffer is full: the session ends.
    on_overflow: Callable[[], None] = lambda: None
    # Called once when input had to be dropped (a flood), so the UI can say so kindly.
    on_input_dropped: Callable[[], None] = lambda: None
    # What the input limits read the time from (a test's ManualClock moves it).
    clock: Clock = field(default_factory=SystemClock, repr=False)
    bytes_written: int = 0
    driver: SSHDriver | None = field(default=None, repr=False)

    def clamp(self, width: int, height: int) -> tuple[int, int]:
        """A window size we are willing to draw: a 65535x65535 request gets our maximum."""
        return (
            max(10, min(int(width) or 80, self.max_width)),
            max(4, min(int(height) or 24, self.max_height)),
        )


class _SessionParser(UncachedXTermParser):
    """XTermParser without the class-wide lru_cache that keeps dead parsers and apps alive,
    and with bracketed pastes taken as data.

    Textual's parser reads escape sequences inside a paste as it does outside one: a
    sequence it cannot name (most of them, and any over 32 characters) comes out as keys,
    ESC as "^", ahead of the paste they were part of. Here the paste markers are found
    before Textual's parser sees them, and everything between them is one Paste event,
    whole and in place; the rest goes through Textual's parser unchanged.
    """

    def parse(self, token_callback: TokenCallback[Message]) -> Generator[Read1 | Peek1, str, None]:
        ESC = "\x1b"
        textual = XTermParser.parse(self, token_callback)
        # What Textual's parser asks for next (it only ever reads, never peeks).
        request: Read1 | Peek1 = next(textual)
        # Characters that may begin a paste marker, held back from Textual's parser.
        held = ""
        # Inside a paste: its text so far.
        paste: list[str] | None = None
        end = len(PASTE_END_TEXT)

        def give(text: str) -> Read1 | Peek1:
            awaiting = request
            for char in text:
                awaiting = textual.send(char)
            return awaiting

        while True:
            if paste is not None:
                try:
                    char = yield self.read1()
                except ParseEOF:
                    return
                paste.append(char)
                if char == "~" and "".join(paste[-end:]) == PASTE_END_TEXT:
                    del paste[-end:]
                    token_callback(events.Paste("".join(paste).replace("\x00", "")))
                    paste = None
                continue
            try:
                # While holding, wait as Textual waits after an ESC: a lone ESC is a key.
                char = yield (self.read1(constants.ESCAPE_DELAY) if held else request)
            except ParseTimeout:
                request, held = give(held), ""
                if request.timeout is not None:
                    request = textual.throw(ParseTimeout())
                continue
            except ParseEOF:
                request, held = give(held), ""
                with contextlib.suppress(StopIteration):
                    textual.throw(ParseEOF())
                return
            if not held and char != ESC:
                if request.timeout is None and " " <= char <= "~":
                    # A printable ASCII key while Textual's parser waits for a new key
                    # (no sequence begun): the keys it would make, without its per-key
                    # generator step, debug strings and key-table look-ups.
                    for key, character in self.printable_keys(char):
                        token_callback(events.Key(key, character))
                    continue
                request = textual.send(char)
                continue
            candidate = held + char
            if candidate == PASTE_START_TEXT:
                held, paste = "", []
                if request.timeout is not None:
                    # A sequence Textual was still reading ends here, as it would at an ESC.
                    request = textual.throw(ParseTimeout())
            elif PASTE_START_TEXT.startswith(candidate):
                held = candidate
            else:
                # Not a paste after all: Textual's parser gets it all, in order.
                request = give(held)
                held = ""
                if char == ESC:
                    held = ESC
                else:
                    request = textual.send(char)


@takes_no_arguments
class _HandTyped:
    """Runs in the app's queue where the first of a run of typed keys would: hands the
    run to the field as one (`hand_typed_text`)."""

    __slots__ = ("app", "field", "typed")

    def __init__(self, app: App[Any], typed: TypedText, field: Widget) -> None:
        self.app = app
        self.typed = typed
        self.field = field

    def __call__(self) -> None:
        hand_typed_text(self.app, self.typed, self.field)


@takes_no_arguments  # Textual's invoke() need not inspect the callback's signature
class _Follower:
    """Follows one key or paste through the app, hop by hop, until it has been handled.

    Textual's app hands a key to the focused widget through that widget's queue, and runs
    the ordinary bindings (Tab, Shift+Tab, a screen's keys) only when the key has bubbled
    back up to the app; priority bindings (Ctrl+S) run at once, before keys handed over
    earlier have been handled. Handing the app a burst at once ("name<Tab>password", a
    paste then Ctrl+S) therefore let keys land in the field that had focus before, and a
    send run before the paste was in the text. So the driver hands over one key or paste,
    and the next only when this one has been handled.

    It is followed with a callback queued behind it at each widget it reaches (a queue is
    first in, first out): when the callback runs there, the key has been handled there and
    has either stopped or been passed to the parent. Then, unless it was plain typing
    taken by a field, one more pass along the path the next key will take (focus up to
    the app) lets what it set off settle first: a screen it opened gets its focus, a form
    it submitted closes.
    """

    FIRST, PATH, SETTLE = range(3)

    __slots__ = ("driver", "event", "pump", "stage", "started", "typing")

    def __init__(self, driver: SSHDriver, event: Message, started: float, typing: bool) -> None:
        self.driver = driver
        self.event = event
        # A key the focused field types in: handled once it has stopped there.
        self.typing = typing
        self.pump: DOMNode | None = None
        self.stage = self.FIRST
        self.started = started

    def __call__(self) -> None:
        self.driver._hop(self)


class SSHDriver(Driver):
    """Driver for one App; the App carries the TerminalLink as `terminal_link`."""

    # Widgets that only ever append at the bottom (the room feed) may shift rows with
    # `scroll_rows` instead of having Textual repaint their whole region.
    supports_scroll_regions = True

    def __init__(
        self,
        app: App[Any],
        *,
        debug: bool = False,
        mouse: bool = True,
        size: tuple[int, int] | None = None,
    ) -> None:
        link: TerminalLink = app.terminal_link  # type: ignore[attr-defined]
        self._link = link
        super().__init__(
            app, debug=debug, mouse=mouse and link.mouse, size=link.clamp(link.width, link.height)
        )
        link.driver = self
        # The app and the loop, as this driver uses them (Driver keeps its own copies).
        self._session_app = app
        self._event_loop = asyncio.get_running_loop()
        self._mouse_reporting = mouse and link.mouse
        self._parser: _SessionParser | None = _SessionParser(debug=False)
        width, height = terminal_size(self) or (80, 24)
        self._frames = FrameFilter(width, height)
        self._decode = getincrementaldecoder("utf-8")("replace").decode
        self._out: list[str] = []
        # Scrolls asked for this loop pass: where in _out each goes, top, bottom, rows, and
        # the new bottom rows' text when they go with the scroll.
        self._scrolls: list[tuple[int, int, int, int, Sequence[str] | None]] = []
        self._flush_scheduled = False
        # Until Textual sends its first frame (its own `flush`), what is written waits
        # for it: the modes a session starts with and the pointer shape leave with the
        # first frame in one channel write (one SSH packet and send instead of three).
        self._first_frame_sent = False
        # Output waiting in the channel (see OUTPUT_CHECK_SECONDS): frames are skipped
        # until it has gone, then the screen is repainted whole. The backlog last seen,
        # and when it last went down.
        self._held = False
        self._held_backlog = 0
        self._held_progress = 0.0
        self._held_check: asyncio.TimerHandle | None = None
        # The last writes of a session (leaving the alternate screen): never skipped.
        self._final = False
        self._pending: deque[str] = deque()
        self._ready: deque[Message] = deque()
        self._pending_chars = 0
        self._draining = False
        self._tick_handle: asyncio.TimerHandle | None = None
        self._resize_handle: asyncio.TimerHandle | None = None
        self._input_enabled = False
        self._closed = False
        self._input_bytes = TokenBucket(
            link.max_input_byte_burst, link.max_input_bytes_per_second, link.clock
        )
        self._input_events = TokenBucket(
            link.max_input_event_burst, link.max_input_events_per_second, link.clock
        )
        self._dropped_reported = False
        self._next_dropped_note = float("-inf")
        self._paste_cut = False
        # Where the input stands as the parser will see it: inside a paste, and how long.
        self._in_paste = False
        self._paste_bytes = 0
        # The key or paste handed to the app and not yet handled; nothing follows it.
        self._following: _Follower | None = None
        self._follow_check: asyncio.TimerHandle | None = None

    # -- output ---------------------------------------------------------------------
    def write(self, data: str) -> None:
        # Everything written in one loop pass (a whole frame, synchronized-output
        # markers included) leaves in one channel write.
        if self._closed:
            return
        self._out.append(data)
        if not self._flush_scheduled and self._first_frame_sent:
            self._flush_scheduled = True
            self._event_loop.call_soon(self.flush)

    def flush(self) -> None:
        self._flush_scheduled = False
        self._first_frame_sent = True
        out, scrolls = self._out, self._scrolls
        if not (out or scrolls) or self._closed or (self._held and not self._final):
            # While output waits for the client, a frame is skipped: the screen is
            # repainted whole when the client has read what waits (_check_held).
            out.clear()
            scrolls.clear()
            return
        frames = self._frames
        if scrolls:
            # What comes before a scroll is filtered against the rows as they were, what
            # comes after against the rows shifted.
            parts: list[str] = []
            start = 0
            for at, top, bottom, rows, new_rows in scrolls:
                parts.append(frames.filter("".join(out[start:at])))
                if new_rows is None:
                    parts.append(frames.scroll(top, bottom, rows))
                else:
                    parts.append(frames.scroll_in(top, bottom, new_rows))
                start = at
            parts.append(frames.filter("".join(out[start:])))
            text = "".join(parts)
            scrolls.clear()
        else:
            text = frames.filter("".join(out))
        out.clear()
        if not text:
            return
        data = text.encode("utf-8", "replace")
        try:
            backlog = self._link.channel.get_write_buffer_size()
            if backlog + len(data) > self._link.max_output_buffer:
                # This client stopped reading; buffering more would cost everyone memory.
                self._closed = True
                self._link.on_overflow()
                return
            if backlog and not self._final:
                # The client's window is full: this frame and the next wait for a repaint.
                self._hold(backlog)
                return
            self._link.channel.write(data)
            self._link.bytes_written += len(data)
        except (BrokenPipeError, ConnectionError, OSError):
            self._closed = True

    def _hold(self, backlog: int) -> None:
        self._held = True
        self._held_backlog = backlog
        self._held_progress = self._link.clock.monotonic()
        # What was skipped is not on the terminal: the filter must not trim the repaint.
        self._frames.reset()
        if self._held_check is None:
            self._held_check = self._event_loop.call_later(OUTPUT_CHECK_SECONDS, self._check_held)

    def _check_held(self) -> None:
        """Output waits for the client: has it gone (repaint), moved (wait on), or stuck?"""
        self._held_check = None
        if not self._held or self._closed:
            return
        try:
            backlog = self._link.channel.get_write_buffer_size()
        except (BrokenPipeError, ConnectionError, OSError):
            self._closed = True
            return
        now = self._link.clock.monotonic()
        if not backlog:
            self._held = False
            # The screen as it is now, whole (the filter forgot what the terminal shows),
            # then the input typed ahead.
            self._session_app.refresh()
            if (self._pending or self._ready) and not self._draining:
                self._draining = True
                self._drain()
            return
        if backlog < self._held_backlog:
            self._held_backlog, self._held_progress = backlog, now
        elif now - self._held_progress >= OUTPUT_STALL_SECONDS:
            # It has stopped reading: cut off, as when the buffer overflows.
            self._closed = True
            self._link.on_overflow()
            return
        self._held_check = self._event_loop.call_later(OUTPUT_CHECK_SECONDS, self._check_held)

    def scroll_rows(self, top: int, bottom: int, rows: int) -> None:
        """Shift screen rows top..bottom (0-based, inclusive) up by `rows`, blanking the last.

        Goes out in order with what is written around it, as a terminal scroll region
        (DECSTBM) plus delete-line (`scroll_sequence`): every VT100-descended terminal has
        both. The frame filter is told of the scroll itself and shifts its memory.
        """
        if self._closed:
            return
        self._scrolls.append((len(self._out), top, bottom, rows, None))
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self._event_loop.call_soon(self.flush)

    def scroll_rows_in(self, top: int, bottom: int, rows: Sequence[str]) -> None:
        """Shift screen rows top..bottom (0-based, inclusive) up by len(rows) and show `rows`
        in the freed bottom rows, in fewer bytes than a scroll and a write of each row.

        Each row is what a strip renders to (text and SGR sequences only, ending reset, no
        wider than the screen), its trailing blanks left off: the freed rows start blank
        (`scroll_in_sequence`). The frame filter remembers what they show.
        """
        if self._closed:
            return
        self._scrolls.append((len(self._out), top, bottom, len(rows), rows))
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self._event_loop.call_soon(self.flush)

    def open_url(self, url: str, new_tab: bool = True) -> None:
        """Links are shown, never opened on the server."""

    # -- application mode -----------------------------------------------------------
    def start_application_mode(self) -> None:
        write = self.write
        write("\x1b[?1049h")  # alternate screen
        if self._mouse_reporting:
            # Clicks and wheel only, SGR encoded: no stream of motion reports.
            write("\x1b[?1000h\x1b[?1006h")
        write("\x1b[?25l")  # hide the cursor; Textual draws its own, without blinking
        write("\x1b[?2026$p")  # does the terminal support synchronized output?
        write("\x1b[?2004h")  # bracketed paste
        write("\x1b[?7l")  # no autowrap
        self._input_enabled = True

    def disable_input(self) -> None:
        self._input_enabled = False
        for handle in (self._tick_handle, self._resize_handle, self._follow_check):
            if handle is not None:
                handle.cancel()
        self._tick_handle = self._resize_handle = self._follow_check = None
        self._following = None
        self._pending.clear()
        self._pending_chars = 0
        self._ready.clear()

    def stop_application_mode(self) -> None:
        self.disable_input()
        self._release_parser()
        self._stop_holding()
        write = self.write
        write("\x1b[?2004l\x1b[?7h")
        if self._mouse_reporting:
            write("\x1b[?1000l\x1b[?1006l")
        write("\x1b[?1049l\x1b[?25h\x1b[0m")
        self.flush()

    def close(self) -> None:
        self.disable_input()
        self._release_parser()
        self._stop_holding()
        self._link.driver = None

    def _stop_holding(self) -> None:
        # What is written from now on (leaving the alternate screen) goes out whatever
        # waits before it: a full repaint would not bring those modes back.
        self._final = True
        if self._held_check is not None:
            self._held_check.cancel()
            self._held_check = None

    def _release_parser(self) -> None:
        parser, self._parser = self._parser, None
        if parser is not None:
            parser.release()

    # -- input ----------------------------------------------------------------------
    def send_message(self, message: Message) -> None:
        # There is no input thread: we are on the loop already.
        self._session_app.post_message(message)

    def _dropped(self) -> None:
        # Once per flood (the flag is lowered when the input has all been handled), and
        # not again before DROPPED_NOTE_SECONDS: a flooder sees one note, not one a burst.
        if self._dropped_reported:
            return
        self._dropped_reported = True
        now = self._link.clock.monotonic()
        if now >= self._next_dropped_note:
            self._next_dropped_note = now + DROPPED_NOTE_SECONDS
            self._link.on_input_dropped()

    def feed(self, data: bytes) -> None:
        """Bytes from the client: rate-limited, decoded and queued for parsing.

        Input over the limits is dropped before it is parsed: parsing a flood costs the
        shared loop as much as handling it would.
        """
        if not self._input_enabled or self._parser is None:
            return
        cost, in_paste, pasted = input_cost(data, self._in_paste)
        paste_bytes = (self._paste_bytes if self._in_paste else 0) + pasted
        too_many_keys = cost > self._input_events.refill()
        if (
            too_many_keys
            or paste_bytes > MAX_PASTE_BYTES
            or self._pending_chars + len(data) > MAX_PENDING_INPUT
            or not self._input_bytes.take(len(data))
        ):
            self._drop(data)
            if too_many_keys:
                # More keys than the allowance spends it: a flooder's small reads right
                # behind its big ones are skipped too, and a key flood that goes on never
                # earns a burst back. Typing after it waits 5 ms a key (the refill rate).
                self._input_events.empty()
            return
        self._input_events.take(cost)
        self._in_paste, self._paste_bytes = in_paste, paste_bytes if in_paste else 0
        self._queue(self._decode(data))

    def _drop(self, data: bytes) -> None:
        """Too much input: skip it, but never leave the parser stuck inside a paste."""
        self._dropped()
        # A paste cut in the middle must not arrive half (the member would think all of
        # it did) and its end marker must not be lost (later typing would join the paste).
        # So the parser is told where the skipped bytes left the client: in a paste or
        # not. Typing after the end of a cut paste is kept if the key allowance pays for
        # it; nothing else of a skipped read is parsed (keys after a paste that began and
        # ended in it were once handed over unpaid: a flooder's chat lines got through).
        before = self._in_paste
        _cost, after, _pasted = input_cost(data, before)
        if before or after:
            # The parser's next paste has lost part of itself: skipped whole.
            self._paste_cut = True
        self._in_paste, self._paste_bytes = after, 0
        if before != after:
            self._decode(b"", final=True)
            text = PASTE_START_TEXT if after else PASTE_END_TEXT
            if not after:
                typed = data[data.rfind(PASTE_END) + len(PASTE_END) :]
                if typed and self._input_events.take(len(typed)):
                    text += self._decode(typed)
            self._queue(text)

    def _queue(self, text: str) -> None:
        if not text:
            return
        self._pending.append(text)
        self._pending_chars += len(text)
        if not self._draining:
            self._draining = True
            self._drain()

    def _drain(self) -> None:
        # Parse one slice now, hand the app what it may have, schedule the rest for later
        # loop passes. While a key or paste is being followed, nothing more is handed
        # over: its end (_followed) drains again. While output waits for the client, input
        # waits too (typed ahead, in order): a client that reads nothing does not get
        # screen after screen made for it. The repaint (_check_held) drains again.
        parser = self._parser
        if parser is None or not self._input_enabled or self._held:
            self._draining = False
            return
        budget = INPUT_SLICE
        ready = self._ready
        while self._pending and budget > 0 and len(ready) < EVENTS_PER_PASS:
            chunk = self._pending.popleft()
            if len(chunk) > budget:
                self._pending.appendleft(chunk[budget:])
                chunk = chunk[:budget]
            self._pending_chars -= len(chunk)
            budget -= len(chunk)
            ready.extend(parser.feed(chunk))
        delivered = 0
        # Keys the focused field types in go to it back to back (they stop there, and its
        # queue keeps their order); the last of such a run is followed, so that the key
        # after it (Tab, Ctrl+S) waits until they are all in.
        # Printable keys of such a run that came in together go to a field that takes
        # them so as one message (`TypedText`), typed in as it would key by key.
        run_end: Message | None = None
        together: list[events.Key] = []
        while ready and delivered < EVENTS_PER_PASS:
            event = ready[0]
            typing = self._typed_into_focus(event)
            joins = typing and self._typed_together(event)
            if together and (not joins or len(together) >= TYPED_RUN_KEYS):
                if not joins and self._enter_after_typed(event):
                    # The Enter behind them goes with them, and is followed as an Enter
                    # (what it sets off settles before the next key goes).
                    assert isinstance(event, events.Key)
                    ready.popleft()
                    typed = self._hand_together([*together, event])
                    together = []
                    run_end = None
                    self._follow(typed, typing=False)
                    delivered += 1
                    continue
                run_end = self._hand_together(together)
                together = []
            if run_end is not None and not typing:
                self._follow(run_end, typing=True)
                run_end = None
            following = self._following
            if following is not None and not (typing and following.typing):
                break
            ready.popleft()
            if joins:
                assert isinstance(event, events.Key)
                if not together:
                    delivered += 1  # the run is one message, and costs about one key
                together.append(event)
                continue
            if not self._deliver(event):
                continue
            delivered += 1
            if typing:
                run_end = event
            elif isinstance(event, (events.Key, events.Paste)):
                self._follow(event, typing=False)
        if together:
            run_end = self._hand_together(together)
        if run_end is not None:
            self._follow(run_end, typing=True)
        if self._following is not None:
            pass  # still draining: _followed carries on
        elif self._pending or ready:
            self._event_loop.call_soon(self._drain)
        else:
            self._draining = False
            self._dropped_reported = False
        self._schedule_tick()

    def _schedule_tick(self) -> None:
        # A lone ESC might start a sequence; the parser waits, and we wake it up
        # only when it is actually waiting (idle costs nothing).
        parser = self._parser
        if parser is not None and parser.waiting_for_more and self._tick_handle is None:
            self._tick_handle = self._event_loop.call_later(ESCAPE_TIMEOUT_SECONDS, self._tick)

    def _tick(self) -> None:
        self._tick_handle = None
        if not self._input_enabled or self._parser is None:
            return
        # Behind anything already parsed, so keys keep their order.
        self._ready.extend(self._parser.tick())
        if self._ready and not self._draining:
            self._draining = True
            self._drain()
        else:
            self._schedule_tick()

    def _deliver(self, event: Message) -> int:
        """Hand one event to the app (paid for when its bytes came in); 1 if it went."""
        if self._paste_cut:
            # The first event after input was dropped: a paste that lost its middle is
            # skipped whole (the member was told input was skipped).
            self._paste_cut = False
            if isinstance(event, events.Paste):
                return 0
        self.process_message(event)
        return 1

    # -- one key at a time: see _Follower ------------------------------------------------
    def _typed_into_focus(self, event: Message) -> bool:
        """Will this key be typed into the focused field, and stop there?"""
        if not isinstance(event, events.Key):
            return False
        try:
            focused = self._session_app.focused
        except Exception:
            return False
        return focused is not None and focused.check_consume_key(event.key, event.character)

    def _typed_together(self, event: Message) -> bool:
        """Is this key, typed into the focused field, printable, and does the field take
        keys that came together as one?"""
        return (
            isinstance(event, events.Key)
            and event.is_printable
            and takes_typed(self._session_app.focused)[0]
        )

    def _enter_after_typed(self, event: Message) -> bool:
        """Is this an Enter right behind keys typed together, for a field that takes it
        with them?"""
        return (
            isinstance(event, events.Key)
            and event.key == "enter"
            and takes_typed(self._session_app.focused)[1]
        )

    def _hand_together(self, keys: list[events.Key]) -> Message:
        """Hand the app keys typed together; returns the message to follow."""
        focused = self._session_app.focused
        if len(keys) == 1 or focused is None:
            for key in keys:
                self._deliver(key)
            return keys[-1]
        self._paste_cut = False  # as _deliver: a key after cut input goes on
        typed = TypedText(keys)
        self.process_message(
            events.Callback(callback=_HandTyped(self._session_app, typed, focused))
        )
        return typed

    def _follow(self, event: Message, *, typing: bool) -> None:
        # A later key of a run of typing replaces the follower of the one before it: both
        # take the same path, in order, so when it is in, so are they.
        follower = _Follower(self, event, self._event_loop.time(), typing)
        self._following = follower
        # Behind the event in the app's queue: runs once the app has looked at it.
        self._hop_to(follower, self._session_app)
        if self._following is follower and self._follow_check is None:
            self._follow_check = self._event_loop.call_later(
                FOLLOW_CHECK_SECONDS, self._check_follow
            )

    def _hop_to(self, follower: _Follower, pump: DOMNode) -> None:
        follower.pump = pump
        if not pump.post_message(events.Callback(callback=follower)):
            self._followed(follower)  # closing: nothing there will handle anything

    def _hop(self, follower: _Follower) -> None:
        """The event has been handled at `follower.pump`; where does it go next?"""
        if follower is not self._following:
            return  # given up on, or input ended
        app = self._session_app
        pump, event = follower.pump, follower.event
        if follower.stage == _Follower.FIRST:
            if not event.is_forwarded:
                self._settle(follower)  # a priority binding took it at the app
                return
            follower.stage = _Follower.PATH
            # Where App.on_event just forwarded it: nothing ran in between.
            self._hop_to(follower, app.focused or app.screen)
            return
        if pump is None or pump is app:
            if follower.stage == _Follower.PATH:
                self._settle(follower)  # back at the app, whose bindings ran
            else:
                self._followed(follower)
            return
        parent = pump.parent
        if follower.stage == _Follower.SETTLE:
            self._hop_to(follower, parent if parent is not None else app)
            return
        # As MessagePump._on_message decides whether to bubble.
        if (
            not event.bubble
            or parent is None
            or not (pump.is_parent_active and pump.is_attached)
            or stopped_before(event, parent)
        ):
            # Taken here. Typing or a paste taken by a field sets nothing off worth
            # waiting for.
            if follower.typing or isinstance(event, events.Paste):
                self._followed(follower)
            else:
                self._settle(follower)
            return
        self._hop_to(follower, parent)

    def _settle(self, follower: _Follower) -> None:
        follower.stage = _Follower.SETTLE
        app = self._session_app
        try:
            start: DOMNode = app.focused or app.screen
        except Exception:
            self._followed(follower)  # no screen: the app is ending
            return
        self._hop_to(follower, start)

    def _followed(self, follower: _Follower) -> None:
        if follower is not self._following:
            return
        self._following = None
        if self._follow_check is not None:
            self._follow_check.cancel()
            self._follow_check = None
        if self._input_enabled:
            self._event_loop.call_soon(self._drain)
        else:
            self._draining = False

    def _check_follow(self) -> None:
        self._follow_check = None
        follower = self._following
        if follower is None:
            return
        pump = follower.pump
        gone = (
            pump is None
            or is_closing(pump)
            or (pump is not self._session_app and pump.parent is None)
        )
        if gone or self._event_loop.time() - follower.started > FOLLOW_GIVE_UP_SECONDS:
            # Its callback went down with a closed screen, or the app is busy elsewhere:
            # the next input goes now rather than never.
            self._followed(follower)
            return
        self._follow_check = self._event_loop.call_later(FOLLOW_CHECK_SECONDS, self._check_follow)

    def resize(self, width: int, height: int) -> None:
        """A window change from the client: clamped, and storms folded into one."""
        set_terminal_size(self, self._link.clamp(width, height))
        if self._resize_handle is None and self._input_enabled:
            self._resize_handle = self._event_loop.call_later(
                RESIZE_COALESCE_SECONDS, self._apply_size
            )

    def _apply_size(self) -> None:
        self._resize_handle = None
        width, height = terminal_size(self) or (80, 24)
        # The terminal may have reflowed or cleared: forget what it showed.
        self._frames.reset(width, height)
        size = Size(width, height)
        self._session_app.post_message(events.Resize(size, size))
