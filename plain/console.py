"""The member's side of a plain session: rows out (paged), lines in, and what any prompt takes.

- `say` writes text as rows; after a screenful since the member last typed, it stops
  at a "more" prompt (Enter for more, Q to stop), so nothing scrolls away unread.
- `live` is for what arrives by itself (room lines, cheers, alerts): printed above the
  line being typed, or kept until the next prompt when something else is being read,
  while hidden, or when a screenful has come in since the member last pressed Enter.
- `ask` shows a prompt; at every prompt (passwords aside) `help` or `?` shows the help
  and crisis lines, and `hide` prints one neutral line and prints nothing more until
  the member types `back`.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable

from bbs.i18n import N_
from plain.io import HIDE_KEY, LineIO
from plain.layout import rows

# -- what members read: marked N_ here, translated by `Console.t` where it is shown ------
MORE_PROMPT = N_("-- More: Enter for more, Q to stop: ")
WAITING = N_("({count} more lines: Enter shows them.)")
SKIPPED = N_("({count} earlier lines were skipped: there were too many to keep.)")
HIDDEN_LINE = N_("System status: all services are operating normally.")
BACK_AGAIN = N_("You are back.")
# The words a member types: the English ones always work, and so do their translations.
HELP_WORDS = frozenset({"help", "?", "/?"})
HELP_WORD = N_("help")
HIDE_WORD = N_("hide")
BACK_WORD = N_("back")
STOP_WORDS = frozenset({"q", "quit", "stop"})
STOP_WORD = N_("stop")

# Lines kept for the member while they read something else or are hidden.
QUEUE_LIMIT = 500
# Text longer than this is cleaned and wrapped in a worker thread.
LAYOUT_IN_THREAD = 20_000


class Console:
    """One plain session's screen and keyboard, as rows and lines."""

    def __init__(self, io: LineIO) -> None:
        self.io = io
        self.on_help: Callable[[], Awaitable[None]] | None = None
        self.hidden = False
        self._since_input = 0
        self._queue: deque[tuple[str, bool]] = deque()
        self._skipped = 0
        self._live_ok = False
        self._told_waiting = False
        self._in_help = False
        # The session's language: every message of ours passes here before it is shown.
        self.t: Callable[[object], str] = str

    def words(self, english: str | frozenset[str], *translated: str) -> frozenset[str]:
        """What a member may type for a word: the English (always) and its translations
        in the session's language, in lower case."""
        base = {english} if isinstance(english, str) else set(english)
        return frozenset(base | {self.t(word).lower() for word in translated})

    # -- out --------------------------------------------------------------------------
    @property
    def page(self) -> int:
        """Rows that fit before a prompt is needed (the prompt's own row left free)."""
        return max(3, self.io.height - 1)

    def rows(self, text: str) -> list[str]:
        return rows(text, self.io.width - 1)

    def _write(self, shown: list[str]) -> None:
        if shown:
            self.io.write("\n".join(shown))
            self._since_input += len(shown)

    async def say(self, text: str = "") -> bool:
        """Write `text`, stopping at "more" each screenful; False if the member said stop."""
        if len(text) > LAYOUT_IN_THREAD:
            # A page of long posts is laid out off the shared event loop.
            pending = await asyncio.to_thread(self.rows, text)
        else:
            pending = self.rows(text)
        while pending:
            room = self.page - self._since_input
            if room <= 0:
                if not await self.more():
                    return False
                continue
            self._write(pending[:room])
            pending = pending[room:]
        return True

    async def more(self) -> bool:
        """The "more" prompt: True to go on, False when the member typed Q."""
        answer = await self.ask(self.t(MORE_PROMPT), live=False)
        return answer.strip().lower() not in self.words(STOP_WORDS, STOP_WORD)

    def live(self, text: str, *, bell: bool = False) -> None:
        """Something that arrived by itself: shown now if the member is at a prompt."""
        new = self.rows(text)
        if self.hidden or not self._live_ok or self._queue:
            self._keep(new, bell)
            return
        # Room for the prompt's row, and for the note that more is waiting.
        room = self.page - 1 - self._since_input - self._note_rows()
        if len(new) <= room:
            if bell:
                self.io.bell()
            self._write(new)
            return
        self._keep(new, bell)

    def _note_rows(self) -> int:
        return len(self.rows(self.t(WAITING).format(count=QUEUE_LIMIT)))

    def _keep(self, new: list[str], bell: bool) -> None:
        for i, row in enumerate(new):
            self._queue.append((row, bell and i == 0))
        while len(self._queue) > QUEUE_LIMIT:
            self._queue.popleft()
            self._skipped += 1
        if self._live_ok and not self.hidden and not self._told_waiting:
            self._told_waiting = True
            self._write(self.rows(self.t(WAITING).format(count=len(self._queue))))

    def _flush(self) -> None:
        """Before a prompt: a screenful of what waited, and a note if more is waiting."""
        self._told_waiting = False
        if self._skipped:
            self._write(self.rows(self.t(SKIPPED).format(count=self._skipped)))
            self._skipped = 0
        room = self.page - 1 - self._since_input - self._note_rows()
        shown: list[str] = []
        bell = False
        while self._queue and len(shown) < room:
            row, rings = self._queue.popleft()
            shown.append(row)
            bell = bell or rings
        if bell:
            self.io.bell()
        self._write(shown)
        if self._queue:
            self._told_waiting = True
            self._write(self.rows(self.t(WAITING).format(count=len(self._queue))))

    @property
    def waiting(self) -> int:
        """Rows of live text kept for the member."""
        return len(self._queue)

    # -- in ---------------------------------------------------------------------------
    async def ask(
        self, prompt: str, *, secret: bool = False, live: bool = True, initial: str = ""
    ) -> str:
        """The member's answer to `prompt`; help and hide are handled here, then asked again.

        With `live`, lines arriving meanwhile print above the line being typed. `initial`
        is text already typed (a line that was not taken, kept to send again).
        """
        while True:
            if live and not self.hidden:
                self._flush()
            self._live_ok = live and not secret
            try:
                line = await self.io.read_line(prompt, secret=secret, initial=initial)
            finally:
                self._live_ok = False
                self._since_input = 0
            if secret:
                return line
            word = line.strip().lower()
            if (
                word in self.words(HELP_WORDS, HELP_WORD)
                and self.on_help is not None
                and not self._in_help
            ):
                self._in_help = True
                try:
                    await self.on_help()
                finally:
                    self._in_help = False
                continue
            if word in self.words(HIDE_WORD, HIDE_WORD) or line == HIDE_KEY:
                await self.hide()
                continue
            return line

    async def hide(self) -> None:
        """A neutral line for a shared space; nothing else is printed until `back`."""
        self.hidden = True
        # Blank rows move what was on the screen out of sight, then the one neutral line.
        self.io.write("\n" * max(1, self.io.height - 1) + self.t(HIDDEN_LINE))
        try:
            while True:
                line = await self.io.read_line("")
                if line.strip().lower() in self.words(BACK_WORD, BACK_WORD) or line == HIDE_KEY:
                    break
        finally:
            self.hidden = False
            self._since_input = 0
        self._write(self.rows(self.t(BACK_AGAIN)))
