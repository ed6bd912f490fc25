"""The plain line front end on an SSH channel: which front end a session gets, our own echo
and line editing (plain/editor.py), and output that is bounded and free of control bytes.

The line front end (plain/) never sees the channel: it gets an `SSHLineIO`, which is the
`plain.io.LineIO` the session implements. Everything written passes one filter that
keeps CR, LF and BEL and drops every other C0 control, DEL and every C1 control, so
whatever a bug might let through, no escape sequence leaves in this mode.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from codecs import getincrementaldecoder
from collections.abc import Callable

from bbs.accounts.members import MemberView
from bbs.clock import Clock, SystemClock
from bbs.config import TerminalLimits
from bbs.models import FrontEnd
from bbs.token_bucket import TokenBucket
from plain.editor import Kind, LineEditor
from plain.io import HIDE_KEY, EndOfInput, Hangup
from plain.layout import rows
from plain.session import PlainContext, PlainSession
from server.driver import TerminalChannel

log = logging.getLogger(__name__)

# `ssh -t NAME@host plain` and `ssh -t NAME@host full` choose the front end for one login.
PLAIN_COMMAND = "plain"
FULL_COMMAND = "full"
# Terminals that cannot take a full screen get plain lines without asking.
DUMB_TERMINALS = frozenset({"dumb"})

FLOOD_NOTE = "You sent a lot very quickly, so some of it was skipped."
# How long a lone Esc waits to see if a sequence follows (as the full screen's driver).
ESCAPE_TIMEOUT_SECONDS = 0.11
SORRY = (
    "Sorry, something went wrong on our side and this session had to close. Anything "
    "you saw saved is safe. Please connect again."
)
# Typed-ahead input waiting for a prompt beyond this is dropped.
MAX_PENDING_INPUT = 256 * 1024

# Every C0 control but BEL, LF and CR; DEL; every C1 control.
_UNSAFE = str.maketrans(
    {c: None for c in (*range(0x00, 0x20), *range(0x7F, 0xA0)) if c not in (0x07, 0x0A, 0x0D)}
)

# Every plain session ever started, weakly: tests prove none outlives its connection.
LIVE_PLAIN: weakref.WeakSet[PlainSession] = weakref.WeakSet()


def front_end_for(
    command: str | None, term: str | None, has_pty: bool, member: MemberView | None
) -> FrontEnd | None:
    """The front end a session runs, or None when we offer nothing for it.

    `plain` as the command always gives plain lines (with a pty we echo; without one the
    client's own terminal does). `full` gives the full screen (a pty is needed). Without
    a command: TERM=dumb gives plain lines, else the member's own choice.
    """
    asked = command.strip().lower() if command is not None else None
    if asked == PLAIN_COMMAND:
        return FrontEnd.PLAIN
    if asked == FULL_COMMAND:
        return FrontEnd.FULL if has_pty else None
    if asked is not None or not has_pty:
        return None
    if (term or "").strip().lower() in DUMB_TERMINALS:
        return FrontEnd.PLAIN
    if member is not None and member.front_end is FrontEnd.PLAIN:
        return FrontEnd.PLAIN
    return FrontEnd.FULL


def safe_output(text: str) -> str:
    """`text` with no control character but CR, LF and BEL (no ESC, no C1)."""
    return text if text.isprintable() else text.translate(_UNSAFE)


class SSHLineIO:
    """`plain.io.LineIO` over one SSH channel: echo, editing and paging are ours."""

    def __init__(
        self,
        channel: TerminalChannel,
        limits: TerminalLimits,
        *,
        width: int,
        height: int,
        echo: bool,
        on_overflow: Callable[[], None],
        clock: Clock | None = None,
    ) -> None:
        self._channel = channel
        self._limits = limits
        self._size = self._clamp(width, height)
        self._editor = LineEditor(self._size[0], echo=echo)
        self._decode = getincrementaldecoder("utf-8")("replace").decode
        self._future: asyncio.Future[None] | None = None
        self._out: list[str] = []
        self._flush_scheduled = False
        self._closed = False
        self._eof = False
        self._escape_timer: asyncio.TimerHandle | None = None
        self._on_overflow = on_overflow
        self._input_bytes = TokenBucket(
            limits.max_input_byte_burst, limits.max_input_bytes_per_second, clock or SystemClock()
        )
        self._told_flood = False
        self.bytes_written = 0

    def _clamp(self, width: int, height: int) -> tuple[int, int]:
        limits = self._limits
        return (
            max(10, min(int(width) or 80, limits.max_width)),
            max(4, min(int(height) or 24, limits.max_height)),
        )

    # -- plain.io.LineIO --------------------------------------------------------------
    @property
    def width(self) -> int:
        return self._size[0]

    @property
    def height(self) -> int:
        return self._size[1]

    def write(self, text: str) -> None:
        self._send(self._editor.interrupt(text.split("\n")))

    def bell(self) -> None:
        self._send("\a")

    async def read_line(self, prompt: str, *, secret: bool = False, initial: str = "") -> str:
        if self._closed or (self._eof and not self._editor.pending_input):
            raise Hangup
        if self._future is not None:
            raise RuntimeError("one line at a time")
        future = self._future = asyncio.get_running_loop().create_future()
        try:
            self._send(self._editor.begin(prompt, secret=secret, initial=initial))
            self._check_done()
            if self._eof and not future.done():
                future.set_result(None)
            await future
        finally:
            self._future = None
        submitted = self._editor.take()
        if submitted is None:
            raise Hangup
        if submitted.kind is Kind.END:
            raise EndOfInput
        if submitted.kind is Kind.HIDE:
            return HIDE_KEY
        return submitted.text

    # -- the SSH session's side -------------------------------------------------------
    def feed(self, data: bytes) -> None:
        """Bytes from the client: rate-limited, decoded, edited, echoed."""
        if self._closed:
            return
        if (
            not self._input_bytes.take(len(data))
            or self._editor.pending_input + len(data) > MAX_PENDING_INPUT
        ):
            if not self._told_flood:
                self._told_flood = True
                self.write(FLOOD_NOTE)
            return
        self._told_flood = False
        self._send(self._editor.feed(self._decode(data)))
        self._check_done()
        if self._editor.in_escape and self._escape_timer is None:
            self._escape_timer = asyncio.get_running_loop().call_later(
                ESCAPE_TIMEOUT_SECONDS, self._lone_escape
            )

    def _lone_escape(self) -> None:
        self._escape_timer = None
        self._editor.escape_timeout()

    def resize(self, width: int, height: int) -> None:
        self._size = self._clamp(width, height)
        self._editor.width = self._size[0]

    def finish(self, farewell: str) -> None:
        """The last words of a session, on their own rows, sent at once."""
        if self._closed:
            return
        text = self._editor.stop()
        if farewell:
            text += "\r\n".join(rows(farewell, self.width - 1)) + "\r\n"
        self._send(text)
        self.flush()

    def eof(self) -> None:
        """The client sends no more: what it sent is still read, then reads raise Hangup."""
        self._eof = True
        future = self._future
        if future is not None and not future.done() and not self._editor.done:
            future.set_result(None)

    def hangup(self) -> None:
        """The connection ended: a waiting read raises Hangup, and so does any later one."""
        self._closed = True
        if self._escape_timer is not None:
            self._escape_timer.cancel()
            self._escape_timer = None
        future = self._future
        if future is not None and not future.done():
            future.set_result(None)

    def _check_done(self) -> None:
        future = self._future
        if future is not None and not future.done() and self._editor.done:
            future.set_result(None)

    # -- output -----------------------------------------------------------------------
    def _send(self, text: str) -> None:
        if not text or self._closed:
            return
        self._out.append(text)
        if not self._flush_scheduled:
            # Everything said in one loop pass leaves in one channel write.
            self._flush_scheduled = True
            asyncio.get_running_loop().call_soon(self.flush)

    def flush(self) -> None:
        self._flush_scheduled = False
        if not self._out or self._closed:
            self._out.clear()
            return
        data = safe_output("".join(self._out)).encode("utf-8", "replace")
        self._out.clear()
        try:
            if self._channel.get_write_buffer_size() + len(data) > self._limits.max_output_buffer:
                # This client stopped reading; buffering more would cost everyone memory.
                self._closed = True
                self._on_overflow()
                return
            self._channel.write(data)
            self.bytes_written += len(data)
        except (BrokenPipeError, ConnectionError, OSError):
            self._closed = True


class PlainRun:
    """One plain session on one channel, from its first prompt to its last line."""

    def __init__(self, io: SSHLineIO) -> None:
        self.io = io
        self.session: PlainSession | None = None
        self._task: asyncio.Task[int] | None = None
        self.farewell = ""

    async def run(self, context: PlainContext) -> int:
        """Run the session to its end; returns the exit status (`farewell` is set)."""
        session = self.session = PlainSession(self.io, context)
        session.on_end = self._cancel
        LIVE_PLAIN.add(session)
        task = self._task = asyncio.get_running_loop().create_task(session.run())
        try:
            await asyncio.wait([task])
        finally:
            self._task = None
            self.session = None
        if task.cancelled():
            status = session.status
        elif task.exception() is not None:
            log.error("plain session failed", exc_info=task.exception())
            session.farewell, status = SORRY, 1
        else:
            status = task.result()
        self.farewell = session.farewell
        session.close()
        return status

    def _cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def end(self, farewell: str, status: int = 0) -> None:
        """Server shutdown, the account deleted, or ended from another session."""
        session = self.session
        if session is not None:
            session.end(farewell, status=status)

    def hangup(self) -> None:
        self.io.hangup()
