"""What the line front end needs from a connection, and nothing more.

The SSH session implements `LineIO` (server/plain_io.py); tests implement it in memory.
The front end never sees bytes, escape sequences or the SSH library.
"""

from __future__ import annotations

from typing import Protocol

# What `read_line` returns for Ctrl+\ (the full screen's quick-hide key): hide, or come back.
HIDE_KEY = "\x1c"


class Hangup(Exception):
    """The connection ended while we were waiting for the member to type."""


class EndOfInput(Exception):
    """Ctrl+D on an empty line, or Ctrl+C: the member wants to go."""


class LineIO(Protocol):
    """A line terminal: rows of text out, whole edited lines in."""

    @property
    def width(self) -> int:
        """Columns of the member's terminal (rows are written at most width - 1 long)."""
        ...

    @property
    def height(self) -> int:
        """Rows of the member's terminal: how much may be written before a "more" prompt."""
        ...

    def write(self, text: str) -> None:
        """Rows separated by "\\n", already wrapped. While a line is being typed the
        rows go above it, and the prompt and the half-typed text are shown again below."""
        ...

    def bell(self) -> None:
        """One BEL: a mention in a room."""
        ...

    async def read_line(self, prompt: str, *, secret: bool = False, initial: str = "") -> str:
        """Show `prompt` and return the line typed (echoed unless `secret`); `initial` is
        text already in the line, to edit or send again.

        A bracketed paste arrives as text and may hold newlines. Raises Hangup when the
        connection ends and EndOfInput for Ctrl+C, or Ctrl+D on an empty line.
        """
        ...
